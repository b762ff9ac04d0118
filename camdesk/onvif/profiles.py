"""Reading a device's media profiles and choosing the streams: main = highest resolution, sub = lowest
at least 320 px wide; H.264 or H.265 only (MJPEG/MPEG-4 profiles are ignored). Media2 where the device
offers it (Media1 hides H.265-only profiles), Media1 otherwise. A recorder (NVR) has one video source per
channel: each becomes its own :class:`camdesk.models.onvif.Channel`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from camdesk.errors import CamdeskError, HostileReply, ProtocolError
from camdesk.logs import scrub
from camdesk.models.camera import Codec, StreamProfile
from camdesk.models.onvif import Channel, DeviceInfo, DeviceProbe, MediaProfile, MediaVersion, PtzCapabilities
from camdesk.onvif import soap
from camdesk.onvif.client import OnvifDevice, strip_userinfo

log = logging.getLogger(__name__)
MIN_SUB_WIDTH = 320
_TR2 = "http://www.onvif.org/ver20/media/wsdl"


def codec_of(encoding: str) -> Codec | None:
    e = encoding.strip().upper().replace(".", "")
    if e in ("H264", "AVC"):
        return Codec.H264
    if e in ("H265", "HEVC"):
        return Codec.H265
    return None


def choose_streams(profiles: Iterable[MediaProfile]) -> tuple[StreamProfile | None, StreamProfile | None]:
    """(main, sub): main has the most pixels; sub the fewest among those >= 320 px wide (None if it would
    be the main itself). Only H.264/H.265 profiles count."""
    usable = [p.stream for p in profiles if p.stream.codec is not None]
    if not usable:
        return None, None
    main = max(usable, key=lambda s: (s.width * s.height, s.fps))
    candidates = [s for s in usable if s.width >= MIN_SUB_WIDTH and s is not main
                  and s.width * s.height < main.width * main.height]
    sub = min(candidates, key=lambda s: (s.width * s.height, -s.fps)) if candidates else None
    return main, sub


def group_channels(profiles: list[MediaProfile], snapshots: dict[str, str],
                   ptz: PtzCapabilities, source_names: dict[str, str] | None = None) -> tuple[Channel, ...]:
    """One channel per video source, in the order the device lists them."""
    order: list[str] = []
    by_source: dict[str, list[MediaProfile]] = {}
    for p in profiles:
        if p.video_source_token not in by_source:
            order.append(p.video_source_token)
            by_source[p.video_source_token] = []
        by_source[p.video_source_token].append(p)
    channels = []
    for i, source in enumerate(order):
        group = by_source[source]
        main, sub = choose_streams(group)
        if main is None:
            continue
        ptz_profile = next((p for p in group if p.ptz), None)
        chosen = main.profile_token
        name = (source_names or {}).get(source) or (f"Channel {i + 1}" if len(order) > 1 else "")
        channels.append(Channel(
            video_source_token=source,
            name=name,
            main=main,
            sub=sub,
            snapshot_uri=snapshots.get(chosen, "") or next((snapshots[p.token] for p in group
                                                            if snapshots.get(p.token)), ""),
            ptz=ptz if ptz_profile is not None else PtzCapabilities(),
            ptz_profile_token=ptz_profile.token if ptz_profile is not None else "",
            profiles=tuple(group),
        ))
    return tuple(channels)


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default


async def _media1_profiles(dev: OnvifDevice) -> tuple[list[MediaProfile], dict[str, str]]:
    raw = await dev.call("media", "GetProfiles")
    profiles: list[MediaProfile] = []
    snapshots: dict[str, str] = {}
    for p in raw or []:
        enc = getattr(p, "VideoEncoderConfiguration", None)
        src = getattr(p, "VideoSourceConfiguration", None)
        token = str(getattr(p, "token", "") or "")
        if enc is None or not token:
            continue
        codec = codec_of(str(getattr(enc, "Encoding", "") or ""))
        if codec is None:
            continue
        res = getattr(enc, "Resolution", None)
        rate = getattr(enc, "RateControl", None)
        uri = await dev.call("media", "GetStreamUri", {
            "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
            "ProfileToken": token,
        })
        stream = StreamProfile(
            uri=strip_userinfo(str(uri.Uri)),
            width=int(_num(getattr(res, "Width", 0))),
            height=int(_num(getattr(res, "Height", 0))),
            fps=_num(getattr(rate, "FrameRateLimit", 0)),
            codec=codec,
            profile_token=token,
        )
        profiles.append(MediaProfile(
            token=token, name=str(getattr(p, "Name", "") or token), stream=stream,
            video_source_token=str(getattr(src, "SourceToken", "") or ""),
            ptz=getattr(p, "PTZConfiguration", None) is not None,
        ))
        try:
            snap = await dev.call("media", "GetSnapshotUri", {"ProfileToken": token})
            snapshots[token] = strip_userinfo(str(snap.Uri or ""))
        except ProtocolError:
            raise
        except CamdeskError as exc:  # many cameras have no snapshot for some profiles: not fatal
            log.debug("no snapshot URI for profile %s: %s", token, exc)
    return profiles, snapshots


async def _media2_profiles(dev: OnvifDevice) -> tuple[list[MediaProfile], dict[str, str]]:
    reply = await dev.soap("media2", f'<tr2:GetProfiles xmlns:tr2="{_TR2}"><tr2:Type>All</tr2:Type>'
                           "</tr2:GetProfiles>", f"{_TR2}/GetProfiles")
    profiles: list[MediaProfile] = []
    snapshots: dict[str, str] = {}
    for p in soap.children(reply, "Profiles"):
        token = p.get("token", "")
        conf = soap.child(p, "Configurations")
        enc = soap.child(conf, "VideoEncoder")
        if not token or enc is None:
            continue
        codec = codec_of(soap.text(enc, "Encoding"))
        if codec is None:
            continue
        uri_reply = await dev.soap(
            "media2",
            f'<tr2:GetStreamUri xmlns:tr2="{_TR2}"><tr2:Protocol>RTSP</tr2:Protocol>'
            f"<tr2:ProfileToken>{soap.escape(token)}</tr2:ProfileToken></tr2:GetStreamUri>",
            f"{_TR2}/GetStreamUri",
        )
        uri = soap.text(uri_reply, "Uri")
        if not uri:
            raise ProtocolError("Media2 GetStreamUri without Uri")
        stream = StreamProfile(
            uri=strip_userinfo(uri),
            width=int(_num(soap.text(enc, "Resolution", "Width"))),
            height=int(_num(soap.text(enc, "Resolution", "Height"))),
            fps=_num(soap.text(enc, "RateControl", "FrameRateLimit")),
            codec=codec,
            profile_token=token,
        )
        profiles.append(MediaProfile(
            token=token, name=soap.text(p, "Name") or token, stream=stream,
            video_source_token=soap.text(conf, "VideoSource", "SourceToken"),
            ptz=soap.child(conf, "PTZ") is not None,
        ))
        try:
            snap = await dev.soap(
                "media2",
                f'<tr2:GetSnapshotUri xmlns:tr2="{_TR2}"><tr2:ProfileToken>{soap.escape(token)}'
                "</tr2:ProfileToken></tr2:GetSnapshotUri>",
                f"{_TR2}/GetSnapshotUri",
            )
            snapshots[token] = strip_userinfo(soap.text(snap, "Uri"))
        except ProtocolError:
            raise
        except CamdeskError as exc:
            log.debug("no Media2 snapshot URI for profile %s: %s", token, exc)
    return profiles, snapshots


async def read_ptz_capabilities(dev: OnvifDevice) -> PtzCapabilities:
    """The first PTZ node's spaces; an empty capability set when the device has no PTZ service."""
    if not dev.offers("ptz"):
        return PtzCapabilities()
    nodes = await dev.call("ptz", "GetNodes")
    if not nodes:
        return PtzCapabilities()
    node = nodes[0]
    spaces = getattr(node, "SupportedPTZSpaces", None)

    def has(name: str) -> bool:
        return bool(getattr(spaces, name, None)) if spaces is not None else False

    max_presets = int(_num(getattr(node, "MaximumNumberOfPresets", 0)))
    return PtzCapabilities(
        continuous=has("ContinuousPanTiltVelocitySpace"),
        zoom=has("ContinuousZoomVelocitySpace") or has("AbsoluteZoomPositionSpace"),
        absolute=has("AbsolutePanTiltPositionSpace"),
        relative=has("RelativePanTiltTranslationSpace"),
        presets=max_presets > 0,
        max_presets=max_presets,
        home=bool(getattr(node, "HomeSupported", False)),
    )


async def read_device_info(dev: OnvifDevice) -> DeviceInfo:
    info = await dev.call("devicemgmt", "GetDeviceInformation")
    return DeviceInfo(
        manufacturer=str(getattr(info, "Manufacturer", "") or ""),
        model=str(getattr(info, "Model", "") or ""),
        firmware=str(getattr(info, "FirmwareVersion", "") or ""),
        serial=str(getattr(info, "SerialNumber", "") or ""),
        hardware_id=str(getattr(info, "HardwareId", "") or ""),
    )


async def probe(dev: OnvifDevice) -> DeviceProbe:
    """Everything the add-camera dialog shows, from a connected device."""
    info = await read_device_info(dev)
    media = MediaVersion.MEDIA1
    profiles: list[MediaProfile] = []
    snapshots: dict[str, str] = {}
    if dev.offers("media2"):
        try:
            profiles, snapshots = await _media2_profiles(dev)
            media = MediaVersion.MEDIA2
        except HostileReply:
            raise
        except CamdeskError as exc:
            if not dev.offers("media"):
                raise
            log.info("%s: Media2 failed (%s); using Media1", scrub(dev.device_url), exc)
            profiles = []
    if not profiles and dev.offers("media"):
        profiles, snapshots = await _media1_profiles(dev)
        media = MediaVersion.MEDIA1
    ptz = await read_ptz_capabilities(dev)
    channels = group_channels(profiles, snapshots, ptz)
    return DeviceProbe(
        device_url=dev.device_url, info=info, media=media, channels=channels,
        events=dev.offers("events"), time_offset_s=dev.time_offset_s,
    )

"""ONVIF Media service (ver10 media/wsdl): a main and a sub profile per channel (a camera has one, the
virtual recorder one per cluster camera), their stream and snapshot URIs, and the video sources.

H.265 cameras report ``H265`` as the encoding here, as many real cameras do although the ver10 schema
only lists JPEG/MPEG4/H264; Media2 (:mod:`.media2_service`) is the proper place for it.
"""

from __future__ import annotations

from camdesk.sim.onvif import ptz_service
from camdesk.sim.onvif.context import Call, Channel, ProfileRef
from camdesk.sim.onvif.soap import SoapFault, action_not_supported, text, x

STREAM_URI_TIMEOUT = "PT60S"


def video_source_configuration(channel: Channel, element: str = "tt:VideoSourceConfiguration") -> str:
    main = channel.cam.spec.main
    return (
        f'<{element} token="{channel.source_config_token}"><tt:Name>VideoSourceConfig</tt:Name>'
        f"<tt:UseCount>2</tt:UseCount><tt:SourceToken>{channel.source_token}</tt:SourceToken>"
        f'<tt:Bounds x="0" y="0" width="{main.width}" height="{main.height}"/></{element}>'
    )


def _encoder_configuration(ref: ProfileRef) -> str:
    spec = ref.channel.cam.spec
    res = ref.resolution
    encoding = "H265" if spec.codec == "h265" else "H264"
    gov = max(1, round(spec.gop_seconds * res.fps))
    bitrate = 4096 if ref.stream == "main" else 1024
    h264 = (
        f"<tt:H264><tt:GovLength>{gov}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>"
        if encoding == "H264" else ""
    )
    suffix = f"{ref.stream}_{ref.channel.number}" if ref.channel.recorder else ref.stream
    return (
        f'<tt:VideoEncoderConfiguration token="VideoEncoder_{suffix}">'
        f"<tt:Name>{ref.stream}</tt:Name><tt:UseCount>1</tt:UseCount>"
        f"<tt:Encoding>{encoding}</tt:Encoding><tt:Resolution><tt:Width>{res.width}</tt:Width>"
        f"<tt:Height>{res.height}</tt:Height></tt:Resolution><tt:Quality>4</tt:Quality>"
        f"<tt:RateControl><tt:FrameRateLimit>{res.fps}</tt:FrameRateLimit><tt:EncodingInterval>1"
        f"</tt:EncodingInterval><tt:BitrateLimit>{bitrate}</tt:BitrateLimit></tt:RateControl>{h264}"
        "<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address>"
        "<tt:Port>0</tt:Port><tt:TTL>0</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
        "<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>"
    )


def profile_name(ref: ProfileRef) -> str:
    """``main``/``sub`` on a camera; ``Channel 2 main`` on a recorder."""
    return f"Channel {ref.channel.number} {ref.stream}" if ref.channel.recorder else ref.stream


def _profile(ref: ProfileRef, element: str = "trt:Profiles") -> str:
    ptz = ptz_service.configuration(ref.channel, "tt:PTZConfiguration") if ref.channel.cam.spec.ptz else ""
    return (
        f'<{element} token="{ref.token}" fixed="true"><tt:Name>{x(profile_name(ref))}</tt:Name>'
        f"{video_source_configuration(ref.channel)}{_encoder_configuration(ref)}{ptz}</{element}>"
    )


def media_uri(uri: str) -> str:
    return (
        f"<trt:MediaUri><tt:Uri>{x(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
        f"<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>{STREAM_URI_TIMEOUT}</tt:Timeout>"
        "</trt:MediaUri>"
    )


def handle(call: Call) -> str:
    op = call.request.name
    req = call.request.operation
    if op == "GetProfiles":
        profiles = "".join(_profile(ref) for ref in call.profiles())
        return f"<trt:GetProfilesResponse>{profiles}</trt:GetProfilesResponse>"
    if op == "GetProfile":
        ref = call.profile(text(req, "ProfileToken"))
        return f"<trt:GetProfileResponse>{_profile(ref, 'trt:Profile')}</trt:GetProfileResponse>"
    if op == "GetStreamUri":
        ref = call.profile(text(req, "ProfileToken"))
        protocol = text(req, "StreamSetup", "Transport", "Protocol") or "RTSP"
        if protocol not in ("RTSP", "TCP", "UDP"):
            raise SoapFault("Sender", ("ter:InvalidArgVal", "ter:InvalidStreamSetup"),
                            f"Transport {protocol} is not supported")
        uri = call.rtsp_uri(ref.channel.cam, ref.stream)
        return f"<trt:GetStreamUriResponse>{media_uri(uri)}</trt:GetStreamUriResponse>"
    if op == "GetSnapshotUri":
        ref = call.profile(text(req, "ProfileToken"))
        return f"<trt:GetSnapshotUriResponse>{media_uri(call.snapshot_url(ref.channel))}</trt:GetSnapshotUriResponse>"
    if op == "GetVideoSources":
        sources = "".join(
            f'<trt:VideoSources token="{ch.source_token}"><tt:Framerate>{ch.cam.spec.main.fps}</tt:Framerate>'
            f"<tt:Resolution><tt:Width>{ch.cam.spec.main.width}</tt:Width>"
            f"<tt:Height>{ch.cam.spec.main.height}</tt:Height></tt:Resolution></trt:VideoSources>"
            for ch in call.channel_list()
        )
        return f"<trt:GetVideoSourcesResponse>{sources}</trt:GetVideoSourcesResponse>"
    if op == "GetVideoSourceConfigurations":
        configs = "".join(video_source_configuration(ch, "trt:Configurations") for ch in call.channel_list())
        return f"<trt:GetVideoSourceConfigurationsResponse>{configs}</trt:GetVideoSourceConfigurationsResponse>"
    raise action_not_supported(op)

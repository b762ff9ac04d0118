"""ONVIF Media2 service (ver20 media/wsdl): GetProfiles and GetStreamUri, where H.265 is described
properly (``Encoding`` is a free string there)."""

from __future__ import annotations

from camdesk.sim.onvif import ptz_service
from camdesk.sim.onvif.context import Call, ProfileRef
from camdesk.sim.onvif.media_service import profile_name, video_source_configuration
from camdesk.sim.onvif.soap import action_not_supported, text, x


def _profile(ref: ProfileRef) -> str:
    spec = ref.channel.cam.spec
    res = ref.resolution
    encoding = "H265" if spec.codec == "h265" else "H264"
    gov = max(1, round(spec.gop_seconds * res.fps))
    ptz = ptz_service.configuration(ref.channel, "tr2:PTZ") if spec.ptz else ""
    suffix = f"{ref.stream}_{ref.channel.number}" if ref.channel.recorder else ref.stream
    return (
        f'<tr2:Profiles token="{ref.token}" fixed="true"><tr2:Name>{x(profile_name(ref))}</tr2:Name>'
        f"<tr2:Configurations>{video_source_configuration(ref.channel, 'tr2:VideoSource')}"
        f'<tr2:VideoEncoder token="VideoEncoder_{suffix}" GovLength="{gov}" Profile="Main">'
        f"<tt:Name>{ref.stream}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>{encoding}</tt:Encoding>"
        f"<tt:Resolution><tt:Width>{res.width}</tt:Width><tt:Height>{res.height}</tt:Height></tt:Resolution>"
        f'<tt:RateControl ConstantBitRate="false"><tt:FrameRateLimit>{res.fps}</tt:FrameRateLimit>'
        f"<tt:BitrateLimit>{4096 if ref.stream == 'main' else 1024}</tt:BitrateLimit></tt:RateControl>"
        "<tt:Quality>4</tt:Quality></tr2:VideoEncoder>"
        f"{ptz}</tr2:Configurations></tr2:Profiles>"
    )


def handle(call: Call) -> str:
    op = call.request.name
    req = call.request.operation
    if op == "GetProfiles":
        wanted = text(req, "Token")
        refs = [call.profile(wanted)] if wanted else call.profiles()
        return f"<tr2:GetProfilesResponse>{''.join(_profile(r) for r in refs)}</tr2:GetProfilesResponse>"
    if op == "GetStreamUri":
        ref = call.profile(text(req, "ProfileToken"))
        uri = call.rtsp_uri(ref.channel.cam, ref.stream)
        return f"<tr2:GetStreamUriResponse><tr2:Uri>{x(uri)}</tr2:Uri></tr2:GetStreamUriResponse>"
    if op == "GetSnapshotUri":
        ref = call.profile(text(req, "ProfileToken"))
        return f"<tr2:GetSnapshotUriResponse><tr2:Uri>{x(call.snapshot_url(ref.channel))}</tr2:Uri></tr2:GetSnapshotUriResponse>"
    raise action_not_supported(op)

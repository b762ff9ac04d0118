"""ONVIF Media2 service (ver20 media/wsdl): GetProfiles and GetStreamUri, where H.265 is described
properly (``Encoding`` is a free string there)."""

from __future__ import annotations

from camdesk.sim.onvif import ptz_service
from camdesk.sim.onvif.context import MAIN, PROFILE_STREAMS, SUB, Call
from camdesk.sim.onvif.media_service import check_profile, profile_resolution, video_source_configuration
from camdesk.sim.onvif.soap import action_not_supported, text, x


def _profile(call: Call, token: str) -> str:
    spec = call.cam.spec
    res = profile_resolution(call, token)
    encoding = "H265" if spec.codec == "h265" else "H264"
    gov = max(1, round(spec.gop_seconds * res.fps))
    ptz = ptz_service.configuration(call, "tr2:PTZ") if spec.ptz else ""
    return (
        f'<tr2:Profiles token="{token}" fixed="true"><tr2:Name>{PROFILE_STREAMS[token]}</tr2:Name>'
        f"<tr2:Configurations>{video_source_configuration(call, 'tr2:VideoSource')}"
        f'<tr2:VideoEncoder token="VideoEncoder_{PROFILE_STREAMS[token]}" GovLength="{gov}" Profile="Main">'
        f"<tt:Name>{PROFILE_STREAMS[token]}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>{encoding}</tt:Encoding>"
        f"<tt:Resolution><tt:Width>{res.width}</tt:Width><tt:Height>{res.height}</tt:Height></tt:Resolution>"
        f'<tt:RateControl ConstantBitRate="false"><tt:FrameRateLimit>{res.fps}</tt:FrameRateLimit>'
        f"<tt:BitrateLimit>{4096 if token == MAIN else 1024}</tt:BitrateLimit></tt:RateControl>"
        "<tt:Quality>4</tt:Quality></tr2:VideoEncoder>"
        f"{ptz}</tr2:Configurations></tr2:Profiles>"
    )


def handle(call: Call) -> str:
    op = call.request.name
    req = call.request.operation
    if op == "GetProfiles":
        wanted = text(req, "Token")
        tokens = [check_profile(wanted)] if wanted else [MAIN, SUB]
        return f"<tr2:GetProfilesResponse>{''.join(_profile(call, t) for t in tokens)}</tr2:GetProfilesResponse>"
    if op == "GetStreamUri":
        token = check_profile(text(req, "ProfileToken"))
        uri = call.rtsp_uri(call.cam, PROFILE_STREAMS[token])
        return f"<tr2:GetStreamUriResponse><tr2:Uri>{x(uri)}</tr2:Uri></tr2:GetStreamUriResponse>"
    if op == "GetSnapshotUri":
        check_profile(text(req, "ProfileToken"))
        return f"<tr2:GetSnapshotUriResponse><tr2:Uri>{x(call.base_url)}/snapshot.jpg</tr2:Uri></tr2:GetSnapshotUriResponse>"
    raise action_not_supported(op)

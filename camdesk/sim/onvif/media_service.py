"""ONVIF Media service (ver10 media/wsdl): a main and a sub profile per camera, their stream and
snapshot URIs, and the video source.

H.265 cameras report ``H265`` as the encoding here, as many real cameras do although the ver10 schema
only lists JPEG/MPEG4/H264; Media2 (:mod:`.media2_service`) is the proper place for it.
"""

from __future__ import annotations

from camdesk.sim.onvif import ptz_service
from camdesk.sim.onvif.context import MAIN, PROFILE_STREAMS, SUB, VIDEO_SOURCE, VIDEO_SOURCE_CONFIG, Call
from camdesk.sim.onvif.soap import SoapFault, action_not_supported, text, x
from camdesk.sim.spec import Resolution

STREAM_URI_TIMEOUT = "PT60S"


def profile_resolution(call: Call, token: str) -> Resolution:
    spec = call.cam.spec
    return spec.main if token == MAIN else spec.sub


def check_profile(token: str) -> str:
    if token not in PROFILE_STREAMS:
        raise SoapFault("Sender", ("ter:InvalidArgVal", "ter:NoProfile"), "The profile does not exist")
    return token


def video_source_configuration(call: Call, element: str = "tt:VideoSourceConfiguration") -> str:
    main = call.cam.spec.main
    return (
        f'<{element} token="{VIDEO_SOURCE_CONFIG}"><tt:Name>VideoSourceConfig</tt:Name>'
        f"<tt:UseCount>2</tt:UseCount><tt:SourceToken>{VIDEO_SOURCE}</tt:SourceToken>"
        f'<tt:Bounds x="0" y="0" width="{main.width}" height="{main.height}"/></{element}>'
    )


def _encoder_configuration(call: Call, token: str) -> str:
    spec = call.cam.spec
    res = profile_resolution(call, token)
    encoding = "H265" if spec.codec == "h265" else "H264"
    gov = max(1, round(spec.gop_seconds * res.fps))
    bitrate = 4096 if token == MAIN else 1024
    h264 = (
        f"<tt:H264><tt:GovLength>{gov}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>"
        if encoding == "H264" else ""
    )
    return (
        f'<tt:VideoEncoderConfiguration token="VideoEncoder_{PROFILE_STREAMS[token]}">'
        f"<tt:Name>{PROFILE_STREAMS[token]}</tt:Name><tt:UseCount>1</tt:UseCount>"
        f"<tt:Encoding>{encoding}</tt:Encoding><tt:Resolution><tt:Width>{res.width}</tt:Width>"
        f"<tt:Height>{res.height}</tt:Height></tt:Resolution><tt:Quality>4</tt:Quality>"
        f"<tt:RateControl><tt:FrameRateLimit>{res.fps}</tt:FrameRateLimit><tt:EncodingInterval>1"
        f"</tt:EncodingInterval><tt:BitrateLimit>{bitrate}</tt:BitrateLimit></tt:RateControl>{h264}"
        "<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address>"
        "<tt:Port>0</tt:Port><tt:TTL>0</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
        "<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>"
    )


def _profile(call: Call, token: str, element: str = "trt:Profiles") -> str:
    ptz = ptz_service.configuration(call, "tt:PTZConfiguration") if call.cam.spec.ptz else ""
    return (
        f'<{element} token="{token}" fixed="true"><tt:Name>{PROFILE_STREAMS[token]}</tt:Name>'
        f"{video_source_configuration(call)}{_encoder_configuration(call, token)}{ptz}</{element}>"
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
        profiles = "".join(_profile(call, t) for t in (MAIN, SUB))
        return f"<trt:GetProfilesResponse>{profiles}</trt:GetProfilesResponse>"
    if op == "GetProfile":
        token = check_profile(text(req, "ProfileToken"))
        return f"<trt:GetProfileResponse>{_profile(call, token, 'trt:Profile')}</trt:GetProfileResponse>"
    if op == "GetStreamUri":
        token = check_profile(text(req, "ProfileToken"))
        protocol = text(req, "StreamSetup", "Transport", "Protocol") or "RTSP"
        if protocol not in ("RTSP", "TCP", "UDP"):
            raise SoapFault("Sender", ("ter:InvalidArgVal", "ter:InvalidStreamSetup"),
                            f"Transport {protocol} is not supported")
        uri = call.rtsp_uri(call.cam, PROFILE_STREAMS[token])
        return f"<trt:GetStreamUriResponse>{media_uri(uri)}</trt:GetStreamUriResponse>"
    if op == "GetSnapshotUri":
        check_profile(text(req, "ProfileToken"))
        return f"<trt:GetSnapshotUriResponse>{media_uri(call.base_url + '/snapshot.jpg')}</trt:GetSnapshotUriResponse>"
    if op == "GetVideoSources":
        main = call.cam.spec.main
        return (
            f'<trt:GetVideoSourcesResponse><trt:VideoSources token="{VIDEO_SOURCE}">'
            f"<tt:Framerate>{main.fps}</tt:Framerate><tt:Resolution><tt:Width>{main.width}</tt:Width>"
            f"<tt:Height>{main.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>"
        )
    if op == "GetVideoSourceConfigurations":
        return (
            "<trt:GetVideoSourceConfigurationsResponse>"
            f"{video_source_configuration(call, 'trt:Configurations')}</trt:GetVideoSourceConfigurationsResponse>"
        )
    raise action_not_supported(op)


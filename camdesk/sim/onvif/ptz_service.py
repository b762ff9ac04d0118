"""ONVIF PTZ service (ver20 ptz/wsdl), driving :class:`camdesk.sim.ptz.PtzState` in ONVIF's generic
spaces (pan/tilt -1..1, zoom 0..1). Speeds in requests are accepted and ignored: the state moves at its
own fixed speed, which is what the renderer shows.

On the virtual recorder each PTZ channel has its own node and configuration (``PTZNode_{n}``,
``PTZConfig_{n}``) and a request's ProfileToken picks the channel camera that moves, as on real NVRs."""

from __future__ import annotations

from camdesk.sim.onvif.context import Call, Channel
from camdesk.sim.onvif.soap import (
    SoapFault,
    action_not_supported,
    child,
    iso,
    number,
    parse_duration,
    text,
    x,
    xa,
)
from camdesk.sim.ptz import PtzPosition, PtzState

_SPACE = "http://www.onvif.org/ver10/tptz/"
ABS_PT = _SPACE + "PanTiltSpaces/PositionGenericSpace"
ABS_Z = _SPACE + "ZoomSpaces/PositionGenericSpace"
REL_PT = _SPACE + "PanTiltSpaces/TranslationGenericSpace"
REL_Z = _SPACE + "ZoomSpaces/TranslationGenericSpace"
VEL_PT = _SPACE + "PanTiltSpaces/VelocityGenericSpace"
VEL_Z = _SPACE + "ZoomSpaces/VelocityGenericSpace"
SPEED_PT = _SPACE + "PanTiltSpaces/GenericSpeedSpace"
SPEED_Z = _SPACE + "ZoomSpaces/ZoomGenericSpeedSpace"
MAX_PRESETS = 100
DEFAULT_TIMEOUT = "PT10S"
MAX_TIMEOUT_SECONDS = 60.0


def _range(lo: float, hi: float) -> str:
    return f"<tt:Min>{lo:g}</tt:Min><tt:Max>{hi:g}</tt:Max>"


def _space2d(element: str, uri: str, lo: float = -1.0, hi: float = 1.0) -> str:
    return (f"<tt:{element}><tt:URI>{uri}</tt:URI><tt:XRange>{_range(lo, hi)}</tt:XRange>"
            f"<tt:YRange>{_range(lo, hi)}</tt:YRange></tt:{element}>")


def _space1d(element: str, uri: str, lo: float, hi: float) -> str:
    return f"<tt:{element}><tt:URI>{uri}</tt:URI><tt:XRange>{_range(lo, hi)}</tt:XRange></tt:{element}>"


def _spaces() -> str:
    return (
        _space2d("AbsolutePanTiltPositionSpace", ABS_PT) + _space1d("AbsoluteZoomPositionSpace", ABS_Z, 0, 1)
        + _space2d("RelativePanTiltTranslationSpace", REL_PT)
        + _space1d("RelativeZoomTranslationSpace", REL_Z, -1, 1)
        + _space2d("ContinuousPanTiltVelocitySpace", VEL_PT)
        + _space1d("ContinuousZoomVelocitySpace", VEL_Z, -1, 1)
        + _space1d("PanTiltSpeedSpace", SPEED_PT, 0, 1) + _space1d("ZoomSpeedSpace", SPEED_Z, 0, 1)
    )


def configuration(channel: Channel, element: str) -> str:
    """A channel's PTZConfiguration (also embedded in its media profiles)."""
    return (
        f'<{element} token="{channel.ptz_config}"><tt:Name>PTZ</tt:Name><tt:UseCount>2</tt:UseCount>'
        f"<tt:NodeToken>{channel.ptz_node}</tt:NodeToken>"
        f"<tt:DefaultAbsolutePantTiltPositionSpace>{ABS_PT}</tt:DefaultAbsolutePantTiltPositionSpace>"
        f"<tt:DefaultAbsoluteZoomPositionSpace>{ABS_Z}</tt:DefaultAbsoluteZoomPositionSpace>"
        f"<tt:DefaultRelativePanTiltTranslationSpace>{REL_PT}</tt:DefaultRelativePanTiltTranslationSpace>"
        f"<tt:DefaultRelativeZoomTranslationSpace>{REL_Z}</tt:DefaultRelativeZoomTranslationSpace>"
        f"<tt:DefaultContinuousPanTiltVelocitySpace>{VEL_PT}</tt:DefaultContinuousPanTiltVelocitySpace>"
        f"<tt:DefaultContinuousZoomVelocitySpace>{VEL_Z}</tt:DefaultContinuousZoomVelocitySpace>"
        f'<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="{SPEED_PT}"/><tt:Zoom x="1" space="{SPEED_Z}"/>'
        f"</tt:DefaultPTZSpeed><tt:DefaultPTZTimeout>{DEFAULT_TIMEOUT}</tt:DefaultPTZTimeout>"
        f"<tt:PanTiltLimits><tt:Range><tt:URI>{ABS_PT}</tt:URI><tt:XRange>{_range(-1, 1)}</tt:XRange>"
        f"<tt:YRange>{_range(-1, 1)}</tt:YRange></tt:Range></tt:PanTiltLimits>"
        f"<tt:ZoomLimits><tt:Range><tt:URI>{ABS_Z}</tt:URI><tt:XRange>{_range(0, 1)}</tt:XRange></tt:Range>"
        f"</tt:ZoomLimits></{element}>"
    )


def _position(pos: PtzPosition, element: str = "tt:Position") -> str:
    return (f'<{element}><tt:PanTilt x="{pos.pan:.4f}" y="{pos.tilt:.4f}" space="{ABS_PT}"/>'
            f'<tt:Zoom x="{pos.zoom:.4f}" space="{ABS_Z}"/></{element}>')


def _vector(call: Call, *path: str) -> tuple[float | None, float | None, float | None]:
    """(pan, tilt, zoom) from a PTZVector/PTZSpeed element; None where the request leaves one out."""
    el = child(call.request.operation, *path)
    pan_tilt, zoom = child(el, "PanTilt"), child(el, "Zoom")
    return (
        number(pan_tilt.get("x"), 0.0) if pan_tilt is not None else None,
        number(pan_tilt.get("y"), 0.0) if pan_tilt is not None else None,
        number(zoom.get("x"), 0.0) if zoom is not None else None,
    )


def _ptz_of_profile(call: Call) -> PtzState:
    """The PTZ state of the channel whose profile the request names (NoProfile / NoPTZProfile faults)."""
    ref = call.profile(text(call.request.operation, "ProfileToken"))
    if not ref.channel.cam.spec.ptz:
        raise SoapFault("Sender", ("ter:InvalidArgVal", "ter:NoPTZProfile"), "The profile has no PTZ configuration")
    return ref.channel.cam.ptz


def _ptz_channels(call: Call) -> list[Channel]:
    return [ch for ch in call.channel_list() if ch.cam.spec.ptz]


def _preset_token(call: Call, ptz: PtzState) -> str:
    token = text(call.request.operation, "PresetToken")
    if token not in ptz.presets:
        raise SoapFault("Sender", ("ter:InvalidArgVal", "ter:NoToken"), "The preset does not exist")
    return token


def _node(channel: Channel) -> str:
    return (
        f'<tptz:PTZNode token="{channel.ptz_node}" FixedHomePosition="false"><tt:Name>PTZ</tt:Name>'
        f"<tt:SupportedPTZSpaces>{_spaces()}</tt:SupportedPTZSpaces>"
        f"<tt:MaximumNumberOfPresets>{MAX_PRESETS}</tt:MaximumNumberOfPresets>"
        "<tt:HomeSupported>true</tt:HomeSupported></tptz:PTZNode>"
    )


def handle(call: Call) -> str:
    op = call.request.name
    req = call.request.operation
    if not call.cam.spec.ptz:
        raise SoapFault("Receiver", ("ter:ActionNotSupported", "ter:PTZNotSupported"), "PTZ is not supported", 500)
    channels = _ptz_channels(call)
    if op == "GetNodes":
        return f"<tptz:GetNodesResponse>{''.join(_node(ch) for ch in channels)}</tptz:GetNodesResponse>"
    if op == "GetNode":
        node = next((ch for ch in channels if ch.ptz_node == text(req, "NodeToken")), None)
        if node is None:
            raise SoapFault("Sender", ("ter:InvalidArgVal", "ter:NoEntity"), "No such PTZ node")
        return f"<tptz:GetNodeResponse>{_node(node)}</tptz:GetNodeResponse>"
    if op == "GetConfigurations":
        configs = "".join(configuration(ch, "tptz:PTZConfiguration") for ch in channels)
        return f"<tptz:GetConfigurationsResponse>{configs}</tptz:GetConfigurationsResponse>"
    if op == "GetConfiguration":
        wanted = text(req, "PTZConfigurationToken")
        # A camera has one configuration and answers with it whatever the token (kept from before NVRs).
        config = next((ch for ch in channels if ch.ptz_config == wanted), None if call.recorder else channels[0])
        if config is None:
            raise SoapFault("Sender", ("ter:InvalidArgVal", "ter:NoConfig"), "No such PTZ configuration")
        return (f"<tptz:GetConfigurationResponse>{configuration(config, 'tptz:PTZConfiguration')}"
                "</tptz:GetConfigurationResponse>")
    if op == "GetConfigurationOptions":
        return (
            "<tptz:GetConfigurationOptionsResponse><tptz:PTZConfigurationOptions>"
            f"<tt:Spaces>{_spaces()}</tt:Spaces><tt:PTZTimeout><tt:Min>PT1S</tt:Min><tt:Max>PT60S</tt:Max>"
            "</tt:PTZTimeout></tptz:PTZConfigurationOptions></tptz:GetConfigurationOptionsResponse>"
        )
    if op == "GetStatus":
        ptz = _ptz_of_profile(call)
        moving = "MOVING" if ptz.moving() else "IDLE"
        return (
            f"<tptz:GetStatusResponse><tptz:PTZStatus>{_position(ptz.position())}"
            f"<tt:MoveStatus><tt:PanTilt>{moving}</tt:PanTilt><tt:Zoom>{moving}</tt:Zoom></tt:MoveStatus>"
            f"<tt:UtcTime>{iso(call.cam.faults.camera_time())}</tt:UtcTime></tptz:PTZStatus>"
            "</tptz:GetStatusResponse>"
        )
    if op == "ContinuousMove":
        ptz = _ptz_of_profile(call)
        pan, tilt, zoom = _vector(call, "Velocity")
        timeout_text = text(req, "Timeout")
        timeout = parse_duration(timeout_text) if timeout_text else parse_duration(DEFAULT_TIMEOUT)
        ptz.continuous_move(pan or 0.0, tilt or 0.0, zoom or 0.0,
                            timeout=min(max(timeout, 0.0), MAX_TIMEOUT_SECONDS) or None)
        return "<tptz:ContinuousMoveResponse/>"
    if op == "Stop":
        ptz = _ptz_of_profile(call)
        ptz.stop()
        return "<tptz:StopResponse/>"
    if op == "AbsoluteMove":
        ptz = _ptz_of_profile(call)
        pan, tilt, zoom = _vector(call, "Position")
        here = ptz.position()
        ptz.absolute_move(here.pan if pan is None else pan, here.tilt if tilt is None else tilt,
                          here.zoom if zoom is None else zoom)
        return "<tptz:AbsoluteMoveResponse/>"
    if op == "RelativeMove":
        ptz = _ptz_of_profile(call)
        pan, tilt, zoom = _vector(call, "Translation")
        ptz.relative_move(pan or 0.0, tilt or 0.0, zoom or 0.0)
        return "<tptz:RelativeMoveResponse/>"
    if op == "GetPresets":
        ptz = _ptz_of_profile(call)
        presets = "".join(
            f"<tptz:Preset token={xa(token)}><tt:Name>{x(name)}</tt:Name>{_position(pos, 'tt:PTZPosition')}"
            "</tptz:Preset>"
            for token, (name, pos) in sorted(ptz.presets.items(), key=lambda kv: kv[0])
        )
        return f"<tptz:GetPresetsResponse>{presets}</tptz:GetPresetsResponse>"
    if op == "SetPreset":
        ptz = _ptz_of_profile(call)
        token = text(req, "PresetToken") or None
        if token is not None and token not in ptz.presets:
            raise SoapFault("Sender", ("ter:InvalidArgVal", "ter:NoToken"), "The preset does not exist")
        if token is None and len(ptz.presets) >= MAX_PRESETS:
            raise SoapFault("Receiver", ("ter:Action", "ter:TooManyPresets"), "No room for another preset", 500)
        new_token = ptz.set_preset(text(req, "PresetName"), token)
        return f"<tptz:SetPresetResponse><tptz:PresetToken>{x(new_token)}</tptz:PresetToken></tptz:SetPresetResponse>"
    if op == "RemovePreset":
        ptz = _ptz_of_profile(call)
        ptz.remove_preset(_preset_token(call, ptz))
        return "<tptz:RemovePresetResponse/>"
    if op == "GotoPreset":
        ptz = _ptz_of_profile(call)
        ptz.goto_preset(_preset_token(call, ptz))
        return "<tptz:GotoPresetResponse/>"
    if op == "GotoHomePosition":
        ptz = _ptz_of_profile(call)
        ptz.goto_home()
        return "<tptz:GotoHomePositionResponse/>"
    if op == "SetHomePosition":
        ptz = _ptz_of_profile(call)
        ptz.set_home()
        return "<tptz:SetHomePositionResponse/>"
    raise action_not_supported(op)


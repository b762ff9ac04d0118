"""Interop: the independent ONVIF client onvif-zeep-async (the library Home Assistant uses) performs
every operation the virtual camera offers, over real HTTP on loopback, with WS-UsernameToken digests,
also against cameras whose clock is two hours off."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator

import cv2
import numpy as np
import pytest
import zeep.exceptions as zeep_exceptions
from onvif import ONVIFCamera  # a project dependency: never skipped

from camdesk.sim.onvif import OnvifHandle, start_onvif
from camdesk.sim.scene import Scene
from camdesk.sim.spec import CameraSpec, Resolution, SimCamera
from tests.sim_onvif_support import SimCameraClient

logging.getLogger("onvif").setLevel(logging.WARNING)
pytestmark = pytest.mark.timeout(120)
USER, PASSWORD = "admin", "s3cret-pw"
CALL_TIMEOUT = 20.0  # seconds for any one scenario against loopback


def _rtsp_uri(cam: SimCamera, stream: str) -> str:
    return f"rtsp://127.0.0.1:8554/{cam.spec.slug}/{stream}"


@pytest.fixture(scope="module")
def sim() -> Iterator[tuple[OnvifHandle, list[SimCamera]]]:
    cams = [
        SimCamera(CameraSpec(index=0, name="Cong truong", username=USER, password=PASSWORD)),
        SimCamera(CameraSpec(index=1, name="Nga tu PTZ", username=USER, password=PASSWORD, ptz=True,
                             codec="h265", main=Resolution(1280, 720, 25), location="phuong/1")),
    ]
    # A short motion period, so a change of motion state arrives within a couple of seconds.
    scenes = {c.spec.index: Scene(c.spec, period=2.0) for c in cams}
    handle = start_onvif(cams, "127.0.0.1", 0, _rtsp_uri, scenes)
    yield handle, cams
    handle.stop()


def run(coro: object) -> object:
    return asyncio.run(asyncio.wait_for(coro, CALL_TIMEOUT))  # type: ignore[arg-type]


def client(handle: OnvifHandle, cam: SimCamera, password: str = PASSWORD, adjust_time: bool = False) -> ONVIFCamera:
    return SimCameraClient(handle.device_url(cam), "127.0.0.1", handle.port, USER, password,
                           adjust_time=adjust_time)


async def exercise_device(c: ONVIFCamera, cam: SimCamera) -> None:
    await c.update_xaddrs()
    device = await c.create_devicemgmt_service()
    info = await device.GetDeviceInformation()
    assert info.Manufacturer == cam.spec.manufacturer and info.Model == cam.spec.model
    assert info.SerialNumber.startswith("SIM")
    caps = await device.GetCapabilities({"Category": "All"})
    assert caps.Media.XAddr.endswith(f"/onvif/{cam.spec.slug}/media_service")
    assert caps.Events.WSPullPointSupport is True
    assert (caps.PTZ is not None) == cam.spec.ptz
    services = await device.GetServices({"IncludeCapability": False})
    namespaces = {s.Namespace for s in services}
    assert "http://www.onvif.org/ver20/media/wsdl" in namespaces
    assert ("http://www.onvif.org/ver20/ptz/wsdl" in namespaces) == cam.spec.ptz
    clock = (await device.GetSystemDateAndTime()).UTCDateTime
    camera_now = dt.datetime(clock.Date.Year, clock.Date.Month, clock.Date.Day, clock.Time.Hour,
                             clock.Time.Minute, clock.Time.Second, tzinfo=dt.UTC)
    assert abs(camera_now.timestamp() - cam.faults.camera_time()) < 5
    scopes = [s.ScopeItem for s in await device.GetScopes()]
    assert "onvif://www.onvif.org/Profile/Streaming" in scopes
    assert any(s.startswith("onvif://www.onvif.org/name/") for s in scopes)
    interfaces = await device.GetNetworkInterfaces()
    assert interfaces[0].Info.HwAddress.startswith("02:")
    assert (await device.GetHostname()).Name == f"camdesk-sim-{cam.spec.slug}"


async def exercise_media(c: ONVIFCamera, cam: SimCamera) -> None:
    media = await c.create_media_service()
    profiles = await media.GetProfiles()
    assert [p.Name for p in profiles] == ["main", "sub"]
    for profile, res, stream in ((profiles[0], cam.spec.main, "main"), (profiles[1], cam.spec.sub, "sub")):
        encoder = profile.VideoEncoderConfiguration
        assert (encoder.Resolution.Width, encoder.Resolution.Height) == (res.width, res.height)
        assert encoder.RateControl.FrameRateLimit == res.fps
        assert encoder.Encoding == cam.spec.codec.upper()
        assert (profile.PTZConfiguration is not None) == cam.spec.ptz
        uri = await media.GetStreamUri({
            "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
            "ProfileToken": profile.token,
        })
        assert uri.Uri == _rtsp_uri(cam, stream)
    sources = await media.GetVideoSources()
    assert sources[0].Resolution.Width == cam.spec.main.width
    jpeg = await c.get_snapshot(profiles[0].token)  # Digest auth, as the library does it
    assert jpeg is not None
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (cam.spec.main.height, cam.spec.main.width, 3)


async def _wait_for(predicate_coro: object, seconds: float = 8.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate_coro():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.1)
    return False


async def exercise_ptz(c: ONVIFCamera, cam: SimCamera) -> None:
    media = await c.create_media_service()
    token = (await media.GetProfiles())[0].token
    ptz = await c.create_ptz_service()
    nodes = await ptz.GetNodes()
    spaces = nodes[0].SupportedPTZSpaces
    assert spaces.AbsolutePanTiltPositionSpace[0].URI.endswith("PositionGenericSpace")
    configs = await ptz.GetConfigurations()
    options = await ptz.GetConfigurationOptions({"ConfigurationToken": configs[0].token})
    assert options.Spaces.ContinuousPanTiltVelocitySpace[0].XRange.Max == 1.0

    async def position() -> tuple[float, float, float]:
        status = await ptz.GetStatus({"ProfileToken": token})
        return status.Position.PanTilt.x, status.Position.PanTilt.y, status.Position.Zoom.x

    await ptz.AbsoluteMove({"ProfileToken": token, "Position": {"PanTilt": {"x": 0.0, "y": 0.0}, "Zoom": {"x": 0.0}}})
    assert await _wait_for(lambda: _near(position, (0.0, 0.0, 0.0)))
    await ptz.ContinuousMove({"ProfileToken": token, "Velocity": {"PanTilt": {"x": 0.5, "y": 0.0}},
                              "Timeout": dt.timedelta(seconds=5)})
    assert await _wait_for(lambda: _pan_above(position, 0.05)), "ContinuousMove did not pan"
    await ptz.Stop({"ProfileToken": token, "PanTilt": True, "Zoom": True})
    stopped_at = await position()
    await asyncio.sleep(0.3)
    assert abs((await position())[0] - stopped_at[0]) < 0.02, "Stop did not stop"
    await ptz.ContinuousMove({"ProfileToken": token, "Velocity": {"PanTilt": {"x": -1.0, "y": 0.0}},
                              "Timeout": dt.timedelta(seconds=0.2)})  # the camera stops by itself
    await asyncio.sleep(0.5)
    first = await position()
    await asyncio.sleep(0.3)
    assert abs((await position())[0] - first[0]) < 0.02, "ContinuousMove ignored its Timeout"
    await ptz.AbsoluteMove({"ProfileToken": token, "Position": {"PanTilt": {"x": 0.5, "y": -0.25}, "Zoom": {"x": 0.5}}})
    assert await _wait_for(lambda: _near(position, (0.5, -0.25, 0.5)))
    await ptz.RelativeMove({"ProfileToken": token, "Translation": {"PanTilt": {"x": -0.25, "y": 0.25}}})
    assert await _wait_for(lambda: _near(position, (0.25, 0.0, 0.5)))
    preset = await ptz.SetPreset({"ProfileToken": token, "PresetName": "Cong chinh"})
    presets = await ptz.GetPresets({"ProfileToken": token})
    assert [(p.token, p.Name) for p in presets if p.token == preset] == [(preset, "Cong chinh")]
    await ptz.SetHomePosition({"ProfileToken": token})
    await ptz.AbsoluteMove({"ProfileToken": token, "Position": {"PanTilt": {"x": -0.5, "y": 0.5}, "Zoom": {"x": 0.0}}})
    assert await _wait_for(lambda: _near(position, (-0.5, 0.5, 0.0)))
    await ptz.GotoPreset({"ProfileToken": token, "PresetToken": preset})
    assert await _wait_for(lambda: _near(position, (0.25, 0.0, 0.5)))
    await ptz.AbsoluteMove({"ProfileToken": token, "Position": {"PanTilt": {"x": -0.5, "y": 0.5}, "Zoom": {"x": 0.0}}})
    await ptz.GotoHomePosition({"ProfileToken": token})
    assert await _wait_for(lambda: _near(position, (0.25, 0.0, 0.5)))
    await ptz.RemovePreset({"ProfileToken": token, "PresetToken": preset})
    assert preset not in [p.token for p in await ptz.GetPresets({"ProfileToken": token}) or []]
    with pytest.raises(zeep_exceptions.Fault):
        await ptz.GotoPreset({"ProfileToken": token, "PresetToken": preset})


async def _near(position: object, want: tuple[float, float, float]) -> bool:
    got = await position()  # type: ignore[operator]
    return all(abs(a - b) < 0.01 for a, b in zip(got, want, strict=True))


async def _pan_above(position: object, value: float) -> bool:
    return (await position())[0] > value  # type: ignore[operator]


def _motion_values(messages: list[object]) -> list[tuple[str, str, str]]:
    """(topic, data item name, value) of each notification."""
    found = []
    for message in messages:
        topic = message.Topic._value_1  # type: ignore[attr-defined]
        item = message.Message._value_1.Data.SimpleItem[0]  # type: ignore[attr-defined]
        found.append((topic, item.Name, item.Value))
    return found


async def exercise_events(c: ONVIFCamera, cam: SimCamera) -> None:
    events = await c.create_events_service()
    properties = await events.GetEventProperties()
    assert properties.FixedTopicSet is True
    manager = await c.create_pullpoint_manager(dt.timedelta(seconds=60), lambda: None)
    try:
        pullpoint = manager.get_service()
        first = await pullpoint.PullMessages({"Timeout": dt.timedelta(seconds=2), "MessageLimit": 10})
        initial = _motion_values(first.NotificationMessage)
        assert {(t, n) for t, n, _ in initial} == {
            ("tns1:RuleEngine/CellMotionDetector/Motion", "IsMotion"), ("tns1:VideoSource/MotionAlarm", "State")}
        state = initial[0][2]
        changed: list[tuple[str, str, str]] = []
        deadline = time.monotonic() + 8
        while not changed and time.monotonic() < deadline:  # the scene's period is 2 s
            reply = await pullpoint.PullMessages({"Timeout": dt.timedelta(seconds=3), "MessageLimit": 10})
            changed = _motion_values(reply.NotificationMessage)
        assert changed, "no motion change within 8 s"
        assert changed[0][0] == "tns1:RuleEngine/CellMotionDetector/Motion"
        assert changed[0][2] != state
        renewed = await manager._subscription.Renew(c.get_next_termination_time(dt.timedelta(seconds=120)))
        assert 100 < (renewed.TerminationTime - renewed.CurrentTime).total_seconds() <= 121
        await manager._subscription.Unsubscribe()
        with pytest.raises(zeep_exceptions.Fault):
            await pullpoint.PullMessages({"Timeout": dt.timedelta(seconds=1), "MessageLimit": 10})
    finally:
        await manager.shutdown()  # cancels the renewal timer; its second Unsubscribe fault is swallowed


async def exercise_all(make: Callable[[], ONVIFCamera], cam: SimCamera) -> None:
    c = make()  # aiohttp sessions need the running loop
    try:
        await exercise_device(c, cam)
        await exercise_media(c, cam)
        if cam.spec.ptz:
            await exercise_ptz(c, cam)
        await exercise_events(c, cam)
    finally:
        await c.close()


def test_stock_client_finds_first_camera_at_the_standard_device_address(sim) -> None:
    handle, cams = sim
    run(exercise_all(lambda: ONVIFCamera("127.0.0.1", handle.port, USER, PASSWORD), cams[0]))


def test_zeep_client_performs_every_operation_on_a_ptz_h265_camera(sim) -> None:
    handle, cams = sim
    run(exercise_all(lambda: client(handle, cams[1]), cams[1]))


@pytest.mark.parametrize("offset_hours", [2, -2])
def test_camera_with_wrong_clock_works_with_adjust_time(sim, offset_hours: int) -> None:
    handle, cams = sim
    cam = cams[1]
    cam.faults.set_clock_offset(offset_hours * 3600)
    try:
        async def without_adjustment() -> None:
            c = client(handle, cam)
            try:
                await c.update_xaddrs()
            finally:
                await c.close()

        with pytest.raises(zeep_exceptions.Fault) as refused:
            run(without_adjustment())
        assert "not authorized" in str(refused.value.message).lower()
        run(exercise_all(lambda: client(handle, cam, adjust_time=True), cam))
    finally:
        cam.faults.set_clock_offset(0)


def test_wrong_password_is_refused_with_not_authorized(sim) -> None:
    handle, cams = sim

    async def connect() -> None:
        c = client(handle, cams[0], password="wrong")
        try:
            await c.update_xaddrs()
        finally:
            await c.close()

    with pytest.raises(zeep_exceptions.Fault) as refused:
        run(connect())
    assert refused.value.subcodes and refused.value.subcodes[0].localname == "NotAuthorized"

"""Media, Media2 and PTZ services of the virtual camera as seen by a plain SOAP client: H.265 shows as
H.265 in Media2, a fixed camera has no PTZ, and stopping the server does not wait for pending replies."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from camdesk.sim.onvif import OnvifHandle, start_onvif
from camdesk.sim.scene import Scene
from camdesk.sim.spec import CameraSpec, Resolution, SimCamera
from tests.sim.onvif_soap_client import NS, call, envelope

pytestmark = pytest.mark.timeout(60)


def rtsp_uri(cam: SimCamera, stream: str) -> str:
    return f"rtsp://127.0.0.1:8554/{cam.spec.slug}/{stream}"


@pytest.fixture(scope="module")
def sim() -> Iterator[tuple[OnvifHandle, SimCamera, SimCamera]]:
    fixed = SimCamera(CameraSpec(index=0, name="Fixed", codec="h265", sub=Resolution(704, 576, 12)))
    ptz = SimCamera(CameraSpec(index=1, name="Dome", ptz=True))
    handle = start_onvif([fixed, ptz], "127.0.0.1", 0, rtsp_uri,
                         {c.spec.index: Scene(c.spec) for c in (fixed, ptz)}, discovery=False)
    yield handle, fixed, ptz
    handle.stop()


def service(handle: OnvifHandle, cam: SimCamera, name: str) -> str:
    return handle.device_url(cam).replace("device_service", f"{name}_service")


def test_media2_describes_h265_profiles_and_their_streams(sim) -> None:
    handle, fixed, _ = sim
    url = service(handle, fixed, "media2")
    reply = call(url, "<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>")
    profiles = reply.findall(".//tr2:Profiles")
    assert [p.get("token") for p in profiles] == ["Profile_Main", "Profile_Sub"]
    sub = profiles[1]
    assert sub.findtext(".//tr2:VideoEncoder/tt:Encoding", namespaces=NS) == "H265"
    assert sub.findtext(".//tr2:VideoEncoder/tt:Resolution/tt:Width", namespaces=NS) == "704"
    assert sub.findtext(".//tt:FrameRateLimit", namespaces=NS) == "12"
    assert sub.find(".//tr2:PTZ", NS) is None
    uri = call(url, "<tr2:GetStreamUri><tr2:Protocol>RTSP</tr2:Protocol>"
                    "<tr2:ProfileToken>Profile_Sub</tr2:ProfileToken></tr2:GetStreamUri>")
    assert uri.text(".//tr2:Uri") == rtsp_uri(fixed, "sub")
    missing = call(url, "<tr2:GetStreamUri><tr2:Protocol>RTSP</tr2:Protocol>"
                        "<tr2:ProfileToken>nope</tr2:ProfileToken></tr2:GetStreamUri>")
    assert missing.status == 400 and missing.fault_subcodes == ["ter:InvalidArgVal", "ter:NoProfile"]


def test_snapshot_uri_points_at_the_camera_snapshot(sim) -> None:
    handle, fixed, _ = sim
    reply = call(service(handle, fixed, "media"),
                 "<trt:GetSnapshotUri><trt:ProfileToken>Profile_Main</trt:ProfileToken></trt:GetSnapshotUri>")
    assert reply.text(".//tt:Uri") == handle.snapshot_url(fixed)


def test_fixed_camera_offers_no_ptz(sim) -> None:
    handle, fixed, ptz = sim
    device = handle.device_url(fixed)
    services = call(device, "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>")
    namespaces = {el.text for el in services.findall(".//tds:Namespace")}
    assert NS["tptz"] not in namespaces and NS["tr2"] in namespaces
    caps = call(device, "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>")
    assert caps.find(".//tt:PTZ") is None and caps.find(".//tt:Media") is not None
    profiles = call(service(handle, fixed, "media"), "<trt:GetProfiles/>")
    assert profiles.find(".//tt:PTZConfiguration") is None
    refused = call(service(handle, fixed, "ptz"), "<tptz:GetNodes/>")
    assert refused.status == 500 and "ter:ActionNotSupported" in refused.fault_subcodes
    ptz_profiles = call(service(handle, ptz, "media"), "<trt:GetProfiles/>")
    assert len(ptz_profiles.findall(".//tt:PTZConfiguration")) == 2


def test_ptz_moves_the_shared_state_the_renderer_reads(sim) -> None:
    handle, _, ptz = sim
    url = service(handle, ptz, "ptz")
    call(url, '<tptz:AbsoluteMove><tptz:ProfileToken>Profile_Main</tptz:ProfileToken><tptz:Position>'
              '<tt:PanTilt x="0.2" y="-0.1"/><tt:Zoom x="0.3"/></tptz:Position></tptz:AbsoluteMove>')
    deadline = time.monotonic() + 5
    while ptz.ptz.moving() and time.monotonic() < deadline:
        time.sleep(0.05)
    pos = ptz.ptz.position()
    assert (round(pos.pan, 3), round(pos.tilt, 3), round(pos.zoom, 3)) == (0.2, -0.1, 0.3)
    status = call(url, "<tptz:GetStatus><tptz:ProfileToken>Profile_Main</tptz:ProfileToken></tptz:GetStatus>")
    assert status.find(".//tt:PanTilt").get("x") == "0.2000"
    assert status.text(".//tt:MoveStatus/tt:PanTilt") == "IDLE"
    bad = call(url, "<tptz:GotoPreset><tptz:ProfileToken>Profile_Main</tptz:ProfileToken>"
                    "<tptz:PresetToken>404</tptz:PresetToken></tptz:GotoPreset>")
    assert bad.status == 400 and bad.fault_subcodes == ["ter:InvalidArgVal", "ter:NoToken"]


def test_stop_does_not_wait_for_long_polls_or_delayed_replies() -> None:
    cam = SimCamera(CameraSpec(index=0, name="Slow"))
    handle = start_onvif([cam], "127.0.0.1", 0, rtsp_uri, {0: Scene(cam.spec, period=1000.0)}, discovery=False)
    events = service(handle, cam, "events")
    address = call(events, "<tev:CreatePullPointSubscription/>").text(".//wsa:Address")
    call(address, "<tev:PullMessages><tev:Timeout>PT0S</tev:Timeout><tev:MessageLimit>9</tev:MessageLimit>"
                  "</tev:PullMessages>")
    cam.faults.set_onvif_delay(30)
    pending = [
        threading.Thread(target=_swallow, args=(address, "<tev:PullMessages><tev:Timeout>PT50S</tev:Timeout>"
                                                "<tev:MessageLimit>9</tev:MessageLimit></tev:PullMessages>")),
        threading.Thread(target=_swallow, args=(handle.device_url(cam), "<tds:GetSystemDateAndTime/>")),
    ]
    for t in pending:
        t.start()
    time.sleep(0.3)
    started = time.monotonic()
    handle.stop()
    for t in pending:
        t.join(timeout=10)
    assert time.monotonic() - started < 5
    assert not any(t.is_alive() for t in pending)
    handle.stop()  # idempotent


def _swallow(url: str, operation: str) -> None:
    try:
        call(url, operation, timeout=20)
    except (OSError, ConnectionError):
        pass


def test_stopped_camera_closes_kept_alive_connections() -> None:
    cam = SimCamera(CameraSpec(index=0, name="Restarting"))
    handle = start_onvif([cam], "127.0.0.1", 0, rtsp_uri, {}, discovery=False)
    conn = http.client.HTTPConnection("127.0.0.1", handle.port, timeout=5)
    body = envelope("<tds:GetSystemDateAndTime/>")
    path = urllib.parse.urlsplit(handle.device_url(cam)).path
    try:
        conn.request("POST", path, body, {"Content-Type": "application/soap+xml"})
        response = conn.getresponse()
        assert response.read() and not response.will_close  # HTTP/1.1 keep-alive
        handle.stop()
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            conn.request("POST", path, body, {"Content-Type": "application/soap+xml"})
            conn.getresponse().read()
    finally:
        conn.close()
        handle.stop()

"""The virtual camera's ONVIF fault switches and authentication, each shown by its observable effect on
a plain HTTP/SOAP client over loopback."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from lxml import etree

from camdesk.sim.onvif import OnvifHandle, start_onvif
from camdesk.sim.scene import Scene
from camdesk.sim.spec import CameraSpec, SimCamera
from tests.sim.onvif_soap_client import call, envelope, post

pytestmark = pytest.mark.timeout(60)
USER, PASSWORD = "operator", "pa55-word"
INFO = "<tds:GetDeviceInformation/>"
CLOCK = "<tds:GetSystemDateAndTime/>"


@pytest.fixture(scope="module")
def sim() -> Iterator[tuple[OnvifHandle, SimCamera, SimCamera]]:
    secured = SimCamera(CameraSpec(index=0, name="Cong UBND", username=USER, password=PASSWORD))
    open_cam = SimCamera(CameraSpec(index=3, name="Hem 12"))
    scenes = {c.spec.index: Scene(c.spec) for c in (secured, open_cam)}
    handle = start_onvif([secured, open_cam], "127.0.0.1", 0,
                         lambda c, s: f"rtsp://127.0.0.1:554/{c.spec.slug}/{s}", scenes, discovery=False)
    yield handle, secured, open_cam
    handle.stop()


@pytest.fixture
def cam(sim) -> Iterator[SimCamera]:
    """The secured camera, healthy again (faults, password, clock) after each test."""
    yield sim[1]
    sim[1].faults.clear()
    sim[1].faults.set_clock_offset(0)
    sim[1].set_password(PASSWORD)


def test_device_information_needs_a_valid_digest(sim, cam) -> None:
    url = sim[0].device_url(cam)
    ok = call(url, INFO, USER, PASSWORD)
    assert ok.status == 200
    assert ok.text(".//tds:Manufacturer") == "camdesk"
    for reply in (call(url, INFO), call(url, INFO, USER, "wrong"), call(url, INFO, "root", PASSWORD)):
        assert reply.status == 400
        assert reply.text(".//env:Code/env:Value") == "env:Sender"
        assert reply.fault_subcodes == ["ter:NotAuthorized"]
        assert reply.text(".//env:Reason/env:Text") == "Sender not Authorized"


def test_clock_is_answered_without_credentials_and_follows_the_offset(sim, cam) -> None:
    url = sim[0].device_url(cam)

    def camera_hour_minute() -> int:
        reply = call(url, CLOCK)
        assert reply.status == 200
        return int(reply.text(".//tt:UTCDateTime/tt:Time/tt:Hour")) * 60 + int(
            reply.text(".//tt:UTCDateTime/tt:Time/tt:Minute"))

    before = camera_hour_minute()
    cam.faults.set_clock_offset(2 * 3600)
    after = camera_hour_minute()
    assert (after - before) % (24 * 60) in (120, 121)


def test_digest_window_is_five_minutes_of_the_camera_clock(sim, cam) -> None:
    url = sim[0].device_url(cam)
    now = time.time()
    assert call(url, INFO, USER, PASSWORD, created_at=now - 240).status == 200
    assert call(url, INFO, USER, PASSWORD, created_at=now + 240).status == 200
    assert call(url, INFO, USER, PASSWORD, created_at=now - 360).fault_subcodes == ["ter:NotAuthorized"]
    cam.faults.set_clock_offset(-7200)  # the camera's clock is two hours slow
    assert call(url, INFO, USER, PASSWORD).fault_subcodes == ["ter:NotAuthorized"]
    assert call(url, INFO, USER, PASSWORD, created_at=cam.faults.camera_time()).status == 200


def test_password_change_locks_out_the_old_password(sim, cam) -> None:
    url = sim[0].device_url(cam)
    cam.set_password("new-pass")
    assert call(url, INFO, USER, PASSWORD).fault_subcodes == ["ter:NotAuthorized"]
    assert call(url, INFO, USER, "new-pass").status == 200


def test_delayed_camera_answers_late(sim, cam) -> None:
    url = sim[0].device_url(cam)
    cam.faults.set_onvif_delay(1.0)
    with pytest.raises(TimeoutError):
        call(url, CLOCK, timeout=0.3)
    started = time.monotonic()
    assert call(url, CLOCK, timeout=5).status == 200
    assert time.monotonic() - started >= 0.9
    cam.faults.set_onvif_delay(0)
    assert call(url, CLOCK, timeout=0.5).status == 200


def test_malformed_reply_is_not_xml(sim, cam) -> None:
    url = sim[0].device_url(cam)
    cam.faults.set_onvif_malformed(True)
    reply = call(url, INFO, USER, PASSWORD)
    assert reply.status == 200 and reply.body.startswith(b"<?xml")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(reply.body)
    cam.faults.set_onvif_malformed(False)
    etree.fromstring(call(url, INFO, USER, PASSWORD).body)


def test_refusing_camera_drops_connections_while_others_answer(sim, cam) -> None:
    handle, _, other = sim
    cam.faults.set_refuse(True)
    with pytest.raises((ConnectionError, http.client.HTTPException, socket.timeout)):
        call(handle.device_url(cam), CLOCK, timeout=2)
    with pytest.raises((ConnectionError, urllib.error.URLError, http.client.HTTPException)):
        urllib.request.urlopen(handle.snapshot_url(cam), timeout=2)
    assert call(handle.device_url(other), INFO).status == 200  # same port, other camera
    cam.faults.set_refuse(False)
    assert call(handle.device_url(cam), CLOCK).status == 200


def test_camera_down_for_a_second_comes_back_by_itself(sim, cam) -> None:
    url = sim[0].device_url(cam)
    cam.faults.go_down(1.0)
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        call(url, CLOCK, timeout=2)
    deadline = time.monotonic() + 5
    while True:
        try:
            assert call(url, CLOCK, timeout=2).status == 200
            break
        except (ConnectionError, http.client.HTTPException):
            assert time.monotonic() < deadline, "camera did not come back"
            time.sleep(0.2)


def test_snapshot_needs_http_digest(sim, cam) -> None:
    url = sim[0].snapshot_url(cam)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=5)
    assert refused.value.code == 401
    assert refused.value.headers["WWW-Authenticate"].startswith("Digest ")

    def opener(password: str) -> urllib.request.OpenerDirector:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, USER, password)
        return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))

    with opener(PASSWORD).open(url, timeout=5) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.read(3) == b"\xff\xd8\xff"
    with pytest.raises(urllib.error.HTTPError) as wrong:
        opener("wrong").open(url, timeout=5)
    assert wrong.value.code == 401


def test_open_camera_needs_no_credentials(sim) -> None:
    handle, _, open_cam = sim
    assert call(handle.device_url(open_cam), INFO).status == 200
    with urllib.request.urlopen(handle.snapshot_url(open_cam), timeout=5) as response:
        assert response.read(2) == b"\xff\xd8"


def test_hostile_xml_is_refused_without_expanding_entities(sim, cam) -> None:
    url = sim[0].device_url(cam)
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b'<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>&lol2;</env:Body>'
            b"</env:Envelope>")
    reply = post(url, bomb)
    assert reply.status == 400 and reply.text(".//env:Code/env:Value") == "env:Sender"
    assert post(url, b"not xml at all").status == 400
    assert post(url, envelope("")).status == 400


def test_unknown_camera_and_operation_are_reported(sim, cam) -> None:
    handle = sim[0]
    missing = handle.device_url(cam).replace("/cam0/", "/cam99/")
    assert call(missing, CLOCK).status == 404
    reply = call(handle.device_url(cam), "<tds:Reboot/>", USER, PASSWORD)
    assert reply.status == 500 and "ter:ActionNotSupported" in reply.fault_subcodes

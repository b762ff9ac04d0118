"""Adding a camera starts with a login test: each failure has its own error, and the camera quirks
(wrong clock, slow or broken replies) are handled without bothering the officer."""

from __future__ import annotations

import concurrent.futures

import pytest

from camdesk.errors import (
    AuthFailed,
    CameraTimeout,
    CameraUnreachable,
    InvalidUrl,
    NotOnvifDevice,
    ProtocolError,
)
from camdesk.models.camera import Codec
from tests.onvif.conftest import PASSWORD, USER, serve_http

pytestmark = pytest.mark.timeout(60)


def _fails_with(future: concurrent.futures.Future, error: type[BaseException]) -> BaseException:
    with pytest.raises(error) as info:
        future.result(30)
    return info.value


def test_officer_adds_camera_with_correct_password(onvif, sim):
    probe = onvif.probe(sim.url(0), USER, PASSWORD).result(30)
    assert probe.info.manufacturer == "camdesk"
    assert probe.info.serial
    assert probe.main is not None and probe.main.codec is Codec.H264
    assert (probe.main.width, probe.main.height) == (1280, 720)
    assert probe.sub is not None and probe.sub.width == 640
    assert probe.main.uri.startswith("rtsp://") and "@" not in probe.main.uri
    assert probe.snapshot_uri.endswith("snapshot.jpg")
    assert probe.ptz.continuous and probe.ptz.presets
    assert probe.events


def test_wrong_password_says_so_and_never_leaks_it(onvif, sim):
    err = _fails_with(onvif.probe(sim.url(0), USER, "wrong-pass-77"), AuthFailed)
    assert "wrong-pass-77" not in str(err) and "wrong-pass-77" not in err.user_message.english()


def test_password_changed_on_camera_is_reported_as_wrong_password(onvif, sim):
    sim.cameras[0].set_password("changed-by-owner")
    _fails_with(onvif.probe(sim.url(0), USER, PASSWORD), AuthFailed)


def test_unreachable_address_says_camera_cannot_be_reached(onvif, closed_port):
    _fails_with(onvif.probe(f"127.0.0.1:{closed_port}", USER, PASSWORD), CameraUnreachable)


def test_web_server_that_is_not_a_camera_is_not_onvif(onvif):
    url, stop = serve_http(lambda body: (404, "text/html", b"<html><body>Router login</body></html>"))
    try:
        _fails_with(onvif.probe(url, USER, PASSWORD), NotOnvifDevice)
    finally:
        stop()


def test_web_page_with_status_200_is_not_onvif(onvif):
    url, stop = serve_http(lambda body: (200, "text/html", b"<!DOCTYPE html><html><body>NAS</body></html>"))
    try:
        _fails_with(onvif.probe(url, USER, PASSWORD), NotOnvifDevice)
    finally:
        stop()


def test_camera_that_never_answers_times_out(onvif, silent_server):
    err = _fails_with(onvif.probe(silent_server, USER, PASSWORD, timeout=1.5), CameraTimeout)
    assert isinstance(err, TimeoutError)


def test_slow_camera_beyond_the_timeout_times_out(onvif, sim):
    sim.cameras[0].faults.set_onvif_delay(3.0)
    _fails_with(onvif.probe(sim.url(0), USER, PASSWORD, timeout=1.0), CameraTimeout)


def test_slow_camera_within_the_timeout_still_works(onvif, sim):
    sim.cameras[0].faults.set_onvif_delay(0.2)
    assert onvif.probe(sim.url(0), USER, PASSWORD, timeout=20).result(30).main is not None


def test_camera_sending_broken_xml_gets_a_clear_error(onvif, sim):
    sim.cameras[0].faults.set_onvif_malformed(True)
    _fails_with(onvif.probe(sim.url(0), USER, PASSWORD), ProtocolError)


@pytest.mark.parametrize("offset_s", [2 * 3600, -2 * 3600])
def test_camera_clock_two_hours_off_still_logs_in(onvif, sim, offset_s):
    sim.cameras[0].faults.set_clock_offset(offset_s)
    probe = onvif.probe(sim.url(0), USER, PASSWORD).result(30)
    assert abs(probe.time_offset_s - offset_s) < 60
    assert probe.main is not None


def test_camera_clock_jump_after_login_is_handled_by_rereading_time(onvif, sim):
    onvif.register(7, sim.url(0), USER, PASSWORD)
    assert onvif.ptz_capabilities(7).result(30).continuous
    sim.cameras[0].faults.set_clock_offset(-2 * 3600)  # e.g. the camera lost its NTP time after a reboot
    onvif.ptz_stop(7).result(30)  # NotAuthorized first, then the time is re-read and Stop succeeds
    session = onvif._sessions[7]
    assert session.device is not None and session.device.resyncs >= 1
    assert abs(session.device.time_offset_s + 2 * 3600) < 60


def test_bad_address_is_rejected_before_any_network_call(onvif):
    _fails_with(onvif.probe("http://", USER, PASSWORD), InvalidUrl)


def test_a_camera_without_a_login_is_added_with_an_empty_user(onvif):
    """Some cameras leave ONVIF open (no user). The library always signs its calls with WS-Security and
    failed inside zeep on an empty user (a TypeError reported as a protocol error); now no header is sent."""
    from camdesk.sim.onvif import start_onvif
    from camdesk.sim.scene import Scene
    from camdesk.sim.spec import CameraSpec, SimCamera

    cam = SimCamera(CameraSpec(0, "Open camera", ptz=True))
    handle = start_onvif([cam], "127.0.0.1", 0, lambda c, q: f"rtsp://127.0.0.1:1/{c.spec.slug}/{q}",
                         {0: Scene(cam.spec, period=4.0)})
    try:
        probe = onvif.probe(handle.device_url(cam), "", "").result(30)
        assert probe.main is not None and probe.ptz.continuous and probe.events
        onvif.register(9, handle.device_url(cam), "", "")
        before = onvif.ptz_position(9).result(30)
        onvif.ptz_relative(9, 0.2, 0.0).result(30)
        assert onvif.ptz_position(9).result(30).pan != before.pan  # calls without a login work too
    finally:
        handle.stop()

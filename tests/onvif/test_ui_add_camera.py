"""The add-camera dialog: Test first, a distinct translated message per failure, the chosen streams with
overrides, a recorder's channels, plain RTSP cameras; nothing is returned before a successful test."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from camdesk.errors import AuthFailed, CameraTimeout, ConnectionRefused, NotOnvifDevice
from camdesk.models.camera import Codec, StreamProfile
from camdesk.models.onvif import Channel, DeviceInfo, DeviceProbe, MediaProfile, MediaVersion, PtzCapabilities
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import translate
from camdesk.ui.onvif.add_camera_dialog import AddCameraDialog
from tests.onvif.conftest import PASSWORD, USER, serve_http

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def dialog(qtbot, onvif):
    bridge = GuiBridge()
    d = AddCameraDialog(onvif, bridge)
    qtbot.addWidget(d)
    d.bridge_ref = bridge
    return d


def _test(qtbot, d, address: str, password: str) -> None:
    d.address.setText(address)
    d.user.setText(USER)
    d.password_edit.setText(password)
    before = d.message.text()
    qtbot.mouseClick(d.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.test_button.isEnabled() and d.message.text() != before, timeout=20000)


def test_wrong_password_then_right_password_adds_the_camera(qtbot, dialog, sim):
    _test(qtbot, dialog, sim.url(0), "not-the-password")
    assert dialog.message.text() == translate(AuthFailed().user_message)
    assert not dialog.ok_button.isEnabled()
    _test(qtbot, dialog, sim.url(0), PASSWORD)
    assert dialog.ok_button.isEnabled()
    assert "1280×720" in dialog.main_combo.currentText()
    assert "640×360" in dialog.sub_combo.currentText()
    assert dialog.ptz_check.isChecked()
    dialog.name.setText("Cổng chợ")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    [camera] = dialog.cameras()
    assert camera.name == "Cổng chợ"
    assert camera.onvif_url == sim.url(0) and camera.username == USER
    assert camera.main is not None and camera.main.width == 1280 and camera.main.codec is Codec.H264
    assert camera.sub is not None and camera.sub.width == 640
    assert camera.ptz and camera.ptz_profile_token
    assert camera.snapshot_uri.endswith("snapshot.jpg")
    assert dialog.password() == PASSWORD
    assert PASSWORD not in repr(camera)


def test_officer_overrides_the_chosen_streams(qtbot, dialog, sim):
    _test(qtbot, dialog, sim.url(0), PASSWORD)
    dialog.main_combo.setCurrentIndex(1)  # the sub profile as main, e.g. for a weak uplink
    dialog.sub_combo.setCurrentIndex(0)  # "(none)"
    dialog.ptz_check.setChecked(False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    [camera] = dialog.cameras()
    assert camera.main is not None and camera.main.width == 640
    assert camera.sub is None and not camera.ptz


def test_each_failure_has_its_own_message(qtbot, dialog, closed_port, silent_server, onvif):
    onvif.timeout = 1.0  # keep the hung-camera case short
    _test(qtbot, dialog, f"127.0.0.1:{closed_port}", PASSWORD)
    unreachable = dialog.message.text()
    url, stop = serve_http(lambda _b: (404, "text/html", b"<html>router</html>"))
    try:
        _test(qtbot, dialog, url, PASSWORD)
        not_onvif = dialog.message.text()
    finally:
        stop()
    _test(qtbot, dialog, silent_server, PASSWORD)
    timed_out = dialog.message.text()
    assert unreachable == translate(ConnectionRefused().user_message)  # a closed port: refused
    assert not_onvif == translate(NotOnvifDevice().user_message)
    assert timed_out == translate(CameraTimeout().user_message)
    assert len({unreachable, not_onvif, timed_out, translate(AuthFailed().user_message)}) == 4
    assert not dialog.ok_button.isEnabled()


def test_changing_the_password_after_a_test_requires_a_new_test(qtbot, dialog, sim):
    _test(qtbot, dialog, sim.url(0), PASSWORD)
    assert dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.password_edit, "x")
    assert not dialog.ok_button.isEnabled()


def test_rtsp_camera_without_onvif_keeps_credentials_out_of_the_url(qtbot, dialog):
    dialog.mode.setCurrentIndex(1)
    dialog.rtsp_main.setText("rtsp://viewer:p%40ss@192.168.1.70:554/live/main")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    [camera] = dialog.cameras()
    assert camera.main == StreamProfile("rtsp://192.168.1.70:554/live/main")
    assert camera.username == "viewer" and dialog.password() == "p@ss"
    assert not camera.onvif_url


def test_rtsp_typo_is_refused_with_a_clear_message(qtbot, dialog):
    dialog.mode.setCurrentIndex(1)
    dialog.rtsp_main.setText("http://192.168.1.70/live")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert not dialog.ok_button.isEnabled()
    assert "192.168.1.70" in dialog.message.text()


def _channel(i: int) -> Channel:
    main = StreamProfile(f"rtsp://nvr/ch{i}/main", 1920, 1080, 25, Codec.H265, f"m{i}")
    sub = StreamProfile(f"rtsp://nvr/ch{i}/sub", 704, 576, 15, Codec.H264, f"s{i}")
    profiles = (MediaProfile(f"m{i}", "main", main, f"vs{i}"), MediaProfile(f"s{i}", "sub", sub, f"vs{i}"))
    return Channel(f"vs{i}", f"Channel {i}", main, sub, f"http://nvr/snap{i}", PtzCapabilities(), "", profiles)


def test_recorder_adds_every_checked_channel_as_a_camera(qtbot, dialog):
    probe = DeviceProbe("http://10.0.0.9/onvif/device_service", DeviceInfo("Dahua", "NVR4104"),
                        MediaVersion.MEDIA2, tuple(_channel(i) for i in (1, 2, 3)))
    dialog.address.setText(probe.device_url)
    dialog._tested(dialog._test, probe)  # the reply a recorder gives (the simulator has no recorder)
    assert dialog.channels.isVisible() or dialog.channels.count() == 3
    dialog.channels.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.name.setText("Chợ")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    cams = dialog.cameras()
    assert [c.name for c in cams] == ["Chợ – Channel 1", "Chợ – Channel 3"]
    assert [c.main.uri for c in cams] == ["rtsp://nvr/ch1/main", "rtsp://nvr/ch3/main"]
    assert all(c.onvif_url == probe.device_url for c in cams)


def test_dialog_speaks_vietnamese(qtbot, onvif):
    from PySide6.QtWidgets import QApplication

    from camdesk.ui.i18n import install_translators

    app = QApplication.instance()
    assert "ui-onvif_vi.qm" in install_translators(app, "vi")
    try:
        d = AddCameraDialog(onvif, GuiBridge())
        qtbot.addWidget(d)
        assert d.windowTitle() == "Thêm camera"
        assert d.test_button.text() == "Kiểm tra"
    finally:
        install_translators(app, "en")

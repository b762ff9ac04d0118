"""Adding a recorder (NVR) end to end, against the simulator's virtual recorder: the login test finds one
channel per camera with that camera's streams, the add dialog turns every ticked channel into a camera,
a saved PTZ channel steers its own camera, and a channel's stream plays with the password that worked."""

from __future__ import annotations

import time
from collections.abc import Iterator

import av
import pytest
from PySide6.QtCore import Qt

from camdesk.models.camera import Codec
from camdesk.models.onvif import PtzPosition
from camdesk.onvif.service import OnvifService
from camdesk.sim.cluster import SimCluster
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.onvif.add_camera_dialog import AddCameraDialog
from tests.sim_onvif_support import NVR_CAMERAS, nvr_url, start_nvr_cluster

pytestmark = pytest.mark.timeout(60)
USER, PASSWORD = "admin", "Nvr-Secret-5"
CAMERAS = NVR_CAMERAS


@pytest.fixture(scope="module")
def sim() -> Iterator[SimCluster]:
    """Three cameras behind one virtual recorder; the first camera is a PTZ camera."""
    cluster = start_nvr_cluster(USER, PASSWORD, discovery=False)
    try:
        yield cluster
    finally:
        cluster.stop()


def test_login_test_on_a_recorder_finds_every_channel_with_its_own_streams(sim: SimCluster,
                                                                         onvif: OnvifService) -> None:
    probe = onvif.probe(nvr_url(sim), USER, PASSWORD).result(20)
    assert probe.is_recorder and probe.info.model == "VirtualNVR"
    assert len(probe.channels) == CAMERAS
    for index, channel in enumerate(probe.channels):
        cam = sim.cameras[index]
        assert channel.main is not None and channel.sub is not None
        assert (channel.main.uri, channel.sub.uri) == (cam["main"], cam["sub"])
        assert (channel.main.width, channel.sub.width) == (sim.specs[index].main.width, sim.specs[index].sub.width)
        assert channel.main.codec is Codec.H264
        assert channel.snapshot_uri == cam["snapshot"]
        assert channel.ptz.any == cam["ptz"] and bool(channel.ptz_profile_token) == cam["ptz"]
    assert len({c.video_source_token for c in probe.channels}) == CAMERAS


def test_wrong_password_on_a_recorder_is_refused(sim: SimCluster, onvif: OnvifService) -> None:
    from camdesk.errors import AuthFailed

    with pytest.raises(AuthFailed):
        onvif.probe(nvr_url(sim), USER, "not-it").result(20)


@pytest.fixture
def dialog(qtbot, onvif: OnvifService) -> AddCameraDialog:  # type: ignore[no-untyped-def]
    bridge = GuiBridge()
    d = AddCameraDialog(onvif, bridge)
    qtbot.addWidget(d)
    d.bridge_ref = bridge  # type: ignore[attr-defined]  # keep the bridge alive with the dialog
    return d


def test_officer_adds_a_recorder_and_gets_one_camera_per_channel(qtbot, dialog: AddCameraDialog,  # type: ignore[no-untyped-def]
                                                                 sim: SimCluster) -> None:
    dialog.address.setText(nvr_url(sim))
    dialog.user.setText(USER)
    dialog.password_edit.setText(PASSWORD)
    dialog.name.setText("Tổ dân phố 5")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert not dialog.test_button.isEnabled()  # the test runs on the ONVIF thread; the button waits
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=20_000)
    assert dialog.ok_button.isEnabled(), dialog.message.text()
    assert str(CAMERAS) in dialog.message.text()
    assert not dialog.channels.isHidden() and dialog.channels.count() == CAMERAS
    assert all(dialog.channels.item(i).checkState() == Qt.CheckState.Checked for i in range(CAMERAS))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    cameras = dialog.cameras()
    assert [c.name for c in cameras] == [f"Tổ dân phố 5 – Channel {i + 1}" for i in range(CAMERAS)]
    for index, camera in enumerate(cameras):
        info = sim.cameras[index]
        assert camera.main is not None and camera.sub is not None
        assert (camera.main.uri, camera.sub.uri) == (info["main"], info["sub"])
        assert camera.onvif_url == nvr_url(sim) and camera.username == USER
        assert camera.snapshot_uri == info["snapshot"]
        assert camera.ptz == info["ptz"] and bool(camera.ptz_profile_token) == info["ptz"]
        assert PASSWORD not in repr(camera)
    assert dialog.password() == PASSWORD


def test_unticked_recorder_channels_are_not_added(qtbot, dialog: AddCameraDialog,  # type: ignore[no-untyped-def]
                                                   sim: SimCluster) -> None:
    dialog.address.setText(nvr_url(sim))
    dialog.user.setText(USER)
    dialog.password_edit.setText(PASSWORD)
    dialog.test()
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=20_000)
    dialog.channels.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.accept()
    cameras = dialog.cameras()
    assert [c.main.uri for c in cameras if c.main] == [sim.cameras[0]["main"], sim.cameras[2]["main"]]
    assert cameras[0].name.startswith("VirtualNVR")  # no name typed: the recorder's model


def test_saved_recorder_channel_steers_its_own_camera(sim: SimCluster, onvif: OnvifService) -> None:
    probe = onvif.probe(nvr_url(sim), USER, PASSWORD).result(20)
    ptz_channel = probe.channels[0]
    onvif.register(7, nvr_url(sim), USER, PASSWORD, ptz_channel.ptz_profile_token)
    onvif.ptz_absolute(7, PtzPosition(-0.3, 0.2, 0.0)).result(10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and abs(sim.camera(0).ptz.position().pan + 0.3) > 0.01:
        time.sleep(0.05)
    assert abs(sim.camera(0).ptz.position().pan + 0.3) <= 0.01
    assert all(sim.camera(i).ptz.position().pan == 0.0 for i in range(1, CAMERAS))


def test_recorder_channel_stream_plays_with_the_password_that_worked(sim: SimCluster,
                                                                     onvif: OnvifService) -> None:
    probe = onvif.probe(nvr_url(sim), USER, PASSWORD).result(20)
    main = probe.channels[1].main
    assert main is not None and "@" not in main.uri  # credentials never travel inside a saved URI
    url = main.uri.replace("rtsp://", f"rtsp://{USER}:{PASSWORD}@", 1)
    with av.open(url, options={"rtsp_transport": "tcp", "analyzeduration": "200000", "probesize": "200000"},
                 timeout=5) as container:
        frame = next(container.decode(video=0))
    assert (frame.width, frame.height) == (main.width, main.height)

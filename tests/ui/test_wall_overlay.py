"""What a tile tells the officer: connecting, reconnecting with a countdown, offline since, wrong password,
unsupported; in English and in Vietnamese. The states come from the real engine against real failures."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QApplication

from camdesk.models.camera import Camera, StreamProfile
from camdesk.models.stream import StreamState, StreamStats, StreamStatus
from camdesk.ui.i18n import install_translators
from camdesk.ui.main_window import MainWindow
from camdesk.ui.wall import grid
from camdesk.ui.wall.overlay import state_text, stats_text
from tests.ui.test_wall_helpers import loaded, make_rig, sim

pytestmark = pytest.mark.timeout(90)
NOW = 1_800_000_000.0


def status(state: StreamState, **kw: object) -> StreamStatus:
    return StreamStatus("s", state, kw.pop("since", NOW), **kw)  # type: ignore[arg-type]


def test_overlay_texts_for_every_state(qapp) -> None:  # type: ignore[no-untyped-def]
    install_translators(qapp, "en")
    assert state_text(None, NOW) == "Connecting…"
    assert state_text(status(StreamState.CONNECTING), NOW) == "Connecting…"
    assert state_text(status(StreamState.PLAYING), NOW) == ""
    assert state_text(status(StreamState.RECONNECTING, next_try_at=NOW + 6.2, attempt=2), NOW) == (
        "Connection lost. Reconnecting in 7 s")
    since = NOW - 3 * 3600
    hhmm = QDateTime.fromMSecsSinceEpoch(int(since * 1000)).toString("HH:mm")
    assert state_text(status(StreamState.OFFLINE, since=since), NOW) == f"Offline since {hhmm}"
    assert state_text(status(StreamState.AUTH_FAILED), NOW) == "Wrong user name or password"
    assert state_text(status(StreamState.UNSUPPORTED), NOW) == "Unsupported video format"
    line = stats_text(StreamStats(input_fps=15, delivered_fps=14.6, kbit_per_s=812.4, latency_ms=63.0,
                                  width=640, height=360))
    assert line == "15 fps · 812 kbit/s · latency 63 ms · 640×360"


def test_overlay_speaks_vietnamese(qapp) -> None:  # type: ignore[no-untyped-def]
    loaded_files = install_translators(qapp, "vi")
    try:
        assert any(name.startswith("ui-wall") for name in loaded_files)
        assert state_text(status(StreamState.AUTH_FAILED), NOW) == "Sai tên đăng nhập hoặc mật khẩu"
        assert state_text(status(StreamState.RECONNECTING, next_try_at=NOW + 5), NOW) == (
            "Mất kết nối. Thử lại sau 5 giây")
        assert state_text(status(StreamState.OFFLINE, since=NOW), NOW).startswith("Mất tín hiệu từ ")
    finally:
        install_translators(qapp, "en")


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never answers (a hung camera)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    yield srv.getsockname()[1]
    srv.close()


def test_tiles_show_each_failure_the_engine_reports(qtbot, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    silent_server: int) -> None:
    not_video = tmp_path / "recording.mp4"  # named like a video, but it is not one
    not_video.write_bytes(bytes(range(256)) * 64)
    with sim(1) as cluster:
        cam0 = cluster.cameras[0]
        extra = [
            (Camera(None, "Sai mật khẩu", main=StreamProfile(cam0["sub"]), username="demo"), "wrong-password"),
            (Camera(None, "Không hỗ trợ", main=StreamProfile(str(not_video))), ""),
            (Camera(None, "Mất điện", main=StreamProfile("rtsp://127.0.0.1:9/cam")), ""),
            (Camera(None, "Treo", main=StreamProfile(f"rtsp://127.0.0.1:{silent_server}/cam")), ""),
        ]
        rig = make_rig(data_dir, cluster, extra_cameras=extra)
        window = MainWindow(rig.context)
        qtbot.addWidget(window)
        window.show()
        loaded(qtbot, rig)
        window.wall.set_layout(grid.with_cameras(grid.PRESETS["3x3"], rig.camera_ids))
        live, auth, unsupported, down, hung = window.wall.tiles[:5]

        def text(tile) -> str:  # type: ignore[no-untyped-def]
            return state_text(tile.status)

        qtbot.waitUntil(lambda: text(hung) == "Connecting…" and hung.status is not None, timeout=10_000)
        qtbot.waitUntil(lambda: text(down).startswith("Connection lost. Reconnecting in "), timeout=15_000)
        qtbot.waitUntil(lambda: text(auth) == "Wrong user name or password", timeout=15_000)
        qtbot.waitUntil(lambda: text(unsupported) == "Unsupported video format", timeout=15_000)
        qtbot.waitUntil(lambda: text(down).startswith("Offline since "), timeout=20_000)
        assert text(down) == "Offline since " + time.strftime("%H:%M", time.localtime(down.status.since))
        qtbot.waitUntil(lambda: live.has_picture() and text(live) == "", timeout=15_000)
        for tile in (auth, unsupported, down):
            assert not tile.has_picture(), "a failed stream must not leave a picture that looks live"
        # the painted tile carries the state: it differs from the same tile painted while playing
        assert auth.grab().toImage() != live.grab().toImage()
        window.close()
        rig.close()
        QApplication.processEvents()

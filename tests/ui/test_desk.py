"""The desk around the wall, end to end on real parts (virtual cameras over RTSP and ONVIF, the engine,
a SQLite file): B bookmarks the frame on screen, motion events light up the tile, PTZ mode on a tile
steers the camera, camera status goes into the uptime history, and a newly added camera appears."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from camdesk.models.camera import Camera, StreamProfile
from camdesk.models.records import SearchQuery
from camdesk.onvif.service import OnvifService
from camdesk.ui.desk import Desk
from camdesk.ui.main_window import MainWindow
from camdesk.ui.wall import grid
from tests.ui.test_wall_helpers import loaded, make_rig, sim

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def desk_rig(qtbot, data_dir: Path) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    with sim(2, ptz=1, discovery=False) as cluster:
        rig = make_rig(data_dir, cluster)
        window = MainWindow(rig.context)
        qtbot.addWidget(window)
        onvif = OnvifService(timeout=5.0)
        desk = Desk(window, rig.store, onvif, lambda cid: rig.secrets.password(cid) or "",
                    rig.secrets.set_password, lambda: "Trung úy Lê Văn B")
        window.resize(1200, 800)
        window.show()
        qtbot.waitExposed(window)
        loaded(qtbot, rig)
        window.wall.set_layout(grid.with_cameras(grid.PRESETS["2x2"], rig.camera_ids))
        try:
            yield {"cluster": cluster, "rig": rig, "window": window, "desk": desk}
        finally:
            desk.shutdown()
            window.close()
            rig.close()


def wait_for_picture(qtbot, window: MainWindow, index: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.wall.tiles[index].frame is not None, timeout=20_000)


def test_pressing_b_bookmarks_the_frame_on_screen_at_its_time(qtbot, desk_rig) -> None:  # type: ignore[no-untyped-def]
    window, rig, desk = desk_rig["window"], desk_rig["rig"], desk_rig["desk"]
    wait_for_picture(qtbot, window, 1)
    window.wall.select(1)
    window.activateWindow()
    window.wall.setFocus()
    pressed_at = time.time()
    QTest.keyClick(window.wall, Qt.Key.Key_B)
    tile = window.wall.tiles[1]
    assert desk.records is not None

    def saved() -> None:
        hits = rig.store.search(SearchQuery(text="")).result(timeout=5)
        assert hits, "no bookmark saved yet"

    qtbot.waitUntil(saved, timeout=10_000)
    [hit] = rig.store.search(SearchQuery(text="")).result(timeout=5)
    [bookmark] = rig.store.get_bookmarks([hit.id]).result(timeout=5)
    assert bookmark.camera_id == tile.camera.id
    assert bookmark.author == "Trung úy Lê Văn B"
    assert bookmark.snapshot_jpeg[:2] == b"\xff\xd8"  # a JPEG thumbnail
    # the frame's time, not the key press: the frame on screen was taken before the key was pressed
    assert bookmark.start_ms <= pressed_at * 1000
    assert pressed_at * 1000 - bookmark.start_ms < 5000
    qtbot.waitUntil(lambda: desk.records.dock.model.rowCount() >= 1, timeout=5000)  # shown in the dock


def test_b_on_an_empty_tile_says_what_to_do(qtbot, desk_rig) -> None:  # type: ignore[no-untyped-def]
    window, desk = desk_rig["window"], desk_rig["desk"]
    window.wall.select(3)  # the 2x2 wall has two cameras: tile 3 is empty
    assert desk.bookmark_selected() is False
    assert "Select a tile" in window.statusBar().currentMessage()


def test_motion_events_light_up_the_cameras_tile(qtbot, desk_rig) -> None:  # type: ignore[no-untyped-def]
    window, desk = desk_rig["window"], desk_rig["desk"]
    # the virtual cameras' scene has a car entering the watched region every 10 s
    qtbot.waitUntil(lambda: any(t.motion for t in window.wall.tiles), timeout=30_000)
    assert desk.events_dock.table.rowCount() >= 1
    lit = [t for t in window.wall.tiles if t.motion]
    assert all(t.camera is not None for t in lit)


def test_ptz_mode_on_the_tile_steers_the_camera_and_stops(qtbot, desk_rig) -> None:  # type: ignore[no-untyped-def]
    window, desk, cluster, rig = desk_rig["window"], desk_rig["desk"], desk_rig["cluster"], desk_rig["rig"]
    ptz_index = next(i for i, t in enumerate(window.wall.tiles) if t.camera is not None and t.camera.ptz)
    window.wall.select(ptz_index)
    # cameras are logged in one at a time; the PTZ panel follows the selection once its camera is ready
    qtbot.waitUntil(lambda: desk.ptz_dock.camera_id == window.wall.tiles[ptz_index].camera.id, timeout=10_000)
    sim_camera = cluster.camera(0)
    before = sim_camera.ptz.position()
    desk.ptz_mode_action.setChecked(True)
    tile = window.wall.tiles[ptz_index]
    centre = QPoint(tile.width() // 2, tile.height() // 2)
    QTest.mousePress(tile, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseMove(tile, centre + QPoint(tile.width() // 3, 0))
    qtbot.waitUntil(lambda: sim_camera.ptz.position().pan > before.pan + 0.05, timeout=10_000)
    QTest.mouseRelease(tile, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       centre + QPoint(tile.width() // 3, 0))
    qtbot.waitUntil(lambda: not sim_camera.ptz.moving(), timeout=10_000)
    desk.ptz_mode_action.setChecked(False)
    assert rig.camera_ids  # the rig still holds both cameras


def test_camera_status_goes_into_the_uptime_history(qtbot, desk_rig) -> None:  # type: ignore[no-untyped-def]
    window, rig = desk_rig["window"], desk_rig["rig"]
    start = int(time.time() * 1000) - 60_000
    wait_for_picture(qtbot, window, 0)

    def online_known() -> None:
        rows = rig.store.uptime(start, int(time.time() * 1000) + 1000).result(timeout=5)
        cams = [r for r in rows if r.scope == "camera" and r.id in rig.camera_ids]
        assert cams and any(r.online_ms > 0 for r in cams)

    qtbot.waitUntil(online_known, timeout=15_000)


def test_an_added_camera_is_saved_with_its_password_and_shown(qtbot, desk_rig) -> None:  # type: ignore[no-untyped-def]
    window, desk, rig, cluster = desk_rig["window"], desk_rig["desk"], desk_rig["rig"], desk_rig["cluster"]
    url = cluster.url(1, "sub", credentials=False)
    desk.save_new_cameras([Camera(None, "Cổng trường THCS", main=StreamProfile(url), username="demo")], "pw-123")

    def shown() -> None:
        names = {c.name: c for c in window.context.catalog.cameras.values()}
        assert "Cổng trường THCS" in names

    qtbot.waitUntil(shown, timeout=10_000)
    added = next(c for c in window.context.catalog.cameras.values() if c.name == "Cổng trường THCS")
    assert rig.secrets.password(added.id) == "pw-123"
    assert "Cổng trường THCS" in window.statusBar().currentMessage()

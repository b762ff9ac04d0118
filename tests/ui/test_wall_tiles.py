"""An officer works the wall: live tiles, maximize on the main stream, keys, drag and drop, snapshots, zoom.

Real simulator (RTSP with Digest auth), real engine, real store on a temporary file; Qt offscreen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from camdesk.models.stream import StreamQuality, StreamState
from camdesk.sim.cluster import SimCluster
from camdesk.ui.main_window import MainWindow
from camdesk.ui.tree.model import CAMERA_ID_ROLE
from camdesk.ui.wall import grid
from tests.ui.test_wall_helpers import WallRig, loaded, make_rig, sim

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def cluster() -> Iterator[SimCluster]:
    with sim(5) as c:
        yield c


@pytest.fixture
def rig(cluster: SimCluster, data_dir: Path) -> Iterator[WallRig]:
    r = make_rig(data_dir, cluster)
    yield r
    r.close()


@pytest.fixture
def window(qtbot, rig: WallRig) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = MainWindow(rig.context)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    loaded(qtbot, rig)
    w.wall.set_layout(grid.with_cameras(grid.PRESETS["2x2"], rig.camera_ids[:4]))
    yield w
    w.close()


def wait_playing(qtbot, wall, count: int, timeout: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    def ok() -> None:
        playing = [t for t in wall.tiles if t.isVisible() and t.has_picture()
                   and t.status is not None and t.status.state == StreamState.PLAYING]
        assert len(playing) >= count

    qtbot.waitUntil(ok, timeout=timeout)


def test_wall_shows_live_video_from_every_camera(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    wait_playing(qtbot, wall, 4)
    before = [t.frames_painted for t in wall.tiles]
    qtbot.wait(700)
    assert all(t.frames_painted > b for t, b in zip(wall.tiles, before, strict=True)), "video must keep moving"
    # the engine scaled each frame to the tile's device-pixel size: it fits the tile exactly in one dimension
    for t in wall.tiles:
        w, h = t.device_pixel_size()
        f = t.frame
        assert f is not None and f.width <= w and f.height <= h and (abs(f.width - w) <= 2 or abs(f.height - h) <= 2)
    assert "Online: 4" in window.status_counts_text()


def test_enter_fills_the_wall_with_the_main_stream_and_esc_goes_back(qtbot, window: MainWindow, rig: WallRig) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    wait_playing(qtbot, wall, 4)
    qtbot.keyClick(wall, Qt.Key.Key_Right)
    assert wall.selected == 1
    qtbot.keyClick(wall, Qt.Key.Key_Return)
    assert wall.maximized == 1
    tile = wall.tiles[1]
    assert tile.geometry() == wall.rect()
    assert [t.isVisible() for t in wall.tiles] == [False, True, False, False]
    sid = tile.stream_id
    assert sid is not None
    qtbot.waitUntil(lambda: tile.frame is not None and tile.frame.quality == StreamQuality.MAIN, timeout=15_000)
    assert tile.frame is not None and tile.frame.width > 320  # larger than the 320x180 sub stream
    hidden_before = [wall.tiles[i].frames_painted for i in (0, 2, 3)]
    qtbot.wait(600)
    assert [wall.tiles[i].frames_painted for i in (0, 2, 3)] == hidden_before, "hidden tiles must not paint"
    qtbot.keyClick(wall, Qt.Key.Key_Escape)
    assert wall.maximized is None
    assert all(t.isVisible() for t in wall.tiles)
    wait_playing(qtbot, wall, 4)


def test_one_camera_on_two_tiles_plays_on_both_and_maximizes_on_its_own(
        qtbot, window: MainWindow, rig: WallRig, cluster: SimCluster) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    ids = rig.camera_ids
    wall.set_layout(grid.with_cameras(grid.PRESETS["2x2"], [ids[0], ids[1], ids[0], ids[3]]))
    wait_playing(qtbot, wall, 4)
    qtbot.waitUntil(lambda: cluster.rtsp.session_count() == 3, timeout=10_000)  # one for camera 0's two tiles
    wall.select(2)
    qtbot.keyClick(wall, Qt.Key.Key_Return)
    tile = wall.tiles[2]
    qtbot.waitUntil(lambda: tile.frame is not None and tile.frame.quality == StreamQuality.MAIN, timeout=15_000)
    hidden_before = wall.tiles[0].frames_painted  # the same camera, hidden behind the maximized tile
    qtbot.wait(600)
    assert wall.tiles[0].frames_painted == hidden_before
    qtbot.keyClick(wall, Qt.Key.Key_Escape)
    before = [t.frames_painted for t in wall.tiles]
    qtbot.waitUntil(lambda: all(t.frames_painted > b + 3 for t, b in zip(wall.tiles, before, strict=True)),
                    timeout=10_000)


def test_double_click_maximizes_and_restores(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    tile = wall.tiles[2]
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    assert wall.maximized == 2 and wall.selected == 2
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    assert wall.maximized is None


def test_delete_empties_the_selected_tile_and_closes_its_stream(qtbot, window: MainWindow, rig: WallRig) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    wait_playing(qtbot, wall, 4)
    sid = wall.tiles[3].stream_id
    assert sid in rig.supervisor.stream_ids()
    wall.select(3)
    qtbot.keyClick(wall, Qt.Key.Key_Delete)
    assert wall.current_layout().items[3].camera_id is None
    assert wall.tiles[3].camera is None and wall.tiles[3].stream_id is None
    assert sid not in rig.supervisor.stream_ids()


def test_camera_dragged_from_the_tree_plays_on_the_tile(qtbot, window: MainWindow, rig: WallRig) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    fifth = rig.camera_ids[4]
    item = window.tree.model.camera_item(fifth)
    assert item is not None and item.data(CAMERA_ID_ROLE) == fifth
    proxy = window.tree.proxy  # the view drags through the filter model, as here
    mime = proxy.mimeData([proxy.mapFromSource(item.index())])  # what a drag out of the tree carries
    assert wall.tiles[0].accept_mime(mime)
    assert wall.current_layout().items[0].camera_id == fifth
    assert wall.tiles[0].camera is not None and wall.tiles[0].camera.id == fifth
    wait_playing(qtbot, wall, 4)


def test_dragging_a_tile_onto_another_swaps_them(qtbot, window: MainWindow, rig: WallRig) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    first, last = rig.camera_ids[0], rig.camera_ids[3]
    mime = wall.tiles[0].tile_mime()
    assert wall.tiles[3].accept_mime(mime)
    assert grid.cameras(wall.current_layout())[:4] == [last, rig.camera_ids[1], rig.camera_ids[2], first]
    assert wall.tiles[3].camera is not None and wall.tiles[3].camera.id == first
    assert wall.selected == 3
    wait_playing(qtbot, wall, 4)


def test_number_keys_change_the_layout_and_keep_the_cameras(qtbot, window: MainWindow, rig: WallRig) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    qtbot.keyClick(wall, Qt.Key.Key_8)
    layout = wall.current_layout()
    assert (layout.rows, layout.cols, len(layout.items)) == (3, 3, 6)
    assert grid.cameras(layout)[:4] == rig.camera_ids[:4]
    assert wall.tiles[0].width() > 1.9 * wall.tiles[1].width()  # the big tile
    qtbot.keyClick(wall, Qt.Key.Key_4)
    assert len(wall.tiles) == 16
    qtbot.keyClick(wall, Qt.Key.Key_Down)
    assert wall.selected == 4
    wait_playing(qtbot, wall, 4)


def test_ctrl_s_saves_a_png_named_after_the_camera(qtbot, window: MainWindow, rig: WallRig) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    wait_playing(qtbot, wall, 4)
    wall.select(0)
    with qtbot.waitSignal(wall.message, timeout=10_000) as said:
        qtbot.keyClick(wall, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    files = list(rig.data.snapshots.glob("*.png"))
    assert len(files) == 1, said.args
    assert files[0].name.startswith("cong-cho-hoa-binh_")  # "Cổng chợ Hòa Bình", folded to ASCII
    assert str(files[0]) in said.args[0]
    image = QImage(str(files[0]))
    frame = wall.tiles[0].frame
    assert frame is not None and not image.isNull()
    assert (image.width(), image.height()) == (frame.width, frame.height)


def test_ctrl_s_on_an_empty_tile_says_there_is_nothing_to_save(qtbot, window: MainWindow, rig: WallRig) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    wall.clear_tile(1)
    wall.select(1)
    with qtbot.waitSignal(wall.message, timeout=2000):
        qtbot.keyClick(wall, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not list(rig.data.snapshots.glob("*.png"))


def test_wheel_zooms_digitally_and_dragging_pans(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wall = window.wall
    tile = wall.tiles[0]
    centre = QPointF(tile.width() / 2, tile.height() / 2)
    wheel = QWheelEvent(centre, tile.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 240), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(tile, wheel)
    assert tile.zoom == pytest.approx(1.5625)
    qtbot.mousePress(tile, Qt.MouseButton.LeftButton, pos=QPoint(tile.width() // 2, tile.height() // 2))
    qtbot.mouseMove(tile, QPoint(tile.width() // 2 + 60, tile.height() // 2 + 30))
    qtbot.mouseRelease(tile, Qt.MouseButton.LeftButton, pos=QPoint(tile.width() // 2 + 60, tile.height() // 2 + 30))
    assert tile.zoom_center.x() < 0.5 and tile.zoom_center.y() < 0.5  # dragged right/down: view moves left/up
    assert wall.current_layout().items[0].camera_id is not None  # panning is not a drag-and-drop


def test_a_camera_whose_address_is_corrected_comes_back_on_its_tile(qtbot, window: MainWindow, rig: WallRig,  # type: ignore[no-untyped-def]
                                                                   cluster: SimCluster) -> None:
    from dataclasses import replace

    from camdesk.models.camera import StreamProfile

    wall = window.wall
    wrong = rig.store.save_camera(replace(rig.context.catalog.cameras[rig.camera_ids[4]], id=None,
                                          name="Sai địa chỉ", main=StreamProfile("rtsp://127.0.0.1:9/cam4/main"),
                                          sub=None)).result(timeout=5)
    rig.secrets.set_password(wrong.id, "wall-test-pw")
    rig.context.catalog.reload()
    qtbot.waitUntil(lambda: wrong.id in rig.context.catalog.cameras, timeout=5000)
    wall.set_camera(0, wrong.id)
    tile = wall.tiles[0]
    qtbot.waitUntil(lambda: tile.status is not None and tile.status.state in (
        StreamState.RECONNECTING, StreamState.OFFLINE), timeout=15_000)
    # an officer fixes the address in the registry; the wall picks it up without being touched
    rig.store.save_camera(replace(wrong, main=StreamProfile(cluster.cameras[4]["sub"]))).result(timeout=5)
    rig.context.catalog.reload()
    qtbot.waitUntil(lambda: tile.has_picture() and tile.status is not None
                    and tile.status.state == StreamState.PLAYING, timeout=15_000)

"""Several walls: a layout opens in its own window (on another screen when there is one), full screen with
F11, and each window works on its own. Plus the shortcuts help."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from camdesk.models.stream import StreamState
from camdesk.sim.cluster import SimCluster
from camdesk.ui.main_window import MainWindow
from camdesk.ui.shortcuts_dialog import ShortcutsDialog
from camdesk.ui.wall import grid
from tests.ui.test_wall_helpers import WallRig, loaded, make_rig, sim

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def rig(data_dir: Path) -> Iterator[tuple[WallRig, SimCluster]]:
    with sim(4) as cluster:
        r = make_rig(data_dir, cluster)
        yield r, cluster
        r.close()


def playing(wall) -> bool:  # type: ignore[no-untyped-def]
    return all(t.has_picture() and t.status is not None and t.status.state == StreamState.PLAYING
               for t in wall.tiles if t.camera is not None)


def main_window_with_four_cameras(qtbot, r: WallRig) -> MainWindow:  # type: ignore[no-untyped-def]
    main = MainWindow(r.context)
    qtbot.addWidget(main)
    main.show()
    loaded(qtbot, r)
    main.wall.set_layout(grid.with_cameras(grid.PRESETS["2x2"], r.camera_ids))
    return main


def test_a_layout_opens_in_its_own_window_that_works_independently(qtbot, rig) -> None:  # type: ignore[no-untyped-def]
    r, cluster = rig
    main = main_window_with_four_cameras(qtbot, r)
    main.wall.select(1)
    screen = QGuiApplication.screens()[-1]  # offscreen has one screen; a control room has several
    second = main.windows.open(main.wall.current_layout(), screen, full_screen=True)
    qtbot.addWidget(second)
    assert second.isFullScreen() and not second.statusBar().isVisible()
    assert second.windowHandle().screen() is screen
    qtbot.waitUntil(lambda: playing(main.wall) and playing(second.wall), timeout=30_000)
    # separate streams, so each wall sizes and pauses its own
    assert {t.stream_id for t in main.wall.tiles}.isdisjoint({t.stream_id for t in second.wall.tiles})
    # ... served by one session per camera: the same 4 cameras on two walls use 4, not 8
    qtbot.waitUntil(lambda: cluster.rtsp.session_count() == 4, timeout=10_000)
    # each window has its own keyboard, selection and maximized tile
    qtbot.keyClick(second.wall, Qt.Key.Key_Return)
    assert second.wall.maximized == 0 and main.wall.maximized is None
    assert main.wall.selected == 1
    qtbot.keyClick(second.wall, Qt.Key.Key_Escape)
    qtbot.keyClick(second.wall, Qt.Key.Key_1)
    assert len(second.wall.tiles) == 1 and len(main.wall.tiles) == 4
    # F11 leaves full screen and brings the window's bars back
    second.full_screen_action.trigger()
    assert not second.isFullScreen()
    assert second.statusBar().isVisible()
    # closing it stops only its streams; the main wall keeps playing
    ids = [t.stream_id for t in second.wall.tiles if t.stream_id]
    second.close()
    assert main.windows.windows == []
    assert not set(ids) & set(r.supervisor.stream_ids())
    qtbot.wait(500)
    assert playing(main.wall)
    main.close()


def test_a_tile_dragged_to_another_window_shows_its_camera_there_too(qtbot, rig) -> None:  # type: ignore[no-untyped-def]
    r, _ = rig
    main = main_window_with_four_cameras(qtbot, r)
    ids = r.camera_ids
    second = main.windows.open(grid.with_cameras(grid.PRESETS["2x2"], [ids[3], None, ids[1], ids[0]]),
                               QGuiApplication.screens()[-1], full_screen=False)
    qtbot.addWidget(second)
    second_layout = second.wall.current_layout()
    assert main.wall.tiles[0].accept_mime(second.wall.tiles[0].tile_mime())
    assert grid.cameras(main.wall.current_layout())[:4] == [ids[3], ids[1], ids[2], ids[3]]
    assert main.wall.selected == 0
    assert second.wall.current_layout() == second_layout  # the window it came from keeps its layout
    # an empty tile from another window changes nothing
    assert main.wall.tiles[1].accept_mime(second.wall.tiles[1].tile_mime())
    assert grid.cameras(main.wall.current_layout())[:4] == [ids[3], ids[1], ids[2], ids[3]]
    qtbot.waitUntil(lambda: playing(main.wall), timeout=30_000)
    second.close()
    main.close()


def test_f11_puts_the_main_window_in_full_screen_and_back(qtbot, rig) -> None:  # type: ignore[no-untyped-def]
    r, _ = rig
    main = MainWindow(r.context)
    qtbot.addWidget(main)
    main.show()
    main.full_screen_action.trigger()
    assert main.isFullScreen()
    assert not main.statusBar().isVisible() and not main.menuBar().isVisible()
    main.full_screen_action.trigger()
    assert not main.isFullScreen() and main.statusBar().isVisible() and main.menuBar().isVisible()
    assert main.full_screen_action.shortcut().toString() == "F11"
    main.close()


def test_help_lists_every_wall_shortcut(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    keys = [k for k, _ in dialog.rows()]
    for needed in ("Arrow keys", "Enter / double-click", "Esc / double-click", "1", "2", "3", "4", "5", "6",
                   "7", "8", "F11", "Ctrl+S", "Delete", "F1"):
        assert needed in keys, needed
    actions = dict(dialog.rows())
    assert actions["7"] == "Layout 8×8" and actions["8"] == "Layout 1 large + 5 small"
    extra = ShortcutsDialog(extra=[("B", "Bookmark")])
    qtbot.addWidget(extra)
    assert extra.rows()[-1] == ("B", "Bookmark")

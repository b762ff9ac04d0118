"""Named layouts: save, rename, delete, kept in the real store across a restart; the layout tour."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from camdesk.models.camera import Camera, StreamProfile
from camdesk.ui.main_window import MainWindow
from camdesk.ui.wall import grid
from tests.ui.test_wall_helpers import loaded, make_rig

pytestmark = pytest.mark.timeout(60)


def _cameras() -> list[tuple[Camera, str]]:
    # Addresses nobody listens on: layouts do not need video. Port 9 (discard) on loopback refuses.
    return [(Camera(None, f"Camera {i}", main=StreamProfile(f"rtsp://127.0.0.1:9/cam{i}")), "") for i in range(4)]


def open_window(qtbot, data_dir: Path, first: bool):  # type: ignore[no-untyped-def]
    rig = make_rig(data_dir, extra_cameras=_cameras() if first else [])
    window = MainWindow(rig.context)
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot, rig)
    return rig, window


def test_saved_renamed_and_deleted_layouts_survive_a_restart(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    rig, window = open_window(qtbot, data_dir, first=True)
    ids = sorted(rig.context.catalog.cameras)
    big = grid.with_cameras(grid.PRESETS["1+5"], [ids[2], ids[0], None, ids[1]])
    window.wall.set_layout(big)
    with qtbot.waitSignal(rig.context.layouts.saved, timeout=5000):
        window.save_layout_as("Chợ đêm")
    assert window.wall.current_layout().id is not None  # the wall now shows the saved layout
    window.wall.apply_preset("2x2")
    with qtbot.waitSignal(rig.context.layouts.saved, timeout=5000):
        window.save_layout_as("Cổng trường")
    with qtbot.waitSignal(rig.context.layouts.saved, timeout=5000):
        window.rename_layout("Cổng trường Kim Đồng")
    window.wall.set_layout(grid.PRESETS["3x3"])
    with qtbot.waitSignal(rig.context.layouts.saved, timeout=5000):
        window.save_layout_as("Tạm thời")
    with qtbot.waitSignal(rig.context.layouts.changed, timeout=5000):
        window.delete_layout(confirm=False)
    assert window.wall.current_layout().id is None
    window.close()
    rig.close()

    # restart: a new store, engine and window on the same data directory
    rig2, window2 = open_window(qtbot, data_dir, first=False)
    with qtbot.waitSignal(rig2.context.layouts.changed, timeout=5000):
        rig2.context.layouts.reload()
    names = [lay.name for lay in rig2.context.layouts.layouts]
    assert names == ["Chợ đêm", "Cổng trường Kim Đồng"]
    night = rig2.context.layouts.by_name("Chợ đêm")
    assert night is not None
    assert [(it.row, it.col, it.row_span, it.col_span) for it in night.items] == [
        (it.row, it.col, it.row_span, it.col_span) for it in grid.PRESETS["1+5"].items
    ]
    assert grid.cameras(night) == [ids[2], ids[0], None, ids[1], None, None]
    gate = rig2.context.layouts.by_name("Cổng trường Kim Đồng")
    assert gate is not None and (gate.rows, gate.cols) == (2, 2)
    # the chooser offers them after the presets
    labels = [window2.chooser.itemText(i) for i in range(window2.chooser.count())]
    assert labels[-2:] == ["Chợ đêm", "Cổng trường Kim Đồng"]
    window2.chooser.activated.emit(labels.index("Chợ đêm"))
    assert window2.wall.current_layout() == night
    window2.close()
    rig2.close()


def test_a_duplicate_layout_name_updates_that_layout(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    rig, window = open_window(qtbot, data_dir, first=True)
    window.wall.apply_preset("2x2")
    with qtbot.waitSignal(rig.context.layouts.saved, timeout=5000):
        window.save_layout_as("Ca đêm")
    window.wall.set_layout(grid.PRESETS["4x4"])
    with qtbot.waitSignal(rig.context.layouts.saved, timeout=5000):
        window.save_layout_as("Ca đêm")
    assert len(rig.context.layouts.layouts) == 1
    assert rig.context.layouts.layouts[0].rows == 4
    window.close()
    rig.close()


def test_layout_tour_cycles_the_saved_layouts(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    rig, window = open_window(qtbot, data_dir, first=True)
    for key, name in (("1x1", "Một"), ("2x2", "Bốn"), ("3x3", "Chín")):
        window.wall.set_layout(grid.PRESETS[key])
        with qtbot.waitSignal(rig.context.layouts.saved, timeout=5000):
            window.save_layout_as(name)
    window.tour.set_seconds(0.3)
    window.tour_action.setChecked(True)
    assert window.tour.running
    seen: list[str] = []
    window.wall.layout_changed.connect(lambda lay: seen.append(lay.name))
    qtbot.waitUntil(lambda: len(seen) >= 4, timeout=5000)
    # the saved layouts in the manager's (alphabetical) order, then round again
    order = [lay.name for lay in rig.context.layouts.layouts]
    start = order.index(seen[0])
    assert seen[:4] == [order[(start + k) % 3] for k in range(4)]
    window.tour_action.setChecked(False)
    assert not window.tour.running
    window.close()
    rig.close()


def test_tour_does_not_start_without_saved_layouts(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    rig, window = open_window(qtbot, data_dir, first=True)
    window.tour_action.setChecked(True)
    assert not window.tour.running and not window.tour_action.isChecked()
    window.close()
    rig.close()


def test_first_start_puts_the_cameras_on_a_wall_by_itself(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    rig, window = open_window(qtbot, data_dir, first=True)  # 4 cameras, no saved layouts
    qtbot.waitUntil(lambda: len(window.wall.tiles) == 4, timeout=5000)
    assert sorted(c for c in grid.cameras(window.wall.current_layout()) if c) == sorted(rig.context.catalog.cameras)
    window.close()
    rig.close()


def test_the_app_reopens_the_layout_that_was_on_screen_at_quit(qtbot, qapp, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from camdesk.app import start
    from camdesk.ui.i18n import install_translators

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        first = start(data_dir, lang="en")
        for camera, _ in _cameras():
            first.store.save_camera(camera).result(timeout=5)
        first.context.catalog.reload()
        qtbot.waitUntil(lambda: len(first.context.catalog.cameras) == 4, timeout=5000)
        ids = sorted(first.context.catalog.cameras)
        first.window.wall.set_layout(grid.with_cameras(grid.PRESETS["1+5"], ids[::-1]))
        with qtbot.waitSignal(first.context.layouts.saved, timeout=5000):
            first.window.save_layout_as("Ca ngày")
        first.window.close()
        first.shutdown()  # what quitting does

        second = start(data_dir, lang="en")
        qtbot.waitUntil(lambda: second.window.wall.current_layout().name == "Ca ngày", timeout=5000)
        assert grid.cameras(second.window.wall.current_layout())[:4] == ids[::-1]
        second.window.close()
        second.shutdown()
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
        install_translators(qapp, "en")
        qapp.setStyleSheet("")

"""The camera tree: grouped by residential group, a filter that ignores accents, live status dots and counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from camdesk.models.camera import Camera, StreamProfile
from camdesk.models.stream import StreamState
from camdesk.ui.demo import register
from camdesk.ui.main_window import MainWindow
from camdesk.ui.tree.accents import fold, matches
from camdesk.ui.tree.model import CAMERA_ID_ROLE, STATE_ROLE
from camdesk.ui.wall import grid
from tests.ui.test_wall_helpers import WallRig, loaded, make_rig, sim

pytestmark = pytest.mark.timeout(90)


def test_folding_removes_vietnamese_accents_including_d_with_stroke() -> None:
    assert fold("Tổ dân phố Đông Hưng") == "to dan pho dong hung"
    assert matches("dong hung", "Tổ dân phố Đông Hưng")
    assert matches("LÊ DUẨN 12", "12 Lê Duẩn")
    assert not matches("le duan 13", "12 Lê Duẩn")


def _refusing_lines(n: int) -> list[dict[str, object]]:
    # port 9 (discard) on loopback: nothing listens, the engine reports reconnecting/offline
    return [{"name": f"x{i}", "main": f"rtsp://127.0.0.1:9/cam{i}", "sub": "", "onvif": "", "snapshot": "",
             "ptz": False} for i in range(n)]


@pytest.fixture
def window(qtbot, data_dir: Path) -> Iterator[tuple[MainWindow, WallRig]]:  # type: ignore[no-untyped-def]
    rig = make_rig(data_dir)
    register(rig.store, rig.secrets, _refusing_lines(9), "pw")
    w = MainWindow(rig.context)
    qtbot.addWidget(w)
    w.show()
    loaded(qtbot, rig)
    yield w, rig
    w.close()
    rig.close()


def test_tree_groups_cameras_by_residential_group(window) -> None:  # type: ignore[no-untyped-def]
    w, _ = window
    model = w.tree.model
    groups = [model.item(r).text() for r in range(model.rowCount())]
    assert groups == ["Tổ dân phố 1 (0/3)", "Tổ dân phố 2 (0/3)", "Tổ dân phố 3 (0/3)"]
    assert [model.item(0).child(r).text() for r in range(3)] == [
        "Cổng chợ Hòa Bình", "Ngã tư Lê Duẩn - Trần Phú", "Trường Tiểu học Kim Đồng"]


@pytest.mark.parametrize(("typed", "expected"), [
    ("cong cho", ["Cổng chợ Hòa Bình"]),
    ("kim dong", ["Trường Tiểu học Kim Đồng"]),  # đ typed as d
    ("LY THUONG KIET", ["Hẻm 42 Lý Thường Kiệt"]),
    ("hai ba trung", ["Nhà văn hóa Tổ 2"]),  # matched by its address, 27 Hai Bà Trưng
    ("to dan pho 3", ["Chùa Phúc Lâm", "Công viên Thống Nhất", "Trụ sở UBND phường"]),  # the group's name
    ("Lê Duẩn", ["Cổng chợ Hòa Bình", "Ngã tư Lê Duẩn - Trần Phú"]),  # with accents too (12 Lê Duẩn)
    ("khong co", []),
])
def test_filter_matches_without_accents(qtbot, window, typed: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    w, _ = window
    if typed.isascii():
        qtbot.keyClicks(w.tree.filter_box, typed)
    else:  # QTest can only type ASCII; an input method would deliver this text in one piece
        w.tree.filter_box.insert(typed)
    assert w.tree.visible_camera_names() == expected
    w.tree.filter_box.clear()
    assert len(w.tree.visible_camera_names()) == 9


def test_status_dots_and_group_counts_follow_the_streams(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with sim(2) as cluster:
        rig = make_rig(data_dir, cluster)  # "Cổng chợ Hòa Bình" and "Ngã tư Lê Duẩn - Trần Phú" are live
        group1 = rig.store.get_camera(rig.camera_ids[0]).result(timeout=5).area_id
        dead_camera = Camera(None, "Trường Tiểu học Kim Đồng", main=StreamProfile("rtsp://127.0.0.1:9/x"),
                             area_id=group1)
        ids = [*rig.camera_ids, rig.store.save_camera(dead_camera).result(timeout=5).id]
        w = MainWindow(rig.context)
        qtbot.addWidget(w)
        w.show()
        loaded(qtbot, rig)
        w.wall.set_layout(grid.with_cameras(grid.PRESETS["2x2"], ids))
        model = w.tree.model
        live, dead = model.camera_item(ids[0]), model.camera_item(ids[2])
        assert live is not None and dead is not None
        qtbot.waitUntil(lambda: live.data(STATE_ROLE) == StreamState.PLAYING.value, timeout=20_000)
        qtbot.waitUntil(lambda: dead.data(STATE_ROLE) in ("reconnecting", "offline"), timeout=20_000)
        qtbot.waitUntil(lambda: model.item(0).text() == "Tổ dân phố 1 (2/3)", timeout=20_000)
        assert model.group_counts(group1) == (2, 3)
        assert live.icon().pixmap(12, 12).toImage().pixelColor(6, 6) != dead.icon().pixmap(12, 12).toImage().pixelColor(6, 6)
        qtbot.waitUntil(lambda: "Online: 2" in w.status_counts_text() and "Offline: 1" in w.status_counts_text(),
                        timeout=20_000)
        # the camera drops: its dot and its group's count follow
        cluster.camera(0).faults.go_down(30)
        qtbot.waitUntil(lambda: live.data(STATE_ROLE) != StreamState.PLAYING.value, timeout=20_000)
        qtbot.waitUntil(lambda: model.item(0).text() == "Tổ dân phố 1 (1/3)", timeout=20_000)
        w.close()
        rig.close()


def test_double_clicking_a_camera_puts_it_on_the_selected_tile(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    w, rig = window
    w.wall.select(4)
    item = w.tree.model.item(2).child(1)  # Tổ dân phố 3, second camera
    proxy_index = w.tree.proxy.mapFromSource(item.index())
    w.tree.view.scrollTo(proxy_index)
    rect = w.tree.view.visualRect(proxy_index)
    # a real double-click starts with a press; QTest's DClick alone does not
    qtbot.mouseClick(w.tree.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(w.tree.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.wall.current_layout().items[4].camera_id == item.data(CAMERA_ID_ROLE)

"""B on a tile: the bookmark is saved first, the popup edits it, and nothing typed is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from camdesk.models.records import Severity
from camdesk.store import Store
from camdesk.ui.records.bookmark_action import BookmarkAction
from camdesk.ui.records.bookmark_popup import BookmarkPopup
from tests.ui.records_support import OFFICER, add_cameras, bridge_fixture, make_frame, store_fixture, wait  # noqa: F401

pytestmark = pytest.mark.timeout(60)


def _saved_bookmark(qtbot, store, bridge):
    cam = add_cameras(store)[0]
    action = BookmarkAction(store, bridge, lambda: OFFICER)
    action.show_popup = False
    with qtbot.waitSignal(action.saved, timeout=10000) as saved:
        action.bookmark_frame(cam.id, cam.name, make_frame(), None)
    return cam, saved.args[0]


def test_closing_the_popup_with_unsaved_edits_saves_them(qtbot, store, bridge):
    cam, bookmark = _saved_bookmark(qtbot, store, bridge)
    popup = BookmarkPopup(store, bridge, lambda: OFFICER, bookmark, cam.name)
    qtbot.addWidget(popup)
    popup.show()
    popup.set_fields(
        "Xe tải đỗ sai quy định", note="Biển số 29C-123.45", tags="giao thông; đêm", severity=Severity.LOW
    )
    assert popup.is_dirty()
    with qtbot.waitSignal(popup.saved, timeout=10000):
        popup.close()  # the officer just closes the window
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=5000)
    stored = wait(store.get_bookmarks([bookmark.id]))[0]
    assert stored.title == "Xe tải đỗ sai quy định"
    assert stored.note == "Biển số 29C-123.45"
    assert sorted(stored.tags) == ["giao thông", "đêm"]
    assert stored.severity is Severity.LOW
    assert stored.start_ms == bookmark.start_ms and stored.snapshot_jpeg == bookmark.snapshot_jpeg


def test_escape_on_an_untouched_popup_closes_it_and_the_bookmark_stays(qtbot, store, bridge):
    cam, bookmark = _saved_bookmark(qtbot, store, bridge)
    popup = BookmarkPopup(store, bridge, lambda: OFFICER, bookmark, cam.name)
    qtbot.addWidget(popup)
    popup.show()
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=5000)
    assert wait(store.get_bookmarks([bookmark.id]))[0].title == ""


def test_a_failed_edit_keeps_the_popup_open_with_the_text(qtbot, store, bridge):
    cam, bookmark = _saved_bookmark(qtbot, store, bridge)
    wait(store.delete_bookmark(bookmark.id, OFFICER))  # deleted meanwhile, e.g. by another officer
    popup = BookmarkPopup(store, bridge, lambda: OFFICER, bookmark, cam.name)
    qtbot.addWidget(popup)
    popup.show()
    popup.set_fields("Ghi chú quan trọng")
    with qtbot.waitSignal(popup.failed, timeout=10000) as failed:
        popup.close()
    assert "not found" in failed.args[0] and "Traceback" not in failed.args[0]
    assert popup.isVisible() and popup.title_edit.text() == "Ghi chú quan trọng"
    assert popup.status.text() == failed.args[0]


def test_bookmark_on_a_read_only_database_says_why_it_was_not_saved(qtbot, tmp_path: Path, bridge):
    path = tmp_path / "camdesk.sqlite3"
    with Store.open(path) as writable:
        cam = add_cameras(writable)[0]
    ro = Store.open(path, read_only=True)
    try:
        shown: list[str] = []
        action = BookmarkAction(ro, bridge, lambda: OFFICER, show_error=shown.append)
        with qtbot.waitSignal(action.failed, timeout=10000) as failed:
            action.bookmark_frame(cam.id, cam.name, make_frame(), QWidget())
        assert "read-only" in failed.args[0] and shown == [failed.args[0]]
        assert action.popups == []
    finally:
        ro.close()


def test_bookmark_without_a_picture_is_refused_with_a_message(qtbot, store, bridge):
    action = BookmarkAction(store, bridge, lambda: OFFICER, show_error=lambda _t: None)
    with qtbot.waitSignal(action.failed, timeout=2000) as failed:
        action.bookmark_frame(1, "Ngõ 12", None, None)
    assert "no picture" in failed.args[0]


def test_popup_still_appears_when_the_tile_went_away_before_the_save_finished(qtbot, store, bridge):
    import shiboken6

    cam = add_cameras(store)[0]
    wall = QWidget()
    qtbot.addWidget(wall)
    tile = QWidget(wall)
    wall.show()
    action = BookmarkAction(store, bridge, lambda: OFFICER)
    with qtbot.waitSignal(action.popup_shown, timeout=10000) as shown:
        action.bookmark_frame(cam.id, cam.name, make_frame(), tile)
        shiboken6.delete(tile)  # the layout changed right after B
    popup = shown.args[0]
    assert popup.isVisible() and popup.bookmark().camera_id == cam.id
    bookmark_id = popup.bookmark().id
    popup.set_fields("Vẫn lưu được")
    with qtbot.waitSignal(popup.saved, timeout=10000):
        popup.close()
    assert wait(store.get_bookmarks([bookmark_id]))[0].title == "Vẫn lưu được"


def test_enter_in_the_title_saves(qtbot, store, bridge):
    cam, bookmark = _saved_bookmark(qtbot, store, bridge)
    popup = BookmarkPopup(store, bridge, lambda: OFFICER, bookmark, cam.name)
    qtbot.addWidget(popup)
    popup.show()
    popup.title_edit.setText("Nghi vấn trộm ")  # QTest can only type ASCII; Vietnamese comes from the IME
    qtbot.keyClicks(popup.title_edit, "cho")
    with qtbot.waitSignal(popup.saved, timeout=10000):
        qtbot.keyClick(popup.title_edit, Qt.Key.Key_Return)
    assert wait(store.get_bookmarks([bookmark.id]))[0].title == "Nghi vấn trộm cho"
    assert popup.isVisible()  # still open for a note or tags

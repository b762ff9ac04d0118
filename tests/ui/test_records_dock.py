"""The bookmarks dock: debounced search without accents, filters, delete with confirmation (audited),
and the incident window's notes, status and links."""

from __future__ import annotations

import pytest

from camdesk.models.records import BookmarkDraft, HitKind, IncidentStatus, Severity
from camdesk.ui.records.bookmarks_dock import BookmarksDock
from camdesk.ui.records.incident_window import IncidentWindow
from tests.ui.records_support import OFFICER, add_cameras, bridge_fixture, store_fixture, wait  # noqa: F401

pytestmark = pytest.mark.timeout(60)
T0 = 1_780_000_000_000  # 2026-05-28


def _seed(store):
    cams = add_cameras(store)
    drafts = [
        BookmarkDraft(
            cams[0].id, T0, title="Đánh nhau trước quán karaoke", tags=("đánh nhau",), severity=Severity.HIGH
        ),
        BookmarkDraft(cams[0].id, T0 + 3_600_000, title="Xe máy không biển số", tags=("xe máy",)),
        BookmarkDraft(
            cams[1].id,
            T0 + 7_200_000,
            title="Người lạ đứng lâu trước cửa hàng",
            tags=("đêm",),
            severity=Severity.LOW,
        ),
    ]
    return cams, [wait(store.add_bookmark(d, OFFICER)) for d in drafts]


def _dock(qtbot, store, bridge):
    dock = BookmarksDock(store, bridge, lambda: OFFICER)
    qtbot.addWidget(dock)
    qtbot.waitUntil(lambda: dock.camera_box.count() == 3 and dock.area_box.count() == 3, timeout=5000)
    with qtbot.waitSignal(dock.results_shown, timeout=10000):
        dock.refresh()
    return dock


def _titles(dock):
    return [h.title for h in dock.model.hits()]


def test_typing_searches_once_after_a_pause_ignoring_accents_and_case(qtbot, store, bridge):
    _seed(store)
    dock = _dock(qtbot, store, bridge)
    assert len(dock.model.hits()) == 3  # empty search lists everything, newest first
    assert _titles(dock)[0] == "Người lạ đứng lâu trước cửa hàng"
    shown = []
    dock.results_shown.connect(lambda: shown.append(1))
    for partial in ("D", "DA", "DANH", "DANH NH"):  # typed quickly: one search after the pause
        dock.set_search_text(partial)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
    qtbot.wait(400)
    assert len(shown) == 1
    assert _titles(dock) == ["Đánh nhau trước quán karaoke"]


def test_filters_by_camera_group_tag_severity_and_time(qtbot, store, bridge):
    cams, marks = _seed(store)
    dock = _dock(qtbot, store, bridge)
    areas = {a.name: a.id for a in wait(store.list_areas())}
    cases = [
        (dict(camera_id=cams[1].id), ["Người lạ đứng lâu trước cửa hàng"]),
        (dict(area_id=areas["Tổ dân phố số 3"]), ["Xe máy không biển số", "Đánh nhau trước quán karaoke"]),
        (dict(tag="xe máy"), ["Xe máy không biển số"]),
        (dict(severity=Severity.HIGH), ["Đánh nhau trước quán karaoke"]),
        (dict(from_ms=T0 + 1000, to_ms=T0 + 7_200_000), ["Xe máy không biển số"]),
        (dict(kind=HitKind.INCIDENT), []),
    ]
    for filters, expected in cases:
        with qtbot.waitSignal(dock.results_shown, timeout=10000):
            dock.set_filters(**filters)
        assert _titles(dock) == expected, filters
    with qtbot.waitSignal(dock.results_shown, timeout=10000):
        dock.set_filters()
    assert len(_titles(dock)) == 3


def test_delete_asks_first_and_is_written_to_the_audit_log(qtbot, store, bridge):
    _cams, marks = _seed(store)
    dock = _dock(qtbot, store, bridge)
    asked: list[str] = []
    dock.confirm = lambda q: asked.append(q) or False
    dock.select(HitKind.BOOKMARK, [marks[1].id])
    assert dock.delete_button.isEnabled()
    dock.delete_button.click()
    assert len(asked) == 1 and "audit" in asked[0]
    assert len(wait(store.get_bookmarks([marks[1].id]))) == 1  # declined: still there

    dock.confirm = lambda q: True
    with qtbot.waitSignal(dock.bookmark_deleted, timeout=10000):
        dock.delete_button.click()
    assert wait(store.get_bookmarks([marks[1].id])) == []
    assert dock.model.row_of(HitKind.BOOKMARK, marks[1].id) is None
    entries = wait(store.audit_entries())
    assert any(
        e.action == "bookmark.delete" and e.object == f"bookmark:{marks[1].id}" and e.actor == OFFICER
        for e in entries
    )
    assert wait(store.verify_audit()).ok


def test_incident_window_adds_category_links_unlinks_and_keeps_notes_append_only(qtbot, store, bridge):
    cams, marks = _seed(store)
    dock = _dock(qtbot, store, bridge)
    dock.select(HitKind.BOOKMARK, [marks[0].id])
    window = dock.create_incident_from_selection()
    assert isinstance(window, IncidentWindow)
    qtbot.waitUntil(lambda: window.category_box.count() >= 8, timeout=5000)
    qtbot.waitUntil(lambda: window.bookmarks_model.rowCount() == 1, timeout=5000)
    assert window.occurred_edit.dateTime().toMSecsSinceEpoch() == T0  # the bookmark's time
    assert not window.note_button.isEnabled()  # no notes before the case exists

    window.set_form("", "đánh nhau")
    with qtbot.waitSignal(window.failed, timeout=2000) as failed:
        assert not window.create_incident()
    assert "title" in failed.args[0]

    window.set_form("Gây rối ở khu karaoke", "Tụ tập đông người")  # a new category
    with qtbot.waitSignal(window.changed, timeout=10000) as created:
        window.create_incident()
    incident = created.args[0]
    assert "Tụ tập đông người" in wait(store.list_categories())
    assert incident.category == "Tụ tập đông người"

    # Link another bookmark selected in the dock, then unlink the first.
    dock.select(HitKind.BOOKMARK, [marks[2].id])
    with qtbot.waitSignal(window.changed, timeout=10000) as linked:
        window.link_button.click()
    assert sorted(linked.args[0].bookmark_ids) == sorted([marks[0].id, marks[2].id])
    qtbot.waitUntil(lambda: window.bookmarks_model.rowCount() == 2, timeout=5000)
    with qtbot.waitSignal(window.changed, timeout=10000) as unlinked:
        window.unlink([marks[0].id])
    assert unlinked.args[0].bookmark_ids == (marks[2].id,)
    assert len(wait(store.get_bookmarks([marks[0].id]))) == 1  # unlinking keeps the bookmark

    # Notes: a correction is a second note; the first stays as written.
    for text in ("Biển số 29B-111.11", "Đính chính: biển số 29B-111.17"):
        with qtbot.waitSignal(window.changed, timeout=10000):
            window.add_note(text)
    assert [n.text for n in window.notes_model.notes()] == [
        "Biển số 29B-111.11",
        "Đính chính: biển số 29B-111.17",
    ]
    for status in (IncidentStatus.INVESTIGATING, IncidentStatus.CLOSED):
        with qtbot.waitSignal(window.changed, timeout=10000):
            window.set_status(status)
    again = wait(store.get_incident(incident.id))
    assert again.status is IncidentStatus.CLOSED and len(again.notes) == 2
    assert not window.set_status(IncidentStatus.CLOSED)  # no change, nothing written

    # Reopening from the dock shows the same incident.
    other = dock.open_incident(incident.id)
    assert other is window


def test_closing_the_incident_window_while_a_note_is_saving_keeps_the_note_and_raises_nothing(
    qtbot, store, bridge
):
    from camdesk.models.records import IncidentDraft

    _cams, marks = _seed(store)
    incident = wait(store.create_incident(IncidentDraft("Trộm xe đạp", "trộm cắp"), [marks[0].id], OFFICER))
    window = IncidentWindow(store, bridge, lambda: OFFICER)
    with qtbot.waitSignal(window.changed, timeout=10000):
        window.load(incident.id)
    destroyed = []
    window.destroyed.connect(lambda *_: destroyed.append(1))
    assert window.add_note("Chủ xe đã đến trình báo")
    window.close()  # deleted on close, before the store answers
    qtbot.waitUntil(lambda: bool(destroyed), timeout=5000)
    qtbot.waitUntil(lambda: len(wait(store.get_incident(incident.id)).notes) == 1, timeout=5000)
    qtbot.wait(100)  # the late answer is delivered (and dropped) without touching the deleted window

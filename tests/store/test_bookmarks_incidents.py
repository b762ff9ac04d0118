"""Bookmarks and incidents (vụ việc): what an officer saves is kept, numbered and audited."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from camdesk.models.camera import Camera
from camdesk.models.records import BookmarkDraft, IncidentDraft, IncidentStatus, Severity
from camdesk.store import FieldInvalid, NotFound, Store
from camdesk.store.migrations import DEFAULT_CATEGORIES

from .conftest import Clock

pytestmark = pytest.mark.timeout(60)
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8 + b"\xff\xd9"


def test_bookmark_keeps_every_field_including_the_thumbnail(store: Store, camera: Camera, db_path: Path) -> None:
    draft = BookmarkDraft(camera.id or 0, 1_767_300_000_123, 8000, "Xe máy khả nghi", "Biển số 29-B1",
                          ("xe máy", "Biển số", " xe máy "), Severity.HIGH, JPEG)
    saved = store.add_bookmark(draft, "Trung úy An").result(timeout=5)
    assert saved.tags == ("Biển số", "xe máy")
    again = store.get_bookmarks([saved.id]).result(timeout=5)[0]
    assert again == saved
    assert again.snapshot_jpeg == JPEG and again.author == "Trung úy An" and again.start_ms == 1_767_300_000_123
    store.close()
    with Store.open(db_path) as reopened:  # on disk, not just in memory
        assert reopened.get_bookmarks([saved.id]).result(timeout=5) == [saved]


def test_bookmark_on_unknown_camera_is_refused(store: Store) -> None:
    with pytest.raises(FieldInvalid) as info:
        store.add_bookmark(BookmarkDraft(999, 0), "a").result(timeout=5)
    assert info.value.field == "camera_id"


def test_editing_and_deleting_a_bookmark_is_audited(store: Store, camera: Camera) -> None:
    b = store.add_bookmark(BookmarkDraft(camera.id or 0, 10, title="Cũ"), "an").result(timeout=5)
    edited = store.update_bookmark(b.id, BookmarkDraft(camera.id or 0, 10, title="Mới", tags=("x",)), "binh").result(timeout=5)
    assert edited.title == "Mới" and edited.author == "an" and edited.tags == ("x",)
    store.delete_bookmark(b.id, "binh").result(timeout=5)
    assert store.get_bookmarks([b.id]).result(timeout=5) == []
    actions = [(e.actor, e.action, e.object) for e in store.audit_entries().result(timeout=5)]
    assert ("binh", "bookmark.update", f"bookmark:{b.id}") in actions
    assert ("binh", "bookmark.delete", f"bookmark:{b.id}") in actions
    with pytest.raises(NotFound):
        store.delete_bookmark(b.id, "binh").result(timeout=5)


def test_incident_case_numbers_count_per_year_in_vietnam_time(db_path: Path) -> None:
    clock = Clock(1_798_736_400_000 - 10)  # 2026-12-31 17:00 UTC = 2027-01-01 00:00 in Vietnam, minus 10 ms
    with Store.open(db_path, clock=clock) as store:
        draft = IncidentDraft("Trộm cắp tại chợ", "trộm cắp")
        first = store.create_incident(draft, [], "an").result(timeout=5)
        second = store.create_incident(draft, [], "an").result(timeout=5)
        clock.ms += 20
        third = store.create_incident(draft, [], "an").result(timeout=5)
    assert (first.case_number, second.case_number, third.case_number) == (
        "VV-2026-0001", "VV-2026-0002", "VV-2027-0001")


def test_incident_from_two_bookmarks_with_notes_and_status(store: Store, camera: Camera) -> None:
    b1 = store.add_bookmark(BookmarkDraft(camera.id or 0, 1000, title="Đối tượng 1"), "an").result(timeout=5)
    b2 = store.add_bookmark(BookmarkDraft(camera.id or 0, 2000, title="Đối tượng 2"), "an").result(timeout=5)
    incident = store.create_incident(
        IncidentDraft("Cướp giật điện thoại", "cướp giật", Severity.HIGH, "Đại úy Bình", 900, "Chợ Đống Đa", "Hai đối tượng"),
        [b1.id, b2.id], "an",
    ).result(timeout=5)
    assert incident.bookmark_ids == (b1.id, b2.id) and incident.status is IncidentStatus.OPEN
    store.add_incident_note(incident.id, "Đã trích xuất camera", "an").result(timeout=5)
    store.add_incident_note(incident.id, "Sửa: biển số là 29-B1 (không phải 29-B2)", "binh").result(timeout=5)
    store.set_incident_status(incident.id, IncidentStatus.INVESTIGATING, "binh").result(timeout=5)
    store.unlink_bookmarks(incident.id, [b2.id], "binh").result(timeout=5)
    got = store.get_incident(incident.id).result(timeout=5)
    assert [n.text[:4] for n in got.notes] == ["Đã t", "Sửa:"]
    assert [n.author for n in got.notes] == ["an", "binh"]
    assert got.status is IncidentStatus.INVESTIGATING and got.bookmark_ids == (b1.id,)
    assert store.incidents_of_bookmark(b1.id).result(timeout=5) == [incident.case_number]
    with pytest.raises(FieldInvalid):
        store.add_incident_note(incident.id, "   ", "an").result(timeout=5)


def test_incident_notes_cannot_be_edited_even_with_raw_sql(store: Store, camera: Camera, db_path: Path) -> None:
    incident = store.create_incident(IncidentDraft("Vụ việc", "khác"), [], "an").result(timeout=5)
    store.add_incident_note(incident.id, "Ghi chú gốc", "an").result(timeout=5)
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE incident_notes SET text = 'sửa lén'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM incident_notes")
    conn.close()


def test_categories_are_seeded_and_editable(store: Store) -> None:
    assert store.list_categories().result(timeout=5) == list(DEFAULT_CATEGORIES)
    assert "trộm cắp" in DEFAULT_CATEGORIES and "đánh nhau" in DEFAULT_CATEGORIES
    after = store.add_category("Buôn lậu").result(timeout=5)
    assert after[-1] == "Buôn lậu"
    assert store.add_category("TROM CAP").result(timeout=5) == after  # same category, folded
    with pytest.raises(FieldInvalid):
        store.create_incident(IncidentDraft("  ", "khác"), [], "an").result(timeout=5)


def test_camera_with_bookmarks_cannot_be_deleted_but_an_unused_one_can(store: Store, camera: Camera) -> None:
    store.add_bookmark(BookmarkDraft(camera.id or 0, 1), "an").result(timeout=5)
    with pytest.raises(FieldInvalid) as info:
        store.delete_camera(camera.id or 0, "an").result(timeout=5)
    assert info.value.field == "id"
    spare = store.save_camera(Camera(None, "Dự phòng"), "an").result(timeout=5)
    store.delete_camera(spare.id or 0, "an").result(timeout=5)
    assert [c.name for c in store.list_cameras().result(timeout=5)] == [camera.name]


def test_a_failed_write_leaves_nothing_half_done(store: Store, camera: Camera) -> None:
    before = store.audit_entries().result(timeout=5)
    with pytest.raises(NotFound):  # the incident insert succeeds, then linking an unknown bookmark fails
        store.create_incident(IncidentDraft("Vụ việc", "khác"), [12345], "an").result(timeout=5)
    assert store.list_incidents().result(timeout=5) == []
    assert store.audit_entries().result(timeout=5) == before
    ok = store.create_incident(IncidentDraft("Vụ việc", "khác"), [], "an").result(timeout=5)
    assert ok.case_number.endswith("-0001")

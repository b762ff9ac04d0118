"""Finding bookmarks and incidents again by typing a few words, with or without Vietnamese accents."""

from __future__ import annotations

from pathlib import Path

import pytest

from camdesk.models.camera import Area, Camera
from camdesk.models.records import BookmarkDraft, HitKind, IncidentDraft, IncidentStatus, SearchQuery
from camdesk.store import Store
from camdesk.store.fold import fold, match_expression

pytestmark = pytest.mark.timeout(60)


def titles(store: Store, query: SearchQuery) -> list[str]:
    return [h.title for h in store.search(query).result(timeout=5)]


def test_folding_removes_case_and_diacritics_including_d_bar() -> None:
    assert fold("TRỘM CẮP Đường Đống Đa ĐỒNG") == "trom cap duong dong da dong"
    assert fold("Nguyễn Thị Hương") == "nguyen thi huong"
    assert match_expression('tro "cap" OR*') == '"tro"* "cap"* "or"*'


@pytest.fixture
def world(store: Store) -> dict[str, int]:
    a5 = store.save_area(Area(None, "Tổ 5")).result(timeout=5)
    a7 = store.save_area(Area(None, "Tổ 7")).result(timeout=5)
    c1 = store.save_camera(Camera(None, "Chợ", area_id=a5.id)).result(timeout=5)
    c2 = store.save_camera(Camera(None, "Trường học", area_id=a7.id)).result(timeout=5)
    add = store.add_bookmark
    b1 = add(BookmarkDraft(c1.id or 0, 1_000, title="Trộm cắp xe máy", note="Đối tượng đội mũ đỏ",
                           tags=("xe máy",)), "an").result(timeout=5)
    b2 = add(BookmarkDraft(c2.id or 0, 2_000, title="Đánh nhau trước cổng trường", tags=("học sinh",)),
             "an").result(timeout=5)
    b3 = add(BookmarkDraft(c1.id or 0, 3_000, title="Xe tải đỗ sai", note="Đường Đống Đa"), "an").result(timeout=5)
    inc = store.create_incident(IncidentDraft("Mất xe Honda", "trộm cắp", description="Nạn nhân báo mất xe",
                                              occurred_ms=1_500), [b1.id], "an").result(timeout=5)
    store.add_incident_note(inc.id, "Camera ghi được biển số", "an").result(timeout=5)
    other = store.create_incident(IncidentDraft("Ẩu đả", "đánh nhau", occurred_ms=2_500), [b2.id],
                                  "an").result(timeout=5)
    store.set_incident_status(other.id, IncidentStatus.CLOSED, "an").result(timeout=5)
    return {"a5": a5.id or 0, "a7": a7.id or 0, "c1": c1.id or 0, "c2": c2.id or 0, "b1": b1.id, "b2": b2.id,
            "b3": b3.id, "inc": inc.id, "other": other.id}


def test_words_without_accents_and_prefixes_find_vietnamese_text(store: Store, world: dict[str, int]) -> None:
    assert titles(store, SearchQuery("tro cap")) == ["Trộm cắp xe máy"]
    assert titles(store, SearchQuery("TRỘM CẮP")) == ["Trộm cắp xe máy"]
    assert titles(store, SearchQuery("duong dong da")) == ["Xe tải đỗ sai"]  # đ typed as d
    assert titles(store, SearchQuery("đánh")) == ["Đánh nhau trước cổng trường"]
    assert titles(store, SearchQuery("bien so")) == ["Mất xe Honda"]  # found through an incident note
    assert titles(store, SearchQuery("honda")) == ["Mất xe Honda"]
    assert titles(store, SearchQuery("VV-2026")) == ["Ẩu đả", "Mất xe Honda"]  # case numbers, newest first
    assert titles(store, SearchQuery("xe")) == ["Xe tải đỗ sai", "Mất xe Honda", "Trộm cắp xe máy"]
    assert titles(store, SearchQuery("trom xyz")) == []  # every word must match
    assert titles(store, SearchQuery('" OR ( * :')) == []  # FTS syntax typed by a user is inert


def test_filters_by_camera_area_time_tag_category_and_status(store: Store, world: dict[str, int]) -> None:
    assert titles(store, SearchQuery("", camera_ids=(world["c2"],))) == ["Ẩu đả", "Đánh nhau trước cổng trường"]
    assert titles(store, SearchQuery("xe", area_ids=(world["a5"],))) == [
        "Xe tải đỗ sai", "Mất xe Honda", "Trộm cắp xe máy"]
    assert titles(store, SearchQuery("xe", kinds=frozenset({HitKind.BOOKMARK}), from_ms=1_000, to_ms=3_000)) == [
        "Trộm cắp xe máy"]
    assert titles(store, SearchQuery("", tags=("XE MAY",))) == ["Trộm cắp xe máy"]
    assert titles(store, SearchQuery("", categories=("đánh nhau",))) == ["Ẩu đả"]
    assert titles(store, SearchQuery("", statuses=(IncidentStatus.OPEN,))) == ["Mất xe Honda"]
    hits = store.search(SearchQuery("mat xe")).result(timeout=5)
    assert hits[0].kind is HitKind.INCIDENT and hits[0].case_number == "VV-2026-0001"


def test_index_follows_edits_and_deletions(store: Store, world: dict[str, int]) -> None:
    b1 = store.get_bookmarks([world["b1"]]).result(timeout=5)[0]
    store.update_bookmark(b1.id, BookmarkDraft(b1.camera_id, b1.start_ms, title="Cướp giật túi xách"), "an").result(timeout=5)
    assert titles(store, SearchQuery("tro cap", kinds=frozenset({HitKind.BOOKMARK}))) == []
    assert titles(store, SearchQuery("cuop giat")) == ["Cướp giật túi xách"]
    store.delete_bookmark(b1.id, "an").result(timeout=5)
    assert titles(store, SearchQuery("cuop")) == []
    check = store._read(lambda db: db.conn.execute(
        "INSERT INTO bookmark_fts(bookmark_fts, rank) VALUES ('integrity-check', 1)").fetchall()).result(timeout=5)
    assert check == []


def test_time_range_filter_is_exact_across_month_boundaries(store: Store, camera: Camera) -> None:
    # 2026-01-31 23:30 and 2026-02-01 00:30 in Vietnam time (UTC+7), an hour apart across a month boundary.
    jan = 1_769_877_000_000
    feb = jan + 3_600_000
    for at, title in [(jan - 86_400_000, "Ngày 30"), (jan, "Cuối tháng"), (feb, "Đầu tháng"), (feb + 86_400_000, "Ngày 2")]:
        store.add_bookmark(BookmarkDraft(camera.id or 0, at, title=f"Xe {title}"), "an").result(timeout=5)
    only = frozenset({HitKind.BOOKMARK})
    assert titles(store, SearchQuery("xe", kinds=only, from_ms=jan, to_ms=feb + 1)) == ["Xe Đầu tháng", "Xe Cuối tháng"]
    assert titles(store, SearchQuery("", kinds=only, from_ms=feb)) == ["Xe Ngày 2", "Xe Đầu tháng"]
    assert titles(store, SearchQuery("", kinds=only, to_ms=jan)) == ["Xe Ngày 30"]
    assert titles(store, SearchQuery("", kinds=only, from_ms=jan, to_ms=jan)) == []
    assert titles(store, SearchQuery("xe", kinds=only, camera_ids=(camera.id or 0,), from_ms=0, to_ms=10**13)) == [
        "Xe Ngày 2", "Xe Đầu tháng", "Xe Cuối tháng", "Xe Ngày 30"]  # a range too long for month tokens


def test_idle_index_merging_keeps_every_result(db_path: Path) -> None:
    from camdesk.store.maintenance import merge_search_index

    store = Store.open(db_path, maintenance_idle_s=3600)  # this test merges by hand
    camera = store.save_camera(Camera(None, "Cổng")).result(timeout=5)
    for i in range(40):  # one index segment per commit, merged later in idle time
        store.add_bookmark(BookmarkDraft(camera.id or 0, i, title=f"Đối tượng số {i}", tags=("đêm",)), "an").result(timeout=5)
    segments = "SELECT COUNT(*) FROM bookmark_fts_idx"
    before = store._read(lambda db: db.conn.execute(segments).fetchone()[0]).result(timeout=5)
    steps = 0
    while store._read(merge_search_index).result(timeout=5):
        steps += 1
        assert steps < 100
    after = store._read(lambda db: db.conn.execute(segments).fetchone()[0]).result(timeout=5)
    assert steps >= 1 and after < before
    assert len(store.search(SearchQuery("doi tuong", limit=100)).result(timeout=5)) == 40
    assert len(store.search(SearchQuery("", tags=("dem",), limit=100)).result(timeout=5)) == 40
    store.close()

"""Camera uptime from status history, and wall layouts kept in the database."""

from __future__ import annotations

import pytest

from camdesk.models.camera import Area, Camera
from camdesk.models.layout import Layout, LayoutItem
from camdesk.store import FieldInvalid, Store

pytestmark = pytest.mark.timeout(60)
HOUR = 3_600_000


def test_uptime_per_camera_and_residential_group(store: Store) -> None:
    area = store.save_area(Area(None, "Tổ 3")).result(timeout=5)
    a = store.save_camera(Camera(None, "A", area_id=area.id)).result(timeout=5)
    b = store.save_camera(Camera(None, "B", area_id=area.id)).result(timeout=5)
    store.save_camera(Camera(None, "C (chưa báo)")).result(timeout=5)
    for cam, online, at in [(a, True, -HOUR), (a, True, 0), (a, False, 6 * HOUR), (a, True, 9 * HOUR),
                            (b, True, 2 * HOUR), (b, False, 12 * HOUR)]:
        store.record_camera_status(cam.id or 0, online, at).result(timeout=5)
    rows = {(r.scope, r.name): r for r in store.uptime(0, 24 * HOUR).result(timeout=5)}
    ra, rb, rc = rows[("camera", "A")], rows[("camera", "B")], rows[("camera", "C (chưa báo)")]
    assert (ra.online_ms, ra.offline_ms, ra.unknown_ms) == (21 * HOUR, 3 * HOUR, 0)
    assert (rb.online_ms, rb.offline_ms, rb.unknown_ms) == (10 * HOUR, 12 * HOUR, 2 * HOUR)
    assert rc.uptime_percent is None and rc.unknown_ms == 24 * HOUR
    group = rows[("area", "Tổ 3")]
    assert (group.online_ms, group.offline_ms) == (31 * HOUR, 15 * HOUR)
    assert group.uptime_percent == pytest.approx(100 * 31 / 46)
    repeated = store._read(lambda db: db.conn.execute("SELECT COUNT(*) FROM camera_status").fetchone()[0]).result(timeout=5)
    assert repeated == 5  # the repeated "online" report for A was not stored


def test_layouts_are_saved_with_unique_names(store: Store) -> None:
    cam = store.save_camera(Camera(None, "Cổng")).result(timeout=5)
    layout = Layout(None, "Tổng quan", 2, 2, (LayoutItem(0, 0, 1, 2, cam.id), LayoutItem(1, 0), LayoutItem(1, 1)))
    saved = store.save_layout(layout).result(timeout=5)
    assert saved.id is not None and store.list_layouts().result(timeout=5) == [saved]
    with pytest.raises(FieldInvalid) as info:
        store.save_layout(Layout.grid("tổng quan", 3)).result(timeout=5)
    assert info.value.field == "name"
    with pytest.raises(FieldInvalid):
        store.save_layout(Layout(None, "Lệch", 2, 2, (LayoutItem(1, 1, 2, 1),))).result(timeout=5)
    renamed = store.save_layout(Layout(saved.id, "Tổng quan 2", 3, 3, saved.items)).result(timeout=5)
    assert store.list_layouts().result(timeout=5) == [renamed]
    store.delete_camera(cam.id or 0).result(timeout=5)
    assert store.list_layouts().result(timeout=5)[0].items[0].camera_id is None  # the tile is now empty
    store.delete_layout(renamed.id or 0).result(timeout=5)
    assert store.list_layouts().result(timeout=5) == []


def test_layouts_from_old_settings_are_imported_once(store: Store) -> None:
    old = [Layout.grid("2x2", 2), Layout.grid("3x3", 3)]
    assert [x.name for x in store.import_layouts(old).result(timeout=5)] == ["2x2", "3x3"]
    assert store.import_layouts(old).result(timeout=5) == []
    assert [x.name for x in store.list_layouts().result(timeout=5)] == ["2x2", "3x3"]

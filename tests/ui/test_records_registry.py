"""The camera registry editor: validation under each field, saving owner and consent, CSV export, and an
import that previews every row's problems and writes nothing until confirmed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from camdesk.models.camera import OwnerType
from camdesk.ui.records.registry_editor import RegistryEditor
from tests.ui.records_support import OFFICER, add_cameras, bridge_fixture, store_fixture, wait  # noqa: F401

pytestmark = pytest.mark.timeout(60)


def _editor(qtbot, store, bridge, rows: int):
    editor = RegistryEditor(store, bridge, lambda: OFFICER)
    editor.confirm = lambda _q: True
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.model.rowCount() == rows, timeout=5000)
    return editor


def test_each_bad_field_gets_its_own_message_and_nothing_is_saved(qtbot, store, bridge):
    editor = _editor(qtbot, store, bridge, 0)
    editor.new_camera()
    for field, value in {
        "name": "   ",
        "latitude": "hai mốt",
        "longitude": "200",
        "owner_phone": "12345",
        "consent_given_on": "2026-03-01",
        "consent_expires": "2026-02-01",
        "installed_on": "01/02/2026",
        "onvif_url": "http://admin:secret@192.168.1.20/onvif/device_service",
    }.items():
        editor.set_field(field, value)
    assert not editor.save()
    errors = editor.field_errors()
    assert set(errors) >= {
        "name",
        "latitude",
        "longitude",
        "owner_phone",
        "consent_expires",
        "installed_on",
        "onvif_url",
    }
    assert "needs a name" in errors["name"]
    assert "must be a number" in errors["latitude"]
    assert "-180 to 180" in errors["longitude"]
    assert "12345" in errors["owner_phone"]
    assert "2026-03-01" in errors["consent_expires"]
    assert "YYYY-MM-DD" in errors["installed_on"]
    assert "password" in errors["onvif_url"]
    assert "secret" not in " ".join(errors.values())
    assert editor.errors["name"].isVisibleTo(editor)
    qtbot.wait(100)
    assert wait(store.list_cameras()) == []


def test_a_valid_camera_is_saved_with_a_new_residential_group(qtbot, store, bridge):
    editor = _editor(qtbot, store, bridge, 0)
    values = {
        "name": "Cổng trường Tiểu học Kim Liên",
        "area": "Tổ dân phố số 12",
        "address": "Số 1 Kim Liên",
        "latitude": "21,0065",
        "longitude": "105.8365",
        "owner_name": "UBND phường Kim Liên",
        "owner_type": OwnerType.WARD.value,
        "owner_phone": "024 3852 1234",
        "consent_given_on": "2026-01-10",
        "consent_scope": "Ghi hình phục vụ an ninh trật tự",
        "consent_expires": "2028-01-10",
        "installed_on": "2025-12-20",
        "notes": "Góc quay ra cổng chính",
    }
    for field, value in values.items():
        editor.set_field(field, value)
    with qtbot.waitSignal(editor.saved, timeout=10000) as saved:
        assert editor.save()
    cam = saved.args[0]
    assert editor.field_errors() == {}
    assert cam.latitude == pytest.approx(21.0065) and cam.owner_type is OwnerType.WARD
    area = {a.id: a.name for a in wait(store.list_areas())}[cam.area_id]
    assert area == "Tổ dân phố số 12"
    stored = wait(store.get_camera(cam.id))
    assert (stored.owner_name, stored.consent_given_on, stored.consent_expires, stored.consent_scope) == (
        "UBND phường Kim Liên",
        "2026-01-10",
        "2028-01-10",
        "Ghi hình phục vụ an ninh trật tự",
    )
    qtbot.waitUntil(lambda: editor.model.rowCount() == 1, timeout=5000)

    # Edit it: the phone changes, the rest stays; then delete it (confirmed).
    assert editor.select_camera(cam.id)
    editor.set_field("owner_phone", "+84 912 000 111")
    with qtbot.waitSignal(editor.saved, timeout=10000) as resaved:
        editor.save()
    assert (
        resaved.args[0].id == cam.id and wait(store.get_camera(cam.id)).owner_name == "UBND phường Kim Liên"
    )
    with qtbot.waitSignal(editor.deleted, timeout=10000):
        assert editor.delete_current()
    qtbot.waitUntil(lambda: editor.model.rowCount() == 0, timeout=5000)


def test_export_then_import_preview_shows_row_errors_and_imports_only_when_confirmed(
    qtbot,
    store,
    bridge,
    tmp_path: Path,
):
    add_cameras(store)
    editor = _editor(qtbot, store, bridge, 2)
    out = tmp_path / "registry.csv"
    with qtbot.waitSignal(editor.exported, timeout=10000) as exported:
        assert editor.export_csv(out)
    assert "2" in exported.args[0]
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["owner_name"] for r in rows} == {"Trần Thị Bình", "Công ty TNHH Minh Phát"}

    # The officer edits the file: one change, one new camera, one bad row.
    fields = list(rows[0].keys())
    rows[0]["owner_phone"] = "0987000111"
    new = dict.fromkeys(fields, "")
    new.update(name="Ngã tư Lê Duẩn", owner_name="Nhà thuốc Hòa Bình", owner_type="business", enabled="1")
    bad = dict.fromkeys(fields, "")
    bad.update(name="Camera lỗi", owner_phone="09-abc", latitude="95", longitude="105")
    src = tmp_path / "edited.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows([rows[0], rows[1], new, bad])

    dialog = editor.import_csv(src)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview() is not None, timeout=10000)
    assert dialog.model.error_lines() == [5]
    problems = dialog.model.data(dialog.model.index(3, 3))
    assert "09-abc" in problems and "-90 to 90" in problems
    assert "1 line(s) have problems" in dialog.summary.text()
    assert dialog.import_button.isEnabled()
    qtbot.wait(100)
    assert len(wait(store.list_cameras())) == 2  # the preview wrote nothing

    with qtbot.waitSignal(dialog.imported, timeout=10000) as imported:
        assert dialog.confirm()
    result = imported.args[0]
    assert (result.added, result.updated) == (1, 2)
    cams = {c.name: c for c in wait(store.list_cameras())}
    assert set(cams) == {"Ngõ 12 Đống Đa", "Chợ Hàng Bè", "Ngã tư Lê Duẩn"}
    assert cams["Ngã tư Lê Duẩn"].owner_name == "Nhà thuốc Hòa Bình"
    qtbot.waitUntil(lambda: editor.model.rowCount() == 3, timeout=5000)


def test_an_unreadable_csv_is_reported_and_nothing_can_be_imported(qtbot, store, bridge, tmp_path: Path):
    editor = _editor(qtbot, store, bridge, 0)
    dialog = editor.import_csv(tmp_path / "missing.csv")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview() is not None, timeout=10000)
    assert "cannot be imported" in dialog.summary.text() and "cannot be read" in dialog.summary.text()
    assert not dialog.import_button.isEnabled() and not dialog.confirm()
    assert dialog.model.data(dialog.model.index(0, 0)) == "file"


def test_a_camera_with_bookmarks_cannot_be_deleted_and_the_editor_says_so(qtbot, store, bridge):
    from camdesk.models.records import BookmarkDraft

    cam = add_cameras(store)[0]
    wait(store.add_bookmark(BookmarkDraft(cam.id, 1_780_000_000_000, title="Bằng chứng"), OFFICER))
    editor = _editor(qtbot, store, bridge, 2)
    assert editor.select_camera(cam.id)
    with qtbot.waitSignal(editor.failed, timeout=10000) as failed:
        assert editor.delete_current()
    assert "Disable the camera instead" in failed.args[0]
    assert wait(store.get_camera(cam.id)).name == cam.name

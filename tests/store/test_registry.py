"""The camera registry: owner and consent fields, validation with messages, CSV export and import."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from camdesk.models.camera import Area, Camera, OwnerType, StreamProfile
from camdesk.store import FieldInvalid, Store
from camdesk.store.validation import camera_problems

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("phone", ["0901234567", "090 123 4567", "+84901234567", "024.3825.1234"])
def test_vietnamese_phone_numbers_are_accepted(phone: str) -> None:
    assert camera_problems(Camera(None, "Cam", owner_phone=phone)) == []


@pytest.mark.parametrize(
    ("camera", "field"),
    [
        (Camera(None, "  "), "name"),
        (Camera(None, "Cam", owner_phone="12345"), "owner_phone"),
        (Camera(None, "Cam", owner_phone="+8490123456"), "owner_phone"),
        (Camera(None, "Cam", latitude=91.0, longitude=105.8), "latitude"),
        (Camera(None, "Cam", latitude=21.0, longitude=-181.0), "longitude"),
        (Camera(None, "Cam", latitude=21.0), "longitude"),
        (Camera(None, "Cam", consent_given_on="2026-13-01"), "consent_given_on"),
        (Camera(None, "Cam", consent_given_on="2026-05-01", consent_expires="2026-04-30"), "consent_expires"),
        (Camera(None, "Cam", main=StreamProfile("rtsp://admin:secret@10.0.0.5/live")), "main"),
    ],
)
def test_invalid_registry_fields_are_named_with_a_message(camera: Camera, field: str) -> None:
    problems = camera_problems(camera)
    assert [p.field for p in problems][:1] == [field]
    assert problems[0].user_message.context == "Store"
    assert problems[0].user_message.english()


def test_saving_an_invalid_camera_is_refused(store: Store) -> None:
    with pytest.raises(FieldInvalid) as info:
        store.save_camera(Camera(None, "Cam", owner_phone="abc")).result(timeout=5)
    assert info.value.field == "owner_phone" and "abc" in info.value.user_message.english()
    assert store.list_cameras().result(timeout=5) == []


REGISTRY = [
    Camera(None, "Cổng chợ Đống Đa", address="12 Đường Nguyễn Lương Bằng", latitude=21.0137, longitude=105.8272,
           owner_name="Nguyễn Thị Hương", owner_type=OwnerType.BUSINESS, owner_phone="0912345678",
           consent_given_on="2026-01-15", consent_scope="Ghi hình lối vào chợ", consent_expires="2027-01-15",
           installed_on="2026-01-20", onvif_url="http://192.168.1.20/onvif/device_service",
           main=StreamProfile("rtsp://192.168.1.20/main"), sub=StreamProfile("rtsp://192.168.1.20/sub"),
           ptz=True, notes="Góc nhìn \"cổng chính\", có dấu phẩy, xuống dòng\nthứ hai"),
    Camera(None, "Nhà văn hóa tổ 5", owner_name="UBND phường", owner_type=OwnerType.WARD, enabled=False),
]


def test_registry_round_trips_through_csv_with_vietnamese(store: Store, tmp_path: Path, db_path: Path) -> None:
    area = store.save_area(Area(None, "Tổ dân phố 5")).result(timeout=5)
    saved = [store.save_camera(c if i else Camera(**{**c.__dict__, "area_id": area.id}), "an").result(timeout=5)
             for i, c in enumerate(REGISTRY)]
    out = tmp_path / "registry.csv"
    assert store.export_registry_csv(out, "an").result(timeout=5) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheet programs read it as UTF-8
    assert "Nguyễn Thị Hương" in out.read_text(encoding="utf-8-sig")

    other = Store.open(tmp_path / "other.sqlite3")
    try:
        preview = other.preview_registry_csv(out).result(timeout=5)
        assert preview.ok and [r.action for r in preview.rows] == ["add", "add"]
        result = other.apply_registry_csv(preview, "binh").result(timeout=5)
        assert (result.added, result.updated) == (2, 0)
        copied = {c.name: c for c in other.list_cameras().result(timeout=5)}
        areas = {a.id: a.name for a in other.list_areas().result(timeout=5)}
    finally:
        other.close()
    for original in saved:
        copy = copied[original.name]
        for field in ("address", "latitude", "longitude", "owner_name", "owner_type", "owner_phone",
                      "consent_given_on", "consent_scope", "consent_expires", "installed_on", "onvif_url",
                      "ptz", "enabled", "notes"):
            assert getattr(copy, field) == getattr(original, field), field
        assert (copy.main and copy.main.uri) == (original.main and original.main.uri)
    assert areas[copied["Cổng chợ Đống Đa"].area_id] == "Tổ dân phố 5"


def test_import_preview_lists_row_errors_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    existing = store.save_camera(Camera(None, "Camera cũ", owner_phone="0901111111")).result(timeout=5)
    path = tmp_path / "import.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "owner_phone", "latitude", "longitude", "consent_given_on", "consent_expires", "owner_type"])
        w.writerow(["", "Camera mới hợp lệ", "0987654321", "21.03", "105.85", "2026-02-01", "2027-02-01", "hộ gia đình"])
        w.writerow(["", "", "0987654321", "", "", "", "", ""])  # line 3: no name
        w.writerow(["", "Số điện thoại sai", "12345", "", "", "", "", ""])  # line 4
        w.writerow(["", "Toạ độ sai", "", "200", "105", "", "", ""])  # line 5
        w.writerow(["", "Đồng ý hết hạn trước", "", "", "", "2026-05-01", "2026-01-01", ""])  # line 6
        w.writerow([str(existing.id), "Camera cũ đổi tên", "", "", "", "", "", "doanh nghiệp"])  # update
        w.writerow(["số 3", "Id hỏng", "", "", "", "", "", ""])  # line 8: not a number
        w.writerow(["777", "Từ máy khác", "", "", "", "", "", ""])  # unknown id: added as new
    preview = store.preview_registry_csv(path).result(timeout=5)
    assert [(e.line, e.field) for e in preview.errors] == [
        (3, "name"), (4, "owner_phone"), (5, "latitude"), (6, "consent_expires"), (8, "id")]
    assert all(e.english() for e in preview.errors)
    assert [(r.line, r.action) for r in preview.rows] == [(2, "add"), (7, "update"), (9, "add")]
    assert [c.name for c in store.list_cameras().result(timeout=5)] == ["Camera cũ"]  # nothing written yet
    result = store.apply_registry_csv(preview, "an").result(timeout=5)
    assert (result.added, result.updated, result.skipped_lines) == (2, 1, (3, 4, 5, 6, 8))
    cams = {c.name: c for c in store.list_cameras().result(timeout=5)}
    assert set(cams) == {"Camera mới hợp lệ", "Camera cũ đổi tên", "Từ máy khác"}
    assert cams["Camera cũ đổi tên"].owner_type is OwnerType.BUSINESS
    assert cams["Camera cũ đổi tên"].owner_phone == ""  # the column was present and empty
    assert cams["Camera mới hợp lệ"].owner_type is OwnerType.HOUSEHOLD


def test_a_file_that_is_not_utf8_gets_a_clear_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("name\nĐèn chiếu sáng\n".encode("cp1258", errors="replace"))  # a legacy Windows code page
    preview = store.preview_registry_csv(path).result(timeout=5)
    assert not preview.rows and "UTF-8" in preview.errors[0].english()

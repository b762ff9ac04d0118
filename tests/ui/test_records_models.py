"""The Qt item models of the records UI, tested as adapters without any view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtTest import QAbstractItemModelTester

from camdesk.models.camera import Area, Camera, OwnerType
from camdesk.models.records import (
    Bookmark,
    CsvPreview,
    CsvRow,
    CsvRowError,
    HitKind,
    IncidentNote,
    SearchHit,
    Severity,
)
from camdesk.ui.records.labels import local_time, split_tags
from camdesk.ui.records.models import (
    RECORD_ROLE,
    THUMBNAIL_ROLE,
    BookmarkListModel,
    CameraRegistryModel,
    CsvPreviewModel,
    NotesModel,
    RecordsModel,
)
from camdesk.ui.records.thumbnails import encode_thumbnail
from tests.ui.records_support import make_frame


def _bookmark(
    id_: int, start_ms: int, title: str = "", jpeg: bytes = b"", tags: tuple[str, ...] = ()
) -> Bookmark:
    return Bookmark(id_, 1, start_ms, 0, title, "", tags, Severity.HIGH, "An", start_ms + 10, jpeg)


def test_records_model_puts_a_new_bookmark_first_and_shows_its_thumbnail(qapp):
    model = RecordsModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_cameras({1: "Ngõ 12"})
    old = SearchHit(HitKind.INCIDENT, 7, "Trộm cắp xe đạp", 1_700_000_000_000, case_number="VV-2026-0007")
    model.set_results([old], [])
    jpeg = encode_thumbnail(make_frame().image)
    model.add_bookmark(_bookmark(3, 1_700_000_100_000, "Người lạ", jpeg, ("đêm",)))
    assert model.rowCount() == 2
    assert model.row_of(HitKind.BOOKMARK, 3) == 0 and model.row_of(HitKind.INCIDENT, 7) == 1
    text = model.data(model.index(0), Qt.ItemDataRole.DisplayRole)
    assert (
        "Người lạ" in text and "Ngõ 12" in text and "#đêm" in text and local_time(1_700_000_100_000) in text
    )
    assert not model.data(model.index(0), Qt.ItemDataRole.DecorationRole).isNull()  # a QIcon the view scales
    pix = model.data(model.index(0), THUMBNAIL_ROLE)
    assert isinstance(pix, QPixmap) and pix.width() == 320
    assert "VV-2026-0007" in model.data(model.index(1), Qt.ItemDataRole.DisplayRole)
    assert model.data(model.index(1), Qt.ItemDataRole.DecorationRole) is None
    # An edit replaces the row instead of adding one; removal takes it out.
    model.add_bookmark(_bookmark(3, 1_700_000_100_000, "Người lạ đeo khẩu trang", jpeg))
    assert model.rowCount() == 2
    assert model.data(model.index(0), RECORD_ROLE).title == "Người lạ đeo khẩu trang"
    model.remove(HitKind.BOOKMARK, 3)
    assert [h.id for h in model.hits()] == [7]
    assert model.data(model.index(5), Qt.ItemDataRole.DisplayRole) is None


def test_bookmark_without_snapshot_or_with_broken_jpeg_has_no_thumbnail(qapp):
    model = BookmarkListModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_bookmarks([_bookmark(2, 2000, jpeg=b"\xff\xd8garbage"), _bookmark(1, 1000)], {1: "Chợ"})
    assert [b.id for b in model.bookmarks()] == [1, 2]  # oldest first, like a timeline
    assert model.data(model.index(0), Qt.ItemDataRole.DecorationRole) is None
    assert model.data(model.index(1), Qt.ItemDataRole.DecorationRole) is None
    assert "(no title)" in model.data(model.index(0), Qt.ItemDataRole.DisplayRole)


def test_notes_timeline_is_in_time_order(qapp):
    model = NotesModel()
    model.set_notes(
        [IncidentNote(2, 1, "Bình", 2000, "sửa: biển số 29A"), IncidentNote(1, 1, "An", 1000, "biển số 29B")]
    )
    texts = [model.data(model.index(r), Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())]
    assert "biển số 29B" in texts[0] and "An" in texts[0]
    assert "sửa: biển số 29A" in texts[1]
    assert model.rowCount(model.index(0)) == 0  # a flat list


def test_registry_model_shows_owner_and_consent_per_camera(qapp):
    model = CameraRegistryModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    cams = [
        Camera(
            id=2,
            name="b cổng chợ",
            area_id=5,
            owner_name="HTX Đồng Xuân",
            owner_type=OwnerType.BUSINESS,
            consent_given_on="2026-02-01",
            consent_scope="ghi hình",
        ),
        Camera(id=1, name="A ngõ 5", owner_name="Ông Lâm", enabled=False),
    ]
    model.today = "2026-06-01"
    model.set_data(cams, [Area(5, "Tổ 4")])
    cols = model.COLUMNS
    rows = [[model.data(model.index(r, c)) for c in range(len(cols))] for r in range(model.rowCount())]
    assert rows[0][cols.index("name")] == "A ngõ 5"  # sorted by name, case-insensitively
    assert rows[0][cols.index("consent")] == "No consent recorded"
    assert rows[0][cols.index("enabled")] == "No"
    assert rows[1][cols.index("area")] == "Tổ 4"
    assert rows[1][cols.index("owner_type")] == "Business"
    assert rows[1][cols.index("consent")] == "Given 2026-02-01, no expiry (ghi hình)"
    assert model.headerData(cols.index("owner_name"), Qt.Orientation.Horizontal) == "Owner"
    assert model.row_of(2) == 1 and model.row_of(99) is None
    amber = Qt.ItemDataRole.ForegroundRole
    assert model.data(model.index(0, cols.index("consent")), amber) is not None  # none on record
    assert model.data(model.index(1, cols.index("consent")), amber) is None  # valid, no expiry


def test_registry_model_flags_an_expired_consent(qapp):
    model = CameraRegistryModel()
    model.today = "2027-02-01"
    model.set_data(
        [Camera(id=1, name="Ngõ 3", consent_given_on="2026-01-05", consent_expires="2027-01-05")], []
    )
    col = model.COLUMNS.index("consent")
    assert model.data(model.index(0, col)) == "EXPIRED on 2027-01-05 (given 2026-01-05)"
    assert model.data(model.index(0, col), Qt.ItemDataRole.ForegroundRole) is not None
    model.today = "2026-12-31"
    assert model.data(model.index(0, col)) == "Given 2026-01-05, until 2027-01-05"


def test_csv_preview_model_lists_each_line_with_its_errors(qapp):
    preview = CsvPreview(
        "cams.csv",
        rows=(
            CsvRow(2, Camera(id=None, name="Ngõ 1"), "Tổ 1", "add"),
            CsvRow(4, Camera(id=3, name="Chợ"), "", "update"),
        ),
        errors=(
            CsvRowError(
                3,
                "owner_phone",
                "Phone number {value} is not valid: use 10 digits starting with 0, or +84 and 9 digits.",
                (("value", "12345"),),
            ),
            CsvRowError(3, "name", "The camera needs a name."),
        ),
    )
    model = CsvPreviewModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_preview(preview)
    rows = [[model.data(model.index(r, c)) for c in range(4)] for r in range(model.rowCount())]
    assert [r[0] for r in rows] == ["2", "3", "4"]
    assert rows[0][1:3] == ["Ngõ 1", "Add"] and rows[2][1:3] == ["Chợ", "Update"]
    assert rows[1][2] == "Skip" and "12345" in rows[1][3] and "needs a name" in rows[1][3]
    assert model.error_lines() == [3]
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.rowCount(QModelIndex()) == 3


@pytest.mark.parametrize(
    ("typed", "tags"),
    [("cướp giật, xe máy", ("cướp giật", "xe máy")), (" a ; b,, a ", ("a", "b")), ("", ())],
)
def test_tags_typed_with_commas_or_semicolons(typed, tags):
    assert split_tags(typed) == tags


def test_thumbnail_is_320_pixels_wide_jpeg_and_rejects_non_images():
    frame = make_frame(width=1920, height=1080)
    jpeg = encode_thumbnail(frame.image)
    assert jpeg[:2] == b"\xff\xd8" and len(jpeg) < 60_000
    import cv2
    import numpy as np

    decoded = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (180, 320, 3)
    with pytest.raises(ValueError):
        encode_thumbnail(np.zeros((10, 10), np.uint8))

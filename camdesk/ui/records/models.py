"""Qt item models over plain lists of records. They hold no store and do no I/O: views and tests feed them.

All of them live on the GUI thread. ``RECORD_ROLE`` returns the record (a frozen dataclass) of a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from camdesk.i18n import Message
from camdesk.models.camera import Area, Camera
from camdesk.models.records import Bookmark, CsvPreview, HitKind, IncidentNote, SearchHit
from camdesk.ui.messages import translate
from camdesk.ui.records.labels import local_time, owner_type_label, severity_label
from camdesk.ui.records.thumbnails import ThumbnailCache

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
THUMBNAIL_ROLE = (
    Qt.ItemDataRole.UserRole + 2
)  # the full 320 px QPixmap; DecorationRole gives a QIcon the view scales
Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole


def bookmark_hit(bookmark: Bookmark) -> SearchHit:
    """The search-result form of a bookmark (for bookmarks that arrive outside a search, e.g. after B)."""
    return SearchHit(
        HitKind.BOOKMARK,
        bookmark.id,
        bookmark.title,
        bookmark.start_ms,
        bookmark.camera_id,
        "",
        bookmark.note,
    )


def bookmark_text(bookmark: Bookmark, camera_name: str) -> str:
    """Two lines for a list row: title (or a placeholder), then time, camera, severity and tags."""
    title = bookmark.title or QCoreApplication.translate("Records", "(no title)")
    parts = [local_time(bookmark.start_ms), camera_name, severity_label(bookmark.severity)]
    if bookmark.tags:
        parts.append("#" + " #".join(bookmark.tags))
    return f"{title}\n" + " · ".join(p for p in parts if p)


class RecordsModel(QAbstractListModel):
    """Search results (bookmarks and incidents), newest first, with bookmark thumbnails.

    ``bookmarks`` maps bookmark ids to full records (for thumbnails, tags, severity); a bookmark hit whose
    record has not arrived yet shows its title and time only.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._bookmarks: dict[int, Bookmark] = {}
        self._cameras: dict[int, str] = {}
        self._thumbs = ThumbnailCache()

    # --- feeding ---------------------------------------------------------------------------------
    def set_cameras(self, names: dict[int, str]) -> None:
        self._cameras = dict(names)
        self._changed_all()

    def set_results(self, hits: Sequence[SearchHit], bookmarks: Sequence[Bookmark]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self._bookmarks = {b.id: b for b in bookmarks}
        self.endResetModel()

    def add_bookmark(self, bookmark: Bookmark) -> None:
        """Show a newly saved bookmark first (newest first), or refresh it if already listed."""
        self._bookmarks[bookmark.id] = bookmark
        row = self.row_of(HitKind.BOOKMARK, bookmark.id)
        if row is not None:
            self._thumbs.forget(bookmark.id)
            self._hits[row] = bookmark_hit(bookmark)
            self.dataChanged.emit(self.index(row), self.index(row))
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._hits.insert(0, bookmark_hit(bookmark))
        self.endInsertRows()

    def remove(self, kind: HitKind, record_id: int) -> None:
        row = self.row_of(kind, record_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._hits[row]
        self.endRemoveRows()
        if kind is HitKind.BOOKMARK:
            self._bookmarks.pop(record_id, None)
            self._thumbs.forget(record_id)

    # --- reading ---------------------------------------------------------------------------------
    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def bookmark(self, bookmark_id: int) -> Bookmark | None:
        return self._bookmarks.get(bookmark_id)

    def row_of(self, kind: HitKind, record_id: int) -> int | None:
        for row, hit in enumerate(self._hits):
            if hit.kind is kind and hit.id == record_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        bookmark = self._bookmarks.get(hit.id) if hit.kind is HitKind.BOOKMARK else None
        if role == RECORD_ROLE:
            return bookmark if bookmark is not None else hit
        if role == Qt.ItemDataRole.DisplayRole:
            if bookmark is not None:
                return bookmark_text(bookmark, self._cameras.get(bookmark.camera_id, ""))
            if hit.kind is HitKind.INCIDENT:
                return f"{hit.case_number} — {hit.title}\n{local_time(hit.time_ms)}"
            camera = self._cameras.get(hit.camera_id, "") if hit.camera_id is not None else ""
            title = hit.title or QCoreApplication.translate("Records", "(no title)")
            return f"{title}\n{local_time(hit.time_ms)} · {camera}".rstrip(" ·")
        if role == Qt.ItemDataRole.DecorationRole and bookmark is not None:
            return self._thumbs.icon(bookmark.id, bookmark.snapshot_jpeg)
        if role == THUMBNAIL_ROLE and bookmark is not None:
            return self._thumbs.pixmap(bookmark.id, bookmark.snapshot_jpeg)
        if role == Qt.ItemDataRole.ToolTipRole:
            if bookmark is not None:
                return bookmark.note or bookmark.title
            return hit.excerpt or hit.title
        return None

    def _changed_all(self) -> None:
        if self._hits:
            self.dataChanged.emit(self.index(0), self.index(len(self._hits) - 1))


class BookmarkListModel(QAbstractListModel):
    """A plain list of bookmarks with thumbnails (an incident's linked bookmarks)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Bookmark] = []
        self._cameras: dict[int, str] = {}
        self._thumbs = ThumbnailCache(capacity=100)

    def set_bookmarks(self, bookmarks: Sequence[Bookmark], cameras: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self._items = sorted(bookmarks, key=lambda b: b.start_ms)
        if cameras is not None:
            self._cameras = dict(cameras)
        self.endResetModel()

    def bookmarks(self) -> list[Bookmark]:
        return list(self._items)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        b = self._items[index.row()]
        if role == RECORD_ROLE:
            return b
        if role == Qt.ItemDataRole.DisplayRole:
            return bookmark_text(b, self._cameras.get(b.camera_id, ""))
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbs.icon(b.id, b.snapshot_jpeg)
        if role == THUMBNAIL_ROLE:
            return self._thumbs.pixmap(b.id, b.snapshot_jpeg)
        if role == Qt.ItemDataRole.ToolTipRole:
            return b.note or b.title
        return None


class NotesModel(QAbstractListModel):
    """An incident's notes timeline, oldest first. Append-only, like the notes themselves."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._notes: list[IncidentNote] = []

    def set_notes(self, notes: Sequence[IncidentNote]) -> None:
        self.beginResetModel()
        self._notes = sorted(notes, key=lambda n: (n.at_ms, n.id))
        self.endResetModel()

    def notes(self) -> list[IncidentNote]:
        return list(self._notes)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._notes)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note = self._notes[index.row()]
        if role == RECORD_ROLE:
            return note
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{local_time(note.at_ms)} — {note.author}\n{note.text}"
        return None


class CameraRegistryModel(QAbstractTableModel):
    """The camera registry as a table: who owns each camera and whether the owner agreed."""

    # Owner and consent first: what the ward must be able to answer for every camera.
    COLUMNS = ("name", "owner_name", "consent", "area", "owner_type", "owner_phone", "address", "enabled")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._cameras: list[Camera] = []
        self._areas: dict[int, str] = {}
        self.today = dt.date.today().isoformat()  # ISO dates compare as strings; tests may set it

    def set_data(self, cameras: Sequence[Camera], areas: Sequence[Area]) -> None:
        self.beginResetModel()
        self._cameras = sorted(cameras, key=lambda c: c.name.casefold())
        self._areas = {a.id: a.name for a in areas if a.id is not None}
        self.endResetModel()

    def cameras(self) -> list[Camera]:
        return list(self._cameras)

    def camera(self, row: int) -> Camera:
        return self._cameras[row]

    def row_of(self, camera_id: int) -> int | None:
        for row, cam in enumerate(self._cameras):
            if cam.id == camera_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._cameras)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = {
            "name": QCoreApplication.translate("Records", "Camera"),
            "area": QCoreApplication.translate("Records", "Residential group"),
            "address": QCoreApplication.translate("Records", "Address"),
            "owner_name": QCoreApplication.translate("Records", "Owner"),
            "owner_type": QCoreApplication.translate("Records", "Owner type"),
            "owner_phone": QCoreApplication.translate("Records", "Phone"),
            "consent": QCoreApplication.translate("Records", "Consent"),
            "enabled": QCoreApplication.translate("Records", "Enabled"),
        }
        return headers[self.COLUMNS[section]] if 0 <= section < len(self.COLUMNS) else None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cameras):
            return None
        cam = self._cameras[index.row()]
        if role == RECORD_ROLE:
            return cam
        column = self.COLUMNS[index.column()]
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == "consent"
            and not consent_valid(cam, self.today)
        ):
            return QColor(240, 180, 90)  # amber: no consent on record, or it has expired
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "area":
            return self._areas.get(cam.area_id, "") if cam.area_id is not None else ""
        if column == "owner_type":
            return owner_type_label(cam.owner_type)
        if column == "consent":
            return consent_text(cam, self.today)
        if column == "enabled":
            return (
                QCoreApplication.translate("Records", "Yes")
                if cam.enabled
                else QCoreApplication.translate("Records", "No")
            )
        return str(getattr(cam, column))


def consent_valid(camera: Camera, today: str) -> bool:
    """Whether the owner's consent is on record and not expired on ``today`` (ISO date)."""
    return bool(camera.consent_given_on) and (not camera.consent_expires or camera.consent_expires >= today)


def consent_text(camera: Camera, today: str | None = None) -> str:
    """ "given 2026-01-05, until 2027-01-05 (scope)" or "no consent recorded", in the user's language;
    an expired consent says so first."""
    if not camera.consent_given_on:
        return QCoreApplication.translate("Records", "No consent recorded")
    today = today or dt.date.today().isoformat()
    if camera.consent_expires and camera.consent_expires < today:
        text = QCoreApplication.translate("Records", "EXPIRED on {expires} (given {given})").format(
            given=camera.consent_given_on, expires=camera.consent_expires
        )
        return f"{text} ({camera.consent_scope})" if camera.consent_scope else text
    if camera.consent_expires:
        text = QCoreApplication.translate("Records", "Given {given}, until {expires}").format(
            given=camera.consent_given_on, expires=camera.consent_expires
        )
    else:
        text = QCoreApplication.translate("Records", "Given {given}, no expiry").format(
            given=camera.consent_given_on
        )
    return f"{text} ({camera.consent_scope})" if camera.consent_scope else text


class CsvPreviewModel(QAbstractTableModel):
    """One row per CSV line: line number, camera name, add/update, and that line's errors (translated)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[int, str, str, str]] = []

    def set_preview(self, preview: CsvPreview) -> None:
        errors: dict[int, list[str]] = {}
        for err in preview.errors:
            errors.setdefault(err.line, []).append(translate(Message("Store", err.message, dict(err.args))))
        names = {row.line: row for row in preview.rows}
        rows: list[tuple[int, str, str, str]] = []
        for line in sorted(set(errors) | set(names)):
            ok = names.get(line)
            action = ""
            if ok is not None and line not in errors:
                action = (
                    QCoreApplication.translate("Records", "Add")
                    if ok.action == "add"
                    else QCoreApplication.translate("Records", "Update")
                )
            elif line in errors:
                action = QCoreApplication.translate("Records", "Skip")
            rows.append(
                (line, ok.camera.name if ok is not None else "", action, "\n".join(errors.get(line, [])))
            )
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def error_lines(self) -> list[int]:
        return [r[0] for r in self._rows if r[3]]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            (
                QCoreApplication.translate("Records", "Line"),
                QCoreApplication.translate("Records", "Camera"),
                QCoreApplication.translate("Records", "Action"),
                QCoreApplication.translate("Records", "Problems"),
            )[section]
            if 0 <= section < 4
            else None
        )

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0 and row[0] <= 0:
                return QCoreApplication.translate("Records", "file")  # a problem of the whole file
            return str(row[index.column()])
        if role == Qt.ItemDataRole.ForegroundRole and row[3]:
            return QColor(240, 120, 110)
        return None


__all__ = [
    "RECORD_ROLE",
    "THUMBNAIL_ROLE",
    "BookmarkListModel",
    "CameraRegistryModel",
    "CsvPreviewModel",
    "NotesModel",
    "RecordsModel",
    "bookmark_hit",
    "consent_text",
    "consent_valid",
]

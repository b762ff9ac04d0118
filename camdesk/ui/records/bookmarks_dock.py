"""The bookmarks dock: search (debounced; accents and case do not matter), filters, thumbnails, edit,
delete with confirmation, and "Create incident" from several selected bookmarks.

Every store call returns a Future whose result arrives on the GUI thread through the bridge; a newer
search makes the answers of older ones stale (a generation counter drops them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QDateTime, QItemSelectionModel, QSize, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from camdesk.models.camera import Area, Camera
from camdesk.models.records import Bookmark, HitKind, SearchHit, SearchQuery, Severity
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe
from camdesk.ui.records.bookmark_popup import BookmarkPopup
from camdesk.ui.records.delivery import deliver
from camdesk.ui.records.futures import mapped, then
from camdesk.ui.records.incident_window import IncidentWindow
from camdesk.ui.records.labels import TIME_FORMAT, severity_label, split_tags
from camdesk.ui.records.models import RecordsModel

log = logging.getLogger(__name__)
DEBOUNCE_MS = 300
THUMB_SIZE = QSize(128, 72)


class BookmarksDock(QDockWidget):
    """Lists bookmarks and incidents found by the search box and filters.

    Signals (GUI thread): ``results_shown`` after a search's results are in the list; ``failed(text)``
    with a translated error; ``incident_window_opened(IncidentWindow)``.
    """

    results_shown = Signal()
    failed = Signal(str)
    incident_window_opened = Signal(object)
    bookmark_deleted = Signal(int)

    def __init__(
        self, store: Any, bridge: GuiBridge, author_fn: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BookmarksDock")
        self.setWindowTitle(self.tr("Bookmarks and incidents"))
        self._store = store
        self._bridge = bridge
        self._author_fn = author_fn
        self._generation = 0
        self._cameras: dict[int, Camera] = {}
        self._areas: list[Area] = []
        self.windows: list[IncidentWindow] = []
        self.popups: list[BookmarkPopup] = []
        # Asked before deleting; tests replace it. Returns True to go ahead.
        self.confirm: Callable[[str], bool] = self._ask

        self.model = RecordsModel(self)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.read_only = bool(getattr(store, "read_only", False))
        self._build()
        if self.read_only:
            self.read_only_note.setVisible(True)
        self.reload_cameras()

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        body = QWidget()
        self.read_only_note = QLabel(self.tr("Read-only: you can search and look, but not change anything."))
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet("color: #f0b35e;")
        self.read_only_note.setVisible(False)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search: words, with or without accents"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())

        self.kind_box = QComboBox()
        self.kind_box.addItem(self.tr("Bookmarks and incidents"), None)
        self.kind_box.addItem(self.tr("Bookmarks only"), HitKind.BOOKMARK)
        self.kind_box.addItem(self.tr("Incidents only"), HitKind.INCIDENT)
        self.camera_box = QComboBox()
        self.area_box = QComboBox()
        self.severity_box = QComboBox()
        self.severity_box.addItem(self.tr("Any severity"), None)
        for sev in Severity:
            self.severity_box.addItem(severity_label(sev), sev)
        self.tag_edit = QLineEdit()
        self.tag_edit.setPlaceholderText(self.tr("Tag"))
        self.range_check = QCheckBox(self.tr("Between"))
        now = QDateTime.currentDateTime()
        self.from_edit = QDateTimeEdit(now.addDays(-7))
        self.to_edit = QDateTimeEdit(now.addDays(1))
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat(TIME_FORMAT)
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            edit.dateTimeChanged.connect(lambda _d: self._debounce.start())
        self.range_check.toggled.connect(self.from_edit.setEnabled)
        self.range_check.toggled.connect(self.to_edit.setEnabled)
        self.range_check.toggled.connect(lambda _c: self._debounce.start())
        for box in (self.kind_box, self.camera_box, self.area_box, self.severity_box):
            box.currentIndexChanged.connect(lambda _i: self._debounce.start())
        self.tag_edit.textChanged.connect(lambda _t: self._debounce.start())

        filters = QGridLayout()
        filters.addWidget(self.kind_box, 0, 0)
        filters.addWidget(self.severity_box, 0, 1)
        filters.addWidget(self.camera_box, 1, 0)
        filters.addWidget(self.area_box, 1, 1)
        filters.addWidget(self.tag_edit, 2, 0, 1, 2)
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_check)
        range_row.addWidget(self.from_edit, 1)
        range_row.addWidget(QLabel("–"))
        range_row.addWidget(self.to_edit, 1)

        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setIconSize(THUMB_SIZE)
        self.view.setUniformItemSizes(False)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("Open / edit"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.incident_button = QPushButton(self.tr("Create incident"))
        self.incident_button.setToolTip(self.tr("Make an incident (vụ việc) from the selected bookmarks"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.incident_button.clicked.connect(self.create_incident_from_selection)
        buttons = QHBoxLayout()
        for b in (self.edit_button, self.delete_button, self.incident_button):
            buttons.addWidget(b)

        layout = QVBoxLayout(body)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.search_edit)
        layout.addLayout(filters)
        layout.addLayout(range_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setWidget(body)
        self._update_buttons()

    # --- cameras and groups for the filters ------------------------------------------------------
    def reload_cameras(self) -> None:
        """Fetch cameras and residential groups for the filters and the camera names in the list."""
        deliver(self._bridge, self, self._store.list_cameras(), self._on_cameras, self._on_error)
        deliver(self._bridge, self, self._store.list_areas(), self._on_areas, self._on_error)

    def _on_cameras(self, cameras: list[Camera]) -> None:
        self._cameras = {c.id: c for c in cameras if c.id is not None}
        self.model.set_cameras({i: c.name for i, c in self._cameras.items()})
        _refill(self.camera_box, self.tr("All cameras"), [(c.name, i) for i, c in self._cameras.items()])

    def _on_areas(self, areas: list[Area]) -> None:
        self._areas = list(areas)
        _refill(
            self.area_box,
            self.tr("All residential groups"),
            [(a.name, a.id) for a in areas if a.id is not None],
        )

    def camera_names(self) -> dict[int, str]:
        return {i: c.name for i, c in self._cameras.items()}

    # --- searching -------------------------------------------------------------------------------
    def set_search_text(self, text: str) -> None:
        """Type into the search box (the search runs after the debounce)."""
        self.search_edit.setText(text)

    def set_filters(
        self,
        *,
        camera_id: int | None = None,
        area_id: int | None = None,
        from_ms: int | None = None,
        to_ms: int | None = None,
        tag: str = "",
        severity: Severity | None = None,
        kind: HitKind | None = None,
    ) -> None:
        """Set every filter at once (None or "" = any); the search runs after the debounce."""
        _select_data(self.camera_box, camera_id)
        _select_data(self.area_box, area_id)
        _select_data(self.severity_box, severity)
        _select_data(self.kind_box, kind)
        self.tag_edit.setText(tag)
        ranged = from_ms is not None or to_ms is not None
        if from_ms is not None:
            self.from_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(from_ms))
        if to_ms is not None:
            self.to_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(to_ms))
        self.range_check.setChecked(ranged)
        self._debounce.start()

    def query(self) -> SearchQuery:
        """The search the box and filters describe."""
        kind = _enum(HitKind, self.kind_box.currentData())  # combo boxes may hand back plain strings
        severity = _enum(Severity, self.severity_box.currentData())
        kinds = frozenset({HitKind.BOOKMARK, HitKind.INCIDENT}) if kind is None else frozenset({kind})
        if severity is not None:  # severity is a bookmark filter here (SearchQuery has none; see _apply)
            kinds = frozenset({HitKind.BOOKMARK})
        camera = self.camera_box.currentData()
        area = self.area_box.currentData()
        q = SearchQuery(
            text=self.search_edit.text().strip(),
            kinds=kinds,
            camera_ids=(camera,) if camera is not None else (),
            area_ids=(area,) if area is not None else (),
            tags=split_tags(self.tag_edit.text()),
            limit=200,
        )
        if self.range_check.isChecked():
            q = replace(
                q,
                from_ms=self.from_edit.dateTime().toMSecsSinceEpoch(),
                to_ms=self.to_edit.dateTime().toMSecsSinceEpoch(),
            )
        return q

    def refresh(self) -> None:
        """Run the search now; results replace the list when they arrive (GUI thread)."""
        self._debounce.stop()
        self._generation += 1
        generation = self._generation
        query = self.query()
        severity = _enum(Severity, self.severity_box.currentData())
        store = self._store
        self.status.setText(self.tr("Searching…"))

        def with_bookmarks(hits: list[SearchHit]) -> Any:  # on the store thread: ask for the full records
            ids = [h.id for h in hits if h.kind is HitKind.BOOKMARK]
            return mapped(store.get_bookmarks(ids), lambda found: (hits, found))

        both = then(store.search(query), with_bookmarks)
        deliver(
            self._bridge,
            self,
            both,
            lambda pair: self._apply(generation, pair[0], pair[1], severity),
            lambda exc: self._on_error(exc, generation),
        )

    def _apply(
        self, generation: int, hits: list[SearchHit], bookmarks: list[Bookmark], severity: Any
    ) -> None:
        if generation != self._generation:
            return  # an older search answered late; the newer one will fill the list
        if severity is not None:
            keep = {b.id for b in bookmarks if b.severity == severity}
            hits = [h for h in hits if h.kind is HitKind.BOOKMARK and h.id in keep]
            bookmarks = [b for b in bookmarks if b.id in keep]
        self.model.set_results(hits, bookmarks)
        n = len(hits)
        self.status.setText(self.tr("{count} found").format(count=n) if n else self.tr("Nothing found"))
        self._update_buttons()
        self.results_shown.emit()

    def follow(self, action: Any) -> None:
        """Show the bookmarks a :class:`BookmarkAction` saves, and the officer's edits to them, as they happen."""
        action.saved.connect(self.add_bookmark)
        action.updated.connect(self.add_bookmark)

    def add_bookmark(self, bookmark: Bookmark) -> None:
        """Show a bookmark just saved (e.g. by B on a tile) at the top of the list. GUI thread."""
        self.model.add_bookmark(bookmark)

    # --- selection and actions -------------------------------------------------------------------
    def select(self, kind: HitKind, ids: list[int]) -> None:
        """Select these records in the list (as an officer would with Ctrl+click)."""
        sel = self.view.selectionModel()
        sel.clearSelection()
        for record_id in ids:
            row = self.model.row_of(kind, record_id)
            if row is not None:
                sel.select(self.model.index(row), QItemSelectionModel.SelectionFlag.Select)
        self._update_buttons()

    def selected_hits(self) -> list[SearchHit]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        return [self.model.hit(r) for r in rows]

    def selected_bookmark_ids(self) -> list[int]:
        return [h.id for h in self.selected_hits() if h.kind is HitKind.BOOKMARK]

    def _update_buttons(self) -> None:
        hits = self.selected_hits()
        self.edit_button.setEnabled(len(hits) == 1)
        writable = not self.read_only
        self.delete_button.setEnabled(
            writable and bool(hits) and all(h.kind is HitKind.BOOKMARK for h in hits)
        )
        self.incident_button.setEnabled(writable and bool(self.selected_bookmark_ids()))

    def edit_selected(self) -> QWidget | None:
        """Open the selected bookmark's editor or the selected incident's window."""
        hits = self.selected_hits()
        if len(hits) != 1:
            return None
        hit = hits[0]
        if hit.kind is HitKind.INCIDENT:
            return self.open_incident(hit.id)
        bookmark = self.model.bookmark(hit.id)
        if bookmark is None:
            return None
        popup = BookmarkPopup(
            self._store,
            self._bridge,
            self._author_fn,
            bookmark,
            self.camera_names().get(bookmark.camera_id, ""),
            self,
        )
        popup.setWindowTitle(self.tr("Edit bookmark"))
        popup.saved.connect(self.add_bookmark)
        popup.destroyed.connect(lambda _=None, p=popup: self.popups.remove(p) if p in self.popups else None)
        self.popups.append(popup)
        popup.show()
        popup.activateWindow()
        return popup

    def delete_selected(self, confirmed: bool = False) -> bool:
        """Delete the selected bookmarks after confirmation; the store audits each deletion."""
        ids = self.selected_bookmark_ids()
        if not ids:
            return False
        question = self.tr("Delete {count} bookmark(s)? This is recorded in the audit log.").format(
            count=len(ids)
        )
        if not confirmed and not self.confirm(question):
            return False
        actor = self._author_fn()
        for bookmark_id in ids:
            self._delete_one(bookmark_id, actor)
        return True

    def _delete_one(self, bookmark_id: int, actor: str) -> None:
        def deleted(_none: None) -> None:
            self._on_deleted(bookmark_id)

        deliver(self._bridge, self, self._store.delete_bookmark(bookmark_id, actor), deleted, self._on_error)

    def _on_deleted(self, bookmark_id: int) -> None:
        self.model.remove(HitKind.BOOKMARK, bookmark_id)
        self._update_buttons()
        self.bookmark_deleted.emit(bookmark_id)

    def create_incident_from_selection(self) -> IncidentWindow | None:
        """Open an incident window prefilled with the selected bookmarks (created when the officer confirms)."""
        ids = self.selected_bookmark_ids()
        if not ids:
            return None
        window = self._new_window()
        window.start_new(ids)
        return window

    def open_incident(self, incident_id: int) -> IncidentWindow:
        """Open the window of an existing incident."""
        for window in self.windows:
            current = window.incident()
            if current is not None and current.id == incident_id:
                window.show()
                window.raise_()
                return window
        window = self._new_window()
        window.load(incident_id)
        return window

    def _new_window(self) -> IncidentWindow:
        window = IncidentWindow(
            self._store, self._bridge, self._author_fn, self.camera_names(), self, self.selected_bookmark_ids
        )
        window.changed.connect(lambda _i: self._debounce.start())
        window.destroyed.connect(
            lambda _=None, w=window: self.windows.remove(w) if w in self.windows else None
        )
        self.windows.append(window)
        window.show()
        self.incident_window_opened.emit(window)
        return window

    # --- errors ----------------------------------------------------------------------------------
    def _on_error(self, exc: BaseException, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return
        log.warning("Records dock: %s", exc)
        text = describe(exc)
        self.status.setText(text)
        self.failed.emit(text)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Delete bookmarks"), question)
        return answer == QMessageBox.StandardButton.Yes


def _refill(box: QComboBox, any_text: str, items: list[tuple[str, Any]]) -> None:
    """Replace a filter's choices, keeping the current one if it still exists, without re-searching twice."""
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    box.addItem(any_text, None)
    for text, data in sorted(items, key=lambda t: t[0].casefold()):
        box.addItem(text, data)
    _select_data(box, current)
    box.blockSignals(False)


def _select_data(box: QComboBox, data: Any) -> None:
    index = box.findData(data) if data is not None else 0
    box.setCurrentIndex(max(index, 0))


def _enum(kind: Any, value: Any) -> Any:
    """``value`` as a member of the enum ``kind`` (None stays None)."""
    return None if value is None else kind(value)

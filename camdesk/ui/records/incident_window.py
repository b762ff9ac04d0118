"""The incident (vụ việc) window: create one from bookmarks, then follow it — case number, status,
an append-only notes timeline, and the linked bookmarks with their thumbnails.

All store calls return Futures delivered on the GUI thread by the bridge; the window only shows what
the store confirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDateTime, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from camdesk.models.records import Bookmark, Incident, IncidentDraft, IncidentStatus, Severity
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe
from camdesk.ui.records.delivery import deliver
from camdesk.ui.records.futures import then
from camdesk.ui.records.labels import TIME_FORMAT, local_time, severity_label, status_label
from camdesk.ui.records.models import BookmarkListModel, NotesModel

log = logging.getLogger(__name__)


class IncidentWindow(QWidget):
    """One incident. Use :meth:`start_new` (from bookmarks) or :meth:`load` (an existing one).

    Signals (GUI thread): ``changed(Incident)`` whenever the store confirmed a change (creation included),
    ``failed(text)`` with a translated error, ``bookmarks_shown`` when the linked bookmarks are listed.
    """

    changed = Signal(object)
    failed = Signal(str)
    bookmarks_shown = Signal()

    def __init__(
        self,
        store: Any,
        bridge: GuiBridge,
        author_fn: Callable[[], str],
        cameras: dict[int, str] | None = None,
        parent: QWidget | None = None,
        selection_fn: Callable[[], list[int]] | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("IncidentWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._store = store
        self._bridge = bridge
        self._author_fn = author_fn
        self._cameras = dict(cameras or {})
        self._selection_fn = selection_fn
        self._incident: Incident | None = None
        self._pending_ids: list[int] = []
        self._busy = False
        self.notes_model = NotesModel(self)
        self.bookmarks_model = BookmarkListModel(self)
        self._build()
        self._show_mode()
        deliver(self._bridge, self, self._store.list_categories(), self._on_categories, self._on_error)
        self.resize(720, 640)

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.case_label = QLabel()
        self.case_label.setObjectName("CaseNumber")
        font = self.case_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.case_label.setFont(font)
        self.created_label = QLabel()

        self.title_edit = QLineEdit()
        self.category_box = QComboBox()
        self.category_box.setEditable(True)
        self.category_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.severity_box = QComboBox()
        for sev in Severity:
            self.severity_box.addItem(severity_label(sev), sev)
        self.severity_box.setCurrentIndex(list(Severity).index(Severity.MEDIUM))
        self.status_box = QComboBox()
        for st in IncidentStatus:
            self.status_box.addItem(status_label(st), st)
        self.status_box.activated.connect(
            lambda _i: self.set_status(IncidentStatus(self.status_box.currentData()))
        )
        self.occurred_edit = QDateTimeEdit(QDateTime.currentDateTime())
        self.occurred_edit.setDisplayFormat(TIME_FORMAT)
        self.occurred_edit.setCalendarPopup(True)
        self.place_edit = QLineEdit()
        self.description_edit = QPlainTextEdit()
        self.description_edit.setFixedHeight(70)
        self.create_button = QPushButton(self.tr("Create incident"))
        self.create_button.clicked.connect(lambda: self.create_incident())
        self.save_button = QPushButton(self.tr("Save details"))
        self.save_button.clicked.connect(lambda: self.save_details())

        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Category"), self.category_box)
        form.addRow(self.tr("Severity"), self.severity_box)
        form.addRow(self.tr("Status"), self.status_box)
        form.addRow(self.tr("Occurred at"), self.occurred_edit)
        form.addRow(self.tr("Place"), self.place_edit)
        form.addRow(self.tr("Description"), self.description_edit)
        detail_buttons = QHBoxLayout()
        detail_buttons.addStretch(1)
        detail_buttons.addWidget(self.create_button)
        detail_buttons.addWidget(self.save_button)

        notes_box = QGroupBox(self.tr("Notes (a correction is a new note; notes are never changed)"))
        self.notes_view = QListView()
        self.notes_view.setModel(self.notes_model)
        self.notes_view.setWordWrap(True)
        self.notes_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("Write a note…"))
        self.note_edit.setFixedHeight(60)
        self.note_button = QPushButton(self.tr("Add note"))
        self.note_button.clicked.connect(lambda: self.add_note())
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes_view, 1)
        notes_layout.addWidget(self.note_edit)
        notes_layout.addWidget(self.note_button, 0, Qt.AlignmentFlag.AlignRight)

        links_box = QGroupBox(self.tr("Linked bookmarks"))
        self.bookmarks_view = QListView()
        self.bookmarks_view.setModel(self.bookmarks_model)
        self.bookmarks_view.setIconSize(QSize(128, 72))
        self.bookmarks_view.setWordWrap(True)
        self.bookmarks_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.bookmarks_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.link_button = QPushButton(self.tr("Link bookmarks selected in the list"))
        self.link_button.clicked.connect(self._link_from_selection)
        self.link_button.setEnabled(self._selection_fn is not None)
        self.unlink_button = QPushButton(self.tr("Unlink"))
        self.unlink_button.clicked.connect(self._unlink_selected)
        link_buttons = QHBoxLayout()
        link_buttons.addWidget(self.link_button)
        link_buttons.addWidget(self.unlink_button)
        links_layout = QVBoxLayout(links_box)
        links_layout.addWidget(self.bookmarks_view, 1)
        links_layout.addLayout(link_buttons)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        lower = QHBoxLayout()
        lower.addWidget(notes_box, 1)
        lower.addWidget(links_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.case_label)
        layout.addWidget(self.created_label)
        layout.addLayout(form)
        layout.addLayout(detail_buttons)
        layout.addLayout(lower, 1)
        layout.addWidget(self.status_label)

    def _show_mode(self) -> None:
        inc = self._incident
        new = inc is None
        self.create_button.setVisible(new)
        self.save_button.setVisible(not new)
        self.status_box.setEnabled(not new)
        for w in (self.note_edit, self.note_button, self.unlink_button):
            w.setEnabled(not new)
        self.link_button.setEnabled(not new and self._selection_fn is not None)
        if inc is None:
            self.setWindowTitle(self.tr("New incident"))
            self.case_label.setText(self.tr("New incident (the case number is given when it is created)"))
            self.created_label.clear()
            return
        self.setWindowTitle(self.tr("Incident {case}").format(case=inc.case_number))
        self.case_label.setText(f"{inc.case_number} — {inc.title}")
        self.created_label.setText(
            self.tr("Opened {time} by {author}").format(
                time=local_time(inc.created_ms), author=inc.created_by
            )
        )

    # --- public ----------------------------------------------------------------------------------
    def incident(self) -> Incident | None:
        """The incident as the store last confirmed it (None before creation)."""
        return self._incident

    def start_new(self, bookmark_ids: Sequence[int]) -> None:
        """Prepare a new incident from these bookmarks (nothing is saved until :meth:`create_incident`)."""
        self._pending_ids = list(bookmark_ids)
        self._load_bookmarks(self._pending_ids, set_occurred=True)

    def load(self, incident_id: int) -> None:
        """Show an existing incident."""
        deliver(self._bridge, self, self._store.get_incident(incident_id), self._on_incident, self._on_error)

    def set_form(
        self,
        title: str,
        category: str,
        severity: Severity | None = None,
        place: str = "",
        description: str = "",
    ) -> None:
        """Fill the details as an officer would type them."""
        self.title_edit.setText(title)
        self.category_box.setCurrentText(category)
        if severity is not None:
            self.severity_box.setCurrentIndex(list(Severity).index(severity))
        self.place_edit.setText(place)
        self.description_edit.setPlainText(description)

    def draft(self) -> IncidentDraft:
        """The details in the form."""
        return IncidentDraft(
            title=self.title_edit.text().strip(),
            category=" ".join(self.category_box.currentText().split()),
            severity=Severity(self.severity_box.currentData()),
            officer=self._incident.officer if self._incident is not None else self._author_fn(),
            occurred_ms=self.occurred_edit.dateTime().toMSecsSinceEpoch(),
            place=self.place_edit.text().strip(),
            description=self.description_edit.toPlainText().strip(),
        )

    def create_incident(self) -> bool:
        """Create the incident with the pending bookmarks; a new category is added to the list first."""
        if self._incident is not None or self._busy:
            return False
        draft = self.draft()
        if not draft.title:
            self._show_problem(self.tr("The incident needs a title."))
            self.title_edit.setFocus()
            return False
        if not draft.category:
            self._show_problem(self.tr("Choose a category."))
            return False
        actor = self._author_fn()
        store = self._store
        ids = list(self._pending_ids)
        known = [self.category_box.itemText(i) for i in range(self.category_box.count())]
        if draft.category in known:
            future = store.create_incident(draft, ids, actor)
        else:
            future = then(
                store.add_category(draft.category), lambda _cats: store.create_incident(draft, ids, actor)
            )
        self._run(future, self._on_incident)
        return True

    def save_details(self) -> bool:
        """Save the edited details of an existing incident (its notes and case number never change)."""
        if self._incident is None or self._busy:
            return False
        draft = self.draft()
        if not draft.title:
            self._show_problem(self.tr("The incident needs a title."))
            return False
        self._run(self._store.update_incident(self._incident.id, draft, self._author_fn()), self._on_incident)
        return True

    def set_status(self, status: IncidentStatus) -> bool:
        """Move the incident to ``status`` (open, investigating, closed); audited by the store."""
        if self._incident is None or status == self._incident.status:
            return False
        self._run(
            self._store.set_incident_status(self._incident.id, status, self._author_fn()), self._on_incident
        )
        return True

    def add_note(self, text: str | None = None) -> bool:
        """Append a note (the text box's text if ``text`` is None). The box clears once the note is saved."""
        if self._incident is None:
            return False
        body = (self.note_edit.toPlainText() if text is None else text).strip()
        if not body:
            self._show_problem(self.tr("The note is empty."))
            return False
        incident_id = self._incident.id
        store = self._store
        future = then(
            store.add_incident_note(incident_id, body, self._author_fn()),
            lambda _note: store.get_incident(incident_id),
        )
        self._run(future, self._on_note_saved)
        return True

    def link(self, bookmark_ids: Sequence[int]) -> bool:
        """Link more bookmarks to the incident."""
        if self._incident is None or not bookmark_ids:
            return False
        self._run(
            self._store.link_bookmarks(self._incident.id, list(bookmark_ids), self._author_fn()),
            self._on_incident,
        )
        return True

    def unlink(self, bookmark_ids: Sequence[int]) -> bool:
        """Remove links to bookmarks (the bookmarks themselves stay)."""
        if self._incident is None or not bookmark_ids:
            return False
        self._run(
            self._store.unlink_bookmarks(self._incident.id, list(bookmark_ids), self._author_fn()),
            self._on_incident,
        )
        return True

    def selected_bookmark_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.bookmarks_view.selectionModel().selectedIndexes())
        items = self.bookmarks_model.bookmarks()
        return [items[r].id for r in rows]

    # --- GUI-thread callbacks --------------------------------------------------------------------
    def _run(self, future: Any, on_result: Callable[[Any], None]) -> None:
        self._busy = True
        self.status_label.setText(self.tr("Saving…"))
        deliver(self._bridge, self, future, lambda r: self._done(on_result, r), self._on_error)

    def _done(self, on_result: Callable[[Any], None], result: Any) -> None:
        self._busy = False
        self.status_label.clear()
        on_result(result)

    def _on_categories(self, categories: list[str]) -> None:
        current = self.category_box.currentText()
        self.category_box.clear()
        self.category_box.addItems(categories)
        self.category_box.setCurrentText(current if current else (categories[0] if categories else ""))
        if self._incident is not None:
            self.category_box.setCurrentText(self._incident.category)

    def _on_incident(self, incident: Incident) -> None:
        self._incident = incident
        self.title_edit.setText(incident.title)
        self.category_box.setCurrentText(incident.category)
        self.severity_box.setCurrentIndex(list(Severity).index(incident.severity))
        self.status_box.setCurrentIndex(list(IncidentStatus).index(incident.status))
        if incident.occurred_ms is not None:
            self.occurred_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(incident.occurred_ms))
        self.place_edit.setText(incident.place)
        self.description_edit.setPlainText(incident.description)
        self.notes_model.set_notes(incident.notes)
        self._show_mode()
        self._load_bookmarks(list(incident.bookmark_ids), set_occurred=False)
        self.changed.emit(incident)

    def _on_note_saved(self, incident: Incident) -> None:
        self.note_edit.clear()
        self._on_incident(incident)

    def _load_bookmarks(self, ids: list[int], *, set_occurred: bool) -> None:
        def shown(bookmarks: list[Bookmark]) -> None:
            self.bookmarks_model.set_bookmarks(bookmarks, self._cameras)
            if set_occurred and bookmarks:
                first = min(b.start_ms for b in bookmarks)
                self.occurred_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(first))
            self.bookmarks_shown.emit()

        deliver(self._bridge, self, self._store.get_bookmarks(ids), shown, self._on_error)

    def _link_from_selection(self) -> None:
        if self._selection_fn is not None:
            self.link(self._selection_fn())

    def _unlink_selected(self) -> None:
        self.unlink(self.selected_bookmark_ids())

    def _show_problem(self, text: str) -> None:
        self.status_label.setText(text)
        self.failed.emit(text)

    def _on_error(self, exc: BaseException) -> None:
        self._busy = False
        if self._incident is not None:  # show the status the store really has
            self.status_box.setCurrentIndex(list(IncidentStatus).index(self._incident.status))
        log.warning("Incident window: %s", exc)
        self._show_problem(describe(exc))

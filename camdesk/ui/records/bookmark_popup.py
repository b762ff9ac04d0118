"""The small popup after B: title, note, tags and severity for a bookmark that is already saved.

Non-modal and shown without taking the keyboard focus (the wall keeps it until the officer clicks the
popup). Closing it with unsaved edits saves them: nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from camdesk.models.records import Bookmark, Severity
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe
from camdesk.ui.records.delivery import deliver
from camdesk.ui.records.labels import local_time, severity_label, split_tags
from camdesk.ui.records.thumbnails import jpeg_to_image


class BookmarkPopup(QFrame):
    """Edits one saved bookmark. ``saved`` carries the updated Bookmark (GUI thread)."""

    saved = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        store: Any,
        bridge: GuiBridge,
        author_fn: Callable[[], str],
        bookmark: Bookmark,
        camera_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Tool)
        self.setObjectName("BookmarkPopup")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._store = store
        self._bridge = bridge
        self._author_fn = author_fn
        self._bookmark = bookmark
        self._saving = False
        self._closing = False
        self.setWindowTitle(self.tr("Bookmark saved"))

        header = QLabel(
            self.tr("Saved: {camera}, {time}").format(camera=camera_name, time=local_time(bookmark.start_ms))
        )
        header.setWordWrap(True)
        self._thumb = QLabel()
        image = jpeg_to_image(bookmark.snapshot_jpeg)
        if not image.isNull():
            self._thumb.setPixmap(
                QPixmap.fromImage(image).scaledToWidth(240, Qt.TransformationMode.SmoothTransformation)
            )
        self.title_edit = QLineEdit(bookmark.title)
        self.title_edit.setPlaceholderText(self.tr("What happened?"))
        self.note_edit = QPlainTextEdit(bookmark.note)
        self.note_edit.setFixedHeight(70)
        self.tags_edit = QLineEdit(", ".join(bookmark.tags))
        self.tags_edit.setPlaceholderText(self.tr("tags, separated by commas"))
        self.severity_box = QComboBox()
        for sev in Severity:
            self.severity_box.addItem(severity_label(sev), sev)
        self.severity_box.setCurrentIndex(list(Severity).index(bookmark.severity))
        self.status = QLabel()
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Note"), self.note_edit)
        form.addRow(self.tr("Tags"), self.tags_edit)
        form.addRow(self.tr("Severity"), self.severity_box)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        close_button = QPushButton(self.tr("Close"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.title_edit.returnPressed.connect(self.save)  # Enter saves; in the note it starts a new line
        self.tags_edit.returnPressed.connect(self.save)
        close_button.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self._thumb)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(300, self.sizeHint().height())

    # --- public ----------------------------------------------------------------------------------
    def bookmark(self) -> Bookmark:
        """The bookmark as last saved."""
        return self._bookmark

    def set_fields(
        self, title: str, note: str = "", tags: str = "", severity: Severity | None = None
    ) -> None:
        """Fill the form as an officer would type it."""
        self.title_edit.setText(title)
        self.note_edit.setPlainText(note)
        self.tags_edit.setText(tags)
        if severity is not None:
            self.severity_box.setCurrentIndex(list(Severity).index(severity))

    def is_dirty(self) -> bool:
        """Whether the form differs from the saved bookmark."""
        b = self._bookmark
        return (
            self.title_edit.text().strip() != b.title
            or self.note_edit.toPlainText().strip() != b.note
            or _tag_key(split_tags(self.tags_edit.text())) != _tag_key(b.tags)
            or Severity(self.severity_box.currentData()) is not b.severity
        )

    def save(self) -> None:
        """Write the edits through the store; the Future's result lands in ``_on_saved`` (GUI thread)."""
        if self._saving or not self.is_dirty():
            if self._closing and not self._saving:
                super().close()
            return
        draft = replace(
            self._bookmark.draft(),
            title=self.title_edit.text().strip(),
            note=self.note_edit.toPlainText().strip(),
            tags=split_tags(self.tags_edit.text()),
            severity=Severity(self.severity_box.currentData()),
        )
        self._saving = True
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        future = self._store.update_bookmark(self._bookmark.id, draft, self._author_fn())
        deliver(self._bridge, self, future, self._on_saved, self._on_error)

    def show_near(self, anchor: QWidget | None, stack: int = 0) -> None:
        """Show beside ``anchor`` (the tile) without taking the keyboard focus from it; ``stack`` shifts
        popups of quick successive presses so none hides another."""
        had_focus = QApplication.focusWidget()
        if anchor is not None:
            step = 24 * (stack % 8)
            self.move(anchor.mapToGlobal(QPoint(12 + step, 12 + step)))
        self.show()
        # Some window managers (and the offscreen platform) activate new windows anyway: give the keyboard
        # straight back to whoever had it (the wall), so B, arrows and PTZ keys keep working.
        if had_focus is not None and had_focus.window() is not self:
            had_focus.window().activateWindow()
            had_focus.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- events ----------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing with unsaved edits saves them first, then closes."""
        if self._saving or self.is_dirty():
            self._closing = True
            event.ignore()
            self.save()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def _on_saved(self, bookmark: Bookmark) -> None:
        self._saving = False
        self._bookmark = bookmark
        self.save_button.setEnabled(True)
        self.status.setText(self.tr("Saved."))
        self.saved.emit(bookmark)
        if self._closing:
            self._closing = False
            self.close()

    def _on_error(self, exc: BaseException) -> None:
        self._saving = False
        self._closing = False  # keep the window open so the text is not lost
        self.save_button.setEnabled(True)
        text = describe(exc)
        self.status.setText(text)
        self.failed.emit(text)


def _tag_key(tags: tuple[str, ...]) -> list[str]:
    """Tags compared the way the store keeps them (whitespace collapsed, case-insensitive, any order)."""
    return sorted({" ".join(t.split()).casefold() for t in tags})

"""Pressing B on a live tile: bookmark the frame on screen, at that frame's time, with a thumbnail.

The video keeps playing: the thumbnail is encoded on a small pool, the bookmark is written by the store
thread, and only when its Future resolves does the UI show it as saved (a non-modal popup to add a title,
note and tags, which the officer may ignore: the bookmark is already saved).
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from camdesk.models.records import Bookmark, BookmarkDraft
from camdesk.models.stream import VideoFrame
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe
from camdesk.ui.records.bookmark_popup import BookmarkPopup
from camdesk.ui.records.futures import then
from camdesk.ui.records.thumbnails import encode_in_background

log = logging.getLogger(__name__)


def frame_time_ms(frame: VideoFrame) -> int:
    """The bookmark's start: when the camera took the frame on screen (UTC ms), not when B was pressed."""
    return round(frame.captured_at * 1000)


class BookmarkAction(QObject):
    """Makes bookmarks from frames on screen. Create and use it on the GUI thread.

    ``author_fn()`` names the officer on duty. ``show_error(text)`` shows a translated error (default: a
    non-modal message box over the tile). Signals fire on the GUI thread.
    """

    saved = Signal(object)  # Bookmark, once it is on disk
    updated = Signal(object)  # Bookmark, after the officer edited it in the popup
    failed = Signal(str)  # translated error text
    popup_shown = Signal(object)  # BookmarkPopup

    def __init__(
        self,
        store: Any,
        bridge: GuiBridge,
        author_fn: Callable[[], str],
        show_error: Callable[[str], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._bridge = bridge
        self._author_fn = author_fn
        self._show_error = show_error
        self.show_popup = True  # tests and batch tools may turn the popup off
        self.popups: list[BookmarkPopup] = []

    def bookmark_frame(
        self, camera_id: int, camera_name: str, frame: VideoFrame | None, parent_widget: QWidget | None
    ) -> None:
        """Bookmark ``frame`` of camera ``camera_id``; returns at once (GUI thread never waits)."""
        if frame is None:
            self._fail(
                self.tr("There is no picture on this tile yet, so nothing was bookmarked."), parent_widget
            )
            return
        start_ms = frame_time_ms(frame)
        author = self._author_fn()
        store = self._store

        def save(jpeg: bytes) -> concurrent.futures.Future[Bookmark]:  # runs on the thumbnail pool
            draft = BookmarkDraft(camera_id=camera_id, start_ms=start_ms, snapshot_jpeg=jpeg)
            return store.add_bookmark(draft, author)  # type: ignore[no-any-return]

        future = then(encode_in_background(frame.image), save)
        self._bridge.when_done(
            future,
            lambda b: self._on_saved(b, camera_name, parent_widget),
            lambda exc: self._on_error(exc, parent_widget),
        )

    # --- GUI thread ------------------------------------------------------------------------------
    def _on_saved(self, bookmark: Bookmark, camera_name: str, parent_widget: QWidget | None) -> None:
        log.info("Bookmark %s saved on camera %s", bookmark.id, bookmark.camera_id)
        self.saved.emit(bookmark)
        if not self.show_popup:
            return
        if parent_widget is not None and not shiboken6.isValid(parent_widget):
            parent_widget = None  # the tile went away meanwhile (layout changed): the popup still appears
        # Parented to the tile's window, not the tile: a tile that is replaced must not take the text with it.
        owner = parent_widget.window() if parent_widget is not None else None
        popup = BookmarkPopup(self._store, self._bridge, self._author_fn, bookmark, camera_name, owner)
        popup.saved.connect(self.updated)
        popup.destroyed.connect(lambda _=None, p=popup: self._forget(p))
        popup.show_near(parent_widget, stack=len(self.popups))
        self.popups.append(popup)
        self.popup_shown.emit(popup)

    def _forget(self, popup: BookmarkPopup) -> None:
        if popup in self.popups:
            self.popups.remove(popup)

    def _on_error(self, exc: BaseException, parent_widget: QWidget | None) -> None:
        log.warning("Bookmark not saved: %s", exc)
        self._fail(
            self.tr("The bookmark was not saved. {reason}").format(reason=describe(exc)), parent_widget
        )

    def _fail(self, text: str, parent_widget: QWidget | None) -> None:
        self.failed.emit(text)
        if parent_widget is not None and not shiboken6.isValid(parent_widget):
            parent_widget = None
        if self._show_error is not None:
            self._show_error(text)
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Bookmark"), text, QMessageBox.StandardButton.Ok, parent_widget
        )
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()

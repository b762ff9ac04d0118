"""Named layouts kept in the store (save, rename, delete) and the layout tour. GUI thread only.

Every store call returns a Future; results come back through the bridge, so the GUI never waits.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from camdesk.errors import StorageError
from camdesk.models.layout import Layout
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.wall import grid

log = logging.getLogger(__name__)


class LayoutManager(QObject):
    """The saved layouts, sorted by name. ``changed`` fires after every successful load or change."""

    changed = Signal()
    saved = Signal(object)  # the saved Layout (with its id)
    failed = Signal(object)  # the exception (ValidationError for a duplicate name, StorageError, ...)

    def __init__(self, bridge: GuiBridge, store: Any | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._store = store
        self.layouts: list[Layout] = []
        self.loaded = False  # True once the store has answered at least once

    def reload(self) -> None:
        if self._store is None:
            return
        self._bridge.when_done(self._store.list_layouts(), self._set, self.failed.emit)

    def _set(self, layouts: list[Layout]) -> None:
        self.layouts = sorted(layouts, key=lambda lay: lay.name.casefold())
        self.loaded = True
        self.changed.emit()

    def by_name(self, name: str) -> Layout | None:
        return next((lay for lay in self.layouts if lay.name == name), None)

    def save(self, layout: Layout, name: str | None = None) -> None:
        """Save ``layout`` (under ``name`` if given: a new entry unless that name exists, then it is updated)."""
        if self._store is None:
            self.failed.emit(StorageError("the database is not open"))
            return
        if name is not None:
            existing = self.by_name(name)
            layout = replace(layout, id=existing.id if existing else None, name=name)
        grid.validate(layout)
        self._bridge.when_done(self._store.save_layout(layout), self._after_save, self.failed.emit)

    def _after_save(self, layout: Layout) -> None:
        self.layouts = [lay for lay in self.layouts if lay.id != layout.id] + [layout]
        self._set(self.layouts)
        self.saved.emit(layout)

    def rename(self, layout: Layout, new_name: str) -> None:
        if self._store is None or layout.id is None:
            return
        self._bridge.when_done(
            self._store.save_layout(replace(layout, name=new_name)), self._after_save, self.failed.emit
        )

    def delete(self, layout: Layout) -> None:
        if self._store is None or layout.id is None:
            return
        layout_id = layout.id

        def gone(_: object) -> None:
            self._set([lay for lay in self.layouts if lay.id != layout_id])

        self._bridge.when_done(self._store.delete_layout(layout_id), gone, self.failed.emit)


class LayoutTour(QObject):
    """Cycles the saved layouts on a wall every ``seconds``; stops when there is nothing to cycle."""

    step = Signal(object)  # the Layout to show next
    running_changed = Signal(bool)

    def __init__(self, manager: LayoutManager, seconds: int = 20, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._index = -1
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, seconds) * 1000)
        self._timer.timeout.connect(self._next)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @property
    def seconds(self) -> int:
        return max(1, self._timer.interval() // 1000)

    def set_seconds(self, seconds: float) -> None:
        self._timer.setInterval(max(100, int(seconds * 1000)))

    def start(self) -> bool:
        if len(self._manager.layouts) < 1:
            return False
        self._index = -1
        self._timer.start()
        self._next()
        self.running_changed.emit(True)
        return True

    def stop(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.running_changed.emit(False)

    def _next(self) -> None:
        layouts = self._manager.layouts
        if not layouts:
            self.stop()
            return
        self._index = (self._index + 1) % len(layouts)
        self.step.emit(layouts[self._index])

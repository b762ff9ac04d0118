"""One call that puts the records UI into the main window: the bookmarks dock, a Records menu, and the
bookmark action the wall calls when B (or the tile's bookmark button) is pressed.

The lead's wiring in ``camdesk.app``::

    records = install_records_ui(window, store, bridge, author_fn=lambda: settings.operator_name or getpass.getuser())
    # in the wall, on B or the tile's bookmark button (GUI thread):
    records.bookmark_tile(camera.id, camera.name, tile.frame(), tile)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from camdesk.models.stream import VideoFrame
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.records.bookmark_action import BookmarkAction
from camdesk.ui.records.bookmarks_dock import BookmarksDock
from camdesk.ui.records.registry_editor import RegistryEditor


@dataclass
class RecordsUi:
    """What :func:`install_records_ui` created. Use on the GUI thread."""

    window: QMainWindow
    store: Any
    bridge: GuiBridge
    author_fn: Callable[[], str]
    action: BookmarkAction
    dock: BookmarksDock
    registry: RegistryEditor | None = None
    menu_actions: dict[str, QAction] = field(default_factory=dict)

    def bookmark_tile(
        self, camera_id: int, camera_name: str, frame: VideoFrame | None, tile: QWidget | None
    ) -> None:
        """Bookmark the frame on ``tile`` now (B key or tile button); returns at once."""
        self.action.bookmark_frame(camera_id, camera_name, frame, tile)

    def open_registry(self) -> RegistryEditor:
        """Show the camera registry editor (one window, reused)."""
        if self.registry is None:
            self.registry = RegistryEditor(self.store, self.bridge, self.author_fn, self.window)
            self.registry.saved.connect(lambda _c: self.dock.reload_cameras())
            self.registry.deleted.connect(lambda _i: self.dock.reload_cameras())
            self.registry.destroyed.connect(self._registry_gone)
            self.registry.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.registry.show()
        self.registry.raise_()
        return self.registry

    def _registry_gone(self, _obj: QObject | None = None) -> None:
        self.registry = None

    def import_registry(self, path: Path | None = None) -> None:
        self.open_registry().import_csv(path)

    def export_registry(self, path: Path | None = None) -> None:
        self.open_registry().export_csv(path)


def install_records_ui(
    window: QMainWindow,
    store: Any,
    bridge: GuiBridge,
    author_fn: Callable[[], str],
    show_error: Callable[[str], None] | None = None,
) -> RecordsUi:
    """Add the bookmarks dock (right side) and a Records menu to ``window``; return the pieces."""
    if show_error is None:
        show_error = getattr(window, "show_error", None)
    action = BookmarkAction(store, bridge, author_fn, show_error, window)
    dock = BookmarksDock(store, bridge, author_fn, window)
    dock.follow(action)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    ui = RecordsUi(window, store, bridge, author_fn, action, dock)
    bar = window.menuBar()
    menu = QMenu(QCoreApplication.translate("Records", "&Records"), bar)
    existing = bar.actions()
    if len(existing) >= 2:  # before Help, which stays last
        bar.insertMenu(existing[-1], menu)
    else:
        bar.addMenu(menu)
    toggle = dock.toggleViewAction()
    toggle.setShortcut("Ctrl+Shift+B")
    menu.addAction(toggle)
    ui.menu_actions["dock"] = toggle
    ui.menu_actions["registry"] = menu.addAction(
        QCoreApplication.translate("Records", "Camera &registry…"), lambda: ui.open_registry()
    )
    menu.addSeparator()
    ui.menu_actions["import"] = menu.addAction(
        QCoreApplication.translate("Records", "&Import registry from CSV…"), lambda: ui.import_registry()
    )
    ui.menu_actions["export"] = menu.addAction(
        QCoreApplication.translate("Records", "&Export registry to CSV…"), lambda: ui.export_registry()
    )
    dock.refresh()
    return ui

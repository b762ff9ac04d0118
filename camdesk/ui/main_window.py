"""The main window: camera tree on the left, the wall in the centre, status bar with counts and a clock.

Dock areas stay free for later capabilities (PTZ, events, bookmarks: ``addDockWidget``). The services
come in a :class:`WallContext`; without one (tests, no database) the window runs with an empty catalog.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from camdesk import __version__, heap
from camdesk.errors import ValidationError
from camdesk.models.layout import Layout
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe
from camdesk.ui.shortcuts_dialog import ShortcutsDialog
from camdesk.ui.tree import CameraTreePanel
from camdesk.ui.wall import grid
from camdesk.ui.wall.context import WallContext
from camdesk.ui.wall.layouts import LayoutTour
from camdesk.ui.wall.toolbar import PRESET_ORDER, LayoutChooser, preset_label
from camdesk.ui.wall.wall import WallWidget
from camdesk.ui.window_manager import WindowManager, screen_label, toggle_full_screen


class MainWindow(QMainWindow):
    def __init__(self, context: WallContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("camdesk - Security camera control room"))
        self.resize(1440, 860)
        self.setDockNestingEnabled(True)
        self._pending_name = ""
        self._heap_settled = False  # heap.settle() runs at the first show
        self.context = context or WallContext.create(GuiBridge(self))
        ctx = self.context
        self.wall = WallWidget(ctx.hub, ctx.snapshots_dir, self)
        self.setCentralWidget(self.wall)
        self.wall.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.wall.layout_changed.connect(self._on_layout_changed)
        self.tree = CameraTreePanel(ctx.catalog, self)
        self.tree.camera_activated.connect(lambda cid: self.wall.set_camera(self.wall.selected, cid))
        self.cameras_dock = QDockWidget(self.tr("Cameras"), self)
        self.cameras_dock.setObjectName("CamerasDock")
        self.cameras_dock.setWidget(self.tree)
        self.cameras_dock.setMinimumWidth(270)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.cameras_dock)
        self.windows = WindowManager(ctx, self)
        self.tour = LayoutTour(ctx.layouts, ctx.settings.tour_seconds if ctx.settings else 20, self)
        self.tour.step.connect(self.wall.set_layout)
        ctx.layouts.failed.connect(lambda exc: self.show_error(describe(exc)))
        ctx.layouts.saved.connect(self._on_saved)
        ctx.catalog.failed.connect(lambda exc: self.show_error(describe(exc)))
        ctx.catalog.status_changed.connect(self._update_counts)
        ctx.catalog.changed.connect(self._update_counts)
        self._build_toolbar()
        self._build_menu()
        self._build_status_bar()
        self.wall.set_show_stats(bool(ctx.settings and ctx.settings.show_statistics))
        self.wall.setFocus()
        self._first_layout_pending = True
        ctx.layouts.changed.connect(self._first_layout)
        ctx.catalog.changed.connect(self._first_layout)
        self.extra_shortcuts: list[tuple[str, str]] = []  # (keys, action) rows other panels add to the help

    # --- construction -------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = self.addToolBar(self.tr("Wall"))
        bar.setObjectName("WallToolbar")
        bar.setMovable(False)
        bar.addWidget(QLabel(self.tr("Layout:")))
        self.chooser = LayoutChooser(self.context.layouts, self)
        self.chooser.preset_chosen.connect(self.wall.apply_preset)
        self.chooser.saved_chosen.connect(self.wall.set_layout)
        bar.addWidget(self.chooser)
        self.save_layout_action = bar.addAction(self.tr("Save layout…"), self.save_layout_as)
        self.tour_action = bar.addAction(self.tr("Layout tour"))
        self.tour_action.setCheckable(True)
        self.tour_action.toggled.connect(self._toggle_tour)
        self.tour.running_changed.connect(self.tour_action.setChecked)
        bar.addSeparator()
        self.stats_action = bar.addAction(self.tr("Statistics"))
        self.stats_action.setCheckable(True)
        self.stats_action.setChecked(bool(self.context.settings and self.context.settings.show_statistics))
        self.stats_action.toggled.connect(self.wall.set_show_stats)
        self.new_window_action = bar.addAction(self.tr("New wall window"), self.open_wall_window)
        self.full_screen_action = QAction(self.tr("Full screen"), self)
        self.full_screen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.full_screen_action.triggered.connect(lambda: toggle_full_screen(self))
        bar.addAction(self.full_screen_action)
        self.addAction(self.full_screen_action)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.tr("&Quit"), QKeySequence(QKeySequence.StandardKey.Quit), self.close)
        view = self.menuBar().addMenu(self.tr("&View"))
        presets = view.addMenu(self.tr("Layout"))
        group = QActionGroup(self)
        for key in PRESET_ORDER:
            act = presets.addAction(preset_label(key))
            act.triggered.connect(lambda _=False, k=key: self.wall.apply_preset(k))
            group.addAction(act)
        view.addAction(self.cameras_dock.toggleViewAction())
        view.addAction(self.stats_action)
        view.addAction(self.full_screen_action)
        view.addSeparator()
        self.screens_menu = view.addMenu(self.tr("Open this layout on screen"))
        self.screens_menu.aboutToShow.connect(self._fill_screens_menu)
        view.addAction(self.new_window_action)
        layouts = self.menuBar().addMenu(self.tr("&Layouts"))
        layouts.addAction(self.save_layout_action)
        layouts.addAction(self.tr("Rename layout…"), self.rename_layout)
        layouts.addAction(self.tr("Delete layout"), self.delete_layout)
        layouts.addSeparator()
        layouts.addAction(self.tour_action)
        layouts.addAction(self.tr("Tour interval…"), self.ask_tour_interval)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&Keyboard shortcuts"), QKeySequence(Qt.Key.Key_F1), self.show_shortcuts)
        help_menu.addAction(self.tr("&About camdesk"), self.show_about)

    def _build_status_bar(self) -> None:
        self._counts = QLabel()
        self._counts.setObjectName("StatusCounts")
        self._clock = QLabel()
        self._clock.setObjectName("StatusClock")
        self.statusBar().addPermanentWidget(self._counts)
        self.statusBar().addPermanentWidget(self._clock)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick)
        self._clock_timer.start()
        self._tick()
        self._update_counts()

    # --- status bar ---------------------------------------------------------------------------------
    def _tick(self) -> None:
        self._clock.setText(QDateTime.currentDateTime().toString("dd/MM/yyyy  HH:mm:ss"))

    def _update_counts(self, *_: object) -> None:
        online, offline = self.context.catalog.counts()
        total = len(self.context.catalog.cameras)
        self._counts.setText(
            self.tr("Cameras: {total}   Online: {online}   Offline: {offline}").format(
                total=total, online=online, offline=offline
            )
        )

    def status_counts_text(self) -> str:
        return self._counts.text()

    # --- layouts ------------------------------------------------------------------------------------
    def _first_layout(self) -> None:
        """At start: the layout in use when camdesk was last closed, else the first cameras on a grid."""
        ctx = self.context
        if not self._first_layout_pending or not (ctx.catalog.loaded and ctx.layouts.loaded):
            return
        self._first_layout_pending = False
        if any(it.camera_id is not None for it in self.wall.current_layout().items):
            return  # something (the demo, the user) already filled the wall
        last = ctx.layouts.by_name(ctx.settings.last_layout) if ctx.settings and ctx.settings.last_layout else None
        if last is not None:
            self.wall.set_layout(last)
            return
        cams = sorted(ctx.catalog.cameras.values(),
                      key=lambda c: (c.area_id is None, c.area_id or 0, c.name.casefold()))
        ids = [c.id for c in cams if c.enabled and c.id is not None]
        if ids:
            key = next(k for k, n in (("1x1", 1), ("2x2", 4), ("3x3", 9), ("4x4", 16)) if len(ids) <= n or k == "4x4")
            self.wall.set_layout(grid.with_cameras(grid.PRESETS[key], ids))

    def last_layout_name(self) -> str:
        """The saved layout on the wall (remembered in the settings for the next start), or ""."""
        layout = self.wall.current_layout()
        return layout.name if layout.id is not None else ""

    def _on_layout_changed(self, layout: Layout) -> None:
        self.chooser.show_layout(layout)

    def _on_saved(self, layout: Layout) -> None:
        current = self.wall.current_layout()
        if layout.name == self._pending_name or current.id == layout.id:
            # this window asked for the save ("save as" or rename): the wall now shows that saved layout
            self.wall.adopt(layout.id, layout.name)
            self._pending_name = ""
        self.statusBar().showMessage(self.tr("Layout \"{name}\" saved").format(name=layout.name), 8000)

    def save_layout_as(self, name: str | None = None) -> None:
        """Save the current wall under a name (asked for if not given); an existing name is updated."""
        if name is None:
            current = self.wall.current_layout()
            suggestion = current.name if current.id is not None else ""
            asked = self._ask_text(self.tr("Save layout"), self.tr("Name of the layout:"), suggestion)
            if asked is None:
                return
            name = asked
        name = name.strip()
        if not name:
            self.show_error(self.tr("The layout needs a name."))
            return
        self._pending_name = name
        try:
            self.context.layouts.save(self.wall.current_layout(), name)
        except ValidationError as exc:  # the grid's own check, before anything reaches the store
            self.show_error(QCoreApplication.translate("Wall", exc.detail))

    def rename_layout(self, new_name: str | None = None) -> None:
        current = self.wall.current_layout()
        if current.id is None:
            self.statusBar().showMessage(self.tr("Save the layout first, then it can be renamed."), 8000)
            return
        if new_name is None:
            asked = self._ask_text(self.tr("Rename layout"), self.tr("New name:"), current.name)
            if asked is None:
                return
            new_name = asked
        new_name = new_name.strip()
        if new_name:
            self._pending_name = new_name
            self.context.layouts.rename(current, new_name)

    def delete_layout(self, confirm: bool = True) -> None:
        current = self.wall.current_layout()
        if current.id is None:
            self.statusBar().showMessage(self.tr("This layout is not saved."), 8000)
            return
        if confirm:
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete layout"),
                              self.tr("Delete the layout \"{name}\"?").format(name=current.name), parent=self)
            delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not delete:
                return
        self.context.layouts.delete(current)
        self.wall.adopt(None, current.name)

    def _toggle_tour(self, on: bool) -> None:
        if on and not self.tour.running:
            if not self.tour.start():
                self.tour_action.setChecked(False)
                self.statusBar().showMessage(self.tr("Save at least one layout to start a tour."), 8000)
        elif not on:
            self.tour.stop()

    def ask_tour_interval(self) -> None:
        dialog = QInputDialog(self)
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setWindowTitle(self.tr("Layout tour"))
        dialog.setLabelText(self.tr("Show each layout for (seconds):"))
        dialog.setIntRange(3, 3600)
        dialog.setIntValue(self.tour.seconds)
        dialog.setOkButtonText(self.tr("OK"))
        dialog.setCancelButtonText(self.tr("Cancel"))
        if dialog.exec():
            self.tour.set_seconds(dialog.intValue())

    def _ask_text(self, title: str, label: str, text: str) -> str | None:
        """A small text prompt with translated buttons (Qt has no Vietnamese for its own); None = cancelled."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.setOkButtonText(self.tr("OK"))
        dialog.setCancelButtonText(self.tr("Cancel"))
        return dialog.textValue() if dialog.exec() else None

    # --- windows ------------------------------------------------------------------------------------
    def _fill_screens_menu(self) -> None:
        self.screens_menu.clear()
        for i, screen in enumerate(QGuiApplication.screens()):
            act = self.screens_menu.addAction(screen_label(screen, i))
            act.triggered.connect(
                lambda _=False, s=screen: self.windows.open(self.wall.current_layout(), s, full_screen=True)
            )

    def open_wall_window(self) -> None:
        self.windows.open(self.wall.current_layout())

    # --- dialogs ------------------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self, self.extra_shortcuts)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About camdesk"),
            self.tr("camdesk {version}\nVideo wall and evidence desk for the ward police.").format(
                version=__version__
            ),
        )

    def show_error(self, text: str) -> None:
        """Show an error without blocking: a non-modal box plus the status bar."""
        self.statusBar().showMessage(text, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("camdesk"), text, parent=self)
        box.addButton(self.tr("OK"), QMessageBox.ButtonRole.AcceptRole)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()

    def showEvent(self, event: QShowEvent) -> None:
        # Start-up's objects stay for good: take them out of the garbage collector's way before any video
        # plays (camdesk.heap says why). The one collection this costs happens as the window appears.
        super().showEvent(event)
        if not self._heap_settled:
            self._heap_settled = True
            heap.settle()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.tour.stop()
        self.windows.close_all()
        self.wall.shutdown()
        super().closeEvent(event)

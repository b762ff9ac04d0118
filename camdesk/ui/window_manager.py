"""Extra wall windows: open any layout in its own window on any screen, full screen with F11.

Each window has its own wall, selection, keyboard and full-screen state; they share the camera catalog,
the stream engine and the saved layouts. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar, QWidget

from camdesk.models.layout import Layout
from camdesk.ui.wall.context import WallContext
from camdesk.ui.wall.toolbar import LayoutChooser
from camdesk.ui.wall.wall import WallWidget


def toggle_full_screen(window: QMainWindow) -> None:
    """F11: the wall alone on the whole screen, or back to the normal window with its bars and docks."""
    chrome = [w for w in window.findChildren(QToolBar)] + [window.menuBar(), window.statusBar()]
    if window.isFullScreen():
        window.showNormal()
        for w in chrome:
            if w.property("camdesk_hidden_by_fullscreen"):
                w.show()
                w.setProperty("camdesk_hidden_by_fullscreen", False)
    else:
        for w in chrome:
            if w.isVisibleTo(window):
                w.hide()
                w.setProperty("camdesk_hidden_by_fullscreen", True)
        window.showFullScreen()


class WallWindow(QMainWindow):
    """A window that shows one layout on its own wall."""

    closed = Signal(object)  # this window

    def __init__(self, context: WallContext, layout: Layout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WallWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context = context
        self.wall = WallWidget(context.hub, context.snapshots_dir, self)
        self.wall.set_show_stats(bool(context.settings and context.settings.show_statistics))
        self.setCentralWidget(self.wall)
        self.wall.set_layout(layout)
        self._title(layout)
        self.wall.layout_changed.connect(self._title)
        self.wall.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        bar = self.addToolBar(self.tr("Layout"))
        bar.setObjectName("WallWindowToolbar")
        bar.setMovable(False)
        bar.addWidget(QLabel(self.tr("Layout:")))
        self.chooser = LayoutChooser(context.layouts, self)
        self.chooser.preset_chosen.connect(self.wall.apply_preset)
        self.chooser.saved_chosen.connect(self.wall.set_layout)
        self.wall.layout_changed.connect(self.chooser.show_layout)
        self.chooser.show_layout(layout)
        bar.addWidget(self.chooser)
        self.full_screen_action = QAction(self.tr("Full screen"), self)
        self.full_screen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.full_screen_action.triggered.connect(lambda: toggle_full_screen(self))
        bar.addAction(self.full_screen_action)
        self.addAction(self.full_screen_action)  # keeps F11 working while the toolbar is hidden
        self.resize(1280, 760)

    def _title(self, layout: Layout) -> None:
        self.setWindowTitle(self.tr("camdesk wall - {layout}").format(layout=layout.name))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.wall.shutdown()
        self.closed.emit(self)
        super().closeEvent(event)


class WindowManager(QObject):
    """Keeps track of the extra wall windows."""

    def __init__(self, context: WallContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.windows: list[WallWindow] = []

    def open(self, layout: Layout, screen: QScreen | None = None, full_screen: bool = False) -> WallWindow:
        """Open ``layout`` in a new window on ``screen`` (the next screen after the primary if None)."""
        window = WallWindow(self.context, layout)
        window.closed.connect(self._forget)
        target = screen or self.other_screen()
        if target is not None:
            geo = target.availableGeometry()
            window.move(geo.topLeft())
            window.resize(min(1280, geo.width()), min(760, geo.height()))
        self.windows.append(window)
        if target is not None:
            window.winId()  # creates the native window, so it can be put on the target screen
            window.windowHandle().setScreen(target)
        if full_screen:
            toggle_full_screen(window)
        else:
            window.show()
        return window

    @staticmethod
    def other_screen() -> QScreen | None:
        screens = QGuiApplication.screens()
        primary = QGuiApplication.primaryScreen()
        others = [s for s in screens if s is not primary]
        return others[0] if others else primary

    def _forget(self, window: WallWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def close_all(self) -> None:
        for w in list(self.windows):
            w.close()


def screen_label(screen: QScreen, index: int) -> str:
    geo = screen.geometry()
    return QCoreApplication.translate("WindowManager", "Screen {n}: {name} ({w}×{h})").format(
        n=index + 1, name=screen.name(), w=geo.width(), h=geo.height()
    )

"""The main window: menu, status bar with a clock, and the dock areas later capabilities fill."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from camdesk import __version__


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("camdesk - Security camera control room"))
        self.resize(1280, 800)
        self.setDockNestingEnabled(True)
        placeholder = QLabel(self.tr("No cameras yet"))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(placeholder)
        self._build_menu()
        self._clock = QLabel()
        self.statusBar().addPermanentWidget(self._clock)
        self._clock_timer = QTimer(self, interval=1000, timeout=self._tick)
        self._clock_timer.start()
        self._tick()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.tr("&Quit"), self.close)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&About camdesk"), self.show_about)

    def _tick(self) -> None:
        self._clock.setText(QDateTime.currentDateTime().toString("dd/MM/yyyy HH:mm:ss"))

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
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("camdesk"), text, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()

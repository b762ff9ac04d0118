"""Help > Keyboard shortcuts: every key the wall understands, in the officer's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from camdesk.i18n import QT_TRANSLATE_NOOP

# (keys, what they do); keys without a marker are the same in every language
ROWS: tuple[tuple[str, str], ...] = (
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Arrow keys"),
        QT_TRANSLATE_NOOP("Shortcuts", "Move the selection to the neighbouring tile"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Enter / double-click"),
        QT_TRANSLATE_NOOP("Shortcuts", "Fill the wall with the selected camera (main stream)"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Esc / double-click"),
        QT_TRANSLATE_NOOP("Shortcuts", "Back to the whole layout"),
    ),
    ("1", QT_TRANSLATE_NOOP("Shortcuts", "Layout 1 camera")),
    ("2", QT_TRANSLATE_NOOP("Shortcuts", "Layout 2×2")),
    ("3", QT_TRANSLATE_NOOP("Shortcuts", "Layout 3×3")),
    ("4", QT_TRANSLATE_NOOP("Shortcuts", "Layout 4×4")),
    ("5", QT_TRANSLATE_NOOP("Shortcuts", "Layout 5×5")),
    ("6", QT_TRANSLATE_NOOP("Shortcuts", "Layout 6×6")),
    ("7", QT_TRANSLATE_NOOP("Shortcuts", "Layout 8×8")),
    ("8", QT_TRANSLATE_NOOP("Shortcuts", "Layout 1 large + 5 small")),
    ("F11", QT_TRANSLATE_NOOP("Shortcuts", "Full screen on/off")),
    ("Ctrl+S", QT_TRANSLATE_NOOP("Shortcuts", "Save a snapshot (PNG) of the selected camera")),
    ("Delete", QT_TRANSLATE_NOOP("Shortcuts", "Remove the camera from the selected tile")),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Mouse wheel"),
        QT_TRANSLATE_NOOP("Shortcuts", "Digital zoom on a tile"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Drag (zoomed)"),
        QT_TRANSLATE_NOOP("Shortcuts", "Move around in the zoomed picture"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Drag a tile"),
        QT_TRANSLATE_NOOP("Shortcuts", "Swap two tiles"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Drag a camera from the list"),
        QT_TRANSLATE_NOOP("Shortcuts", "Show it on a tile"),
    ),
    ("F1", QT_TRANSLATE_NOOP("Shortcuts", "This list of shortcuts")),
)


def shortcuts() -> list[tuple[str, str]]:
    """(keys, what they do), translated. Other panels add rows (B = bookmark) via ``extra``."""
    return [(QCoreApplication.translate("Shortcuts", k), QCoreApplication.translate("Shortcuts", a)) for k, a in ROWS]


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, extra: list[tuple[str, str]] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcuts() + list(extra or [])
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        for r, (keys, action) in enumerate(rows):
            k = QTableWidgetItem(keys)
            k.setFlags(Qt.ItemFlag.ItemIsEnabled)
            a = QTableWidgetItem(action)
            a.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(r, 0, k)
            self.table.setItem(r, 1, a)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(self)
        # our own label: Qt ships no Vietnamese for its standard buttons
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.table)
        box.addWidget(buttons)
        self.resize(640, 620)

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            keys, action = self.table.item(r, 0), self.table.item(r, 1)
            if keys is not None and action is not None:
                out.append((keys.text(), action.text()))
        return out

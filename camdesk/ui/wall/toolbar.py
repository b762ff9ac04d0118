"""The layout chooser shared by every wall window: presets (keys 1-8) and the saved layouts."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from camdesk.models.layout import Layout
from camdesk.ui.wall import grid
from camdesk.ui.wall.layouts import LayoutManager

PRESET_ORDER = ("1x1", "2x2", "3x3", "4x4", "5x5", "6x6", "8x8", "1+5", "1+7", "2+8")


def preset_label(key: str) -> str:
    title = QCoreApplication.translate("Wall", grid.preset_title(key))
    keys = {v: k for k, v in grid.KEY_PRESETS.items()}
    return f"{title}   [{keys[key]}]" if key in keys else title


class LayoutChooser(QComboBox):
    """A combo box: the presets, a separator, then the saved layouts by name."""

    preset_chosen = Signal(str)
    saved_chosen = Signal(object)  # Layout

    def __init__(self, manager: LayoutManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LayoutChooser")
        self.setMinimumContentsLength(16)
        self._manager = manager
        self._filling = False
        manager.changed.connect(self.refill)
        self.activated.connect(self._chosen)
        self.refill()

    def refill(self) -> None:
        self._filling = True
        current = self.currentData()
        self.clear()
        for key in PRESET_ORDER:
            self.addItem(preset_label(key), f"preset:{key}")
        if self._manager.layouts:
            self.insertSeparator(self.count())
            for lay in self._manager.layouts:
                self.addItem(lay.name, f"saved:{lay.id}")
        idx = self.findData(current)
        self.setCurrentIndex(max(0, idx) if current is not None else 2)
        self._filling = False

    def show_layout(self, layout: Layout) -> None:
        """Reflect the wall's layout without emitting a choice."""
        self._filling = True
        data = f"saved:{layout.id}" if layout.id is not None else f"preset:{layout.name}"
        idx = self.findData(data)
        if idx >= 0:
            self.setCurrentIndex(idx)
        self._filling = False

    def _chosen(self, index: int) -> None:
        if self._filling:
            return
        data = self.itemData(index)
        if not data:
            return
        kind, _, value = str(data).partition(":")
        if kind == "preset":
            self.preset_chosen.emit(value)
        else:
            lay = next((x for x in self._manager.layouts if str(x.id) == value), None)
            if lay is not None:
                self.saved_chosen.emit(lay)

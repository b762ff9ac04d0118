"""The camera panel on the left: a filter box (accents optional) over the grouped camera tree."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from camdesk.ui.tree.accents import matches
from camdesk.ui.tree.model import CAMERA_ID_ROLE, SEARCH_ROLE, CameraTreeModel
from camdesk.ui.wall.catalog import CameraCatalog


class AccentFreeFilter(QSortFilterProxyModel):
    """Keeps cameras whose name, address or group contains every typed word, with or without accents."""

    def __init__(self) -> None:
        super().__init__()
        self._query = ""
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)  # typing a group's name shows all its cameras

    def set_query(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self._query = text.strip()
            self.endFilterChange()
        else:
            self._query = text.strip()
            self.invalidateFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._query:
            return True
        idx = self.sourceModel().index(source_row, 0, source_parent)
        return matches(self._query, str(idx.data(SEARCH_ROLE) or ""))


class CameraTreePanel(QWidget):
    """Filter box plus tree. Drag a camera onto a tile, or double-click it to show it on the selected tile."""

    camera_activated = Signal(int)

    def __init__(self, catalog: CameraCatalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CameraTreePanel")
        self.model = CameraTreeModel(catalog)
        self.proxy = AccentFreeFilter()
        self.proxy.setSourceModel(self.model)
        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("CameraFilter")
        self.filter_box.setPlaceholderText(self.tr("Find a camera, street or group…"))
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self._filter)
        self.view = QTreeView(self)
        self.view.setObjectName("CameraTree")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformRowHeights(True)
        self.view.doubleClicked.connect(self._activated)
        self.model.modelReset.connect(self.view.expandAll)
        self.model.rowsInserted.connect(lambda *_: self.view.expandAll())
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.setSpacing(4)
        box.addWidget(self.filter_box)
        box.addWidget(self.view)
        self.view.expandAll()

    def _filter(self, text: str) -> None:
        self.proxy.set_query(text)
        self.view.expandAll()

    def _activated(self, index: QModelIndex) -> None:
        cid = index.data(CAMERA_ID_ROLE)
        if cid is not None:
            self.camera_activated.emit(int(cid))

    def visible_camera_names(self) -> list[str]:
        """The camera names the filter currently shows, in tree order."""
        names = []
        for g in range(self.proxy.rowCount()):
            gi = self.proxy.index(g, 0)
            for c in range(self.proxy.rowCount(gi)):
                names.append(str(self.proxy.index(c, 0, gi).data()))
        return names

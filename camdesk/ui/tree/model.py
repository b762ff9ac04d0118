"""The camera tree's Qt model: residential groups with counts, cameras with a live status dot.

A thin adapter over :class:`camdesk.ui.wall.catalog.CameraCatalog`; dragging a camera yields the wall's
camera MIME type. GUI thread only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QCoreApplication, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel

from camdesk.models.stream import StreamState
from camdesk.ui.wall.catalog import ONLINE_STATES, CameraCatalog
from camdesk.ui.wall.tile import CAMERA_MIME

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
AREA_ID_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # the text the filter matches (name, address, group)
STATE_ROLE = Qt.ItemDataRole.UserRole + 4  # the StreamState value string, "" when unknown
NO_AREA = -1

DOT_COLORS: dict[str, QColor] = {
    "": QColor(120, 125, 132),  # not on any wall yet: unknown
    StreamState.PLAYING.value: QColor(64, 200, 110),
    StreamState.CONNECTING.value: QColor(240, 190, 60),
    StreamState.RECONNECTING.value: QColor(240, 150, 40),
    StreamState.OFFLINE.value: QColor(230, 70, 60),
    StreamState.AUTH_FAILED.value: QColor(230, 70, 60),
    StreamState.UNSUPPORTED.value: QColor(200, 90, 200),
    StreamState.STOPPED.value: QColor(120, 125, 132),
}
_icons: dict[str, QIcon] = {}


def dot_icon(state: str) -> QIcon:
    if state not in _icons:
        pm = QPixmap(12, 12)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(DOT_COLORS.get(state, DOT_COLORS[""]))
        p.drawEllipse(1, 1, 10, 10)
        p.end()
        _icons[state] = QIcon(pm)
    return _icons[state]



class CameraTreeModel(QStandardItemModel):
    """Two levels: groups (tổ dân phố) and their cameras."""

    def __init__(self, catalog: CameraCatalog) -> None:
        super().__init__()
        self._catalog = catalog
        self._camera_items: dict[int, QStandardItem] = {}
        self._group_items: dict[int, QStandardItem] = {}
        catalog.changed.connect(self.rebuild)
        catalog.status_changed.connect(self.update_status)
        self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        self._camera_items.clear()
        self._group_items.clear()
        cat = self._catalog
        by_area: dict[int, list[int]] = {}
        for cid, cam in cat.cameras.items():
            area = cam.area_id if cam.area_id in cat.areas else NO_AREA
            by_area.setdefault(area if area is not None else NO_AREA, []).append(cid)
        areas = sorted(cat.areas.values(), key=lambda a: _natural(a.name))
        order = [a.id for a in areas if a.id is not None] + ([NO_AREA] if NO_AREA in by_area else [])
        for area_id in order:
            group = QStandardItem()
            group.setEditable(False)
            group.setDragEnabled(False)
            group.setData(area_id, AREA_ID_ROLE)
            area_name = cat.areas[area_id].name if area_id in cat.areas else QCoreApplication.translate("CameraTree", "Without a group")
            group.setData(area_name, SEARCH_ROLE)
            for cid in sorted(by_area.get(area_id, []), key=lambda c: _natural(cat.cameras[c].name)):
                cam = cat.cameras[cid]
                item = QStandardItem(cam.name)
                item.setEditable(False)
                item.setDragEnabled(True)
                item.setData(cid, CAMERA_ID_ROLE)
                item.setData(" ".join((cam.name, cam.address, area_name)), SEARCH_ROLE)
                item.setToolTip("\n".join(t for t in (cam.name, cam.address) if t))
                group.appendRow(item)
                self._camera_items[cid] = item
                self._style_camera(cid)
            self._group_items[area_id] = group
            self.appendRow(group)
            self._style_group(area_id)

    def update_status(self, camera_id: int) -> None:
        if camera_id in self._camera_items:
            self._style_camera(camera_id)
            cam = self._catalog.cameras.get(camera_id)
            area = cam.area_id if cam is not None and cam.area_id in self._group_items else NO_AREA
            if area is not None and area in self._group_items:
                self._style_group(area)

    def _style_camera(self, camera_id: int) -> None:
        state = self._catalog.state(camera_id)
        value = state.value if state is not None else ""
        item = self._camera_items[camera_id]
        item.setData(value, STATE_ROLE)
        item.setIcon(dot_icon(value))

    def _style_group(self, area_id: int) -> None:
        group = self._group_items[area_id]
        online, total = self.group_counts(area_id)
        name = group.data(SEARCH_ROLE)
        group.setText(QCoreApplication.translate("CameraTree", "{name} ({online}/{total})").format(name=name, online=online, total=total))
        group.setToolTip(QCoreApplication.translate("CameraTree", "{online} of {total} cameras online").format(online=online, total=total))

    def group_counts(self, area_id: int) -> tuple[int, int]:
        """(online, total) of one group, as the tree shows them."""
        group = self._group_items[area_id]
        online = sum(
            1
            for r in range(group.rowCount())
            if self._catalog.state(group.child(r).data(CAMERA_ID_ROLE)) in ONLINE_STATES
        )
        return online, group.rowCount()

    def camera_item(self, camera_id: int) -> QStandardItem | None:
        return self._camera_items.get(camera_id)

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex | QPersistentModelIndex]) -> QMimeData:
        mime = QMimeData()
        for idx in indexes:
            cid = idx.data(CAMERA_ID_ROLE)
            if cid is not None:
                mime.setData(CAMERA_MIME, QByteArray(str(int(cid)).encode()))
                break
        return mime


def _natural(text: str) -> tuple[object, ...]:
    """Sort "Tổ dân phố 10" after "Tổ dân phố 9"."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))

"""The discovery dialog: lists ONVIF devices as they answer (address, name, hardware), fills in
manufacturer, model, firmware and serial once logged in, marks cameras already added, and probes
addresses or ranges the officer types (for cameras on routed networks)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from camdesk.models.onvif import DeviceProbe, DiscoveredDevice
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe

if TYPE_CHECKING:
    from camdesk.onvif.service import OnvifService

COLUMNS = ("address", "name", "hardware", "manufacturer", "model", "firmware", "serial", "status")
SEARCH_SECONDS = 3.0


def device_key(url: str) -> str:
    """host:port of a device service URL, to compare discovered devices with saved cameras."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    try:
        port = parts.port or 80
    except ValueError:
        port = 80
    return f"{(parts.hostname or '').lower()}:{port}{parts.path.rstrip('/')}"


class DiscoveryDialog(QDialog):
    """Search the network; ``device_chosen`` carries the DiscoveredDevice the officer wants to add."""

    device_chosen = Signal(object)  # DiscoveredDevice

    def __init__(self, service: OnvifService, bridge: GuiBridge, known_urls: Iterable[str] = (),
                 parent: QWidget | None = None, multicast: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Find cameras"))
        self.resize(900, 480)
        self._service = service
        self._bridge = bridge
        self._known = {device_key(u) for u in known_urls if u}
        self._search = 0  # generation: replies of an older search are ignored
        self._closed = False
        self._multicast = multicast  # tests switch it off: multicast only inside their own namespace
        self.devices: list[DiscoveredDevice] = []
        layout = QVBoxLayout(self)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Also probe addresses:"), self))
        self.targets = QLineEdit(self)
        self.targets.setPlaceholderText(self.tr("e.g. 192.168.10.20, 10.0.5.1-10.0.5.60, 10.0.7.0/24"))
        row.addWidget(self.targets, 1)
        self.search_button = QPushButton(self.tr("Search"), self)
        self.search_button.clicked.connect(self.search)
        row.addWidget(self.search_button)
        layout.addLayout(row)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Address"), self.tr("Name"), self.tr("Hardware"), self.tr("Manufacturer"), self.tr("Model"),
            self.tr("Firmware"), self.tr("Serial"), self.tr("Status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.add_selected())
        layout.addWidget(self.table, 1)

        login = QHBoxLayout()
        login.addWidget(QLabel(self.tr("User"), self))
        self.user = QLineEdit("admin", self)
        login.addWidget(self.user)
        login.addWidget(QLabel(self.tr("Password"), self))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        login.addWidget(self.password)
        self.details_button = QPushButton(self.tr("Read details"), self)
        self.details_button.clicked.connect(self.read_details)
        login.addWidget(self.details_button)
        layout.addLayout(login)

        bottom = QHBoxLayout()
        self.status = QLabel("", self)
        bottom.addWidget(self.status, 1)
        self.add_button = QPushButton(self.tr("Add camera…"), self)
        self.add_button.clicked.connect(self.add_selected)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        bottom.addWidget(self.add_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)

    # --- search ------------------------------------------------------------------------------------
    def search(self) -> None:
        """Start a search; devices appear as they answer."""
        self._search += 1
        generation = self._search
        self.devices.clear()
        self.table.setRowCount(0)
        targets = [t for t in self.targets.text().replace(";", ",").split(",") if t.strip()]
        self.search_button.setEnabled(False)
        self.status.setText(self.tr("Searching…"))

        def found(device: DiscoveredDevice) -> None:  # ONVIF thread
            self._bridge.post(lambda: self._found(generation, device))

        future = self._service.discover(found, targets, SEARCH_SECONDS, multicast=self._multicast)
        self._bridge.when_done(future, lambda devs: self._finished(generation, len(devs)),
                               lambda exc: self._failed(generation, exc))

    def _live(self, generation: int) -> bool:
        return not self._closed and generation == self._search

    def _found(self, generation: int, device: DiscoveredDevice) -> None:
        if self._live(generation):
            self.add_device(device)

    def _finished(self, generation: int, count: int) -> None:
        if not self._live(generation):
            return
        self.search_button.setEnabled(True)
        self.status.setText(self.tr("{count} device(s) found.").format(count=count) if count
                            else self.tr("No device answered. Check the network, or type the camera's address."))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if self._live(generation):
            self.search_button.setEnabled(True)
            self.status.setText(describe(exc))

    def add_device(self, device: DiscoveredDevice) -> int:
        """Add a row (GUI thread); returns it."""
        self.devices.append(device)
        row = self.table.rowCount()
        self.table.insertRow(row)
        known = device_key(device.device_url) in self._known
        values = [device.address, device.name, device.hardware, "", "", "", "",
                  self.tr("Already added") if known else ""]
        for col, text in enumerate(values):
            item = QTableWidgetItem(text)
            if known:
                item.setForeground(QBrush(QColor("gray")))
            self.table.setItem(row, col, item)
        first = self.table.item(row, 0)
        if first is not None:
            first.setData(Qt.ItemDataRole.UserRole, known)
        return row

    def is_known(self, row: int) -> bool:
        item = self.table.item(row, 0)
        return item is not None and bool(item.data(Qt.ItemDataRole.UserRole))

    def cell(self, row: int, column: str) -> str:
        item = self.table.item(row, COLUMNS.index(column))
        return item.text() if item is not None else ""

    def _set(self, row: int, column: str, text: str) -> None:
        item = self.table.item(row, COLUMNS.index(column))
        if item is not None:
            item.setText(text)

    # --- details (after login) -------------------------------------------------------------------------
    def read_details(self) -> None:
        """Log in to the selected device and fill in manufacturer, model, firmware and serial."""
        row = self.table.currentRow()
        if row < 0 or row >= len(self.devices):
            self.status.setText(self.tr("Select a device first."))
            return
        device = self.devices[row]
        self._set(row, "status", self.tr("Logging in…"))
        generation = self._search
        future = self._service.probe(device.device_url, self.user.text().strip(), self.password.text())
        self._bridge.when_done(future, lambda p: self._details(generation, row, p),
                               lambda exc: self._details_failed(generation, row, exc))

    def _details(self, generation: int, row: int, probe: DeviceProbe) -> None:
        if not self._live(generation):
            return
        for column, value in (("manufacturer", probe.info.manufacturer), ("model", probe.info.model),
                              ("firmware", probe.info.firmware), ("serial", probe.info.serial)):
            self._set(row, column, value)
        status = self.tr("Already added") if self.is_known(row) else self.tr("Logged in")
        self._set(row, "status", status)

    def _details_failed(self, generation: int, row: int, exc: BaseException) -> None:
        if self._live(generation):
            self._set(row, "status", describe(exc))

    # --- choosing --------------------------------------------------------------------------------------
    def selected_device(self) -> DiscoveredDevice | None:
        row = self.table.currentRow()
        return self.devices[row] if 0 <= row < len(self.devices) else None

    def add_selected(self) -> None:
        device = self.selected_device()
        if device is None:
            self.status.setText(self.tr("Select a device first."))
            return
        self.device_chosen.emit(device)
        self.accept()

    def done(self, result: int) -> None:
        self._closed = True  # late replies must not touch a closed dialog
        super().done(result)

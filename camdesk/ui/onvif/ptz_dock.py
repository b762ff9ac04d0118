"""The PTZ dock: an 8-direction pad, zoom, speed, home and stop; presets (go to, save the current
position, rename, delete); tours (a list of presets with dwell time and speed, started and stopped here).

Controls a camera does not support are hidden. A continuous move always ends with Stop: on button
release, when the window loses focus, when the dock is hidden or closed, and when the camera changes.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from camdesk.models.onvif import PtzCapabilities, PtzPreset, PtzTour, TourStop
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe

if TYPE_CHECKING:
    from camdesk.onvif.service import OnvifService

# (row, column, pan, tilt, arrow) of the pad's eight buttons around the centre Stop
PAD = [
    (0, 0, -1, 1, "↖"), (0, 1, 0, 1, "↑"), (0, 2, 1, 1, "↗"),
    (1, 0, -1, 0, "←"), (1, 2, 1, 0, "→"),
    (2, 0, -1, -1, "↙"), (2, 1, 0, -1, "↓"), (2, 2, 1, -1, "↘"),
]


class PtzDock(QDockWidget):
    """PTZ for one camera at a time (:meth:`set_camera`). Errors are shown in the dock and emitted."""

    error = Signal(str)  # translated text of a failure
    tour_state = Signal(int, bool)  # camera id, tour running

    def __init__(self, service: OnvifService, bridge: GuiBridge, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("PTZ"), parent)
        self.setObjectName("PtzDock")
        self._service = service
        self._bridge = bridge
        self.camera_id: int | None = None
        self.caps = PtzCapabilities()
        self.moving = False
        self.presets: list[PtzPreset] = []
        body = QWidget(self)
        outer = QVBoxLayout(body)
        self.title = QLabel(self.tr("No PTZ camera selected"), body)
        outer.addWidget(self.title)

        # --- pad, zoom, speed, home --------------------------------------------------------------
        self.pad = QWidget(body)
        grid = QGridLayout(self.pad)
        self.pad_buttons: dict[tuple[int, int], QPushButton] = {}
        for row, col, pan, tilt, arrow in PAD:
            b = QPushButton(arrow, self.pad)
            b.setAutoRepeat(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.pressed.connect(lambda p=pan, t=tilt: self.start_move(p, t, 0))
            b.released.connect(self.stop_move)
            grid.addWidget(b, row, col)
            self.pad_buttons[(pan, tilt)] = b
        self.stop_button = QPushButton(self.tr("Stop"), self.pad)
        self.stop_button.clicked.connect(self.stop_move)
        grid.addWidget(self.stop_button, 1, 1)
        outer.addWidget(self.pad)

        self.zoom_row = QWidget(body)
        zl = QHBoxLayout(self.zoom_row)
        self.zoom_out = QPushButton(self.tr("Zoom −"), self.zoom_row)
        self.zoom_in = QPushButton(self.tr("Zoom +"), self.zoom_row)
        for b, z in ((self.zoom_out, -1), (self.zoom_in, 1)):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.pressed.connect(lambda z=z: self.start_move(0, 0, z))
            b.released.connect(self.stop_move)
            zl.addWidget(b)
        outer.addWidget(self.zoom_row)

        speed_row = QHBoxLayout()
        speed_row.addWidget(QLabel(self.tr("Speed"), body))
        self.speed = QSlider(Qt.Orientation.Horizontal, body)
        self.speed.setRange(10, 100)
        self.speed.setValue(50)
        speed_row.addWidget(self.speed)
        self.home_button = QPushButton(self.tr("Home"), body)
        self.home_button.clicked.connect(self.go_home)
        speed_row.addWidget(self.home_button)
        outer.addLayout(speed_row)

        # --- presets ---------------------------------------------------------------------------------
        self.presets_box = QGroupBox(self.tr("Presets"), body)
        pl = QVBoxLayout(self.presets_box)
        self.preset_list = QListWidget(self.presets_box)
        self.preset_list.itemDoubleClicked.connect(lambda _item: self.goto_selected())
        pl.addWidget(self.preset_list)
        self.preset_name = QLineEdit(self.presets_box)
        self.preset_name.setPlaceholderText(self.tr("Preset name"))
        pl.addWidget(self.preset_name)
        buttons = QHBoxLayout()
        self.goto_button = QPushButton(self.tr("Go to"), self.presets_box)
        self.save_button = QPushButton(self.tr("Save current"), self.presets_box)
        self.rename_button = QPushButton(self.tr("Rename"), self.presets_box)
        self.delete_button = QPushButton(self.tr("Delete"), self.presets_box)
        self.goto_button.clicked.connect(self.goto_selected)
        self.save_button.clicked.connect(self.save_current)
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        for b in (self.goto_button, self.save_button, self.rename_button, self.delete_button):
            buttons.addWidget(b)
        pl.addLayout(buttons)
        outer.addWidget(self.presets_box)

        # --- tours -------------------------------------------------------------------------------------
        self.tour_box = QGroupBox(self.tr("Tour"), body)
        tl = QVBoxLayout(self.tour_box)
        self.tour_table = QTableWidget(0, 3, self.tour_box)
        self.tour_table.setHorizontalHeaderLabels([self.tr("Preset"), self.tr("Dwell (s)"), self.tr("Speed")])
        self.tour_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tour_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tl.addWidget(self.tour_table)
        tour_buttons = QHBoxLayout()
        self.add_stop_button = QPushButton(self.tr("Add selected preset"), self.tour_box)
        self.remove_stop_button = QPushButton(self.tr("Remove"), self.tour_box)
        self.start_tour_button = QPushButton(self.tr("Start tour"), self.tour_box)
        self.stop_tour_button = QPushButton(self.tr("Stop tour"), self.tour_box)
        self.add_stop_button.clicked.connect(self.add_selected_to_tour)
        self.remove_stop_button.clicked.connect(lambda: self.tour_table.removeRow(self.tour_table.currentRow()))
        self.start_tour_button.clicked.connect(self.start_tour)
        self.stop_tour_button.clicked.connect(self.stop_tour)
        for b in (self.add_stop_button, self.remove_stop_button, self.start_tour_button, self.stop_tour_button):
            tour_buttons.addWidget(b)
        tl.addLayout(tour_buttons)
        self.tour_status = QLabel("", self.tour_box)
        tl.addWidget(self.tour_status)
        outer.addWidget(self.tour_box)

        self.status = QLabel("", body)
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        outer.addStretch(1)
        self.setWidget(body)
        self._apply_caps()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._on_app_state)

    # --- camera ------------------------------------------------------------------------------------
    def set_camera(self, camera_id: int | None, name: str = "") -> None:
        """Show PTZ for ``camera_id`` (None: nothing). Stops a move on the previous camera first."""
        if self.moving:
            self.stop_move()
        self.camera_id = camera_id
        self.caps = PtzCapabilities()
        self.presets = []
        self.preset_list.clear()
        self.tour_table.setRowCount(0)
        self._apply_caps()
        if camera_id is None:
            self.title.setText(self.tr("No PTZ camera selected"))
            return
        self.title.setText(name or self.tr("Camera {id}").format(id=camera_id))
        self.status.setText(self.tr("Reading the camera's PTZ abilities…"))
        self._bridge.when_done(self._service.ptz_capabilities(camera_id),
                               partial(self._on_caps, camera_id), self._on_error)

    def _on_caps(self, camera_id: int, caps: PtzCapabilities) -> None:
        if camera_id != self.camera_id:
            return
        self.caps = caps
        self._apply_caps()
        self.status.setText("" if caps.any else self.tr("This camera has no PTZ."))
        if caps.presets:
            self.refresh_presets()
        self._show_tour_state()

    def _apply_caps(self) -> None:
        c = self.caps
        self.pad.setVisible(c.continuous)
        self.zoom_row.setVisible(c.zoom)
        self.home_button.setVisible(c.home)
        self.speed.setVisible(c.continuous or c.zoom or c.presets)
        self.presets_box.setVisible(c.presets)
        self.tour_box.setVisible(c.presets)

    # --- moves: every press is answered by a Stop ----------------------------------------------------
    def start_move(self, pan: float, tilt: float, zoom: float) -> None:
        if self.camera_id is None:
            return
        v = self.speed.value() / 100.0
        self.moving = True
        self._call(self._service.ptz_move(self.camera_id, pan * v, tilt * v, zoom * v))
        self._show_tour_state(False)

    def stop_move(self) -> None:
        if self.camera_id is None:
            return
        self.moving = False
        self._call(self._service.ptz_stop(self.camera_id))

    def go_home(self) -> None:
        if self.camera_id is not None:
            self._call(self._service.ptz_home(self.camera_id))
            self._show_tour_state(False)

    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive and self.moving:
            self.stop_move()

    def focusOutEvent(self, event: Any) -> None:
        if self.moving:
            self.stop_move()
        super().focusOutEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        if self.moving:
            self.stop_move()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.moving:
            self.stop_move()
        super().closeEvent(event)

    # --- presets -------------------------------------------------------------------------------------
    def refresh_presets(self) -> None:
        if self.camera_id is None:
            return
        self._bridge.when_done(self._service.ptz_presets(self.camera_id),
                               partial(self._on_presets, self.camera_id), self._on_error)

    def _on_presets(self, camera_id: int, presets: list[PtzPreset]) -> None:
        if camera_id != self.camera_id:
            return
        self.presets = presets
        selected = self.selected_token()
        self.preset_list.clear()
        for p in presets:
            item = QListWidgetItem(p.name)
            item.setData(Qt.ItemDataRole.UserRole, p.token)
            self.preset_list.addItem(item)
            if p.token == selected:
                self.preset_list.setCurrentItem(item)

    def selected_token(self) -> str:
        item = self.preset_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def goto_selected(self) -> None:
        token = self.selected_token()
        if self.camera_id is not None and token:
            self._call(self._service.ptz_goto_preset(self.camera_id, token, self.speed.value() / 100.0))
            self._show_tour_state(False)

    def save_current(self) -> None:
        if self.camera_id is None:
            return
        name = self.preset_name.text().strip() or self.tr("Preset {n}").format(n=len(self.presets) + 1)
        self._bridge.when_done(self._service.ptz_save_preset(self.camera_id, name),
                               lambda _token: self._preset_saved(), self._on_error)

    def _preset_saved(self) -> None:
        self.preset_name.clear()
        self.status.setText(self.tr("Preset saved."))
        self.refresh_presets()

    def rename_selected(self) -> None:
        token, name = self.selected_token(), self.preset_name.text().strip()
        if self.camera_id is None or not token:
            return
        if not name:
            self.status.setText(self.tr("Type the new name first."))
            return
        self._bridge.when_done(self._service.ptz_rename_preset(self.camera_id, token, name),
                               lambda _r: self._preset_saved(), self._on_error)

    def delete_selected(self) -> None:
        token = self.selected_token()
        if self.camera_id is None or not token:
            return
        self._bridge.when_done(self._service.ptz_remove_preset(self.camera_id, token),
                               lambda _r: self.refresh_presets(), self._on_error)

    # --- tours ---------------------------------------------------------------------------------------
    def add_selected_to_tour(self) -> None:
        item = self.preset_list.currentItem()
        if item is None:
            return
        row = self.tour_table.rowCount()
        self.tour_table.insertRow(row)
        name = QTableWidgetItem(item.text())
        name.setData(Qt.ItemDataRole.UserRole, item.data(Qt.ItemDataRole.UserRole))
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.tour_table.setItem(row, 0, name)
        dwell = QDoubleSpinBox(self.tour_table)
        dwell.setRange(1.0, 3600.0)
        dwell.setValue(10.0)
        speed = QDoubleSpinBox(self.tour_table)
        speed.setRange(0.1, 1.0)
        speed.setSingleStep(0.1)
        speed.setValue(0.5)
        self.tour_table.setCellWidget(row, 1, dwell)
        self.tour_table.setCellWidget(row, 2, speed)

    def tour(self) -> PtzTour:
        """The tour as edited in the table."""
        stops = []
        for row in range(self.tour_table.rowCount()):
            item = self.tour_table.item(row, 0)
            dwell = self.tour_table.cellWidget(row, 1)
            speed = self.tour_table.cellWidget(row, 2)
            if item is None or not isinstance(dwell, QDoubleSpinBox) or not isinstance(speed, QDoubleSpinBox):
                continue
            stops.append(TourStop(str(item.data(Qt.ItemDataRole.UserRole)), dwell.value(), speed.value()))
        return PtzTour(self.title.text(), tuple(stops))

    def start_tour(self) -> None:
        tour = self.tour()
        if self.camera_id is None or not tour.stops:
            self.status.setText(self.tr("Add presets to the tour first."))
            return
        cid = self.camera_id
        future = self._service.start_tour(cid, tour)
        self._show_tour_state(True)
        self.tour_state.emit(cid, True)
        self._bridge.when_done(future, lambda _n: self._tour_ended(cid), lambda _e: self._tour_ended(cid))

    def _tour_ended(self, camera_id: int) -> None:
        self.tour_state.emit(camera_id, False)
        if camera_id == self.camera_id:
            self._show_tour_state(False)

    def stop_tour(self) -> None:
        if self.camera_id is not None:
            self._call(self._service.stop_tour(self.camera_id))

    def _show_tour_state(self, running: bool | None = None) -> None:
        if running is None:
            running = self.camera_id is not None and self._service.tour_running(self.camera_id)
        self.start_tour_button.setEnabled(not running)
        self.stop_tour_button.setEnabled(running)
        self.tour_status.setText(self.tr("Tour running") if running else "")

    # --- results -------------------------------------------------------------------------------------
    def _call(self, future: Any) -> None:
        self._bridge.when_done(future, lambda _r: None, self._on_error)

    def _on_error(self, exc: BaseException) -> None:
        text = describe(exc)
        self.status.setText(text)
        self.error.emit(text)

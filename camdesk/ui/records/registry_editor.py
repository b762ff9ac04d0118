"""The camera registry editor: whose camera each one is, where, and whether the owner agreed.

A table of cameras and a form. Validation messages appear under each field: the form's own checks
(numbers that are not numbers) and the store's rules (``camdesk.store.validation``: required name, phone
numbers, coordinates, consent dates), translated. The store checks again when saving; its answer wins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from camdesk.errors import ValidationError
from camdesk.models.camera import Area, Camera, OwnerType
from camdesk.store.validation import camera_problems
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe
from camdesk.ui.records.csv_dialogs import CsvImportDialog, export_registry
from camdesk.ui.records.delivery import deliver
from camdesk.ui.records.futures import mapped, then
from camdesk.ui.records.labels import owner_type_label
from camdesk.ui.records.models import CameraRegistryModel

log = logging.getLogger(__name__)

# The form's fields, in order; each has an error label under it.
FIELDS = (
    "name",
    "area",
    "address",
    "latitude",
    "longitude",
    "owner_name",
    "owner_type",
    "owner_phone",
    "consent_given_on",
    "consent_scope",
    "consent_expires",
    "installed_on",
    "onvif_url",
    "notes",
    "enabled",
)


def parse_coordinate(text: str, field: str) -> tuple[float | None, str]:
    """(value, error) for a typed latitude/longitude; accepts a decimal comma ("10,7769")."""
    text = text.strip().replace(",", ".")
    if not text:
        return None, ""
    try:
        return float(text), ""
    except ValueError:
        if field == "latitude":
            msg = QCoreApplication.translate("Records", "Latitude must be a number, for example 21.0285.")
        else:
            msg = QCoreApplication.translate("Records", "Longitude must be a number, for example 105.8542.")
        return None, msg


class RegistryEditor(QWidget):
    """The registry window. Signals (GUI thread): ``loaded`` after the table is filled, ``saved(Camera)``,
    ``deleted(int)``, ``failed(text)``, ``validation_shown(dict field -> text)``."""

    loaded = Signal()
    saved = Signal(object)
    deleted = Signal(int)
    failed = Signal(str)
    validation_shown = Signal(dict)
    exported = Signal(str)

    def __init__(
        self, store: Any, bridge: GuiBridge, author_fn: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("RegistryEditor")
        self.setWindowTitle(self.tr("Camera registry"))
        self._store = store
        self._bridge = bridge
        self._author_fn = author_fn
        self._current: Camera | None = None
        self._areas: list[Area] = []
        self._busy = False
        self.model = CameraRegistryModel(self)
        self.dialogs: list[CsvImportDialog] = []
        self.confirm: Callable[[str], bool] = self._ask
        self.read_only = bool(getattr(store, "read_only", False))
        self._build()
        self.new_camera()
        if self.read_only:
            # Export too: the store records every export in the audit log, which needs a writable database.
            buttons = (
                self.new_button,
                self.save_button,
                self.delete_button,
                self.import_button,
                self.export_button,
            )
            for button in buttons:
                button.setEnabled(False)
            self.status.setText(
                self.tr("Read-only: you can look up cameras, but not change or export the list.")
            )
        self.reload()
        self.resize(1100, 700)

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.show_camera(self.model.camera(cur.row())) if cur.isValid() else None
        )

        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.name_edit = QLineEdit()
        self.area_box = QComboBox()
        self.area_box.setEditable(True)
        self.area_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.address_edit = QLineEdit()
        self.lat_edit = QLineEdit()
        self.lat_edit.setPlaceholderText("21.0285")
        self.lon_edit = QLineEdit()
        self.lon_edit.setPlaceholderText("105.8542")
        self.owner_edit = QLineEdit()
        self.owner_type_box = QComboBox()
        for t in OwnerType:
            self.owner_type_box.addItem(owner_type_label(t), t)
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("0912345678")
        self.consent_given_edit = QLineEdit()
        self.consent_scope_edit = QLineEdit()
        self.consent_scope_edit.setPlaceholderText(
            self.tr("e.g. live view and recording for the ward police")
        )
        self.consent_expires_edit = QLineEdit()
        self.installed_edit = QLineEdit()
        for e in (self.consent_given_edit, self.consent_expires_edit, self.installed_edit):
            e.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.onvif_edit = QLineEdit()
        self.onvif_edit.setPlaceholderText("http://192.168.1.10/onvif/device_service")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setFixedHeight(60)
        self.enabled_check = QCheckBox(self.tr("Show on the wall"))
        widgets: dict[str, tuple[str, QWidget]] = {
            "name": (self.tr("Name *"), self.name_edit),
            "area": (self.tr("Residential group"), self.area_box),
            "address": (self.tr("Address"), self.address_edit),
            "latitude": (self.tr("Latitude"), self.lat_edit),
            "longitude": (self.tr("Longitude"), self.lon_edit),
            "owner_name": (self.tr("Owner"), self.owner_edit),
            "owner_type": (self.tr("Owner type"), self.owner_type_box),
            "owner_phone": (self.tr("Owner's phone"), self.phone_edit),
            "consent_given_on": (self.tr("Consent given on"), self.consent_given_edit),
            "consent_scope": (self.tr("Consent scope"), self.consent_scope_edit),
            "consent_expires": (self.tr("Consent expires"), self.consent_expires_edit),
            "installed_on": (self.tr("Installed on"), self.installed_edit),
            "onvif_url": (self.tr("ONVIF address"), self.onvif_edit),
            "notes": (self.tr("Notes"), self.notes_edit),
            "enabled": (self.tr("Enabled"), self.enabled_check),
        }
        form = QFormLayout()
        for field in FIELDS:
            label, widget = widgets[field]
            error = QLabel()
            error.setObjectName("FieldError")
            error.setStyleSheet("color: #f07a6e;")
            error.setWordWrap(True)
            error.setVisible(False)
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(1)
            cell_layout.addWidget(widget)
            cell_layout.addWidget(error)
            form.addRow(label, cell)
            self.inputs[field] = widget
            self.errors[field] = error

        self.new_button = QPushButton(self.tr("New camera"))
        self.save_button = QPushButton(self.tr("Save"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.import_button = QPushButton(self.tr("Import CSV…"))
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.new_button.clicked.connect(self.new_camera)
        self.save_button.clicked.connect(lambda: self.save())
        self.delete_button.clicked.connect(lambda: self.delete_current())
        self.import_button.clicked.connect(lambda: self.import_csv())
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.status = QLabel()
        self.status.setWordWrap(True)

        form_widget = QWidget()
        form_layout = QVBoxLayout(form_widget)
        form_layout.addLayout(form)
        row = QHBoxLayout()
        for b in (self.new_button, self.delete_button, self.save_button):
            row.addWidget(b)
        form_layout.addLayout(row)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)

        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        top = QHBoxLayout()
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    # --- loading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """Fetch cameras and residential groups from the store; the table refills when both arrive."""
        store = self._store

        def with_areas(cameras: list[Camera]) -> Any:
            return mapped(store.list_areas(), lambda areas: (cameras, areas))

        deliver(self._bridge, self, then(store.list_cameras(), with_areas), self._on_loaded, self._on_error)

    def _on_loaded(self, pair: tuple[list[Camera], list[Area]]) -> None:
        cameras, areas = pair
        self._areas = list(areas)
        current_area = self.area_box.currentText()
        self.area_box.clear()
        self.area_box.addItem("", None)
        for a in sorted(areas, key=lambda a: a.name.casefold()):
            self.area_box.addItem(a.name, a.id)
        self.area_box.setCurrentText(current_area)
        self.model.set_data(cameras, areas)
        self.table.resizeColumnsToContents()
        if self._current is not None and self._current.id is not None:
            row = self.model.row_of(self._current.id)
            if row is not None:
                self.table.selectRow(row)
        self.loaded.emit()

    # --- the form --------------------------------------------------------------------------------
    def new_camera(self) -> None:
        """Clear the form for a new camera."""
        self.table.clearSelection()
        self.show_camera(Camera(id=None, name=""))

    def select_camera(self, camera_id: int) -> bool:
        row = self.model.row_of(camera_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.show_camera(self.model.camera(row))
        return True

    def show_camera(self, camera: Camera) -> None:
        """Put ``camera`` in the form."""
        self._current = camera
        self.name_edit.setText(camera.name)
        area_name = next((a.name for a in self._areas if a.id == camera.area_id), "")
        self.area_box.setCurrentText(area_name)
        self.address_edit.setText(camera.address)
        self.lat_edit.setText(
            "" if camera.latitude is None else f"{camera.latitude:.6f}".rstrip("0").rstrip(".")
        )
        self.lon_edit.setText(
            "" if camera.longitude is None else f"{camera.longitude:.6f}".rstrip("0").rstrip(".")
        )
        self.owner_edit.setText(camera.owner_name)
        self.owner_type_box.setCurrentIndex(list(OwnerType).index(camera.owner_type))
        self.phone_edit.setText(camera.owner_phone)
        self.consent_given_edit.setText(camera.consent_given_on)
        self.consent_scope_edit.setText(camera.consent_scope)
        self.consent_expires_edit.setText(camera.consent_expires)
        self.installed_edit.setText(camera.installed_on)
        self.onvif_edit.setText(camera.onvif_url)
        self.notes_edit.setPlainText(camera.notes)
        self.enabled_check.setChecked(camera.enabled)
        self.delete_button.setEnabled(camera.id is not None and not getattr(self, "read_only", False))
        self.show_errors({})

    def set_field(self, field: str, value: str | bool) -> None:
        """Type ``value`` into one field of the form (tests and scripted demos)."""
        widget = self.inputs[field]
        if isinstance(widget, QLineEdit):
            widget.setText(str(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            if field == "owner_type":
                widget.setCurrentIndex(list(OwnerType).index(OwnerType(str(value))))
            else:
                widget.setCurrentText(str(value))

    def form_camera(self) -> tuple[Camera, dict[str, str]]:
        """The camera the form describes, and the form's own problems (field -> translated text)."""
        base = self._current or Camera(id=None, name="")
        problems: dict[str, str] = {}
        lat, err = parse_coordinate(self.lat_edit.text(), "latitude")
        if err:
            problems["latitude"] = err
        lon, err = parse_coordinate(self.lon_edit.text(), "longitude")
        if err:
            problems["longitude"] = err
        area_name = " ".join(self.area_box.currentText().split())
        area_id = next((a.id for a in self._areas if a.name.casefold() == area_name.casefold()), None)
        camera = replace(
            base,
            name=self.name_edit.text().strip(),
            area_id=area_id,
            address=self.address_edit.text().strip(),
            latitude=lat,
            longitude=lon,
            owner_name=self.owner_edit.text().strip(),
            owner_type=OwnerType(self.owner_type_box.currentData()),
            owner_phone=self.phone_edit.text().strip(),
            consent_given_on=self.consent_given_edit.text().strip(),
            consent_scope=self.consent_scope_edit.text().strip(),
            consent_expires=self.consent_expires_edit.text().strip(),
            installed_on=self.installed_edit.text().strip(),
            onvif_url=self.onvif_edit.text().strip(),
            notes=self.notes_edit.toPlainText().strip(),
            enabled=self.enabled_check.isChecked(),
        )
        return camera, problems

    def validate(self) -> dict[str, str]:
        """Every problem of the form, shown under its field; empty when it may be saved."""
        camera, problems = self.form_camera()
        for problem in camera_problems(camera):
            problems.setdefault(problem.field, describe(problem))
        self.show_errors(problems)
        return problems

    def show_errors(self, problems: dict[str, str]) -> None:
        """Show ``problems`` (field -> text) under their fields and clear the others."""
        for field, label in self.errors.items():
            text = problems.get(field, "")
            label.setText(text)
            label.setVisible(bool(text))
        unknown = [t for f, t in problems.items() if f not in self.errors]
        self.status.setText("\n".join(unknown) if unknown else "")
        if problems:
            self.validation_shown.emit(dict(problems))

    def field_errors(self) -> dict[str, str]:
        """The messages now shown under the fields."""
        return {f: label.text() for f, label in self.errors.items() if label.text()}

    def save(self) -> bool:
        """Validate and save the form's camera (a new residential group is created first)."""
        if self._busy:
            return False
        if self.validate():
            return False
        camera, _ = self.form_camera()
        area_name = " ".join(self.area_box.currentText().split())
        actor = self._author_fn()
        store = self._store
        if area_name and camera.area_id is None:
            future = then(
                store.save_area(Area(None, area_name)),
                lambda area: store.save_camera(replace(camera, area_id=area.id), actor),
            )
        else:
            future = store.save_camera(camera, actor)
        self._busy = True
        self.status.setText(self.tr("Saving…"))
        deliver(self._bridge, self, future, self._on_saved, self._on_save_error)
        return True

    def _on_saved(self, camera: Camera) -> None:
        self._busy = False
        self._current = camera
        self.status.setText(self.tr("Saved: {name}").format(name=camera.name))
        self.delete_button.setEnabled(not self.read_only)
        self.saved.emit(camera)
        self.reload()

    def _on_save_error(self, exc: BaseException) -> None:
        self._busy = False
        if isinstance(exc, ValidationError) and exc.field:
            field = "area" if exc.field == "area_id" else exc.field
            self.show_errors({field: describe(exc)})
            self.failed.emit(describe(exc))
            return
        self._on_error(exc)

    def delete_current(self, confirmed: bool = False) -> bool:
        """Delete the camera in the form (after confirmation); audited by the store."""
        cam = self._current
        if cam is None or cam.id is None:
            return False
        question = self.tr(
            "Delete camera {name} from the registry? A camera with bookmarks cannot be deleted; disable it instead."
        ).format(name=cam.name)
        if not confirmed and not self.confirm(question):
            return False
        camera_id = cam.id
        deliver(
            self._bridge,
            self,
            self._store.delete_camera(camera_id, self._author_fn()),
            lambda _r: self._on_deleted(camera_id),
            self._on_error,
        )
        return True

    def _on_deleted(self, camera_id: int) -> None:
        self.deleted.emit(camera_id)
        self.new_camera()
        self.reload()

    # --- CSV -------------------------------------------------------------------------------------
    def export_csv(self, path: Path | None = None) -> bool:
        """Export the registry to ``path`` (asks where when None)."""
        return export_registry(
            self._store, self._bridge, self, path, on_done=self._exported, actor=self._author_fn()
        )

    def _exported(self, text: str) -> None:
        self.status.setText(text)
        self.exported.emit(text)

    def import_csv(self, path: Path | None = None) -> CsvImportDialog | None:
        """Preview a registry CSV; nothing is imported until the officer confirms in the dialog."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import camera registry"), "", self.tr("CSV files (*.csv);;All files (*)")
            )
            if not name:
                return None
            path = Path(name)
        dialog = CsvImportDialog(self._store, self._bridge, path, self._author_fn, self)
        dialog.imported.connect(lambda _r: self.reload())
        dialog.finished.connect(lambda _r, d=dialog: self.dialogs.remove(d) if d in self.dialogs else None)
        self.dialogs.append(dialog)
        dialog.show()
        return dialog

    # --- errors ----------------------------------------------------------------------------------
    def _on_error(self, exc: BaseException) -> None:
        log.warning("Registry editor: %s", exc)
        text = describe(exc)
        self.status.setText(text)
        self.failed.emit(text)

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Camera registry"), question)
        return answer == QMessageBox.StandardButton.Yes

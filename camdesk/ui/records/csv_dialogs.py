"""Registry CSV: export to a file, and an import that first shows every row with its problems and
imports nothing until the officer confirms (rows with problems are skipped, never half-imported)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from camdesk.i18n import Message
from camdesk.models.records import CsvImportResult, CsvPreview
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe, translate
from camdesk.ui.records.delivery import deliver
from camdesk.ui.records.models import CsvPreviewModel

log = logging.getLogger(__name__)


def export_registry(
    store: Any,
    bridge: GuiBridge,
    parent: QWidget | None,
    path: Path | None = None,
    on_done: Callable[[str], None] | None = None,
    actor: str = "",
) -> bool:
    """Write the registry to ``path`` (UTF-8 CSV; asks for a file when None). ``on_done(text)`` gets a
    translated result or error on the GUI thread. Returns False when the officer cancelled."""
    if path is None:
        name, _ = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("Records", "Export camera registry"),
            "cameras.csv",
            QCoreApplication.translate("Records", "CSV files (*.csv);;All files (*)"),
        )
        if not name:
            return False
        path = Path(name)
    target = path

    def done(count: object) -> None:
        if on_done is not None:
            text = QCoreApplication.translate("Records", "{count} camera(s) exported to {path}")
            on_done(text.format(count=count, path=str(target)))

    def failed(exc: BaseException) -> None:
        log.warning("Registry export failed: %s", exc)
        if on_done is not None:
            text = QCoreApplication.translate("Records", "The registry was not exported. {reason}")
            on_done(text.format(reason=describe(exc)))

    bridge.when_done(store.export_registry_csv(target, actor), done, failed)
    return True


class CsvImportDialog(QDialog):
    """Preview then import a registry CSV. Non-modal.

    Signals (GUI thread): ``previewed(CsvPreview)``, ``imported(CsvImportResult)``, ``failed(text)``.
    """

    previewed = Signal(object)
    imported = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        store: Any,
        bridge: GuiBridge,
        path: Path,
        author_fn: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import camera registry: {file}").format(file=path.name))
        self._store = store
        self._bridge = bridge
        self._author_fn = author_fn
        self._preview: CsvPreview | None = None
        self._applying = False
        self.result_value: CsvImportResult | None = None
        self.model = CsvPreviewModel(self)

        self.summary = QLabel(self.tr("Reading {file}…").format(file=path.name))
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox()
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setEnabled(False)
        cancel = QPushButton(self.tr("Cancel"))
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.confirm)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 480)
        deliver(bridge, self, store.preview_registry_csv(path), self._on_preview, self._on_error)

    def preview(self) -> CsvPreview | None:
        return self._preview

    def _on_preview(self, preview: CsvPreview) -> None:
        self._preview = preview
        self.model.set_preview(preview)
        self.table.resizeRowsToContents()
        file_problems = [
            translate(Message("Store", e.message, dict(e.args))) for e in preview.errors if e.line <= 0
        ]
        if file_problems and not preview.rows:  # the whole file is unusable: say why, offer nothing
            self.summary.setText(
                self.tr("This file cannot be imported: {reason}").format(reason=" ".join(file_problems))
            )
            self.import_button.setEnabled(False)
            self.previewed.emit(preview)
            return
        adds = sum(1 for r in preview.rows if r.action == "add")
        updates = len(preview.rows) - adds
        bad = len({e.line for e in preview.errors})
        text = self.tr("{adds} camera(s) will be added and {updates} updated.").format(
            adds=adds, updates=updates
        )
        if bad:
            text += " " + self.tr(
                "{bad} line(s) have problems and will be skipped; fix them in the file and import again."
            ).format(bad=bad)
        text += " " + self.tr("Nothing is imported until you press Import.")
        self.summary.setText(text)
        self.import_button.setEnabled(bool(preview.rows))
        self.previewed.emit(preview)

    def confirm(self) -> bool:
        """Import the valid rows of the preview; audited by the store."""
        if self._preview is None or not self._preview.rows or self._applying:
            return False
        self._applying = True
        self.import_button.setEnabled(False)
        self.summary.setText(self.tr("Importing…"))
        deliver(
            self._bridge,
            self,
            self._store.apply_registry_csv(self._preview, self._author_fn()),
            self._on_imported,
            self._on_error,
        )
        return True

    def _on_imported(self, result: CsvImportResult) -> None:
        self._applying = False
        self.result_value = result
        self.summary.setText(
            self.tr("Imported: {added} added, {updated} updated.").format(
                added=result.added, updated=result.updated
            )
        )
        self.imported.emit(result)
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self._applying = False
        log.warning("Registry import: %s", exc)
        text = describe(exc)
        self.summary.setText(text)
        self.import_button.setEnabled(self._preview is not None and bool(self._preview.rows))
        self.failed.emit(text)

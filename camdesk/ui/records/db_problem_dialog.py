"""At start: the database is locked, damaged or from a newer camdesk. Explain it in plain words and let
the officer choose: retry, restore the latest backup, open read-only, or quit. Never a traceback.

:func:`open_store_with_recovery` is the start-up entry point for ``camdesk.app``: it opens the store and
loops through this dialog until a store is open or the officer quits. It runs on the GUI thread before the
main window exists (opening is quick; the dialog is the only thing on screen).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from camdesk.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew, StorageError
from camdesk.logs import scrub
from camdesk.ui.messages import describe

log = logging.getLogger(__name__)
MAX_ROUNDS = 50  # every round is a human decision; the cap only guards against a stuck script


class DbChoice(Enum):
    RETRY = "retry"
    RESTORE = "restore"
    READ_ONLY = "read-only"
    QUIT = "quit"


class DbProblemDialog(QDialog):
    """Explains ``error`` and returns the officer's :class:`DbChoice` from :meth:`choice` after closing.

    ``latest_backup`` is the newest backup file (None: the Restore button is disabled). ``note`` is an
    extra line, e.g. why the previous choice did not work.
    """

    def __init__(
        self,
        error: BaseException,
        latest_backup: Path | None = None,
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DbProblemDialog")
        self.setWindowTitle(self.tr("camdesk: problem with the database"))
        self._choice = DbChoice.QUIT
        self.error = error
        headline, advice = self._texts(error)
        title = QLabel(headline)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        title.setWordWrap(True)
        self.message = QLabel(describe(error) + "\n\n" + advice)
        self.message.setWordWrap(True)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self.note.setStyleSheet("color: #f0b35e;")
        detail = getattr(error, "detail", "") or str(error)
        self.details = QLabel(
            self.tr("Details for the technician: {detail}").format(detail=scrub(str(detail)))
        )
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("color: #8a9099;")

        self.retry_button = QPushButton(self.tr("Retry"))
        self.restore_button = QPushButton(self.tr("Restore latest backup"))
        self.read_only_button = QPushButton(self.tr("Open read-only"))
        self.quit_button = QPushButton(self.tr("Quit"))
        if latest_backup is not None:
            when = QDateTime.fromSecsSinceEpoch(int(latest_backup.stat().st_mtime)).toString(
                "dd/MM/yyyy HH:mm:ss"
            )
            self.restore_button.setToolTip(
                self.tr(
                    "Replace the database with the backup of {time}. The current file is kept beside it."
                ).format(time=when)
            )
        else:
            self.restore_button.setEnabled(False)
            self.restore_button.setToolTip(self.tr("No backup was found."))
        if isinstance(error, DatabaseLocked):
            # Replacing a file another program has open would lose its work.
            self.restore_button.setEnabled(False)
        for button, choice in (
            (self.retry_button, DbChoice.RETRY),
            (self.restore_button, DbChoice.RESTORE),
            (self.read_only_button, DbChoice.READ_ONLY),
            (self.quit_button, DbChoice.QUIT),
        ):
            button.clicked.connect(lambda _c=False, ch=choice: self.choose(ch))
        default = (
            self.retry_button
            if isinstance(error, DatabaseLocked)
            else (self.restore_button if self.restore_button.isEnabled() else self.read_only_button)
        )
        default.setDefault(True)

        buttons = QHBoxLayout()
        for b in (self.retry_button, self.restore_button, self.read_only_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.message)
        layout.addWidget(self.note)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        self.resize(560, self.sizeHint().height())

    def _texts(self, error: BaseException) -> tuple[str, str]:
        if isinstance(error, DatabaseLocked):
            return (
                self.tr("The database is busy"),
                self.tr(
                    "Another camdesk window or program is using it. Close it, then press Retry. "
                    "Or open the data read-only to look things up without changing anything."
                ),
            )
        if isinstance(error, DatabaseCorrupt):
            return (
                self.tr("The database file is damaged"),
                self.tr(
                    "Restoring the latest backup brings back everything saved up to that backup; "
                    "the damaged file is kept for the technician. Opening read-only may show part of the data."
                ),
            )
        if isinstance(error, DatabaseTooNew):
            return (
                self.tr("The database is from a newer camdesk"),
                self.tr("Update camdesk on this computer. Until then you can open the data read-only."),
            )
        return (
            self.tr("The database could not be opened"),
            self.tr("Check that the disk is connected and not full, then press Retry."),
        )

    def choose(self, choice: DbChoice) -> None:
        self._choice = choice
        if choice is DbChoice.QUIT:
            self.reject()
        else:
            self.accept()

    def choice(self) -> DbChoice:
        """The officer's choice (Quit if the window was closed with Escape or the close button)."""
        return self._choice if self.result() == QDialog.DialogCode.Accepted else DbChoice.QUIT


def ask_db_problem(error: BaseException, latest_backup: Path | None, note: str = "") -> DbChoice:
    """Show :class:`DbProblemDialog` modally (start-up only, nothing else is on screen) and return the choice."""
    dialog = DbProblemDialog(error, latest_backup, note)
    dialog.exec()
    return dialog.choice()


StoreOpener = Callable[..., Any]
Asker = Callable[[BaseException, "Path | None", str], DbChoice]
START_ERRORS = (DatabaseLocked, DatabaseCorrupt, DatabaseTooNew, StorageError)


def open_store_with_recovery(
    path: Path,
    backup_dir: Path,
    *,
    opener: StoreOpener | None = None,
    ask: Asker = ask_db_problem,
) -> tuple[Any, bool] | None:
    """Open the store at ``path``, asking the officer what to do while it fails.

    Returns ``(store, read_only)``, or None when the officer chose Quit. ``opener(path, read_only=...,
    backup_dir=...)`` defaults to ``camdesk.store.Store.open``; ``ask`` to the dialog.
    """
    from camdesk.store.backup import Backups

    if opener is None:
        from camdesk.store import Store

        opener = Store.open
    backups = Backups(path, backup_dir)
    read_only = False
    note = ""
    for _round in range(MAX_ROUNDS):
        try:
            return opener(path, read_only=read_only, backup_dir=backup_dir), read_only
        except START_ERRORS as exc:
            log.warning("Database problem at start (%s): %s", type(exc).__name__, exc)
            error: BaseException = exc
        choice = ask(error, backups.latest(), note)
        note = ""
        log.info("Officer chose %s", choice.value)
        if choice is DbChoice.QUIT:
            return None
        if choice is DbChoice.READ_ONLY:
            read_only = True
        elif choice is DbChoice.RETRY:
            read_only = False
        elif choice is DbChoice.RESTORE:
            read_only = False
            try:
                restored = backups.restore_latest()
                log.info("Restored %s", restored.name)
            except START_ERRORS as exc:
                note = describe(exc)
    return None

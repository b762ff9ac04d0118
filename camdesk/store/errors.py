"""Errors specific to the store, with translatable texts (context "Store")."""

from __future__ import annotations

from typing import Any

from camdesk.errors import StorageError, ValidationError
from camdesk.i18n import QT_TRANSLATE_NOOP, Message

CTX = "Store"


class FieldInvalid(ValidationError):
    """A field breaks a rule. ``text`` is a translatable template (marked with QT_TRANSLATE_NOOP("Store", ...))
    filled with ``args``; ``field`` names the input (a dataclass field name, e.g. "owner_phone")."""

    def __init__(self, field: str, text: str, **args: Any) -> None:
        super().__init__(text.format(**args), field=field, **args)
        self.text = text
        self.values: dict[str, Any] = dict(args)

    @property
    def user_message(self) -> Message:
        return Message(CTX, self.text, self.values)


class ReadOnlyStore(StorageError):
    """A write was asked of a store opened read-only."""

    user_text = QT_TRANSLATE_NOOP(
        "Errors", "The database is open read-only, so nothing can be changed. Restart camdesk to edit."
    )


class NotFound(StorageError, LookupError):
    """The record asked for does not exist (perhaps deleted in the meantime)."""

    user_text = QT_TRANSLATE_NOOP("Errors", "The record was not found; it may have been deleted: {detail}")


class BackupMissing(StorageError, FileNotFoundError):
    user_text = QT_TRANSLATE_NOOP("Errors", "No usable backup was found: {detail}")

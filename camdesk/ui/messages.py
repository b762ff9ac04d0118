"""Turning :class:`camdesk.i18n.Message` and exceptions into translated text for the user."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from camdesk.errors import CamdeskError
from camdesk.i18n import Message
from camdesk.logs import scrub


def translate(message: Message) -> str:
    """Translate a message's template, then fill in its values."""
    template = QCoreApplication.translate(message.context, message.text)
    try:
        return template.format(**message.args)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder must still show
        return message.english()


def describe(exc: BaseException) -> str:
    """Officer-readable text for any exception: our own errors translate; others get a generic message."""
    if isinstance(exc, CamdeskError):
        return translate(exc.user_message)
    return QCoreApplication.translate(
        "Errors", "An unexpected error occurred ({detail}). It was written to the log; camdesk keeps running."
    ).format(detail=scrub(f"{type(exc).__name__}: {exc}"))

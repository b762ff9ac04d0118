"""Translation markers usable below the UI layer, where Qt may not be imported.

Modules without Qt mark user-visible text with ``QT_TRANSLATE_NOOP(context, text)``; ``pyside6-lupdate``
collects these calls by name, and the UI translates the text later with
``QCoreApplication.translate(context, text)``. English is the source language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark ``text`` for translation in ``context`` without translating it now."""
    del context
    return text


@dataclass(frozen=True)
class Message:
    """A user-visible message: a translatable template plus the values to fill in after translating.

    The template uses ``str.format`` fields, e.g. ``"Camera {name} is offline"``.
    """

    context: str
    text: str
    args: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        """The message in the source language (for logs and tests)."""
        return self.text.format(**self.args)

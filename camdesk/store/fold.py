"""Folding text for search: lower case, no Vietnamese diacritics, đ/Đ -> d.

The same function folds what is indexed and what is searched, so "Đống Đa", "dong da" and "DONG DA" meet.
Changing it changes what the index holds: a schema migration must then rebuild the FTS tables.
"""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """``text`` lower-cased, NFD-decomposed, without combining marks, with đ/Đ as d."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits), in order."""
    return _WORD.findall(fold(text))


def match_expression(text: str) -> str:
    """An FTS5 MATCH expression: every folded word of ``text`` as a quoted prefix, all required.

    Quoting each word keeps FTS5 syntax (AND, OR, NEAR, ``*``, ``"``, ``:``) typed by a user inert.
    Returns "" when ``text`` has no words.
    """
    return " ".join(f'"{w}"*' for w in words(text))

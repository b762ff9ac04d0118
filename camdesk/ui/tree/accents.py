"""Matching Vietnamese text without accents, so "to dan pho" finds "Tổ dân phố"."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` without Vietnamese accents ("Tổ dân phố Đông" -> "to dan pho dong")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn").lower()


def matches(query: str, *texts: str) -> bool:
    """True when every word of ``query`` appears in one of ``texts``, ignoring accents and case."""
    words = fold(query).split()
    hay = " ".join(fold(t) for t in texts)
    return all(w in hay for w in words)

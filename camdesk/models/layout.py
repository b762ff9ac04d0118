"""Wall layouts: a grid of cells and items that may span several cells."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LayoutItem:
    """One tile: its cell rectangle in the grid and the camera shown (None = empty tile)."""

    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    camera_id: int | None = None


@dataclass(frozen=True)
class Layout:
    """A named wall layout of ``rows`` x ``cols`` cells. ``id`` is None until saved."""

    id: int | None
    name: str
    rows: int
    cols: int
    items: tuple[LayoutItem, ...] = field(default_factory=tuple)

    @staticmethod
    def grid(name: str, n: int) -> Layout:
        """An n x n layout of single-cell empty tiles."""
        items = tuple(LayoutItem(r, c) for r in range(n) for c in range(n))
        return Layout(None, name, n, n, items)

"""The wall's grid engine: preset layouts, spanning-tile geometry, arrow-key neighbours, swaps.

Pure functions on :class:`camdesk.models.layout.Layout` (no widgets), so the geometry is testable on its own.
Tiles are addressed by their index in ``layout.items``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from camdesk.errors import ValidationError
from camdesk.i18n import QT_TRANSLATE_NOOP
from camdesk.models.layout import Layout, LayoutItem

CTX = "Wall"


@dataclass(frozen=True)
class Rect:
    """A tile's rectangle in pixels inside the wall."""

    x: int
    y: int
    w: int
    h: int

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


def spanning(name: str, rows: int, cols: int, big: tuple[int, int, int, int]) -> Layout:
    """A layout of ``rows`` x ``cols`` cells with one big tile ``(row, col, row_span, col_span)``,
    every other cell a single tile."""
    br, bc, brs, bcs = big
    items = [LayoutItem(br, bc, brs, bcs)]
    for r in range(rows):
        for c in range(cols):
            if not (br <= r < br + brs and bc <= c < bc + bcs):
                items.append(LayoutItem(r, c))
    return Layout(None, name, rows, cols, tuple(items))


# Preset names are technical keys; the UI shows them with ``preset_title``.
PRESETS: dict[str, Layout] = {
    "1x1": Layout.grid("1x1", 1),
    "2x2": Layout.grid("2x2", 2),
    "3x3": Layout.grid("3x3", 3),
    "4x4": Layout.grid("4x4", 4),
    "5x5": Layout.grid("5x5", 5),
    "6x6": Layout.grid("6x6", 6),
    "8x8": Layout.grid("8x8", 8),
    "1+5": spanning("1+5", 3, 3, (0, 0, 2, 2)),  # one 2x2 tile plus five small ones
    "1+7": spanning("1+7", 4, 4, (0, 0, 3, 3)),  # one 3x3 tile plus seven small ones
    "2+8": Layout(
        None,
        "2+8",
        4,
        4,
        (LayoutItem(0, 0, 2, 2), LayoutItem(0, 2, 2, 2))
        + tuple(LayoutItem(r, c) for r in (2, 3) for c in range(4)),
    ),
}

# Number keys 1-8 choose these presets (documented in the shortcuts dialog and the user guide).
KEY_PRESETS: dict[int, str] = {1: "1x1", 2: "2x2", 3: "3x3", 4: "4x4", 5: "5x5", 6: "6x6", 7: "8x8", 8: "1+5"}


def preset_title(key: str) -> str:
    """The untranslated display title of a preset (the UI translates it in context ``Wall``)."""
    titles = {
        "1+5": QT_TRANSLATE_NOOP("Wall", "1 large + 5 small"),
        "1+7": QT_TRANSLATE_NOOP("Wall", "1 large + 7 small"),
        "2+8": QT_TRANSLATE_NOOP("Wall", "2 large + 8 small"),
    }
    return titles.get(key, key.replace("x", "\u00d7"))


def validate(layout: Layout) -> None:
    """Raise :class:`ValidationError` if a tile leaves the grid or two tiles overlap."""
    if not 1 <= layout.rows <= 16 or not 1 <= layout.cols <= 16:
        raise ValidationError(QT_TRANSLATE_NOOP("Wall", "A layout has 1 to 16 rows and columns."), field="rows")
    taken: set[tuple[int, int]] = set()
    for item in layout.items:
        if item.row_span < 1 or item.col_span < 1 or item.row < 0 or item.col < 0:
            raise ValidationError(QT_TRANSLATE_NOOP("Wall", "A tile has a negative position or size."), field="items")
        if item.row + item.row_span > layout.rows or item.col + item.col_span > layout.cols:
            raise ValidationError(QT_TRANSLATE_NOOP("Wall", "A tile reaches outside the grid."), field="items")
        for r in range(item.row, item.row + item.row_span):
            for c in range(item.col, item.col + item.col_span):
                if (r, c) in taken:
                    raise ValidationError(QT_TRANSLATE_NOOP("Wall", "Two tiles overlap."), field="items")
                taken.add((r, c))


def tile_rects(layout: Layout, width: int, height: int, gap: int = 2) -> list[Rect]:
    """Pixel rectangles of every tile for a wall of ``width`` x ``height``.

    Cell edges are rounded once per grid line, so neighbouring tiles share edges exactly and a spanning tile
    covers its cells and the gaps between them.
    """
    xs = [round(c * (width + gap) / layout.cols) for c in range(layout.cols + 1)]
    ys = [round(r * (height + gap) / layout.rows) for r in range(layout.rows + 1)]
    rects = []
    for it in layout.items:
        x0, x1 = xs[it.col], xs[it.col + it.col_span] - gap
        y0, y1 = ys[it.row], ys[it.row + it.row_span] - gap
        rects.append(Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0)))
    return rects


def neighbour(layout: Layout, index: int, dx: int, dy: int) -> int:
    """The tile an arrow key moves to from tile ``index`` (dx, dy in -1..1); ``index`` itself at an edge.

    Works on cell coordinates, so spanning tiles behave: the nearest tile whose cells lie in the direction,
    preferring ones that overlap the current tile's rows (for left/right) or columns (for up/down).
    """
    if not layout.items:
        return index
    cur = layout.items[index]
    best: tuple[float, int] | None = None
    for i, it in enumerate(layout.items):
        if i == index:
            continue
        if dx > 0:
            gap = it.col - (cur.col + cur.col_span)
            overlap = _overlap(cur.row, cur.row_span, it.row, it.row_span)
        elif dx < 0:
            gap = cur.col - (it.col + it.col_span)
            overlap = _overlap(cur.row, cur.row_span, it.row, it.row_span)
        elif dy > 0:
            gap = it.row - (cur.row + cur.row_span)
            overlap = _overlap(cur.col, cur.col_span, it.col, it.col_span)
        else:
            gap = cur.row - (it.row + it.row_span)
            overlap = _overlap(cur.col, cur.col_span, it.col, it.col_span)
        if gap < 0:
            continue
        # distance along the move, then a penalty for tiles that do not overlap, then reading order
        score = gap * 100 + (0 if overlap > 0 else 50) + it.row + it.col / 100
        if best is None or score < best[0]:
            best = (score, i)
    return index if best is None else best[1]


def _overlap(a: int, alen: int, b: int, blen: int) -> int:
    return min(a + alen, b + blen) - max(a, b)


def cameras(layout: Layout) -> list[int | None]:
    return [it.camera_id for it in layout.items]


def with_cameras(layout: Layout, camera_ids: Sequence[int | None]) -> Layout:
    """The layout with ``camera_ids`` put into its tiles in order (extra ids are dropped, missing = empty)."""
    items = tuple(
        replace(it, camera_id=camera_ids[i] if i < len(camera_ids) else None) for i, it in enumerate(layout.items)
    )
    return replace(layout, items=items)


def set_camera(layout: Layout, index: int, camera_id: int | None) -> Layout:
    items = list(layout.items)
    items[index] = replace(items[index], camera_id=camera_id)
    return replace(layout, items=tuple(items))


def swap(layout: Layout, a: int, b: int) -> Layout:
    """Swap the cameras of tiles ``a`` and ``b`` (their geometry stays)."""
    items = list(layout.items)
    ca, cb = items[a].camera_id, items[b].camera_id
    items[a] = replace(items[a], camera_id=cb)
    items[b] = replace(items[b], camera_id=ca)
    return replace(layout, items=tuple(items))


def apply_preset(current: Layout, preset: Layout) -> Layout:
    """Switch to ``preset``'s geometry, keeping the current cameras in tile order.

    A saved layout keeps its id and name (saving it again updates it); an unsaved one takes the preset's name.
    """
    kept = [c for c in cameras(current) if c is not None]
    if current.id is None:
        return with_cameras(preset, kept)
    return replace(with_cameras(preset, kept), id=current.id, name=current.name)

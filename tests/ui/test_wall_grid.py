"""The wall's grid engine: presets, spanning tiles, arrow-key moves, swaps (no widgets needed)."""

from __future__ import annotations

import pytest

from camdesk.errors import ValidationError
from camdesk.models.layout import Layout, LayoutItem
from camdesk.ui.wall import grid


@pytest.mark.parametrize(("key", "tiles"), [("1x1", 1), ("2x2", 4), ("3x3", 9), ("4x4", 16), ("5x5", 25),
                                            ("6x6", 36), ("8x8", 64), ("1+5", 6), ("1+7", 8), ("2+8", 10)])
def test_every_preset_covers_its_grid_exactly_once(key: str, tiles: int) -> None:
    layout = grid.PRESETS[key]
    grid.validate(layout)
    assert len(layout.items) == tiles
    cells = sum(it.row_span * it.col_span for it in layout.items)
    assert cells == layout.rows * layout.cols


def test_number_keys_choose_documented_presets() -> None:
    assert grid.KEY_PRESETS == {1: "1x1", 2: "2x2", 3: "3x3", 4: "4x4", 5: "5x5", 6: "6x6", 7: "8x8", 8: "1+5"}


def test_big_tile_spans_two_by_two_cells_and_the_gaps_between_them() -> None:
    layout = grid.PRESETS["1+5"]
    rects = grid.tile_rects(layout, 901, 601, gap=2)  # (901 + 2) / 3 = 301 px per cell
    big, small = rects[0], rects[1]
    assert (big.x, big.y) == (0, 0)
    assert big.w == 2 * small.w + 2 and big.h == 2 * small.h + 2
    # the small tiles fill the right column and the bottom row, flush with the wall's edges
    right = [r for r in rects[1:] if r.x > big.w]
    bottom = [r for r in rects[1:] if r.y > big.h]
    assert len(right) == 3 and len(bottom) == 3
    assert all(r.x + r.w == 901 for r in right)
    assert all(r.y + r.h == 601 for r in bottom)


def test_tiles_never_overlap_at_awkward_sizes() -> None:
    for key in ("3x3", "5x5", "1+7", "2+8"):
        rects = grid.tile_rects(grid.PRESETS[key], 1001, 557, gap=2)
        for i, a in enumerate(rects):
            for b in rects[i + 1:]:
                apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
                assert apart, (key, a, b)


def test_overlapping_or_outside_tiles_are_refused() -> None:
    with pytest.raises(ValidationError):
        grid.validate(Layout(None, "x", 2, 2, (LayoutItem(0, 0, 2, 2), LayoutItem(1, 1))))
    with pytest.raises(ValidationError):
        grid.validate(Layout(None, "x", 2, 2, (LayoutItem(1, 1, 1, 2),)))


def test_arrow_keys_move_between_spanning_and_small_tiles() -> None:
    layout = grid.PRESETS["1+5"]  # 0 = big (rows 0-1, cols 0-1); 1 = (0,2); 2 = (1,2); 3,4,5 = bottom row
    assert grid.neighbour(layout, 0, 1, 0) == 1  # right of the big tile: the top small one
    assert grid.neighbour(layout, 2, -1, 0) == 0  # left from (1,2): back to the big tile
    assert grid.neighbour(layout, 0, 0, 1) == 3  # down from the big tile: bottom-left
    assert grid.neighbour(layout, 5, 0, -1) == 2  # up from bottom-right: (1,2)
    assert grid.neighbour(layout, 0, -1, 0) == 0  # at the edge: stay


def test_switching_preset_keeps_cameras_in_order() -> None:
    three = grid.with_cameras(grid.PRESETS["3x3"], [11, None, 13, 14])
    two = grid.apply_preset(three, grid.PRESETS["2x2"])
    assert grid.cameras(two) == [11, 13, 14, None]
    assert two.name == "2x2"
    saved = Layout(7, "Chợ", 3, 3, three.items)
    assert grid.apply_preset(saved, grid.PRESETS["4x4"]).id == 7  # a saved layout stays itself


def test_swap_exchanges_cameras_not_geometry() -> None:
    layout = grid.with_cameras(grid.PRESETS["1+5"], [1, 2, 3])
    swapped = grid.swap(layout, 0, 2)
    assert grid.cameras(swapped)[:3] == [3, 2, 1]
    assert swapped.items[0].row_span == 2

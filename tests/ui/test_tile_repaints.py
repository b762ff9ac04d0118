"""A tile repaints for an overlay change (motion, the clock) at once when no video is coming, and leaves it
to the next frame's paint when video is live: a burst of motion events from every camera of a 64-tile
wall must not repaint the whole wall in one go (bench/wall.py lost a frame of every stream to that)."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtGui import QColor

from camdesk.models.camera import Camera
from camdesk.models.stream import VideoFrame
from camdesk.ui.wall import tile as tile_module
from camdesk.ui.wall.tile import TileWidget


class CountingTile(TileWidget):
    paints = 0

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().paintEvent(event)
        self.paints += 1


def _frame(n: int) -> VideoFrame:
    image = np.full((180, 320, 4), 60, np.uint8)
    return VideoFrame(image=image, width=320, height=180, received_at=time.time(), captured_at=time.time(), sequence=n)


def _shown_tile(qtbot) -> CountingTile:  # type: ignore[no-untyped-def]
    tile = CountingTile("w", 0)
    tile.camera = Camera(id=1, name="Cổng chợ")
    tile.resize(320, 180)
    qtbot.addWidget(tile)
    tile.show()
    return tile


def _settle(qtbot, tile: CountingTile) -> int:  # type: ignore[no-untyped-def]
    qtbot.wait(30)  # paint events are posted: let them run
    return tile.paints


def test_motion_on_a_tile_without_video_repaints_at_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    tile = _shown_tile(qtbot)
    before = _settle(qtbot, tile)
    tile.set_motion(True)
    assert _settle(qtbot, tile) == before + 1
    tile.set_motion(True)  # no change: no paint
    assert _settle(qtbot, tile) == before + 1


def test_motion_on_a_live_tile_is_drawn_with_the_next_frame(qtbot) -> None:  # type: ignore[no-untyped-def]
    tile = _shown_tile(qtbot)
    tile.set_frame(_frame(1))
    before = _settle(qtbot, tile)
    tile.set_motion(True)
    tile.refresh_overlay()  # the clock's tick, the same rule
    assert _settle(qtbot, tile) == before, "a live tile is not repainted for the overlay alone"
    tile.set_frame(_frame(2))
    assert _settle(qtbot, tile) == before + 1
    image = tile.grab().toImage()
    assert image.pixelColor(3, 90) == QColor(tile_module._MOTION), "the next frame's paint draws the motion border"
    assert image.pixelColor(0, 90) == QColor(tile_module._BORDER)  # the 1-pixel border over it
    assert image.pixelColor(160, 4) != QColor(tile_module._MOTION)  # a band, not a fill
    tile.selected = True
    image = tile.grab().toImage()
    assert image.pixelColor(1, 90) == QColor(tile_module._SELECTED)
    assert image.pixelColor(318, 178) == QColor(tile_module._SELECTED)  # all four edges
    assert image.pixelColor(3, 90) == QColor(tile_module._MOTION)
    # Video stops: after OVERLAY_LAG_S an overlay change repaints by itself again.
    qtbot.wait(int(tile_module.OVERLAY_LAG_S * 1000) + 50)
    painted = tile.paints  # grab() painted too
    tile.set_motion(False)
    assert _settle(qtbot, tile) == painted + 1

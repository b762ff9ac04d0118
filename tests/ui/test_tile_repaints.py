"""A tile repaints for an overlay change (motion, the clock) at once when no video is coming, and leaves it
to the next frame's paint when video is live: a burst of motion events from every camera of a 64-tile
wall must not repaint the whole wall in one go (bench/wall.py lost a frame of every stream to that)."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from camdesk.models.camera import Camera
from camdesk.models.stream import StreamState, StreamStatus, VideoFrame
from camdesk.ui.wall import tile as tile_module
from camdesk.ui.wall.tile import TileWidget


class CountingTile(TileWidget):
    def __init__(self, wall_id: str, index: int) -> None:
        super().__init__(wall_id, index)
        self.paints = 0
        self.painted_rects: list[QRect] = []  # the region of each paint

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().paintEvent(event)
        self.paints += 1
        self.painted_rects.append(event.rect())


def _frame(n: int, level: int = 60, width: int = 320, height: int = 180) -> VideoFrame:
    image = np.full((height, width, 4), level, np.uint8)
    return VideoFrame(image=image, width=width, height=height, received_at=time.time(), captured_at=time.time(),
                      sequence=n)


def _shown_tile(qtbot, width: int = 320, height: int = 180) -> CountingTile:  # type: ignore[no-untyped-def]
    tile = CountingTile("w", 0)
    tile.camera = Camera(id=1, name="Cổng chợ")
    tile.resize(width, height)
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


def _playing(tile: CountingTile) -> CountingTile:
    tile.set_status(StreamStatus(stream_id="s", state=StreamState.PLAYING, since=time.time()))
    return tile


def _live_tile(qtbot, width: int, height: int, *frame_size: int) -> CountingTile:  # type: ignore[no-untyped-def]
    """A shown tile, playing, with its first frame (``frame_size``: width, height) painted."""
    tile = _playing(_shown_tile(qtbot, width, height))
    tile.set_frame(_frame(1, 40, *frame_size))
    _settle(qtbot, tile)
    return tile


def _on_screen(tile: TileWidget) -> QImage:
    """What the window system has (the offscreen platform's backing store), not a fresh render like grab()."""
    return QApplication.primaryScreen().grabWindow(tile.winId()).toImage()


def _paints_for_frame(qtbot, tile: CountingTile, frame: VideoFrame) -> list[QRect]:  # type: ignore[no-untyped-def]
    """The regions the tile repainted for ``frame``."""
    tile.painted_rects.clear()
    tile.set_frame(frame)
    _settle(qtbot, tile)
    return tile.painted_rects


def test_with_room_above_the_picture_a_new_frame_repaints_only_the_picture(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A tile taller than its picture puts the top bar above the picture, so a new frame leaves the bar, the
    clock and the background as drawn and repaints only the picture (bench/wall.py: a sixth less CPU per
    frame on the GUI thread)."""
    tile = _shown_tile(qtbot, 298, 250)
    tile.set_frame(_frame(1, 40, 296, 166))
    _settle(qtbot, tile)
    assert _paints_for_frame(qtbot, tile, _frame(2, 50, 296, 166)) == [tile.rect()], \
        "no state yet: the 'connecting' text lies over the picture"
    _playing(tile)
    _settle(qtbot, tile)
    bar_row = round(tile._picture.rect.top()) - 5  # type: ignore[union-attr]  # inside the bar, above the picture
    assert tile._picture is not None and tile._picture.bar_above and bar_row > 0
    screen = _on_screen(tile)
    bar_colour = screen.pixelColor(150, bar_row)
    assert bar_colour != QColor(40, 40, 40) and bar_colour != screen.pixelColor(150, 2)  # a bar, not background
    painted = _paints_for_frame(qtbot, tile, _frame(2, 200, 296, 166))
    assert painted == [tile._picture.picture_only]  # type: ignore[union-attr]
    assert painted[0].height() < tile.height() - 40
    screen = _on_screen(tile)
    assert screen.pixelColor(150, 125) == QColor(200, 200, 200), "the new frame is on screen"
    assert screen.pixelColor(150, bar_row) == bar_colour, "the bar above it stays as it was"
    assert screen.pixelColor(0, 125) == QColor(tile_module._BORDER)
    tile.selected = True  # as the wall selects: a full repaint
    tile.update()
    _settle(qtbot, tile)
    assert _paints_for_frame(qtbot, tile, _frame(3, 120, 296, 166)) == [tile._picture.picture_only]  # type: ignore[union-attr]
    screen = _on_screen(tile)
    assert screen.pixelColor(150, 125) == QColor(120, 120, 120)
    assert screen.pixelColor(1, 125) == QColor(tile_module._SELECTED), "the 2-pixel band over the picture is redrawn"


def test_an_overlay_change_on_a_live_tile_repaints_the_whole_tile_with_the_next_frame(qtbot) -> None:  # type: ignore[no-untyped-def]
    tile = _live_tile(qtbot, 298, 250, 296, 166)
    tile.set_motion(True)  # waits for the next frame: video is live
    assert _paints_for_frame(qtbot, tile, _frame(2, 200, 296, 166)) == [tile.rect()]
    assert _on_screen(tile).pixelColor(3, 10) == QColor(tile_module._MOTION)  # the band, outside the picture too
    # Nothing else changed since: the picture alone again.
    assert _paints_for_frame(qtbot, tile, _frame(3, 90, 296, 166)) == [tile._picture.picture_only]  # type: ignore[union-attr]
    screen = _on_screen(tile)
    assert screen.pixelColor(150, 125) == QColor(90, 90, 90)
    assert screen.pixelColor(3, 125) == QColor(tile_module._MOTION), "the band over the picture's edge is redrawn"


def test_without_room_the_bar_lies_over_the_picture_and_every_frame_repaints_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    tile = _live_tile(qtbot, 320, 180)
    assert tile._picture is not None and not tile._picture.bar_above
    assert _paints_for_frame(qtbot, tile, _frame(2, 200)) == [tile.rect()]
    screen = _on_screen(tile)
    assert screen.pixelColor(160, 100) == QColor(200, 200, 200)
    assert screen.pixelColor(160, 5) != QColor(200, 200, 200), "the bar is drawn over the new frame"


def _has_label_colour(image: QImage, x0: int, x1: int, y0: int, y1: int) -> bool:
    return any(image.pixelColor(x, y).red() > 200 and image.pixelColor(x, y).blue() < 160
               for x in range(x0, x1) for y in range(y0, y1))


def test_an_expose_inside_the_picture_redraws_what_lies_over_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Zoomed in, the zoom factor is drawn over the picture: a repaint of the picture's area alone (a
    tooltip gone, a window moved away) draws it again instead of leaving the bare picture."""
    tile = _live_tile(qtbot, 298, 250, 296, 166)
    tile.zoom_by(2.0)
    _settle(qtbot, tile)
    picture = tile._picture
    assert picture is not None and picture.bar_above
    top = picture.picture_only.top()
    assert _has_label_colour(_on_screen(tile), 230, 292, top, top + 24), "the zoom factor is shown"
    tile.update(picture.picture_only)
    _settle(qtbot, tile)
    assert _has_label_colour(_on_screen(tile), 230, 292, top, top + 24), "and still shown after the repaint"

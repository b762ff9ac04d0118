"""One tile of the wall: draws the newest frame unscaled at its device-pixel size, plus the overlay.

The engine scales frames to the size the tile asked for (``StreamHub.resize``), so painting is one
``drawImage`` of a ``QImage`` that wraps the engine's BGRA array without copying. Digital zoom (wheel) and
pan (drag while zoomed) draw a part of the frame enlarged; that is the only case where Qt scales.
GUI thread only.
"""

from __future__ import annotations

import functools
import math
import time
from typing import NamedTuple

from PySide6.QtCore import (
    QByteArray,
    QDateTime,
    QEvent,
    QMimeData,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QFont,
    QImage,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QWidget

from camdesk.models.camera import Camera
from camdesk.models.stream import StreamState, StreamStats, StreamStatus, VideoFrame
from camdesk.ui.wall import overlay

CAMERA_MIME = "application/x-camdesk-camera"  # payload: the camera id as ASCII digits
TILE_MIME = "application/x-camdesk-tile"  # payload: "<wall id>:<tile index>:<camera id or empty>"
MAX_ZOOM = 8.0
OVERLAY_LAG_S = 0.25  # an overlay change may wait this long for the next live frame to be painted

_BORDER = QColor(52, 56, 63)
_SELECTED = QColor(64, 156, 255)
_DROP = QColor(255, 196, 64)
_BACKGROUND = QColor(10, 11, 13)
_MOTION = QColor(255, 120, 40)  # motion alarm: amber-orange, distinct from selection (blue) and drop (yellow)
_STATE_COLORS = {
    StreamState.PLAYING: QColor(64, 200, 110),
    StreamState.CONNECTING: QColor(240, 190, 60),
    StreamState.RECONNECTING: QColor(240, 150, 40),
    StreamState.OFFLINE: QColor(230, 70, 60),
    StreamState.AUTH_FAILED: QColor(230, 70, 60),
    StreamState.UNSUPPORTED: QColor(200, 90, 200),
    StreamState.STOPPED: QColor(130, 135, 140),
}


def _edge(p: QPainter, w: int, h: int, width: int, color: QColor) -> None:
    """A band ``width`` pixels wide along the tile's edges: four solid fills (3 us), where ``drawRect``
    with a pen of that width took 16-18 us per tile frame on the raster engine, with Python's GIL held."""
    p.fillRect(0, 0, w, width, color)
    p.fillRect(0, h - width, w, width, color)
    p.fillRect(0, width, width, h - 2 * width, color)
    p.fillRect(w - width, width, width, h - 2 * width, color)


def _strips_around(w: int, h: int, picture: QRectF) -> list[QRectF]:
    """The background strips of a ``w`` x ``h`` tile outside ``picture`` (the frame keeps its aspect ratio).

    Each strip is widened to a whole pixel towards the picture, which is then drawn over it, so that no row
    or column stays unpainted (opaque paint events) at a half-pixel offset."""
    left, top = max(0, math.ceil(picture.left())), max(0, math.ceil(picture.top()))
    right, bottom = min(w, math.floor(picture.right())), min(h, math.floor(picture.bottom()))
    strips = []
    if top > 0:
        strips.append(QRectF(0, 0, w, top))
    if bottom < h:
        strips.append(QRectF(0, bottom, w, h - bottom))
    if left > 0:
        strips.append(QRectF(0, top, left, bottom - top))
    if right < w:
        strips.append(QRectF(right, top, w - right, bottom - top))
    return strips


def _font_px(w: int, h: int) -> int:
    """The overlay's font size in device-independent pixels for a w x h tile."""
    return int(max(9, min(15, min(w, h * 16 / 9) / 28)))


def _bar_height(px: int) -> int:
    """The top bar's height for an overlay font of ``px`` pixels."""
    return px + 8


class _Picture(NamedTuple):
    """Where a frame goes in its tile, and what that implies for painting."""

    rect: QRectF  # the picture (device-independent pixels)
    strips: list[QRectF]  # background around it
    top_left: QPointF
    bar_y: float  # the top bar: just above the picture when the tile has room for it there, else over it
    bar_above: bool
    # The region a new frame repaints when nothing else changed (the bar is not over the picture), and
    # how far it lies inside the tile's edges: an edge band (border 1, selection 2, motion 4 pixels) wider
    # than that reaches into it and is drawn again over the new frame.
    picture_only: QRect
    inset: int


@functools.lru_cache(maxsize=1)
def _clock_at(second: int) -> str:
    return QDateTime.fromSecsSinceEpoch(second).toString("HH:mm:ss")


def _clock_text() -> str:
    """The overlay clock, HH:mm:ss, formatted once a second for every tile."""
    return _clock_at(int(time.time()))


class TileWidget(QWidget):
    """A video tile. Signals carry the tile's index in the layout."""

    clicked = Signal(int)
    activated = Signal(int)  # double-click: maximize or restore
    camera_dropped = Signal(int, int)  # tile index, camera id
    tile_dropped = Signal(str, int)  # "<wall id>:<tile index>" of the dragged tile, target index
    pixel_size_changed = Signal(int)  # tile index (debounced)

    def __init__(self, wall_id: str, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wall_id = wall_id
        self.index = index
        self.camera: Camera | None = None
        self.stream_id: str | None = None
        self.status: StreamStatus | None = None
        self.stats: StreamStats | None = None
        self.show_stats = False
        self.selected = False
        self.motion = False  # the camera reports motion (ONVIF events): the border turns amber
        self.frames_painted = 0  # paint events that drew a picture (new frames, clock ticks, overlay changes)
        self.frames_received = 0  # new frames handed over by the paint timer
        self._frame_at = 0.0  # time.monotonic() of the latest frame
        self._frame: VideoFrame | None = None
        self._image: QImage | None = None
        self._array: object = None  # keeps the numpy buffer alive while the QImage wraps it
        # The overlay's top bar (name, state dot, clock) changes about once a second but is painted with
        # every frame: it is drawn once into a pixmap and reused (bench/wall.py: the bar drawn each frame was
        # most of the GUI thread's time per frame on a 16-tile wall).
        self._bar_key: tuple[object, ...] | None = None
        self._bar: QPixmap | None = None
        self._font_key: tuple[object, ...] | None = None
        self._font = QFont()
        self._wh = (self.width(), self.height())  # cached: read on every paint
        self._dpr = self.devicePixelRatioF()
        self._picture_key: tuple[object, ...] | None = None
        self._picture: _Picture | None = None
        self._overlay_stale = False  # an overlay change waits for the next frame's paint (refresh_overlay)
        self._zoom = 1.0
        self._center = QPointF(0.5, 0.5)  # zoom centre, in frame fractions
        self._press: QPoint | None = None
        self._pan_from: tuple[QPoint, QPointF] | None = None
        self._drop_hover = False
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(16, 16)
        self._resize_timer = QTimer(self, singleShot=True, interval=150)
        self._resize_timer.timeout.connect(lambda: self.pixel_size_changed.emit(self.index))

    # --- content ------------------------------------------------------------------------------------
    def set_camera(self, camera: Camera | None, stream_id: str | None) -> None:
        self.camera, self.stream_id = camera, stream_id
        self.motion = False
        self.status = None
        self.stats = None
        self.clear_frame()
        self.reset_zoom()
        self.setToolTip(self._tooltip())
        self.update()

    def set_status(self, status: StreamStatus) -> None:
        self.status = status
        if status.state != StreamState.PLAYING:
            self.clear_frame()  # a stale picture must not pass for live video
        self.setToolTip(self._tooltip())
        self.update()

    def set_frame(self, frame: VideoFrame) -> None:
        """Show ``frame`` (from the paint timer). Wraps its array without a copy."""
        arr = frame.image
        self.frames_received += 1
        self._frame_at = time.monotonic()
        self._array = arr
        self._frame = frame
        self._image = QImage(
            arr.data,  # type: ignore[attr-defined]
            frame.width,
            frame.height,
            arr.strides[0],  # type: ignore[attr-defined]
            QImage.Format.Format_RGB32,
        )
        if self._dpr != 1.0:  # kept up to date by resizeEvent and changeEvent (another screen)
            self._image.setDevicePixelRatio(self._dpr)
        picture = self._picture
        if (picture is not None and picture.bar_above and not self._overlay_stale and self._picture_alone()
                and self._picture_key == self._geometry_key(frame)):
            # Only the picture changed: the bar, the clock and the background around it are still on screen.
            self.update(picture.picture_only)
        else:
            self._overlay_stale = False
            self.update()

    def _picture_alone(self) -> bool:
        """Nothing but the edge bands is drawn over the picture (no state text, statistics or zoom label),
        so a paint inside the picture needs the picture alone."""
        status = self.status
        return (self._zoom == 1.0 and not self.show_stats and status is not None
                and status.state == StreamState.PLAYING)

    def refresh_overlay(self, within_s: float = OVERLAY_LAG_S) -> None:
        """Repaint for an overlay change (clock, countdown, statistics, motion), unless live frames are
        coming: the next frame's paint draws it, within ``within_s``. A burst of motion events from 64
        cameras otherwise repainted the whole wall in one go, and every stream lost a frame meanwhile."""
        if self._image is None or time.monotonic() - self._frame_at > within_s:
            self.update()
        else:
            self._overlay_stale = True

    def set_motion(self, active: bool) -> None:
        if self.motion != active:
            self.motion = active
            self.refresh_overlay()

    def clear_frame(self) -> None:
        self._frame = None
        self._image = None
        self._array = None

    @property
    def frame(self) -> VideoFrame | None:
        return self._frame

    def has_picture(self) -> bool:
        return self._image is not None

    def device_pixel_size(self) -> tuple[int, int]:
        dpr = self.devicePixelRatioF()
        return max(16, round(self.width() * dpr)), max(16, round(self.height() * dpr))

    def _tooltip(self) -> str:
        if self.camera is None:
            return ""
        lines = [self.camera.name]
        if self.camera.address:
            lines.append(self.camera.address)
        if self.status is not None and self.status.reason:
            lines.append(self.status.reason)
        return "\n".join(lines)

    # --- zoom and pan -------------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self._zoom

    def reset_zoom(self) -> None:
        self._zoom = 1.0
        self._center = QPointF(0.5, 0.5)
        self.update()

    def zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        """Zoom around ``at`` (widget coordinates; the centre if None), between 1x and ``MAX_ZOOM``."""
        before = self._zoom
        self._zoom = min(MAX_ZOOM, max(1.0, self._zoom * factor))
        if self._zoom == 1.0:
            self._center = QPointF(0.5, 0.5)
        elif at is not None and before != self._zoom:
            frac = self._frame_fraction(at)
            # keep the point under the cursor in place
            k = before / self._zoom
            self._center = QPointF(frac.x() + (self._center.x() - frac.x()) * k,
                                   frac.y() + (self._center.y() - frac.y()) * k)
        self._clamp_center()
        self.update()

    def _frame_fraction(self, pos: QPointF) -> QPointF:
        view = 1.0 / self._zoom
        fx = self._center.x() + (pos.x() / max(1, self.width()) - 0.5) * view
        fy = self._center.y() + (pos.y() / max(1, self.height()) - 0.5) * view
        return QPointF(fx, fy)

    def _clamp_center(self) -> None:
        half = 0.5 / self._zoom
        self._center = QPointF(min(1 - half, max(half, self._center.x())), min(1 - half, max(half, self._center.y())))

    @property
    def zoom_center(self) -> QPointF:
        return QPointF(self._center)

    # --- painting -----------------------------------------------------------------------------------
    # Every call from Python into Qt may hand Python's GIL to a decoder thread and wait to get it back, so a
    # tile repainted with each frame keeps the common case (live picture, nothing else changed) to a few
    # calls: what does not change between frames (strips around the picture, pens, the top bar) is cached.
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = self._wh
        img, frame = self._image, self._frame  # set and cleared together
        if img is None or frame is None:
            p.fillRect(0, 0, w, h, _BACKGROUND)
            self._paint_overlay(p, w, h, 0.0)
            p.end()
            return
        picture = self._picture_geometry(frame)
        # A new frame's paint (set_frame), or an expose inside the picture (a tooltip gone).
        only_picture = picture.bar_above and self._picture_alone() and picture.picture_only.contains(event.rect())
        if not only_picture:
            for strip in picture.strips:
                p.fillRect(strip, _BACKGROUND)  # the picture covers the rest
        if self._zoom == 1.0:
            p.drawImage(picture.top_left, img)
        else:
            sw, sh = img.width() / self._zoom, img.height() / self._zoom
            sx = self._center.x() * img.width() - sw / 2
            sy = self._center.y() * img.height() - sh / 2
            p.drawImage(picture.rect, img, QRectF(sx, sy, sw, sh))
        self.frames_painted += 1
        if not only_picture:
            self._paint_overlay(p, w, h, picture.bar_y)
        elif picture.inset < self._edge_width():
            self._paint_edges(p, w, h)
        p.end()

    def _geometry_key(self, frame: VideoFrame) -> tuple[object, ...]:
        """What the picture's place depends on: the tile's size and scale, the frame's size."""
        return self._wh, frame.width, frame.height, self._dpr

    def _picture_geometry(self, frame: VideoFrame) -> _Picture:
        """Where the picture goes (device-independent pixels), the strips around it and the top bar. The
        size is the frame's (its image's), read without two calls into Qt."""
        key = self._geometry_key(frame)
        if key != self._picture_key or self._picture is None:
            w, h = self._wh
            iw, ih = frame.width / self._dpr, frame.height / self._dpr
            bar = _bar_height(_font_px(w, h))
            bar_above = h - ih >= bar  # room in the letterbox: the bar covers none of the picture
            top = (h - ih - bar) / 2 + bar if bar_above else (h - ih) / 2
            rect = QRectF((w - iw) / 2, top, iw, ih)
            inside = rect.toAlignedRect()  # whole pixels covering the picture
            inset = min(inside.left(), inside.top(), w - 1 - inside.right(), h - 1 - inside.bottom())
            self._picture = _Picture(rect, _strips_around(w, h, rect), rect.topLeft(),
                                     top - bar if bar_above else 0.0, bar_above, inside, inset)
            self._picture_key = key
        return self._picture

    def _paint_overlay(self, p: QPainter, w: int, h: int, bar_y: float) -> None:
        px = _font_px(w, h)
        if self.camera is not None:
            state = self.status.state if self.status is not None else StreamState.CONNECTING
            p.drawPixmap(QPointF(0, bar_y), self._top_bar(self.camera.name, state, w, px))
            if state != StreamState.PLAYING or self.show_stats or self._zoom > 1.0:
                self._paint_details(p, w, h, px, state, bar_y)
        else:
            p.setFont(self._overlay_font(px))
            p.setPen(QColor(110, 116, 124))
            p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       overlay.empty_text())
        self._paint_edges(p, w, h)

    def _edge_width(self) -> int:
        """The widest edge band drawn now."""
        return 4 if self.motion else 2 if self.selected or self._drop_hover else 1

    def _paint_edges(self, p: QPainter, w: int, h: int) -> None:
        if self.motion:
            _edge(p, w, h, 4, _MOTION)
        if self.selected or self._drop_hover:
            _edge(p, w, h, 2, _DROP if self._drop_hover else _SELECTED)
        else:
            _edge(p, w, h, 1, _BORDER)

    def _paint_details(self, p: QPainter, w: int, h: int, px: int, state: StreamState, bar_y: float) -> None:
        """The rarer parts of the overlay: the state message, statistics, the zoom factor."""
        p.setFont(self._overlay_font(px))
        bar = _bar_height(px)
        message = overlay.state_text(self.status)
        if message:
            self._paint_centre_text(p, w, h, message, _STATE_COLORS.get(state, _STATE_COLORS[StreamState.STOPPED]), px)
        if self.show_stats and self.stats is not None:
            line = overlay.stats_text(self.stats)
            p.fillRect(QRectF(0, h - bar, w, bar), QColor(0, 0, 0, 140))
            p.setPen(QColor(200, 205, 210))
            p.drawText(QRectF(6, h - bar, w - 12, bar), Qt.AlignmentFlag.AlignVCenter, line)
        if self._zoom > 1.0:
            p.setPen(QColor(255, 220, 120))
            p.drawText(QRectF(0, bar_y + bar, w - 6, bar), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{self._zoom:.1f}\u00d7")
        p.setBrush(Qt.BrushStyle.NoBrush)

    def _overlay_font(self, px: int) -> QFont:
        if self._font_key is None or self._font_key[1] != px:
            self._font = QFont(self.font())
            self._font.setPixelSize(px)
            self._font_key = (self.font().key(), px)
        return self._font

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._font_key = None  # the overlay font follows the widget's
        elif event.type() == QEvent.Type.DevicePixelRatioChange:  # moved to a screen with another scale
            self._dpr = self.devicePixelRatioF()
            self._resize_timer.start()  # the engine scales to the new device-pixel size
        super().changeEvent(event)

    def _top_bar(self, name: str, state: StreamState, w: int, px: int) -> QPixmap:
        """The top bar (state dot, camera name, clock), redrawn only when one of them or the size changed."""
        clock = _clock_text()
        font = self._overlay_font(px)  # first: a font change resets _font_key, part of the key
        key = (name, state, px, w, self._dpr, clock, self._font_key)
        if key == self._bar_key and self._bar is not None:
            return self._bar
        dpr = self._dpr
        dot = _STATE_COLORS.get(state, _STATE_COLORS[StreamState.STOPPED])
        bar = _bar_height(px)
        pixmap = QPixmap(max(1, round(w * dpr)), max(1, round(bar * dpr)))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setFont(font)
        grad = QLinearGradient(0, 0, 0, bar)
        grad.setColorAt(0, QColor(0, 0, 0, 170))
        grad.setColorAt(1, QColor(0, 0, 0, 90))
        p.fillRect(0, 0, w, bar, grad)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(dot)
        r = px * 0.35
        p.drawEllipse(QPointF(6 + r, bar / 2), r, r)
        p.setPen(QColor(235, 238, 242))
        clock_w = p.fontMetrics().horizontalAdvance(clock) + 8
        name_rect = QRectF(10 + 2 * r, 0, max(0.0, w - clock_w - 16 - 2 * r), bar)
        elided = p.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, int(name_rect.width()))
        p.drawText(name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
        if w > clock_w + 60:
            p.drawText(QRectF(w - clock_w - 4, 0, clock_w, bar),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, clock)
        p.end()
        self._bar_key, self._bar = key, pixmap
        return pixmap

    def _paint_centre_text(self, p: QPainter, w: int, h: int, text: str, color: QColor, px: int) -> None:
        font = QFont(p.font())
        font.setPixelSize(int(px * 1.15))
        font.setBold(True)
        p.setFont(font)
        fm = p.fontMetrics()
        box = fm.boundingRect(0, 0, max(40, w - 24), h, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter, text)
        box.adjust(-10, -6, 10, 6)
        box.moveCenter(QPoint(w // 2, h // 2))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(0, 0, 0, 170))
        p.drawRoundedRect(QRectF(box), 4, 4)
        p.setPen(color.lighter(130))
        p.drawText(QRectF(box), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
        font.setBold(False)
        font.setPixelSize(px)
        p.setFont(font)

    # --- input --------------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._wh = (self.width(), self.height())
        self._dpr = self.devicePixelRatioF()
        self._resize_timer.start()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self.index)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            if self._zoom > 1.0:
                self._pan_from = (self._press, QPointF(self._center))
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        if self._pan_from is not None:
            start, center = self._pan_from
            view = 1.0 / self._zoom
            self._center = QPointF(center.x() - (pos.x() - start.x()) / max(1, self.width()) * view,
                                   center.y() - (pos.y() - start.y()) / max(1, self.height()) * view)
            self._clamp_center()
            self.update()
            return
        if (pos - self._press).manhattanLength() >= QApplication.startDragDistance() and self.camera is not None:
            self._press = None
            self.start_drag()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        self._pan_from = None
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.index)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.camera is None:
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.25**steps, event.position())
        event.accept()

    def tile_mime(self) -> QMimeData:
        mime = QMimeData()
        camera = self.camera.id if self.camera is not None and self.camera.id is not None else ""
        mime.setData(TILE_MIME, QByteArray(f"{self.wall_id}:{self.index}:{camera}".encode()))
        return mime

    def start_drag(self) -> None:
        drag = QDrag(self)
        drag.setMimeData(self.tile_mime())
        drag.exec(Qt.DropAction.MoveAction)

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        mime = event.mimeData()
        if mime.hasFormat(CAMERA_MIME) or mime.hasFormat(TILE_MIME):
            self._drop_hover = True
            self.update()
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._drop_hover = False
        self.update()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._drop_hover = False
        self.update()
        self.accept_mime(event.mimeData())
        event.acceptProposedAction()

    def accept_mime(self, mime: QMimeData) -> bool:
        """Handle dropped data (also used by tests, which cannot run a platform drag offscreen)."""
        if mime.hasFormat(CAMERA_MIME):
            try:
                camera_id = int(bytes(mime.data(CAMERA_MIME).data()).decode())
            except ValueError:
                return False
            self.camera_dropped.emit(self.index, camera_id)
            return True
        if mime.hasFormat(TILE_MIME):
            self.tile_dropped.emit(bytes(mime.data(TILE_MIME).data()).decode(), self.index)
            return True
        return False

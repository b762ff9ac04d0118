"""Direct PTZ on a wall tile: drag to move (speed grows with the drag distance), wheel to zoom, arrow
keys to move and +/- to zoom. A continuous move always ends with Stop: on mouse or key release, focus
loss, hide, when PTZ mode is switched off and when the tile closes.

How a tile uses it::

    self.ptz = TilePtz(service, bridge, self)     # self: the tile widget (needs keyboard focus)
    self.ptz.set_camera(camera_id)                 # or None for a camera without PTZ
    self.ptz.set_enabled(True)                     # the tile's "PTZ mode" toggle
    self.ptz.error.connect(show_message)           # translated text of a failed command
    ...
    self.ptz.close()                               # in the tile's closeEvent / before deleting it

The helper installs an event filter on the tile and consumes only the mouse, wheel and key events it
acts on while enabled, so the tile's own handlers keep working in normal mode.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe

if TYPE_CHECKING:
    from camdesk.onvif.service import OnvifService

DEAD_ZONE = 0.05  # drag distances below this fraction of the tile do not move
STEP = 0.1  # velocities are rounded to this, so a drag sends a command only when the speed changes enough
MIN_INTERVAL_S = 0.1  # at most ten move commands a second while dragging
WHEEL_ZOOM_MS = 300  # one wheel notch zooms this long
KEY_SPEED = 0.5
_ARROWS = {
    Qt.Key.Key_Left: (-1.0, 0.0), Qt.Key.Key_Right: (1.0, 0.0),
    Qt.Key.Key_Up: (0.0, 1.0), Qt.Key.Key_Down: (0.0, -1.0),
}
_ZOOM_KEYS = {Qt.Key.Key_Plus: 1.0, Qt.Key.Key_Equal: 1.0, Qt.Key.Key_Minus: -1.0, Qt.Key.Key_Underscore: -1.0}


def drag_velocity(dx: float, dy: float, width: float, height: float) -> tuple[float, float]:
    """Pan/tilt velocity for a drag of (dx, dy) pixels on a tile: grows with the distance (quadratic
    near the centre for fine control), full speed at half the tile's smaller side, rounded to STEP.
    Screen y grows downwards, tilt upwards."""
    reach = max(1.0, min(width, height) / 2)
    nx, ny = dx / reach, -dy / reach
    dist = math.hypot(nx, ny)
    if dist < DEAD_ZONE:
        return 0.0, 0.0
    speed = min(1.0, dist) ** 2 if dist < 1 else 1.0
    vx, vy = nx / dist * speed, ny / dist * speed
    return round(vx / STEP) * STEP, round(vy / STEP) * STEP


class TilePtz(QObject):
    """PTZ mode of one tile (see the module docstring)."""

    error = Signal(str)

    def __init__(self, service: OnvifService, bridge: GuiBridge, tile: QWidget) -> None:
        super().__init__(tile)
        self._service = service
        self._bridge = bridge
        self.tile = tile
        self.camera_id: int | None = None
        self.enabled = False
        self.moving = False
        self._origin: QPointF | None = None
        self._sent: tuple[float, float, float] = (0.0, 0.0, 0.0)
        self._last_send = 0.0
        self._keys: set[int] = set()
        self._wheel_timer = QTimer(self)
        self._wheel_timer.setSingleShot(True)
        self._wheel_timer.timeout.connect(self.stop)
        tile.installEventFilter(self)

    def set_camera(self, camera_id: int | None) -> None:
        self.stop()
        self.camera_id = camera_id

    def set_enabled(self, on: bool) -> None:
        """Switch PTZ mode; switching off stops a move in progress."""
        if not on:
            self.stop()
        self.enabled = on
        if on:
            self.tile.setFocus(Qt.FocusReason.OtherFocusReason)

    def close(self) -> None:
        """Call when the tile closes: stops the camera if it was moving and detaches."""
        self.stop()
        self.enabled = False
        self.tile.removeEventFilter(self)

    # --- commands ----------------------------------------------------------------------------------
    def move(self, pan: float, tilt: float, zoom: float = 0.0, force: bool = False) -> None:
        if self.camera_id is None:
            return
        v = (pan, tilt, zoom)
        if v == (0.0, 0.0, 0.0):
            self.stop()
            return
        now = time.monotonic()
        if not force and (v == self._sent or now - self._last_send < MIN_INTERVAL_S):
            return
        self._sent, self._last_send, self.moving = v, now, True
        self._watch(self._service.ptz_move(self.camera_id, pan, tilt, zoom))

    def stop(self) -> None:
        """Send Stop if a move is in progress (idempotent)."""
        self._wheel_timer.stop()
        self._origin = None
        self._keys.clear()
        if not self.moving or self.camera_id is None:
            self.moving = False
            return
        self.moving = False
        self._sent = (0.0, 0.0, 0.0)
        self._watch(self._service.ptz_stop(self.camera_id))

    def _watch(self, future: object) -> None:
        self._bridge.when_done(future, lambda _r: None, lambda exc: self.error.emit(describe(exc)))  # type: ignore[arg-type]

    # --- events ----------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FocusOut, QEvent.Type.Hide, QEvent.Type.Close, QEvent.Type.WindowDeactivate):
            self.stop()
            return False
        if not self.enabled or self.camera_id is None or watched is not self.tile:
            return False
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.LeftButton:
                self._origin = event.position()
                return True
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent) and self._origin is not None:
            d = event.position() - self._origin
            pan, tilt = drag_velocity(d.x(), d.y(), self.tile.width(), self.tile.height())
            if (pan, tilt) == (0.0, 0.0):
                self.stop()
                self._origin = event.position() - d  # keep dragging from the same origin
            else:
                self.move(pan, tilt)
            return True
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.LeftButton and self._origin is not None:
                self.stop()
                return True
        elif kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            steps = event.angleDelta().y()
            if steps:
                self.move(0.0, 0.0, KEY_SPEED if steps > 0 else -KEY_SPEED, force=True)
                self._wheel_timer.start(WHEEL_ZOOM_MS)
            return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event, pressed=True)
        elif kind == QEvent.Type.KeyRelease and isinstance(event, QKeyEvent):
            return self._key(event, pressed=False)
        return False

    def _key(self, event: QKeyEvent, pressed: bool) -> bool:
        key = Qt.Key(event.key())
        if key not in _ARROWS and key not in _ZOOM_KEYS:
            return False
        if event.isAutoRepeat():
            return True
        if pressed:
            self._keys.add(int(key))
        else:
            self._keys.discard(int(key))
        pan = sum(_ARROWS[Qt.Key(k)][0] for k in self._keys if Qt.Key(k) in _ARROWS) * KEY_SPEED
        tilt = sum(_ARROWS[Qt.Key(k)][1] for k in self._keys if Qt.Key(k) in _ARROWS) * KEY_SPEED
        zoom = sum(_ZOOM_KEYS[Qt.Key(k)] for k in self._keys if Qt.Key(k) in _ZOOM_KEYS) * KEY_SPEED
        if (pan, tilt, zoom) == (0.0, 0.0, 0.0):
            keys = set(self._keys)
            self.stop()
            self._keys = keys
        else:
            self.move(pan, tilt, zoom, force=True)
        return True

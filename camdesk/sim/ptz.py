"""PTZ state of a virtual camera, shared by the ONVIF PTZ service (which moves it) and the live
renderer (which crops the panorama at the current position).

Coordinates follow ONVIF's generic spaces: pan and tilt in [-1, 1], zoom in [0, 1]. Velocities are in
units per second at speed 1.0 (a full pan from -1 to 1 takes 2 s at full speed).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


def _clamp(v: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, v))


@dataclass(frozen=True)
class PtzPosition:
    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0


@dataclass
class PtzState:
    """Thread-safe PTZ state; positions are integrated lazily from the last command."""

    max_pan_speed: float = 1.0  # units/s at velocity 1
    max_zoom_speed: float = 0.5
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _pos: PtzPosition = field(default_factory=PtzPosition)
    _vel: tuple[float, float, float] = (0.0, 0.0, 0.0)
    _since: float = field(default_factory=time.monotonic)
    _until: float | None = None  # continuous move timeout (monotonic), None = until Stop
    _target: PtzPosition | None = None  # absolute move target
    _home: PtzPosition = field(default_factory=PtzPosition)
    presets: dict[str, tuple[str, PtzPosition]] = field(default_factory=dict)  # token -> (name, position)
    _next_token: int = 1

    def _advance(self, now: float) -> None:
        """Integrate motion up to ``now`` (call with the lock held)."""
        end = now if self._until is None else min(now, self._until)
        dt = max(0.0, end - self._since)
        if self._target is not None:
            p, t = self._pos, self._target
            step = self.max_pan_speed * dt
            zstep = self.max_zoom_speed * dt

            def toward(a: float, b: float, s: float) -> float:
                return b if abs(b - a) <= s else a + s * (1 if b > a else -1)

            self._pos = PtzPosition(toward(p.pan, t.pan, step), toward(p.tilt, t.tilt, step),
                                    toward(p.zoom, t.zoom, zstep))
            if self._pos == t:
                self._target = None
        elif any(self._vel):
            vp, vt, vz = self._vel
            p = self._pos
            self._pos = PtzPosition(
                _clamp(p.pan + vp * self.max_pan_speed * dt, -1, 1),
                _clamp(p.tilt + vt * self.max_pan_speed * dt, -1, 1),
                _clamp(p.zoom + vz * self.max_zoom_speed * dt, 0, 1),
            )
        if self._until is not None and now >= self._until:
            self._vel, self._until = (0.0, 0.0, 0.0), None
        self._since = now

    def position(self) -> PtzPosition:
        with self._lock:
            self._advance(time.monotonic())
            return self._pos

    def moving(self) -> bool:
        with self._lock:
            self._advance(time.monotonic())
            return self._target is not None or any(self._vel)

    def continuous_move(self, pan: float, tilt: float, zoom: float, timeout: float | None = None) -> None:
        with self._lock:
            now = time.monotonic()
            self._advance(now)
            self._target = None
            self._vel = (_clamp(pan, -1, 1), _clamp(tilt, -1, 1), _clamp(zoom, -1, 1))
            self._until = now + timeout if timeout else None

    def stop(self) -> None:
        with self._lock:
            self._advance(time.monotonic())
            self._vel, self._until, self._target = (0.0, 0.0, 0.0), None, None

    def absolute_move(self, pan: float, tilt: float, zoom: float) -> None:
        with self._lock:
            self._advance(time.monotonic())
            self._vel, self._until = (0.0, 0.0, 0.0), None
            self._target = PtzPosition(_clamp(pan, -1, 1), _clamp(tilt, -1, 1), _clamp(zoom, 0, 1))

    def relative_move(self, dpan: float, dtilt: float, dzoom: float) -> None:
        p = self.position()
        self.absolute_move(p.pan + dpan, p.tilt + dtilt, p.zoom + dzoom)

    def goto_home(self) -> None:
        h = self._home
        self.absolute_move(h.pan, h.tilt, h.zoom)

    def set_home(self) -> None:
        self._home = self.position()

    def set_preset(self, name: str, token: str | None = None) -> str:
        pos = self.position()
        with self._lock:
            if token is None:
                token = str(self._next_token)
                self._next_token += 1
            self.presets[token] = (name or f"Preset {token}", pos)
            return token

    def remove_preset(self, token: str) -> bool:
        with self._lock:
            return self.presets.pop(token, None) is not None

    def goto_preset(self, token: str) -> bool:
        with self._lock:
            entry = self.presets.get(token)
        if entry is None:
            return False
        p = entry[1]
        self.absolute_move(p.pan, p.tilt, p.zoom)
        return True

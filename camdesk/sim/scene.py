"""Synthetic scenes for virtual cameras: a street with buildings, a car, a bouncing ball, the camera's
name and a clock, rendered with numpy/OpenCV.

Deterministic: the same ``spec.seed``/``spec.index`` and ``t`` give the same picture. PTZ cameras look at
a wide panorama through a crop that follows pan, tilt and zoom, so PTZ movement is visible on screen.
A car drives through :data:`MOTION_REGION` for a few seconds of every ``period`` (10 s by default);
:meth:`Scene.motion_in_region` tells the ONVIF event service when, so motion events match the picture.
"""

from __future__ import annotations

import math
import time

import cv2
import numpy as np

from camdesk.sim.ptz import PtzPosition
from camdesk.sim.spec import CameraSpec

# Normalized (x, y, w, h) of the region watched by the motion detector, in world coordinates (for a
# fixed camera the world is the frame; for a PTZ camera it is the panorama).
MOTION_REGION: tuple[float, float, float, float] = (0.55, 0.58, 0.3, 0.3)

DEFAULT_PERIOD = 10.0  # seconds between two passes of the car
_CAR_W, _CAR_H, _CAR_Y = 0.10, 0.10, 0.70  # car box in world units (y = top edge)
_CAR_X0, _CAR_SPAN = -0.15, 1.30  # the car's left edge runs from x0 to x0 + span over one period

# PTZ geometry: the panorama is wider than the view; zoom 0 shows this fraction of its width.
_PANORAMA_SIZE = (3200, 1200)  # width, height in pixels
_WIDE_FRACTION = 0.45
_MAX_ZOOM = 4.0


class Scene:
    """One camera's synthetic world. ``render`` is thread-safe for distinct output sizes; backgrounds
    are cached per output size (fixed cameras) or once (the PTZ panorama)."""

    def __init__(self, spec: CameraSpec, period: float = DEFAULT_PERIOD, label: str | None = None) -> None:
        self.spec = spec
        self.period = float(period)
        self.label = spec.name if label is None else label
        self._rng_seed = (spec.seed * 7919 + spec.index * 104729) & 0xFFFFFFFF
        rng = np.random.default_rng(self._rng_seed)
        self._sky = tuple(int(v) for v in rng.integers(120, 220, 3))
        self._ground = tuple(int(v) for v in rng.integers(40, 90, 3))
        self._car_color = tuple(int(v) for v in rng.integers(30, 255, 3))
        self._ball_color = tuple(int(v) for v in rng.integers(60, 255, 3))
        self._buildings = [
            (float(x), float(rng.uniform(0.04, 0.12)), float(rng.uniform(0.2, 0.5)),
             tuple(int(v) for v in rng.integers(50, 200, 3)))
            for x in np.sort(rng.uniform(-0.05, 1.0, 14))
        ]
        self._ball_freq = (1.0 / self.period * 2, 1.0 / self.period * 3)
        self._backgrounds: dict[tuple[int, int], np.ndarray] = {}
        self._panorama: np.ndarray | None = None

    @property
    def seed_value(self) -> int:
        """This camera's random seed (from ``spec.seed`` and ``spec.index``), for derived noise."""
        return self._rng_seed

    # --- motion ------------------------------------------------------------------------------------
    def car_box(self, t: float) -> tuple[float, float, float, float]:
        """The car's (x, y, w, h) in world coordinates at time ``t``."""
        phase = (t % self.period) / self.period
        return (_CAR_X0 + _CAR_SPAN * phase, _CAR_Y, _CAR_W, _CAR_H)

    def motion_in_region(self, t: float) -> bool:
        """Whether the car overlaps :data:`MOTION_REGION` at time ``t`` (about 3 s in every period)."""
        x, y, w, h = self.car_box(t)
        rx, ry, rw, rh = MOTION_REGION
        return x < rx + rw and x + w > rx and y < ry + rh and y + h > ry

    # --- backgrounds -------------------------------------------------------------------------------
    def _paint_background(self, width: int, height: int) -> np.ndarray:
        """Sky, buildings with windows, a road; painted once per size."""
        img = np.empty((height, width, 3), np.uint8)
        horizon = int(height * 0.6)
        grad = np.linspace(1.0, 0.7, horizon)[:, None]
        img[:horizon] = (np.array(self._sky)[None, None, :] * grad[..., None]).astype(np.uint8)
        img[horizon:] = self._ground
        for x, w, h, color in self._buildings:
            x0, x1 = int(x * width), int((x + w) * width)
            y0 = int((0.6 - h) * height)
            cv2.rectangle(img, (x0, y0), (x1, horizon), color, -1)
            step_x, step_y = max(4, (x1 - x0) // 4), max(4, height // 30)
            for wy in range(y0 + step_y // 2, horizon - step_y, step_y):
                for wx in range(x0 + step_x // 3, x1 - step_x // 3, step_x):
                    lit = (wx * 31 + wy * 17 + self._rng_seed) % 3 == 0
                    cv2.rectangle(img, (wx, wy), (wx + step_x // 3, wy + step_y // 2),
                                  (90, 220, 240) if lit else (60, 60, 60), -1)
        road0, road1 = int(height * 0.68), int(height * 0.84)
        cv2.rectangle(img, (0, road0), (width, road1), (70, 70, 70), -1)
        dash = max(8, width // 40)
        for x0 in range(0, width, dash * 2):
            cv2.rectangle(img, (x0, (road0 + road1) // 2 - 1), (x0 + dash, (road0 + road1) // 2 + 1),
                          (230, 230, 230), -1)
        rx, ry, rw, rh = MOTION_REGION
        cv2.rectangle(img, (int(rx * width), int(ry * height)),
                      (int((rx + rw) * width), int((ry + rh) * height)), (0, 200, 255), 1)
        return img

    def _background(self, width: int, height: int) -> np.ndarray:
        bg = self._backgrounds.get((width, height))
        if bg is None:
            bg = self._backgrounds[(width, height)] = self._paint_background(width, height)
        return bg

    def view_rect(self, width: int, height: int, ptz: PtzPosition | None) -> tuple[float, float, float, float]:
        """The part of the world (x, y, w, h, normalized) shown at this PTZ position."""
        if ptz is None or not self.spec.ptz:
            return (0.0, 0.0, 1.0, 1.0)
        pw, ph = _PANORAMA_SIZE
        vw = _WIDE_FRACTION / (1.0 + (_MAX_ZOOM - 1.0) * max(0.0, min(1.0, ptz.zoom)))
        vh = min(1.0, vw * pw * height / (width * ph))
        cx = 0.5 + (0.5 - vw / 2) * max(-1.0, min(1.0, ptz.pan))
        cy = 0.5 - (0.5 - vh / 2) * max(-1.0, min(1.0, ptz.tilt))  # tilt up (+) looks higher
        return (cx - vw / 2, cy - vh / 2, vw, vh)

    # --- rendering ---------------------------------------------------------------------------------
    def render(self, t: float, width: int, height: int, ptz: PtzPosition | None = None,
               clock: bool = True) -> np.ndarray:
        """The picture at wall-clock time ``t`` as a BGR uint8 array of ``height`` x ``width``.

        ``clock=False`` leaves the clock out (pre-encoded loops, whose frames are replayed at other times).
        """
        vx, vy, vw, vh = self.view_rect(width, height, ptz)
        if (vx, vy, vw, vh) == (0.0, 0.0, 1.0, 1.0):
            img = self._background(width, height).copy()
        else:
            if self._panorama is None:
                self._panorama = self._paint_background(*_PANORAMA_SIZE)
            pw, ph = _PANORAMA_SIZE
            x0, y0 = int(vx * pw), int(vy * ph)
            x1, y1 = max(x0 + 2, int((vx + vw) * pw)), max(y0 + 2, int((vy + vh) * ph))
            img = cv2.resize(self._panorama[y0:y1, x0:x1], (width, height), interpolation=cv2.INTER_LINEAR)

        def to_px(wx: float, wy: float) -> tuple[int, int]:
            return int((wx - vx) / vw * width), int((wy - vy) / vh * height)

        # The car: a body, a cabin and two wheels.
        cx, cy, cw, ch = self.car_box(t)
        p0, p1 = to_px(cx, cy + ch * 0.35), to_px(cx + cw, cy + ch)
        cv2.rectangle(img, p0, p1, self._car_color, -1)
        q0, q1 = to_px(cx + cw * 0.2, cy), to_px(cx + cw * 0.75, cy + ch * 0.4)
        cv2.rectangle(img, q0, q1, tuple(c // 2 for c in self._car_color), -1)
        r = max(2, (p1[1] - p0[1]) // 3)
        for fx in (0.22, 0.78):
            cv2.circle(img, to_px(cx + cw * fx, cy + ch), r, (20, 20, 20), -1)

        # A ball bouncing on a Lissajous path above the street.
        fx, fy = self._ball_freq
        bx = 0.5 + 0.4 * math.sin(2 * math.pi * fx * t)
        by = 0.35 + 0.2 * math.sin(2 * math.pi * fy * t + 1.0)
        radius = max(3, int(0.04 / vh * height))
        cv2.circle(img, to_px(bx, by), radius, self._ball_color, -1)
        cv2.circle(img, to_px(bx, by), radius, (255, 255, 255), max(1, radius // 8))

        # The name (below the stamp rows at the top-left) and the clock (bottom-left), with a shadow.
        scale = height / 720.0
        thick = max(1, round(2 * scale))
        shadow = max(1, round(2 * scale))
        y_name = int(height * 0.09 + 34 * scale)
        texts = [(self.label, (int(8 * scale) + 2, y_name), 1.1 * scale)]
        if clock:
            text = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) + f".{int((t % 1) * 10)}"
            texts.append((text, (int(8 * scale) + 2, height - int(16 * scale) - 2), 1.0 * scale))
        for text, (x, y), size in texts:
            cv2.putText(img, text, (x + shadow, y + shadow), cv2.FONT_HERSHEY_SIMPLEX, size, (0, 0, 0), thick,
                        cv2.LINE_AA)
            cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, size, (255, 255, 255), thick, cv2.LINE_AA)
        return img

"""Machine-readable frame stamps: a block of black and white cells at the top-left of every simulated
frame, from which a receiver learns when the frame was sent (glass-to-glass latency).

Schedule: the simulator sends global frame ``n = round(t * fps)`` at wall-clock time ``n / fps``. A stamp
carries ``value = n mod modulus``, the ``modulus`` and the ``fps``; the receiver recovers the latest
schedule time not after its receive time that matches (:meth:`Stamp.sent_at`). Live streams use
``modulus = 65536`` (43 minutes at 25 fps); pre-encoded loops of ``L`` frames use ``modulus = L``
(a loop frame ``i`` is only ever sent when ``n mod L == i``), so latency must stay below one loop.

Layout: 2 rows of 24 square cells, each ``height / 22.5`` pixels (16 px at 360 lines, aligned to H.264
macroblocks), 48 bits: sync ``1011``, value (16), modulus (16), fps (6), check (6). The geometry scales
with the frame height, so a frame scaled by the client (e.g. to 480x270) reads too. Reading samples one
pixel per cell (48 pixels): a few microseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

ROWS, COLS = 2, 24
CELLS_PER_HEIGHT = 22.5  # cell size = height / 22.5
_SYNC = (1, 0, 1, 1)
_SYNC_WORD = int("".join(map(str, _SYNC)), 2)  # 0b1011: the first four cells as one number
LIVE_MODULUS = 65536
_WHITE, _BLACK = 255, 0


def cell_size(height: int) -> float:
    """The side of one cell in pixels for a frame ``height`` pixels high."""
    return height / CELLS_PER_HEIGHT


def stamp_width(height: int) -> int:
    """Pixels from the left edge that the stamp covers."""
    return math.ceil(COLS * cell_size(height))


def _check(value: int, modulus: int, fps: int) -> int:
    x = (value * 0x9E37 ^ modulus * 0x7F4A ^ fps * 0x3C6E) & 0xFFFFFFFF
    x ^= x >> 13
    x = (x * 0x5BD1) & 0xFFFFFFFF
    x ^= x >> 7
    return (x ^ (x >> 17)) & 0x3F


def _bits(value: int, modulus: int, fps: int) -> list[int]:
    out = list(_SYNC)
    for number, width in ((value, 16), (modulus & 0xFFFF, 16), (fps, 6), (_check(value, modulus, fps), 6)):
        out.extend((number >> (width - 1 - k)) & 1 for k in range(width))
    return out


@dataclass(frozen=True)
class Stamp:
    """What a stamp says: frame ``value`` of a schedule repeating every ``modulus`` frames at ``fps``."""

    value: int
    modulus: int
    fps: int

    def sent_at(self, received_at: float) -> float:
        """The latest schedule time ``<= received_at`` (wall-clock seconds) at which this frame was sent."""
        n = math.floor(received_at * self.fps + 1e-6)
        n -= (n - self.value) % self.modulus
        return n / self.fps


def write(image: np.ndarray, value: int, modulus: int, fps: int) -> None:
    """Paint the stamp into ``image`` in place (BGR/BGRA or a 2-D luma plane)."""
    if not (0 <= value < modulus <= LIVE_MODULUS and 1 <= fps <= 63):
        raise ValueError(f"stamp out of range: value={value} modulus={modulus} fps={fps}")
    height = image.shape[0]
    cell = cell_size(height)
    for k, bit in enumerate(_bits(value, modulus, fps)):
        r, c = divmod(k, COLS)
        y0, y1 = round(r * cell), round((r + 1) * cell)
        x0, x1 = round(c * cell), round((c + 1) * cell)
        image[y0:y1, x0:x1] = _WHITE if bit else _BLACK


_SAMPLE_CACHE: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _sample_points(height: int) -> tuple[np.ndarray, np.ndarray]:
    pts = _SAMPLE_CACHE.get(height)
    if pts is None:
        cell = cell_size(height)
        ks = np.arange(ROWS * COLS)
        ys = ((ks // COLS + 0.5) * cell).astype(np.intp)
        xs = ((ks % COLS + 0.5) * cell).astype(np.intp)
        pts = _SAMPLE_CACHE[height] = (ys, xs)
    return pts


def read(image: np.ndarray) -> Stamp | None:
    """The stamp in ``image`` (a 2-D luma plane, or BGR/BGRA), or None when there is none."""
    ys, xs = _sample_points(image.shape[0])
    if image.ndim == 3:
        samples = image[ys, xs, 1]  # green: the cells are grey levels, any channel will do
    else:
        samples = image[ys, xs]
    word = int.from_bytes(np.packbits(samples > 127).tobytes(), "big")  # the 48 bits, first cell first
    if word >> 44 != _SYNC_WORD:
        return None
    value, modulus, fps, check = (word >> 28) & 0xFFFF, (word >> 12) & 0xFFFF, (word >> 6) & 0x3F, word & 0x3F
    modulus = modulus or LIVE_MODULUS
    if check != _check(value, modulus, fps) or fps == 0 or value >= modulus:
        return None
    return Stamp(value, modulus, fps)

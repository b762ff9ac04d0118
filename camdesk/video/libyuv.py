"""libyuv (Google's YUV library, BSD licence), when present: I420 scaling and conversion to BGRA.

The engine's converter (``connection._convert_libyuv``) halves and scales with ``I420Scale`` and converts
with ``I420ToARGB`` (``J420ToARGB`` for full range); OpenCV scales at the ratios libyuv has no code of its
own for. Measured on the 2-core machine with warm caches, 640x360 to 296x166 takes 0.083 ms against
0.111 ms with OpenCV alone, and to 480x270 0.050 against 0.202 ms. libyuv has no Python wheel, so it is
optional: the packaged app carries the library (``build.spec``), a development run uses the system's
(Debian and Ubuntu: ``libyuv0``), and without it the engine converts with OpenCV
(``connection.I420Converter``). ``CAMDESK_LIBYUV=0`` turns it off, to compare the two.

Calls go through ctypes, which releases Python's GIL for the duration of the call, as OpenCV does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import logging
import os
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FILTER_BILINEAR = 2  # libyuv's kFilterBilinear (its box filter was twice as slow at most ratios)

_I420_SCALE_ARGS: list[Any] = [ctypes.c_void_p, ctypes.c_int] * 3 + [ctypes.c_int] * 2 + \
    [ctypes.c_void_p, ctypes.c_int] * 3 + [ctypes.c_int] * 3
_I420_TO_ARGB_ARGS: list[Any] = [ctypes.c_void_p, ctypes.c_int] * 4 + [ctypes.c_int] * 2


class LibYuv:
    """The functions the engine uses, with their C signatures (pointers are plain addresses)."""

    def __init__(self, lib: ctypes.CDLL, path: str) -> None:
        self.path = path
        self.i420_scale = lib.I420Scale
        self.i420_scale.argtypes = _I420_SCALE_ARGS
        self.i420_scale.restype = ctypes.c_int
        self.i420_to_argb = lib.I420ToARGB  # libyuv's ARGB is B, G, R, A in memory: Qt's RGB32
        self.i420_to_argb.argtypes = _I420_TO_ARGB_ARGS
        self.i420_to_argb.restype = ctypes.c_int
        self.j420_to_argb = lib.J420ToARGB  # full range ("yuvj420p", common on cameras), BT.601
        self.j420_to_argb.argtypes = _I420_TO_ARGB_ARGS
        self.j420_to_argb.restype = ctypes.c_int


def system_copy() -> str | None:
    """The path of the system's libyuv (Debian/Ubuntu ``libyuv0``), if any: what ``build.spec`` bundles."""
    found = sorted(glob.glob("/usr/lib/*/libyuv.so.0") + glob.glob("/usr/lib/libyuv.so.0"))
    return found[0] if found else None


def _candidates() -> list[str]:
    """Where to look: next to the packaged app first, then the system's library path."""
    names = ["libyuv.so.0", "libyuv.so", "libyuv.dylib", "yuv.dll", "libyuv.dll"]
    bundle = getattr(sys, "_MEIPASS", None)
    found = [str(Path(bundle) / name) for name in names] if bundle else []
    system = ctypes.util.find_library("yuv")
    return found + ([system] if system else []) + names


_loaded: LibYuv | None = None
_tried = False


def load() -> LibYuv | None:
    """libyuv, or None when it is missing, turned off, or lacks the functions (looked up once)."""
    global _loaded, _tried
    if _tried:
        return _loaded
    _tried = True
    if os.environ.get("CAMDESK_LIBYUV", "1") == "0":
        log.info("libyuv turned off (CAMDESK_LIBYUV=0): converting with OpenCV")
        return None
    for candidate in _candidates():
        try:
            _loaded = LibYuv(ctypes.CDLL(candidate), candidate)
        except (OSError, AttributeError):
            continue  # not there, or a build without these functions
        log.info("converting frames with libyuv (%s)", candidate)
        return _loaded
    log.info("libyuv not found: converting frames with OpenCV")
    return None


def reset() -> None:
    """Look again on the next :func:`load` (tests that turn it on and off)."""
    global _loaded, _tried
    _loaded, _tried = None, False

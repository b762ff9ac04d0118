"""Ctrl+S: save the frame on a tile as a PNG in the data dir's ``snapshots/`` folder, off the GUI thread."""

from __future__ import annotations

import concurrent.futures
import re
import time
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from camdesk.errors import StorageError
from camdesk.models.stream import VideoFrame
from camdesk.ui.tree.accents import fold

_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="camdesk-snapshot")


def file_name(camera_name: str, captured_at: float) -> str:
    """``<camera>_<YYYYmmdd-HHMMSS>.png``, ASCII only so every file system and e-mail client accepts it."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(camera_name)).strip("-") or "camera"
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(captured_at))
    return f"{slug[:60]}_{stamp}.png"


def _write(pixels: np.ndarray, width: int, height: int, target: Path) -> Path:
    """Runs on the snapshot worker thread."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path = target
    n = 1
    while path.exists():
        path = target.with_name(f"{target.stem}-{n}{target.suffix}")
        n += 1
    image = QImage(pixels.data, width, height, pixels.strides[0], QImage.Format.Format_RGB32)
    tmp = path.with_name(path.name + ".part")
    if not image.save(str(tmp), "PNG"):  # type: ignore[call-overload]  # the stubs say bytes; the binding wants str
        raise StorageError(f"could not write {tmp.name}")
    tmp.replace(path)
    return path


def save_snapshot(frame: VideoFrame, camera_name: str, folder: Path) -> concurrent.futures.Future[Path]:
    """Copy the frame's pixels now (the engine may reuse its buffer) and write the PNG on a worker."""
    pixels = np.ascontiguousarray(frame.image).copy()
    target = folder / file_name(camera_name, frame.captured_at)
    return _POOL.submit(_write, pixels, frame.width, frame.height, target)

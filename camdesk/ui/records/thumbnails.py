"""Bookmark thumbnails: JPEG encoding off the GUI thread, and cached decoding for the lists.

Encoding a 1280x720 BGRA frame to a 320 px JPEG takes a few milliseconds (resize + encode), so it runs on
a small pool; OpenCV releases the GIL while it works. Decoding a 320 px JPEG for a list row is well under a
millisecond and happens lazily, once per bookmark (see :class:`ThumbnailCache`).
"""

from __future__ import annotations

import concurrent.futures
from collections import OrderedDict
from typing import Any

import cv2
import numpy as np
from PySide6.QtGui import QIcon, QImage, QPixmap

THUMB_WIDTH = 320
JPEG_QUALITY = 80

_pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="camdesk-thumbs")


def encode_thumbnail(image: Any, width: int = THUMB_WIDTH, quality: int = JPEG_QUALITY) -> bytes:
    """A JPEG of ``image`` (H x W x 4 BGRA, or 3-channel BGR, uint8) scaled to ``width`` pixels wide.

    Runs on any thread. Raises ValueError for an image that is not an H x W x 3/4 uint8 array.
    """
    arr = np.asarray(image)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4) or arr.dtype != np.uint8 or 0 in arr.shape[:2]:
        raise ValueError(f"not a BGR(A) image: shape {arr.shape}, dtype {arr.dtype}")
    bgr = cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR) if arr.shape[2] == 4 else arr
    h, w = bgr.shape[:2]
    if w > width:
        height = max(1, round(h * width / w))
        bgr = cv2.resize(bgr, (width, height), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return bytes(buf.tobytes())


def encode_in_background(image: Any) -> concurrent.futures.Future[bytes]:
    """:func:`encode_thumbnail` on the thumbnail pool; the Future resolves on that pool's thread."""
    return _pool.submit(encode_thumbnail, image)


def jpeg_to_image(jpeg: bytes) -> QImage:
    """A QImage of ``jpeg`` (null for empty or broken data). QImage is safe to build on any thread."""
    image = QImage()
    if jpeg:
        image.loadFromData(jpeg, "JPG")
    return image


class ThumbnailCache:
    """Decoded thumbnails by bookmark id, least recently used dropped first. GUI thread only (QPixmap)."""

    def __init__(self, capacity: int = 500) -> None:
        self._capacity = capacity
        self._items: OrderedDict[int, QPixmap] = OrderedDict()
        self._icons: dict[int, QIcon] = {}

    def pixmap(self, bookmark_id: int, jpeg: bytes) -> QPixmap | None:
        """The thumbnail of a bookmark, or None when it has none (or it cannot be decoded)."""
        if bookmark_id in self._items:
            self._items.move_to_end(bookmark_id)
            return self._items[bookmark_id]
        image = jpeg_to_image(jpeg)
        if image.isNull():
            return None
        pix = QPixmap.fromImage(image)
        self._items[bookmark_id] = pix
        if len(self._items) > self._capacity:
            old, _pix = self._items.popitem(last=False)
            self._icons.pop(old, None)
        return pix

    def icon(self, bookmark_id: int, jpeg: bytes) -> QIcon | None:
        """The thumbnail as an icon, which views scale to their icon size."""
        pix = self.pixmap(bookmark_id, jpeg)
        if pix is None:
            return None
        icon = self._icons.get(bookmark_id)
        if icon is None:
            icon = self._icons[bookmark_id] = QIcon(pix)
        return icon

    def forget(self, bookmark_id: int) -> None:
        self._items.pop(bookmark_id, None)
        self._icons.pop(bookmark_id, None)

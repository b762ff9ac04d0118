"""Frame buffers shared by every converter on one thread, most recently used first.

Before, each stream kept four output buffers of its own: a converted 480x270 BGRA frame is half a
megabyte, so 16 streams cycled through 32 MB. A pool per thread holds only as many buffers as are in use
at once (10 per pool thread at 16 streams) and hands out the free one written most recently. A
micro-benchmark had shown a conversion into a buffer still in cache 0.07 ms cheaper than into a cold one;
in the engine perf showed no such gain (the decoders' own traffic evicts it anyway), so what this saves is
memory: 138 -> 130 MB at 16 streams, 343 -> 301 MB at 64 (bench/engine.py).

A buffer is free when nobody but the pool holds it: no mailbox, no tile, no view of it (numpy views
hold their base). Buffers are only ever handed out by the thread that owns the pool, so a free buffer
cannot be picked up by anyone else between the check and the reuse.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar, cast

import numpy as np

SWEEP_EVERY = 512  # takes between two sweeps
# References to a pooled array while ``take`` checks it: its list, the loop variable, getrefcount's arg.
_POOL_REFS = 3
T = TypeVar("T")


class BufferPool:
    """Arrays of a few shapes; :meth:`take` returns one that nobody else holds, allocating when all are
    held. Buffers not taken during the last ``SWEEP_EVERY`` takes are dropped, once free."""

    def __init__(self) -> None:
        self._buffers: dict[tuple[int, ...], list[np.ndarray]] = {}  # per shape, most recently taken first
        self._taken_at: dict[int, int] = {}  # id(buffer) -> take count when last taken
        self._takes = 0
        self._scratch: dict[tuple[object, tuple[int, int]], object] = {}

    def take(self, shape: tuple[int, ...]) -> np.ndarray:
        """A uint8 array of ``shape`` that only the caller holds (its content is stale)."""
        self._takes += 1
        if self._takes % SWEEP_EVERY == 0:
            self._sweep()
        buffers = self._buffers.setdefault(shape, [])
        index = 0
        for buffer in buffers:  # not enumerate(): its reused tuple would hold one more reference
            if sys.getrefcount(buffer) <= _POOL_REFS:
                if index:
                    buffers.insert(0, buffers.pop(index))
                self._taken_at[id(buffer)] = self._takes
                return buffer
            index += 1
        buffer = np.empty(shape, np.uint8)
        buffers.insert(0, buffer)
        self._taken_at[id(buffer)] = self._takes
        return buffer

    def scratch(self, size: tuple[int, int], make: Callable[[int, int], T]) -> T:
        """``make(*size)``, made once per ``make`` and size on this thread: work arrays for use within one
        call, never handed out."""
        key = (make, size)  # one of each kind per size
        made = self._scratch.get(key)
        if made is None:
            if len(self._scratch) >= 16:  # tiles were resized: forget the old sizes
                self._scratch.clear()
            made = self._scratch[key] = make(*size)
        return cast(T, made)

    def _sweep(self) -> None:
        oldest = self._takes - SWEEP_EVERY
        for shape, buffers in list(self._buffers.items()):
            kept = []
            for buffer in buffers:
                if self._taken_at[id(buffer)] < oldest and sys.getrefcount(buffer) <= _POOL_REFS:
                    del self._taken_at[id(buffer)]
                else:
                    kept.append(buffer)
            if kept:
                self._buffers[shape] = kept
            else:
                del self._buffers[shape]

    def held(self) -> int:
        """Buffers in the pool (free or not): for tests and statistics."""
        return sum(len(buffers) for buffers in self._buffers.values())


_local = threading.local()


def thread_pool() -> BufferPool:
    """The calling thread's pool."""
    pool: BufferPool | None = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = BufferPool()
    return pool

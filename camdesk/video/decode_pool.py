"""A few decoder threads (one per core) shared by every live stream.

Why not decode on each stream's own thread: a decoding thread takes Python's GIL about ten times a
frame (every PyAV and OpenCV call releases and retakes it). With 64 streams that made 64 threads
queueing for the GIL, and the GUI thread waited behind them: the wall froze for most of a second at a
time (bench/wall.py). Now a stream's thread only waits on its socket and hands compressed packets to
this pool; the GUI thread competes with about as many decoder threads as there are cores.

Each stream has a queue here. A stream is decoded by one pool thread at a time, in order, and gets
all its waiting packets in one batch, so a stream that fell behind is decoded in one go and only its
newest picture is converted (see ``StreamWorker._decode_batch``).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from camdesk.video.priority import lower_thread_priority

log = logging.getLogger(__name__)

THREAD_NAME = "camdesk-video-decode"


def default_threads() -> int:
    """One decoder thread per core, at least two (a long keyframe must not hold up every stream)."""
    return max(2, min(os.cpu_count() or 2, 16))


class PoolStream:
    """One stream's queue in the pool. ``submit`` never blocks."""

    __slots__ = ("_pool", "_pending", "_scheduled", "handler", "closed")

    def __init__(self, pool: DecodePool, handler: Callable[[list[Any]], None]) -> None:
        self._pool = pool
        self._pending: list[Any] = []
        self._scheduled = False
        self.handler = handler
        self.closed = False

    def submit(self, item: Any) -> None:
        """Queue ``item`` for ``handler`` (called on a pool thread with every item waiting, in order)."""
        pool = self._pool
        with pool.lock:
            self._pending.append(item)
            if self._scheduled:
                return
            self._scheduled = True
        pool.ready.put(self)

    def close(self) -> None:
        """Drop what is waiting; later submissions are ignored by the pool."""
        with self._pool.lock:
            self.closed = True
            self._pending = []


class DecodePool:
    """``threads`` daemon threads (started with the first stream) running every stream's handler."""

    def __init__(self, threads: int = 0) -> None:
        self.size = threads or default_threads()
        self.lock = threading.Lock()
        self.ready: queue.SimpleQueue[PoolStream | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._stopped = False

    def stream(self, handler: Callable[[list[Any]], None]) -> PoolStream:
        with self.lock:
            if not self._threads and not self._stopped:
                for index in range(self.size):
                    thread = threading.Thread(target=self._run, name=f"{THREAD_NAME}-{index}", daemon=True)
                    thread.start()
                    self._threads.append(thread)
        return PoolStream(self, handler)

    def _run(self) -> None:
        lower_thread_priority()
        ready = self.ready
        while True:
            stream = ready.get()
            if stream is None:
                return
            with self.lock:
                batch, stream._pending = stream._pending, []
                closed = stream.closed
            if batch and not closed:
                try:
                    stream.handler(batch)
                except Exception:  # top of a pool thread: one stream's bug must not stop the others
                    log.exception("decoding failed")
            with self.lock:
                again = bool(stream._pending) and not stream.closed
                stream._scheduled = again
            if again:
                ready.put(stream)  # to the back of the line: streams take turns

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop the threads (after the batches they are running) and join them within ``timeout``."""
        with self.lock:
            self._stopped = True
            threads, self._threads = self._threads, []
        for _ in threads:
            self.ready.put(None)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

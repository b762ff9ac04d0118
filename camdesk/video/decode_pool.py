"""A few threads (one per core) that read, decode, convert and deliver for every live stream.

Why not a thread per stream: a decoding thread takes Python's GIL about ten times a frame (every PyAV
and OpenCV call releases and retakes it). With 64 streams that made 64 threads queueing for the GIL,
and the GUI thread waited behind them: the wall froze for most of a second at a time (bench/wall.py).

Each pool thread is an event loop (a selector). A camera played by our RTSP client over TCP is not read
by a thread of its own: its socket is *watched* by the stream's pool thread, which reads what came,
decodes it and delivers it in one go when the socket is readable. A reading thread per stream had
woken for every picture and then queued for the GIL again: at 16 streams strace counted about 20
futex calls per picture on each reading thread, and the engine's CPU per frame fell by about a sixth
without them (docs/readme/engine.md). Inputs that cannot be watched (FFmpeg's demuxer, RTP over UDP)
keep their reading thread, which hands packets over with :meth:`PoolStream.submit`.

A stream belongs to one pool thread for its whole life (the one with the fewest streams when it
opened): its packets are decoded in order, never by two threads at once, and a stream that fell behind
gets all its waiting packets in one batch, so only its newest picture is converted (see
``StreamWorker._decode_batch``).
"""

from __future__ import annotations

import logging
import os
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

THREAD_NAME = "camdesk-video-decode"


def default_threads() -> int:
    """One decoder thread per core, at least two (a long keyframe must not hold up every stream)."""
    return max(2, min(os.cpu_count() or 2, 16))


class PoolStream:
    """One stream's place on its pool thread. ``submit`` and ``watch`` never block."""

    __slots__ = ("_loop", "_pending", "_scheduled", "handler", "closed")

    def __init__(self, loop: _Loop, handler: Callable[[list[Any]], None]) -> None:
        self._loop = loop
        self._pending: list[Any] = []
        self._scheduled = False
        self.handler = handler
        self.closed = False

    def submit(self, item: Any) -> None:
        """Queue ``item`` for ``handler`` (called on the pool thread with every item waiting, in order)."""
        loop = self._loop
        with loop.lock:
            if self.closed:
                return
            self._pending.append(item)
            if self._scheduled:
                return
            self._scheduled = True
            loop.queue.append(self)
            wake, loop.sleeping = loop.sleeping, False
        if wake:
            loop.wake()

    def watch(self, sock: socket.socket, on_ready: Callable[[], None]) -> None:
        """Call ``on_ready`` on the pool thread whenever ``sock`` is readable, until :meth:`unwatch`.
        ``on_ready`` must read what is there (the selector is level-triggered) and never block."""
        self._loop.watch(sock, on_ready)

    def unwatch(self, sock: socket.socket) -> None:
        """Stop watching ``sock`` (before closing it). A call of ``on_ready`` already under way on the
        pool thread may still finish: the caller's own lock or flag must make it harmless."""
        self._loop.unwatch(sock)

    def close(self) -> None:
        """Drop what is waiting; later submissions are ignored."""
        loop = self._loop
        with loop.lock:
            if not self.closed:
                loop.streams -= 1
            self.closed = True
            self._pending = []


class _Loop:
    """One pool thread: a selector over the watched sockets and a wake-up socket, and a queue of
    streams with submitted packets."""

    def __init__(self, name: str) -> None:
        self.lock = threading.Lock()
        self.queue: deque[PoolStream] = deque()
        self.sleeping = False  # blocked in select with nothing queued: a submit must wake it
        self.streams = 0
        self.stopped = False
        self.selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self.selector.register(self._wake_r, selectors.EVENT_READ, None)
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    @classmethod
    def dead(cls) -> _Loop:
        """A loop that never runs (for streams opened after shutdown)."""
        loop = cls(f"{THREAD_NAME}-stopped")
        loop.stopped = True
        loop.close()
        return loop

    def close(self) -> None:
        self.selector.close()
        self._wake_r.close()
        self._wake_w.close()

    def wake(self) -> None:
        try:
            self._wake_w.send(b"\0")
        except OSError:
            pass  # the buffer is full (it will wake anyway) or the loop has ended

    def watch(self, sock: socket.socket, on_ready: Callable[[], None]) -> None:
        try:
            self.selector.register(sock, selectors.EVENT_READ, on_ready)
        except (ValueError, OSError):
            if not self.stopped:
                raise
            return  # the pool is shutting down: nothing will be read any more
        self.wake()  # a select() already under way may not see a new socket on every platform

    def unwatch(self, sock: socket.socket) -> None:
        try:
            self.selector.unregister(sock)
        except (KeyError, ValueError, OSError):
            pass  # never watched, or already closed

    def _run(self) -> None:
        # Normal priority, unlike the streams' own threads (priority.py): there are only as many of these
        # threads as cores, so the GUI thread still gets its share, and at nice 10 every wake-up of
        # another process preempted them mid-frame: 0.1 ms more CPU per frame (bench/engine.py, 16 streams).
        select = self.selector.select
        try:
            while True:
                with self.lock:
                    if self.stopped:
                        return
                    self.sleeping = not self.queue
                    timeout = None if self.sleeping else 0
                events = select(timeout)
                with self.lock:
                    self.sleeping = False
                for key, _ in events:
                    if key.data is None:
                        self._drain_wake()
                        continue
                    try:
                        key.data()
                    except Exception:  # top of a pool thread: one stream's bug must not stop the others
                        log.exception("reading a stream failed")
                self._run_queued()
        finally:
            self.close()

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except OSError:
            pass  # drained

    def _run_queued(self) -> None:
        """Run the handler of every stream queued so far, once each (streams take turns)."""
        with self.lock:
            streams = list(self.queue)
            self.queue.clear()
        for stream in streams:
            with self.lock:
                batch, stream._pending = stream._pending, []
                stream._scheduled = False
                closed = stream.closed
            if batch and not closed:
                try:
                    stream.handler(batch)
                except Exception:  # top of a pool thread: one stream's bug must not stop the others
                    log.exception("decoding failed")


class DecodePool:
    """``threads`` pool threads (started with the first stream) shared by every stream."""

    def __init__(self, threads: int = 0) -> None:
        self.size = threads or default_threads()
        self.lock = threading.Lock()
        self._loops: list[_Loop] = []
        self._stopped = False

    def stream(self, handler: Callable[[list[Any]], None]) -> PoolStream:
        """A place for one stream on the pool thread with the fewest streams."""
        with self.lock:
            if not self._loops and not self._stopped:
                for index in range(self.size):
                    loop = _Loop(f"{THREAD_NAME}-{index}")
                    loop.thread.start()
                    self._loops.append(loop)
            if not self._loops:  # shut down already: a stream that never runs
                stream = PoolStream(_Loop.dead(), handler)
                stream.closed = True
                return stream
            loop = min(self._loops, key=lambda candidate: candidate.streams)
            with loop.lock:
                loop.streams += 1
        return PoolStream(loop, handler)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop the threads (after the batches they are running) and join them within ``timeout``."""
        with self.lock:
            self._stopped = True
            loops, self._loops = self._loops, []
        for loop in loops:
            with loop.lock:
                loop.stopped = True
            loop.wake()
        deadline = time.monotonic() + timeout
        for loop in loops:
            loop.thread.join(max(0.0, deadline - time.monotonic()))

"""A few threads (at most one per core) that read, decode, convert and deliver for every live stream.

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

The pool uses as few threads as keep up with the load (pool_balance.py says why and how). A stream is
run by one pool thread at a time: its packets are decoded in order, never by two threads at once, and a
stream that fell behind gets all its waiting packets in one batch, so only its newest picture is
converted (see ``StreamWorker._decode_batch``). A thread hands a stream to another only between its own
batches, on its own thread, so nothing of that stream is running while it moves.
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

from camdesk.video.pool_balance import BalanceSettings, LoopLoad, Move, place, plan

log = logging.getLogger(__name__)

THREAD_NAME = "camdesk-video-decode"


def default_threads() -> int:
    """At most one decoder thread per core, at least two (a long keyframe must not hold up every stream
    when the load needs more than one)."""
    return max(2, min(os.cpu_count() or 2, 16))


class PoolStream:
    """One stream's place on a pool thread. ``submit``, ``watch`` and ``unwatch`` never block (beyond a
    short lock)."""

    __slots__ = ("_loop", "_pending", "_scheduled", "_watched", "handler", "closed", "busy_s", "load")

    def __init__(self, loop: _Loop, handler: Callable[[list[Any]], None]) -> None:
        self._loop = loop
        self._pending: list[Any] = []
        self._scheduled = False
        self._watched: dict[socket.socket, Callable[[], None]] = {}
        self.handler = handler
        self.closed = False
        self.busy_s = 0.0  # time in this stream's calls during the current window (its thread only)
        self.load = 0.0  # share of the last window

    def _locked_loop(self) -> _Loop:
        """The stream's thread, with its lock held (the stream may move until the lock is taken)."""
        while True:
            loop = self._loop
            loop.lock.acquire()
            if loop is self._loop:
                return loop
            loop.lock.release()

    def submit(self, item: Any) -> None:
        """Queue ``item`` for ``handler`` (called on the pool thread with every item waiting, in order)."""
        loop = self._locked_loop()
        try:
            if self.closed:
                return
            self._pending.append(item)
            if self._scheduled:
                return
            self._scheduled = True
            loop.queue.append(self)
            wake, loop.sleeping = loop.sleeping, False
        finally:
            loop.lock.release()
        if wake:
            loop.wake()

    def watch(self, sock: socket.socket, on_ready: Callable[[], None]) -> None:
        """Call ``on_ready`` on the pool thread whenever ``sock`` is readable, until :meth:`unwatch`.
        ``on_ready`` must read what is there (the selector is level-triggered) and never block."""
        loop = self._locked_loop()
        try:
            self._watched[sock] = on_ready
            loop.watch(self, sock, on_ready)
        finally:
            loop.lock.release()
        loop.wake()  # a select() already under way may not see a new socket on every platform

    def unwatch(self, sock: socket.socket) -> None:
        """Stop watching ``sock`` (before closing it). A call of ``on_ready`` already under way on the
        pool thread may still finish: the caller's own lock or flag must make it harmless."""
        loop = self._locked_loop()
        try:
            if self._watched.pop(sock, None) is not None:
                loop.unwatch(sock)
        finally:
            loop.lock.release()

    def close(self) -> None:
        """Drop what is waiting; later submissions are ignored."""
        loop = self._locked_loop()
        try:
            self.closed = True
            self._pending = []
            loop.members.discard(self)
            if not loop.members:
                loop.load = 0.0
        finally:
            loop.lock.release()


class _Loop:
    """One pool thread: a selector over the watched sockets and a wake-up socket, a queue of streams
    with submitted packets, and the load it measures for the balancer."""

    def __init__(self, name: str, index: int, pool: DecodePool | None) -> None:
        self.index = index
        self.pool = pool
        self.lock = threading.Lock()
        self.queue: deque[PoolStream] = deque()
        self.members: set[PoolStream] = set()  # under ``lock``
        self.sleeping = False  # blocked in select with nothing queued: a submit must wake it
        self.stopped = False
        self.started = False
        self.load = 0.0  # share of the last window this thread was busy
        self.fresh = 0  # streams placed here since the last window (not measured yet); under the pool's lock
        self.selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self.selector.register(self._wake_r, selectors.EVENT_READ, None)
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    @classmethod
    def dead(cls) -> _Loop:
        """A loop that never runs (for streams opened after shutdown)."""
        loop = cls(f"{THREAD_NAME}-stopped", -1, None)
        loop.stopped = True
        loop.close()
        return loop

    def start(self) -> None:
        if not self.started:
            self.started = True
            self.thread.start()

    def close(self) -> None:
        self.selector.close()
        self._wake_r.close()
        self._wake_w.close()

    def wake(self) -> None:
        try:
            self._wake_w.send(b"\0")
        except OSError:
            pass  # the buffer is full (it will wake anyway) or the loop has ended

    def watch(self, stream: PoolStream, sock: socket.socket, on_ready: Callable[[], None]) -> None:
        try:
            self.selector.register(sock, selectors.EVENT_READ, (stream, on_ready))
        except (ValueError, OSError):
            if not self.stopped:
                raise
            # the pool is shutting down: nothing will be read any more

    def unwatch(self, sock: socket.socket) -> None:
        try:
            self.selector.unregister(sock)
        except (KeyError, ValueError, OSError):
            pass  # never watched, or already closed

    def _run(self) -> None:
        # Normal priority, unlike the streams' own threads (priority.py): there are at most as many of
        # these threads as cores, so the GUI thread still gets its share, and at nice 10 every wake-up of
        # another process preempted them mid-frame: 0.1 ms more CPU per frame (bench/engine.py, 16 streams).
        select = self.selector.select
        clock = time.perf_counter
        window_s = self.pool.balance.window_s if self.pool is not None else 1.0
        window_start = clock()
        busy = 0.0
        try:
            while True:
                with self.lock:
                    if self.stopped:
                        return
                    self.sleeping = not self.queue
                    # With streams, wake at least once a window, so an idle thread's load reads idle.
                    timeout = 0 if not self.sleeping else (window_s if self.members else None)
                events = select(timeout)
                with self.lock:
                    self.sleeping = False
                started = now = clock()
                for key, _ in events:
                    if key.data is None:
                        self._drain_wake()
                        continue
                    stream, on_ready = key.data
                    try:
                        on_ready()
                    except Exception:  # top of a pool thread: one stream's bug must not stop the others
                        log.exception("reading a stream failed")
                    done = clock()
                    stream.busy_s += done - now
                    now = done
                now = self._run_queued(now)
                busy += now - started
                if now - window_start >= window_s:
                    try:
                        self._end_window(busy, now - window_start)
                    except Exception:  # top of a pool thread: balancing must not stop the streams
                        log.exception("balancing the decoder threads failed")
                    window_start, busy = now, 0.0
        finally:
            self.close()

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except OSError:
            pass  # drained

    def _run_queued(self, now: float) -> float:
        """Run the handler of every stream queued so far, once each (streams take turns). Returns the
        clock after the last one."""
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
                done = time.perf_counter()
                stream.busy_s += done - now
                now = done
        return now

    def _end_window(self, busy: float, elapsed: float) -> None:
        """On this thread, between batches: record the loads and hand streams over if the pool says so."""
        with self.lock:
            streams = list(self.members)
        for stream in streams:
            stream.load, stream.busy_s = stream.busy_s / elapsed, 0.0
        if self.pool is not None:
            self.pool.rebalance(self, busy / elapsed, streams)


class DecodePool:
    """Up to ``threads`` pool threads (started when the load needs them) shared by every stream."""

    def __init__(self, threads: int = 0, balance: BalanceSettings | None = None) -> None:
        self.size = threads or default_threads()
        self.balance = balance or BalanceSettings()
        self.lock = threading.Lock()
        self._loops: list[_Loop] = []
        self._stopped = False

    def stream(self, handler: Callable[[list[Any]], None]) -> PoolStream:
        """A place for one stream on the pool thread the balancer chooses (pool_balance.place)."""
        with self.lock:
            if not self._loops and not self._stopped:
                self._loops = [_Loop(f"{THREAD_NAME}-{i}", i, self) for i in range(self.size)]
            if not self._loops:  # shut down already: a stream that never runs
                stream = PoolStream(_Loop.dead(), handler)
                stream.closed = True
                return stream
            loop = self._loops[place(self._view(), self.balance)]
            loop.fresh += 1
            loop.start()
            stream = PoolStream(loop, handler)
            with loop.lock:
                loop.members.add(stream)
        return stream

    def threads_in_use(self) -> int:
        """Pool threads running at least one stream now."""
        with self.lock:
            return sum(1 for loop in self._loops if loop.members)

    def _view(self) -> list[LoopLoad]:
        """Under ``lock``: each thread's load as the balancer sees it."""
        return [LoopLoad(loop.load + loop.fresh * self.balance.new_stream_load, len(loop.members))
                for loop in self._loops]

    def rebalance(self, loop: _Loop, load: float, streams: list[PoolStream]) -> None:
        """On ``loop``'s thread, between its batches: record its load (measured over the last window)
        and hand streams to another thread if the balancer says so."""
        with self.lock:
            loop.load, loop.fresh = load, 0
            if self._stopped or loop not in self._loops:
                return
            streams = [s for s in streams if not s.closed]
            move = plan(loop.index, self._view(), [s.load for s in streams], self.balance)
            if move is not None:
                self._move(loop, move, streams)

    def _move(self, source: _Loop, move: Move, streams: list[PoolStream]) -> None:
        """Under ``lock``, on ``source``'s thread: hand the chosen streams to ``move.target``."""
        target = self._loops[move.target]
        target.start()
        first, second = sorted((source, target), key=lambda loop: loop.index)  # one order: no deadlock
        moved = 0.0
        with first.lock, second.lock:
            for index in move.streams:
                stream = streams[index]
                if stream.closed or stream._loop is not source:
                    continue
                source.members.discard(stream)
                target.members.add(stream)
                for sock, on_ready in list(stream._watched.items()):
                    source.unwatch(sock)
                    try:
                        target.watch(stream, sock, on_ready)
                    except (ValueError, OSError):  # closed under us: the stream's stall watchdog reconnects
                        del stream._watched[sock]
                if stream._scheduled:  # after _run_queued, a scheduled stream is in the queue
                    source.queue.remove(stream)
                    target.queue.append(stream)
                stream._loop = target
                moved += stream.load
            source.load = max(0.0, source.load - moved) if source.members else 0.0
            target.load += moved
            target.sleeping = False
        target.wake()
        log.debug("pool thread %d handed %d streams (load %.2f) to thread %d",
                  source.index, len(move.streams), moved, target.index)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop the threads (after the batches they are running) and join them within ``timeout``."""
        with self.lock:
            self._stopped = True
            loops, self._loops = self._loops, []
        for loop in loops:
            with loop.lock:
                loop.stopped = True
            if loop.started:
                loop.wake()
            else:
                loop.close()
        deadline = time.monotonic() + timeout
        for loop in loops:
            if loop.started:
                loop.thread.join(max(0.0, deadline - time.monotonic()))

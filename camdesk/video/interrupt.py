"""Interrupting PyAV's blocking calls (open, read) from another thread, per thread.

PyAV installs an FFmpeg interrupt callback whenever ``av.open(..., timeout=...)`` is given a timeout;
the callback (run by FFmpeg on the blocked thread, every 100 ms or so while it waits on a socket)
aborts the call once ``av.container.core.time.monotonic()`` passes the deadline. We swap that module
reference for a clock that reports "far in the future" on threads whose :class:`CancelToken` is
cancelled or past its own deadline. This gives (a) shutdown of a worker blocked in a read within about
100 ms, without closing a container under another thread's feet, and (b) a stall watchdog that fires
even when the demuxer keeps returning packets that never make a frame.

If a future PyAV changes this internal, :func:`install` returns False and the engine falls back to
PyAV's own open/read timeouts (shutdown then waits for them); ``tests/video`` checks that it works.
"""

from __future__ import annotations

import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_FAR_FUTURE = 1e9
_tokens: dict[int, CancelToken] = {}
_installed = False
_install_lock = threading.Lock()


class CancelToken:
    """Cancels the blocking PyAV calls of the threads that entered :func:`scope` with it."""

    def __init__(self) -> None:
        self.cancelled = False
        self.deadline: float | None = None  # monotonic; blocking calls abort once it passes

    def cancel(self) -> None:
        self.cancelled = True

    def expired(self, now: float) -> bool:
        return self.cancelled or (self.deadline is not None and now > self.deadline)


class _InterruptClock(types.ModuleType):
    """Stands in for the ``time`` module inside ``av.container.core``."""

    def __init__(self) -> None:
        super().__init__("time")

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def monotonic() -> float:
        now = time.monotonic()
        token = _tokens.get(threading.get_ident())
        if token is not None and token.expired(now):
            return now + _FAR_FUTURE
        return now


def install() -> bool:
    """Hook the clock into PyAV once; False if this PyAV does not look as expected."""
    global _installed
    with _install_lock:
        if _installed:
            return True
        try:
            import av.container.core as core  # loaded on first use only
        except ImportError:
            return False
        if getattr(core, "time", None) is not time:  # PyAV changed: keep its own timeouts
            return False
        core.time = _InterruptClock()  # type: ignore[attr-defined]
        _installed = True
        return True


def current() -> CancelToken | None:
    """The token governing the calling thread, if any (our own RTSP client polls it)."""
    return _tokens.get(threading.get_ident())


@contextmanager
def scope(token: CancelToken) -> Iterator[CancelToken]:
    """Make ``token`` govern the PyAV calls the current thread makes inside the ``with`` block."""
    ident = threading.get_ident()
    previous = _tokens.get(ident)
    _tokens[ident] = token
    try:
        yield token
    finally:
        if previous is None:
            _tokens.pop(ident, None)
        else:
            _tokens[ident] = previous

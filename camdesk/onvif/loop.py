"""One asyncio loop thread for every camera. Others hand it coroutines and get Futures back.

Why one thread: onvif-zeep-async is asyncio-only, and one loop for 50 cameras costs one thread instead of
fifty. Every call is bounded: :meth:`OnvifLoop.submit` wraps the coroutine in ``asyncio.wait_for``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from camdesk.errors import CameraTimeout

log = logging.getLogger(__name__)
T = TypeVar("T")
DEFAULT_TIMEOUT = 5.0


class OnvifLoop:
    """Owns the ONVIF thread and its event loop. ``stop()`` is idempotent and bounded in time."""

    def __init__(self, name: str = "onvif") -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(self._on_loop_error)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        self._ready.wait(5.0)
        self._stopped = False

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def in_loop_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._ready.set)
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    @staticmethod
    def _on_loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # Background tasks of the library (renewals) may fail; log and keep the loop alive.
        log.warning("ONVIF loop: %s", context.get("message"), exc_info=context.get("exception"))

    def submit(
        self, coro: Coroutine[Any, Any, T], timeout: float | None = DEFAULT_TIMEOUT
    ) -> concurrent.futures.Future[T]:
        """Run ``coro`` on the loop; the Future fails with :class:`CameraTimeout` after ``timeout`` s
        (None: no limit, for long-running tasks that bound themselves, such as tours). Any thread."""
        if self._stopped:
            coro.close()
            failed: concurrent.futures.Future[T] = concurrent.futures.Future()
            failed.set_exception(RuntimeError("the ONVIF loop is stopped"))
            return failed
        return asyncio.run_coroutine_threadsafe(_bounded(coro, timeout), self._loop)

    def stop(self, cleanup: Coroutine[Any, Any, Any] | None = None, timeout: float = 5.0) -> None:
        """Run ``cleanup`` (bounded), cancel what is left, stop the loop and join the thread."""
        if self._stopped:
            if cleanup is not None:
                cleanup.close()
            return
        if cleanup is not None:
            try:
                self.submit(cleanup, timeout).result(timeout + 1)
            except (concurrent.futures.TimeoutError, TimeoutError, OSError, RuntimeError) as exc:
                log.warning("ONVIF cleanup did not finish: %s", exc)
        self._stopped = True

        async def cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=1.0)

        try:
            asyncio.run_coroutine_threadsafe(cancel_all(), self._loop).result(2.0)
        except (concurrent.futures.TimeoutError, RuntimeError) as exc:
            log.warning("ONVIF tasks did not cancel: %s", exc)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)


async def _bounded(coro: Coroutine[Any, Any, T], timeout: float | None) -> T:
    if timeout is None:
        return await coro
    try:
        return await asyncio.wait_for(coro, timeout)
    except CameraTimeout:
        raise
    except TimeoutError as exc:
        raise CameraTimeout(f"no answer within {timeout:g} s") from exc

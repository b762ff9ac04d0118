"""Delivering results from worker threads (Futures, callbacks) to the GUI thread.

Workers never touch widgets. They complete a ``concurrent.futures.Future`` or call a function from their
own thread; this bridge re-emits that as a queued Qt signal, so the callback runs on the GUI thread.
The GUI thread never calls ``Future.result()`` on an unfinished future.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

T = TypeVar("T")
log = logging.getLogger(__name__)


class GuiBridge(QObject):
    """Runs callables on the GUI thread. Create it on the GUI thread."""

    _call = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._call.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def post(self, fn: Callable[[], Any]) -> None:
        """Run ``fn()`` on the GUI thread soon. Safe to call from any thread."""
        self._call.emit(fn)

    def when_done(
        self,
        future: concurrent.futures.Future[T],
        on_result: Callable[[T], Any],
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> None:
        """Call ``on_result(value)`` or ``on_error(exc)`` on the GUI thread once ``future`` finishes."""

        def done(f: concurrent.futures.Future[T]) -> None:
            if f.cancelled():
                return
            exc = f.exception()
            if exc is None:
                value = f.result()
                self.post(lambda: on_result(value))
            elif on_error is not None:
                self.post(lambda: on_error(exc))
            else:
                self.post(lambda: _reraise(exc))

        future.add_done_callback(done)

    def _run(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except RuntimeError as exc:
            # A result that arrives after its window was closed finds the widget's C++ side deleted;
            # it has nobody to tell, so it is dropped. Any other RuntimeError is a real bug.
            if "already deleted" not in str(exc):
                raise
            log.debug("result for a closed window dropped: %s", exc)


def _reraise(exc: BaseException) -> None:
    raise exc  # reaches sys.excepthook, which logs it and tells the user

"""Delivering store answers to widgets that may have been closed in the meantime."""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject

from camdesk.ui.bridge import GuiBridge

log = logging.getLogger(__name__)
T = TypeVar("T")


def deliver(
    bridge: GuiBridge,
    owner: QObject,
    future: concurrent.futures.Future[T],
    on_result: Callable[[T], Any],
    on_error: Callable[[BaseException], Any],
) -> None:
    """``bridge.when_done``, except that the answer is dropped (and logged) if ``owner`` was deleted before
    it arrived, e.g. a window the officer closed while the store was still working. Callbacks run on the
    GUI thread. The store's work itself is never undone: it was committed or failed on its own."""

    def result(value: T) -> None:
        if shiboken6.isValid(owner):
            on_result(value)
        else:
            log.debug("A store answer arrived after its window closed; dropped")

    def error(exc: BaseException) -> None:
        if shiboken6.isValid(owner):
            on_error(exc)
        else:
            log.info("A store error arrived after its window closed: %s", exc)

    bridge.when_done(future, result, error)

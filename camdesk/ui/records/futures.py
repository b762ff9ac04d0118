"""Chaining concurrent Futures without waiting on any thread that matters."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")


def then(
    first: concurrent.futures.Future[A], step: Callable[[A], concurrent.futures.Future[B]]
) -> concurrent.futures.Future[B]:
    """A Future of ``step(result of first)``; errors of either stage end up in it.

    ``step`` runs on the thread that completes ``first`` (a worker), so it must not touch widgets.
    """
    out: concurrent.futures.Future[B] = concurrent.futures.Future()

    def forward(inner: concurrent.futures.Future[B]) -> None:
        exc = inner.exception()
        if exc is not None:
            out.set_exception(exc)
        else:
            out.set_result(inner.result())

    def on_first(f: concurrent.futures.Future[A]) -> None:
        exc = f.exception()
        if exc is not None:
            out.set_exception(exc)
            return
        try:
            inner = step(f.result())
        except Exception as err:  # noqa: BLE001 - hand any failure of the step to the caller's Future
            out.set_exception(err)
            return
        inner.add_done_callback(forward)

    first.add_done_callback(on_first)
    return out


def mapped(first: concurrent.futures.Future[A], fn: Callable[[A], B]) -> concurrent.futures.Future[B]:
    """A Future of ``fn(result of first)``; ``fn`` runs on the completing (worker) thread."""

    def step(value: A) -> concurrent.futures.Future[B]:
        done: concurrent.futures.Future[B] = concurrent.futures.Future()
        done.set_result(fn(value))
        return done

    return then(first, step)

"""camdesk.heap: one collection, then long-lived objects are out of the garbage collector's way."""

from __future__ import annotations

import gc
import weakref


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_settle_collects_garbage_and_freezes_the_survivors() -> None:
    from camdesk import heap

    gc.unfreeze()
    try:
        a, b = _Node(), _Node()
        a.other, b.other = b, a  # a cycle: only the cyclic collector can free it
        dead = weakref.ref(a)
        del a, b
        keep = [_Node() for _ in range(300_000)]  # long-lived objects, like the ONVIF library's
        walked_before = len(gc.get_objects())  # what a full collection walks
        heap.settle()
        assert dead() is None  # the garbage was collected, not frozen
        assert gc.get_freeze_count() >= len(keep)
        assert len(gc.get_objects()) <= walked_before - len(keep)  # a full collection no longer walks them
    finally:
        gc.unfreeze()

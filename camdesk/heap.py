"""Keeping Python's cyclic garbage collector from pausing the wall.

A full collection walks every object that lives long: Qt wrappers, the camera registry and, above all,
the ONVIF library's parsed service descriptions, one set per camera. With 16 cameras a full collection
took 60-85 ms, with every thread stopped (decoders included): the wall's event loop stalled for as long,
and on a 64-tile wall frames bunched up and were lost. The video path itself makes little garbage that
lives long, so ``settle()`` collects once and then freezes what is left (``gc.freeze``): later full
collections only walk what was created since. It is called when the window first shows and after the
desk has logged its cameras in to ONVIF.

The price: objects frozen here are never collected, even if they later become unreachable cycles (a
removed camera's ONVIF session, a closed window's wrappers). That is a little memory per such event.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def settle() -> float:
    """Collect all garbage, then freeze the survivors; returns the seconds it took (one pause)."""
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    elapsed = time.perf_counter() - started
    log.info("heap settled: %d objects frozen in %.0f ms", gc.get_freeze_count(), elapsed * 1000)
    return elapsed

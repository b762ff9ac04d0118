"""Running the engine's threads below the GUI thread's CPU priority."""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

WORKER_NICE = 10  # Linux per-thread niceness of stream and decoder threads (0 = the GUI thread's)


def lower_thread_priority() -> None:
    """Run the calling thread below the GUI thread's CPU priority.

    When the machine cannot decode every stream in time (64 tiles on 2 cores), the threads share the CPU
    by weight; at equal priority the GUI thread got 1/65 of it and the wall froze for seconds (measured
    with bench/wall.py). With the engine's threads at nice 10 the GUI keeps painting and the streams drop
    frames instead. Linux only (per-thread ``setpriority``); elsewhere a no-op.
    """
    if sys.platform != "linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)
    except OSError as exc:  # not allowed in some sandboxes: keep the default priority
        log.debug("thread priority unchanged: %s", exc)

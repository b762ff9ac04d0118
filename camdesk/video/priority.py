"""Running the engine's threads below the GUI thread's CPU priority."""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

WORKER_NICE = 10  # Linux per-thread niceness of the streams' own threads (0 = the GUI thread's)


def lower_thread_priority() -> None:
    """Run the calling thread below the GUI thread's CPU priority.

    Used by the streams' own threads (connecting, supervising, reading inputs the decoder pool cannot
    watch), which can be many: when each of 64 streams decoded on its own thread, the threads shared the
    CPU by weight, the GUI thread got 1/65 of it and the wall froze for seconds (bench/wall.py). The
    decoder pool's threads, one per core, keep normal priority (decode_pool.py says why). Linux only
    (per-thread ``setpriority``); elsewhere a no-op.
    """
    if sys.platform != "linux":
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICE)
    except OSError as exc:  # not allowed in some sandboxes: keep the default priority
        log.debug("thread priority unchanged: %s", exc)

"""The GUI thread's heartbeat: how long the event loop was blocked, and what blocked it.

A precise QTimer ticks on the GUI thread; the gap between two ticks is how long the event loop could not
run (a frozen wall). A small thread watches the heartbeat: when the GUI thread has not ticked for
``freeze_s``, it writes the GUI thread's stack to the log *while the freeze lasts*, and when the loop runs
again it logs how long it was stuck. A freeze on a control-room PC then leaves the place in the code
behind, not only an officer's report. The stack holds file names, functions and line numbers only (no
values), so no password can reach the log through it.

The app runs one with a 100 ms tick; the benchmark and the tests use a 10 ms tick and keep every gap.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback

from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger(__name__)

APP_TICK_MS = 100
APP_FREEZE_S = 2.0  # long enough that a busy but working wall never trips it
APP_SLOW_MS = 500  # a blocked loop this long is worth an INFO line in the log, without a stack


class LoopWatch(QObject):
    """Measures event-loop gaps on the thread it is created on (the GUI thread).

    ``record``: keep every gap in ``gaps_ms`` (benchmarks, tests). ``freeze_s``: start the watcher
    thread that logs (WARNING) the GUI thread's stack once per freeze longer than this. ``slow_ms``: log
    every gap at least this long once the loop runs again (INFO; WARNING after a reported freeze).
    ``cpu_s`` is the CPU the ticks themselves cost, so a benchmark can leave its instrument out of the
    app's figures.
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = APP_TICK_MS, record: bool = False,
                 freeze_s: float | None = None, slow_ms: float | None = None) -> None:
        super().__init__(parent)
        self.gaps_ms: list[float] = []
        self.longest_ms = 0.0
        self.slow_count = 0
        self.cpu_s = 0.0
        self._record = record
        self._slow_ms = slow_ms
        self._freeze_s = freeze_s
        self._thread_id = threading.get_ident()
        self._last = time.monotonic()
        self._frozen_reported = False  # written by the watcher, read and cleared by the GUI thread
        self._stop = threading.Event()
        self._stopped = False
        self._watcher: threading.Thread | None = None
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Start ticking (and watching). A watch that was stopped stays stopped: the app starts its watch
        from the event loop, which may run only after a quick quit has stopped it."""
        if self._stopped:
            return
        self._last = time.monotonic()
        self._timer.start()
        if self._freeze_s is not None and self._watcher is None:
            self._stop.clear()
            self._watcher = threading.Thread(target=self._watch, name="gui-loop-watch", daemon=True)
            self._watcher.start()

    def stop(self) -> None:
        """Stop the timer and the watcher thread (joined: no thread is left behind)."""
        self._stopped = True
        self._timer.stop()
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=2.0)
            self._watcher = None

    def is_active(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        started = time.thread_time()
        now = time.monotonic()
        gap_ms = (now - self._last) * 1000
        self._last = now
        if self._record:
            self.gaps_ms.append(gap_ms)
        self.longest_ms = max(self.longest_ms, gap_ms)
        if self._slow_ms is not None and gap_ms >= self._slow_ms:
            self.slow_count += 1
            if self._frozen_reported:
                log.warning("the window was frozen for %.1f s; it runs again", gap_ms / 1000)
            else:  # a hitch, worth knowing when looking into complaints, not a fault by itself
                log.info("the window did not respond for %.0f ms", gap_ms)
        self._frozen_reported = False
        self.cpu_s += time.thread_time() - started

    def _watch(self) -> None:
        """Watcher thread: a stack for each freeze, taken while the GUI thread is still stuck."""
        assert self._freeze_s is not None
        period = min(0.25, self._freeze_s / 4)
        while not self._stop.wait(period):
            stuck_s = time.monotonic() - self._last
            if stuck_s < self._freeze_s or self._frozen_reported:
                continue
            frame = sys._current_frames().get(self._thread_id)
            stack = "".join(traceback.format_stack(frame)) if frame is not None else "(no Python frame)\n"
            del frame
            self._frozen_reported = True
            log.warning("the window has not responded for %.1f s; the GUI thread is at:\n%s",
                        stuck_s, stack.rstrip())

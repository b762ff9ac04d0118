"""The GUI thread's heartbeat (camdesk/ui/loop_watch.py): gaps are measured, a freeze is logged with the
GUI thread's stack while it lasts, and the watcher thread ends with the watch."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from PySide6.QtCore import QTimer

from camdesk.ui.loop_watch import LoopWatch


def block_the_gui_thread_for(seconds: float) -> None:
    time.sleep(seconds)  # stands for a slow call made on the GUI thread by mistake


def test_gaps_show_how_long_the_loop_was_blocked(qtbot) -> None:  # type: ignore[no-untyped-def]
    watch = LoopWatch(interval_ms=10, record=True)
    watch.start()
    qtbot.wait(200)
    QTimer.singleShot(0, lambda: block_the_gui_thread_for(0.3))
    qtbot.wait(300)
    watch.stop()
    assert len(watch.gaps_ms) > 10
    assert 290 <= watch.longest_ms == max(watch.gaps_ms) < 1000
    assert sorted(watch.gaps_ms)[len(watch.gaps_ms) // 2] < 100  # the other ticks came on time


def test_a_freeze_is_logged_with_the_stack_while_it_lasts(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING, logger="camdesk.ui.loop_watch")
    watch = LoopWatch(interval_ms=20, freeze_s=0.3, slow_ms=200)
    watch.start()
    qtbot.wait(100)
    freeze: dict[str, float] = {}

    def freeze_now() -> None:
        freeze["start"] = time.monotonic()
        block_the_gui_thread_for(1.0)
        freeze["end"] = time.monotonic()

    QTimer.singleShot(0, freeze_now)
    qtbot.waitUntil(lambda: "end" in freeze, timeout=5000)
    qtbot.wait(200)
    watch.stop()
    during = [r for r in caplog.records if "has not responded" in r.getMessage()]
    after = [r for r in caplog.records if "was frozen for" in r.getMessage()]
    assert len(during) == 1, caplog.text  # one report per freeze, not one per check
    assert freeze["start"] < during[0].created - (time.time() - time.monotonic()) < freeze["end"]
    assert during[0].threadName == "gui-loop-watch"
    assert "block_the_gui_thread_for" in during[0].getMessage()  # the stack names the culprit
    assert len(after) == 1 and after[0].threadName == threading.current_thread().name
    assert watch.slow_count == 1


def test_a_short_hitch_is_logged_without_a_stack(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="camdesk.ui.loop_watch")
    watch = LoopWatch(interval_ms=20, freeze_s=2.0, slow_ms=200)
    watch.start()
    QTimer.singleShot(0, lambda: block_the_gui_thread_for(0.4))
    qtbot.wait(700)
    watch.stop()
    hitches = [r for r in caplog.records if "did not respond for" in r.getMessage()]
    assert len(hitches) == 1 and hitches[0].levelno == logging.INFO  # information, not a fault
    assert not any("has not responded" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("started", [True, False])
def test_stop_leaves_no_thread_and_a_stopped_watch_stays_stopped(qtbot, started: bool) -> None:  # type: ignore[no-untyped-def]
    watch = LoopWatch(interval_ms=20, freeze_s=0.5)
    if started:
        watch.start()
        assert any(t.name == "gui-loop-watch" for t in threading.enumerate())
    watch.stop()
    watch.start()  # e.g. the app's delayed start after a quick quit
    assert not watch.is_active()
    assert not any(t.name == "gui-loop-watch" for t in threading.enumerate())

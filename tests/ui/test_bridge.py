"""Results from worker threads reach the GUI thread; results for closed windows are dropped quietly."""

from __future__ import annotations

import concurrent.futures
import threading

from PySide6.QtWidgets import QLabel

from camdesk.ui.bridge import GuiBridge


def test_future_result_and_error_arrive_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    bridge = GuiBridge()
    gui = threading.get_ident()
    got: list[tuple[str, object, int]] = []
    pool = concurrent.futures.ThreadPoolExecutor(1)
    try:
        bridge.when_done(pool.submit(lambda: 42), lambda v: got.append(("ok", v, threading.get_ident())))
        bridge.when_done(pool.submit(lambda: 1 / 0), lambda v: None,
                         lambda e: got.append(("err", type(e).__name__, threading.get_ident())))
        qtbot.waitUntil(lambda: len(got) == 2, timeout=3000)
    finally:
        pool.shutdown()
    assert sorted(got) == [("err", "ZeroDivisionError", gui), ("ok", 42, gui)]


def test_a_result_for_a_closed_widget_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    bridge = GuiBridge()
    label = QLabel()
    label.deleteLater()
    qtbot.waitUntil(lambda: not _alive(label), timeout=3000)
    done = concurrent.futures.Future[str]()
    bridge.when_done(done, label.setText)
    done.set_result("late")
    ran: list[bool] = []
    bridge.post(lambda: ran.append(True))  # queued after the dropped one: the loop went on
    qtbot.waitUntil(lambda: ran == [True], timeout=3000)


def _alive(obj: object) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))

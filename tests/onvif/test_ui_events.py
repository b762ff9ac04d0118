"""The events dock lists camera events newest first (time, camera, type) and signals motion for the
tile highlight; fed straight from the virtual camera's PullPoint."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QDateTime

from camdesk.models.onvif import CameraEvent, EventKind
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.onvif.events_dock import MAX_ROWS, EventsDock
from tests.onvif.conftest import PASSWORD, USER

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def dock(qtbot):
    bridge = GuiBridge()
    d = EventsDock(bridge, camera_name={5: "Cổng chợ", 6: "Hẻm 12"}.get)
    d._bridge_ref = bridge
    qtbot.addWidget(d)
    return d


def _motion(camera_id: int, active: bool, t: float) -> CameraEvent:
    return CameraEvent(camera_id, t, EventKind.MOTION, "tns1:RuleEngine/CellMotionDetector/Motion", active)


def test_events_from_another_thread_show_newest_first(qtbot, dock):
    t0 = time.time()
    worker = threading.Thread(target=lambda: [dock.post_event(_motion(5, True, t0)),
                                              dock.post_event(_motion(6, False, t0 + 1))])
    with qtbot.waitSignals([dock.motion, dock.motion], timeout=5000):
        worker.start()
    worker.join()
    assert dock.table.rowCount() == 2
    assert [dock.table.item(0, c).text() for c in (1, 2)] == ["Hẻm 12", "Motion ended"]
    assert [dock.table.item(1, c).text() for c in (1, 2)] == ["Cổng chợ", "Motion started"]
    assert dock.table.item(0, 0).text().count(":") == 2  # HH:mm:ss


def test_list_is_bounded(qtbot, dock):
    for i in range(MAX_ROWS + 20):
        dock.add_event(_motion(5, bool(i % 2), time.time()))
    assert dock.table.rowCount() == MAX_ROWS


def test_a_burst_is_listed_newest_first_above_older_rows_and_bounded(qtbot, dock):
    t0 = time.time()
    dock.add_event(_motion(6, True, t0))  # an older row: stays below the burst
    burst = [_motion(5, i % 2 == 0, t0 + 1 + i) for i in range(MAX_ROWS + 20)]
    highlights: list[tuple[int, bool]] = []
    dock.motion.connect(lambda cid, on: highlights.append((cid, on)))
    dock.add_events(burst)
    assert dock.table.rowCount() == MAX_ROWS
    assert len(highlights) == len(burst)  # every event drives the tile highlight, listed or not
    assert dock.table.item(0, 2).text() == "Motion ended"  # the burst's last (newest) event on top
    def shown(event: CameraEvent) -> str:
        return QDateTime.fromMSecsSinceEpoch(int(event.time * 1000)).toString("dd/MM HH:mm:ss")

    assert dock.table.item(0, 0).text() == shown(burst[-1])
    assert dock.table.item(1, 0).text() == shown(burst[-2])
    assert dock.table.item(MAX_ROWS - 1, 0).text() == shown(burst[20])  # the oldest 20 did not fit
    assert {dock.table.item(r, 1).text() for r in range(MAX_ROWS)} == {"Cổng chợ"}  # the old row fell off
    assert dock.table.item(MAX_ROWS - 1, 0).data(256) == 5  # Qt.UserRole: the camera id


def test_motion_from_the_virtual_camera_reaches_the_dock(qtbot, dock, onvif, sim):
    onvif.register(5, sim.url(0), USER, PASSWORD)
    highlights: list[tuple[int, bool]] = []
    dock.motion.connect(lambda cid, on: highlights.append((cid, on)))
    onvif.subscribe_events(5, dock.post_event, ttl_s=30, pull_s=1).result(10)
    qtbot.waitUntil(lambda: any(on for _, on in highlights), timeout=15000)
    assert all(cid == 5 for cid, _ in highlights)
    texts = {dock.table.item(r, 2).text() for r in range(dock.table.rowCount())}
    assert "Motion started" in texts


def test_one_motion_change_reported_on_two_topics_is_listed_once(qtbot, dock):
    t0 = time.time()
    dock.add_event(_motion(5, True, t0))
    dock.add_event(CameraEvent(5, t0 + 0.1, EventKind.MOTION, "tns1:VideoSource/MotionAlarm", True))
    assert dock.table.rowCount() == 1
    dock.add_event(_motion(6, True, t0 + 0.2))  # another camera: its own row
    dock.add_event(_motion(5, True, t0 + 10))  # the same change much later is a new event
    assert dock.table.rowCount() == 3

"""Events pulled in the helper process (camdesk/onvif/event_relay.py): they arrive as they do in-process,
the helper runs below the app's CPU priority, comes back by itself when it dies, forwards its log without
credentials, and leaves nothing behind at exit."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from camdesk.models.onvif import EventKind
from camdesk.onvif.event_relay import EventRelay
from tests.conftest import alive, wait_until
from tests.onvif.conftest import PASSWORD, USER
from tests.onvif.test_events import CAM, Inbox, _hub_subscriptions

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def relay() -> Iterator[EventRelay]:
    r = EventRelay()
    try:
        yield r
    finally:
        r.shutdown()


def test_events_come_through_the_helper_at_a_lower_priority_and_stop_on_unsubscribe(relay, sim) -> None:  # type: ignore[no-untyped-def]
    inbox = Inbox()
    relay.subscribe(CAM, sim.url(0), USER, PASSWORD, inbox, ttl_s=3.0, pull_s=1.0)
    motion = lambda evs: [e for e in evs if e.kind is EventKind.MOTION]  # noqa: E731
    # the scene's car enters and leaves the motion region every 4 s
    assert inbox.wait(lambda evs: {e.active for e in motion(evs)} == {True, False}, 20)
    first = motion(inbox.events)[0]
    assert first.camera_id == CAM and "Motion" in first.topic and abs(first.time - time.time()) < 60
    assert wait_until(lambda: relay.event_stats(CAM)[1] >= 1, 8), "the helper's subscription was never renewed"
    subscriptions, _renewals, delivered = relay.event_stats(CAM)
    assert subscriptions == 1 and delivered >= 2
    pid = relay.pid
    assert pid is not None and pid != os.getpid()
    if sys.platform.startswith("linux"):
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
        assert PASSWORD.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
    os.kill(pid, signal.SIGTERM)  # as a session's end or `timeout` sends it to the whole process group
    time.sleep(0.5)
    assert relay.pid == pid and alive(pid), "the helper died of a SIGTERM the app is handling"
    relay.unsubscribe(CAM)
    assert wait_until(lambda: _hub_subscriptions(sim.handle.port) == 0, 10), "not unsubscribed"
    assert relay.event_stats(CAM) == (0, 0, 0)
    relay.shutdown()
    assert not alive(pid), "the helper outlived the shutdown"
    assert not [t for t in threading.enumerate() if t.name.startswith("onvif-event-relay")]


def test_a_killed_helper_is_started_again_and_events_resume(relay, sim, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    inbox = Inbox()
    relay.subscribe(CAM, sim.url(0), USER, PASSWORD, inbox, ttl_s=30.0, pull_s=1.0)
    assert inbox.wait(lambda evs: len(evs) > 0, 20)
    first_pid = relay.pid
    assert first_pid is not None
    os.kill(first_pid, signal.SIGKILL)
    assert wait_until(lambda: relay.pid not in (None, first_pid), 10), "no new helper"
    with inbox.lock:
        seen = len(inbox.events)
    assert inbox.wait(lambda evs: len(evs) > seen, 20), "no events after the helper was started again"
    assert relay.restarts == 1
    assert "ONVIF event helper stopped" in caplog.text
    # the killed helper could not unsubscribe: its subscription expires on the camera; the new one is live
    assert _hub_subscriptions(sim.handle.port) >= 1


def test_the_helpers_log_reaches_the_app_without_the_password(relay, sim, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    wrong = "Wrong-Pass-987"
    relay.subscribe(CAM, sim.url(0), USER, wrong, Inbox(), ttl_s=30.0, pull_s=1.0)
    assert wait_until(lambda: any(r.name.startswith("camdesk.onvif") and f"camera {CAM}" in r.getMessage()
                             for r in caplog.records), 20), caplog.text
    assert relay.event_stats(CAM) == (0, 0, 0)  # never subscribed
    assert wrong not in caplog.text and PASSWORD not in caplog.text


def test_subscribing_again_replaces_the_subscription(relay, sim) -> None:  # type: ignore[no-untyped-def]
    old, new = Inbox(), Inbox()
    relay.subscribe(CAM, sim.url(0), USER, PASSWORD, old, ttl_s=30.0, pull_s=1.0)
    assert old.wait(lambda evs: len(evs) > 0, 20)
    relay.subscribe(CAM, sim.url(0), USER, PASSWORD, new, ttl_s=30.0, pull_s=1.0)
    assert new.wait(lambda evs: len(evs) > 0, 20)
    assert wait_until(lambda: _hub_subscriptions(sim.handle.port) == 1, 10), "the old subscription was left running"


def test_nonsense_from_a_broken_helper_is_ignored_and_it_is_restarted_with_backoff(caplog) -> None:  # type: ignore[no-untyped-def]
    """The relay trusts nothing it reads: a helper that writes garbage and dies is started again, 1 s and
    then 2 s later, its garbage never becomes an event, and shutting down during the wait is immediate."""
    caplog.set_level(logging.INFO)
    script = ("import sys; print('not json'); print('{\"event\": {\"camera_id\": \"x\"}}'); "
              "print('{\"event\": {\"camera_id\": 7, \"time\": 1, \"kind\": \"explosion\", \"topic\": \"t\", "
              "\"active\": true}}'); print('{\"stats\": {\"7\": [1, 0, 0]}}'); sys.stdout.flush(); sys.exit(3)")
    relay = EventRelay([sys.executable, "-c", script])
    inbox = Inbox()
    started = time.monotonic()
    relay.subscribe(7, "http://127.0.0.1:9/onvif/device_service", "admin", "Secret-123", inbox)
    assert wait_until(lambda: relay.restarts >= 2, 10), caplog.text
    assert time.monotonic() - started >= 2.5  # 1 s, then 2 s between the starts
    assert inbox.events == []
    assert relay.event_stats(7) == (1, 0, 0)  # well-formed statistics are kept
    assert "exit code 3" in caplog.text and "unreadable event" in caplog.text
    t = time.monotonic()
    relay.shutdown()
    assert time.monotonic() - t < 2.0


RECORDING_HELPER = """
import json, os, sys, time
log_path, marker = sys.argv[1], sys.argv[2]
first_run = not os.path.exists(marker)
open(marker, "a").close()
subscribed = 0
with open(log_path, "a") as log:
    log.write(json.dumps({"start": os.getpid(), "t": time.monotonic()}) + "\\n")
    log.flush()
    for line in sys.stdin:
        message = json.loads(line)
        log.write(json.dumps({"op": message["op"], "camera": message.get("camera"), "t": time.monotonic()}) + "\\n")
        log.flush()
        subscribed += message["op"] == "subscribe"
        if message["op"] == "shutdown" or (first_run and subscribed == 3):
            break  # the first run dies once it has its three cameras
"""


def test_a_restarted_helper_gets_its_cameras_one_at_a_time(tmp_path: Path) -> None:
    """After a restart the relay hands the cameras over REPLAY_PACE_S apart (64 logins at once made a
    memory peak), and a camera unsubscribed meanwhile is left out of the replay."""
    from camdesk.onvif.event_relay import REPLAY_PACE_S

    record = tmp_path / "helper.log"
    relay = EventRelay([sys.executable, "-c", RECORDING_HELPER, str(record), str(tmp_path / "ran")])
    try:
        for camera in (1, 2, 3):
            relay.subscribe(camera, f"http://127.0.0.1:9/onvif/cam{camera}", "admin", "Secret-123", Inbox())
        assert wait_until(lambda: relay.restarts == 1 and relay.pid is not None, 10)
        relay.unsubscribe(3)  # while the replay of 1, 2, 3 runs
        assert wait_until(lambda: record.read_text().count('"op": "unsubscribe"') == 1, 10), record.read_text()
        time.sleep(3 * REPLAY_PACE_S)  # time enough for camera 3's turn, had it stayed in the backlog
    finally:
        relay.shutdown()
    runs: list[list[dict]] = []
    for line in record.read_text().splitlines():
        entry = json.loads(line)
        if "start" in entry:
            runs.append([])
        else:
            runs[-1].append(entry)
    assert len(runs) == 2
    assert [m["camera"] for m in runs[0] if m["op"] == "subscribe"] == [1, 2, 3]
    replayed = [m for m in runs[1] if m["op"] == "subscribe"]
    assert [m["camera"] for m in replayed] == [1, 2]
    assert replayed[1]["t"] - replayed[0]["t"] >= REPLAY_PACE_S * 0.9
    assert runs[1][-1]["op"] == "shutdown"

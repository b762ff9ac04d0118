"""Motion events: one PullPoint subscription per camera, renewed before it expires, re-created after the
camera restarts, unsubscribed at exit. The virtual camera raises motion as Hikvision and Axis do."""

from __future__ import annotations

import gc
import logging
import threading
import time

import pytest

from camdesk.models.onvif import CameraEvent, EventKind
from tests.onvif.conftest import PASSWORD, USER

pytestmark = pytest.mark.timeout(90)
CAM = 3


class Inbox:
    def __init__(self) -> None:
        self.events: list[CameraEvent] = []
        self.lock = threading.Lock()

    def __call__(self, event: CameraEvent) -> None:  # runs on the ONVIF thread
        with self.lock:
            self.events.append(event)

    def wait(self, cond, limit: float) -> bool:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            with self.lock:
                if cond(list(self.events)):
                    return True
            time.sleep(0.05)
        return False


def _hub_subscriptions(port: int) -> int:
    from camdesk.sim.onvif.server import OnvifServer

    servers = [o for o in gc.get_objects() if isinstance(o, OnvifServer) and o.server_address[1] == port]
    return servers[0].events.subscriptions()


def test_motion_events_arrive_and_subscription_is_renewed(onvif, sim):
    inbox = Inbox()
    onvif.register(CAM, sim.url(0), USER, PASSWORD)
    onvif.subscribe_events(CAM, inbox, ttl_s=3.0, pull_s=1.0).result(10)
    motion = lambda evs: [e for e in evs if e.kind is EventKind.MOTION]  # noqa: E731
    assert inbox.wait(lambda evs: motion(evs), 10), "no motion event (not even the initial state)"
    # the scene's car enters and leaves the motion region every 4 s
    assert inbox.wait(lambda evs: {e.active for e in motion(evs)} == {True, False}, 12)
    first = motion(inbox.events)[0]
    assert first.camera_id == CAM
    assert "Motion" in first.topic
    assert abs(first.time - time.time()) < 60
    assert inbox.wait(lambda _: onvif.event_stats(CAM)[1] >= 1, 6), "subscription never renewed"
    assert onvif.event_stats(CAM)[0] == 1  # renewed, not re-created
    onvif.unsubscribe_events(CAM).result(10)
    assert _hub_subscriptions(sim.handle.port) == 0


def test_events_resume_after_camera_restarts(onvif, sim):
    inbox = Inbox()
    onvif.register(CAM, sim.url(0), USER, PASSWORD)
    onvif.subscribe_events(CAM, inbox, ttl_s=30.0, pull_s=1.0).result(10)
    assert inbox.wait(lambda evs: len(evs) > 0, 10)
    sim.cameras[0].faults.go_down(2.0)
    time.sleep(2.5)
    with inbox.lock:
        seen = len(inbox.events)
    assert inbox.wait(lambda evs: len(evs) > seen, 20), "no events after the camera came back"
    assert onvif.event_stats(CAM)[0] >= 2  # a fresh subscription


def test_exit_unsubscribes(onvif, sim):
    inbox = Inbox()
    onvif.register(CAM, sim.url(0), USER, PASSWORD)
    onvif.subscribe_events(CAM, inbox, ttl_s=30.0, pull_s=1.0).result(10)
    assert inbox.wait(lambda evs: len(evs) > 0, 10)
    assert _hub_subscriptions(sim.handle.port) == 1
    onvif.shutdown()
    assert _hub_subscriptions(sim.handle.port) == 0


def test_broken_xml_in_pulled_events_is_survived_and_events_resume(onvif, sim, caplog):
    """PullMessages is parsed by hand (not by zeep): a camera answering with broken XML costs the
    subscription (re-created with backoff), never the ONVIF thread, and events come back."""
    caplog.set_level(logging.INFO, logger="camdesk.onvif")
    inbox = Inbox()
    onvif.register(CAM, sim.url(0), USER, PASSWORD)
    onvif.subscribe_events(CAM, inbox, ttl_s=30.0, pull_s=1.0).result(10)
    assert inbox.wait(lambda evs: len(evs) > 0, 10)
    faults = sim.cameras[0].faults
    faults.set_onvif_malformed(True)
    try:
        time.sleep(2.5)  # at least one pull (1 s long-poll) meets the broken reply
    finally:
        faults.set_onvif_malformed(False)
    with inbox.lock:
        seen = len(inbox.events)
    assert inbox.wait(lambda evs: len(evs) > seen, 20), "no events after the camera's XML was fixed"
    assert onvif.event_stats(CAM)[0] >= 2  # the broken pull ended that subscription; a new one works
    assert "re-subscribing" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text  # no unexpected error


def test_a_wrong_password_is_one_warning_and_a_slow_retry(onvif, sim, caplog):
    """Not a traceback every 2 s: one warning, and the next try 45 s later (cameras lock accounts)."""
    caplog.set_level(logging.INFO, logger="camdesk.onvif")
    onvif.register(CAM, sim.url(0), USER, "wrong-pass-55")
    onvif.subscribe_events(CAM, Inbox(), ttl_s=30.0, pull_s=1.0).result(10)
    warned = lambda: [r for r in caplog.records if "wrong user name or password" in r.getMessage()]  # noqa: E731
    end = time.monotonic() + 10
    while not warned() and time.monotonic() < end:
        time.sleep(0.05)
    assert len(warned()) == 1 and warned()[0].levelno == logging.WARNING
    time.sleep(4)  # the old loop tried again (and logged a traceback) every 2 s
    assert len(warned()) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "wrong-pass-55" not in caplog.text
    assert onvif.event_stats(CAM) == (0, 0, 0)


def test_registering_a_camera_again_keeps_one_subscription_and_its_events(onvif, sim):
    """New credentials for a subscribed camera: the old events loop ends and one starts on the new
    session (before, both ran and every event came twice)."""
    inbox = Inbox()
    onvif.register(CAM, sim.url(0), USER, PASSWORD)
    onvif.subscribe_events(CAM, inbox, ttl_s=30.0, pull_s=1.0).result(10)
    assert inbox.wait(lambda evs: len(evs) > 0, 10)
    onvif.register(CAM, sim.url(0), USER, PASSWORD)
    onvif.subscribe_events(CAM, inbox, ttl_s=30.0, pull_s=1.0).result(10)  # as a caller would: no second loop
    with inbox.lock:
        seen = len(inbox.events)
    assert inbox.wait(lambda evs: len(evs) > seen, 20), "no events after registering again"
    most = 0
    for _ in range(60):  # the old loop would come back to life on the new session within a few seconds
        most = max(most, _hub_subscriptions(sim.handle.port))
        time.sleep(0.1)
    assert most == 1
    with inbox.lock:
        later = [(e.time, e.topic, e.active) for e in inbox.events[seen:]]
    assert len(later) == len(set(later)), "an event came twice"

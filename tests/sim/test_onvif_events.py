"""PullPoint motion events of the virtual camera: they follow the scene's motion region, long-polls wait
for them (and no longer than asked), subscriptions renew, end and expire."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from camdesk.sim.onvif import OnvifHandle, start_onvif
from camdesk.sim.scene import Scene
from camdesk.sim.spec import CameraSpec, SimCamera
from tests.sim.onvif_soap_client import Reply, call

pytestmark = pytest.mark.timeout(60)
PERIOD = 2.0  # seconds of the scene's motion cycle, short so changes come quickly


@pytest.fixture(scope="module")
def sim() -> Iterator[tuple[OnvifHandle, SimCamera, Scene]]:
    cam = SimCamera(CameraSpec(index=2, name="Cho Ben Thanh"))
    scene = Scene(cam.spec, period=PERIOD)
    handle = start_onvif([cam], "127.0.0.1", 0, lambda c, s: f"rtsp://127.0.0.1:554/{c.spec.slug}/{s}",
                         {cam.spec.index: scene}, discovery=False)
    yield handle, cam, scene
    handle.stop()


def events_url(handle: OnvifHandle, cam: SimCamera) -> str:
    return handle.device_url(cam).replace("device_service", "events_service")


def subscribe(handle: OnvifHandle, cam: SimCamera, termination: str = "PT60S") -> str:
    reply = call(events_url(handle, cam), "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>"
                 f"{termination}</tev:InitialTerminationTime></tev:CreatePullPointSubscription>")
    assert reply.status == 200, reply.body
    return reply.text(".//tev:SubscriptionReference/wsa:Address")


def pull(address: str, timeout: str = "PT1S", limit: int = 10) -> Reply:
    return call(address, f"<tev:PullMessages><tev:Timeout>{timeout}</tev:Timeout>"
                f"<tev:MessageLimit>{limit}</tev:MessageLimit></tev:PullMessages>", timeout=15)


def motion(reply: Reply) -> list[tuple[str, str, str, str, float]]:
    """(topic, property operation, data item, value, UtcTime) of each message."""
    out = []
    for message in reply.findall(".//wsnt:NotificationMessage"):
        topic = message.find("wsnt:Topic", {"wsnt": "http://docs.oasis-open.org/wsn/b-2"}).text or ""
        inner = message.find(".//{http://www.onvif.org/ver10/schema}Message")
        item = inner.find("{http://www.onvif.org/ver10/schema}Data/{http://www.onvif.org/ver10/schema}SimpleItem")
        utc = dt.datetime.fromisoformat(inner.get("UtcTime").replace("Z", "+00:00")).timestamp()
        out.append((topic, inner.get("PropertyOperation"), item.get("Name"), item.get("Value"), utc))
    return out


def test_motion_events_follow_the_car_in_the_motion_region(sim) -> None:
    handle, cam, scene = sim
    address = subscribe(handle, cam)
    initial = motion(pull(address))
    state = "true" if scene.motion_in_region(initial[0][4] + 0.001) else "false"
    assert [m[:4] for m in initial] == [
        ("tns1:RuleEngine/CellMotionDetector/Motion", "Initialized", "IsMotion", state),
        ("tns1:VideoSource/MotionAlarm", "Initialized", "State", state),
    ]
    seen: list[str] = []
    deadline = time.monotonic() + 3 * PERIOD
    while len(seen) < 2 and time.monotonic() < deadline:
        for topic, operation, _, value, utc in motion(pull(address, "PT2S")):
            if topic.endswith("CellMotionDetector/Motion"):
                assert operation == "Changed"
                seen.append(value)
                # The event's time says when it was sampled (truncated to the millisecond): the picture
                # agrees at that instant.
                assert value == ("true" if scene.motion_in_region(utc + 0.001) else "false")
    assert len(seen) >= 2, "expected motion to start and stop within three periods"
    assert seen[0] != state and seen[1] == state  # it toggles, never repeats


def test_long_poll_returns_empty_after_its_timeout(sim) -> None:
    handle, cam, scene = sim
    address = subscribe(handle, cam)
    pull(address)  # the Initialized messages
    # Wait until just after a change, so the next one is about a period away.
    state = scene.motion_in_region(time.time())
    while scene.motion_in_region(time.time()) == state:
        time.sleep(0.02)
    pull(address, "PT0.5S")
    started = time.monotonic()
    reply = pull(address, "PT0.5S")
    elapsed = time.monotonic() - started
    assert reply.status == 200
    assert motion(reply) == [] and 0.4 <= elapsed < 5


def test_subscription_expires_renews_and_unsubscribes(sim) -> None:
    handle, cam, _ = sim
    short = subscribe(handle, cam, "PT1S")
    assert pull(short, "PT0S").status == 200
    time.sleep(1.5)
    gone = pull(short, "PT0S")
    assert gone.status == 400 and gone.fault_subcodes == ["wsrf-rw:ResourceUnknownFault"]

    address = subscribe(handle, cam, "PT1S")
    renewed = call(address, "<wsnt:Renew><wsnt:TerminationTime>PT30S</wsnt:TerminationTime></wsnt:Renew>")
    assert renewed.status == 200
    time.sleep(1.5)
    assert pull(address, "PT0S").status == 200  # renewed past its first termination time
    assert call(address, "<wsnt:Unsubscribe/>").status == 200
    assert pull(address, "PT0S").fault_subcodes == ["wsrf-rw:ResourceUnknownFault"]


def test_event_properties_list_both_motion_topics(sim) -> None:
    handle, cam, _ = sim
    reply = call(events_url(handle, cam), "<tev:GetEventProperties/>")
    topics = reply.find(".//{http://docs.oasis-open.org/wsn/t-1}TopicSet")
    assert topics is not None
    names = {el.tag.split("}")[-1] for el in topics.iter()}
    assert {"RuleEngine", "CellMotionDetector", "Motion", "VideoSource", "MotionAlarm"} <= names

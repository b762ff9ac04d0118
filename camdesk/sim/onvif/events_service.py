"""ONVIF Events service (ver10 events/wsdl) with PullPoint subscriptions and motion events shaped as
Hikvision and Axis send them.

One sampler thread watches ``Scene.motion_in_region(time.time())`` of every camera that has a live
subscription (10 times a second) and queues two messages per change:
``tns1:RuleEngine/CellMotionDetector/Motion`` (``IsMotion``) and ``tns1:VideoSource/MotionAlarm``
(``State``). A new subscription first receives both with ``PropertyOperation="Initialized"``.
Termination times are kept on the camera's clock (which may be offset), as a real camera does.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Container
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from camdesk.sim.onvif.context import VIDEO_SOURCE, VIDEO_SOURCE_CONFIG, Call
from camdesk.sim.onvif.soap import (
    SoapFault,
    action_not_supported,
    iso,
    number,
    parse_duration,
    parse_time_or_duration,
    text,
    x,
)
from camdesk.sim.spec import SimCamera

if TYPE_CHECKING:
    from camdesk.sim.scene import Scene

log = logging.getLogger(__name__)

DEFAULT_TERMINATION = 60.0  # seconds, when CreatePullPointSubscription names none
MAX_TERMINATION = 24 * 3600.0
MAX_PULL_WAIT = 60.0  # a PullMessages long-poll never holds a server thread longer than this
MAX_QUEUE = 1000  # messages kept per subscription when nobody pulls (oldest dropped)
SAMPLE_INTERVAL = 0.1
MOTION_TOPIC = "tns1:RuleEngine/CellMotionDetector/Motion"
ALARM_TOPIC = "tns1:VideoSource/MotionAlarm"
_DIALECT = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"


def motion_messages(camera_time: float, moving: bool, operation: str) -> list[str]:
    """The two notification messages a camera sends when motion starts or stops."""
    value = "true" if moving else "false"
    when = iso(camera_time, millis=True)
    return [
        f'<wsnt:NotificationMessage><wsnt:Topic Dialect="{_DIALECT}">{MOTION_TOPIC}</wsnt:Topic>'
        f'<wsnt:Message><tt:Message UtcTime="{when}" PropertyOperation="{operation}"><tt:Source>'
        f'<tt:SimpleItem Name="VideoSourceConfigurationToken" Value="{VIDEO_SOURCE_CONFIG}"/>'
        '<tt:SimpleItem Name="VideoAnalyticsConfigurationToken" Value="VideoAnalyticsConfig_1"/>'
        '<tt:SimpleItem Name="Rule" Value="MyMotionDetectorRule"/></tt:Source>'
        f'<tt:Data><tt:SimpleItem Name="IsMotion" Value="{value}"/></tt:Data></tt:Message></wsnt:Message>'
        "</wsnt:NotificationMessage>",
        f'<wsnt:NotificationMessage><wsnt:Topic Dialect="{_DIALECT}">{ALARM_TOPIC}</wsnt:Topic>'
        f'<wsnt:Message><tt:Message UtcTime="{when}" PropertyOperation="{operation}"><tt:Source>'
        f'<tt:SimpleItem Name="Source" Value="{VIDEO_SOURCE}"/></tt:Source>'
        f'<tt:Data><tt:SimpleItem Name="State" Value="{value}"/></tt:Data></tt:Message></wsnt:Message>'
        "</wsnt:NotificationMessage>",
    ]


@dataclass
class Subscription:
    id: str
    cam: SimCamera
    expires: float  # on the camera's clock (epoch seconds)
    queue: list[str] = field(default_factory=list)

    def expired(self) -> bool:
        return self.cam.faults.camera_time() > self.expires


class EventHub:
    """PullPoint subscriptions of all cameras and the motion sampler that feeds them (thread-safe)."""

    def __init__(self, scenes: dict[int, Scene]) -> None:
        self._scenes = scenes
        self._subs: dict[str, Subscription] = {}
        self._motion: dict[int, bool] = {}  # last sampled state per camera index
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="onvif-events", daemon=True)
        self._thread.start()

    # --- subscription lifecycle ---------------------------------------------------------------------
    def create(self, cam: SimCamera, expires: float) -> Subscription:
        """A new subscription, whose queue starts with the current motion state ("Initialized")."""
        sub = Subscription(secrets.token_hex(8), cam, expires)
        scene = self._scenes.get(cam.spec.index)
        with self._cond:
            if scene is not None:
                now = time.time()
                self._record(cam, scene.motion_in_region(now), now)  # tells older subscriptions of a change
                sub.queue.extend(motion_messages(now + cam.faults.clock_offset, self._motion[cam.spec.index],
                                                 "Initialized"))
            self._subs[sub.id] = sub
        return sub

    def get(self, cam: SimCamera, sub_id: str) -> Subscription:
        with self._cond:
            sub = self._subs.get(sub_id)
            if sub is not None and sub.expired():
                del self._subs[sub_id]
                sub = None
        if sub is None or sub.cam is not cam:
            raise SoapFault("Sender", ("wsrf-rw:ResourceUnknownFault",), "The subscription does not exist")
        return sub

    def remove(self, sub: Subscription) -> None:
        with self._cond:
            self._subs.pop(sub.id, None)
            self._forget_unwatched({s.cam.spec.index for s in self._subs.values()})
            self._cond.notify_all()

    def _forget_unwatched(self, watched: Container[int]) -> None:
        """Drop the last sampled state of cameras nobody subscribes to (it goes stale unsampled).
        Call with the lock held."""
        for index in [i for i in self._motion if i not in watched]:
            del self._motion[index]

    def pull(self, sub: Subscription, wait: float, limit: int) -> list[str]:
        """Messages for ``sub``, waiting up to ``wait`` seconds (bounded) for the first one."""
        deadline = time.monotonic() + min(max(wait, 0.0), MAX_PULL_WAIT)
        with self._cond:
            while not sub.queue and not self._stopped and sub.id in self._subs:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            taken, sub.queue[:] = sub.queue[:limit], sub.queue[limit:]
            return taken

    def synchronize(self, sub: Subscription) -> None:
        """Queue the current motion state again (SetSynchronizationPoint)."""
        scene = self._scenes.get(sub.cam.spec.index)
        if scene is None:
            return
        moving = scene.motion_in_region(time.time())
        with self._cond:
            sub.queue.extend(motion_messages(sub.cam.faults.camera_time(), moving, "Initialized"))
            self._cond.notify_all()

    def subscriptions(self) -> int:
        with self._cond:
            return len(self._subs)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        self._thread.join(timeout=2.0)

    # --- sampler thread -----------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stopped:
                    return
                for sub_id in [s.id for s in self._subs.values() if s.expired()]:
                    del self._subs[sub_id]
                watched = {s.cam.spec.index: s.cam for s in self._subs.values()}
                self._forget_unwatched(watched)
            try:
                self._sample(watched)
            except Exception:
                log.exception("motion sampling failed")
            with self._cond:
                if self._stopped:
                    return
                self._cond.wait(SAMPLE_INTERVAL)

    def _sample(self, watched: dict[int, SimCamera]) -> None:
        for index, cam in watched.items():
            scene = self._scenes.get(index)
            if scene is None:
                continue
            now = time.time()
            moving = scene.motion_in_region(now)
            with self._cond:
                self._record(cam, moving, now)

    def _record(self, cam: SimCamera, moving: bool, now: float) -> None:
        """Store a sampled state; on a change, queue "Changed" messages for the camera's subscribers.
        Call with the lock held."""
        index = cam.spec.index
        previous = self._motion.get(index)
        self._motion[index] = moving
        if previous is None or previous == moving:
            return
        # Stamped with the sampling instant on the camera's clock, so UtcTime matches the picture.
        messages = motion_messages(now + cam.faults.clock_offset, moving, "Changed")
        for sub in self._subs.values():
            if sub.cam is cam:
                sub.queue.extend(messages)
                del sub.queue[:-MAX_QUEUE]
        self._cond.notify_all()


# --- SOAP operations ------------------------------------------------------------------------------------
_EVENT_PROPERTIES = (
    "<tev:GetEventPropertiesResponse>"
    "<tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>"
    "<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>"
    "<wstop:TopicSet>"
    '<tns1:RuleEngine wstop:topic="false"><CellMotionDetector wstop:topic="false"><Motion wstop:topic="true">'
    '<tt:MessageDescription IsProperty="true"><tt:Source>'
    '<tt:SimpleItemDescription Name="VideoSourceConfigurationToken" Type="tt:ReferenceToken"/>'
    '<tt:SimpleItemDescription Name="VideoAnalyticsConfigurationToken" Type="tt:ReferenceToken"/>'
    '<tt:SimpleItemDescription Name="Rule" Type="xs:string"/></tt:Source>'
    '<tt:Data><tt:SimpleItemDescription Name="IsMotion" Type="xs:boolean"/></tt:Data>'
    "</tt:MessageDescription></Motion></CellMotionDetector></tns1:RuleEngine>"
    '<tns1:VideoSource wstop:topic="false"><MotionAlarm wstop:topic="true">'
    '<tt:MessageDescription IsProperty="true"><tt:Source>'
    '<tt:SimpleItemDescription Name="Source" Type="tt:ReferenceToken"/></tt:Source>'
    '<tt:Data><tt:SimpleItemDescription Name="State" Type="xs:boolean"/></tt:Data>'
    "</tt:MessageDescription></MotionAlarm></tns1:VideoSource>"
    "</wstop:TopicSet>"
    "<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
    "</wsnt:TopicExpressionDialect>"
    "<wsnt:TopicExpressionDialect>http://docs.oasis-open.org/wsnt/t-1/TopicExpression/ConcreteSet"
    "</wsnt:TopicExpressionDialect>"
    "<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"
    "</tev:MessageContentFilterDialect>"
    "<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd"
    "</tev:MessageContentSchemaLocation>"
    "</tev:GetEventPropertiesResponse>"
)


def _termination(value: str, now: float) -> float:
    expires = parse_time_or_duration(value, now) if value else now + DEFAULT_TERMINATION
    if expires <= now:
        raise SoapFault("Sender", ("wsntw:UnacceptableInitialTerminationTimeFault",),
                        "The termination time is in the past")
    return min(expires, now + MAX_TERMINATION)


def handle(call: Call) -> str:
    """The events service proper (``events_service``)."""
    op = call.request.name
    if op == "GetEventProperties":
        return _EVENT_PROPERTIES
    if op == "CreatePullPointSubscription":
        now = call.cam.faults.camera_time()
        expires = _termination(text(call.request.operation, "InitialTerminationTime"), now)
        sub = call.events.create(call.cam, expires)
        address = f"{call.service_url('events')}/pullpoint/{sub.id}"
        return (
            "<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>"
            f"<wsa:Address>{x(address)}</wsa:Address></tev:SubscriptionReference>"
            f"<wsnt:CurrentTime>{iso(now)}</wsnt:CurrentTime><wsnt:TerminationTime>{iso(expires)}"
            "</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>"
        )
    if op == "GetServiceCapabilities":
        return (
            '<tev:GetServiceCapabilitiesResponse><tev:Capabilities WSSubscriptionPolicySupport="false" '
            'WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false" '
            'MaxNotificationProducers="0" MaxPullPoints="100"/></tev:GetServiceCapabilitiesResponse>'
        )
    raise action_not_supported(op)


def handle_subscription(call: Call, sub_id: str) -> str:
    """A PullPoint subscription's own address: PullMessages, Renew, Unsubscribe, SetSynchronizationPoint."""
    op = call.request.name
    sub = call.events.get(call.cam, sub_id)
    req = call.request.operation
    if op == "PullMessages":
        timeout_text = text(req, "Timeout")
        wait = parse_duration(timeout_text) if timeout_text else 0.0
        limit = max(1, int(number(text(req, "MessageLimit"), 100)))
        messages = call.events.pull(sub, wait, limit)
        now = call.cam.faults.camera_time()
        return (
            f"<tev:PullMessagesResponse><tev:CurrentTime>{iso(now)}</tev:CurrentTime>"
            f"<tev:TerminationTime>{iso(sub.expires)}</tev:TerminationTime>{''.join(messages)}"
            "</tev:PullMessagesResponse>"
        )
    if op == "Renew":
        now = call.cam.faults.camera_time()
        sub.expires = _termination(text(req, "TerminationTime"), now)
        return (
            f"<wsnt:RenewResponse><wsnt:TerminationTime>{iso(sub.expires)}</wsnt:TerminationTime>"
            f"<wsnt:CurrentTime>{iso(now)}</wsnt:CurrentTime></wsnt:RenewResponse>"
        )
    if op == "Unsubscribe":
        call.events.remove(sub)
        return "<wsnt:UnsubscribeResponse/>"
    if op == "SetSynchronizationPoint":
        call.events.synchronize(sub)
        return "<tev:SetSynchronizationPointResponse/>"
    raise action_not_supported(op)

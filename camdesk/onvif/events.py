"""Motion (and other) events through one ONVIF PullPoint subscription per camera. Loop thread only.

We run the subscription ourselves instead of the library's PullPointManager, whose renewal interval is
at least 48 s and whose restart path is hidden: here the renewal follows the subscription's lifetime, and
a failed pull (camera restarted, subscription gone) leads to a fresh subscription with backoff.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from camdesk.errors import AuthFailed, CamdeskError, ProtocolError
from camdesk.logs import scrub
from camdesk.models.onvif import CameraEvent, EventKind
from camdesk.onvif import soap
from camdesk.onvif.client import NS_EVENTS, OnvifDevice, strip_userinfo

log = logging.getLogger(__name__)
_SUB_KEY = NS_EVENTS + "/PullPointSubscription"
_PULL_ACTION = NS_EVENTS + "/PullPointSubscription/PullMessagesRequest"
_WSA = "http://www.w3.org/2005/08/addressing"
_ACTIVE_ITEMS = ("IsMotion", "State", "Value", "IsActive", "Active")


def _local(tag: Any) -> str:
    s = str(tag)
    return s.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _simple_items(node: Any) -> list[tuple[str, str]]:
    """SimpleItem (Name, Value) pairs of a zeep object or an lxml element."""
    if node is None:
        return []
    if hasattr(node, "iter") and hasattr(node, "tag"):  # lxml element
        return [(str(e.get("Name", "")), str(e.get("Value", ""))) for e in node.iter()
                if isinstance(e.tag, str) and _local(e.tag) == "SimpleItem"]
    items = getattr(node, "SimpleItem", None) or []
    return [(str(getattr(i, "Name", "")), str(getattr(i, "Value", ""))) for i in items]


def _message_parts(message: Any) -> tuple[dt.datetime | None, list[tuple[str, str]], list[tuple[str, str]]]:
    """(UtcTime, Source items, Data items) from a tt:Message, zeep object or raw element."""
    if hasattr(message, "tag"):
        utc = message.get("UtcTime")
        source = next((c for c in message if isinstance(c.tag, str) and _local(c.tag) == "Source"), None)
        data = next((c for c in message if isinstance(c.tag, str) and _local(c.tag) == "Data"), None)
        when = _parse_time(utc)
        return when, _simple_items(source), _simple_items(data)
    utc = getattr(message, "UtcTime", None)
    when = utc if isinstance(utc, dt.datetime) else _parse_time(utc)
    return when, _simple_items(getattr(message, "Source", None)), _simple_items(getattr(message, "Data", None))


def _parse_time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def to_event(camera_id: int, notification: Any, offset_s: float) -> CameraEvent | None:
    """One NotificationMessage (an lxml element, or zeep's object) as a CameraEvent (device time
    converted to ours); None if unusable."""
    if hasattr(notification, "tag"):
        topic = soap.text(soap.child(notification, "Topic"))
        message = soap.child(notification, "Message", "Message")
    else:
        topic_node = getattr(notification, "Topic", None)
        topic = str(getattr(topic_node, "_value_1", "") or "").strip()
        wrapper = getattr(notification, "Message", None)
        message = getattr(wrapper, "_value_1", None) if wrapper is not None else None
    if not topic or message is None:
        return None
    when, source, data = _message_parts(message)
    stamp = (when.timestamp() - offset_s) if when is not None else time.time()
    values = dict(data)
    active_text = next((values[k] for k in _ACTIVE_ITEMS if k in values), "")
    kind = EventKind.MOTION if "motion" in topic.lower() else EventKind.OTHER
    return CameraEvent(
        camera_id=camera_id,
        time=stamp,
        kind=kind,
        topic=topic,
        active=active_text.strip().lower() in ("true", "1", "active"),
        source=",".join(v for _, v in source),
        data=tuple(data),
    )


class PullPoint:
    """A self-healing PullPoint subscription that delivers events to ``on_event`` (called on the loop
    thread; it must hand work to its own thread and return at once)."""

    def __init__(self, device: OnvifDevice, camera_id: int, on_event: Callable[[CameraEvent], None],
                 ttl_s: float = 60.0, pull_s: float = 2.0) -> None:
        self.device = device
        self.camera_id = camera_id
        self.on_event = on_event
        self.ttl_s = max(2.0, ttl_s)
        self.pull_s = max(1.0, pull_s)
        self.subscriptions = 0  # how many subscriptions were created (1 + re-creations)
        self.renewals = 0
        self.delivered = 0
        self._active = False
        self._address = ""

    async def run(self, stop: asyncio.Event) -> None:
        """Subscribe, pull, renew and re-subscribe until ``stop`` is set; then unsubscribe (bounded)."""
        backoff = 1.0
        while not stop.is_set():
            try:
                await self._subscribe()
                backoff = 1.0
                await self._pull_until(stop)
            except AuthFailed:
                raise  # the password changed: the caller retries slowly (cameras lock accounts)
            except (CamdeskError, TimeoutError) as exc:
                log.info("camera %s events: %s; re-subscribing in %.0f s", self.camera_id, exc, backoff)
            finally:
                if self._active:
                    await self._unsubscribe()
            try:
                await asyncio.wait_for(stop.wait(), backoff)
            except TimeoutError:
                backoff = min(backoff * 2, 10.0)

    async def _subscribe(self) -> None:
        reply = await asyncio.wait_for(self.device.call("events", "CreatePullPointSubscription", {
            "InitialTerminationTime": f"PT{int(self.ttl_s)}S",
        }), 10)
        reference = getattr(reply, "SubscriptionReference", None)
        address = str(getattr(getattr(reference, "Address", None), "_value_1", "") or "").strip()
        if not address:  # a broken reply (zeep leaves what it could not read as None)
            raise ProtocolError("the camera's event subscription has no address")
        self.device.set_xaddr(_SUB_KEY, address)
        self._address = address
        self.subscriptions += 1
        self._active = True
        log.info("camera %s: PullPoint at %s", self.camera_id, scrub(strip_userinfo(address)))

    async def _pull_until(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        renew_at = loop.time() + self.ttl_s * 0.6
        while not stop.is_set():
            if loop.time() >= renew_at:
                await asyncio.wait_for(self.device.call_port(
                    "subscription", "PullPointSubscription", "Renew",
                    {"TerminationTime": f"PT{int(self.ttl_s)}S"}), 10)
                self.renewals += 1
                renew_at = loop.time() + self.ttl_s * 0.6
            pull = self._pull()
            stopper = asyncio.ensure_future(stop.wait())
            puller = asyncio.ensure_future(asyncio.wait_for(pull, self.pull_s + 5))
            done, _ = await asyncio.wait({stopper, puller}, return_when=asyncio.FIRST_COMPLETED)
            if puller not in done:
                puller.cancel()
                return
            stopper.cancel()
            for note in puller.result():
                event = to_event(self.camera_id, note, self.device.time_offset_s)
                if event is not None:
                    self.delivered += 1
                    self.on_event(event)

    async def _pull(self) -> list[Any]:
        """PullMessages, sent and parsed by hand (``soap.py``): the NotificationMessage elements.

        zeep turned every reply into objects on the ONVIF thread, holding Python's GIL for a few
        milliseconds each time; with 64 cameras (20-30 events a second) that cost the video wall 3-6% of
        its frames (docs/readme/wall-bench.md). The WS-Addressing headers are the ones the library's
        plugin added (Action, MessageID, To: the subscription), for cameras that need them."""
        header = (f'<wsa:Action xmlns:wsa="{_WSA}">{_PULL_ACTION}</wsa:Action>'
                  f'<wsa:MessageID xmlns:wsa="{_WSA}">urn:uuid:{uuid.uuid4()}</wsa:MessageID>'
                  f'<wsa:To xmlns:wsa="{_WSA}">{escape(self._address)}</wsa:To>')
        body = (f'<tev:PullMessages xmlns:tev="{NS_EVENTS}"><tev:Timeout>PT{int(self.pull_s)}S</tev:Timeout>'
                "<tev:MessageLimit>32</tev:MessageLimit></tev:PullMessages>")
        reply = await self.device.soap(_SUB_KEY, body, _PULL_ACTION, header=header)
        return soap.children(reply, "NotificationMessage")

    async def _unsubscribe(self) -> None:
        self._active = False
        try:
            await asyncio.wait_for(self.device.call_port(
                "subscription", "PullPointSubscription", "Unsubscribe", None), 2)
        except (CamdeskError, TimeoutError) as exc:
            log.debug("camera %s: unsubscribe failed: %s", self.camera_id, exc)

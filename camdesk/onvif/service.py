"""The ONVIF facade the UI uses. Every method returns at once with a ``concurrent.futures.Future``
(deliver it to the GUI thread with :class:`camdesk.ui.bridge.GuiBridge`); the work runs on the single
ONVIF loop thread, each call bounded by a timeout (default 5 s).

Saved cameras are made known with :meth:`OnvifService.register` (credentials stay in memory); the first
PTZ or events call connects, later calls reuse the session, and a network failure drops it so the next
call reconnects.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from camdesk.errors import AuthFailed, CameraTimeout, CameraUnreachable, Unsupported
from camdesk.logs import scrub
from camdesk.models.onvif import (
    CameraEvent,
    DeviceProbe,
    DiscoveredDevice,
    PtzCapabilities,
    PtzPosition,
    PtzPreset,
    PtzTour,
)
from camdesk.onvif import discovery, events, profiles, ptz, safe_xml, snapshot
from camdesk.onvif.client import OnvifDevice
from camdesk.onvif.errors import NotRegistered
from camdesk.onvif.loop import DEFAULT_TIMEOUT, OnvifLoop

log = logging.getLogger(__name__)
T = TypeVar("T")
EVENTS_AUTH_RETRY_S = 45.0  # after a wrong password, as the video engine: cameras lock accounts after a few
# A login on the LAN takes well under a second; closing a session waits this long for one in progress
# (then cancels it). With PTZ Stop's 2 s it stays within shutdown's 6 s clean-up.
LOGIN_FINISH_S = 3.0


@dataclass
class _Session:
    url: str
    user: str
    password: str = field(repr=False)
    ptz_token: str = ""
    device: OnvifDevice | None = None
    ptz: ptz.Ptz | None = None
    lock: asyncio.Lock | None = None
    moving: bool = False  # a ContinuousMove was sent and no Stop since
    tour: asyncio.Event | None = None  # set to end the running tour
    events_stop: asyncio.Event | None = None
    events_task: asyncio.Task[None] | None = None
    events_args: tuple[Callable[[CameraEvent], None], float, float] | None = None  # on_event, ttl_s, pull_s
    pullpoint: events.PullPoint | None = None


class OnvifService:
    """Discovery, login tests, PTZ, tours and events for every camera, on one loop thread."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, loop: OnvifLoop | None = None) -> None:
        safe_xml.harden_library()
        self.timeout = timeout
        self._loop = loop or OnvifLoop()
        self._sessions: dict[int, _Session] = {}  # touched only on the loop thread, except register()

    # --- plumbing --------------------------------------------------------------------------------
    def _submit(self, coro: Coroutine[Any, Any, T], timeout: float | None = -1.0) -> concurrent.futures.Future[T]:
        return self._loop.submit(coro, self.timeout if timeout == -1.0 else timeout)

    async def _session(self, camera_id: int) -> _Session:
        s = self._sessions.get(camera_id)
        if s is None:
            raise NotRegistered(f"camera {camera_id} is not registered for ONVIF")
        if s.lock is None:
            s.lock = asyncio.Lock()
        async with s.lock:
            if s.device is None:
                s.device = await OnvifDevice.connect(s.url, s.user, s.password)
                caps = await profiles.read_ptz_capabilities(s.device) if s.device.offers("ptz") else PtzCapabilities()
                token = s.ptz_token
                if not token and caps.any:
                    probe = await profiles.probe(s.device)
                    token = next((c.ptz_profile_token for c in probe.channels if c.ptz_profile_token), "")
                s.ptz = ptz.Ptz(s.device, token, caps) if token else None
        return s

    async def _ptz(self, camera_id: int) -> tuple[_Session, ptz.Ptz]:
        s = await self._session(camera_id)
        if s.ptz is None:
            raise Unsupported("PTZ")
        return s, s.ptz

    async def _guard(self, camera_id: int, coro: Coroutine[Any, Any, T]) -> T:
        """Run a device call; drop the session on network failures so the next call reconnects."""
        try:
            return await coro
        except (CameraUnreachable, CameraTimeout, asyncio.CancelledError):
            s = self._sessions.get(camera_id)
            if s is not None and s.device is not None:
                device, s.device, s.ptz = s.device, None, None
                asyncio.get_running_loop().create_task(device.close())
            raise

    # --- discovery and adding cameras ---------------------------------------------------------------
    def discover(
        self,
        on_found: Callable[[DiscoveredDevice], None],
        unicast_targets: Sequence[str] = (),
        seconds: float = 3.0,
        multicast: bool = True,
    ) -> concurrent.futures.Future[list[DiscoveredDevice]]:
        """Probe the network; ``on_found`` runs on the ONVIF thread for each device as it answers.
        ``unicast_targets``: addresses, ``a-b`` ranges or CIDR networks (bad ones fail the Future)."""
        try:
            targets = [t for text in unicast_targets for t in discovery.parse_targets(text)]
        except ValueError as exc:
            failed: concurrent.futures.Future[list[DiscoveredDevice]] = concurrent.futures.Future()
            failed.set_exception(exc)
            return failed
        return self._submit(discovery.discover(on_found, targets, seconds, multicast), seconds + self.timeout)

    def probe(self, address: str, user: str, password: str,
              timeout: float | None = None) -> concurrent.futures.Future[DeviceProbe]:
        """Test the login and read everything needed to add the device (profiles, snapshot, PTZ,
        channels). Fails with CameraUnreachable, NotOnvifDevice, AuthFailed, CameraTimeout,
        HostileReply or ProtocolError. Nothing is kept."""

        async def run() -> DeviceProbe:
            device = await OnvifDevice.connect(address, user, password)
            try:
                return await profiles.probe(device)
            finally:
                await asyncio.shield(device.close())

        return self._submit(run(), timeout or 2 * self.timeout)

    def snapshot(self, uri: str, user: str, password: str) -> concurrent.futures.Future[bytes]:
        """A JPEG snapshot from ``uri`` (HTTP Digest, else Basic). Fails with AuthFailed,
        CameraUnreachable, CameraTimeout or ProtocolError."""
        return self._submit(snapshot.fetch_snapshot(uri, user, password), 2 * self.timeout)

    # --- saved cameras -------------------------------------------------------------------------------
    def register(self, camera_id: int, onvif_url: str, user: str, password: str, ptz_profile_token: str = "") -> None:
        """Make a saved camera known (or update it). Its session is (re)opened on the next call."""

        async def run() -> None:
            old = self._sessions.get(camera_id)
            self._sessions[camera_id] = _Session(onvif_url, user, password, ptz_profile_token)
            if old is None:
                return
            running = old.events_task is not None and not old.events_task.done()
            await self._stop_events(old)  # else its loop would go on beside the new session's
            await self._login_done(old)
            if old.device is not None:
                await old.device.close()
            if running and old.events_args is not None:
                self._start_events(camera_id, *old.events_args)

        self._submit(run())

    def unregister(self, camera_id: int) -> concurrent.futures.Future[None]:
        async def run() -> None:
            s = self._sessions.pop(camera_id, None)
            if s is not None:
                await self._close_session(camera_id, s)

        return self._submit(run())

    def ptz_capabilities(self, camera_id: int) -> concurrent.futures.Future[PtzCapabilities]:
        async def run() -> PtzCapabilities:
            s = await self._guard(camera_id, self._session(camera_id))
            return s.ptz.caps if s.ptz is not None else PtzCapabilities()

        return self._submit(run(), 2 * self.timeout)

    # --- PTZ: every operator command stops a running tour first ("until an operator touches PTZ") -----
    def _touch(self, camera_id: int) -> None:
        s = self._sessions.get(camera_id)
        if s is not None and s.tour is not None and not s.tour.is_set():
            log.info("camera %s: operator PTZ stops the tour", camera_id)
            s.tour.set()

    def _ptz_call(self, camera_id: int, op: Callable[[ptz.Ptz], Coroutine[Any, Any, T]],
                  touch: bool = True, moving: bool | None = None) -> concurrent.futures.Future[T]:
        async def run() -> T:
            if touch:
                self._touch(camera_id)
            s, p = await self._guard(camera_id, self._ptz(camera_id))
            if moving is not None:
                s.moving = moving
            return await self._guard(camera_id, op(p))

        return self._submit(run())

    def ptz_move(self, camera_id: int, pan: float, tilt: float, zoom: float = 0.0) -> concurrent.futures.Future[None]:
        """Start a continuous move (velocities -1..1). The caller must send :meth:`ptz_stop`."""
        return self._ptz_call(camera_id, lambda p: p.continuous_move(pan, tilt, zoom), moving=True)

    def ptz_stop(self, camera_id: int) -> concurrent.futures.Future[None]:
        return self._ptz_call(camera_id, lambda p: p.stop(), moving=False)

    def ptz_absolute(self, camera_id: int, position: PtzPosition, speed: float = 1.0) -> concurrent.futures.Future[None]:
        return self._ptz_call(camera_id, lambda p: p.absolute_move(position, speed))

    def ptz_relative(self, camera_id: int, dpan: float, dtilt: float, dzoom: float = 0.0) -> concurrent.futures.Future[None]:
        return self._ptz_call(camera_id, lambda p: p.relative_move(dpan, dtilt, dzoom))

    def ptz_position(self, camera_id: int) -> concurrent.futures.Future[PtzPosition]:
        return self._ptz_call(camera_id, lambda p: p.position(), touch=False)

    def ptz_home(self, camera_id: int) -> concurrent.futures.Future[None]:
        return self._ptz_call(camera_id, lambda p: p.home())

    def ptz_presets(self, camera_id: int) -> concurrent.futures.Future[list[PtzPreset]]:
        return self._ptz_call(camera_id, lambda p: p.presets(), touch=False)

    def ptz_goto_preset(self, camera_id: int, token: str, speed: float = 1.0) -> concurrent.futures.Future[None]:
        return self._ptz_call(camera_id, lambda p: p.goto_preset(token, speed))

    def ptz_save_preset(self, camera_id: int, name: str, token: str = "") -> concurrent.futures.Future[str]:
        """Save the current position as a new preset (or over ``token``); the Future holds its token."""
        return self._ptz_call(camera_id, lambda p: p.save_preset(name, token))

    def ptz_rename_preset(self, camera_id: int, token: str, name: str) -> concurrent.futures.Future[None]:
        return self._ptz_call(camera_id, lambda p: p.rename_preset(token, name))

    def ptz_remove_preset(self, camera_id: int, token: str) -> concurrent.futures.Future[None]:
        return self._ptz_call(camera_id, lambda p: p.remove_preset(token), touch=False)

    # --- tours -----------------------------------------------------------------------------------------
    def start_tour(self, camera_id: int, tour: PtzTour,
                   on_step: Callable[[int], None] | None = None) -> concurrent.futures.Future[int]:
        """Run ``tour`` in the background; the Future completes (with the number of stops visited) when it
        ends, is stopped, or an operator touches PTZ on this camera. ``on_step(index)`` runs on the ONVIF
        thread at each stop."""

        async def run() -> int:
            self._touch(camera_id)
            s, p = await self._guard(camera_id, self._ptz(camera_id))
            stop = asyncio.Event()
            s.tour = stop
            try:
                return await ptz.run_tour(p, tour, stop, on_step)
            finally:
                if s.tour is stop:
                    s.tour = None

        return self._submit(run(), None)

    def stop_tour(self, camera_id: int) -> concurrent.futures.Future[None]:
        async def run() -> None:
            self._touch(camera_id)

        return self._submit(run())

    def tour_running(self, camera_id: int) -> bool:
        s = self._sessions.get(camera_id)
        return s is not None and s.tour is not None and not s.tour.is_set()

    # --- events ----------------------------------------------------------------------------------------
    def subscribe_events(self, camera_id: int, on_event: Callable[[CameraEvent], None],
                         ttl_s: float = 60.0, pull_s: float = 2.0) -> concurrent.futures.Future[None]:
        """Start the camera's PullPoint subscription (renewed, re-created after restarts) until
        :meth:`unsubscribe_events` or :meth:`shutdown`. ``on_event`` runs on the ONVIF thread. The Future
        completes once the task is started (connection problems are retried in the background)."""

        async def run() -> None:
            if camera_id not in self._sessions:
                raise NotRegistered(f"camera {camera_id} is not registered for ONVIF")
            self._start_events(camera_id, on_event, ttl_s, pull_s)

        return self._submit(run())

    def _start_events(self, camera_id: int, on_event: Callable[[CameraEvent], None], ttl_s: float,
                      pull_s: float) -> None:
        """Loop thread: start the camera's events task unless it runs."""
        s = self._sessions[camera_id]
        if s.events_task is not None and not s.events_task.done():
            return
        stop = asyncio.Event()
        s.events_stop = stop
        s.events_args = (on_event, ttl_s, pull_s)

        async def worker() -> None:
            while not stop.is_set():
                wait_s = 2.0
                try:
                    session = await asyncio.wait_for(self._session(camera_id), 2 * self.timeout)
                    assert session.device is not None
                    s.pullpoint = events.PullPoint(session.device, camera_id, on_event, ttl_s, pull_s)
                    await s.pullpoint.run(stop)
                except AuthFailed:
                    wait_s = EVENTS_AUTH_RETRY_S
                    log.warning("camera %s events: wrong user name or password; trying again in %.0f s",
                                camera_id, wait_s)
                except (CameraUnreachable, CameraTimeout, TimeoutError) as exc:
                    log.info("camera %s events: %s", camera_id, scrub(str(exc)))
                    if s.device is not None:  # reconnect next round; close the old sessions
                        device, s.device, s.ptz = s.device, None, None
                        await device.close()
                except Exception:
                    log.exception("camera %s events failed", camera_id)
                try:
                    await asyncio.wait_for(stop.wait(), wait_s)
                except TimeoutError:
                    pass

        s.events_task = asyncio.get_running_loop().create_task(worker())

    def unsubscribe_events(self, camera_id: int) -> concurrent.futures.Future[None]:
        async def run() -> None:
            s = self._sessions.get(camera_id)
            if s is not None:
                await self._stop_events(s)

        return self._submit(run())

    def event_stats(self, camera_id: int) -> tuple[int, int, int]:
        """(subscriptions created, renewals, events delivered) of the current PullPoint, for diagnostics."""
        s = self._sessions.get(camera_id)
        pp = s.pullpoint if s is not None else None
        return (pp.subscriptions, pp.renewals, pp.delivered) if pp is not None else (0, 0, 0)

    async def _stop_events(self, s: _Session) -> None:
        if s.events_stop is not None:
            s.events_stop.set()
        if s.events_task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(s.events_task), 4.0)
            except TimeoutError:
                s.events_task.cancel()
        s.events_task = None

    # --- exit ----------------------------------------------------------------------------------------
    async def _login_done(self, s: _Session) -> None:
        """Wait (bounded) for a login in progress on ``s``: its HTTP sessions are known only once it ends,
        and a session closed half-way through its login leaked them (the app quitting while it logs in)."""
        if s.lock is None or not s.lock.locked():
            return
        try:
            await asyncio.wait_for(s.lock.acquire(), LOGIN_FINISH_S)
        except TimeoutError:
            log.debug("a login still runs after %s s; its session is closed as it is", LOGIN_FINISH_S)
        else:
            s.lock.release()

    async def _close_session(self, camera_id: int, s: _Session) -> None:
        await self._login_done(s)
        if s.tour is not None:
            s.tour.set()
        await self._stop_events(s)
        if s.moving and s.ptz is not None:  # "a continuous move always ends with Stop ... at exit"
            try:
                await asyncio.wait_for(s.ptz.stop(), 2.0)
            except (Exception, TimeoutError) as exc:  # noqa: BLE001 - best effort at exit, logged
                log.warning("camera %s: Stop at exit failed: %s", camera_id, exc)
        if s.device is not None:
            await s.device.close()
            s.device = None

    def shutdown(self) -> None:
        """Stop tours, send Stop to moving cameras, unsubscribe events, close sessions, stop the thread.
        Blocks up to a few seconds: call it at exit, not from a running GUI."""

        async def close_all() -> None:
            await asyncio.gather(*(self._close_session(cid, s) for cid, s in list(self._sessions.items())),
                                 return_exceptions=True)

        self._loop.stop(close_all(), timeout=6.0)

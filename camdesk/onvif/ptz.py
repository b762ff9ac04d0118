"""PTZ operations on one device, and tours. Loop thread only.

Every ``ContinuousMove`` is answered by a ``Stop`` from the caller (release, focus loss, close, exit);
as a safety net the move also carries an ONVIF ``Timeout`` so a lost Stop cannot leave a camera turning.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from camdesk.errors import CamdeskError, Unsupported
from camdesk.models.onvif import PtzCapabilities, PtzPosition, PtzPreset, PtzTour
from camdesk.onvif.client import OnvifDevice

log = logging.getLogger(__name__)
MOVE_SAFETY_TIMEOUT_S = 10  # a continuous move ends by itself after this even without Stop
TOUR_ARRIVAL_LIMIT_S = 15.0


def _clamp(v: float, lo: float = -1.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, float(v)))


class Ptz:
    """PTZ commands for one media profile of one device."""

    def __init__(self, device: OnvifDevice, profile_token: str, caps: PtzCapabilities) -> None:
        self.device = device
        self.token = profile_token
        self.caps = caps

    def _need(self, ok: bool, what: str) -> None:
        if not ok:
            raise Unsupported(what)

    async def continuous_move(self, pan: float, tilt: float, zoom: float = 0.0) -> None:
        """Start moving at the given velocities (-1..1); keeps moving until :meth:`stop`."""
        self._need(self.caps.continuous or self.caps.zoom, "continuous move")
        velocity: dict[str, Any] = {}
        if pan or tilt or not zoom:
            velocity["PanTilt"] = {"x": _clamp(pan), "y": _clamp(tilt)}
        if zoom:
            self._need(self.caps.zoom, "zoom")
            velocity["Zoom"] = {"x": _clamp(zoom)}
        await self.device.call("ptz", "ContinuousMove", {
            "ProfileToken": self.token, "Velocity": velocity, "Timeout": f"PT{MOVE_SAFETY_TIMEOUT_S}S",
        })

    async def stop(self) -> None:
        await self.device.call("ptz", "Stop", {"ProfileToken": self.token, "PanTilt": True, "Zoom": True})

    async def absolute_move(self, pos: PtzPosition, speed: float = 1.0) -> None:
        self._need(self.caps.absolute, "absolute move")
        await self.device.call("ptz", "AbsoluteMove", {
            "ProfileToken": self.token,
            "Position": {"PanTilt": {"x": _clamp(pos.pan), "y": _clamp(pos.tilt)},
                         "Zoom": {"x": _clamp(pos.zoom, 0.0)}},
            "Speed": {"PanTilt": {"x": _clamp(speed, 0.0), "y": _clamp(speed, 0.0)}, "Zoom": {"x": _clamp(speed, 0.0)}},
        })

    async def relative_move(self, dpan: float, dtilt: float, dzoom: float = 0.0) -> None:
        self._need(self.caps.relative, "relative move")
        await self.device.call("ptz", "RelativeMove", {
            "ProfileToken": self.token,
            "Translation": {"PanTilt": {"x": _clamp(dpan, -2, 2), "y": _clamp(dtilt, -2, 2)},
                            "Zoom": {"x": _clamp(dzoom)}},
        })

    async def position(self) -> PtzPosition:
        status = await self.device.call("ptz", "GetStatus", {"ProfileToken": self.token})
        pos = getattr(status, "Position", None)
        pt = getattr(pos, "PanTilt", None)
        z = getattr(pos, "Zoom", None)
        if pt is None:
            raise CamdeskError("GetStatus without a position")
        return PtzPosition(float(pt.x), float(pt.y), float(getattr(z, "x", 0.0) or 0.0))

    async def presets(self) -> list[PtzPreset]:
        self._need(self.caps.presets, "presets")
        raw = await self.device.call("ptz", "GetPresets", {"ProfileToken": self.token})
        out = []
        for p in raw or []:
            token = str(getattr(p, "token", "") or "")
            if token:
                out.append(PtzPreset(token, str(getattr(p, "Name", "") or token)))
        return out

    async def save_preset(self, name: str, token: str = "") -> str:
        """Save the current position as a preset (a new one, or ``token`` overwritten); return its token."""
        self._need(self.caps.presets, "presets")
        params: dict[str, Any] = {"ProfileToken": self.token, "PresetName": name}
        if token:
            params["PresetToken"] = token
        reply = await self.device.call("ptz", "SetPreset", params)
        return str(reply or token)

    async def rename_preset(self, token: str, name: str) -> None:
        """Rename without moving: ONVIF has no rename, and SetPreset stores the current position, so go
        there first, wait until the camera stops, then save under the same token."""
        self._need(self.caps.presets, "presets")
        await self.goto_preset(token, 1.0)
        await self.settle()
        await self.save_preset(name, token)

    async def settle(self, limit_s: float = 3.0, stop: asyncio.Event | None = None) -> None:
        """Wait (bounded, or until ``stop``) until GetStatus reports the camera idle; cameras without
        status: a short pause."""
        loop = asyncio.get_running_loop()
        end = loop.time() + limit_s
        while loop.time() < end and not (stop is not None and stop.is_set()):
            try:
                status = await self.device.call("ptz", "GetStatus", {"ProfileToken": self.token})
            except CamdeskError:
                await asyncio.sleep(0.5)
                return
            move = getattr(status, "MoveStatus", None)
            states = [str(getattr(move, k, "") or "").upper() for k in ("PanTilt", "Zoom")] if move else []
            if not any(s == "MOVING" for s in states):
                return
            await asyncio.sleep(0.1)

    async def remove_preset(self, token: str) -> None:
        self._need(self.caps.presets, "presets")
        await self.device.call("ptz", "RemovePreset", {"ProfileToken": self.token, "PresetToken": token})

    async def goto_preset(self, token: str, speed: float = 1.0) -> None:
        self._need(self.caps.presets, "presets")
        await self.device.call("ptz", "GotoPreset", {
            "ProfileToken": self.token, "PresetToken": token,
            "Speed": {"PanTilt": {"x": _clamp(speed, 0.0), "y": _clamp(speed, 0.0)}, "Zoom": {"x": _clamp(speed, 0.0)}},
        })

    async def home(self) -> None:
        self._need(self.caps.home, "home position")
        await self.device.call("ptz", "GotoHomePosition", {"ProfileToken": self.token})

    async def set_home(self) -> None:
        self._need(self.caps.home, "home position")
        await self.device.call("ptz", "SetHomePosition", {"ProfileToken": self.token})


async def run_tour(ptz: Ptz, tour: PtzTour, stop: asyncio.Event,
                   on_step: Callable[[int], None] | None = None) -> int:
    """Visit the tour's presets in order, dwelling at each (from arrival), until ``stop`` is set (or
    ``tour.loops`` rounds). Returns the number of stops visited. A failing stop is logged and skipped; a
    tour whose every stop fails ends (no busy loop against a dead camera)."""
    if not tour.stops:
        return 0
    visited = 0
    rounds = 0
    while not stop.is_set() and (tour.loops == 0 or rounds < tour.loops):
        failures = 0
        for i, item in enumerate(tour.stops):
            if stop.is_set():
                break
            try:
                await ptz.goto_preset(item.preset_token, item.speed)
                await ptz.settle(TOUR_ARRIVAL_LIMIT_S, stop)  # the dwell starts on arrival, not on departure
                visited += 1
                if on_step is not None:
                    on_step(i)
            except CamdeskError as exc:
                failures += 1
                log.warning("tour %r: stop %d failed: %s", tour.name, i, exc)
            try:
                await asyncio.wait_for(stop.wait(), max(0.1, item.dwell_s))
            except TimeoutError:
                pass
        if failures == len(tour.stops):
            break
        rounds += 1
    return visited

"""Fault switches of one virtual camera, changed while it runs (control API or in-process).

Thread-safe: servers read them on their own threads. Times are ``time.monotonic()`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Faults:
    """Current fault settings. Read them through the properties; change them through the methods."""

    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _stall: bool = False  # RTSP: keep connections, send nothing
    _refuse: bool = False  # RTSP and ONVIF: refuse new connections
    _down_until: float = 0.0  # RTSP and ONVIF: closed (sessions dropped, connections refused) until then
    _corrupt: float = 0.0  # RTSP: fraction of RTP packets whose payload is damaged or truncated (0..1)
    _onvif_delay: float = 0.0  # ONVIF: seconds to wait before replying
    _onvif_malformed: bool = False  # ONVIF: reply with broken XML
    _clock_offset: float = 0.0  # ONVIF and RTCP: seconds added to the camera's clock
    _drop_generation: int = 0  # RTSP: bumped by drop(); sessions opened before it are closed
    listeners: list[Callable[[str], None]] = field(default_factory=list, repr=False)  # callables(name) told of each change

    def _set(self, name: str, value: object) -> None:
        with self._lock:
            setattr(self, "_" + name, value)
        for fn in list(self.listeners):
            fn(name)

    # --- switches ---------------------------------------------------------------------------------
    def drop(self) -> None:
        """Close every RTSP session now (clients may reconnect at once)."""
        with self._lock:
            self._drop_generation += 1
        for fn in list(self.listeners):
            fn("drop")

    def set_stall(self, on: bool) -> None:
        self._set("stall", on)

    def set_refuse(self, on: bool) -> None:
        self._set("refuse", on)

    def go_down(self, seconds: float) -> None:
        """Drop everything and refuse connections for ``seconds``, then come back by itself."""
        self._set("down_until", time.monotonic() + seconds)

    def set_corrupt(self, fraction: float) -> None:
        self._set("corrupt", max(0.0, min(1.0, fraction)))

    def set_onvif_delay(self, seconds: float) -> None:
        self._set("onvif_delay", max(0.0, seconds))

    def set_onvif_malformed(self, on: bool) -> None:
        self._set("onvif_malformed", on)

    def set_clock_offset(self, seconds: float) -> None:
        self._set("clock_offset", seconds)

    def clear(self) -> None:
        """Back to a healthy camera (the clock offset and password are kept: they are settings)."""
        with self._lock:
            self._stall = self._refuse = self._onvif_malformed = False
            self._down_until = self._corrupt = self._onvif_delay = 0.0
        for fn in list(self.listeners):
            fn("clear")

    # --- readings ---------------------------------------------------------------------------------
    @property
    def stall(self) -> bool:
        return self._stall

    @property
    def refuse(self) -> bool:
        return self._refuse or self.down

    @property
    def down(self) -> bool:
        return time.monotonic() < self._down_until

    @property
    def corrupt(self) -> float:
        return self._corrupt

    @property
    def onvif_delay(self) -> float:
        return self._onvif_delay

    @property
    def onvif_malformed(self) -> bool:
        return self._onvif_malformed

    @property
    def clock_offset(self) -> float:
        return self._clock_offset

    @property
    def drop_generation(self) -> int:
        return self._drop_generation

    def camera_time(self) -> float:
        """The camera's wall clock (``time.time()`` plus the offset)."""
        return time.time() + self._clock_offset

    def snapshot(self) -> dict[str, object]:
        """The current switches, for the control API."""
        return {
            "stall": self.stall,
            "refuse": self._refuse,
            "down": self.down,
            "corrupt": self.corrupt,
            "onvif_delay": self.onvif_delay,
            "onvif_malformed": self.onvif_malformed,
            "clock_offset": self.clock_offset,
        }

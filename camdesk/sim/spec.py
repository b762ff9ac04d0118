"""What one virtual camera is: its configuration (immutable) and its runtime state (faults, PTZ)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from camdesk.sim.faults import Faults
from camdesk.sim.ptz import PtzState


@dataclass(frozen=True)
class Resolution:
    width: int
    height: int
    fps: int

    @staticmethod
    def parse(text: str) -> Resolution:
        """``"1280x720@25"`` -> Resolution(1280, 720, 25)."""
        m = re.fullmatch(r"(\d+)x(\d+)@(\d+)", text.strip())
        if not m:
            raise ValueError(f"expected WxH@FPS, e.g. 640x360@15, not {text!r}")
        w, h, fps = (int(g) for g in m.groups())
        if w < 16 or h < 16 or w % 2 or h % 2 or not 1 <= fps <= 60:
            raise ValueError(f"unsupported resolution {text!r}")
        return Resolution(w, h, fps)

    def __str__(self) -> str:
        return f"{self.width}x{self.height}@{self.fps}"


@dataclass(frozen=True)
class CameraSpec:
    """The configuration of one virtual camera. ``index`` is 0-based and unique in a cluster; the RTSP
    paths are ``/cam{index}/main`` and ``/cam{index}/sub``; the ONVIF device service is
    ``/onvif/cam{index}/device_service`` on the shared HTTP port."""

    index: int
    name: str
    codec: str = "h264"  # h264 | h265
    main: Resolution = Resolution(1280, 720, 25)
    sub: Resolution = Resolution(640, 360, 15)
    gop_seconds: float = 1.0
    username: str = ""
    password: str = ""
    ptz: bool = False
    mode: str = "loop"  # loop | live (PTZ cameras are always live)
    seed: int = 0
    manufacturer: str = "camdesk"
    model: str = "VirtualCam"
    location: str = ""

    @property
    def slug(self) -> str:
        return f"cam{self.index}"

    @property
    def live(self) -> bool:
        return self.ptz or self.mode == "live"


@dataclass
class SimCamera:
    """A running camera's mutable state, shared by its RTSP, ONVIF and control endpoints.

    ``password`` starts as ``spec.password`` and can be changed while running (a fault).
    """

    spec: CameraSpec
    faults: Faults = field(default_factory=Faults)
    ptz: PtzState = field(default_factory=PtzState)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _password: str | None = None

    @property
    def password(self) -> str:
        with self._lock:
            return self.spec.password if self._password is None else self._password

    def set_password(self, password: str) -> None:
        with self._lock:
            self._password = password

    @property
    def username(self) -> str:
        return self.spec.username

    @property
    def requires_auth(self) -> bool:
        return bool(self.spec.username)

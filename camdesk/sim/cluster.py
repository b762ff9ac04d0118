"""``SimCluster``: N virtual cameras in this process (RTSP server, ONVIF services, fault control API).

Loop-mode trade-off (measured start-up matters: 64 cameras must be ready in seconds): loops are encoded
for :data:`LOOP_VARIANTS` distinct scenes and cycled across cameras (camera ``i`` plays variant
``i % LOOP_VARIANTS``). With up to that many loop cameras each has its own loop showing its name; with
more, a loop shows "Loop k" and the camera's name is in its ONVIF information and the JSON line. Live
cameras (``--mode live`` and every PTZ camera) render their own scene with name and clock.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any
from urllib.parse import quote

from camdesk.sim.control import ControlServer
from camdesk.sim.encoder import encode_loop, loop_period, probe_parameter_sets
from camdesk.sim.onvif import OnvifHandle, start_onvif
from camdesk.sim.rtsp.server import RtspServer
from camdesk.sim.scene import Scene
from camdesk.sim.spec import CameraSpec, Resolution, SimCamera

log = logging.getLogger(__name__)

LOOP_VARIANTS = 4
# Keyframe phases (fractions of a GOP) spread over the cameras: real cameras are not synchronised. Camera i
# plays variant i % LOOP_VARIANTS with keyframes at phase (i // LOOP_VARIANTS) % GOP_PHASES / GOP_PHASES.
GOP_PHASES = 4
KINDS = ("main", "sub")


def _res(value: Resolution | str) -> Resolution:
    return value if isinstance(value, Resolution) else Resolution.parse(value)


def gop_phase(index: int) -> float:
    """The keyframe phase of loop camera ``index``, as a fraction of its GOP."""
    return (index // LOOP_VARIANTS) % GOP_PHASES / GOP_PHASES


class SimCluster:
    """Starts ``cameras`` virtual cameras; use as a context manager (or ``start()``/``stop()``).

    The first ``ptz`` cameras are PTZ cameras (always live). ``discovery`` starts the unicast
    WS-Discovery responder; ``multicast`` also joins the multicast group (only in a network namespace or
    on purpose: it announces the cameras on the LAN). ``cameras`` (after start) lists one info
    dict per camera: name, index, onvif, main, sub, snapshot, control, ptz, codec, user (never the
    password). ``camera(i)`` is the running :class:`SimCamera` (faults, PTZ state, password).
    ``nvr`` adds a virtual recorder whose channels are all the cameras (same HTTP port and credentials);
    after start ``nvr_info`` describes it (name, nvr, onvif, channels, user) and ``nvr_camera`` is its
    device state (faults).
    """

    def __init__(self, cameras: int = 1, *, host: str = "127.0.0.1", rtsp_port: int = 0, http_port: int = 0,
                 control_port: int = 0, codec: str = "h264", main: Resolution | str = "1280x720@25",
                 sub: Resolution | str = "640x360@15", gop: float = 1.0, user: str = "",
                 password: str = "", ptz: int = 0, mode: str = "loop", seed: int = 0,
                 discovery: bool = True, multicast: bool = False, multicast_interface: str | None = None,
                 session_timeout: float = 60.0, nvr: bool = False) -> None:
        if cameras < 1:
            raise ValueError("at least one camera")
        if codec not in ("h264", "h265"):
            raise ValueError(f"codec must be h264 or h265, not {codec!r}")
        if mode not in ("loop", "live"):
            raise ValueError(f"mode must be loop or live, not {mode!r}")
        if not 0 < gop <= 60:
            raise ValueError("GOP must be between 0 and 60 seconds")
        if bool(user) != bool(password):
            raise ValueError("give both a user and a password, or neither")
        self.host = host
        self._ports = (rtsp_port, http_port, control_port)
        self._discovery = discovery
        self._multicast = (multicast, multicast_interface)
        self._session_timeout = session_timeout
        self._nvr = nvr
        self.gop = gop
        main_res, sub_res = _res(main), _res(sub)
        self.specs = [
            CameraSpec(index=i, name=f"Camera {i}", codec=codec, main=main_res, sub=sub_res, gop_seconds=gop,
                       username=user, password=password, ptz=i < ptz, mode=mode, seed=seed,
                       location=f"Simulated street {i}")
            for i in range(cameras)
        ]
        self.sim_cameras = [SimCamera(spec) for spec in self.specs]
        self.rtsp: RtspServer | None = None
        self.onvif: OnvifHandle | None = None
        self.control: ControlServer | None = None
        self.cameras: list[dict[str, Any]] = []
        self.nvr_info: dict[str, Any] | None = None
        self._cancel = threading.Event()

    # --- lifecycle -------------------------------------------------------------------------------------
    def __enter__(self) -> SimCluster:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        """Encode loops, then start RTSP, control and ONVIF; returns when all are listening."""
        rtsp_port, http_port, control_port = self._ports
        try:
            self.rtsp = RtspServer(self.sim_cameras, self.host, rtsp_port, self._session_timeout)
            scenes = self._add_streams(self.rtsp)
            self.rtsp.start()
            # The control API stays on loopback whatever --host says: it can lock everyone out.
            self.control = ControlServer(self.sim_cameras, "127.0.0.1", control_port)
            self.control.start()
            rtsp = self.rtsp
            self.onvif = start_onvif(self.sim_cameras, self.host, http_port,
                                     lambda cam, kind: rtsp.url(cam, kind), scenes, discovery=self._discovery,
                                     multicast=self._multicast[0], multicast_interface=self._multicast[1],
                                     nvr=self._nvr)
        except BaseException:
            self.stop()
            raise
        self.cameras = [self._info(cam) for cam in self.sim_cameras]
        nvr = self.onvif.nvr
        if nvr is not None:
            self.nvr_info = {"name": nvr.spec.name, "nvr": True, "onvif": self.onvif.nvr_url,
                             "channels": len(self.sim_cameras), "user": nvr.username}

    def cancel_start(self) -> None:
        """Make a ``start()`` in progress (on another thread, or in a signal handler) give up soon with
        :class:`~camdesk.sim.encoder.EncodeCancelled` (loop encoding can take seconds)."""
        self._cancel.set()

    def stop(self) -> None:
        """Stop everything that was started (idempotent)."""
        for part in (self.onvif, self.control, self.rtsp):
            if part is not None:
                try:
                    part.stop()
                except OSError as e:
                    log.warning("stopping %s: %s", type(part).__name__, e)
        self.onvif = self.control = self.rtsp = None

    def _add_streams(self, rtsp: RtspServer) -> dict[int, Scene]:
        """Register every camera's main and sub streams; returns the scene of each camera (for ONVIF)."""
        loop_cams = [c for c in self.sim_cameras if not c.spec.live]
        shared = len(loop_cams) > LOOP_VARIANTS
        scenes: dict[int, Scene] = {}
        jobs = []
        for cam in self.sim_cameras:
            spec = cam.spec
            if spec.live:
                scenes[spec.index] = Scene(spec)
                continue
            variant = spec.index % LOOP_VARIANTS
            label = f"Loop {variant}" if shared else spec.name
            scene_spec = dataclasses.replace(spec, index=variant, name=label) if shared else spec
            scenes[spec.index] = Scene(scene_spec, period=loop_period(spec.gop_seconds), label=label)
            for kind in KINDS:
                jobs.append((cam, kind, scenes[spec.index], getattr(spec, kind)))
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sim-encode") as pool:
            futures = [(cam, kind, pool.submit(encode_loop, scene, cam.spec.codec, res, cam.spec.gop_seconds,
                                               cancel=self._cancel, phase=gop_phase(cam.spec.index)))
                       for cam, kind, scene, res in jobs]
            for cam, kind, fut in futures:
                rtsp.add_loop_stream(cam, kind, cam.spec.codec, fut.result())
        for cam in self.sim_cameras:
            if cam.spec.live:
                for kind in KINDS:
                    res = getattr(cam.spec, kind)
                    params = probe_parameter_sets(cam.spec.codec, res, cam.spec.gop_seconds)
                    rtsp.add_live_stream(cam, kind, cam.spec.codec, res, params, scenes[cam.spec.index],
                                         cam.spec.gop_seconds)
        return scenes

    # --- information --------------------------------------------------------------------------------------
    def camera(self, index: int) -> SimCamera:
        return self.sim_cameras[index]

    @property
    def nvr_camera(self) -> SimCamera | None:
        """The virtual recorder's device state (faults, password), or None without ``nvr=True``."""
        return self.onvif.nvr if self.onvif is not None else None

    def _info(self, cam: SimCamera) -> dict[str, Any]:
        assert self.rtsp is not None and self.onvif is not None and self.control is not None
        return {
            "name": cam.spec.name,
            "index": cam.spec.index,
            "onvif": self.onvif.device_url(cam),
            "main": self.rtsp.url(cam, "main"),
            "sub": self.rtsp.url(cam, "sub"),
            "snapshot": self.onvif.snapshot_url(cam),
            "control": self.control.url(cam),
            "ptz": cam.spec.ptz,
            "codec": cam.spec.codec,
            "user": cam.username,
        }

    def url(self, index: int, kind: str = "main", credentials: bool = True) -> str:
        """The RTSP URI of a stream, with the camera's current user and password embedded by default."""
        assert self.rtsp is not None, "start the cluster first"
        cam = self.sim_cameras[index]
        url = self.rtsp.url(cam, kind)
        if credentials and cam.requires_auth:
            userinfo = f"{quote(cam.username, safe='')}:{quote(cam.password, safe='')}@"
            url = url.replace("rtsp://", "rtsp://" + userinfo, 1)
        return url

    @property
    def rtsp_port(self) -> int:
        assert self.rtsp is not None
        return self.rtsp.port

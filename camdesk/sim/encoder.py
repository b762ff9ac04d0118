"""Video sources of the simulator: pre-encoded loops (cheap, shared) and live encoders (PTZ cameras).

Every frame is stamped (:mod:`camdesk.sim.stamp`) on a wall-clock schedule: global frame
``n = round(t * fps)`` is due at ``n / fps``. A loop of ``L`` frames holds, at index ``i``, the frame sent
whenever ``n mod L == i``; its keyframes sit at multiples of the GOP, and ``L`` is a multiple of the
GOP, so replaying it from any keyframe decodes cleanly with continuous RTP timestamps.

Loops are cached per process by their settings, so many cameras with the same settings share them and a
test session encodes each loop once. Encoding uses PyAV (libx264/libx265, ultrafast, zerolatency, no
B-frames, SPS/PPS(/VPS) repeated before every IDR).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import cv2
import numpy as np
import platformdirs
from av.video.codeccontext import VideoCodecContext

from camdesk.sim import stamp
from camdesk.sim.ptz import PtzState
from camdesk.sim.scene import Scene
from camdesk.sim.spec import Resolution

log = logging.getLogger(__name__)

LOOP_SECONDS = 10.0  # a loop lasts at least this long (rounded up to whole GOPs): one pass of the car,
# so a loop's picture matches Scene.motion_in_region(t) for the wall-clock t at which it is sent
_ENCODER_SETTINGS_VERSION = 3  # bump when Encoder's options or the scene's look change (invalidates caches)
_CODECS = {"h264": ("libx264", "x264-params", "26"), "h265": ("libx265", "x265-params", "28")}


class EncodeCancelled(RuntimeError):
    """Loop encoding was cancelled (the simulator is being stopped while it starts)."""


@dataclass(frozen=True)
class AccessUnit:
    """One encoded frame: its NAL units (without start codes) and whether it starts a GOP (IDR)."""

    nals: tuple[bytes, ...]
    keyframe: bool


@dataclass(frozen=True)
class ParameterSets:
    """SPS/PPS (and VPS for H.265), for the SDP."""

    codec: str
    vps: bytes
    sps: bytes
    pps: bytes


def split_annexb(data: bytes) -> list[bytes]:
    """The NAL units of an Annex B byte stream, without start codes (access unit delimiters dropped)."""
    nals: list[bytes] = []
    starts: list[tuple[int, int]] = []  # (start code position, payload position)
    i = data.find(b"\x00\x00\x01")
    while i >= 0:
        begin = i - 1 if i > 0 and data[i - 1] == 0 else i
        starts.append((begin, i + 3))
        i = data.find(b"\x00\x00\x01", i + 3)
    for k, (_, pos) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(data)
        nal = data[pos:end]
        if nal:
            nals.append(nal)
    return nals


def nal_type(codec: str, nal: bytes) -> int:
    return (nal[0] >> 1) & 0x3F if codec == "h265" else nal[0] & 0x1F


def _is_aud(codec: str, nal: bytes) -> bool:
    return nal_type(codec, nal) == (35 if codec == "h265" else 9)


class Encoder:
    """A PyAV encoder for BGR frames at one resolution; not thread-safe (one owner thread)."""

    def __init__(self, codec: str, res: Resolution, gop_frames: int, camera_like: bool = False) -> None:
        """``camera_like`` (pre-encoded loops only): CABAC and the deblocking filter on, as in a real
        camera's Main/High profile stream, so decoding costs what a camera's stream costs; live
        encoders keep plain ultrafast to stay within their real-time CPU budget."""
        if codec not in _CODECS:
            raise ValueError(f"unsupported codec {codec!r} (h264 or h265)")
        lib, params_key, crf = _CODECS[codec]
        self.codec = codec
        self.res = res
        self._pts = 0
        ctx = cast(VideoCodecContext, av.CodecContext.create(lib, "w"))
        ctx.width, ctx.height = res.width, res.height
        ctx.pix_fmt = "yuv420p"
        ctx.framerate = Fraction(res.fps, 1)
        ctx.time_base = Fraction(1, res.fps)
        params = f"keyint={gop_frames}:min-keyint={gop_frames}:scenecut=0:repeat-headers=1:bframes=0"
        if codec == "h265":
            params += ":open-gop=0:log-level=error"
        elif camera_like:
            params += ":cabac=1:deblock=1"
        ctx.options = {"preset": "ultrafast", "tune": "zerolatency", params_key: params, "crf": crf,
                       "forced-idr": "1"}
        self._ctx = ctx
        self.parameter_sets: ParameterSets | None = None

    def encode(self, bgr: np.ndarray, force_keyframe: bool = False) -> list[AccessUnit]:
        """Encode one frame; with zerolatency the access unit comes out at once."""
        yuv = cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420)
        frame = av.VideoFrame.from_ndarray(cast(np.ndarray, yuv), format="yuv420p")
        frame.pts = self._pts
        self._pts += 1
        if force_keyframe:
            frame.pict_type = av.video.frame.PictureType.I
        return [self._unit(bytes(p)) for p in self._ctx.encode(frame)]

    def _unit(self, data: bytes) -> AccessUnit:
        nals = [n for n in split_annexb(data) if not _is_aud(self.codec, n)]
        types = {nal_type(self.codec, n) for n in nals}
        key = bool(types & ({16, 17, 18, 19, 20, 21} if self.codec == "h265" else {5}))
        if key and self.parameter_sets is None:
            self.parameter_sets = self._find_parameter_sets(nals)
        return AccessUnit(tuple(nals), key)

    def _find_parameter_sets(self, nals: list[bytes]) -> ParameterSets:
        found: dict[str, bytes] = {"vps": b"", "sps": b"", "pps": b""}
        kinds = {32: "vps", 33: "sps", 34: "pps"} if self.codec == "h265" else {7: "sps", 8: "pps"}
        for n in nals:
            kind = kinds.get(nal_type(self.codec, n))
            if kind and not found[kind]:
                found[kind] = n
        return ParameterSets(self.codec, found["vps"], found["sps"], found["pps"])


def gop_frames(gop_seconds: float, fps: int) -> int:
    return max(1, round(gop_seconds * fps))


def loop_period(gop_seconds: float, loop_seconds: float = LOOP_SECONDS) -> float:
    """The duration of a loop: ``loop_seconds`` rounded up to whole GOPs (the scene's motion period)."""
    return gop_seconds * math.ceil(loop_seconds / gop_seconds - 1e-9)


@dataclass(frozen=True)
class Loop:
    """A pre-encoded loop: ``units[i]`` is sent whenever the global frame number ``n % len(units) == i``."""

    units: tuple[AccessUnit, ...]
    res: Resolution
    gop: int
    params: ParameterSets
    phase: int = 0  # keyframes at the frames i with i % gop == phase

    @property
    def length(self) -> int:
        return len(self.units)


_loop_cache: dict[tuple[object, ...], Loop] = {}
_loop_locks: dict[tuple[object, ...], threading.Lock] = {}
_cache_lock = threading.Lock()
_DISK_FORMAT = b"camdesk-sim-loop 1\n"


def _disk_path(key: tuple[object, ...]) -> Path:
    """Where a loop is cached between runs (the platform's cache dir), keyed by settings and versions."""
    text = repr((key, av.__version__, av.library_versions.get("libavcodec")))
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return Path(platformdirs.user_cache_dir("camdesk", appauthor=False)) / "sim-loops" / f"{digest}.loop"


def _save(loop: Loop, path: Path) -> None:
    """Write the loop atomically; a failure only costs the next start its cache."""
    out = bytearray(_DISK_FORMAT)
    p = loop.params
    for blob in (p.vps, p.sps, p.pps):
        out += struct.pack("!I", len(blob)) + blob
    out += struct.pack("!II", loop.gop, len(loop.units))
    for unit in loop.units:
        out += struct.pack("!BI", unit.keyframe, len(unit.nals))
        for nal in unit.nals:
            out += struct.pack("!I", len(nal)) + nal
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{threading.get_ident()}")
        tmp.write_bytes(bytes(out))
        tmp.replace(path)
    except OSError as e:
        log.info("cannot cache the loop in %s: %s", path, e)


def _load(path: Path, codec: str, res: Resolution) -> Loop | None:
    """A loop saved by :func:`_save`, or None when it is missing or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_DISK_FORMAT):
        return None
    pos = len(_DISK_FORMAT)

    def take(n: int) -> bytes:
        nonlocal pos
        if pos + n > len(data):
            raise ValueError("truncated loop file")
        chunk = data[pos:pos + n]
        pos += n
        return chunk

    try:
        blobs = [take(struct.unpack("!I", take(4))[0]) for _ in range(3)]
        gop, count = struct.unpack("!II", take(8))
        units = []
        for _ in range(count):
            key, n_nals = struct.unpack("!BI", take(5))
            nals = tuple(take(struct.unpack("!I", take(4))[0]) for _ in range(n_nals))
            units.append(AccessUnit(nals, bool(key)))
    except (ValueError, struct.error):
        log.info("ignoring a damaged loop cache file %s", path)
        return None
    return Loop(tuple(units), res, gop, ParameterSets(codec, *blobs))


def encode_loop(scene: Scene, codec: str, res: Resolution, gop_seconds: float,
                loop_seconds: float = LOOP_SECONDS, disk_cache: bool = True,
                cancel: threading.Event | None = None, phase: float = 0.0) -> Loop:
    """The loop for ``scene`` at ``res``: encoded once per settings, then cached in memory (per process)
    and on disk (between runs, so the demo restarts in a moment). Thread-safe. Setting ``cancel`` makes
    an encoding in progress raise :class:`EncodeCancelled`. ``phase`` (a fraction of the GOP) moves the
    keyframes: real cameras are not synchronised, and 64 cameras sending their keyframes in the same
    instant would be a burst no real wall sees."""
    gop = gop_frames(gop_seconds, res.fps)
    length = gop * math.ceil(loop_period(gop_seconds, loop_seconds) * res.fps / gop - 1e-9)
    first_key = round(phase * gop) % gop
    key = (codec, res.width, res.height, res.fps, gop, length, scene.spec.seed, scene.spec.index,
           scene.label, scene.period, _ENCODER_SETTINGS_VERSION, first_key)
    with _cache_lock:
        if key in _loop_cache:
            return _loop_cache[key]
        lock = _loop_locks.setdefault(key, threading.Lock())
    with lock:
        if key in _loop_cache:
            return _loop_cache[key]
        path = _disk_path(key)
        loop = _load(path, codec, res) if disk_cache else None
        if loop is not None:
            loop = dataclasses.replace(loop, phase=first_key)
        if loop is None or loop.length != length or loop.gop != gop:
            loop = _encode(scene, codec, res, gop, length, cancel, first_key)
            if disk_cache:
                _save(loop, path)
        with _cache_lock:
            _loop_cache[key] = loop
        return loop


# Camera-like picture for pre-encoded loops: a real camera's picture has fine static texture and sensor
# grain, which a flat synthetic scene lacks (its P-frames were nearly empty: 336 kbit/s, 0.12 ms to decode
# per 640x360 frame, against 256-1024 kbit/s for a real sub stream). Standard deviations in 8-bit levels.
TEXTURE_SIGMA = 10.0
GRAIN_SIGMA = 4.0
GRAIN_FRAMES = 7  # grain fields precomputed and cycled (drawing fresh grain costs 14 ms per 720p frame)


class CameraGrain:
    """Adds a static texture (fixed per scene) plus grain that changes every frame to BGR frames.

    Deterministic for a seed. The grain cycles through :data:`GRAIN_FRAMES` precomputed fields; the
    encoder references only the previous frame, so to it every frame's grain is new."""

    def __init__(self, seed: int, width: int, height: int) -> None:
        rng = np.random.default_rng(seed)
        raw = rng.standard_normal((height, width), dtype=np.float32) * TEXTURE_SIGMA
        texture = cv2.GaussianBlur(raw, (0, 0), 0.8)  # a little spatial correlation, like optics
        self._fields: list[np.ndarray] = []
        for _ in range(GRAIN_FRAMES):
            noise = texture + rng.standard_normal((height, width), dtype=np.float32) * GRAIN_SIGMA
            luma = np.rint(noise).astype(np.int16)
            self._fields.append(cv2.merge([luma, luma, luma]))  # the same offset on B, G, R: luma grain
        self._next = 0

    def apply(self, bgr: np.ndarray) -> np.ndarray:
        field = self._fields[self._next]
        self._next = (self._next + 1) % len(self._fields)
        return cast(np.ndarray, cv2.add(bgr, field, dtype=cv2.CV_8U))  # saturates at 0 and 255


def _encode(scene: Scene, codec: str, res: Resolution, gop: int, length: int,
            cancel: threading.Event | None, phase: int = 0) -> Loop:
    """Encode frames ``phase, phase + 1, ..., length - 1, 0, ..., phase - 1``: the first encoded frame is a
    keyframe, so where the loop wraps no frame refers across the seam."""
    encoder = Encoder(codec, res, gop, camera_like=True)
    grain = CameraGrain(scene.seed_value, res.width, res.height)
    units: list[AccessUnit] = []
    for j in range(length):
        if cancel is not None and cancel.is_set():
            raise EncodeCancelled("loop encoding cancelled")
        i = (phase + j) % length
        img = grain.apply(scene.render(i / res.fps, res.width, res.height, clock=False))
        stamp.write(img, i, length, res.fps)  # after the grain: the stamp's cells stay clean
        units.extend(encoder.encode(img, force_keyframe=j % gop == 0))
    if len(units) != length or encoder.parameter_sets is None:
        raise RuntimeError(f"encoder returned {len(units)} of {length} frames")
    ordered = units[length - phase:] + units[:length - phase]  # units[i] is frame i again
    return Loop(tuple(ordered), res, gop, encoder.parameter_sets, phase)


def probe_parameter_sets(codec: str, res: Resolution, gop_seconds: float) -> ParameterSets:
    """The parameter sets a live encoder with these settings produces (for the SDP before it runs)."""
    encoder = Encoder(codec, res, gop_frames(gop_seconds, res.fps))
    encoder.encode(np.zeros((res.height, res.width, 3), np.uint8), force_keyframe=True)
    assert encoder.parameter_sets is not None
    return encoder.parameter_sets


class LiveSource:
    """Renders and encodes one stream in real time on its own thread while someone watches.

    Frame ``n`` is rendered and encoded just before its due time ``n / fps``; ``deliver(n, unit)`` is
    called on this thread (the RTSP fan-out then sends it at the due time).
    """

    def __init__(self, scene: Scene, codec: str, res: Resolution, gop_seconds: float,
                 ptz: PtzState | None, deliver: Callable[[int, AccessUnit], None]) -> None:
        self.scene = scene
        self.codec = codec
        self.res = res
        self.gop = gop_frames(gop_seconds, res.fps)
        self.ptz = ptz
        self._deliver = deliver
        self._want_key = threading.Event()
        self._running = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.lead = 0.015  # seconds before the due time at which rendering starts

    def request_keyframe(self) -> None:
        """The next frame will be an IDR (a new client is waiting)."""
        self._want_key.set()

    def set_active(self, active: bool) -> None:
        """Start or pause rendering (no CPU is spent while nobody watches)."""
        if active:
            self._running.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"sim-live-{self.scene.label}",
                                                daemon=True)
                self._thread.start()
        else:
            self._running.clear()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _run(self) -> None:
        fps = self.res.fps
        encoder: Encoder | None = None
        while not self._stop.is_set():
            if not self._running.is_set():
                encoder = None  # restart with a fresh encoder (and so an IDR) when watched again
                self._running.wait()
                continue
            try:
                if encoder is None:
                    encoder = Encoder(self.codec, self.res, self.gop)
                    self._want_key.set()
                n = math.floor((time.time() + self.lead) * fps) + 1
                delay = n / fps - self.lead - time.time()
                if delay > 0 and self._stop.wait(delay):
                    break
                pos = self.ptz.position() if self.ptz is not None and self.scene.spec.ptz else None
                img = self.scene.render(n / fps, self.res.width, self.res.height, pos)
                stamp.write(img, n % stamp.LIVE_MODULUS, stamp.LIVE_MODULUS, fps)
                key = self._want_key.is_set()
                self._want_key.clear()
                for unit in encoder.encode(img, force_keyframe=key):
                    self._deliver(n, unit)
            except Exception:  # thread top level: log and keep the camera alive
                log.exception("live encoder of %s failed; restarting it", self.scene.label)
                encoder = None
                self._stop.wait(0.5)

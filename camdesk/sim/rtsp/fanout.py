"""Encode once, fan out: one :class:`MediaStream` per (camera, main|sub) sends each access unit to all
its playing sessions. Runs on the RTSP server's asyncio loop thread (except ``LiveSource`` rendering).

Sessions number their own RTP packets (so RTP-Info's ``seq`` is exact) and join at the next keyframe.
Faults act here: ``stall`` and ``down`` send nothing; ``corrupt`` damages or truncates that fraction of
RTP payloads (shared by every client of the stream).
"""

from __future__ import annotations

import asyncio
import math
import random
import struct
import time
from typing import TYPE_CHECKING, Protocol

from camdesk.sim.encoder import AccessUnit, LiveSource, Loop, ParameterSets
from camdesk.sim.rtsp import rtp
from camdesk.sim.scene import Scene
from camdesk.sim.spec import Resolution, SimCamera

if TYPE_CHECKING:
    from collections.abc import Callable

SR_INTERVAL = 2.0  # seconds between RTCP sender reports per session
WRITE_BUFFER_LIMIT = 4 << 20  # bytes queued for a TCP client before frames are skipped
STUCK_TIMEOUT = 10.0  # seconds a TCP client may stay over the limit before it is disconnected


class Sink(Protocol):
    """Where a session's packets go: interleaved on its RTSP connection, or UDP datagrams."""

    def send_rtp(self, packets: list[bytes]) -> None: ...
    def send_rtcp(self, packet: bytes) -> None: ...
    def backlog(self) -> int: ...
    def close(self) -> None: ...


class Subscriber:
    """The media side of one playing RTSP session."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.ssrc = random.getrandbits(32)
        self.seq = random.getrandbits(16)
        self.waiting_key = True
        self.start_frame = 0  # frames before this one are not sent (the one RTP-Info announced)
        self.packets = 0
        self.octets = 0
        self.last_sr = 0.0
        self.stuck_since: float | None = None

    def send(self, payloads: list[bytes], ts: int, wall: float) -> None:
        now = time.monotonic()
        backlog = self.sink.backlog()
        if backlog > WRITE_BUFFER_LIMIT:  # a slow or vanished reader: skip frames, rejoin at a keyframe
            self.waiting_key = True
            if self.stuck_since is None:
                self.stuck_since = now
            elif now - self.stuck_since > STUCK_TIMEOUT:
                self.sink.close()
            return
        self.stuck_since = None
        if now - self.last_sr >= SR_INTERVAL:
            self.last_sr = now
            self.sink.send_rtcp(rtp.sender_report(self.ssrc, wall, ts, self.packets, self.octets))
        last = len(payloads) - 1
        packets = []
        for k, payload in enumerate(payloads):
            packets.append(rtp.header(self.seq, ts, self.ssrc, k == last) + payload)
            self.seq = (self.seq + 1) & 0xFFFF
            self.octets += len(payload)
        self.packets += len(packets)
        self.sink.send_rtp(packets)


class MediaStream:
    """One (camera, kind) stream and its subscribers. Methods run on the server loop thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, cam: SimCamera, kind: str, codec: str,
                 res: Resolution, params: ParameterSets, source: Loop | None = None,
                 scene: Scene | None = None, gop_seconds: float = 1.0,
                 on_active: Callable[[MediaStream, bool], None] | None = None) -> None:
        self.loop = loop
        self.cam = cam
        self.kind = kind
        self.codec = codec
        self.res = res
        self.params = params
        self.source = source
        self.subscribers: set[Subscriber] = set()
        self.ts_base = random.getrandbits(32)
        self._rng = random.Random(cam.spec.seed * 31 + cam.spec.index)
        self._on_active = on_active
        self._payloads: list[list[bytes]] | None = None
        if source is not None:
            self._payloads = [rtp.payloads(codec, u.nals) for u in source.units]
        self.live: LiveSource | None = None
        if source is None:
            if scene is None:
                raise ValueError("a stream needs a loop or a scene")
            self.live = LiveSource(scene, codec, res, gop_seconds, cam.ptz, self._live_unit)

    @property
    def path(self) -> str:
        return f"/{self.cam.spec.slug}/{self.kind}"

    def rtp_time(self, n: int) -> int:
        return (self.ts_base + n * rtp.CLOCK_RATE // self.res.fps) & 0xFFFFFFFF

    def next_start_frame(self) -> int:
        """The global frame number a client joining now will start at (the next keyframe)."""
        n = math.floor(time.time() * self.res.fps) + 1
        if self.source is not None:
            gop = self.source.gop
            n += (self.source.phase - n) % gop
        return n

    def add(self, sub: Subscriber) -> None:
        self.subscribers.add(sub)
        if self.live is not None:
            self.live.request_keyframe()
        if len(self.subscribers) == 1:
            if self.live is not None:
                self.live.set_active(True)
            if self._on_active is not None:
                self._on_active(self, True)

    def remove(self, sub: Subscriber) -> None:
        if sub in self.subscribers:
            self.subscribers.discard(sub)
            if not self.subscribers:
                if self.live is not None:
                    self.live.set_active(False)
                if self._on_active is not None:
                    self._on_active(self, False)

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()

    # --- sending -----------------------------------------------------------------------------------
    def tick(self, n: int) -> None:
        """Send loop frame ``n`` (called by the server's frame clock at ``n / fps``)."""
        assert self.source is not None and self._payloads is not None
        i = n % self.source.length
        self._emit(n, self.source.units[i].keyframe, self._payloads[i])

    def _live_unit(self, n: int, unit: AccessUnit) -> None:
        """Called on the live encoder thread: hand the unit to the loop, due at ``n / fps``."""
        payloads = rtp.payloads(self.codec, unit.nals)

        def due() -> None:
            delay = n / self.res.fps - time.time()
            if delay > 0.001:
                self.loop.call_later(delay, self._emit, n, unit.keyframe, payloads)
            else:
                self._emit(n, unit.keyframe, payloads)

        try:
            self.loop.call_soon_threadsafe(due)
        except RuntimeError:  # the loop closed while the encoder finished a frame
            pass

    def _emit(self, n: int, keyframe: bool, payloads: list[bytes]) -> None:
        faults = self.cam.faults
        if not self.subscribers or faults.stall or faults.down:
            return
        fraction = faults.corrupt
        if fraction > 0:
            payloads = [self._damage(p) if self._rng.random() < fraction else p for p in payloads]
        ts = self.rtp_time(n)
        wall = n / self.res.fps + faults.clock_offset
        for sub in list(self.subscribers):
            if sub.waiting_key:
                if not keyframe or n < sub.start_frame:
                    continue
                sub.waiting_key = False
            sub.send(payloads, ts, wall)

    def _damage(self, payload: bytes) -> bytes:
        """Truncate the payload or overwrite part of it with noise (the NAL header survives)."""
        if len(payload) < 8:
            return payload
        if self._rng.random() < 0.5:
            return payload[: max(3, len(payload) // 3)]
        data = bytearray(payload)
        start = self._rng.randrange(3, len(data))
        end = min(len(data), start + 64)
        data[start:end] = self._rng.randbytes(end - start)
        return bytes(data)


def interleave(channel: int, packet: bytes) -> bytes:
    """An RTP/RTCP packet framed for RTSP interleaved transport (RFC 2326 section 10.12)."""
    return struct.pack("!BBH", 0x24, channel, len(packet)) + packet

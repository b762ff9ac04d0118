"""Rolling statistics of one stream, fed by its worker and its consumer, read by anyone."""

from __future__ import annotations

import threading
import time
from collections import deque

from camdesk.models.stream import StreamStats

WINDOW_S = 5.0
# Samples kept per series. Adding is a bounded append (the engine adds several per frame, on the decoder
# threads); old samples are dropped only when read. A rate stays right past the bound: it is computed over
# the span the kept samples cover.
MAX_SAMPLES = 1024


class _Series:
    """(monotonic time, value) samples over the last ``WINDOW_S`` seconds."""

    __slots__ = ("samples",)

    def __init__(self) -> None:
        self.samples: deque[tuple[float, float]] = deque(maxlen=MAX_SAMPLES)

    def add(self, now: float, value: float) -> None:
        self.samples.append((now, value))

    def trim(self, now: float) -> None:
        while self.samples and self.samples[0][0] < now - WINDOW_S:
            self.samples.popleft()

    def rate(self, now: float) -> float:
        """Samples per second over the window (or over the time since the first sample, if shorter)."""
        self.trim(now)
        if not self.samples:
            return 0.0
        span = min(WINDOW_S, max(now - self.samples[0][0], 1e-3))
        return len(self.samples) / span if len(self.samples) > 1 else 0.0

    def total_rate(self, now: float) -> float:
        self.trim(now)
        if len(self.samples) < 2:
            return 0.0
        span = min(WINDOW_S, max(now - self.samples[0][0], 1e-3))
        return sum(v for _, v in self.samples) / span

    def mean(self, now: float) -> float | None:
        self.trim(now)
        if not self.samples:
            return None
        return sum(v for _, v in self.samples) / len(self.samples)


class DeliveryCounter:
    """Frames one consumer took, per second (a stream shown on two tiles has one per tile)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._series = _Series()

    def add(self) -> None:
        with self._lock:
            self._series.add(time.monotonic(), 1.0)

    def rate(self) -> float:
        with self._lock:
            return self._series.rate(time.monotonic())


class StatsCollector:
    """Thread-safe counters for :class:`StreamStats`: the stream's (one session with the camera)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._decoded = _Series()
        self._bytes = _Series()
        self._decode_ms = _Series()
        self._latency_ms = _Series()
        self.reconnects = 0
        self.catch_ups = 0  # times decoding fell behind and jumped to the next keyframe
        self.ttff_ms: float | None = None
        self.width = 0
        self.height = 0
        self.codec = ""
        self.decoded_total = 0

    def packet(self, size: int) -> None:
        """``size`` bytes arrived (one packet, or all those of one read)."""
        with self._lock:
            self._bytes.add(time.monotonic(), float(size))

    def frame(self, decode_ms: float, latency_ms: float | None) -> None:
        now = time.monotonic()
        with self._lock:
            self.decoded_total += 1
            self._decoded.add(now, 1.0)
            self._decode_ms.add(now, decode_ms)
            if latency_ms is not None:
                self._latency_ms.add(now, latency_ms)

    def first_frame(self, ttff_ms: float) -> None:
        with self._lock:
            self.ttff_ms = ttff_ms

    def skipped(self) -> None:
        with self._lock:
            self.catch_ups += 1

    def reconnected(self) -> None:
        with self._lock:
            self.reconnects += 1

    def source(self, codec: str, width: int, height: int) -> None:
        with self._lock:
            self.codec, self.width, self.height = codec, width, height

    def snapshot(self, dropped: int, delivered_fps: float) -> StreamStats:
        """The stream's figures, with one consumer's dropped frames and delivery rate."""
        now = time.monotonic()
        with self._lock:
            return StreamStats(
                input_fps=self._decoded.rate(now),
                delivered_fps=delivered_fps,
                dropped_frames=dropped,
                kbit_per_s=self._bytes.total_rate(now) * 8 / 1000,
                decode_ms=self._decode_ms.mean(now) or 0.0,
                latency_ms=self._latency_ms.mean(now),
                reconnects=self.reconnects,
                catch_ups=self.catch_ups,
                time_to_first_frame_ms=self.ttff_ms,
                width=self.width,
                height=self.height,
                codec=self.codec,
            )

"""What the stream engine reports about a live stream: its state and its statistics."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StreamState(StrEnum):
    CONNECTING = "connecting"
    PLAYING = "playing"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"
    AUTH_FAILED = "auth-failed"
    UNSUPPORTED = "unsupported"
    STOPPED = "stopped"


class StreamQuality(StrEnum):
    MAIN = "main"
    SUB = "sub"


@dataclass(frozen=True)
class StreamStatus:
    """A state change of one stream. Times are wall-clock seconds (``time.time()``).

    ``attempt`` and ``next_try_at`` are set while reconnecting; ``since`` is when the state began
    (e.g. offline since); ``reason`` is a scrubbed, technical English detail for logs and tooltips.
    """

    stream_id: str
    state: StreamState
    since: float
    attempt: int = 0
    next_try_at: float | None = None
    reason: str = ""
    quality: StreamQuality = StreamQuality.SUB


@dataclass(frozen=True)
class StreamStats:
    """Rolling statistics of one stream (over the last few seconds unless said otherwise)."""

    input_fps: float = 0.0
    delivered_fps: float = 0.0
    dropped_frames: int = 0  # total frames overwritten in the mailbox before the consumer took them
    kbit_per_s: float = 0.0
    decode_ms: float = 0.0  # mean decode + convert time per frame
    latency_ms: float | None = None  # glass-to-glass, from the simulator's stamps
    reconnects: int = 0
    catch_ups: int = 0  # times decoding fell behind real time and skipped to the next keyframe
    time_to_first_frame_ms: float | None = None
    width: int = 0
    height: int = 0
    codec: str = ""


@dataclass(frozen=True)
class StreamSource:
    """Where a stream comes from. ``url`` never contains credentials; they travel separately and are
    inserted only at the moment of opening (and scrubbed from every message)."""

    url: str
    username: str = ""
    password: str = ""
    width: int = 0  # the stream's own resolution when known (from ONVIF), used to choose main or sub
    height: int = 0

    def __repr__(self) -> str:  # never show the password, even in a debugger or a traceback
        return f"StreamSource(url={self.url!r}, username={'***' if self.username else ''!r}, {self.width}x{self.height})"


@dataclass(frozen=True)
class VideoFrame:
    """A decoded frame, converted and scaled for one consumer.

    ``image`` is a C-contiguous ``numpy.ndarray`` (height x width x 4, uint8, BGRA, which a QImage of
    ``Format_RGB32``/``Format_ARGB32`` wraps without copying on little-endian machines).
    ``received_at`` is the wall-clock time the frame was decoded; ``captured_at`` is the best estimate of
    when the camera took it (RTCP sender reports or the simulator's stamp, else ``received_at``); bookmarks
    use ``captured_at``. ``stamp_ms`` is the simulator's stamp (wall-clock ms when it was sent), if any.
    """

    image: object
    width: int
    height: int
    received_at: float
    captured_at: float
    sequence: int
    quality: StreamQuality = StreamQuality.SUB
    stamp_ms: int | None = None

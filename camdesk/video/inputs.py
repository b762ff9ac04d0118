"""Where a connection's compressed packets come from: FFmpeg's demuxer, or our own RTSP client.

Both give a :class:`PacketInput`: packets with pts, a decoder for them, and the camera's wall clock for a
pts when RTCP told us. Cameras (``rtsp://`` with H.264/H.265) use our client: it completes each picture on
the RTP marker bit, one frame interval earlier than FFmpeg's parser (docs/readme/engine-rtsp.md).
Everything else (files, other schemes, other codecs, a camera our client cannot talk to) uses FFmpeg.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from fractions import Fraction
from typing import Any, Protocol

import av
import av.container
import av.error
import av.video.stream

from camdesk.models.stream import StreamSource
from camdesk.video import interrupt
from camdesk.video.rtsp import AccessUnit, NotHandled, RtspClient
from camdesk.video.settings import EngineSettings
from camdesk.video.source import NATIVE_READ_TIMEOUT_S, check_url, open_container

log = logging.getLogger(__name__)

# Above this many pixels per frame (720p) a stream gets FFmpeg's automatic slice threads: a 4K main
# stream on a full-screen tile needs more than one core. Smaller streams decode on one thread.
SINGLE_THREAD_MAX_PIXELS = 1280 * 720


class EndOfStream(Exception):
    """The source ended (a file's end, or a camera that closed the session)."""


class PacketInput(Protocol):
    codec: str  # FFmpeg's decoder name: "h264", "hevc", ...
    transport: str
    time_base: float

    def next_packet(self) -> av.Packet[Any]:
        """Blocks; raises EndOfStream, TimeoutError (nothing within the read timeout: call again),
        OSError or av.error.FFmpegError."""

    def decode(self, packet: av.Packet[Any] | None) -> list[Any]: ...

    def watch(self) -> socket.socket | None:
        """The socket for the decoder pool to watch from now on (then read with :meth:`ready_packets`
        when it is readable), or None: this input is read with ``next_packet`` on the worker's thread."""

    def ready_packets(self) -> list[av.Packet[Any]]:
        """The packets completed by what a watched socket holds now; never blocks. Raises OSError
        (ConnectionError when the camera closed the session)."""

    def resume(self) -> None:
        """Go on after a read gave up on its timeout (nothing was consumed)."""

    def capture_time(self, pts: int) -> float | None:
        """Wall-clock capture time of ``pts`` from the camera's RTCP sender reports, or None."""

    def close(self) -> None: ...


def open_input(source: StreamSource, settings: EngineSettings, transport: str, hardware: bool) -> PacketInput:
    """Our RTSP client for cameras (unless hardware decoding is asked for), FFmpeg for the rest."""
    if settings.own_rtsp and not hardware and source.url.lower().startswith("rtsp://"):
        check_url(source.url)
        try:
            return RtspInput(source, settings, transport)
        except NotHandled as exc:
            log.info("stream opened with FFmpeg instead: %s", exc)
    return FfmpegInput(source, settings, transport, hardware)


def configure_decoder(stream: av.video.stream.VideoStream) -> None:
    """Decoder threading for one FFmpeg stream (also used by ``bench/engine.py`` so both sides match).

    Streams up to 720p decode on one thread: there are more streams than cores anyway. FFmpeg's default
    (slice threads, count = cores + 1) gave the same CPU per frame within the noise but 52 OS threads
    instead of 20 for 16 streams (docs/readme/engine.md). A stream whose size is not known yet, or larger
    than 720p, keeps FFmpeg's choice. Frame threads are never used: each adds a frame of latency.
    """
    ctx = stream.codec_context
    pixels = (ctx.width or 0) * (ctx.height or 0)
    stream.thread_type = "SLICE"
    ctx.thread_count = 1 if 0 < pixels <= SINGLE_THREAD_MAX_PIXELS else 0  # 0: FFmpeg picks (cores + 1)


class FfmpegInput:
    """PyAV's container: any URL or file FFmpeg opens."""

    def __init__(self, source: StreamSource, settings: EngineSettings, transport: str, hardware: bool) -> None:
        self.transport = transport
        self.container: av.container.InputContainer = open_container(source, settings, transport, hardware)
        self.stream: av.video.stream.VideoStream = self.container.streams.video[0]
        configure_decoder(self.stream)
        self.codec = self.stream.codec_context.name
        self.time_base = float(self.stream.time_base) if self.stream.time_base else 1 / 90000
        self._packets: Iterator[av.Packet[Any]] = self.container.demux(self.stream)
        self._closed = False

    def next_packet(self) -> av.Packet[Any]:
        try:
            return next(self._packets)
        except StopIteration:
            raise EndOfStream("end of stream") from None

    def decode(self, packet: av.Packet[Any] | None) -> list[Any]:
        return self.stream.codec_context.decode(packet)

    def watch(self) -> socket.socket | None:
        return None  # FFmpeg's demuxer reads on its own terms

    def ready_packets(self) -> list[av.Packet[Any]]:
        raise NotImplementedError("an FFmpeg input is not watched")

    def resume(self) -> None:
        self._packets = self.container.demux(self.stream)

    def rewind(self) -> None:
        self.container.seek(0)
        self.stream.codec_context.flush_buffers()
        self._packets = self.container.demux(self.stream)

    def capture_time(self, pts: int) -> float | None:
        realtime = self.container.start_time_realtime  # microseconds at pts 0, from RTCP SR
        return None if realtime is None else realtime / 1e6 + pts * self.time_base

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        token = interrupt.CancelToken()
        token.deadline = time.monotonic() + 0.5  # TEARDOWN to a dead camera must not hold us up
        with interrupt.scope(token):
            try:
                self.container.close()
            except (av.error.FFmpegError, OSError):
                pass  # closing a broken session: nothing left to do


class RtspInput:
    """Our RTSP client and a PyAV decoder fed whole access units."""

    def __init__(self, source: StreamSource, settings: EngineSettings, transport: str) -> None:
        token = interrupt.current()
        self.client = RtspClient(
            source.url, source.username or None, source.password or None, transport=transport,
            open_timeout=settings.open_timeout_s, read_timeout=min(settings.read_timeout_s, NATIVE_READ_TIMEOUT_S),
            cancelled=(lambda: token.expired(time.monotonic())) if token is not None else (lambda: False),
        )
        self.transport = self.client.transport
        self.codec = self.client.codec
        self._time_base = Fraction(1, self.client.clock_rate)
        self.time_base = float(self._time_base)
        self._context = self._decoder(threads=1)
        self._sized = False

    def _decoder(self, threads: int) -> av.VideoCodecContext:
        ctx = av.CodecContext.create(self.codec, "r")
        assert isinstance(ctx, av.VideoCodecContext)
        ctx.thread_type = "SLICE"
        ctx.thread_count = threads
        return ctx

    def next_packet(self) -> av.Packet[Any]:
        return self._packet(self.client.read())

    def watch(self) -> socket.socket | None:
        # Over UDP the media comes on two more sockets: that rare case keeps its reading thread.
        return self.client.watch() if self.client.transport == "tcp" else None

    def ready_packets(self) -> list[av.Packet[Any]]:
        return [self._packet(unit) for unit in self.client.read_ready()]

    def _packet(self, unit: AccessUnit) -> av.Packet[Any]:
        packet = av.Packet(unit.data)
        packet.pts = packet.dts = unit.pts
        packet.time_base = self._time_base
        packet.is_keyframe = unit.key
        return packet

    def decode(self, packet: av.Packet[Any] | None) -> list[Any]:
        frames: list[Any] = self._context.decode(packet)
        if not self._sized and frames and packet is not None:
            # The picture size is known only now: a stream larger than 720p gets FFmpeg's slice threads
            # (a 4K main stream needs more than one core). The new decoder starts on this same keyframe.
            self._sized = True
            frame = frames[-1]
            if frame.width * frame.height > SINGLE_THREAD_MAX_PIXELS:
                self._context = self._decoder(threads=0)
                self._context.decode(packet)
        return frames

    def resume(self) -> None:
        pass  # nothing was consumed: read again

    def capture_time(self, pts: int) -> float | None:
        return self.client.wall_clock(pts)

    def close(self) -> None:
        self.client.close()


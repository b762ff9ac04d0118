"""One open stream: demux, decode and convert+scale into BGRA, on the thread that owns it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import av
import av.container
import av.error
import av.video.stream
import cv2
import numpy as np
from av.video.reformatter import Interpolation, VideoReformatter

from camdesk.models.stream import StreamQuality, StreamSource
from camdesk.video import libyuv
from camdesk.video.buffers import BufferPool, thread_pool
from camdesk.video.decode_pool import PoolStream
from camdesk.video.inputs import EndOfStream, FfmpegInput, PacketInput, open_input
from camdesk.video.rtsp import NotHandled
from camdesk.video.settings import EngineSettings
from camdesk.video.source import is_network

StampReader = Callable[[np.ndarray], float | None]


class Connection:
    """An open stream (a :class:`PacketInput`) and its decoder. Not thread-safe: one thread opens and
    reads it, or one reads and a decoder-pool thread decodes (under ``lock``), or a pool thread does both
    for a watched live input (:meth:`watch`).

    ``read()`` returns the frames decoded from the next packet (often none or one). Corrupt packets
    are skipped and counted; the caller's stall watchdog decides when too much was lost.
    """

    def __init__(self, source: StreamSource, quality: StreamQuality, settings: EngineSettings,
                 transport: str, hardware: bool) -> None:
        self.source = source
        self.quality = quality
        self.network = is_network(source.url)
        self.opened_at = time.monotonic()
        self.input: PacketInput = open_input(source, settings, transport, hardware)
        self.transport = self.input.transport
        self.codec = self.input.codec
        self.time_base = self.input.time_base
        self.packets = 0
        self.bytes = 0
        self.last_size = 0
        self.corrupt = 0
        self.frames = 0
        self.last_packet_at: float | None = None
        self.first_arrival_wall: float | None = None  # wall-clock time of the first packet
        self.first_pts: float | None = None
        self.play_start: float | None = None  # local files: monotonic time of first_pts, for pacing
        # Catching up: decode nothing but keyframes from skipping_since until one comes (see the worker).
        self.need_keyframe = False
        self.skipping_since = 0.0
        # Held while a decoder-pool thread decodes; close() takes it, so the decoder is never freed under
        # a pool thread, and ``closed`` tells the pool to drop what is still queued.
        self.lock = threading.Lock()
        self.closed = False
        self._input_closed = False
        # Watched by a decoder-pool thread (see watch()): the socket, and what ended the reading there.
        self._watched: tuple[PoolStream, socket.socket] | None = None
        self.failure: Exception | None = None
        self._watch_tried = False

    def retire(self) -> None:
        """No more decoding or delivering from this connection (waits for a pool thread using it)."""
        with self.lock:
            self.closed = True

    def read(self) -> list[av.VideoFrame]:
        """Read the next packet and decode it (blocking, bounded by the read timeout and the token)."""
        packet = self.input.next_packet()
        if packet.size == 0 and packet.pts is None:  # the demuxer's final flush packet
            self.last_size = 0
            frames = self.decode(None)
            if not frames:
                raise EndOfStream("end of stream")
            return frames
        self._count(packet)
        return self.decode(packet)

    def read_packet(self) -> av.Packet[Any]:
        """The next compressed packet, not decoded (a live stream's thread hands it to the decoder pool)."""
        packet = self.input.next_packet()
        if packet.size == 0 and packet.pts is None:  # the demuxer's final flush: the session ended
            raise EndOfStream("end of stream")
        self._count(packet)
        return packet

    @property
    def watched(self) -> bool:
        return self._watched is not None

    def watch(self, stream: PoolStream, on_ready: Callable[[], None]) -> bool:
        """Have ``stream``'s pool thread call ``on_ready`` whenever this live input has data, and read
        it there with :meth:`ready_packets` (True); False when the input must be read by a thread of its
        own with :meth:`read_packet` (FFmpeg's demuxer, RTP over UDP)."""
        if not self.network or self.closed or self._watch_tried:
            return False
        self._watch_tried = True
        try:
            sock = self.input.watch()
        except NotHandled:
            return False
        if sock is None:
            return False
        self._watched = (stream, sock)
        stream.watch(sock, on_ready)
        return True

    def ready_packets(self) -> list[av.Packet[Any]]:
        """On the pool thread, under ``lock``: the packets that what has arrived completes (often one)."""
        packets = self.input.ready_packets()
        for packet in packets:
            self._count(packet)
        return packets

    def stop_watching(self, failure: Exception) -> None:
        """On the pool thread: reading failed; stop watching and keep ``failure`` for the worker."""
        self.failure = failure
        self._unwatch()

    def _unwatch(self) -> None:
        watched, self._watched = self._watched, None
        if watched is not None:
            stream, sock = watched
            stream.unwatch(sock)

    def _count(self, packet: av.Packet[Any]) -> None:
        self.packets += 1
        self.bytes += packet.size
        self.last_size = packet.size
        self.last_packet_at = time.monotonic()
        if self.first_arrival_wall is None:
            self.first_arrival_wall = time.time()

    def decode(self, packet: av.Packet[Any] | None) -> list[av.VideoFrame]:
        """Frames from one packet (None flushes); a damaged packet is counted and gives none."""
        try:
            frames = self.input.decode(packet)
        except av.error.InvalidDataError:
            self.corrupt += 1  # damaged packet (lossy network, a camera's bug): skip it, keep going
            return []
        except av.error.EOFError:
            return []
        self.frames += len(frames)
        return [f for f in frames if isinstance(f, av.VideoFrame)]

    def lag(self, frame: av.VideoFrame) -> float:
        """Seconds this frame is behind real time: wall time since the first packet minus stream time
        since the first frame. Uses only the local clock, so a camera's wrong clock does not matter."""
        if self.first_arrival_wall is None or frame.pts is None:
            return 0.0
        return (time.time() - self.first_arrival_wall) - self.frame_time(frame)

    def resume_reading(self) -> None:
        """Go on reading after a read gave up on its socket timeout (nothing was consumed)."""
        self.input.resume()

    def rewind(self) -> None:
        """Start a local file again from its beginning (loop mode)."""
        assert isinstance(self.input, FfmpegInput)
        self.input.rewind()
        self.play_start = None
        self.first_pts = None

    def frame_time(self, frame: av.VideoFrame) -> float:
        """Seconds of stream time of ``frame`` relative to the first frame (0 without timestamps)."""
        if frame.pts is None:
            return 0.0
        t = frame.pts * self.time_base
        if self.first_pts is None:
            self.first_pts = t
        return t - self.first_pts

    def captured_at(self, frame: av.VideoFrame, received_at: float) -> float:
        """Wall-clock capture time: from the camera's RTCP sender reports when there are some, else the
        first packet's arrival plus the stream's pts, else the receive time."""
        if not self.network or frame.pts is None:
            return received_at
        estimate = self.input.capture_time(frame.pts)
        if estimate is not None:
            if abs(estimate - received_at) < 3600:  # ignore a camera clock that is wildly off
                return min(estimate, received_at)
        if self.first_arrival_wall is None:
            return received_at
        offset = self.frame_time(frame)
        return min(self.first_arrival_wall + offset, received_at)

    def close(self) -> None:
        """Close the input (an RTSP session gets its TEARDOWN, at most 0.5 s). Waits for a pool thread
        decoding this connection (a few milliseconds at most)."""
        self.retire()
        self._unwatch()
        if not self._input_closed:
            self._input_closed = True
            self.input.close()


class FrameConverter:
    """Converts decoded frames for one consumer (a tile): each consumer of a stream has its own, so its
    scaling plan and fitted size stay those of its size (two sizes through one converter would plan
    again on every frame). The output buffers come from the converting thread's pool (buffers.py)."""

    def __init__(self) -> None:
        self._reformatter = VideoReformatter()  # reused: a new one per frame costs 4x (QT-NOTES.md)
        self._i420 = I420Converter()
        self._fit_key: tuple[int, int, int, int] = (0, 0, 0, 0)
        self._fit = (2, 2)

    def convert(self, frame: av.VideoFrame, width: int, height: int) -> np.ndarray:
        """``frame`` as a C-contiguous BGRA array fitted inside ``width`` x ``height`` (aspect kept)."""
        src_w, src_h = frame.width, frame.height
        key = (src_w, src_h, width, height)
        if key != self._fit_key:  # the same on almost every frame
            self._fit_key, self._fit = key, fit_size(src_w, src_h, width, height)
        w, h = self._fit
        if not (src_w | src_h) & 1 and self._i420.handles(frame.format.name):
            return self._i420.convert(frame, max(2, w & ~1), h)  # even width: half-size chroma planes
        # Other formats: swscale on this thread only (its own slice threads only added hand-offs, like
        # OpenCV's: the pool already runs one decoder thread per core).
        out = self._reformatter.reformat(frame, width=w, height=h, format="bgra",
                                         interpolation=Interpolation.BILINEAR, threads=1)
        image = out.to_ndarray()
        return image if image.flags.c_contiguous else np.ascontiguousarray(image)


def luma(frame: av.VideoFrame) -> np.ndarray:
    """The decoded luma plane as a (height x width) uint8 view, for the stamp reader."""
    plane = frame.planes[0]
    rows: np.ndarray = np.frombuffer(memoryview(plane), np.uint8).reshape(frame.height, plane.line_size)
    return rows[:, : frame.width]


def fit_size(src_w: int, src_h: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The largest size with the source's aspect ratio that fits inside the box (at least 2x2)."""
    if src_w <= 0 or src_h <= 0:
        return max(2, box_w), max(2, box_h)
    scale = min(box_w / src_w, box_h / src_h)
    w = max(2, min(box_w, round(src_w * scale)))
    h = max(2, min(box_h, round(src_h * scale)))
    return w, h


class I420Converter:
    """The common case (yuv420p, or yuvj420p with libyuv; even sizes): scale the three planes, then
    convert once to BGRA.

    With libyuv (``libyuv.py``) libyuv converts, halves and scales at the ratios it has code of its own
    for, and OpenCV scales what is left (:func:`_convert_libyuv`): 640x360 to 296x166 in 0.083 ms, to
    480x270 in 0.050 ms. Without it OpenCV scales the planes and converts (0.111 and 0.202 ms). The planes
    are read in place, scaled into the thread's scratch I420 images, and converted into a buffer of the
    thread's pool (buffers.py): the free one written most recently.
    """

    def __init__(self) -> None:
        self._yuv = libyuv.load()
        _single_threaded_opencv()

    def handles(self, pixel_format: str) -> bool:
        """yuv420p always; full-range yuvj420p with libyuv (OpenCV's conversion is limited range only)."""
        return pixel_format == "yuv420p" or (pixel_format == "yuvj420p" and self._yuv is not None)

    def convert(self, frame: av.VideoFrame, w: int, h: int) -> np.ndarray:
        """``frame`` scaled to ``w`` (even) x ``h``. An odd height is converted one row taller and that
        row left out (the first rows of a C-contiguous array are still C-contiguous)."""
        rows_out = h
        h += h & 1
        pool = thread_pool()
        image = pool.take((h, w, 4))
        yuv = self._yuv
        if yuv is None:
            flat, planes_out, _ = pool.scratch((w, h), _i420_scratch)
            _resize_planes(_frame_planes(frame), planes_out)
            cv2.cvtColor(flat, cv2.COLOR_YUV2BGRA_I420, dst=image)
        else:
            _convert_libyuv(yuv, pool, frame, image, w, h)
        return image if rows_out == h else image[:rows_out]


def _convert_libyuv(yuv: libyuv.LibYuv, pool: BufferPool, frame: av.VideoFrame, image: np.ndarray, w: int,
                    h: int) -> None:
    """Into ``image``: halve the planes with libyuv (a 2x2 average) while the target is at most half the
    picture, scale what is left (libyuv at the ratios it has code of its own for, else OpenCV, bilinear),
    and convert with libyuv. The halving averages the pixels that one bilinear step would skip
    (aliasing: stripes that are not there). libyuv's BGRA scaling (``ARGBScale``) would be faster still
    for the rest, but Debian's libyuv0 (0.0~git20230123) darkens every pixel there by 1/128 (255 to 253,
    alpha too, which Qt's RGB32 does not allow)."""
    y, u, v = frame.planes
    to_bgra = yuv.i420_to_argb if frame.format.name == "yuv420p" else yuv.j420_to_argb
    src: tuple[int, ...] = (y.buffer_ptr, y.line_size, u.buffer_ptr, u.line_size, v.buffer_ptr, v.line_size)
    halved: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    sw, sh = frame.width, frame.height
    while sw >= 2 * w and sh >= 2 * h and not (sw | sh) & 3:  # halves stay even (4:2:0 chroma)
        sw, sh = sw // 2, sh // 2
        _, halved, (dy, du, dv) = pool.scratch((sw, sh), _i420_scratch)
        yuv.i420_scale(*src, sw * 2, sh * 2, dy, sw, du, sw // 2, dv, sw // 2, sw, sh, libyuv.FILTER_BILINEAR)
        src = (dy, sw, du, sw // 2, dv, sw // 2)
    if (sw, sh) != (w, h):
        _, planes_out, (dy, du, dv) = pool.scratch((w, h), _i420_scratch)
        if _libyuv_scales_fast(sw, sh, w, h):
            yuv.i420_scale(*src, sw, sh, dy, w, du, w // 2, dv, w // 2, w, h, libyuv.FILTER_BILINEAR)
        else:
            _resize_planes(halved if halved is not None else _frame_planes(frame), planes_out)
        src = (dy, w, du, w // 2, dv, w // 2)
    to_bgra(*src, image.ctypes.data, w * 4, w, h)


def _frame_planes(frame: av.VideoFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The decoded I420 planes as (rows x columns) uint8 views, without their row padding."""
    w, h = frame.width, frame.height
    y, u, v = (np.frombuffer(plane, np.uint8).reshape(ph, plane.line_size)[:, :pw]  # type: ignore[call-overload]
               for plane, pw, ph in zip(frame.planes, (w, w // 2, w // 2), (h, h // 2, h // 2), strict=True))
    return y, u, v


def _resize_planes(planes: tuple[np.ndarray, ...], planes_out: tuple[np.ndarray, ...]) -> None:
    """Each plane resized (OpenCV, bilinear) into the plane of the same index (their sizes say how)."""
    for plane, dst in zip(planes, planes_out, strict=True):
        if plane.shape == dst.shape:
            np.copyto(dst, plane)
        else:
            cv2.resize(plane, (dst.shape[1], dst.shape[0]), dst=dst, interpolation=cv2.INTER_LINEAR)


def _libyuv_scales_fast(src_w: int, src_h: int, w: int, h: int) -> bool:
    """The ratios libyuv scales I420 with code of their own (3/4, 1/2 and 3/8 down, 2x up): 640x360 to
    480x270 took 0.030 ms against 0.128 ms in OpenCV. At other ratios OpenCV's resize is faster (from
    640x360 to 296x166: 0.068 against 0.079 ms)."""
    return ((4 * w == 3 * src_w and 4 * h == 3 * src_h) or (2 * w == src_w and 2 * h == src_h)
            or (8 * w == 3 * src_w and 8 * h == 3 * src_h) or (w == 2 * src_w and h == 2 * src_h))


_I420Scratch = tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray], tuple[int, int, int]]


def _i420_scratch(w: int, h: int) -> _I420Scratch:
    """A ``w`` x ``h`` I420 image (even sizes) as one array, views of its Y, U and V planes, and their
    addresses (for libyuv)."""
    quarter = (w // 2) * (h // 2)
    flat = np.empty(w * h + 2 * quarter, np.uint8)
    planes = (flat[:w * h].reshape(h, w),
              flat[w * h:w * h + quarter].reshape(h // 2, w // 2),
              flat[w * h + quarter:].reshape(h // 2, w // 2))
    base = flat.ctypes.data
    return flat.reshape(h * 3 // 2, w), planes, (base, base + w * h, base + w * h + quarter)


_opencv_configured = False


def _single_threaded_opencv() -> None:
    """One OpenCV thread per call: the engine already runs one thread per stream, and OpenCV's own pool
    only adds hand-offs (measured: 0.45 ms instead of 0.22 ms of CPU per frame with two threads).
    This is process-wide; OpenCV users elsewhere in camdesk run on their own threads as well."""
    global _opencv_configured
    if not _opencv_configured:
        cv2.setNumThreads(1)
        _opencv_configured = True

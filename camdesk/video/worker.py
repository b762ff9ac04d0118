"""The thread that plays one stream: connect, decode, convert, deliver, recover.

Everything here runs on the worker's own thread except the ``request_*``/``pause``/``resume``/``stop``
methods, which only set fields and wake the thread, so the GUI thread never waits on it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import av
import av.error

from camdesk.errors import AuthFailed, CamdeskError, InvalidUrl, StreamTimeout, Unsupported
from camdesk.logs import scrub
from camdesk.models.stream import StreamQuality, StreamSource, StreamState, StreamStatus, VideoFrame
from camdesk.video import interrupt
from camdesk.video.backoff import Backoff
from camdesk.video.connection import Connection, StampReader, luma
from camdesk.video.decode_pool import DecodePool, PoolStream
from camdesk.video.inputs import EndOfStream
from camdesk.video.outputs import Output, shown, wanted_quality
from camdesk.video.priority import lower_thread_priority
from camdesk.video.selector import QualitySelector
from camdesk.video.settings import EngineSettings
from camdesk.video.source import classify, describe
from camdesk.video.stats import StatsCollector

log = logging.getLogger(__name__)

StatusCallback = Callable[[StreamStatus], None]


CATCH_UP_LAG_S = 0.5  # behind real time by more than this: skip to the next keyframe
# A stream whose keyframes the decoder never recognises (some cameras send only recovery-point I-frames)
# must not stay frozen: after this long without one, catching up decodes everything again.
KEYFRAME_WAIT_S = 3.0


class _Switch(threading.Thread):
    """Opens the other quality in the background and decodes up to its first frame, so the worker can
    keep showing the old stream until then (no black flash)."""

    def __init__(self, worker: StreamWorker, quality: StreamQuality, source: StreamSource) -> None:
        super().__init__(name=f"{worker.name}-switch", daemon=True)
        self.worker = worker
        self.quality = quality
        self.source = source
        self.token = interrupt.CancelToken()
        self.connection: Connection | None = None
        self.first: av.VideoFrame | None = None
        self.error: str = ""
        self.done = threading.Event()

    def run(self) -> None:
        lower_thread_priority()
        settings = self.worker.settings
        self.token.deadline = time.monotonic() + settings.open_timeout_s + settings.stall_timeout_s
        with interrupt.scope(self.token):
            try:
                conn = Connection(self.source, self.quality, settings, self.worker.transport,
                                  settings.hardware_decoding)
                self.connection = conn
                while not self.token.cancelled:
                    frames = conn.read()
                    if frames:
                        self.first = frames[-1]
                        break
            except (CamdeskError, av.error.FFmpegError, OSError, EndOfStream) as exc:
                self.error = describe(exc)
            except Exception:  # top of a thread: log, report through .error
                log.exception("switching %s to %s failed", self.worker.stream_id, self.quality.value)
                self.error = "internal error"
            finally:
                if self.first is None and self.connection is not None:
                    self.connection.close()
                    self.connection = None
                self.done.set()
                self.worker.wake()


class StreamWorker(threading.Thread):
    """Plays one stream (one session with the camera) into the mailboxes of its :class:`Output`s, the
    tiles that show it, each at its own size, and reports :class:`StreamStatus` changes to each.

    ``on_status`` runs on this worker thread or on a decoder-pool thread. ``stamp_reader`` (tests,
    bench, demo) reads the simulator's stamp from the luma plane before scaling; it returns wall-clock
    milliseconds or None.

    A live stream's packets are decoded, converted and delivered by the ``pool``'s threads and this
    thread only reads the network and runs the state machine; local files (paced to their own speed)
    are decoded here.
    """

    def __init__(self, stream_id: str, main: StreamSource, sub: StreamSource | None, output: Output,
                 settings: EngineSettings, on_status: StatusCallback, stats: StatsCollector, pool: DecodePool,
                 stamp_reader: StampReader | None = None) -> None:
        super().__init__(name=f"camdesk-video-{stream_id}", daemon=True)
        self.stream_id = stream_id  # the first consumer's: names the thread and the log lines
        self.key = (main, sub)  # consumers of the same sources (credentials included) share this worker
        self.main = main
        self.sub = sub
        self.settings = settings
        self.on_status = on_status
        self.stats = stats
        self._outputs: tuple[Output, ...] = (output,)  # replaced whole (read without a lock)
        self._outputs_lock = threading.Lock()
        self.stamp_reader = stamp_reader
        self.transport = settings.transport if settings.transport in ("tcp", "udp") else "tcp"
        self.selector = QualitySelector(
            has_sub=sub is not None,
            sub_width=sub.width if sub else 0,
            sub_height=sub.height if sub else 0,
            up=settings.upscale_to_main,
            down=settings.downscale_to_sub,
            min_interval=settings.min_switch_s,
        )
        self.status: StreamStatus | None = None
        self._paused = False  # every consumer is hidden
        self._paused_at = 0.0
        self._halt = threading.Event()
        self._wake = threading.Event()
        self._token = interrupt.CancelToken()
        self._backoff = Backoff(first=settings.retry_first_s, cap=settings.retry_cap_s)
        self._conn: Connection | None = None
        self._switch: _Switch | None = None
        self._switch_failed_at = float("-inf")
        self._attempt = 0  # consecutive failed attempts since video last played
        self._down_since: float | None = None  # wall-clock time video was lost
        self._next_try = 0.0  # monotonic
        self._was_playing = False
        self._connect_started = time.monotonic()
        self._first_frame_pending = True
        self._last_frame_at = 0.0
        self._sequence = 0
        self._ended = False
        self._decoder: PoolStream = pool.stream(self._decode_batch)
        self._announce_connecting = False

    # --- control, from any thread ------------------------------------------------------------------
    def wake(self) -> None:
        self._wake.set()

    def attach(self, output: Output) -> bool:
        """Another consumer of this stream; it is told the current state at once. False if the worker is
        stopping (the caller starts a new one)."""
        with self._outputs_lock:
            if self._halt.is_set():
                return False
            self._outputs = (*self._outputs, output)
        status = self.status
        if status is not None:
            self._notify(output, status)
        self._update_pause()
        return True

    def detach(self, output: Output) -> bool:
        """Remove a consumer; True if none is left (the caller stops the worker)."""
        with self._outputs_lock:
            self._outputs = tuple(o for o in self._outputs if o is not output)
            empty = not self._outputs
        if not empty:
            self._update_pause()
        return empty

    def request_size(self, output: Output, width: int, height: int) -> None:
        output.size = (max(2, width), max(2, height))
        self.wake()

    def force_quality(self, output: Output, quality: StreamQuality | None) -> None:
        output.forced = quality
        self.wake()

    def pause(self, output: Output) -> None:
        output.paused = True
        self._update_pause()

    def resume(self, output: Output) -> None:
        output.paused = False
        self._update_pause()

    def _update_pause(self) -> None:
        """The stream pauses when every consumer is hidden, and plays again when one is shown."""
        outputs = self._outputs
        hidden = bool(outputs) and all(o.paused for o in outputs)
        if hidden and not self._paused:
            self._paused_at = time.monotonic()
            self._paused = True
            self.wake()
        elif not hidden and self._paused:
            self._paused = False
            self._next_try = 0.0
            self.wake()

    def stop(self) -> None:
        """Ask the thread to end; blocking reads are interrupted within about 100 ms."""
        self._halt.set()
        self._token.cancel()
        switch = self._switch
        if switch is not None:
            switch.token.cancel()
        self.wake()

    @property
    def stopping(self) -> bool:
        return self._halt.is_set()

    # --- the thread ----------------------------------------------------------------------------------
    def run(self) -> None:
        interrupt.install()
        lower_thread_priority()
        with interrupt.scope(self._token):
            self._emit(StreamState.CONNECTING)
            while not self._halt.is_set():
                try:
                    self._step()
                except Exception:  # top of the thread: log, recover by reconnecting
                    log.exception("stream %s: unexpected error", self.stream_id)
                    self._drop_connection()
                    self._fail(CamdeskError("internal error"))
            self._drop_connection()
            self._cancel_switch()
            self._decoder.close()

    def _step(self) -> None:
        now = time.monotonic()
        if self._paused:
            if self._conn is not None and now - self._paused_at >= self.settings.pause_grace_s:
                self._drop_connection()
                self._cancel_switch()
                self._first_frame_pending = True
                self._announce_connecting = True
                self._emit(StreamState.STOPPED, reason="paused")
            if self._conn is None:
                self._announce_connecting = True
                self._sleep(1.0)
                return
            if not self._conn.network:  # a file has no live data to drain: just wait
                self._sleep(0.2)
                return
        if self._ended:
            self._sleep(1.0)
            return
        if self._conn is None:
            if now < self._next_try:
                self._sleep(self._next_try - now)
                return
            if self._announce_connecting:
                self._announce_connecting = False
                self._emit(StreamState.CONNECTING)
            self._connect()
            return
        if not self._paused:
            self._consider_switch(now)
        conn = self._conn
        if conn is None:
            return  # the switch failed over
        if conn.failure is not None or conn.watched or conn.watch(self._decoder, partial(self._on_ready, conn)):
            self._supervise(conn)
        else:
            self._read()

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(max(0.0, seconds))
        self._wake.clear()

    def _quality(self) -> StreamQuality:
        self.selector.forced, width, height = wanted_quality(self._outputs)
        return self.selector.decide(width, height, time.monotonic())

    def _source(self, quality: StreamQuality) -> StreamSource:
        return self.sub if quality == StreamQuality.SUB and self.sub is not None else self.main

    def _connect(self) -> None:
        quality = self._quality()
        if self._first_frame_pending:
            self._connect_started = time.monotonic()
        self._token.deadline = time.monotonic() + self.settings.open_timeout_s + 1.0
        try:
            conn = self._open(quality, self.transport)
        except CamdeskError as exc:
            if self._halt.is_set():
                return
            if self.transport == "udp" and not isinstance(exc, AuthFailed | InvalidUrl | Unsupported):
                log.info("stream %s: UDP failed (%s), falling back to TCP", self.stream_id, exc.detail)
                self.transport = "tcp"
                self._next_try = 0.0
                return
            self._fail(exc)
            return
        self._conn = conn
        self._first_frame_pending = True
        # Until the first frame: over UDP, wait only udp_fallback_s for any packet; else the stall time.
        wait = self.settings.stall_timeout_s
        if conn.transport == "udp":
            wait = min(wait, self.settings.udp_fallback_s)
        self._last_frame_at = time.monotonic()
        self._token.deadline = self._last_frame_at + max(wait, 0.5)

    def _open(self, quality: StreamQuality, transport: str) -> Connection:
        source = self._source(quality)
        try:
            return Connection(source, quality, self.settings, transport, self.settings.hardware_decoding)
        except CamdeskError:
            raise
        except (av.error.FFmpegError, OSError, ValueError) as exc:
            raise classify(exc) from None

    def _read(self) -> None:
        conn = self._conn
        assert conn is not None
        packet = None
        try:
            if conn.network:
                packet = conn.read_packet()  # decoded by the pool
                frames: list[av.VideoFrame] = []
            else:
                frames = conn.read()
        except EndOfStream:
            if self._halt.is_set():
                return
            if not conn.network:
                if self.settings.loop_files and conn.frames > 0:
                    conn.rewind()
                    return
                self._drop_connection()
                self._ended = True
                self._emit(StreamState.STOPPED, reason="end of file")
                return
            self._lost(CamdeskError("the camera ended the stream"))
            return
        except (av.error.FFmpegError, OSError) as exc:
            if self._halt.is_set():
                return
            if isinstance(exc, TimeoutError) and conn.network and not self._token.expired(time.monotonic()):
                # FFmpeg's socket timeout (about 1 s) ran out, but the stall deadline has not: keep waiting.
                conn.resume_reading()
                return
            if conn.transport == "udp" and conn.packets == 0:
                log.info("stream %s: no packets over UDP, falling back to TCP", self.stream_id)
                self.transport = "tcp"
                self._drop_connection()
                self._next_try = 0.0
                return
            if self._token.expired(time.monotonic()):
                self._lost(self._stalled())
            else:
                self._lost(classify(exc))
            return
        if self._token.expired(time.monotonic()) and not self._halt.is_set():
            # An interrupted read can hand back a truncated last packet; the stall is what counts.
            self._lost(self._stalled())
            return
        if conn.last_size:
            self.stats.packet(conn.last_size)
        if conn.transport == "udp" and conn.packets > 0 and self._first_frame_pending:
            # Packets flow over UDP: from now on the normal stall time applies.
            self._token.deadline = self._last_frame_at + self.settings.stall_timeout_s
        if self._discard_while_paused(conn):
            return
        if packet is not None:
            self._decoder.submit((conn, packet))
        for frame in frames:  # a local file's, paced by _deliver
            self._deliver(conn, frame)
        if not frames and time.monotonic() - self._last_frame_at > self.settings.stall_timeout_s:
            # The demuxer keeps returning packets that never make a frame (corrupt or not video).
            self._lost(self._stalled())

    def _discard_while_paused(self, conn: Connection) -> bool:
        """A hidden tile's packets are read (the session stays up for the grace period) but not decoded;
        resuming starts at a keyframe (no smeared picture)."""
        if not self._paused:
            return False
        conn.need_keyframe = True
        conn.skipping_since = time.monotonic()
        self._token.deadline = time.monotonic() + self.settings.stall_timeout_s
        return True

    def _stalled(self) -> StreamTimeout:
        return StreamTimeout(f"no video for {self.settings.stall_timeout_s:g} s")

    def _supervise(self, conn: Connection) -> None:
        """A watched connection is read by the decoder pool (``_on_ready``); this thread only waits for
        it to fail or stall, and for requests (size, pause, stop), which wake it."""
        if self._halt.is_set():
            return
        failure = conn.failure
        if failure is not None:
            self._lost(failure if isinstance(failure, CamdeskError) else classify(failure))
            return
        now = time.monotonic()
        if self._token.expired(now):
            self._lost(self._stalled())
            return
        wait = min(1.0, (self._token.deadline or now) - now)
        if self._paused:
            wait = min(wait, self._paused_at + self.settings.pause_grace_s - now)
        self._sleep(wait)

    def _on_ready(self, conn: Connection) -> None:
        """On the decoder-pool thread, whenever a watched connection's socket has data: read it, then
        decode and deliver as ``_decode_batch`` does."""
        if not conn.lock.acquire(blocking=False):
            return  # closing right now
        try:
            if conn.closed:
                return
            try:
                packets = conn.ready_packets()
            except Exception as exc:  # any failure ends this connection; the worker reports it
                if not isinstance(exc, OSError | CamdeskError):
                    log.exception("stream %s: reading failed", self.stream_id)
                    exc = CamdeskError("internal error")
                conn.stop_watching(exc)
                self.wake()
                return
            if not packets:
                return
            self.stats.packet(sum(packet.size for packet in packets))  # one sample per read: bytes for kbit/s
            if self._discard_while_paused(conn):
                return
            self._decode_packets(conn, packets)
        finally:
            conn.lock.release()

    def _decode_batch(self, items: list[tuple[Connection, av.Packet[Any]]]) -> None:
        """On a decoder-pool thread: the packets a reading thread submitted (inputs that are not watched)."""
        conn = self._conn
        packets = [packet for owner, packet in items if owner is conn]
        if conn is None or not packets or not conn.lock.acquire(blocking=False):
            return  # an old connection's packets, or it is closing right now
        try:
            if not conn.closed:
                self._decode_packets(conn, packets)
        finally:
            conn.lock.release()

    def _decode_packets(self, conn: Connection, packets: list[av.Packet[Any]]) -> None:
        """Under ``conn.lock``: decode the packets in order, and convert and deliver only the newest
        picture (the others would be overwritten unseen)."""
        newest: av.VideoFrame | None = None
        decoded = 0
        for packet in packets:
            if conn.need_keyframe:
                if not packet.is_keyframe and time.monotonic() - conn.skipping_since < KEYFRAME_WAIT_S:
                    continue  # catching up: not even decoded
                conn.need_keyframe = False
            for frame in conn.decode(packet):
                decoded += 1
                if conn.lag(frame) > CATCH_UP_LAG_S and not frame.key_frame:
                    # Decoding fell behind real time (more streams than the CPU can decode): jump to
                    # the next keyframe instead of showing ever older video.
                    conn.need_keyframe = True
                    conn.skipping_since = time.monotonic()
                    self.stats.skipped()
                    newest = None
                    break
                newest = frame
        if newest is None:
            return
        if decoded > 1:
            for output in shown(self._outputs):
                output.mailbox.skipped(decoded - 1)
        if conn is self._conn:
            self._deliver(conn, newest)

    def _deliver(self, conn: Connection, frame: av.VideoFrame) -> None:
        started = time.perf_counter()
        if not conn.network:
            self._pace(conn, frame)
            if self._halt.is_set():
                return
        received = time.time()
        stamp_ms: float | None = None
        if self.stamp_reader is not None:
            try:
                stamp_ms = self.stamp_reader(luma(frame))
            except (ValueError, IndexError) as exc:
                log.debug("stamp unreadable: %s", exc)
        self._sequence += 1
        captured = stamp_ms / 1000 if stamp_ms is not None else conn.captured_at(frame, received)
        for output in shown(self._outputs):  # converted once per shown consumer, at its size
            image = output.converter.convert(frame, *output.size)
            output.mailbox.put(VideoFrame(
                image=image,
                width=image.shape[1],
                height=image.shape[0],
                received_at=received,
                captured_at=captured,
                sequence=self._sequence,
                quality=conn.quality,
                stamp_ms=round(stamp_ms) if stamp_ms is not None else None,
            ))
        decode_ms = (time.perf_counter() - started) * 1000
        now = time.monotonic()
        self._last_frame_at = now
        self._token.deadline = now + self.settings.stall_timeout_s
        self.stats.frame(decode_ms, received * 1000 - stamp_ms if stamp_ms is not None else None)
        if conn.quality == StreamQuality.SUB:
            self.selector.learn_sub_size(frame.width, frame.height)
        if self._first_frame_pending:
            self._first_frame_pending = False
            self.stats.first_frame((now - self._connect_started) * 1000)
            self.stats.source(conn.codec, frame.width, frame.height)
            if self._was_playing:
                self.stats.reconnected()
            self._was_playing = True
            self._attempt = 0
            self._down_since = None
            self._emit(StreamState.PLAYING, quality=conn.quality)

    def _pace(self, conn: Connection, frame: av.VideoFrame) -> None:
        """Play local files at their own speed (not as fast as the decoder can go)."""
        offset = conn.frame_time(frame)
        now = time.monotonic()
        if conn.play_start is None:
            conn.play_start = now - offset
        delay = conn.play_start + offset - now
        if delay > 0:
            self._halt.wait(min(delay, 2.0))

    # --- switching main/sub --------------------------------------------------------------------------
    def _consider_switch(self, now: float) -> None:
        conn = self._conn
        assert conn is not None
        switch = self._switch
        if switch is not None:
            if switch.done.is_set():
                self._finish_switch(switch)
            elif switch.quality != self._quality():
                self._cancel_switch()
            return
        if now - self._switch_failed_at < max(self.settings.min_switch_s, 5.0):
            return
        quality = self._quality()
        if quality != conn.quality and self._source(quality) is not conn.source:
            self._switch = _Switch(self, quality, self._source(quality))
            self._switch.start()

    def _finish_switch(self, switch: _Switch) -> None:
        self._switch = None
        switch.join(timeout=1.0)
        new = switch.connection
        if new is None or switch.first is None:
            log.info("stream %s: switch to %s failed: %s", self.stream_id, switch.quality.value, switch.error)
            self._switch_failed_at = time.monotonic()
            return
        old, self._conn = self._conn, new
        if old is not None:
            old.close()
        self._first_frame_pending = True  # re-announce PLAYING with the new quality
        self._connect_started = time.monotonic()
        self._deliver(new, switch.first)

    def _cancel_switch(self) -> None:
        switch, self._switch = self._switch, None
        if switch is not None:
            switch.token.cancel()
            switch.join(timeout=2.0)
            if switch.connection is not None:
                switch.connection.close()

    # --- failures ------------------------------------------------------------------------------------
    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _lost(self, error: CamdeskError) -> None:
        """Video stopped on an open connection: report it, close the connection and retry soon."""
        self._first_frame_pending = True
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.retire()  # a pool thread must not announce PLAYING after the failure is reported
        self._fail(error)  # report first: closing a hung session can take up to half a second
        if conn is not None:
            conn.close()
        self._cancel_switch()

    def _fail(self, error: CamdeskError) -> None:
        """Report the failure and schedule the next attempt."""
        self._attempt += 1
        wall = time.time()
        if self._down_since is None:
            self._down_since = wall
        reason = scrub(error.detail or type(error).__name__)
        if isinstance(error, AuthFailed):
            delay = self.settings.auth_retry_s
            state = StreamState.AUTH_FAILED
        elif isinstance(error, Unsupported | InvalidUrl):
            delay = self.settings.auth_retry_s
            state = StreamState.UNSUPPORTED
        else:
            delay = self._backoff.delay(self._attempt)
            long_down = wall - self._down_since >= self.settings.offline_after_s
            if self._attempt > self.settings.offline_after_attempts or long_down:
                state = StreamState.OFFLINE
            else:
                state = StreamState.RECONNECTING
        self._next_try = time.monotonic() + delay
        log.info("stream %s: %s (%s), next try in %.1f s", self.stream_id, state.value, reason, delay)
        since = self._down_since if state == StreamState.OFFLINE else wall
        self._emit(state, attempt=self._attempt, next_try_at=wall + delay, reason=reason, since=since)

    def _current_quality(self) -> StreamQuality:
        if self._conn is not None:
            return self._conn.quality
        if self.selector.current is not None:
            return self.selector.current
        return StreamQuality.SUB if self.sub is not None else StreamQuality.MAIN

    def _emit(self, state: StreamState, *, attempt: int = 0, next_try_at: float | None = None,
              reason: str = "", quality: StreamQuality | None = None, since: float | None = None) -> None:
        if self._halt.is_set():
            return
        status = StreamStatus(
            stream_id=self.stream_id,
            state=state,
            since=since if since is not None else time.time(),
            attempt=attempt,
            next_try_at=next_try_at,
            reason=scrub(reason),
            quality=quality or self._current_quality(),
        )
        self.status = status
        for output in self._outputs:
            self._notify(output, status)

    def _notify(self, output: Output, status: StreamStatus) -> None:
        try:
            self.on_status(output.own(status))
        except Exception:  # a consumer's bug must not stop the video
            log.exception("stream %s: status callback failed", output.stream_id)

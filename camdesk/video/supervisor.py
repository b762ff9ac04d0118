"""The stream supervisor: one worker thread per camera stream, shared by the tiles that show it, driven
from the GUI thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from camdesk.models.stream import StreamQuality, StreamSource, StreamStats, StreamStatus, VideoFrame
from camdesk.video.connection import StampReader
from camdesk.video.decode_pool import DecodePool
from camdesk.video.mailbox import Mailbox
from camdesk.video.outputs import Output
from camdesk.video.settings import DEFAULT_SETTINGS, EngineSettings
from camdesk.video.stats import StatsCollector
from camdesk.video.worker import StreamWorker

log = logging.getLogger(__name__)


@dataclass
class _Entry:
    worker: StreamWorker
    output: Output  # this stream id's consumer of the worker


class StreamSupervisor:
    """Owns one worker thread per camera stream (reading the network, recovering) and the decoder pool
    shared by them (decoding, converting, delivering; ``decode_pool.py`` says why). All methods are
    non-blocking and safe to call from the GUI thread (``shutdown`` waits, by design, up to its timeout).

    Each ``stream_id`` is one consumer (a tile). Streams opened with the same sources (URLs and
    credentials) share one worker and one session with the camera (``outputs.py``): each still has its
    own size, mailbox, pause, forced quality, statuses and delivery figures.

    ``on_status`` runs on a worker thread; the UI marshals it to the GUI thread
    (``camdesk.ui.bridge.GuiBridge.post``). ``stamp_reader`` (tests, bench, demo) reads the simulator's
    stamp from a frame's luma plane and returns its wall-clock milliseconds, or None.
    """

    def __init__(self, on_status: Callable[[StreamStatus], None], settings: EngineSettings = DEFAULT_SETTINGS,
                 stamp_reader: StampReader | None = None) -> None:
        self.on_status = on_status
        self.settings = settings
        self.stamp_reader = stamp_reader
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._retired: list[StreamWorker] = []  # stopped workers not yet joined
        self._pool = DecodePool(settings.decode_threads)

    def open(self, stream_id: str, main: StreamSource, sub: StreamSource | None = None,
             width: int = 640, height: int = 360, notify: Callable[[], object] | None = None) -> None:
        """Start (or restart) a stream; main or sub is chosen from the size vs. the sub resolution (the
        largest shown consumer's, when several share the camera). ``notify`` is called on a decoder thread
        whenever a frame becomes ready for ``latest`` (see ``Mailbox``): a consumer of many streams then
        asks only those that have one."""
        output = Output(stream_id, Mailbox(notify), (max(2, width), max(2, height)))
        new: StreamWorker | None = None
        with self._lock:
            old = self._entries.pop(stream_id, None)
            if old is not None:
                self._detach(old)
            worker = next((e.worker for e in self._entries.values()
                           if e.worker.key == (main, sub) and not e.worker.stopping), None)
            if worker is None or not worker.attach(output):
                worker = new = StreamWorker(stream_id, main, sub, output, self.settings, self.on_status,
                                            StatsCollector(), self._pool, self.stamp_reader)
            self._entries[stream_id] = _Entry(worker, output)
            self._retired = [w for w in self._retired if w.is_alive()]
        if new is not None:
            new.start()

    def _detach(self, entry: _Entry) -> None:
        """Under the lock: the consumer leaves its worker, which stops when it was the last."""
        if entry.worker.detach(entry.output):
            entry.worker.stop()
            self._retired.append(entry.worker)

    def _entry(self, stream_id: str) -> _Entry | None:
        with self._lock:
            return self._entries.get(stream_id)

    def resize(self, stream_id: str, width: int, height: int) -> None:
        """The consumer's device-pixel size; later frames are scaled to fit it (may switch main/sub)."""
        entry = self._entry(stream_id)
        if entry is not None:
            entry.worker.request_size(entry.output, width, height)

    def force_quality(self, stream_id: str, quality: StreamQuality | None) -> None:
        """Pin main or sub (None = automatic by size)."""
        entry = self._entry(stream_id)
        if entry is not None:
            entry.worker.force_quality(entry.output, quality)

    def pause(self, stream_id: str) -> None:
        """A hidden tile: no frames for it; when every consumer of the camera is hidden, stop decoding now
        and disconnect after ``settings.pause_grace_s``."""
        entry = self._entry(stream_id)
        if entry is not None:
            entry.worker.pause(entry.output)

    def resume(self, stream_id: str) -> None:
        entry = self._entry(stream_id)
        if entry is not None:
            entry.worker.resume(entry.output)

    def close(self, stream_id: str) -> None:
        """Stop the stream; its thread ends within about 100 ms (joined by ``shutdown``) unless another
        consumer still shows the camera."""
        with self._lock:
            entry = self._entries.pop(stream_id, None)
            if entry is not None:
                self._detach(entry)

    def latest(self, stream_id: str) -> VideoFrame | None:
        """The newest frame if a new one arrived since the last call, else None."""
        entry = self._entry(stream_id)
        if entry is None:
            return None
        frame = entry.output.mailbox.take()
        if frame is not None:
            entry.output.delivered.add()
        return frame

    def stats(self, stream_id: str) -> StreamStats:
        entry = self._entry(stream_id)
        if entry is None:
            return StreamStats()
        return entry.worker.stats.snapshot(entry.output.mailbox.dropped, entry.output.delivered.rate())

    def status(self, stream_id: str) -> StreamStatus | None:
        entry = self._entry(stream_id)
        if entry is None:
            return None
        status = entry.worker.status
        return entry.output.own(status) if status is not None else None

    def decoder_threads(self) -> int:
        """Decoder-pool threads running streams now (as few as keep up with the load)."""
        return self._pool.threads_in_use()

    def stream_ids(self) -> list[str]:
        with self._lock:
            return list(self._entries)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop every worker and join the threads, all within ``timeout`` seconds in total."""
        with self._lock:
            workers = list(dict.fromkeys(e.worker for e in self._entries.values())) + self._retired  # shared once
            self._entries.clear()
            self._retired = []
        for worker in workers:
            worker.stop()
        deadline = time.monotonic() + timeout
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        self._pool.shutdown(max(0.1, deadline - time.monotonic()))
        left = [w.name for w in workers if w.is_alive()]
        if left:
            log.warning("%d stream threads still running after %.1f s: %s", len(left), timeout, left[:5])

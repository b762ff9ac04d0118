"""A one-slot latest-frame mailbox between a decoder thread and the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable

from camdesk.models.stream import VideoFrame


class Mailbox:
    """Holds only the newest frame. ``put`` never blocks: a frame the consumer did not take in time is
    overwritten and counted as dropped, so latency stays bounded when the consumer is busy.

    ``notify`` (optional) is called by ``put`` when the slot turns fresh, i.e. once per frame the consumer
    can take. A consumer of many mailboxes (a wall of 64 tiles) then visits only those with a new frame
    instead of polling all of them 60 times a second. It runs on the producer's thread under the lock:
    it must be quick and must not call back into the mailbox (``deque.append`` is meant). A consumer that
    is notified must eventually ``take``: until then the mailbox stays fresh and does not notify again.
    """

    def __init__(self, notify: Callable[[], object] | None = None) -> None:
        self._notify = notify
        self._lock = threading.Lock()
        self._frame: VideoFrame | None = None
        self._fresh = False
        self.dropped = 0
        self.delivered = 0
        self.put_count = 0

    def put(self, frame: VideoFrame) -> None:
        """Store ``frame`` (producer thread)."""
        with self._lock:
            if self._fresh:
                self.dropped += 1
            elif self._notify is not None:
                self._notify()
            self._frame = frame
            self._fresh = True
            self.put_count += 1

    def skipped(self, count: int) -> None:
        """``count`` frames were decoded but never converted: a newer one came in the same batch."""
        with self._lock:
            self.dropped += count

    def take(self) -> VideoFrame | None:
        """The newest frame if one arrived since the last take, else None (any thread)."""
        with self._lock:
            if not self._fresh:
                return None
            self._fresh = False
            self.delivered += 1
            # Let go of it: its buffer returns to the converter's pool as soon as the consumer is done
            # with it, instead of one more buffer per stream staying held (buffers.py).
            frame, self._frame = self._frame, None
            return frame

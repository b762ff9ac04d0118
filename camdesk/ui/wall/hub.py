"""Between the tiles and the stream engine: opens a camera's streams for a tile and routes states back.

The engine (``camdesk.video.StreamSupervisor``) is non-blocking by contract; the only slow step here is
reading the camera's password from the secret store (keyring or an encrypted file), which runs on a small
worker pool, and the engine is called once it is known. Create and use on the GUI thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from camdesk.models.camera import Camera, StreamProfile
from camdesk.models.stream import StreamQuality, StreamSource, StreamStats, StreamStatus, VideoFrame
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.wall.catalog import CameraCatalog

log = logging.getLogger(__name__)


class FrameSupervisor(Protocol):
    """The part of ``camdesk.video.StreamSupervisor`` the wall uses (all methods non-blocking)."""

    def open(
        self, stream_id: str, main: StreamSource, sub: StreamSource | None = None, width: int = 640, height: int = 360,
        notify: Callable[[], object] | None = None,
    ) -> None: ...
    def resize(self, stream_id: str, width: int, height: int) -> None: ...
    def force_quality(self, stream_id: str, quality: StreamQuality | None) -> None: ...
    def pause(self, stream_id: str) -> None: ...
    def resume(self, stream_id: str) -> None: ...
    def close(self, stream_id: str) -> None: ...
    def latest(self, stream_id: str) -> VideoFrame | None: ...
    def stats(self, stream_id: str) -> StreamStats: ...
    def status(self, stream_id: str) -> StreamStatus | None: ...


PasswordLookup = Callable[[int], str]  # camera id -> password ("" if none); may do disk I/O: never on the GUI thread


def _source(profile: StreamProfile | None, username: str, password: str) -> StreamSource | None:
    if profile is None or not profile.uri:
        return None
    return StreamSource(profile.uri, username, password, profile.width, profile.height)


class StreamHub(QObject):
    """Opens, resizes, pauses and closes tile streams; turns engine states into GUI-thread signals."""

    stream_status = Signal(str, object)  # stream id, StreamStatus (GUI thread)

    def __init__(
        self,
        bridge: GuiBridge,
        catalog: CameraCatalog,
        supervisor: FrameSupervisor | None,
        password_for: PasswordLookup | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.catalog = catalog
        self.supervisor = supervisor
        self._password_for = password_for or (lambda _cid: "")
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="camdesk-secrets")
        self._camera_of: dict[str, int] = {}
        self._generation: dict[str, int] = {}
        self._closed = False

    # Runs on an engine worker thread.
    def on_engine_status(self, status: StreamStatus) -> None:
        """The engine's ``on_status`` callback: hand the status to the GUI thread."""
        self.bridge.post(lambda: self._deliver(status))

    def _deliver(self, status: StreamStatus) -> None:
        camera_id = self._camera_of.get(status.stream_id)
        if camera_id is None:
            return  # a stream closed meanwhile
        self.catalog.set_status(camera_id, status)
        self.stream_status.emit(status.stream_id, status)

    # --- tile streams (GUI thread) ------------------------------------------------------------------
    def open(self, stream_id: str, camera: Camera, width: int, height: int,
             notify: Callable[[], object] | None = None) -> None:
        """Start ``camera``'s stream for a tile of ``width`` x ``height`` device pixels; ``notify`` runs on a
        decoder thread whenever a frame is ready for :meth:`latest` (``camdesk.video.mailbox``)."""
        if self.supervisor is None or camera.id is None or self._closed:
            return
        self._camera_of[stream_id] = camera.id
        generation = self._generation.get(stream_id, 0) + 1
        self._generation[stream_id] = generation
        future = self._pool.submit(self._password_for, camera.id)

        def start(password: str) -> None:
            if self._generation.get(stream_id) != generation or self.supervisor is None or self._closed:
                return  # closed or reopened while the password was read
            main = _source(camera.main, camera.username, password)
            sub = _source(camera.sub, camera.username, password)
            if main is None:
                main, sub = sub, None
            if main is None:
                log.warning("camera %s has no stream address", camera.id)
                return
            self.supervisor.open(stream_id, main, sub, max(16, width), max(16, height), notify)

        def failed(exc: BaseException) -> None:
            log.warning("password of camera %s could not be read: %s", camera.id, type(exc).__name__)
            start("")

        self.bridge.when_done(future, start, failed)

    def close(self, stream_id: str) -> None:
        self._generation[stream_id] = self._generation.get(stream_id, 0) + 1
        self._camera_of.pop(stream_id, None)
        if self.supervisor is not None:
            self.supervisor.close(stream_id)

    def resize(self, stream_id: str, width: int, height: int) -> None:
        if self.supervisor is not None and stream_id in self._camera_of:
            self.supervisor.resize(stream_id, max(16, width), max(16, height))

    def pause(self, stream_id: str) -> None:
        if self.supervisor is not None and stream_id in self._camera_of:
            self.supervisor.pause(stream_id)

    def resume(self, stream_id: str) -> None:
        if self.supervisor is not None and stream_id in self._camera_of:
            self.supervisor.resume(stream_id)

    def force_quality(self, stream_id: str, quality: StreamQuality | None) -> None:
        if self.supervisor is not None and stream_id in self._camera_of:
            self.supervisor.force_quality(stream_id, quality)

    def latest(self, stream_id: str) -> VideoFrame | None:
        return None if self.supervisor is None else self.supervisor.latest(stream_id)

    def stats(self, stream_id: str) -> StreamStats | None:
        return None if self.supervisor is None or stream_id not in self._camera_of else self.supervisor.stats(stream_id)

    def is_open(self, stream_id: str) -> bool:
        return stream_id in self._camera_of

    def shutdown(self) -> None:
        """Close every stream this hub opened and stop the password pool (does not wait)."""
        self._closed = True
        for sid in list(self._camera_of):
            self.close(sid)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def debug_state(self) -> dict[str, Any]:
        return {"streams": dict(self._camera_of)}

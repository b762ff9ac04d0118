"""The cameras and residential groups the UI shows, with each camera's live state.

Loaded from the store through Futures (the GUI thread never waits); the tree and the wall read it and
listen to its signals. Lives on the GUI thread.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from camdesk.models.camera import Area, Camera
from camdesk.models.stream import StreamState, StreamStatus
from camdesk.ui.bridge import GuiBridge

log = logging.getLogger(__name__)

ONLINE_STATES = frozenset({StreamState.PLAYING})
TROUBLE_STATES = frozenset({StreamState.OFFLINE, StreamState.AUTH_FAILED, StreamState.UNSUPPORTED})


class CameraCatalog(QObject):
    """Cameras by id, areas by id, and the latest stream status per camera (GUI thread only)."""

    changed = Signal()  # the camera list or the areas changed
    status_changed = Signal(int)  # camera id
    failed = Signal(object)  # an exception from the store

    def __init__(self, bridge: GuiBridge, store: Any | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._store = store
        self.cameras: dict[int, Camera] = {}
        self.areas: dict[int, Area] = {}
        self.status: dict[int, StreamStatus] = {}
        self.loaded = False  # True once the store has answered at least once

    # --- loading ------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Ask the store for areas and cameras; ``changed`` fires when both arrived."""
        if self._store is None:
            return
        pending: dict[str, Any] = {}

        def arrived(kind: str, value: Any) -> None:
            pending[kind] = value
            if len(pending) == 2:
                self.set_data(pending["areas"], pending["cameras"])

        self._bridge.when_done(self._store.list_areas(), lambda v: arrived("areas", v), self.failed.emit)
        self._bridge.when_done(self._store.list_cameras(), lambda v: arrived("cameras", v), self.failed.emit)

    def set_data(self, areas: list[Area], cameras: list[Camera]) -> None:
        self.areas = {a.id: a for a in areas if a.id is not None}
        self.cameras = {c.id: c for c in cameras if c.id is not None}
        self.loaded = True
        self.changed.emit()

    # --- live state ---------------------------------------------------------------------------------
    def set_status(self, camera_id: int, status: StreamStatus) -> None:
        old = self.status.get(camera_id)
        self.status[camera_id] = status
        if old is None or old.state != status.state or old.next_try_at != status.next_try_at:
            self.status_changed.emit(camera_id)

    def state(self, camera_id: int) -> StreamState | None:
        st = self.status.get(camera_id)
        return None if st is None else st.state

    def counts(self) -> tuple[int, int]:
        """(online, offline) among the cameras that have reported a state."""
        online = sum(1 for cid, st in self.status.items() if cid in self.cameras and st.state in ONLINE_STATES)
        offline = sum(1 for cid, st in self.status.items() if cid in self.cameras and st.state in TROUBLE_STATES)
        return online, offline

    def camera(self, camera_id: int | None) -> Camera | None:
        return None if camera_id is None else self.cameras.get(camera_id)

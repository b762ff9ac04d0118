"""The events dock: camera events, newest first (time, camera, type). Motion also drives tile highlights
through the ``motion`` signal."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from camdesk.models.onvif import CameraEvent, EventKind
from camdesk.ui.bridge import GuiBridge

DUPLICATE_WINDOW_S = 2.0  # the same change on two topics arrives within this
MAX_ROWS = 500
# Events from the cameras are added to the list in batches, at most this often: 64 cameras report
# motion 20-30 times a second, and a table update for each took the GUI thread's time from the video
# (bench/wall.py, 64 tiles: GUI thread 2.8 s of CPU per 15 s with an update per event, 2.0-2.5 s batched).
BATCH_MS = 250


class EventsDock(QDockWidget):
    """Lists events. Feed it with :meth:`post_event` from any thread (e.g. as the ``on_event`` callback of
    ``OnvifService.subscribe_events``) or :meth:`add_event` on the GUI thread."""

    motion = Signal(int, bool)  # camera id, motion active (for the tile highlight)

    def __init__(self, bridge: GuiBridge, camera_name: Callable[[int], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Events"), parent)
        self.setObjectName("EventsDock")
        self._bridge = bridge
        self._last: dict[int, tuple[tuple[int, EventKind, bool], float]] = {}  # camera -> (last change, time)
        self._camera_name = camera_name or (lambda cid: self.tr("Camera {id}").format(id=cid))
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.table = QTableWidget(0, 3, body)
        self.table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Camera"), self.tr("Event")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.clear_button = QPushButton(self.tr("Clear"), body)
        self.clear_button.clicked.connect(lambda: self.table.setRowCount(0))
        layout.addWidget(self.table)
        layout.addWidget(self.clear_button)
        self.setWidget(body)
        self._incoming: list[CameraEvent] = []
        self._incoming_lock = threading.Lock()
        self._flush_posted = False
        self._flush_timer = QTimer(self, singleShot=True, interval=BATCH_MS)
        self._flush_timer.timeout.connect(self._flush)

    def post_event(self, event: CameraEvent) -> None:
        """Thread-safe: queue ``event``; the GUI thread adds what came in, in one batch, within ``BATCH_MS``."""
        with self._incoming_lock:
            self._incoming.append(event)
            if self._flush_posted:
                return
            self._flush_posted = True
        self._bridge.post(self._flush_timer.start)

    def _flush(self) -> None:
        with self._incoming_lock:
            events, self._incoming = self._incoming, []
            self._flush_posted = False
        self.add_events(events)

    def add_events(self, events: list[CameraEvent]) -> None:
        """GUI thread: add several events with one repaint of the list."""
        self.table.setUpdatesEnabled(False)
        try:
            for event in events:
                self.add_event(event)
        finally:
            self.table.setUpdatesEnabled(True)

    def describe(self, event: CameraEvent) -> str:
        if event.kind is EventKind.MOTION:
            return self.tr("Motion started") if event.active else self.tr("Motion ended")
        return self.tr("{topic}: {state}").format(
            topic=event.topic.rsplit("/", 1)[-1], state=self.tr("on") if event.active else self.tr("off"))

    def add_event(self, event: CameraEvent) -> None:
        """GUI thread: insert ``event`` at the top (the list keeps the newest :data:`MAX_ROWS`)."""
        if event.kind is EventKind.MOTION:
            self.motion.emit(event.camera_id, event.active)
        # Cameras often report one motion change on two topics (Hikvision's CellMotionDetector and the
        # generic VideoSource/MotionAlarm): list it once.
        key = (event.camera_id, event.kind, event.active)
        last = self._last.get(event.camera_id)
        self._last[event.camera_id] = (key, event.time)
        if last is not None and last[0] == key and abs(event.time - last[1]) < DUPLICATE_WINDOW_S:
            return
        when = QDateTime.fromMSecsSinceEpoch(int(event.time * 1000)).toString("dd/MM HH:mm:ss")
        cells = [when, self._camera_name(event.camera_id), self.describe(event)]
        self.table.insertRow(0)
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, event.camera_id)
            if col == 2:
                item.setToolTip(event.topic)
            self.table.setItem(0, col, item)
        while self.table.rowCount() > MAX_ROWS:
            self.table.removeRow(self.table.rowCount() - 1)

"""The desk around the wall: records (bookmarks, incidents, registry), ONVIF (adding cameras, PTZ, motion
events) and the camera status history, wired into the main window.

Each capability is a self-contained UI package (``ui.records``, ``ui.onvif``); this module only connects
their signals to the wall and the catalog, so the main window stays about the wall. Everything here runs
on the GUI thread; disk and network work goes through Futures (store, ONVIF) or a small worker pool
(secret store look-ups), never blocking the event loop.
"""

from __future__ import annotations

import collections
import concurrent.futures
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from camdesk import heap
from camdesk.models.camera import Camera
from camdesk.onvif.event_relay import EventRelay
from camdesk.ui.messages import describe
from camdesk.ui.wall.catalog import ONLINE_STATES, TROUBLE_STATES

if TYPE_CHECKING:
    from camdesk.onvif.service import OnvifService
    from camdesk.ui.main_window import MainWindow
    from camdesk.ui.onvif.tile_ptz import TilePtz
    from camdesk.ui.records.wiring import RecordsUi
    from camdesk.ui.wall.tile import TileWidget

log = logging.getLogger(__name__)

EVENT_LONG_POLL_S = 10.0
ONVIF_REGISTER_INTERVAL_MS = 400  # cameras are logged in and subscribed one at a time
# After the last camera is registered, its login and subscription take a few seconds on the ONVIF thread;
# then the parsed service descriptions are taken out of the garbage collector's way (camdesk.heap).
SETTLE_HEAP_AFTER_MS = 5000
RIGHT_PANEL_WIDTH = 340  # px: the bookmark filters still fit; the wall keeps the rest of the width
PasswordLookup = Callable[[int], str]  # camera id -> password; runs on a worker thread (may read a keyring)
PasswordSaver = Callable[[int, str], None]


class Desk(QObject):
    """Connects records, ONVIF and status history to ``window``. Create and use on the GUI thread."""

    def __init__(
        self,
        window: MainWindow,
        store: Any | None,
        onvif: OnvifService | None,
        password_for: PasswordLookup,
        save_password: PasswordSaver,
        author: Callable[[], str],
        read_only: bool = False,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.onvif = onvif
        # Events are pulled in a helper process (camdesk/onvif/event_relay.py): PTZ stays in this one.
        self.event_relay: EventRelay | None = EventRelay() if onvif is not None else None
        self.bridge = window.context.bridge
        self.catalog = window.context.catalog
        self._password_for = password_for
        self._save_password = save_password
        self._author = author
        self._workers = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="desk-secrets")
        self._online: dict[int, bool] = {}  # last online/offline state written to the status history
        self._registered: dict[int, tuple[str, str, str]] = {}  # camera id -> (onvif url, user, ptz token)
        self._ready: set[int] = set()  # registered with the ONVIF service
        self._pending: collections.deque[tuple[int, tuple[str, str, str]]] = collections.deque()  # to log in
        self._register_timer = QTimer(self)
        self._register_timer.setInterval(ONVIF_REGISTER_INTERVAL_MS)
        self._heap_timer = QTimer(self, singleShot=True, interval=SETTLE_HEAP_AFTER_MS)
        self._heap_timer.timeout.connect(heap.settle)
        self._register_timer.timeout.connect(self._register_next)
        self._tile_ptz: TilePtz | None = None
        self.records: RecordsUi | None = None
        self.ptz_dock: Any = None
        self.events_dock: Any = None

        self._add_bookmark_action()
        if store is not None:
            from camdesk.ui.records.wiring import install_records_ui

            self.records = install_records_ui(window, store, self.bridge, author, window.show_error)
        if onvif is not None:
            self._add_onvif()
        if store is not None and not read_only:
            self.catalog.status_changed.connect(self._record_status)

    # --- bookmarks -----------------------------------------------------------------------------------
    def _add_bookmark_action(self) -> None:
        w = self.window
        self.bookmark_action = QAction(self.tr("Bookmark"), w)
        self.bookmark_action.setShortcut(QKeySequence(Qt.Key.Key_B))
        self.bookmark_action.setToolTip(self.tr("Bookmark the picture on the selected tile (B)"))
        self.bookmark_action.triggered.connect(self.bookmark_selected)
        w.addAction(self.bookmark_action)
        toolbar = w.findChild(QObject, "WallToolbar")
        if toolbar is not None:
            toolbar.addSeparator()  # type: ignore[attr-defined]
            toolbar.addAction(self.bookmark_action)  # type: ignore[attr-defined]
        w.extra_shortcuts.append(("B", self.tr("Bookmark the picture on the selected tile")))

    def bookmark_selected(self) -> bool:
        """Bookmark the frame on screen in the selected tile, at that frame's time. False if nothing to mark."""
        tile = self._selected_tile()
        if tile is None or tile.camera is None or tile.camera.id is None:
            self.window.statusBar().showMessage(self.tr("Select a tile with a camera to bookmark it."), 8000)
            return False
        if self.records is None:
            self.window.show_error(self.tr("Bookmarks need the database, which is not open."))
            return False
        self.records.bookmark_tile(tile.camera.id, tile.camera.name, tile.frame, tile)
        return True

    # --- camera status history (uptime) --------------------------------------------------------------
    def _record_status(self, camera_id: int) -> None:
        state = self.catalog.state(camera_id)
        if state in ONLINE_STATES:
            online = True
        elif state in TROUBLE_STATES:
            online = False
        else:
            return  # connecting / reconnecting: not yet a change worth a row
        if self._online.get(camera_id) == online:
            return
        self._online[camera_id] = online
        assert self.store is not None
        future = self.store.record_camera_status(camera_id, online, int(time.time() * 1000))
        self.bridge.when_done(future, lambda _r: None,
                              lambda exc: log.warning("status of camera %s not recorded: %s", camera_id, exc))

    # --- ONVIF: docks, adding cameras, PTZ on the tile ---------------------------------------------------
    def _add_onvif(self) -> None:
        from camdesk.ui.onvif.events_dock import EventsDock
        from camdesk.ui.onvif.ptz_dock import PtzDock

        assert self.onvif is not None
        w = self.window
        self.ptz_dock = PtzDock(self.onvif, self.bridge, w)
        self.ptz_dock.error.connect(lambda text: w.statusBar().showMessage(text, 10000))
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.ptz_dock)
        self.events_dock = EventsDock(self.bridge, self._camera_name, w)
        # The wall keeps as much of the screen as possible: the right-hand panels (bookmarks, PTZ,
        # events) share one narrow column, one tab each.
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.events_dock)
        w.tabifyDockWidget(self.ptz_dock, self.events_dock)
        self._right_panel = self.ptz_dock
        if self.records is not None:  # tabified last, so the bookmarks tab is the one in front
            w.tabifyDockWidget(self.events_dock, self.records.dock)
            self._right_panel = self.records.dock
        QTimer.singleShot(0, self._settle_right_panel)  # dock sizes only apply once the window is laid out
        self.events_dock.motion.connect(self._on_motion)

        menu = w.menuBar().addMenu(self.tr("&Cameras"))
        help_action = w.menuBar().actions()[-2] if len(w.menuBar().actions()) >= 2 else None
        if help_action is not None:  # keep Help last
            w.menuBar().insertMenu(help_action, menu)
        self.add_camera_action = menu.addAction(self.tr("&Add camera…"), lambda: self.add_camera())
        self.discover_action = menu.addAction(self.tr("&Find cameras on the network…"), self.discover)
        menu.addSeparator()
        self.ptz_mode_action = QAction(self.tr("PTZ control on the tile"), w)
        self.ptz_mode_action.setCheckable(True)
        self.ptz_mode_action.setShortcut(QKeySequence(Qt.Key.Key_P))
        self.ptz_mode_action.toggled.connect(lambda _on: self._update_ptz())
        menu.addAction(self.ptz_mode_action)
        w.addAction(self.ptz_mode_action)
        menu.addAction(self.ptz_dock.toggleViewAction())
        menu.addAction(self.events_dock.toggleViewAction())
        w.extra_shortcuts.append(("P", self.tr("PTZ control on the selected tile: drag, wheel, arrows, +/-")))

        w.wall.selection_changed.connect(lambda _i: self._update_ptz())
        w.wall.layout_changed.connect(lambda _l: self._update_ptz())
        self.catalog.changed.connect(self._sync_onvif)

    def _settle_right_panel(self) -> None:
        self._right_panel.raise_()
        self.window.resizeDocks([self._right_panel], [RIGHT_PANEL_WIDTH], Qt.Orientation.Horizontal)

    def _camera_name(self, camera_id: int) -> str:
        cam = self.catalog.camera(camera_id)
        return cam.name if cam is not None else self.tr("Camera {id}").format(id=camera_id)

    def _selected_tile(self) -> TileWidget | None:
        wall = self.window.wall
        return wall.tiles[wall.selected] if wall.tiles else None

    def _selected_camera(self) -> Camera | None:
        tile = self._selected_tile()
        return None if tile is None else tile.camera

    def _update_ptz(self) -> None:
        """Point the PTZ dock (and the tile's PTZ mode) at the selected camera, if it has PTZ."""
        cam = self._selected_camera()
        ptz_cam = (cam if cam is not None and cam.ptz and cam.onvif_url and cam.id is not None
                   and self.onvif_ready(cam.id) else None)
        self.ptz_dock.set_camera(ptz_cam.id if ptz_cam else None, ptz_cam.name if ptz_cam else "")
        tile = self._selected_tile()
        if self._tile_ptz is not None and (self._tile_ptz.tile is not tile or ptz_cam is None
                                           or not self.ptz_mode_action.isChecked()):
            self._tile_ptz.close()
            self._tile_ptz.deleteLater()
            self._tile_ptz = None
        if ptz_cam is None or tile is None or not self.ptz_mode_action.isChecked():
            if self.ptz_mode_action.isChecked() and cam is not None and ptz_cam is None:
                self.window.statusBar().showMessage(self.tr("This camera cannot pan, tilt or zoom."), 8000)
            return
        if self._tile_ptz is None:
            from camdesk.ui.onvif.tile_ptz import TilePtz

            assert self.onvif is not None
            self._tile_ptz = TilePtz(self.onvif, self.bridge, tile)
            self._tile_ptz.error.connect(lambda text: self.window.statusBar().showMessage(text, 10000))
        self.ptz_dock.raise_()  # PTZ mode on a PTZ camera: bring its panel (presets, tours) forward
        self._tile_ptz.set_camera(ptz_cam.id)
        self._tile_ptz.set_enabled(True)
        tile.setFocus()

    def _on_motion(self, camera_id: int, active: bool) -> None:
        walls = [self.window.wall, *[win.wall for win in self.window.windows.windows]]
        for wall in walls:
            wall.set_motion(camera_id, active)

    def _sync_onvif(self) -> None:
        """Register (and subscribe to events of) every ONVIF camera in the catalog; forget removed ones."""
        assert self.onvif is not None
        wanted = {
            c.id: (c.onvif_url, c.username, c.ptz_profile_token)
            for c in self.catalog.cameras.values()
            if c.id is not None and c.onvif_url and c.enabled
        }
        for cid in set(self._registered) - set(wanted):
            self._ready.discard(cid)
            assert self.event_relay is not None
            self.event_relay.unsubscribe(cid)
            self.onvif.unregister(cid)
            del self._registered[cid]
        for cid, key in wanted.items():
            if self._registered.get(cid) == key:
                continue
            self._registered[cid] = key
            self._pending.append((cid, key))
        if self._pending and not self._register_timer.isActive():
            self._register_timer.start()

    def _register_next(self) -> None:
        """One camera per tick: logging in and subscribing parses a lot of SOAP in Python, and 64 cameras
        at once held the GIL long enough to freeze a 64-tile wall for seconds (measured, bench/wall.py)."""
        while self._pending:
            cid, key = self._pending.popleft()
            if self._registered.get(cid) == key:  # still wanted, unchanged
                self._lookup_and_register(cid, key)
                return
        self._register_timer.stop()
        self._heap_timer.start()

    def settling(self) -> bool:
        """True while cameras are still being logged in or the heap is not settled after them."""
        return bool(self._pending) or self._register_timer.isActive() or self._heap_timer.isActive()

    def _lookup_and_register(self, camera_id: int, key: tuple[str, str, str]) -> None:
        future = self._workers.submit(self._password_for, camera_id)

        def failed(exc: BaseException) -> None:
            log.warning("no password for camera %s: %s", camera_id, exc)

        self.bridge.when_done(future, lambda pw: self._register(camera_id, key, pw), failed)

    def onvif_ready(self, camera_id: int) -> bool:
        """True once the camera is logged in with the ONVIF service (PTZ and events can be used)."""
        return camera_id in self._ready

    def _register(self, camera_id: int, key: tuple[str, str, str], password: str) -> None:
        assert self.onvif is not None
        url, user, token = key
        self.onvif.register(camera_id, url, user, password, token)
        self._ready.add(camera_id)
        # A long poll: the camera answers as soon as an event happens, so a longer wait costs no latency
        # and saves the idle round trips (64 cameras at 2 s kept a quarter of a core busy parsing SOAP).
        assert self.event_relay is not None
        self.event_relay.subscribe(camera_id, url, user, password, self.events_dock.post_event,
                                   pull_s=EVENT_LONG_POLL_S)
        if camera_id == getattr(self._selected_camera(), "id", None):
            self._update_ptz()

    def discover(self) -> QDialog:
        """Show the discovery dialog; choosing a device opens the add-camera dialog for it."""
        from camdesk.ui.onvif.discovery_dialog import DiscoveryDialog

        assert self.onvif is not None
        known = [c.onvif_url for c in self.catalog.cameras.values() if c.onvif_url]
        dialog = DiscoveryDialog(self.onvif, self.bridge, known, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.device_chosen.connect(lambda device: self.add_camera(device))
        dialog.show()
        dialog.search()
        return dialog

    def add_camera(self, device: Any = None) -> QDialog:
        """Show the add-camera dialog (non-modal); the cameras are saved only after a successful test."""
        from camdesk.ui.onvif.add_camera_dialog import AddCameraDialog

        assert self.onvif is not None
        dialog = AddCameraDialog(self.onvif, self.bridge, device, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.save_new_cameras(dialog.cameras(), dialog.password()))
        dialog.show()
        return dialog

    def save_new_cameras(self, cameras: list[Camera], password: str) -> None:
        """Save cameras from the add dialog, then their password in the secret store, then show them."""
        if self.store is None:
            self.window.show_error(self.tr("Cameras cannot be added without the database."))
            return
        for camera in cameras:
            future = self.store.save_camera(camera, self._author())
            self.bridge.when_done(future, lambda saved: self._saved(saved, password),
                                  lambda exc: self.window.show_error(describe(exc)))

    def _saved(self, camera: Camera, password: str) -> None:
        assert camera.id is not None
        future = self._workers.submit(self._save_password, camera.id, password)

        def stored(_r: object) -> None:
            self.catalog.reload()
            self.window.statusBar().showMessage(
                self.tr("Camera \"{name}\" added.").format(name=camera.name), 8000)

        self.bridge.when_done(future, stored, lambda exc: self.window.show_error(describe(exc)))

    # --- exit ------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop PTZ moves and event subscriptions (the app is quitting)."""
        self._register_timer.stop()
        self._pending.clear()
        if self._tile_ptz is not None:
            self._tile_ptz.close()
            self._tile_ptz = None
        if self.event_relay is not None:
            self.event_relay.close()  # the helper unsubscribes while this process stops PTZ
        if self.onvif is not None:
            self.onvif.shutdown()
        if self.event_relay is not None:
            self.event_relay.join()
        self._workers.shutdown(wait=False, cancel_futures=True)

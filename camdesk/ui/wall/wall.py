"""The video wall: tiles placed by the grid engine, a paint timer that pulls frames, keyboard and mouse.

A paint timer (60 Hz) asks the engine for a new frame for each *visible* tile only and repaints only the
tiles that got one; once a second every visible tile repaints for its clock and countdown. Tiles that are
hidden (behind a maximized tile, or the whole wall hidden) are paused in the engine. GUI thread only.
"""

from __future__ import annotations

import collections
import functools
import itertools
import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from camdesk.models.layout import Layout
from camdesk.models.stream import StreamQuality, StreamStatus
from camdesk.ui.messages import describe
from camdesk.ui.wall import grid
from camdesk.ui.wall.hub import StreamHub
from camdesk.ui.wall.snapshot import save_snapshot
from camdesk.ui.wall.tile import TileWidget

log = logging.getLogger(__name__)
# 60 Hz, a monitor's refresh: a frame waits at most one refresh. At 25 Hz two frames of a 15 fps stream
# often came within one period and one was never shown (bench/wall.py, 64 tiles: 95.2 % shown, 97.4 % at 60 Hz).
PAINT_INTERVAL_MS = 16
GAP = 2
_wall_ids = itertools.count(1)



class WallWidget(QWidget):
    """A wall of tiles showing one :class:`Layout`."""

    layout_changed = Signal(object)  # the new Layout (cameras or geometry changed)
    selection_changed = Signal(int)
    message = Signal(str)  # a short status-bar message for the officer
    maximized_changed = Signal(bool)

    def __init__(self, hub: StreamHub, snapshots_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Wall")
        self.wall_id = f"w{next(_wall_ids)}"
        self.hub = hub
        self.snapshots_dir = snapshots_dir
        self.tiles: list[TileWidget] = []
        self._layout = grid.PRESETS["3x3"]
        self._selected = 0
        self._maximized: int | None = None
        self._show_stats = False
        self._paused = False
        # (tile index, stream id) of streams with a frame ready, appended by the decoder threads (Mailbox
        # notify): the paint timer visits only those tiles. Polling all of them cost 3.6 us per tile per
        # tick on the GUI thread. A stream keeps its tile index for life (the index is part of its id).
        self._ready: collections.deque[tuple[int, str]] = collections.deque()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        self._paint_timer = QTimer(self)
        self._paint_timer.setInterval(PAINT_INTERVAL_MS)
        self._paint_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._paint_timer.timeout.connect(self._pull_frames)
        self._second_timer = QTimer(self)
        self._second_timer.setInterval(1000)
        self._second_timer.timeout.connect(self._every_second)
        hub.stream_status.connect(self._on_status)
        hub.catalog.changed.connect(self._refresh_cameras)
        self._build_tiles()

    # --- layout -------------------------------------------------------------------------------------
    def current_layout(self) -> Layout:
        return self._layout

    def set_layout(self, layout: Layout) -> None:
        """Show ``layout``: tiles are rebuilt; streams that stay on the same tile keep running."""
        grid.validate(layout)
        self.restore()
        self._layout = layout
        self._build_tiles()
        self.layout_changed.emit(self._layout)

    def adopt(self, layout_id: int | None, name: str) -> None:
        """The current layout was saved (or deleted) under ``layout_id``/``name``; tiles stay as they are."""
        self._layout = replace(self._layout, id=layout_id, name=name)
        self.layout_changed.emit(self._layout)

    def apply_preset(self, key: str) -> None:
        self.set_layout(grid.apply_preset(self._layout, grid.PRESETS[key]))

    def set_camera(self, index: int, camera_id: int | None) -> None:
        self._change(grid.set_camera(self._layout, index, camera_id))

    def swap(self, a: int, b: int) -> None:
        if a != b:
            self._change(grid.swap(self._layout, a, b))

    def clear_tile(self, index: int) -> None:
        self.set_camera(index, None)

    def _change(self, layout: Layout) -> None:
        self._layout = layout
        self._sync_streams()
        self.layout_changed.emit(self._layout)

    def _build_tiles(self) -> None:
        old = self.tiles
        self.tiles = []
        for i, _item in enumerate(self._layout.items):
            tile = TileWidget(self.wall_id, i, self)
            tile.show_stats = self._show_stats
            tile.clicked.connect(self.select)
            tile.activated.connect(self.toggle_maximize)
            tile.camera_dropped.connect(self.set_camera)
            tile.tile_dropped.connect(self._on_tile_dropped)
            tile.pixel_size_changed.connect(self._on_tile_resized)
            tile.setFocusProxy(self)
            self.tiles.append(tile)
        self._selected = min(self._selected, len(self.tiles) - 1)
        self._place()
        for t in self.tiles:
            t.show()
        keep = {t.stream_id for t in self.tiles}
        for t in old:
            t.hide()
            t.deleteLater()
        self._sync_streams(previous=[t.stream_id for t in old], keep=keep)
        self._mark_selection()

    def _stream_id(self, index: int, camera_id: int) -> str:
        return f"{self.wall_id}/t{index}/c{camera_id}"

    def _sync_streams(self, previous: list[str | None] | None = None, keep: set[str | None] | None = None) -> None:
        """Open, keep or close each tile's stream so they match the layout's cameras."""
        running = {t.stream_id for t in self.tiles if t.stream_id} | {s for s in (previous or []) if s}
        wanted: set[str] = set()
        for i, (tile, item) in enumerate(zip(self.tiles, self._layout.items, strict=True)):
            camera = self.hub.catalog.camera(item.camera_id)
            sid = self._stream_id(i, item.camera_id) if item.camera_id is not None else None
            if sid is not None:
                wanted.add(sid)
            if tile.stream_id != sid or (tile.camera is None) != (camera is None):
                tile.set_camera(camera, sid)
                if sid is not None and camera is not None:
                    if self.hub.is_open(sid):
                        self.hub.resize(sid, *tile.device_pixel_size())
                    else:
                        self.hub.open(sid, camera, *tile.device_pixel_size(),
                                      notify=functools.partial(self._ready.append, (i, sid)))
                    status = self.hub.catalog.status.get(camera.id) if camera.id is not None else None
                    if status is not None and self.hub.is_open(sid) and status.stream_id == sid:
                        tile.set_status(status)
        for sid in running - wanted:
            self.hub.close(sid)
        self._apply_visibility()

    def _refresh_cameras(self) -> None:
        """The catalog changed (cameras loaded or edited): open tiles whose camera just became known, and
        reopen those whose stream addresses or user changed (e.g. the demo's cameras on new ports)."""
        for tile, item in zip(self.tiles, self._layout.items, strict=True):
            camera = self.hub.catalog.camera(item.camera_id)
            if tile.camera is None:
                tile.stream_id = None  # never opened: open it now that the camera is known
            elif camera is not None and camera != tile.camera:
                old = tile.camera
                if (old.main, old.sub, old.username) != (camera.main, camera.sub, camera.username):
                    if tile.stream_id:
                        self.hub.close(tile.stream_id)
                    tile.stream_id = None  # reopened below with the new addresses
                else:
                    tile.camera = camera  # renamed or other details: the stream stays
                    tile.setToolTip(camera.name)
                    tile.update()
        self._sync_streams()

    def _place(self) -> None:
        rects = grid.tile_rects(self._layout, self.width(), self.height(), GAP)
        for i, (tile, r) in enumerate(zip(self.tiles, rects, strict=True)):
            if self._maximized is None:
                tile.setGeometry(r.x, r.y, r.w, r.h)
            elif i == self._maximized:
                tile.setGeometry(0, 0, self.width(), self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    # --- selection, maximize ------------------------------------------------------------------------
    @property
    def selected(self) -> int:
        return self._selected

    @property
    def maximized(self) -> int | None:
        return self._maximized

    def select(self, index: int) -> None:
        if 0 <= index < len(self.tiles):
            self._selected = index
            self._mark_selection()
            self.setFocus()
            self.selection_changed.emit(index)

    def _mark_selection(self) -> None:
        for i, t in enumerate(self.tiles):
            if t.selected != (i == self._selected):
                t.selected = i == self._selected
                t.update()

    def toggle_maximize(self, index: int) -> None:
        if self._maximized is None:
            self.maximize(index)
        else:
            self.restore()

    def maximize(self, index: int) -> None:
        """Fill the wall with one tile and switch it to the camera's main stream; pause the others."""
        if not 0 <= index < len(self.tiles) or self._maximized == index:
            return
        self.restore()
        self.select(index)
        self._maximized = index
        tile = self.tiles[index]
        tile.setGeometry(0, 0, self.width(), self.height())
        tile.raise_()
        if tile.stream_id:
            self.hub.force_quality(tile.stream_id, StreamQuality.MAIN)
        self._apply_visibility()
        self.maximized_changed.emit(True)

    def restore(self) -> None:
        """Back from a maximized tile to the whole layout, automatic quality again."""
        if self._maximized is None:
            return
        tile = self.tiles[self._maximized]
        self._maximized = None
        if tile.stream_id:
            self.hub.force_quality(tile.stream_id, None)
        tile.reset_zoom()
        self._place()
        self._apply_visibility()
        self.maximized_changed.emit(False)

    def _apply_visibility(self) -> None:
        """Show/hide tiles for the maximized state and pause the engine for tiles nobody can see."""
        for i, tile in enumerate(self.tiles):
            visible = self._maximized is None or i == self._maximized
            tile.setVisible(visible)
            if tile.stream_id and self.hub.is_open(tile.stream_id):
                if visible and not self._paused:
                    self.hub.resume(tile.stream_id)
                else:
                    self.hub.pause(tile.stream_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._paused = False
        self._apply_visibility()
        self._paint_timer.start()
        self._second_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._paused = True
        self._paint_timer.stop()
        self._second_timer.stop()
        self._apply_visibility()

    # --- frames and states --------------------------------------------------------------------------
    def _pull_frames(self) -> None:
        """Paint timer: hand each tile whose stream has a new frame that frame (the tile repaints). A
        hidden tile keeps it too, to show it at once when it comes back; every id is taken, never dropped
        (its mailbox notifies again only after a take)."""
        ready, tiles = self._ready, self.tiles
        while ready:
            index, sid = ready.popleft()
            frame = self.hub.latest(sid)
            if frame is not None and index < len(tiles) and tiles[index].stream_id == sid:
                tiles[index].set_frame(frame)  # else closed, or a layout without that tile now

    def _every_second(self) -> None:
        for tile in self.tiles:
            if not tile.isVisible():
                continue
            if self._show_stats and tile.stream_id:
                tile.stats = self.hub.stats(tile.stream_id)
            tile.refresh_overlay(within_s=1.0)  # the clock, the reconnect countdown, statistics

    def _on_status(self, stream_id: str, status: StreamStatus) -> None:
        for tile in self.tiles:
            if tile.stream_id == stream_id:
                tile.set_status(status)

    def _on_tile_resized(self, index: int) -> None:
        if index < len(self.tiles):
            tile = self.tiles[index]
            if tile.stream_id:
                self.hub.resize(tile.stream_id, *tile.device_pixel_size())

    def _on_tile_dropped(self, source: str, target: int) -> None:
        """A tile dropped on tile ``target``: from this wall they swap; from another window's wall its
        camera is shown here too (that window keeps its layout)."""
        wall_id, index, camera = ([*source.split(":"), "", ""])[:3]
        if wall_id == self.wall_id and index.isdigit():
            self.swap(int(index), target)
            self.select(target)
        elif wall_id != self.wall_id and camera.isdigit():
            self.set_camera(target, int(camera))
            self.select(target)

    def set_motion(self, camera_id: int, active: bool) -> None:
        """Highlight (or stop highlighting) the tiles that show ``camera_id`` (its motion events)."""
        for tile in self.tiles:
            if tile.camera is not None and tile.camera.id == camera_id:
                tile.set_motion(active)

    def set_show_stats(self, on: bool) -> None:
        self._show_stats = on
        for tile in self.tiles:
            tile.show_stats = on
            tile.stats = self.hub.stats(tile.stream_id) if on and tile.stream_id else None
            tile.update()

    # --- keyboard -----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        moves: dict[int, tuple[int, int]] = {
            Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)
        }
        if event.matches(QKeySequence.StandardKey.Save):
            self.snapshot()
        elif key in moves and self._maximized is None:
            self.select(grid.neighbour(self._layout, self._selected, *moves[key]))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.maximize(self._selected)
        elif key == Qt.Key.Key_Escape and self._maximized is not None:
            self.restore()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_tile(self._selected)
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_8 and mods == Qt.KeyboardModifier.NoModifier:
            self.apply_preset(grid.KEY_PRESETS[key - Qt.Key.Key_0])
        else:
            super().keyPressEvent(event)

    # --- snapshot -----------------------------------------------------------------------------------
    def snapshot(self, index: int | None = None) -> bool:
        """Save the selected tile's picture as a PNG (written on a worker); the result comes as ``message``."""
        tile = self.tiles[self._selected if index is None else index]
        frame = tile.frame
        if frame is None or tile.camera is None or self.snapshots_dir is None:
            self.message.emit(QCoreApplication.translate("Wall", "No picture to save on this tile."))
            return False
        future = save_snapshot(frame, tile.camera.name, self.snapshots_dir)
        self.hub.bridge.when_done(
            future,
            lambda path: self.message.emit(QCoreApplication.translate("Wall", "Snapshot saved to {path}").format(path=str(path))),
            lambda exc: self.message.emit(QCoreApplication.translate("Wall", "The snapshot could not be saved: {reason}").format(reason=describe(exc))),
        )
        return True

    def shutdown(self) -> None:
        """Close every stream of this wall (the window is going away)."""
        self._paint_timer.stop()
        self._second_timer.stop()
        for tile in self.tiles:
            if tile.stream_id:
                self.hub.close(tile.stream_id)
                tile.stream_id = None

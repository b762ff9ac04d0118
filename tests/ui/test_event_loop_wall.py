"""The GUI thread never blocks: a 16-tile wall keeps its event loop responsive while cameras drop, stall,
go down and come back (real simulator faults, real engine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from camdesk.models.stream import StreamState
from camdesk.ui.loop_watch import LoopWatch
from camdesk.ui.main_window import MainWindow
from camdesk.ui.wall import grid
from tests.ui.test_wall_helpers import loaded, make_rig, sim

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
MAX_STALL_MS = 100  # issue 5: the event loop never stalls for more than 100 ms


def test_event_loop_never_stalls_while_cameras_fail_and_recover(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with sim(16) as cluster:
        rig = make_rig(data_dir, cluster)
        window = MainWindow(rig.context)
        qtbot.addWidget(window)
        window.resize(1280, 760)
        window.show()
        loaded(qtbot, rig)
        window.wall.set_layout(grid.with_cameras(grid.PRESETS["4x4"], rig.camera_ids))
        tiles = window.wall.tiles

        def all_playing() -> None:
            assert all(t.has_picture() and t.status is not None and t.status.state == StreamState.PLAYING
                       for t in tiles)

        qtbot.waitUntil(all_playing, timeout=60_000)
        watch = LoopWatch(interval_ms=10, record=True)
        watch.start()
        faults = [cluster.camera(i).faults for i in range(16)]
        for i in range(0, 4):
            faults[i].drop()  # sessions closed; the engine reconnects at once
        for i in range(4, 8):
            faults[i].set_stall(True)  # connection kept, nothing sent: the stall watchdog must notice
        for i in range(8, 12):
            faults[i].go_down(6)  # refused for 6 s, then back by itself
        for i in range(12, 14):
            faults[i].set_corrupt(0.05)
        qtbot.waitUntil(lambda: all(tiles[i].status is not None and tiles[i].status.state != StreamState.PLAYING
                                    for i in range(4, 12)), timeout=30_000)
        for i in (*range(4, 8), 12, 13):
            faults[i].clear()  # the stalled and corrupted cameras heal; the ones that went down return by themselves
        qtbot.waitUntil(all_playing, timeout=60_000)
        qtbot.wait(1000)
        watch.stop()
        window.close()
        rig.close()
    gaps = sorted(watch.gaps_ms)
    assert len(gaps) > 200
    print(f"event loop: {len(gaps)} ticks, p99 {gaps[int(len(gaps) * 0.99)]:.1f} ms, max {gaps[-1]:.1f} ms")
    assert gaps[-1] < MAX_STALL_MS + 10, f"the GUI thread was blocked for {gaps[-1]:.0f} ms"

"""Benchmark of the whole app: the real main window showing N live tiles, against the decode limit.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/wall.py --streams 16 --seconds 20

Starts the virtual camera in loop mode in a separate process (``bench/engine.py``'s ``simulator``: sub
stream 640x360@15, GOP 1 s; its CPU is not counted), then measures in this process, one after the other:

(a) the decode limit: plain PyAV decoding of the N streams, no conversion (``bench/engine.py``'s
    ``measure_decode``): CPU seconds per decoded frame. Measured in two halves, one before and one after
    (b): the shared machine's speed drifts during a run, and one (a) before one (b) put the whole drift
    on one side of the ratio (the reason ``bench/engine.py`` alternates rounds);
(b) the app: ``camdesk.app.start`` (real store, engine and main window, offscreen platform) in a
    1920x1080 window with an n x n layout (n = ceil(sqrt(N))) showing the N cameras. Measured over the
    same number of seconds: CPU seconds of the app's processes (this one and its ONVIF event helper) per
    frame actually painted on a tile (a frame counts once,
    in the first ``paintEvent`` that draws it; the CPU of this bench's own instruments on the GUI thread,
    the stamp reading and the stall timer, is measured and left out), frames painted / frames sent, event-loop stall (the gap
    between the ticks of a 10 ms QTimer: p99 and maximum), glass-to-glass latency read at paint time from
    the stamp in the BGRA image the tile drew (``camdesk.sim.stamp.read``), resident memory.

Writes ``bench/results/wall-<N>.json`` and prints as its last line, e.g.
``wall streams=16 overhead=1.30 shown=99.5% stall_p99_ms=12 latency_p95_ms=90 rss_mb=320``
where overhead = (b) / (a) per frame.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/engine.py: shared simulator and decode limit

import engine as engine_bench

from camdesk.sim import stamp as sim_stamp
from camdesk.video import libyuv

WINDOW = (1920, 1080)
STALL_TIMER_MS = 10
RESULTS = Path(__file__).resolve().parent / "results"


class PaintMeter:
    """Counts the frames tiles actually paint and reads each one's stamp (GUI thread only)."""

    def __init__(self) -> None:
        self.counting = False
        self.shown = 0
        self.latencies_ms: list[float] = []
        self.sent_at: list[float] = []  # when each painted frame was sent (wall-clock seconds, from its stamp)
        self.unstamped = 0
        self.paint_events = 0
        self.cpu_s = 0.0  # the GUI thread's CPU in this meter (stamp reading): the bench's, not the app's


def measured_tile_class(meter: PaintMeter) -> type:
    """A ``TileWidget`` that reports to ``meter`` after each paint; the wall builds it in place of the real one."""
    from camdesk.ui.wall.tile import TileWidget

    class MeasuredTile(TileWidget):
        _last_painted: object = None

        def paintEvent(self, event: Any) -> None:
            super().paintEvent(event)
            started = time.thread_time()
            self._measure()
            meter.cpu_s += time.thread_time() - started

        def _measure(self) -> None:
            frame = self.frame
            if frame is None or frame is self._last_painted or not self.has_picture():
                return
            self._last_painted = frame
            if not meter.counting:
                return
            meter.shown += 1
            found = sim_stamp.read(frame.image)  # type: ignore[arg-type]  # the BGRA array the tile drew
            if found is None:
                meter.unstamped += 1
                return
            now = time.time()
            sent = found.sent_at(now)
            meter.sent_at.append(sent)
            meter.latencies_ms.append((now - sent) * 1000)

    return MeasuredTile


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of another process, e.g. the simulator."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[int, int]:
    """(all, idle) jiffies of the whole machine, from /proc/stat: how busy the shared machine was."""
    fields = [int(x) for x in Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]  # idle + iowait


def thread_group(name: str | None, tid: int) -> str:
    """A readable group for a thread: engine workers, the GUI thread, pools by prefix; threads that Python
    did not start (Qt's, FFmpeg's) by the name their library gave them (``/proc/.../comm``)."""
    if name is None:
        try:
            comm = Path(f"/proc/self/task/{tid}/comm").read_text(encoding="utf-8").strip()
        except OSError:
            comm = "?"
        comm = re.sub(r"[-_:. ]?\d+$", "", comm)
        return "native, unnamed (FFmpeg, Qt)" if comm.startswith("python") else f"native: {comm}"
    if name == "MainThread":
        return "GUI thread"
    if name.startswith("camdesk-video-"):
        return "engine workers"
    return re.sub(r"[-_ ]?\d+$", "", name)


def cpu_by_group(before: dict[int, float], after: dict[int, float]) -> dict[str, float]:
    names = {t.native_id: t.name for t in threading.enumerate()}
    groups: dict[str, float] = {}
    for tid, cpu in after.items():
        key = thread_group(names.get(tid), tid)
        groups[key] = groups.get(key, 0.0) + cpu - before.get(tid, 0.0)
    return dict(sorted(((k, round(v, 2)) for k, v in groups.items() if v > 0.005), key=lambda kv: -kv[1]))


def run_loop(ms: int, until: Any = None) -> None:
    """Run Qt's event loop for ``ms`` milliseconds, or until ``until()`` is true (checked every 50 ms)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    poll = QTimer(interval=50)
    if until is not None:
        poll.timeout.connect(lambda: loop.quit() if until() else None)
        poll.start()
    loop.exec()
    poll.stop()


def measure_app(cameras: list[dict[str, Any]], seconds: float, data_dir: Path,
                paint_interval_ms: int | None = None, sim_pid: int = 0) -> dict[str, Any]:
    from camdesk import app as camdesk_app
    from camdesk.models.layout import Layout
    from camdesk.models.stream import StreamState
    from camdesk.store import SecretStore
    from camdesk.ui import demo
    from camdesk.ui.loop_watch import LoopWatch
    from camdesk.ui.wall import grid
    from camdesk.ui.wall import wall as wall_module

    meter = PaintMeter()
    setattr(wall_module, "TileWidget", measured_tile_class(meter))  # noqa: B010  # the wall builds these
    if paint_interval_ms is not None:  # an experiment: how much of the latency is the paint timer's period
        wall_module.PAINT_INTERVAL_MS = paint_interval_ms
    running = camdesk_app.start(data_dir, lang="en", demo=False, log_level="WARNING")
    window = running.window
    window.resize(*WINDOW)
    secrets = SecretStore.open(running.dirs.secrets, use_keyring=False)
    lines = [c for c in (demo.parse_camera_line(c) for c in cameras) if c is not None]
    ids = demo.register(running.store, secrets, lines, "")  # the simulator asks for no password
    n = math.ceil(math.sqrt(len(ids)))
    window.wall.set_layout(grid.with_cameras(Layout.grid(f"{n}x{n}", n), ids))
    running.context.catalog.reload()
    tiles = window.wall.tiles[: len(ids)]

    def all_playing() -> bool:
        return all(t.has_picture() and t.status is not None and t.status.state == StreamState.PLAYING for t in tiles)

    started = time.monotonic()
    run_loop(60_000, all_playing)
    warmup_s = time.monotonic() - started
    playing = sum(1 for t in tiles if t.has_picture())

    # The wall in service, not its start: the desk registers the cameras for ONVIF one every 0.4 s (26 s
    # for 64) and subscribes to their events (in the event helper process), then settles the heap
    # (camdesk.heap). Measure once every camera has its event subscription and that is done
    # (onvif_ready_s says how long it took).
    onvif = running.desk.event_relay if running.desk is not None else None

    def all_subscribed() -> bool:
        return onvif is None or (all(onvif.event_stats(cid)[0] >= 1 for cid in ids) and not running.desk.settling())

    run_loop(120_000, all_subscribed)
    onvif_ready_s = time.monotonic() - started
    run_loop(1000)  # settle: first-frame bursts, resize debounce

    sup = running.supervisor
    sids = [t.stream_id for t in tiles if t.stream_id]
    dropped0 = sum(sup.stats(s).dropped_frames for s in sids)
    reconnects0 = sum(sup.stats(s).reconnects for s in sids)
    statuses: list[object] = []
    running.context.hub.stream_status.connect(lambda _sid, status: statuses.append(status))
    watch = LoopWatch(interval_ms=STALL_TIMER_MS, record=True)  # the app's own watch, at a finer tick
    meter.cpu_s = 0.0
    meter.counting = True
    watch.start()
    if "CAMDESK_BENCH_GUI_NICE" in os.environ:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), int(os.environ["CAMDESK_BENCH_GUI_NICE"]))
    threads0, sim0, machine0 = engine_bench.thread_cpu(), process_cpu(sim_pid), machine_cpu()
    helper_pid = onvif.pid if onvif is not None else None  # the app's event helper process: its CPU is the app's
    helper0 = process_cpu(helper_pid) if helper_pid else 0.0
    cpu0, gui0, t0, wall0 = engine_bench.cpu_seconds(), time.thread_time(), time.monotonic(), time.time()
    run_loop(int(seconds * 1000))
    cpu1, gui1, t1, wall1 = engine_bench.cpu_seconds(), time.thread_time(), time.monotonic(), time.time()
    helper_s = (process_cpu(helper_pid) - helper0) if helper_pid and onvif.pid == helper_pid else None
    cpu1 += helper_s or 0.0
    by_thread = cpu_by_group(threads0, engine_bench.thread_cpu())
    sim_cores = (process_cpu(sim_pid) - sim0) / (t1 - t0)
    machine1 = machine_cpu()
    machine_busy = 1 - (machine1[1] - machine0[1]) / max(1e-9, machine1[0] - machine0[0])
    watch.stop()
    meter.counting = False
    helper_mb = engine_bench.rss_mb(helper_pid) if helper_pid else 0.0
    memory = engine_bench.rss_mb() + helper_mb  # the app's two processes
    stats = [sup.stats(s) for s in sids]
    tile_px = sorted({(t.frame.width, t.frame.height) for t in tiles if t.frame is not None})
    result_extra = {
        "status_changes": len(statuses),
        "mailbox_dropped": sum(s.dropped_frames for s in stats) - dropped0,
        "reconnects": sum(s.reconnects for s in stats) - reconnects0,
        "engine_decode_ms_mean": sum(s.decode_ms for s in stats) / max(1, len(stats)),
        "frame_sizes": [f"{w}x{h}" for w, h in tile_px],
        "qualities": sorted({str(t.frame.quality) for t in tiles if t.frame is not None}),
    }
    running.shutdown()
    window.close()

    sent = engine_bench.FPS * (t1 - t0) * len(ids)
    # Frames shown / frames sent, counted by the stamps: of the frames the simulator sent between 0.5 s after
    # the start and 0.5 s before the end (so that latency does not cut either end), how many were painted.
    # Each tile paints a frame at most once, so this cannot exceed 100 %.
    first, last = math.ceil((wall0 + 0.5) * engine_bench.FPS), math.floor((wall1 - 0.5) * engine_bench.FPS)
    sent_inner = (last - first + 1) * len(ids)
    shown_inner = sum(1 for t in meter.sent_at if first <= round(t * engine_bench.FPS) <= last)
    gaps = watch.gaps_ms
    return {
        "window": f"{window.width()}x{window.height()}",
        "wall": f"{window.wall.width()}x{window.wall.height()}",
        "tiles": len(ids),
        "paint_interval_ms": wall_module.PAINT_INTERVAL_MS,
        "warmup_s": warmup_s,
        "onvif_ready_s": onvif_ready_s,
        "onvif_subscribed": sum(1 for cid in ids if onvif is not None and onvif.event_stats(cid)[0] >= 1),
        "streams_playing": playing,
        "frames": meter.shown,
        "sent": round(sent),
        "shown_ratio": shown_inner / max(1, sent_inner),
        "shown_ratio_by_count": meter.shown / sent,  # painted / (fps x seconds x tiles): +-1 frame per tile
        "cpu_s": cpu1 - cpu0,  # this process and the event helper's
        "event_helper_cpu_s": helper_s,  # None: no helper, or it was restarted during the measurement
        "event_helper_rss_mb": helper_mb,  # included in rss_mb
        "gui_thread_cpu_s": gui1 - gui0,
        "cpu_s_by_thread": by_thread,
        "wall_s": t1 - t0,
        "cores_used": (cpu1 - cpu0) / (t1 - t0),
        "simulator_cores_used": sim_cores,
        "machine_cpu_busy": machine_busy,
        "gui_nice": os.getpriority(os.PRIO_PROCESS, threading.get_native_id()),
        "switch_interval_ms": sys.getswitchinterval() * 1000,
        # The bench's own instruments run on the GUI thread: their CPU is measured and not the app's.
        "instruments_cpu_s": meter.cpu_s + watch.cpu_s,
        "cpu_s_per_frame_with_instruments": (cpu1 - cpu0) / max(1, meter.shown),
        "cpu_s_per_frame": (cpu1 - cpu0 - meter.cpu_s - watch.cpu_s) / max(1, meter.shown),
        "stall_ticks": len(gaps),
        "stall_p50_ms": engine_bench.percentile(gaps, 50),
        "stall_p99_ms": engine_bench.percentile(gaps, 99),
        "stall_max_ms": max(gaps) if gaps else None,
        "latency_p50_ms": engine_bench.percentile(meter.latencies_ms, 50),
        "latency_p95_ms": engine_bench.percentile(meter.latencies_ms, 95),
        "unstamped_frames": meter.unstamped,
        "rss_mb": memory,
        **result_extra,
    }


def load_average() -> float:
    return os.getloadavg()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--paint-interval-ms", type=int, default=None,
                        help="override the wall's paint timer (experiments; default: the app's own)")
    parser.add_argument("--switch-interval-ms", type=float, default=None,
                        help="set Python's GIL switch interval (experiments; default 5 ms)")
    parser.add_argument("--gui-nice", type=int, default=None,
                        help="nice value of the GUI thread only (experiments; below 0 needs root)")
    parser.add_argument("--json", type=Path, default=None, help="output file (default bench/results/wall-N.json)")
    args = parser.parse_args()
    out = args.json or RESULTS / f"wall-{args.streams}.json"
    if args.gui_nice is not None:  # threads inherit their creator's nice value: set it after they start
        os.environ["CAMDESK_BENCH_GUI_NICE"] = str(args.gui_nice)
    if args.switch_interval_ms is not None:
        sys.setswitchinterval(args.switch_interval_ms / 1000)
    load_before = load_average()
    with engine_bench.simulator(args.streams) as (proc, cameras):
        urls = [c["sub"] for c in cameras]
        before = engine_bench.measure_decode(urls, args.seconds / 2)
        with tempfile.TemporaryDirectory(prefix="camdesk-wallbench-") as tmp:
            app = measure_app(cameras, args.seconds, Path(tmp), args.paint_interval_ms, proc.pid)
        decode = engine_bench.combine([before, engine_bench.measure_decode(urls, args.seconds / 2)])
    overhead = app["cpu_s_per_frame"] / decode["cpu_s_per_frame"]
    result = {
        "streams": args.streams,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "converter": "libyuv" if libyuv.load() is not None else "opencv",
        "load_1min_before": load_before,
        "load_1min_after": load_average(),
        "pyav": importlib.metadata.version("av"),
        "decode_only": decode,
        "app": app,
        "overhead": overhead,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(json.dumps(result, indent=2), file=sys.stderr)
    print(f"wall streams={args.streams} overhead={overhead:.2f} shown={app['shown_ratio'] * 100:.1f}% "
          f"stall_p99_ms={engine_bench.ms(app['stall_p99_ms'])} latency_p95_ms={engine_bench.ms(app['latency_p95_ms'])} "
          f"rss_mb={app['rss_mb']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

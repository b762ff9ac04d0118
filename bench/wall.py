"""Benchmark of the whole app: the real main window showing N live tiles, against the decode limit.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/wall.py --streams 16 --seconds 20

Starts the virtual camera in loop mode in a separate process (``bench/engine.py``'s ``simulator``: sub
stream 640x360@15, GOP 1 s; its CPU is not counted), then measures in this process, in turn:

(a) the decode limit: plain PyAV decoding of the N streams, no conversion (``bench/engine.py``'s
    ``measure_decode``): CPU seconds of its decode threads per decoded frame;
(b) the app: ``camdesk.app.start`` (real store, engine and main window, offscreen platform) in a
    1920x1080 window with an n x n layout (n = ceil(sqrt(N))) showing the N cameras: CPU seconds of the
    app's processes (this one and its ONVIF event helper) per frame actually painted on a tile (a frame
    counts once, in the first ``paintEvent`` that draws it; the CPU of this bench's own instruments on the
    GUI thread, the stamp reading, is measured and left out), frames painted / frames sent, event-loop
    stall (the gaps between the ticks of the wall's own 60 Hz paint timer: p99 and maximum;
    ``--stall-timer-ms`` measures with a timer of the bench's own instead), glass-to-glass latency read
    at paint time from the stamp in the BGRA image the tile drew (``camdesk.sim.stamp.read``), resident
    memory.

The app starts once, plays and subscribes to its cameras' events; then (a) and (b) alternate in
``--rounds`` rounds (default 3) of ``seconds / rounds`` each: (a) for half a round, (b), (a), ... (b), and
(a) for half a round. The shared machine's speed drifts during a run, by up to a third; alternating puts a
steady drift on both sides of the ratio alike (as ``bench/engine.py`` does). While (a) runs, the app's
streams are paused, as for hidden tiles, and (a) waits until they have disconnected (the engine's grace
period, 5 s): only the app's idle event loop runs beside it. They play again and settle for a second before
each window of (b).

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
        self.tick_gaps_ms: list[float] = []  # between the wall's paint ticks, while counting
        self.last_tick = 0.0


def measure_paint_ticks(meter: PaintMeter) -> None:
    """Record the gaps between the wall's paint-timer ticks (60 Hz) in ``meter``: the event-loop stall,
    read off a timer the app runs anyway. A timer of the bench's own woke the GUI thread 100 more times a
    second, and each wake-up cost about 50 us of CPU outside the timer's slot, which the bench could not
    leave out (29 Nov: a tenth of the GUI thread's CPU per frame). Set before the wall is built (its
    timer connects to the method then)."""
    from camdesk.ui.wall.wall import WallWidget

    pull = WallWidget._pull_frames

    def pull_frames(wall: WallWidget) -> None:
        if meter.counting:
            now = time.monotonic()
            if meter.last_tick:
                meter.tick_gaps_ms.append((now - meter.last_tick) * 1000)
            meter.last_tick = now
        pull(wall)

    setattr(WallWidget, "_pull_frames", pull_frames)  # noqa: B010


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


class Totals:
    """What the app's measuring windows add up to (several windows, between rounds of the decode limit)."""

    def __init__(self) -> None:
        self.cpu_s = self.gui_s = self.wall_s = self.instruments_s = self.sim_s = 0.0
        self.helper_s = 0.0
        self.helper_restarted = False  # the event helper was restarted during a window: its CPU there is lost
        self.machine = [0, 0]  # (all, idle) jiffies of the whole machine
        self.by_thread: dict[str, float] = {}
        self.frames = self.shown_inner = self.sent_inner = 0
        self.gaps_ms: list[float] = []
        self.dropped = self.reconnects = self.status_changes = 0
        self.rss_mb: list[float] = []  # at the end of each window, this process and the event helper


def decode_limit_meanwhile(urls: list[str], seconds: float) -> dict[str, Any]:
    """(a) on a thread of its own while Qt's event loop runs: the paused app stays responsive (its own
    watch would otherwise report a freeze), and only the decode threads' CPU is counted."""
    out: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: out.update(engine_bench.measure_decode(urls, seconds, own_threads=True)),
                              name="bench-decode-limit", daemon=True)
    thread.start()
    run_loop(int(seconds * 1000) + 60_000, lambda: not thread.is_alive())
    thread.join(5)
    if not out:
        raise RuntimeError("the decode-limit round did not finish")
    return out


def measure(cameras: list[dict[str, Any]], seconds: float, rounds: int, data_dir: Path,
            paint_interval_ms: int | None = None, sim_pid: int = 0,
            stall_timer_ms: int = 0) -> tuple[dict[str, Any], dict[str, Any]]:
    """(a) and (b) in ``rounds`` alternating rounds: (a) for half a round, then (b) and (a) in turn, (b) last
    but one and (a) for half a round last, so a drift of the machine's speed that is steady over the run
    weighs the same on both sides. While (a) runs, the app's streams are paused (as for a hidden tile) and
    disconnected; they play again, and settle for a second, before each (b) window."""
    from camdesk import app as camdesk_app
    from camdesk.models.layout import Layout
    from camdesk.models.stream import StreamState
    from camdesk.store import SecretStore
    from camdesk.ui import demo
    from camdesk.ui.wall import grid
    from camdesk.ui.wall import wall as wall_module

    meter = PaintMeter()
    setattr(wall_module, "TileWidget", measured_tile_class(meter))  # noqa: B010  # the wall builds these
    measure_paint_ticks(meter)
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
    hub = window.wall.hub

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

    sids = [t.stream_id for t in tiles if t.stream_id]
    urls = [c["sub"] for c in cameras]
    totals = Totals()

    def count_status(_sid: str, _status: object) -> None:
        if meter.counting:
            totals.status_changes += 1

    running.context.hub.stream_status.connect(count_status)
    if "CAMDESK_BENCH_GUI_NICE" in os.environ:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), int(os.environ["CAMDESK_BENCH_GUI_NICE"]))
    helper_pid = onvif.pid if onvif is not None else None  # the app's event helper process: its CPU is the app's
    # Resident memory of the app's two processes in service, before any round of (a) runs in this process:
    # the allocator keeps what (a)'s decoders used (64 streams: 426 MB here, 580 after the first round, 635 at the end).
    helper_mb = engine_bench.rss_mb(helper_pid) if helper_pid else 0.0
    memory = engine_bench.rss_mb() + helper_mb
    decode: list[dict[str, Any]] = []
    window_s = seconds / rounds
    resume_s: list[float] = []

    def pause_all() -> None:
        """Pause the app's streams and wait until they disconnect (the engine's grace period), so that
        nothing of the app but its idle event loop runs beside (a)."""
        for sid in sids:
            hub.pause(sid)
        run_loop(60_000, lambda: all(t.status is not None and t.status.state == StreamState.STOPPED for t in tiles))

    for r in range(rounds):
        pause_all()
        decode.append(decode_limit_meanwhile(urls, window_s / 2 if r == 0 else window_s))
        for sid in sids:
            hub.resume(sid)
        resumed = time.monotonic()
        run_loop(60_000, all_playing)
        resume_s.append(time.monotonic() - resumed)
        run_loop(1000)  # settle after the streams' first frames
        app_window(window_s, totals, meter, sup=running.supervisor, sids=sids, sim_pid=sim_pid,
                   helper_pid=helper_pid, onvif=onvif, tiles=len(ids), stall_timer_ms=stall_timer_ms)
    pause_all()
    decode.append(decode_limit_meanwhile(urls, window_s / 2))

    tile_px = sorted({(t.frame.width, t.frame.height) for t in tiles if t.frame is not None})
    stats = [running.supervisor.stats(s) for s in sids]
    engine_decode_ms = sum(s.decode_ms for s in stats) / max(1, len(stats))
    qualities = sorted({str(t.frame.quality) for t in tiles if t.frame is not None})
    running.shutdown()
    window.close()

    sent = engine_bench.FPS * totals.wall_s * len(ids)
    gaps = totals.gaps_ms
    app = {
        "window": f"{window.width()}x{window.height()}",
        "wall": f"{window.wall.width()}x{window.wall.height()}",
        "tiles": len(ids),
        "rounds": rounds,
        "paint_interval_ms": wall_module.PAINT_INTERVAL_MS,
        "warmup_s": warmup_s,
        "onvif_ready_s": onvif_ready_s,
        "resume_s": resume_s,  # how long the streams took to play again after each round of (a)
        "onvif_subscribed": sum(1 for cid in ids if onvif is not None and onvif.event_stats(cid)[0] >= 1),
        "streams_playing": playing,
        "frames": totals.frames,
        "sent": round(sent),
        "shown_ratio": totals.shown_inner / max(1, totals.sent_inner),
        "shown_ratio_by_count": totals.frames / sent,  # painted / (fps x seconds x tiles): +-1 frame per tile
        "cpu_s": totals.cpu_s,  # this process and the event helper's
        "event_helper_cpu_s": None if totals.helper_restarted else totals.helper_s,  # None: restarted meanwhile
        "event_helper_rss_mb": helper_mb,  # included in rss_mb
        "gui_thread_cpu_s": totals.gui_s,
        "cpu_s_by_thread": dict(sorted(((k, round(v, 2)) for k, v in totals.by_thread.items() if v > 0.005),
                                       key=lambda kv: -kv[1])),
        "wall_s": totals.wall_s,
        "cores_used": totals.cpu_s / totals.wall_s,
        "simulator_cores_used": totals.sim_s / totals.wall_s,
        "machine_cpu_busy": 1 - totals.machine[1] / max(1, totals.machine[0]),
        "gui_nice": os.getpriority(os.PRIO_PROCESS, threading.get_native_id()),
        "switch_interval_ms": sys.getswitchinterval() * 1000,
        # The bench's own instruments run on the GUI thread: their CPU is measured and not the app's.
        "instruments_cpu_s": totals.instruments_s,
        "cpu_s_per_frame_with_instruments": totals.cpu_s / max(1, totals.frames),
        "cpu_s_per_frame": (totals.cpu_s - totals.instruments_s) / max(1, totals.frames),
        "stall_from": f"a {stall_timer_ms} ms timer" if stall_timer_ms else "the wall's paint ticks",
        "stall_ticks": len(gaps),
        "stall_p50_ms": engine_bench.percentile(gaps, 50),
        "stall_p99_ms": engine_bench.percentile(gaps, 99),
        "stall_max_ms": max(gaps) if gaps else None,
        "latency_p50_ms": engine_bench.percentile(meter.latencies_ms, 50),
        "latency_p95_ms": engine_bench.percentile(meter.latencies_ms, 95),
        "unstamped_frames": meter.unstamped,
        "rss_mb": memory,
        "rss_mb_by_window": totals.rss_mb,  # at the end of each window of (b), after rounds of (a)
        "status_changes": totals.status_changes,
        "mailbox_dropped": totals.dropped,
        "reconnects": totals.reconnects,
        "engine_decode_ms_mean": engine_decode_ms,
        "frame_sizes": [f"{w}x{h}" for w, h in tile_px],
        "qualities": qualities,
    }
    return engine_bench.combine(decode), app


def app_window(seconds: float, totals: Totals, meter: PaintMeter, *, sup: Any, sids: list[str], sim_pid: int,
               helper_pid: int | None, onvif: Any, tiles: int, stall_timer_ms: int) -> None:
    """(b) for ``seconds``: the app's CPU per frame painted and the rest, added to ``totals``."""
    from camdesk.ui.loop_watch import LoopWatch

    dropped0 = sum(sup.stats(s).dropped_frames for s in sids)
    reconnects0 = sum(sup.stats(s).reconnects for s in sids)
    # The stall: the paint ticks' gaps (measure_paint_ticks), or the app's own watch at a finer tick.
    watch = LoopWatch(interval_ms=stall_timer_ms, record=True) if stall_timer_ms else None
    shown0, instruments0, stamps0, ticks0 = meter.shown, meter.cpu_s, len(meter.sent_at), len(meter.tick_gaps_ms)
    meter.counting, meter.last_tick = True, 0.0
    if watch is not None:
        watch.start()
    threads0, sim0, machine0 = engine_bench.thread_cpu(), process_cpu(sim_pid), machine_cpu()
    helper0 = process_cpu(helper_pid) if helper_pid else 0.0
    cpu0, gui0, t0, wall0 = engine_bench.cpu_seconds(), time.thread_time(), time.monotonic(), time.time()
    run_loop(int(seconds * 1000))
    cpu1, gui1, t1, wall1 = engine_bench.cpu_seconds(), time.thread_time(), time.monotonic(), time.time()
    if helper_pid and onvif.pid == helper_pid:
        helper_s = process_cpu(helper_pid) - helper0
        totals.helper_s += helper_s
        cpu1 += helper_s
    elif helper_pid:
        totals.helper_restarted = True
    for group, cpu in cpu_by_group(threads0, engine_bench.thread_cpu()).items():
        totals.by_thread[group] = totals.by_thread.get(group, 0.0) + cpu
    totals.sim_s += process_cpu(sim_pid) - sim0
    machine1 = machine_cpu()
    totals.machine[0] += machine1[0] - machine0[0]
    totals.machine[1] += machine1[1] - machine0[1]
    if watch is not None:
        watch.stop()
        totals.instruments_s += watch.cpu_s
    meter.counting = False
    totals.rss_mb.append(engine_bench.rss_mb() + (engine_bench.rss_mb(helper_pid) if helper_pid else 0.0))
    totals.gaps_ms += watch.gaps_ms if watch is not None else meter.tick_gaps_ms[ticks0:]
    totals.cpu_s += cpu1 - cpu0
    totals.gui_s += gui1 - gui0
    totals.wall_s += t1 - t0
    totals.instruments_s += meter.cpu_s - instruments0
    totals.frames += meter.shown - shown0
    totals.dropped += sum(sup.stats(s).dropped_frames for s in sids) - dropped0
    totals.reconnects += sum(sup.stats(s).reconnects for s in sids) - reconnects0
    # Frames shown / frames sent, counted by the stamps: of the frames the simulator sent between 0.5 s after
    # the start and 0.5 s before the end (so that latency does not cut either end), how many were painted.
    # Each tile paints a frame at most once, so this cannot exceed 100 %.
    first, last = math.ceil((wall0 + 0.5) * engine_bench.FPS), math.floor((wall1 - 0.5) * engine_bench.FPS)
    totals.sent_inner += max(0, last - first + 1) * tiles  # none in a window of 1 s or less
    totals.shown_inner += sum(1 for t in meter.sent_at[stamps0:] if first <= round(t * engine_bench.FPS) <= last)


def load_average() -> float:
    return os.getloadavg()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate (a) and (b) this many times, seconds/rounds of (b) each (default 3)")
    parser.add_argument("--stall-timer-ms", type=int, default=0,
                        help="measure the stall with a timer of this period (the bench's own, as before 29 Nov "
                             "14:15 UTC) instead of the gaps between the wall's paint ticks (default)")
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
        with tempfile.TemporaryDirectory(prefix="camdesk-wallbench-") as tmp:
            decode, app = measure(cameras, args.seconds, max(1, args.rounds), Path(tmp), args.paint_interval_ms,
                                  proc.pid, args.stall_timer_ms)
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

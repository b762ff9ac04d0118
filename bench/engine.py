"""Benchmark of the live stream engine against the decode limit, measured in the same run.

    python bench/engine.py --streams 16 --seconds 20

Starts the virtual camera (``python -m camdesk.sim``, loop mode) in a separate process with N cameras
(sub stream 640x360@15, GOP 1 s), then measures in this process:

(a) the decode limit: plain PyAV decoding of the N sub streams with the engine's decoder settings
    (``configure_decoder``; no conversion): CPU seconds per decoded frame;
(b) the engine (``StreamSupervisor``) delivering BGRA 480x270 frames to a consumer polling at 60 Hz,
    as the wall does: each tick it takes the streams whose mailbox said a frame was ready. CPU seconds per
    delivered frame, frames delivered / frames sent, glass-to-glass latency (consumer's take time minus the
    simulator's stamp) p50/p95, time to first frame p50, resident memory.

The stamps are instruments, not the work measured: (a) reads one frame in 8 off the decoded luma plane,
(b) every frame off the delivered BGRA image (as ``bench/wall.py`` reads the painted one). The CPU time of
that reading is measured (``instruments_cpu_s``) and left out of both sides; the JSON keeps (b)'s figure
with it too (``cpu_s_per_frame_with_instruments``).

(a) and (b) alternate in ``--rounds`` rounds (default 3) of seconds/rounds each, and the figures are
taken over all rounds: on a shared machine the speed drifts during a run, and one long (a) followed by
one long (b) put the whole drift on one side of the ratio (single runs of the same code gave 1.24 to
1.44). The JSON keeps each round's CPU per frame.

Both also record CPU per OS-thread role (workers, consumer, other threads such as FFmpeg's decoder
threads), system CPU, page faults and context switches per frame. ``--auto-decoder-threads`` gives every
stream FFmpeg's default slice threads on both sides instead (for comparison).

Writes a JSON file and prints as its last line, e.g.
``engine streams=16 overhead=1.22 delivered=99.8% latency_p95_ms=60 ttff_p50_ms=700 rss_mb=250``
where overhead = (b) / (a).
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import queue
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import av
import av.error
import numpy as np

from camdesk.models.stream import StreamSource, StreamStatus
from camdesk.sim import stamp as sim_stamp
from camdesk.video import EngineSettings, StreamSupervisor, inputs, libyuv
from camdesk.video.inputs import configure_decoder

FPS = 15
WIDTH, HEIGHT = 480, 270


def start_sim(streams: int, timeout: float = 120.0) -> tuple[subprocess.Popen[bytes], list[dict[str, Any]]]:
    """Start ``camdesk-sim`` and read one JSON line per camera."""
    cmd = [sys.executable, "-m", "camdesk.sim", "--cameras", str(streams), "--mode", "loop",
           "--sub", f"640x360@{FPS}", "--main", f"640x360@{FPS}", "--gop", "1", "--no-discovery"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    lines: queue.Queue[bytes] = queue.Queue()
    stdout = proc.stdout

    def pump() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    cameras: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(cameras) < streams:
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("the simulator did not start")
        try:
            cameras.append(json.loads(lines.get(timeout=0.5)))
        except queue.Empty:
            continue
    return proc, cameras


@contextmanager
def simulator(streams: int) -> Iterator[tuple[subprocess.Popen[bytes], list[dict[str, Any]]]]:
    """:func:`start_sim`, stopped (SIGTERM, then kill after 10 s) when the block ends."""
    proc, cameras = start_sim(streams)
    try:
        yield proc, cameras
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def cpu_seconds() -> float:
    """CPU time of this process, all threads (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rusage_extra() -> tuple[float, int, int]:
    """System CPU seconds, minor page faults and involuntary context switches of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_stime, usage.ru_minflt, usage.ru_nivcsw + usage.ru_nvcsw


def extra_delta(before: tuple[float, int, int], frames: int) -> dict[str, float]:
    after = rusage_extra()
    n = max(1, frames)
    return {"sys_cpu_s": after[0] - before[0], "page_faults_per_frame": (after[1] - before[1]) / n,
            "context_switches_per_frame": (after[2] - before[2]) / n}


def thread_cpu() -> dict[int, float]:
    """CPU seconds of every OS thread of this process (user + system), by thread id."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, float] = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended
        out[int(tid)] = (int(fields[11]) + int(fields[12])) / tick
    return out


def threads_cpu(threads: list[threading.Thread]) -> float:
    """CPU seconds of these Python threads so far, to the nanosecond (``thread_cpu`` counts 10 ms ticks)."""
    total = 0.0
    for t in threads:
        if t.ident is not None and t.is_alive():
            try:
                total += time.clock_gettime(time.pthread_getcpuclockid(t.ident))
            except OSError:
                pass  # it ended meanwhile; its error is printed
    return total


def cpu_by_role(before: dict[int, float], after: dict[int, float], workers: set[int]) -> dict[str, float]:
    """CPU seconds between two :func:`thread_cpu` readings: stream workers, this (consumer) thread, and
    every other thread (FFmpeg's decoder threads, the garbage collector's victims, PyAV internals)."""
    main = threading.get_native_id()
    roles = {"workers": 0.0, "consumer": 0.0, "other_threads": 0.0}
    for tid, cpu in after.items():
        used = cpu - before.get(tid, 0.0)
        role = "workers" if tid in workers else "consumer" if tid == main else "other_threads"
        roles[role] += used
    roles["os_threads"] = float(len(after))
    return roles


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of this process (or ``pid``) in MB; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def ms(value: float | None) -> str:
    """Milliseconds for the summary line ("n/a" when there was nothing to measure)."""
    return "n/a" if value is None else f"{value:.0f}"


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return float(np.percentile(np.asarray(values), q))


# --- (a) the decode limit --------------------------------------------------------------------------------
def measure_decode(urls: list[str], seconds: float, own_threads: bool = False) -> dict[str, Any]:
    """CPU seconds per frame of plain decoding: of the whole process, or of the decode threads only
    (``own_threads``: the process runs something else too, e.g. ``bench/wall.py``'s paused app)."""
    counts = [0] * len(urls)
    instruments = [0.0] * len(urls)  # CPU seconds of each thread's stamp reading
    latencies: list[float] = []
    counting = threading.Event()
    stop = threading.Event()
    first = [threading.Event() for _ in urls]

    def run(i: int, url: str) -> None:
        try:
            with av.open(url, options={"rtsp_transport": "tcp", "analyzeduration": "0", "probesize": "32"},
                         timeout=(10, 10)) as container:
                stream = container.streams.video[0]
                configure_decoder(stream)  # the engine's decoder settings, so (b)/(a) compares like with like
                for packet in container.demux(stream):
                    for frame in stream.codec_context.decode(packet):
                        first[i].set()
                        if counting.is_set():
                            counts[i] += 1
                            if counts[i] % 8 == 0:  # a sample: the reading is an instrument, its CPU left out
                                started = time.thread_time()
                                plane = frame.planes[0]
                                rows = np.frombuffer(memoryview(plane), np.uint8)
                                luma = rows.reshape(frame.height, plane.line_size)[:, : frame.width]
                                sent = read_stamp(luma)
                                if sent is not None:
                                    latencies.append(time.time() * 1000 - sent)
                                instruments[i] += time.thread_time() - started
                    if stop.is_set():
                        break
        except av.error.FFmpegError as exc:
            print(f"decode {i}: {exc.strerror}", file=sys.stderr)
            first[i].set()

    threads = [threading.Thread(target=run, args=(i, u), daemon=True) for i, u in enumerate(urls)]
    for t in threads:
        t.start()
    for event in first:
        event.wait(15)
    time.sleep(1.0)
    threads0 = thread_cpu()
    extra0 = rusage_extra()
    cpu0, own0, t0 = cpu_seconds(), threads_cpu(threads), time.monotonic()
    counting.set()
    time.sleep(seconds)
    counting.clear()
    cpu1, own1, t1 = cpu_seconds(), threads_cpu(threads), time.monotonic()
    roles = cpu_by_role(threads0, thread_cpu(), {t.native_id for t in threads if t.native_id})
    extra = extra_delta(extra0, sum(counts))
    stop.set()
    for t in threads:
        t.join(5)
    frames = sum(counts)
    instruments_s = sum(instruments)
    cpu_s = (own1 - own0 if own_threads else cpu1 - cpu0) - instruments_s
    return {
        "frames": frames,
        "cpu_s": cpu_s,
        "instruments_cpu_s": instruments_s,
        "wall_s": t1 - t0,
        "cpu_s_per_frame": cpu_s / max(1, frames),
        "fps_per_stream": frames / max(1e-9, t1 - t0) / len(urls),
        "latency_p50_ms": percentile(latencies, 50),  # after decoding, 1 frame in 8 sampled
        "latency_p95_ms": percentile(latencies, 95),
        "cpu_s_by_thread": roles,
        **extra,
        "samples": {"latency": latencies},
    }


# --- (b) the engine ------------------------------------------------------------------------------------
def read_stamp(luma: np.ndarray) -> float | None:
    found = sim_stamp.read(luma)
    return found.sent_at(time.time()) * 1000 if found is not None else None


def measure_engine(urls: list[str], seconds: float) -> dict[str, Any]:
    statuses: list[StreamStatus] = []
    # No stamp reader in the engine: the consumer reads each stamp off the delivered image, as the wall bench
    # does off the painted one, and that instrument's CPU is measured and left out.
    sup = StreamSupervisor(statuses.append, EngineSettings())
    ids = [f"cam{i}" for i in range(len(urls))]
    ready: collections.deque[str] = collections.deque()  # as the wall does: visit only streams with a frame
    for sid, url in zip(ids, urls, strict=True):
        sup.open(sid, StreamSource(url), width=WIDTH, height=HEIGHT, notify=functools.partial(ready.append, sid))
    # Warm-up: every stream shows a picture.
    seen: set[str] = set()
    deadline = time.monotonic() + 20
    while len(seen) < len(ids) and time.monotonic() < deadline:
        for sid in ids:
            if sup.latest(sid) is not None:
                seen.add(sid)
        time.sleep(1 / 60)
    ttff = [s.time_to_first_frame_ms for s in (sup.stats(sid) for sid in ids) if s.time_to_first_frame_ms]
    time.sleep(1.0)
    for sid in ids:
        sup.latest(sid)
    dropped_before = sum(sup.stats(sid).dropped_frames for sid in ids)
    delivered = 0
    latencies: list[float] = []  # at the consumer's take (what a tile would paint)
    ready_latencies: list[float] = []  # when the worker put the frame in the mailbox
    wrong_size = 0
    unstamped = 0
    instruments_s = 0.0
    workers = {t.native_id for t in threading.enumerate() if t.name.startswith("camdesk-video-") and t.native_id}
    threads0 = thread_cpu()
    extra0 = rusage_extra()
    cpu0, t0 = cpu_seconds(), time.monotonic()
    end = t0 + seconds
    tick = 1 / 60
    next_tick = t0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        while ready:
            frame = sup.latest(ready.popleft())
            if frame is None:
                continue  # taken in the warm-up
            delivered += 1
            if (frame.width, frame.height) != (WIDTH, HEIGHT):
                wrong_size += 1
            started = time.thread_time()
            found = sim_stamp.read(frame.image)  # type: ignore[arg-type]  # the BGRA array delivered
            if found is None:
                unstamped += 1
            else:
                now = time.time()
                latencies.append((now - found.sent_at(now)) * 1000)
                ready_latencies.append((frame.received_at - found.sent_at(frame.received_at)) * 1000)
            instruments_s += time.thread_time() - started
        next_tick += tick
        pause = next_tick - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        else:
            next_tick = time.monotonic()
    cpu1, t1 = cpu_seconds(), time.monotonic()
    roles = cpu_by_role(threads0, thread_cpu(), workers)
    extra = extra_delta(extra0, delivered)
    memory = rss_mb()
    dropped = sum(sup.stats(sid).dropped_frames for sid in ids) - dropped_before
    reconnects = sum(sup.stats(sid).reconnects for sid in ids)
    decoder_threads = sup.decoder_threads()
    started = time.monotonic()
    sup.shutdown(timeout=2.0)
    shutdown_s = time.monotonic() - started
    sent = FPS * (t1 - t0) * len(ids)
    return {
        "frames": delivered,
        "sent": round(sent),
        "delivered_ratio": delivered / sent,
        "cpu_s": cpu1 - cpu0 - instruments_s,
        "instruments_cpu_s": instruments_s,
        "cpu_s_per_frame_with_instruments": (cpu1 - cpu0) / max(1, delivered),
        "wall_s": t1 - t0,
        "cpu_s_per_frame": (cpu1 - cpu0 - instruments_s) / max(1, delivered),
        "unstamped_frames": unstamped,
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "latency_in_mailbox_p50_ms": percentile(ready_latencies, 50),
        "latency_in_mailbox_p95_ms": percentile(ready_latencies, 95),
        "ttff_p50_ms": statistics.median(ttff) if ttff else None,
        "ttff_max_ms": max(ttff) if ttff else None,
        "streams_playing": len(seen),
        "mailbox_dropped": dropped,
        "reconnects": reconnects,
        "wrong_size": wrong_size,
        "rss_mb": memory,
        "shutdown_s": shutdown_s,
        "decoder_threads": decoder_threads,
        "cpu_s_by_thread": roles,
        **extra,
        "samples": {"latency": latencies, "latency_in_mailbox": ready_latencies, "ttff": ttff},
    }


SUMMED = ("frames", "sent", "cpu_s", "instruments_cpu_s", "wall_s", "sys_cpu_s", "mailbox_dropped", "reconnects",
          "wrong_size", "unstamped_frames")
PER_FRAME = ("page_faults_per_frame", "context_switches_per_frame")


def combine(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One result from rounds of the same measurement: totals summed, ratios and percentiles over all the
    rounds' frames, and each round's CPU per frame kept for the spread. Drops the raw samples."""
    out = dict(rounds[-1])
    samples: dict[str, list[float]] = {}
    for r in rounds:
        for key, values in r.pop("samples", {}).items():
            samples.setdefault(key, []).extend(values)
    out.pop("samples", None)
    for key in SUMMED:
        if key in out:
            out[key] = sum(r[key] for r in rounds)
    frames = max(1, out["frames"])
    for key in PER_FRAME:
        out[key] = sum(r[key] * r["frames"] for r in rounds) / frames
    out["cpu_s_per_frame"] = out["cpu_s"] / frames
    if "instruments_cpu_s" in out:
        out["cpu_s_per_frame_with_instruments"] = (out["cpu_s"] + out["instruments_cpu_s"]) / frames
    out["cpu_s_per_frame_by_round"] = [r["cpu_s_per_frame"] for r in rounds]
    out["cpu_s_by_thread"] = {role: sum(r["cpu_s_by_thread"][role] for r in rounds)
                              for role in out["cpu_s_by_thread"]}
    out["cpu_s_by_thread"]["os_threads"] = max(r["cpu_s_by_thread"]["os_threads"] for r in rounds)
    for name in ("latency", "latency_in_mailbox"):
        if name in samples:
            out[f"{name}_p50_ms"] = percentile(samples[name], 50)
            out[f"{name}_p95_ms"] = percentile(samples[name], 95)
    if "fps_per_stream" in out:
        out["fps_per_stream"] = sum(r["fps_per_stream"] * r["wall_s"] for r in rounds) / out["wall_s"]
    if "sent" in out:
        out["delivered_ratio"] = out["frames"] / max(1, out["sent"])
    if "ttff" in samples:
        out["ttff_p50_ms"] = statistics.median(samples["ttff"]) if samples["ttff"] else None
        out["ttff_max_ms"] = max(samples["ttff"], default=None)
        out["rss_mb"] = rounds[0]["rss_mb"]  # later rounds also hold what the allocator kept from earlier ones
        out["shutdown_s"] = max(r["shutdown_s"] for r in rounds)
        out["streams_playing"] = min(r["streams_playing"] for r in rounds)
        out["decoder_threads"] = max(r["decoder_threads"] for r in rounds)
    out["rounds"] = len(rounds)
    return out


def measure(urls: list[str], seconds: float, rounds: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(a) and (b) in alternating rounds of ``seconds / rounds`` each: on a shared machine the speed
    drifts during a run (other tenants, caches, clock), and alternating weighs the drift on both sides
    alike instead of on whichever side ran second."""
    decode: list[dict[str, Any]] = []
    engine: list[dict[str, Any]] = []
    for _ in range(rounds):
        decode.append(measure_decode(urls, seconds / rounds))
        engine.append(measure_engine(urls, seconds / rounds))
    return combine(decode), combine(engine)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate (a) and (b) this many times, seconds/rounds each (default 3)")
    parser.add_argument("--auto-decoder-threads", action="store_true",
                        help="FFmpeg's automatic slice threads for every stream, on both sides (comparison)")
    parser.add_argument("--json", type=Path, default=None, help="output file (default bench/results/engine-N.json)")
    args = parser.parse_args()
    if args.auto_decoder_threads:
        inputs.SINGLE_THREAD_MAX_PIXELS = 0
    out = args.json or Path(__file__).resolve().parent / "results" / f"engine-{args.streams}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    with simulator(args.streams) as (_proc, cameras):
        urls = [c["sub"] for c in cameras]
        decode, engine = measure(urls, args.seconds, max(1, args.rounds))
    overhead = engine["cpu_s_per_frame"] / decode["cpu_s_per_frame"]
    result = {
        "streams": args.streams,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "pyav": av.__version__,
        "converter": "libyuv" if libyuv.load() is not None else "opencv",
        "decode_only": decode,
        "engine": engine,
        "overhead": overhead,
    }
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(json.dumps(result, indent=2), file=sys.stderr)
    print(f"engine streams={args.streams} overhead={overhead:.2f} delivered={engine['delivered_ratio'] * 100:.1f}% "
          f"latency_p95_ms={ms(engine['latency_p95_ms'])} ttff_p50_ms={ms(engine['ttff_p50_ms'])} "
          f"rss_mb={engine['rss_mb']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

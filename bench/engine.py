"""Benchmark of the live stream engine against the decode limit, measured in the same run.

    python bench/engine.py --streams 16 --seconds 20

Starts the virtual camera (``python -m camdesk.sim``, loop mode) in a separate process with N cameras
(sub stream 640x360@15, GOP 1 s), then measures in this process:

(a) the decode limit: plain PyAV decoding of the N sub streams (one thread each, no conversion):
    CPU seconds per decoded frame;
(b) the engine (``StreamSupervisor``) delivering BGRA 480x270 frames to a consumer polling every stream
    at 60 Hz: CPU seconds per delivered frame, frames delivered / frames sent, glass-to-glass latency
    (consumer's take time minus the simulator's stamp) p50/p95, time to first frame p50, resident memory.

Writes a JSON file and prints as its last line, e.g.
``engine streams=16 overhead=1.22 delivered=99.8% latency_p95_ms=60 ttff_p50_ms=700 rss_mb=250``
where overhead = (b) / (a).
"""

from __future__ import annotations

import argparse
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
from pathlib import Path
from typing import Any

import av
import av.error
import numpy as np

from camdesk.models.stream import StreamSource, StreamStatus
from camdesk.sim import stamp as sim_stamp
from camdesk.video import EngineSettings, StreamSupervisor

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


def cpu_seconds() -> float:
    """CPU time of this process, all threads (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return float(np.percentile(np.asarray(values), q))


# --- (a) the decode limit --------------------------------------------------------------------------------
def measure_decode(urls: list[str], seconds: float) -> dict[str, Any]:
    counts = [0] * len(urls)
    latencies: list[float] = []
    counting = threading.Event()
    stop = threading.Event()
    first = [threading.Event() for _ in urls]

    def run(i: int, url: str) -> None:
        try:
            with av.open(url, options={"rtsp_transport": "tcp", "analyzeduration": "0", "probesize": "32"},
                         timeout=(10, 10)) as container:
                stream = container.streams.video[0]
                stream.thread_type = "SLICE"  # as the engine does
                for packet in container.demux(stream):
                    for frame in stream.codec_context.decode(packet):
                        first[i].set()
                        if counting.is_set():
                            counts[i] += 1
                            if counts[i] % 8 == 0:  # a sample, so the baseline's cost stays plain decoding
                                plane = frame.planes[0]
                                rows = np.frombuffer(memoryview(plane), np.uint8)
                                luma = rows.reshape(frame.height, plane.line_size)[:, : frame.width]
                                sent = read_stamp(luma)
                                if sent is not None:
                                    latencies.append(time.time() * 1000 - sent)
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
    cpu0, t0 = cpu_seconds(), time.monotonic()
    counting.set()
    time.sleep(seconds)
    counting.clear()
    cpu1, t1 = cpu_seconds(), time.monotonic()
    stop.set()
    for t in threads:
        t.join(5)
    frames = sum(counts)
    return {
        "frames": frames,
        "cpu_s": cpu1 - cpu0,
        "wall_s": t1 - t0,
        "cpu_s_per_frame": (cpu1 - cpu0) / max(1, frames),
        "fps_per_stream": frames / max(1e-9, t1 - t0) / len(urls),
        "latency_p50_ms": percentile(latencies, 50),  # after decoding, 1 frame in 8 sampled
        "latency_p95_ms": percentile(latencies, 95),
    }


# --- (b) the engine ------------------------------------------------------------------------------------
def read_stamp(luma: np.ndarray) -> float | None:
    found = sim_stamp.read(luma)
    return found.sent_at(time.time()) * 1000 if found is not None else None


def measure_engine(urls: list[str], seconds: float) -> dict[str, Any]:
    statuses: list[StreamStatus] = []
    sup = StreamSupervisor(statuses.append, EngineSettings(), stamp_reader=read_stamp)
    ids = [f"cam{i}" for i in range(len(urls))]
    for sid, url in zip(ids, urls, strict=True):
        sup.open(sid, StreamSource(url), width=WIDTH, height=HEIGHT)
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
    cpu0, t0 = cpu_seconds(), time.monotonic()
    end = t0 + seconds
    tick = 1 / 60
    next_tick = t0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        for sid in ids:
            frame = sup.latest(sid)
            if frame is None:
                continue
            delivered += 1
            if (frame.width, frame.height) != (WIDTH, HEIGHT):
                wrong_size += 1
            if frame.stamp_ms is not None:
                latencies.append(time.time() * 1000 - frame.stamp_ms)
                ready_latencies.append(frame.received_at * 1000 - frame.stamp_ms)
        next_tick += tick
        pause = next_tick - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        else:
            next_tick = time.monotonic()
    cpu1, t1 = cpu_seconds(), time.monotonic()
    memory = rss_mb()
    dropped = sum(sup.stats(sid).dropped_frames for sid in ids) - dropped_before
    reconnects = sum(sup.stats(sid).reconnects for sid in ids)
    started = time.monotonic()
    sup.shutdown(timeout=2.0)
    shutdown_s = time.monotonic() - started
    sent = FPS * (t1 - t0) * len(ids)
    return {
        "frames": delivered,
        "sent": round(sent),
        "delivered_ratio": delivered / sent,
        "cpu_s": cpu1 - cpu0,
        "wall_s": t1 - t0,
        "cpu_s_per_frame": (cpu1 - cpu0) / max(1, delivered),
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
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json", type=Path, default=None, help="output file (default engine-streamsN.json)")
    args = parser.parse_args()
    out = args.json or Path(f"engine-streams{args.streams}.json")
    proc, cameras = start_sim(args.streams)
    try:
        urls = [c["sub"] for c in cameras]
        decode = measure_decode(urls, args.seconds)
        engine = measure_engine(urls, args.seconds)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    overhead = engine["cpu_s_per_frame"] / decode["cpu_s_per_frame"]
    result = {
        "streams": args.streams,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "pyav": av.__version__,
        "decode_only": decode,
        "engine": engine,
        "overhead": overhead,
    }
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    def ms(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.0f}"

    print(json.dumps(result, indent=2), file=sys.stderr)
    print(f"engine streams={args.streams} overhead={overhead:.2f} delivered={engine['delivered_ratio'] * 100:.1f}% "
          f"latency_p95_ms={ms(engine['latency_p95_ms'])} ttff_p50_ms={ms(engine['ttff_p50_ms'])} "
          f"rss_mb={engine['rss_mb']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

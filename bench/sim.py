"""Benchmark: the virtual camera's own CPU cost.

1. Loop mode, 64 cameras (main 1280x720@25, sub 640x360@15, H.264), each serving one sub-stream client.
2. One live PTZ camera at 1280x720@25 serving its main stream (render + encode in real time).

CPU is the simulator process's CPU time (all threads) divided by wall time, in percent of one core. The
clients are raw RTP-over-TCP readers that only drain their sockets, in another process so their cost is
not counted. The baseline, measured in the same run, is the same cluster with no client. Usage::

    .venv/bin/python bench/sim.py [--seconds 10] [--cameras 64] [--codec h264|h265]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import selectors
import socket
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from camdesk.sim import stamp
from camdesk.sim.cluster import SimCluster


def _request(sock: socket.socket, text: str) -> str:
    sock.sendall(text.encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("server closed the connection")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    headers = head.decode()
    length = 0
    for line in headers.split("\r\n"):
        if line.lower().startswith("content-length:"):
            length = int(line.split(":")[1])
    while len(rest) < length:
        rest += sock.recv(4096)
    return headers


def _play(url: str) -> socket.socket:
    """DESCRIBE, SETUP (TCP interleaved) and PLAY ``url``; the socket then carries RTP."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    _request(sock, f"DESCRIBE {url} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n")
    setup = _request(sock, f"SETUP {url}/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
                           "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n")
    session = next(line.split(":", 1)[1].strip().split(";")[0] for line in setup.split("\r\n")
                   if line.lower().startswith("session:"))
    sock.sendall(f"PLAY {url} RTSP/1.0\r\nCSeq: 3\r\nSession: {session}\r\n\r\n".encode())
    sock.setblocking(False)
    return sock


def _drain(urls: list[str], seconds: float, ready: Any, result: Any) -> None:
    """Client process: play every URL and drain the sockets for ``seconds``; reports bytes received."""
    socks = [_play(u) for u in urls]
    ready.put(len(socks))
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    total = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            try:
                chunk = key.fileobj.recv(1 << 20)  # type: ignore[union-attr]
            except BlockingIOError:
                continue
            total += len(chunk)
    result.put(total)
    for s in socks:
        s.close()


def _cpu_pct(seconds: float) -> float:
    cpu0, wall0 = time.process_time(), time.monotonic()
    time.sleep(seconds)
    return 100.0 * (time.process_time() - cpu0) / (time.monotonic() - wall0)


def measure(cluster: SimCluster, urls: list[str], seconds: float) -> tuple[float, float]:
    """(CPU % of one core, megabits/s delivered) while a separate process drains ``urls``."""
    ctx = mp.get_context("spawn")
    ready, result = ctx.Queue(), ctx.Queue()
    proc = ctx.Process(target=_drain, args=(urls, seconds + 3.0, ready, result), daemon=True)
    proc.start()
    ready.get(timeout=60)
    time.sleep(2.0)  # every client past its first keyframe
    pct = _cpu_pct(seconds)
    total = result.get(timeout=seconds + 60)
    proc.join(timeout=10)
    return pct, total * 8 / (seconds + 3.0) / 1e6


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--cameras", type=int, default=64)
    p.add_argument("--codec", choices=("h264", "h265"), default="h264")
    args = p.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, codec {args.codec}")

    t0 = time.monotonic()
    with SimCluster(args.cameras, codec=args.codec, discovery=False) as cluster:
        startup = time.monotonic() - t0
        print(f"loop mode: {args.cameras} cameras ready in {startup:.1f} s "
              "(4 loop variants x main+sub, encoded or read from the disk cache)")
        idle = _cpu_pct(min(5.0, args.seconds))
        print(f"loop mode: idle (no client) cpu {idle:.1f}% of one core  [baseline]")
        urls = [c["sub"] for c in cluster.cameras]
        loop_pct, mbps = measure(cluster, urls, args.seconds)
        print(f"loop mode: {len(urls)} sub clients -> cpu {loop_pct:.1f}% of one core, {mbps:.1f} Mbit/s sent, "
              f"{loop_pct - idle:+.1f} points over idle")

    with SimCluster(1, ptz=1, codec=args.codec, discovery=False) as cluster:
        idle_live = _cpu_pct(min(3.0, args.seconds))
        live_pct, mbps = measure(cluster, [cluster.cameras[0]["main"]], args.seconds)
        print(f"live mode: 1 PTZ camera 1280x720@25 main -> cpu {live_pct:.1f}% of one core, {mbps:.1f} Mbit/s "
              f"(idle {idle_live:.1f}%)")

    import numpy as np

    img = np.zeros((360, 640), np.uint8)
    stamp.write(img, 1, 2, 25)
    n = 20000
    t1 = time.perf_counter()
    for _ in range(n):
        stamp.read(img)
    read_us = (time.perf_counter() - t1) / n * 1e6
    print(f"stamp.read: {read_us:.1f} us per frame")
    print(f"sim loop{args.cameras}_cpu_pct={loop_pct:.1f} live720p_cpu_pct={live_pct:.1f} "
          f"stamp_read_us={read_us:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

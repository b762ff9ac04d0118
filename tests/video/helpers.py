"""Shared helpers for the engine's tests: a GStreamer RTSP server, generated clips, a status recorder."""

from __future__ import annotations

import os
import select
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from camdesk.models.stream import StreamState, StreamStatus, VideoFrame
from camdesk.video import StreamSupervisor

GST_PYTHON = "/usr/bin/python3"
GST_SERVER = Path(__file__).with_name("gst_rtsp_server.py")


def gst_available() -> bool:
    if not os.path.exists(GST_PYTHON):
        return False
    probe = subprocess.run(
        [GST_PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0'); "
         "from gi.repository import GstRtspServer"],
        capture_output=True, timeout=20, check=False,
    )
    return probe.returncode == 0


@dataclass
class GstServer:
    process: subprocess.Popen[bytes]
    port: int

    def url(self) -> str:
        return f"rtsp://127.0.0.1:{self.port}/test"

    def pause(self) -> None:
        """Freeze the server process: connections stay open, nothing is sent (a stall)."""
        self.process.send_signal(19)  # SIGSTOP

    def cont(self) -> None:
        self.process.send_signal(18)  # SIGCONT

    def stop(self) -> None:
        self.cont()
        if self.process.stdin:
            self.process.stdin.close()
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def start_gst(*args: str, port_timeout: float = 15.0) -> GstServer:
    """Start the GStreamer RTSP server on an ephemeral loopback port."""
    process = subprocess.Popen(
        [GST_PYTHON, str(GST_SERVER), *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + port_timeout
    line = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            break
        if process.poll() is not None:
            break
    if not line.startswith(b"PORT "):
        process.kill()
        raise RuntimeError("the GStreamer RTSP server did not start")
    return GstServer(process, int(line.split()[1]))


@contextmanager
def gst_server(*args: str) -> Iterator[GstServer]:
    server = start_gst(*args)
    try:
        yield server
    finally:
        server.stop()


def make_clip(path: Path, codec: str = "libx264", frames: int = 30, size: tuple[int, int] = (320, 240),
              fps: int = 15) -> Path:
    """Encode a short moving test clip with PyAV (a bar sweeping left to right)."""
    width, height = size
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"g": str(fps)}
        if codec == "libx265":
            stream.options = {"x265-params": f"keyint={fps}:log-level=error"}
        for i in range(frames):
            img = np.full((height, width, 3), 40, np.uint8)
            img[:, : (i * 9) % width + 4] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


class Recorder:
    """Collects the statuses a supervisor reports (from its worker threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: list[StreamStatus] = []

    def __call__(self, status: StreamStatus) -> None:
        with self.lock:
            self.statuses.append(status)

    def states(self, stream_id: str | None = None) -> list[StreamState]:
        with self.lock:
            return [s.state for s in self.statuses if stream_id is None or s.stream_id == stream_id]

    def wait_for(self, state: StreamState, timeout: float, after: int = 0,
                 stream_id: str | None = None) -> StreamStatus | None:
        """The first status in ``state`` at index >= ``after``, waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for status in self.statuses[after:]:
                    if status.state == state and (stream_id is None or status.stream_id == stream_id):
                        return status
            time.sleep(0.02)
        return None

    def __len__(self) -> int:
        with self.lock:
            return len(self.statuses)


def wait_frame(supervisor: StreamSupervisor, stream_id: str, timeout: float,
               accept: Callable[[VideoFrame], bool] = lambda f: True) -> VideoFrame | None:
    """Poll like a tile's paint timer (every 10 ms) until a frame that ``accept``s arrives."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = supervisor.latest(stream_id)
        if frame is not None and accept(frame):
            return frame
        time.sleep(0.01)
    return None


def count_frames(supervisor: StreamSupervisor, stream_id: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        if supervisor.latest(stream_id) is not None:
            n += 1
        time.sleep(0.01)
    return n

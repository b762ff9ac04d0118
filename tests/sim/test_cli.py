"""``camdesk-sim`` as a user runs it: JSON lines once ready, working URLs, clean exit on signals."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
import urllib.request

import av
import pytest

pytestmark = pytest.mark.timeout(90)


def _start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "camdesk.sim", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})


def _read_lines(proc: subprocess.Popen[str], count: int, timeout: float = 60) -> list[str]:
    """The first ``count`` lines of stdout (read from the raw pipe, so select() sees every byte)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    data = b""
    deadline = time.monotonic() + timeout
    while data.count(b"\n") < count and time.monotonic() < deadline:
        if sel.select(timeout=max(0.0, deadline - time.monotonic())):
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
    return [line + "\n" for line in data.decode().splitlines()[:count]]


def _stop(proc: subprocess.Popen[str], sig: int) -> float:
    started = time.monotonic()
    proc.send_signal(sig)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise
    return time.monotonic() - started


def test_sim_prints_a_json_line_per_camera_and_stops_on_sigterm() -> None:
    proc = _start("--cameras", "3", "--main", "640x360@15", "--sub", "320x180@10", "--user", "admin",
                  "--password", "Hidden-Pass-42", "--ptz", "1", "--no-discovery")
    try:
        lines = _read_lines(proc, 3)
        assert len(lines) == 3, proc.stderr.read() if proc.poll() is not None and proc.stderr else lines
        cams = [json.loads(line) for line in lines]
        assert [c["index"] for c in cams] == [0, 1, 2]
        assert [c["ptz"] for c in cams] == [True, False, False]
        for c in cams:
            assert set(c) >= {"name", "onvif", "main", "sub", "snapshot", "control", "ptz", "codec", "user"}
            assert c["main"].startswith("rtsp://127.0.0.1:") and c["main"].endswith(f"/cam{c['index']}/main")
            assert c["user"] == "admin"
        assert "Hidden-Pass-42" not in "".join(lines)
        # Everything listens once the lines are out: a stream plays, the control API answers.
        url = cams[1]["sub"].replace("rtsp://", "rtsp://admin:Hidden-Pass-42@")
        with av.open(url, options={"rtsp_transport": "tcp"}, timeout=5) as container:
            frame = next(container.decode(video=0))
            assert (frame.width, frame.height) == (320, 180)
        with urllib.request.urlopen(cams[2]["control"], timeout=5) as resp:
            assert json.load(resp)["name"] == cams[2]["name"]
    finally:
        took = _stop(proc, signal.SIGTERM)
    assert proc.returncode == 0
    assert took < 2.0


def test_sim_stops_cleanly_on_ctrl_c() -> None:
    proc = _start("--cameras", "1", "--main", "320x180@10", "--sub", "320x180@10", "--no-discovery")
    try:
        assert len(_read_lines(proc, 1)) == 1
    finally:
        took = _stop(proc, signal.SIGINT)
    assert proc.returncode == 0 and took < 2.0


def test_sim_stopped_while_still_encoding_exits_at_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # An empty cache: H.265 loops at 1280x720 take many seconds to encode.
    proc = _start("--cameras", "4", "--codec", "h265", "--no-discovery", env={"XDG_CACHE_HOME": str(tmp_path)})
    try:
        time.sleep(1.5)
        assert proc.poll() is None
    finally:
        took = _stop(proc, signal.SIGTERM)
    assert proc.returncode == 0 and took < 2.0
    assert proc.stdout is not None and proc.stdout.read() == "", "no camera lines once stopping"


def test_sim_rejects_bad_options_with_a_clear_message() -> None:
    run = subprocess.run([sys.executable, "-m", "camdesk.sim", "--main", "big"], capture_output=True,
                         text=True, timeout=30)
    assert run.returncode == 2
    assert "WxH@FPS" in run.stderr

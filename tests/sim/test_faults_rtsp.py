"""Every RTSP fault switch, seen by a real RTSP client (PyAV/FFmpeg): drop, stall, refuse, down, corrupt,
password change; and the control API that switches them while the camera runs."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request

import av
import pytest

from tests.conftest import require_tool

pytest_plugins = ["camdesk.sim.testing"]
pytestmark = pytest.mark.timeout(90)

FAST_OPEN = {"rtsp_transport": "tcp", "analyzeduration": "200000", "probesize": "200000"}


def _open(url: str, read_timeout: float = 3.0) -> av.container.InputContainer:
    return av.open(url, options=FAST_OPEN, timeout=(5.0, read_timeout))


def _frames_until_failure(container: av.container.InputContainer, limit_s: float) -> tuple[int, bool]:
    """Decode until the stream fails or ends; (frames decoded, whether it failed within ``limit_s``)."""
    frames = 0
    deadline = time.monotonic() + limit_s
    try:
        for _ in container.decode(video=0):
            frames += 1
            if time.monotonic() > deadline:
                return frames, False
    except (av.FFmpegError, OSError):
        return frames, True
    return frames, True  # end of stream


def _decode_some(url: str, count: int = 3) -> int:
    with _open(url) as container:
        n = 0
        for _ in container.decode(video=0):
            n += 1
            if n >= count:
                break
        return n


def test_drop_ends_running_streams_and_the_client_can_reconnect(sim_cluster) -> None:
    sim = sim_cluster(cameras=2)
    url = sim.url(0, "sub")
    other = _open(sim.url(1, "sub"))
    with _open(url) as container:
        next(container.decode(video=0))
        sim.camera(0).faults.drop()
        _, failed = _frames_until_failure(container, limit_s=5)
        assert failed, "the dropped stream must end"
    assert _decode_some(url) == 3, "a dropped camera accepts the client again at once"
    # The other camera did not notice.
    with other:
        assert next(other.decode(video=0)) is not None


def test_stall_keeps_the_connection_but_sends_nothing(sim_cluster) -> None:
    sim = sim_cluster(cameras=1)
    url = sim.url(0, "sub")
    with _open(url, read_timeout=1.5) as container:
        next(container.decode(video=0))
        sim.camera(0).faults.set_stall(True)
        started = time.monotonic()
        frames, failed = _frames_until_failure(container, limit_s=8)
        assert failed, "a stalled stream delivers no more frames and the client's read times out"
        assert frames < 10, f"{frames} frames arrived after the stall"  # only what was already buffered
        assert time.monotonic() - started < 8
    with pytest.raises((av.FFmpegError, OSError)):
        av.open(url, options=FAST_OPEN, timeout=(1.5, 1.5))  # a new client hears nothing either
    sim.camera(0).faults.set_stall(False)
    assert _decode_some(url) == 3


def test_refuse_hangs_up_on_new_clients_but_keeps_playing_ones(sim_cluster) -> None:
    sim = sim_cluster(cameras=1)
    url = sim.url(0, "sub")
    with _open(url) as playing:
        next(playing.decode(video=0))
        sim.camera(0).faults.set_refuse(True)
        started = time.monotonic()
        with pytest.raises((av.FFmpegError, OSError)):
            _open(url)
        assert time.monotonic() - started < 3, "refusal is immediate, not a timeout"
        frames = 0
        for _ in playing.decode(video=0):
            frames += 1
            if frames == 5:
                break
        assert frames == 5, "sessions that were already playing continue"
    sim.camera(0).faults.set_refuse(False)
    assert _decode_some(url) == 3


def test_down_for_two_seconds_drops_refuses_then_comes_back(sim_cluster) -> None:
    sim = sim_cluster(cameras=1)
    url = sim.url(0, "sub")
    with _open(url) as container:
        next(container.decode(video=0))
        sim.camera(0).faults.go_down(2.0)
        went_down = time.monotonic()
        _, failed = _frames_until_failure(container, limit_s=4)
        assert failed
    with pytest.raises((av.FFmpegError, OSError)):
        _open(url)
    assert sim.camera(0).faults.down
    while time.monotonic() - went_down < 2.2:
        time.sleep(0.1)
    assert _decode_some(url) == 3, "the camera is back after its downtime"


def test_corrupt_packets_make_the_decoder_complain(sim_cluster) -> None:
    ffmpeg = require_tool("ffmpeg")
    sim = sim_cluster(cameras=1)
    url = sim.url(0, "sub")

    def decoder_errors() -> str:
        run = subprocess.run([ffmpeg, "-v", "error", "-rtsp_transport", "tcp", "-timeout", "5000000", "-i", url,
                              "-t", "2", "-f", "null", "-"], capture_output=True, text=True, timeout=30)
        return run.stderr

    assert decoder_errors().strip() == "", "a healthy camera decodes without errors"
    sim.camera(0).faults.set_corrupt(0.3)
    assert decoder_errors().strip() != "", "damaged and truncated packets show up as decoder errors"


def test_password_change_locks_out_the_old_password(sim_cluster) -> None:
    sim = sim_cluster(cameras=1, user="admin", password="old-pass")
    old_url = sim.url(0, "sub")
    assert _decode_some(old_url) == 3
    sim.camera(0).set_password("new-pass")
    with pytest.raises(av.error.HTTPUnauthorizedError):
        _open(old_url)
    assert _decode_some(sim.url(0, "sub")) == 3  # the URL now carries the new password


def test_control_api_switches_faults_of_a_running_camera(sim_cluster) -> None:
    sim = sim_cluster(cameras=2)
    control = sim.cameras[1]["control"]

    def post(body: object) -> tuple[int, dict]:
        req = urllib.request.Request(control + "/fault", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return resp.status, json.load(resp)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    status, state = post({"stall": True, "corrupt": 0.25, "clock_offset": 7200})
    assert status == 200
    assert state["faults"]["stall"] is True and state["faults"]["corrupt"] == 0.25
    with urllib.request.urlopen(control, timeout=5) as resp:
        assert json.load(resp)["faults"]["clock_offset"] == 7200
    assert sim.camera(1).faults.stall and not sim.camera(0).faults.stall
    with pytest.raises((av.FFmpegError, OSError)):
        av.open(sim.url(1, "sub"), options=FAST_OPEN, timeout=(1.5, 1.5))

    status, state = post({"stall": "yes"})
    assert status == 400 and "error" in state
    status, _ = post({"explode": True})
    assert status == 400
    status, state = post({"clear": True})
    assert status == 200 and state["faults"]["stall"] is False
    assert _decode_some(sim.url(1, "sub")) == 3
    status, state = post({"password": "changed"})
    assert status == 200 and sim.camera(1).password == "changed"
    assert "changed" not in json.dumps(state), "the control API never echoes passwords"

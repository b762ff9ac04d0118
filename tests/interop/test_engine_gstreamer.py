"""The stream engine against an independent RTSP server (GStreamer's gst-rtsp-server)."""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest

from camdesk.models.stream import StreamSource, StreamState
from camdesk.video import EngineSettings, StreamSupervisor
from tests.conftest import require
from tests.video.helpers import Recorder, count_frames, gst_available, gst_server, wait_frame

pytestmark = [pytest.mark.timeout(90)]

SETTINGS = EngineSettings(open_timeout_s=3.0, read_timeout_s=3.0, stall_timeout_s=1.5, offline_after_s=5.0,
                          offline_after_attempts=3)
PASSWORD = "Gi@m$at:P/2024"


@pytest.fixture(scope="module", autouse=True)
def _need_gstreamer() -> None:
    require(gst_available(), "GStreamer's RTSP server (python3-gi, gir1.2-gst-rtsp-server-1.0) is missing")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def supervisor(recorder: Recorder):
    sup = StreamSupervisor(recorder, SETTINGS)
    yield sup
    sup.shutdown(timeout=3.0)
    assert not [t for t in threading.enumerate() if t.name.startswith("camdesk-video")]


@pytest.mark.parametrize(("codec", "transport"), [("h264", "tcp"), ("h264", "udp"), ("h265", "tcp")])
def test_frames_arrive_from_an_rtsp_camera(codec: str, transport: str, recorder: Recorder) -> None:
    sup = StreamSupervisor(recorder, EngineSettings(transport=transport))
    try:
        with gst_server("--codec", codec) as server:
            sup.open("cam", StreamSource(server.url()), width=480, height=270)
            first = wait_frame(sup, "cam", 10)
            assert first is not None and (first.width, first.height) == (480, 270)
            assert count_frames(sup, "cam", 1.5) >= 10  # about 15 fps
            stats = sup.stats("cam")
            assert stats.codec == ("h264" if codec == "h264" else "hevc")
            assert stats.input_fps > 8 and stats.kbit_per_s > 0
            assert abs(first.captured_at - first.received_at) < 2.0
            assert recorder.states() == [StreamState.CONNECTING, StreamState.PLAYING]
    finally:
        sup.shutdown()


def test_udp_falls_back_to_tcp_when_the_camera_refuses_udp(recorder: Recorder) -> None:
    sup = StreamSupervisor(recorder, EngineSettings(transport="udp"))
    try:
        with gst_server("--tcp-only") as server:
            sup.open("cam", StreamSource(server.url()))
            assert wait_frame(sup, "cam", 10) is not None
    finally:
        sup.shutdown()


def test_stalled_camera_is_reconnected_and_video_returns_quickly(supervisor: StreamSupervisor,
                                                                 recorder: Recorder) -> None:
    with gst_server() as server:
        supervisor.open("cam", StreamSource(server.url()), width=320, height=180)
        assert wait_frame(supervisor, "cam", 10) is not None
        server.pause()  # the camera hangs: the connection stays open, nothing arrives
        status = recorder.wait_for(StreamState.RECONNECTING, SETTINGS.stall_timeout_s + 3)
        assert status is not None and status.attempt == 1 and status.next_try_at is not None
        assert "no video" in status.reason
        server.cont()
        back = time.time()
        frame = wait_frame(supervisor, "cam", 6, lambda f: f.received_at > back)
        assert frame is not None
        assert recorder.wait_for(StreamState.PLAYING, 1, after=2) is not None
        assert supervisor.stats("cam").reconnects == 1


def test_wrong_password_reports_auth_failed_and_never_leaks_it(recorder: Recorder,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sup = StreamSupervisor(recorder, SETTINGS)
    try:
        with gst_server("--user", "officer", "--password", "right-one") as server:
            sup.open("bad", StreamSource(server.url(), username="officer", password=PASSWORD))
            sup.open("good", StreamSource(server.url(), username="officer", password="right-one"))
            status = recorder.wait_for(StreamState.AUTH_FAILED, 10, stream_id="bad")
            assert status is not None
            assert status.next_try_at is not None and status.next_try_at - time.time() > 20  # slow retry
            assert wait_frame(sup, "good", 10) is not None
    finally:
        sup.shutdown()
    texts = [repr(s) for s in recorder.statuses] + [r.getMessage() for r in caplog.records]
    texts += [r.exc_text or "" for r in caplog.records]
    for text in texts:
        for secret in (PASSWORD, "Gi%40m", "right-one"):
            assert secret not in text


def test_camera_that_refuses_connections_goes_reconnecting_then_offline(supervisor: StreamSupervisor,
                                                                        recorder: Recorder) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now: connections are refused
    started = time.time()
    supervisor.open("cam", StreamSource(f"rtsp://127.0.0.1:{port}/live"))
    first = recorder.wait_for(StreamState.RECONNECTING, 3)
    assert first is not None and first.attempt == 1
    assert first.next_try_at is not None and first.next_try_at - first.since <= 0.5
    offline = recorder.wait_for(StreamState.OFFLINE, 12)
    assert offline is not None and offline.since <= offline.next_try_at  # type: ignore[operator]
    assert started - 0.1 <= offline.since <= started + 1.0  # offline since the first failure
    attempts = [s.attempt for s in recorder.statuses if s.attempt]
    assert attempts == sorted(attempts) and len(attempts) >= 4
    gaps = [s.next_try_at - s.since for s in recorder.statuses if s.next_try_at is not None  # type: ignore[operator]
            and s.state == StreamState.RECONNECTING]
    assert all(g <= 10.0 for g in gaps)


def test_shutdown_interrupts_workers_blocked_on_a_hung_camera(recorder: Recorder) -> None:
    sup = StreamSupervisor(recorder, EngineSettings(open_timeout_s=30, read_timeout_s=30, stall_timeout_s=30))
    with gst_server() as server:
        for i in range(8):  # one after the other: gst-rtsp-server can lose a client racing its media setup
            sup.open(f"cam{i}", StreamSource(server.url()), width=64, height=36)
            assert wait_frame(sup, f"cam{i}", 10) is not None, recorder.statuses
        server.pause()
        time.sleep(0.5)  # every worker is now blocked reading a silent socket
        started = time.monotonic()
        sup.shutdown(timeout=2.0)
        assert time.monotonic() - started < 2.0
        assert not [t for t in threading.enumerate() if t.name.startswith("camdesk-video")]

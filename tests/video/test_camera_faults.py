"""The engine against the virtual camera: every fault gives the right states, and video comes back
within 2 s of the camera's return. Credentials never appear in states, errors or logs."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from camdesk.logs import scrub
from camdesk.models.stream import StreamQuality, StreamSource, StreamState
from camdesk.video import EngineSettings, StreamSupervisor
from tests.video.helpers import Recorder, count_frames, wait_frame

sim_testing = pytest.importorskip("camdesk.sim.testing")
sim_stamp = pytest.importorskip("camdesk.sim.stamp")

pytestmark = pytest.mark.timeout(90)

USER, PASSWORD = "officer", "Ph@t:Gi4/Khu#7"
# Short timeouts so a test sees a whole recovery in seconds; the mechanism is the same as the defaults'.
FAULT_SETTINGS = EngineSettings(open_timeout_s=0.8, read_timeout_s=1.0, stall_timeout_s=1.0,
                                retry_cap_s=0.5, offline_after_attempts=3, offline_after_s=30.0,
                                auth_retry_s=30.0)
BACK_WITHIN_S = 2.0
CAMERAS = 8


def read_stamp(luma: object) -> float | None:
    stamp = sim_stamp.read(luma)
    return stamp.sent_at(time.time()) * 1000 if stamp is not None else None


@pytest.fixture(scope="module")
def sim() -> Iterator[object]:
    cluster = sim_testing.start_cluster(CAMERAS, user=USER, password=PASSWORD, gop=0.5)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def supervisor(recorder: Recorder) -> Iterator[StreamSupervisor]:
    sup = StreamSupervisor(recorder, FAULT_SETTINGS, stamp_reader=read_stamp)
    yield sup
    sup.shutdown(timeout=3.0)
    assert not [t for t in threading.enumerate() if t.name.startswith("camdesk-video")]


def _source(sim, index: int, kind: str = "sub", password: str = PASSWORD) -> StreamSource:  # type: ignore[no-untyped-def]
    info = sim.cameras[index]
    return StreamSource(info[kind], username=USER, password=password)


def _playing(sup: StreamSupervisor, recorder: Recorder, sid: str) -> None:
    assert wait_frame(sup, sid, 5) is not None, recorder.statuses
    assert recorder.wait_for(StreamState.PLAYING, 1, stream_id=sid) is not None


def _video_back(sup: StreamSupervisor, sid: str, since: float) -> float:
    """Seconds from ``since`` (wall clock) to the first new frame (asserts it comes within the bound)."""
    frame = wait_frame(sup, sid, 10, lambda f: f.received_at > since)
    assert frame is not None
    return frame.received_at - since


def _states_after(recorder: Recorder, mark: int) -> list[StreamState]:
    return [s.state for s in recorder.statuses[mark:]]


@pytest.mark.parametrize("transport", ["tcp", "udp"])
def test_virtual_camera_plays_with_stamps_over_tcp_and_udp(sim, recorder: Recorder, transport: str) -> None:  # type: ignore[no-untyped-def]
    sup = StreamSupervisor(recorder, EngineSettings(transport=transport), stamp_reader=read_stamp)
    try:
        sup.open("cam", _source(sim, 0), width=240, height=135)
        frame = wait_frame(sup, "cam", 5)
        assert frame is not None and (frame.width, frame.height) == (240, 135)
        assert count_frames(sup, "cam", 1.0) >= 5  # the sub stream runs at 10 fps
        frame = wait_frame(sup, "cam", 2)
        assert frame is not None and frame.stamp_ms is not None
        latency_ms = frame.received_at * 1000 - frame.stamp_ms
        assert 0 <= latency_ms < 1000
        assert abs(frame.captured_at * 1000 - frame.stamp_ms) < 1
        stats = sup.stats("cam")
        assert stats.latency_ms is not None and stats.time_to_first_frame_ms is not None
        # Over TCP the decoder pool reads the camera's socket; the stream's own thread only supervises.
        # Over UDP (two more sockets) the stream's thread still reads.
        assert _stream_thread_reads(sup, "cam") == (transport == "udp")
    finally:
        sup.shutdown()


def _stream_thread_reads(sup: StreamSupervisor, sid: str) -> bool:
    """Whether the stream's own thread is seen reading the network in 1 s of samples of its stack."""
    thread = next(t for t in threading.enumerate() if t.name == f"camdesk-video-{sid}")
    reading = False
    for _ in range(100):
        frame = sys._current_frames().get(thread.ident or 0)
        while frame is not None:
            reading = reading or frame.f_code.co_name == "_read"
            frame = frame.f_back
        time.sleep(0.01)
    return reading


def test_h265_camera_plays(recorder: Recorder) -> None:
    cluster = sim_testing.start_cluster(1, codec="h265", gop=0.5)
    sup = StreamSupervisor(recorder, FAULT_SETTINGS, stamp_reader=read_stamp)
    try:
        sup.open("cam", StreamSource(cluster.cameras[0]["sub"]), width=320, height=180)
        assert wait_frame(sup, "cam", 5) is not None
        assert sup.stats("cam").codec == "hevc"
    finally:
        sup.shutdown()
        cluster.stop()


def test_dropped_connection_reconnects_at_once(sim, supervisor: StreamSupervisor, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    supervisor.open("cam", _source(sim, 1))
    _playing(supervisor, recorder, "cam")
    mark = len(recorder)
    dropped = time.time()
    sim.camera(1).faults.drop()
    status = recorder.wait_for(StreamState.RECONNECTING, 3, after=mark)
    assert status is not None and status.attempt == 1
    assert status.next_try_at is not None and status.next_try_at - status.since <= 0.5
    assert recorder.wait_for(StreamState.PLAYING, 3, after=mark) is not None
    assert _video_back(supervisor, "cam", dropped) < BACK_WITHIN_S
    assert _states_after(recorder, mark) == [StreamState.RECONNECTING, StreamState.PLAYING]
    assert supervisor.stats("cam").reconnects == 1


def test_stalled_camera_is_detected_and_video_returns(sim, supervisor: StreamSupervisor,  # type: ignore[no-untyped-def]
                                                      recorder: Recorder) -> None:
    supervisor.open("cam", _source(sim, 2))
    _playing(supervisor, recorder, "cam")
    mark = len(recorder)
    faults = sim.camera(2).faults
    faults.set_stall(True)
    try:
        status = recorder.wait_for(StreamState.RECONNECTING, 4, after=mark)
        assert status is not None and "no video" in status.reason
        time.sleep(1.5)  # attempts during the stall hang and time out
    finally:
        faults.set_stall(False)
    returned = time.time()
    assert _video_back(supervisor, "cam", returned) < BACK_WITHIN_S
    states = _states_after(recorder, mark)
    assert states[0] == StreamState.RECONNECTING and states[-1] == StreamState.PLAYING
    assert set(states) <= {StreamState.RECONNECTING, StreamState.OFFLINE, StreamState.PLAYING}


def test_refusing_camera_is_retried_with_backoff(sim, supervisor: StreamSupervisor, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    supervisor.open("cam", _source(sim, 3))
    _playing(supervisor, recorder, "cam")
    mark = len(recorder)
    faults = sim.camera(3).faults
    faults.set_refuse(True)
    faults.drop()
    try:
        assert recorder.wait_for(StreamState.RECONNECTING, 3, after=mark) is not None
        time.sleep(2.0)
    finally:
        faults.set_refuse(False)
    returned = time.time()
    assert _video_back(supervisor, "cam", returned) < BACK_WITHIN_S
    retries = [s for s in recorder.statuses[mark:] if s.state != StreamState.PLAYING]
    assert [s.attempt for s in retries] == list(range(1, len(retries) + 1)) and len(retries) >= 3
    assert recorder.statuses[-1].state == StreamState.PLAYING


def test_camera_down_then_up_goes_offline_and_comes_back(sim, supervisor: StreamSupervisor,  # type: ignore[no-untyped-def]
                                                          recorder: Recorder) -> None:
    supervisor.open("cam", _source(sim, 4))
    _playing(supervisor, recorder, "cam")
    mark = len(recorder)
    went_down = time.time()
    sim.camera(4).faults.go_down(3.0)
    offline = recorder.wait_for(StreamState.OFFLINE, 3.5, after=mark)
    assert offline is not None
    assert went_down - 0.1 <= offline.since <= went_down + 1.0  # "offline since" = when video was lost
    assert offline.next_try_at is not None
    while sim.camera(4).faults.down:
        time.sleep(0.02)
    returned = time.time()
    assert _video_back(supervisor, "cam", returned) < BACK_WITHIN_S
    states = _states_after(recorder, mark)
    assert states[:FAULT_SETTINGS.offline_after_attempts] == [StreamState.RECONNECTING] * 3
    assert StreamState.OFFLINE in states and states[-1] == StreamState.PLAYING


def test_corrupt_packets_do_not_stop_the_stream(sim, supervisor: StreamSupervisor, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    supervisor.open("cam", _source(sim, 5))
    _playing(supervisor, recorder, "cam")
    mark = len(recorder)
    faults = sim.camera(5).faults
    faults.set_corrupt(0.3)
    try:
        time.sleep(2.0)
    finally:
        faults.set_corrupt(0.0)
    returned = time.time()
    assert _video_back(supervisor, "cam", returned) < BACK_WITHIN_S
    states = _states_after(recorder, mark)
    assert set(states) <= {StreamState.RECONNECTING, StreamState.OFFLINE, StreamState.PLAYING}
    assert not states or states[-1] == StreamState.PLAYING
    assert count_frames(supervisor, "cam", 1.0) >= 5


def test_wrong_password_reports_auth_failed_slowly_and_never_leaks(sim, supervisor: StreamSupervisor,  # type: ignore[no-untyped-def]
                                                                   recorder: Recorder,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "Sai#M@t:Kh4u/99"
    supervisor.open("bad", _source(sim, 6, password=wrong))
    status = recorder.wait_for(StreamState.AUTH_FAILED, 5, stream_id="bad")
    assert status is not None
    assert status.next_try_at is not None and status.next_try_at - status.since >= 25  # no account lockout
    time.sleep(1.0)
    assert recorder.states("bad") == [StreamState.CONNECTING, StreamState.AUTH_FAILED]  # no hammering
    # The camera's password changes under a playing stream: auth-failed too.
    supervisor.open("cam", _source(sim, 7))
    _playing(supervisor, recorder, "cam")
    mark = len(recorder)
    sim.camera(7).set_password("changed-by-owner")
    sim.camera(7).faults.drop()
    try:
        assert recorder.wait_for(StreamState.AUTH_FAILED, 5, after=mark, stream_id="cam") is not None
    finally:
        sim.camera(7).set_password(PASSWORD)
    texts = [repr(s) for s in recorder.statuses]
    texts += [r.getMessage() for r in caplog.records] + [r.exc_text or "" for r in caplog.records]
    for text in texts:
        for secret in (wrong, PASSWORD, "Sai%23M", "Ph%40t", "Sai#M", "Ph@t"):
            assert secret not in text, scrub(text)


def test_tile_size_picks_main_or_sub_on_a_real_camera(sim, supervisor: StreamSupervisor,  # type: ignore[no-untyped-def]
                                                      recorder: Recorder) -> None:
    info = sim.cameras[0]
    main = StreamSource(info["main"], USER, PASSWORD, 640, 360)
    sub = StreamSource(info["sub"], USER, PASSWORD, 320, 180)
    supervisor.open("cam", main, sub, width=320, height=180)
    frame = wait_frame(supervisor, "cam", 5)
    assert frame is not None and frame.quality == StreamQuality.SUB
    time.sleep(FAULT_SETTINGS.min_switch_s)
    supervisor.resize("cam", 640, 360)
    frame = wait_frame(supervisor, "cam", 6, lambda f: f.quality == StreamQuality.MAIN)
    assert frame is not None and frame.width == 640
    assert StreamState.RECONNECTING not in recorder.states("cam")


def test_hidden_tile_keeps_the_connection_briefly_and_resumes_without_reconnecting(
        sim, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    sup = StreamSupervisor(recorder, EngineSettings(pause_grace_s=3.0), stamp_reader=read_stamp)
    try:
        sup.open("cam", _source(sim, 0))
        _playing(sup, recorder, "cam")
        sup.pause("cam")
        time.sleep(0.3)
        sup.latest("cam")
        assert count_frames(sup, "cam", 1.0) == 0  # hidden: nothing decoded
        sup.resume("cam")
        frame = wait_frame(sup, "cam", 3)
        assert frame is not None
        assert recorder.states("cam") == [StreamState.CONNECTING, StreamState.PLAYING]  # same session
    finally:
        sup.shutdown()

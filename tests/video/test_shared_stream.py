"""A camera shown on several tiles (the wall and a second monitor's window) uses one session with the
camera: each tile still gets frames at its own size, its own states, pause and quality wish."""

from __future__ import annotations

import threading
import time

import pytest

from camdesk.models.stream import StreamQuality, StreamSource, StreamState
from camdesk.sim.cluster import SimCluster
from tests.conftest import wait_until
from tests.video.conftest import FAST
from tests.video.helpers import Recorder, wait_frame

pytestmark = pytest.mark.timeout(90)


def _workers() -> list[str]:
    return [t.name for t in threading.enumerate()
            if t.name.startswith("camdesk-video-") and "-decode" not in t.name and not t.name.endswith("-switch")]


@pytest.fixture
def cluster():  # type: ignore[no-untyped-def]
    with SimCluster(1, main="640x360@15", sub="320x180@15", gop=1.0, discovery=False, user="admin",
                    password="Secret-123") as c:
        yield c


def _sources(cluster, password: str = "Secret-123") -> tuple[StreamSource, StreamSource]:  # type: ignore[no-untyped-def]
    main = StreamSource(cluster.url(0, "main", credentials=False), "admin", password, 640, 360)
    sub = StreamSource(cluster.url(0, "sub", credentials=False), "admin", password, 320, 180)
    return main, sub


def _two_tiles_playing(sup, cluster, first: str, second: str) -> None:  # type: ignore[no-untyped-def]
    """Open two tiles of the camera at 320x180 and wait until both have a picture."""
    main, sub = _sources(cluster)
    sup.open(first, main, sub, width=320, height=180)
    sup.open(second, main, sub, width=320, height=180)
    assert wait_frame(sup, first, 10) is not None and wait_frame(sup, second, 5) is not None


def test_two_tiles_of_one_camera_share_one_session_at_their_own_sizes(
        cluster, make_supervisor, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    sup = make_supervisor(FAST)
    main, sub = _sources(cluster)
    sup.open("wall/t1", main, sub, width=320, height=180)
    assert wait_frame(sup, "wall/t1", 10) is not None
    sup.open("window2/t5", main, sub, width=160, height=90)
    small = wait_frame(sup, "window2/t5", 5)
    big = wait_frame(sup, "wall/t1", 5)
    assert small is not None and (small.width, small.height) == (160, 90)
    assert big is not None and (big.width, big.height) == (320, 180)
    assert cluster.rtsp.session_count(0) == 1
    assert len(_workers()) == 1
    # each tile hears the stream's state under its own id, the one that joined late as well
    assert recorder.wait_for(StreamState.PLAYING, 2, stream_id="wall/t1") is not None
    assert recorder.wait_for(StreamState.PLAYING, 2, stream_id="window2/t5") is not None
    status = sup.status("window2/t5")
    assert status is not None and status.stream_id == "window2/t5" and status.state == StreamState.PLAYING
    # the figures are the stream's, the deliveries each tile's own
    for sid in ("wall/t1", "window2/t5"):
        for _ in range(20):
            sup.latest(sid)
            time.sleep(0.05)
    first, second = sup.stats("wall/t1"), sup.stats("window2/t5")
    assert first.input_fps == pytest.approx(second.input_fps, rel=0.3) and first.input_fps > 5
    assert 0 < first.delivered_fps < 20 and 0 < second.delivered_fps < 20


def test_closing_one_tile_keeps_the_other_playing_and_the_last_one_ends_the_session(
        cluster, make_supervisor, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    sup = make_supervisor(FAST)
    _two_tiles_playing(sup, cluster, "a", "b")
    mark = len(recorder.statuses)
    sup.close("a")
    assert sup.latest("a") is None
    time.sleep(0.3)
    assert wait_frame(sup, "b", 2) is not None and wait_frame(sup, "b", 2) is not None
    with recorder.lock:
        later = [st.state for st in recorder.statuses[mark:] if st.stream_id == "b"]
    assert StreamState.RECONNECTING not in later and StreamState.CONNECTING not in later, later
    assert cluster.rtsp.session_count(0) == 1
    sup.close("b")
    assert wait_until(lambda: cluster.rtsp.session_count(0) == 0, 10.0), "the last tile's close ends the session"
    assert wait_until(lambda: not _workers(), 10.0)


def test_a_hidden_tile_gets_nothing_while_the_shown_one_plays_and_all_hidden_pauses_the_camera(
        cluster, make_supervisor, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    sup = make_supervisor(FAST)
    _two_tiles_playing(sup, cluster, "shown", "hidden")
    sup.pause("hidden")
    sup.latest("hidden")  # whatever came before the pause
    time.sleep(0.5)
    assert sup.latest("hidden") is None
    assert wait_frame(sup, "shown", 2) is not None
    sup.pause("shown")  # both hidden: after the grace period the session closes
    assert wait_until(lambda: cluster.rtsp.session_count(0) == 0, FAST.pause_grace_s + 5)
    assert recorder.wait_for(StreamState.STOPPED, 5, stream_id="hidden") is not None
    sup.resume("hidden")
    assert wait_frame(sup, "hidden", 10) is not None
    assert sup.latest("shown") is None  # still hidden


def test_a_maximized_tile_brings_the_main_stream_to_both_each_at_its_size(
        cluster, make_supervisor) -> None:  # type: ignore[no-untyped-def]
    sup = make_supervisor(FAST)
    main, sub = _sources(cluster)
    sup.open("big", main, sub, width=320, height=180)
    sup.open("small", main, sub, width=160, height=90)
    frame = wait_frame(sup, "small", 10)
    assert frame is not None and frame.quality == StreamQuality.SUB
    sup.force_quality("big", StreamQuality.MAIN)
    assert wait_frame(sup, "big", 10, lambda f: f.quality == StreamQuality.MAIN) is not None
    frame = wait_frame(sup, "small", 5, lambda f: f.quality == StreamQuality.MAIN)
    assert frame is not None and (frame.width, frame.height) == (160, 90)
    assert wait_until(lambda: cluster.rtsp.session_count(0) == 1, 10.0)  # the sub session ended after the switch


def test_other_credentials_open_their_own_session(cluster, make_supervisor) -> None:  # type: ignore[no-untyped-def]
    sup = make_supervisor(FAST)
    sup.open("right", *_sources(cluster), width=320, height=180)
    sup.open("wrong", *_sources(cluster, password="not-it"), width=320, height=180)
    assert wait_frame(sup, "right", 10) is not None
    assert wait_until(lambda: (status := sup.status("wrong")) is not None and status.state == StreamState.AUTH_FAILED, 10.0)
    assert len(_workers()) == 2

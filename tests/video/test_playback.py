"""Playing local files through the same path as cameras: sizes, codecs, looping, pausing, main/sub."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from camdesk.models.stream import StreamQuality, StreamSource, StreamState, VideoFrame
from camdesk.video import EngineSettings
from camdesk.video.decode_pool import THREAD_NAME as DECODE_THREAD
from camdesk.video.decode_pool import default_threads
from tests.video.conftest import FAST
from tests.video.helpers import Recorder, count_frames, wait_frame

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("codec", ["h264", "h265"])
def test_local_file_plays_scaled_to_the_tile(codec: str, clips: dict[str, Path], make_supervisor,
                                              recorder: Recorder) -> None:
    sup = make_supervisor()
    sup.open("f", StreamSource(str(clips[codec])), width=160, height=160)
    frame = wait_frame(sup, "f", 5)
    assert frame is not None
    image = frame.image
    assert isinstance(image, np.ndarray)
    # 320x240 fitted inside 160x160 keeps 4:3.
    assert image.shape == (120, 160, 4) and image.dtype == np.uint8 and image.flags.c_contiguous
    assert (frame.width, frame.height) == (160, 120)
    assert image[:, :, 3].min() == 255  # opaque BGRA
    assert recorder.wait_for(StreamState.PLAYING, 2) is not None
    stats = sup.stats("f")
    assert stats.codec == ("h264" if codec == "h264" else "hevc")
    assert (stats.width, stats.height) == (320, 240)
    assert stats.time_to_first_frame_ms is not None


def test_resize_changes_the_delivered_size(clips: dict[str, Path], make_supervisor) -> None:
    sup = make_supervisor()
    sup.open("f", StreamSource(str(clips["h264"])), width=320, height=240)
    assert wait_frame(sup, "f", 5, lambda f: f.width == 320) is not None
    sup.resize("f", 96, 72)
    assert wait_frame(sup, "f", 3, lambda f: (f.width, f.height) == (96, 72)) is not None


def test_file_loops_at_its_end_by_default(clips: dict[str, Path], make_supervisor) -> None:
    sup = make_supervisor()
    sup.open("f", StreamSource(str(clips["h264"])), width=64, height=48)  # 30 frames = 2 s at 15 fps
    assert count_frames(sup, "f", 3.0) > 32
    assert sup.status("f").state == StreamState.PLAYING  # type: ignore[union-attr]


def test_file_can_stop_at_its_end(clips: dict[str, Path], make_supervisor, recorder: Recorder) -> None:
    sup = make_supervisor(EngineSettings(loop_files=False))
    sup.open("f", StreamSource(str(clips["h264"])), width=64, height=48)
    stopped = recorder.wait_for(StreamState.STOPPED, 6)
    assert stopped is not None and stopped.reason == "end of file"


def test_a_file_that_is_not_video_is_reported_unsupported(tmp_path: Path, make_supervisor,
                                                          recorder: Recorder) -> None:
    junk = tmp_path / "notes.mp4"
    junk.write_bytes(b"this is not a video" * 100)
    sup = make_supervisor()
    sup.open("j", StreamSource(str(junk)))
    sup.open("u", StreamSource("gopher://camera.local/1"))
    for sid in ("j", "u"):
        status = recorder.wait_for(StreamState.UNSUPPORTED, 5, stream_id=sid)
        assert status is not None and status.reason


def test_asking_for_hardware_decoding_still_plays(clips: dict[str, Path], make_supervisor) -> None:
    sup = make_supervisor(EngineSettings(hardware_decoding=True))
    sup.open("hw", StreamSource(str(clips["h264"])), width=320, height=240)
    frame = wait_frame(sup, "hw", 8)
    assert frame is not None and frame.image.shape == (240, 320, 4)  # type: ignore[attr-defined]


def test_hidden_tile_stops_decoding_and_resumes(clips: dict[str, Path], make_supervisor,
                                                recorder: Recorder) -> None:
    sup = make_supervisor()
    sup.open("f", StreamSource(str(clips["h264"])), width=64, height=48)
    assert wait_frame(sup, "f", 5) is not None
    sup.pause("f")
    time.sleep(0.2)
    sup.latest("f")  # a frame decoded just before the pause
    assert count_frames(sup, "f", 1.0) == 0
    assert recorder.wait_for(StreamState.STOPPED, 3) is not None  # disconnected after the grace period
    mark = len(recorder)
    sup.resume("f")
    assert wait_frame(sup, "f", 3) is not None
    assert recorder.wait_for(StreamState.PLAYING, 2, after=mark) is not None


def test_tile_growing_past_the_sub_stream_switches_to_main_without_a_gap(
        clips: dict[str, Path], make_supervisor, recorder: Recorder) -> None:
    sup = make_supervisor()
    main = StreamSource(str(clips["main"]), width=1280, height=720)
    sub = StreamSource(str(clips["sub"]), width=320, height=180)
    sup.open("c", main, sub, width=320, height=180)
    first = wait_frame(sup, "c", 5)
    assert first is not None and first.quality == StreamQuality.SUB
    time.sleep(FAST.min_switch_s)
    sup.resize("c", 360, 203)  # 1.12x the sub stream: inside the hysteresis band, stays on sub
    band: list[VideoFrame] = []
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        frame = sup.latest("c")
        if frame is not None:
            band.append(frame)
        time.sleep(0.01)
    assert band and all(f.quality == StreamQuality.SUB for f in band)
    assert band[-1].width == 360  # still resized: the sub picture scaled to the tile
    seen: list[VideoFrame] = []
    sup.resize("c", 1280, 720)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (seen and seen[-1].quality == StreamQuality.MAIN):
        frame = sup.latest("c")
        if frame is not None:
            seen.append(frame)
        time.sleep(0.01)
    assert seen and seen[-1].quality == StreamQuality.MAIN and seen[-1].width == 1280
    qualities = [f.quality for f in seen]
    assert qualities == sorted(qualities, key=lambda q: q == StreamQuality.MAIN)  # sub ... sub, main
    assert all(int(f.image.max()) > 0 for f in seen)  # type: ignore[attr-defined]  # never a black frame
    states = recorder.states("c")
    assert states.count(StreamState.CONNECTING) == 1 and StreamState.RECONNECTING not in states
    assert [s.quality for s in recorder.statuses if s.state == StreamState.PLAYING][-1] == StreamQuality.MAIN
    # Shrinking again goes back to sub (after the minimum interval).
    sup.resize("c", 320, 180)
    assert wait_frame(sup, "c", 5, lambda f: f.quality == StreamQuality.SUB) is not None


def test_shutdown_of_64_workers_takes_under_2_seconds_even_when_blocked(
        clips: dict[str, Path], make_supervisor, tmp_path: Path) -> None:
    # A listener that accepts and never answers: opens block in the RTSP handshake.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    port = silent.getsockname()[1]
    try:
        sup = make_supervisor(EngineSettings(open_timeout_s=30, read_timeout_s=30, stall_timeout_s=30))
        for i in range(32):  # 32 files (one file on 32 tiles would share one worker)
            link = tmp_path / f"clip{i}{clips['h264'].suffix}"
            link.symlink_to(clips["h264"])
            sup.open(f"file{i}", StreamSource(str(link)), width=64, height=48)
        for i in range(32):
            sup.open(f"hung{i}", StreamSource(f"rtsp://127.0.0.1:{port}/cam{i}"), width=64, height=48)
        assert wait_frame(sup, "file0", 5) is not None
        time.sleep(0.5)  # let every hung worker get stuck in its open
        threads = [t for t in threading.enumerate() if t.name.startswith("camdesk-video")]
        assert len([t for t in threads if not t.name.startswith(DECODE_THREAD)]) == 64
        assert 0 < len([t for t in threads if t.name.startswith(DECODE_THREAD)]) <= default_threads()
        started = time.monotonic()
        sup.shutdown(timeout=2.0)
        elapsed = time.monotonic() - started
        assert elapsed < 2.0
        assert not [t for t in threading.enumerate() if t.name.startswith("camdesk-video")]
    finally:
        silent.close()

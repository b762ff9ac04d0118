"""The engine's small parts: mailbox, backoff, main/sub choice, sizing, credentials in URLs."""

from __future__ import annotations

import random
import sys

import av
import av.error
import numpy as np

from camdesk.errors import AuthFailed, ConnectionRefused, InvalidUrl, Unsupported
from camdesk.models.stream import StreamQuality, StreamSource, VideoFrame
from camdesk.video.backoff import Backoff
from camdesk.video.connection import I420Converter, fit_size
from camdesk.video.mailbox import Mailbox
from camdesk.video.selector import QualitySelector
from camdesk.video.source import classify, url_with_credentials

SECRET = "s3cr3t:p@ss/word"


def _frame(n: int) -> VideoFrame:
    return VideoFrame(image=np.zeros((2, 2, 4), np.uint8), width=2, height=2, received_at=n,
                      captured_at=n, sequence=n)


def test_mailbox_keeps_only_the_newest_frame_and_counts_the_dropped_ones() -> None:
    box = Mailbox()
    assert box.take() is None
    for n in range(1, 6):
        box.put(_frame(n))
    taken = box.take()
    assert taken is not None and taken.sequence == 5
    assert box.dropped == 4
    assert box.take() is None  # nothing new since the last take
    box.put(_frame(6))
    assert box.take().sequence == 6  # type: ignore[union-attr]
    assert box.dropped == 4 and box.delivered == 2


def test_mailbox_notifies_once_per_frame_the_consumer_can_take() -> None:
    ready: list[str] = []
    box = Mailbox(notify=lambda: ready.append("cam"))
    box.put(_frame(1))
    box.put(_frame(2))  # overwrites an untaken frame: the consumer already knows
    assert ready == ["cam"]
    assert box.take().sequence == 2  # type: ignore[union-attr]
    box.put(_frame(3))
    assert ready == ["cam", "cam"]
    box.put(_frame(4))
    assert len(ready) == 2 and box.take().sequence == 4  # type: ignore[union-attr]
    assert box.take() is None and box.dropped == 2


def test_a_taken_frame_is_held_by_the_consumer_only() -> None:
    """The mailbox lets go of a frame once taken, so its buffer can be reused once the consumer drops it."""
    box = Mailbox()
    frame = _frame(1)
    box.put(frame)
    taken = box.take()
    assert taken is frame
    del taken
    assert sys.getrefcount(frame) == 2  # the name `frame` and getrefcount's argument: nothing else
    assert box.take() is None


def test_backoff_retries_first_within_half_a_second_and_never_waits_more_than_ten() -> None:
    backoff = Backoff(rng=random.Random(1))
    delays = [backoff.delay(n) for n in range(1, 30)]
    assert 0 < delays[0] <= 0.5
    assert all(0 < d <= 10.0 for d in delays)
    assert delays[5] > delays[0]  # grows
    assert max(delays) > 6.0  # and reaches the cap region


def test_tile_switches_to_main_only_when_clearly_larger_than_the_sub_stream() -> None:
    sel = QualitySelector(has_sub=True, sub_width=640, sub_height=360, up=1.25, down=1.05, min_interval=3.0)
    assert sel.decide(480, 270, now=0.0) == StreamQuality.SUB
    assert sel.decide(760, 428, now=10.0) == StreamQuality.SUB  # 1.19x: inside the hysteresis band
    assert sel.decide(1280, 720, now=11.0) == StreamQuality.MAIN
    # Shrinking a little (back into the band) keeps main: no flapping while a splitter is dragged.
    assert sel.decide(760, 428, now=20.0) == StreamQuality.MAIN
    assert sel.decide(640, 360, now=21.0) == StreamQuality.SUB


def test_tile_does_not_switch_twice_within_the_minimum_interval() -> None:
    sel = QualitySelector(has_sub=True, sub_width=640, sub_height=360, min_interval=3.0)
    assert sel.decide(1920, 1080, now=0.0) == StreamQuality.MAIN
    assert sel.decide(320, 180, now=1.0) == StreamQuality.MAIN  # too soon after the last switch
    assert sel.decide(320, 180, now=3.5) == StreamQuality.SUB
    sel.forced = StreamQuality.MAIN  # the user's choice applies at once
    assert sel.decide(320, 180, now=3.6) == StreamQuality.MAIN


def test_camera_without_sub_stream_always_plays_main() -> None:
    sel = QualitySelector(has_sub=False)
    assert sel.decide(100, 100, now=0.0) == StreamQuality.MAIN


def test_frames_fit_inside_the_requested_box_keeping_the_aspect_ratio() -> None:
    assert fit_size(640, 360, 480, 270) == (480, 270)
    assert fit_size(640, 360, 480, 480) == (480, 270)
    assert fit_size(640, 480, 480, 270) == (360, 270)
    assert fit_size(1280, 720, 1920, 1080) == (1920, 1080)


def test_credentials_are_percent_encoded_into_the_url_only_when_opening() -> None:
    source = StreamSource("rtsp://10.0.0.5:554/stream1", username="admin", password=SECRET)
    url = url_with_credentials(source)
    assert url == "rtsp://admin:s3cr3t%3Ap%40ss%2Fword@10.0.0.5:554/stream1"
    assert SECRET not in repr(source)
    assert url_with_credentials(StreamSource("/tmp/clip.mp4", "u", "p")) == "/tmp/clip.mp4"


def test_pyav_errors_become_camdesk_errors_without_the_url_or_password() -> None:
    url = "rtsp://admin:" + SECRET + "@10.0.0.5/stream1"
    cases = [
        (av.error.HTTPUnauthorizedError(-825242872, "Server returned 401 Unauthorized", url), AuthFailed),
        (av.error.ConnectionRefusedError(111, "Connection refused", url), ConnectionRefused),
        (av.error.DecoderNotFoundError(-1128613112, "Decoder not found", url), Unsupported),
        (av.error.HTTPNotFoundError(-875574520, "Server returned 404 Not Found", url), InvalidUrl),
    ]
    for exc, expected in cases:
        assert SECRET in str(exc)  # PyAV's own message carries the URL
        error = classify(exc)
        assert isinstance(error, expected)
        assert "s3cr3t" not in str(error) and "admin" not in str(error)


def _yuv_frame(level: int, width: int = 64, height: int = 36) -> av.VideoFrame:
    planes = np.full((height * 3 // 2, width), 128, np.uint8)
    planes[:height] = level  # luma: grey level `level`, neutral chroma
    return av.VideoFrame.from_ndarray(planes, format="yuv420p")


def test_converted_frames_reuse_a_buffer_only_when_nobody_holds_it() -> None:
    converter = I420Converter()
    held = [converter.convert(_yuv_frame(level), 48, 26) for level in (40, 90, 140, 190, 240)]
    # Five frames held at once: five distinct buffers, none overwritten by a later conversion.
    assert len({a.__array_interface__["data"][0] for a in held}) == 5
    assert [int(a[10, 10, 1]) for a in held] == sorted(int(a[10, 10, 1]) for a in held)
    assert len({int(a[10, 10, 1]) for a in held}) == 5
    kept = held[1]
    level_kept = int(kept[10, 10, 1])
    del held
    for level in (30, 60, 200, 220):
        converter.convert(_yuv_frame(level), 48, 26)  # may reuse the released buffers, never `kept`
    assert int(kept[10, 10, 1]) == level_kept


def test_odd_sizes_convert_to_an_even_width_and_the_exact_height() -> None:
    converter = I420Converter()
    image = converter.convert(_yuv_frame(100), 48, 27)
    assert image.shape == (27, 48, 4) and image.flags.c_contiguous

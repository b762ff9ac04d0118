"""Frame stamps survive lossy encoding at the sub-stream resolution and tell when a frame was sent."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest

from camdesk.sim import stamp
from camdesk.sim.encoder import Encoder
from camdesk.sim.scene import Scene
from camdesk.sim.spec import CameraSpec, Resolution


@pytest.mark.parametrize("codec", ["h264", "h265"])
def test_every_stamp_reads_back_after_encoding_at_the_sub_resolution(codec: str) -> None:
    res = Resolution(640, 360, 15)
    scene = Scene(CameraSpec(index=3, name="Stamp test"))
    encoder = Encoder(codec, res, gop_frames=15)
    decoder = av.CodecContext.create("h264" if codec == "h264" else "hevc", "r")
    modulus = 65536
    first = 65500  # crosses the wrap-around of the live modulus
    sent: list[int] = []
    read: list[stamp.Stamp | None] = []
    scaled: list[stamp.Stamp | None] = []
    for k in range(45):
        value = (first + k) % modulus
        img = scene.render(1_700_000_000 + k / res.fps, res.width, res.height)
        stamp.write(img, value, modulus, res.fps)
        sent.append(value)
        for unit in encoder.encode(img, force_keyframe=k == 0):
            data = b"".join(b"\x00\x00\x00\x01" + nal for nal in unit.nals)
            for frame in decoder.decode(av.Packet(data)):
                luma = frame.to_ndarray(format="gray")
                read.append(stamp.read(luma))
                bgr = frame.to_ndarray(format="bgr24")
                scaled.append(stamp.read(cv2.resize(bgr, (480, 270), interpolation=cv2.INTER_AREA)))
    for frame in decoder.decode(None):
        read.append(stamp.read(frame.to_ndarray(format="gray")))
    assert [s.value if s else None for s in read] == sent
    assert all(s is not None and s.modulus == modulus and s.fps == res.fps for s in read)
    # A client that scales to 480x270 before reading still gets the stamps.
    assert [s.value if s else None for s in scaled] == sent[: len(scaled)]


def test_reader_accepts_luma_bgr_and_bgra_and_rejects_plain_pictures() -> None:
    img = Scene(CameraSpec(index=0, name="x")).render(10.0, 640, 360)
    assert stamp.read(img) is None, "a picture without a stamp reads as None"
    stamp.write(img, 1234, 65536, 25)
    expected = stamp.Stamp(1234, 65536, 25)
    assert stamp.read(img) == expected
    assert stamp.read(cv2.cvtColor(img, cv2.COLOR_BGR2BGRA)) == expected
    assert stamp.read(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)) == expected
    assert stamp.read(np.zeros((360, 640), np.uint8)) is None
    assert stamp.read(np.full((360, 640), 255, np.uint8)) is None


def test_sent_at_recovers_the_schedule_time_from_a_loop_index() -> None:
    fps, length = 15, 150  # a 10 s loop
    n = 25_500_000_123  # global frame number: sent at n / fps
    s = stamp.Stamp(n % length, length, fps)
    sent = n / fps
    for latency in (0.0, 0.004, 0.2, 3.0, 9.9):
        assert s.sent_at(sent + latency) == pytest.approx(sent, abs=1e-6)
    # Live streams: the modulus is 65536 frames (over 40 minutes at 25 fps).
    live = stamp.Stamp(n % 65536, 65536, 25)
    assert live.sent_at(n / 25 + 0.123) == pytest.approx(n / 25, abs=1e-6)


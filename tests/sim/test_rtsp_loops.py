"""Pre-encoded loops behind loop-mode streams: their shape, their disk cache, and how cameras share them."""

from __future__ import annotations

from pathlib import Path

import pytest

from camdesk.sim import encoder
from camdesk.sim.cluster import LOOP_VARIANTS, SimCluster
from camdesk.sim.scene import Scene
from camdesk.sim.spec import CameraSpec, Resolution

RES = Resolution(320, 180, 10)


def test_loop_lasts_one_motion_period_with_a_keyframe_every_gop() -> None:
    scene = Scene(CameraSpec(index=0, name="Loop shape"), period=encoder.loop_period(1.0))
    loop = encoder.encode_loop(scene, "h264", RES, 1.0, disk_cache=False)
    assert loop.length == 100  # 10 s at 10 fps: the car's period, so the video matches motion events
    assert [i for i, u in enumerate(loop.units) if u.keyframe] == list(range(0, 100, 10))
    first = [encoder.nal_type("h264", n) for n in loop.units[0].nals]
    assert first[:2] == [7, 8] and 5 in first  # SPS, PPS in-band before the IDR
    assert loop.params.sps == loop.units[0].nals[0]


def test_loops_are_cached_on_disk_and_a_damaged_cache_is_ignored(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    scene = Scene(CameraSpec(index=1, name="Disk cache", seed=99), period=encoder.loop_period(2.0))
    fresh = encoder.encode_loop(scene, "h265", RES, 2.0)
    files = list(tmp_path.rglob("*.loop"))
    assert len(files) == 1
    loaded = encoder._load(files[0], "h265", RES)
    assert loaded == fresh
    files[0].write_bytes(files[0].read_bytes()[:500])
    assert encoder._load(files[0], "h265", RES) is None


def test_many_cameras_share_a_few_loops_and_few_cameras_get_their_own() -> None:
    with SimCluster(LOOP_VARIANTS + 2, main="320x180@10", sub="320x180@10", discovery=False) as many:
        assert many.rtsp is not None
        loops = {id(st.source): st.source for st in many.rtsp.streams.values()}
        # Main and sub have the same size here, so one loop per (variant, keyframe phase): cameras 4 and 5
        # replay the pictures of 0 and 1 with their keyframes a quarter of a GOP later.
        assert len(loops) == LOOP_VARIANTS + 2
        assert sorted({loop.phase for loop in loops.values() if loop is not None}) == [0, round(10 / 4)]
    with SimCluster(2, main="320x180@10", sub="320x180@10", discovery=False) as few:
        assert few.rtsp is not None
        assert len({id(st.source) for st in few.rtsp.streams.values()}) == 2  # one per camera, with its name


def test_a_loop_with_a_keyframe_phase_plays_the_same_frames_and_wraps_cleanly() -> None:
    import av
    import numpy as np

    from camdesk.sim import stamp

    scene = Scene(CameraSpec(index=0, name="Phase"), period=encoder.loop_period(1.0))
    loop = encoder.encode_loop(scene, "h264", RES, 1.0, disk_cache=False, phase=0.3)
    assert loop.phase == 3
    assert [i for i, u in enumerate(loop.units) if u.keyframe] == list(range(3, 100, 10))
    decoder = av.CodecContext.create("h264", "r")
    order = list(range(3, 100)) + list(range(0, 3)) + list(range(3, 13))  # through the seam and on
    values = []
    for i in order:
        data = b"".join(b"\x00\x00\x00\x01" + nal for nal in loop.units[i].nals)
        for frame in decoder.decode(av.Packet(data)):
            plane = frame.planes[0]
            rows = np.frombuffer(memoryview(plane), np.uint8).reshape(frame.height, plane.line_size)
            found = stamp.read(rows[:, : frame.width])
            values.append(found.value if found is not None else None)
    assert values == order[: len(values)] and len(values) >= len(order) - 2  # frame i shows stamp i

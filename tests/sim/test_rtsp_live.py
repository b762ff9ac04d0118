"""Live cameras over RTSP: PTZ moves the picture, stamps give the send time, new clients start at once."""

from __future__ import annotations

import time

import av
import numpy as np
import pytest

from camdesk.sim import stamp

pytest_plugins = ["camdesk.sim.testing"]
pytestmark = pytest.mark.timeout(60)

OPTIONS = {"rtsp_transport": "tcp", "analyzeduration": "200000", "probesize": "200000"}


def _latest_frame(url: str, frames: int = 6) -> tuple[np.ndarray, stamp.Stamp | None, float]:
    """The luma of the ``frames``-th decoded frame, its stamp and its receive time."""
    with av.open(url, options=OPTIONS, timeout=5) as container:
        for k, frame in enumerate(container.decode(video=0), 1):
            if k == frames:
                luma = frame.to_ndarray(format="gray")
                return luma, stamp.read(luma), time.time()
    raise AssertionError("stream ended early")


def test_ptz_move_pans_the_live_picture(sim_cluster) -> None:
    sim = sim_cluster(cameras=2, ptz=1)
    assert sim.cameras[0]["ptz"] and not sim.cameras[1]["ptz"]
    url = sim.url(0, "sub")
    before, s, received = _latest_frame(url)
    assert s is not None and s.modulus == stamp.LIVE_MODULUS, "PTZ cameras render live"
    assert 0 <= received - s.sent_at(received) < 3.0

    ptz = sim.camera(0).ptz
    ptz.absolute_move(0.9, -0.5, 0.6)
    deadline = time.monotonic() + 5
    while ptz.moving() and time.monotonic() < deadline:
        time.sleep(0.05)
    after, _, _ = _latest_frame(url)
    # Compare below the stamp and name: the background itself moved.
    region = (slice(60, 160), slice(0, 320))
    diff = np.abs(before[region].astype(int) - after[region].astype(int)).mean()
    assert diff > 10, f"the picture barely changed after a PTZ move (mean difference {diff:.1f})"


def test_live_mode_streams_consecutive_stamped_frames_to_two_clients(sim_cluster) -> None:
    sim = sim_cluster(cameras=1, mode="live", codec="h265")
    url = sim.url(0, "main")
    with av.open(url, options=OPTIONS, timeout=5) as first, av.open(url, options=OPTIONS, timeout=5) as second:
        for container in (first, second):
            values = []
            for frame in container.decode(video=0):
                s = stamp.read(frame.to_ndarray(format="gray"))
                assert s is not None and s.fps == 15
                values.append(s.value)
                if len(values) == 6:
                    break
            steps = [(b - a) % stamp.LIVE_MODULUS for a, b in zip(values, values[1:], strict=False)]
            # Frames go forward in time; a live encoder on a busy machine may skip one to stay real-time.
            assert all(1 <= step <= 3 for step in steps), values
    deadline = time.monotonic() + 3
    while sim.rtsp.session_count(0) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sim.rtsp.session_count(0) == 0, "closed clients leave no session behind"

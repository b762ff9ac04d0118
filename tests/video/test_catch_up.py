"""A worker that cannot decode in real time (too many streams for the CPU) jumps to the next keyframe
instead of showing ever older video: its latency stays bounded."""

from __future__ import annotations

import time

import numpy as np
import pytest

from camdesk.models.stream import StreamSource
from camdesk.sim.cluster import SimCluster
from camdesk.sim.stamp import read as read_stamp
from tests.video.helpers import wait_frame

pytestmark = pytest.mark.timeout(90)


def test_a_worker_that_falls_behind_skips_to_the_next_keyframe(make_supervisor) -> None:  # type: ignore[no-untyped-def]
    def slow_stamp_reader(luma: np.ndarray) -> float | None:
        time.sleep(0.1)  # 100 ms of work per frame on a 15 fps stream: decoding cannot keep up
        stamp = read_stamp(luma)
        return None if stamp is None else stamp.sent_at(time.time()) * 1000

    with SimCluster(1, main="640x360@15", sub="320x180@15", gop=1.0, discovery=False) as cluster:
        sup = make_supervisor(stamp_reader=slow_stamp_reader)
        sup.open("s", StreamSource(cluster.url(0, "sub", credentials=False)), width=320, height=180)
        assert wait_frame(sup, "s", 10) is not None
        latencies: list[float] = []
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            frame = sup.latest("s")
            if frame is not None and frame.stamp_ms is not None:
                latencies.append(time.time() * 1000 - frame.stamp_ms)
            time.sleep(0.02)
        stats = sup.stats("s")
    assert stats.catch_ups >= 2, stats
    assert latencies
    # Without catching up the delay would grow by ~0.5 s every second (15 fps in, ~9 fps out): 4 s after 8 s.
    assert max(latencies[len(latencies) // 2:]) < 2500, max(latencies)

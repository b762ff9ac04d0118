"""Streams that cannot be decoded and delivered in real time show the newest video they can, not an
ever older backlog: their latency stays bounded."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest

from camdesk.models.stream import StreamSource
from camdesk.sim.cluster import SimCluster
from camdesk.sim.stamp import read as read_stamp
from tests.video.conftest import FAST
from tests.video.helpers import wait_frame

pytestmark = pytest.mark.timeout(90)


def _slow_stamp_reader(luma: np.ndarray) -> float | None:
    time.sleep(0.1)  # 100 ms of work per delivered frame on a 15 fps stream
    stamp = read_stamp(luma)
    return None if stamp is None else stamp.sent_at(time.time()) * 1000


def _latencies(sup, ids: list[str], seconds: float) -> list[float]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for sid in ids:
            frame = sup.latest(sid)
            if frame is not None and frame.stamp_ms is not None:
                latencies.append(time.time() * 1000 - frame.stamp_ms)
        time.sleep(0.02)
    return latencies


def test_a_slow_consumer_gets_the_newest_picture_not_a_backlog(make_supervisor) -> None:  # type: ignore[no-untyped-def]
    """Delivering takes longer than a frame interval: the pool decodes what waited and converts only the
    newest picture, so the delay does not grow."""
    with SimCluster(1, main="640x360@15", sub="320x180@15", gop=1.0, discovery=False) as cluster:
        sup = make_supervisor(stamp_reader=_slow_stamp_reader)
        sup.open("s", StreamSource(cluster.url(0, "sub", credentials=False)), width=320, height=180)
        assert wait_frame(sup, "s", 10) is not None
        latencies = _latencies(sup, ["s"], 6)
        stats = sup.stats("s")
    assert stats.dropped_frames > 10, stats  # decoded, never converted
    assert latencies
    # Without batching the delay would grow by ~0.5 s every second (15 fps in, ~9 fps out): 3 s after 6 s.
    assert max(latencies[len(latencies) // 2:]) < 500, max(latencies)


def test_decoding_slower_than_real_time_skips_to_the_next_keyframe(make_supervisor) -> None:  # type: ignore[no-untyped-def]
    """One decoder thread for six slow streams cannot keep up: each stream jumps to its next keyframe
    instead of showing ever older video."""
    settings = replace(FAST, decode_threads=1)
    with SimCluster(6, main="640x360@15", sub="320x180@15", gop=1.0, discovery=False) as cluster:
        sup = make_supervisor(settings, stamp_reader=_slow_stamp_reader)
        ids = [f"s{i}" for i in range(6)]
        for i, sid in enumerate(ids):
            sup.open(sid, StreamSource(cluster.url(i, "sub", credentials=False)), width=320, height=180)
        for sid in ids:
            assert wait_frame(sup, sid, 15) is not None
        latencies = _latencies(sup, ids, 8)
        catch_ups = sum(sup.stats(sid).catch_ups for sid in ids)
    assert catch_ups >= 2
    assert latencies
    assert max(latencies[len(latencies) // 2:]) < 2500, max(latencies)

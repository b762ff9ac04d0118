"""Pytest support: a ``sim_cluster`` fixture that starts virtual cameras for one test and stops them after.

Use it from any test suite::

    pytest_plugins = ["camdesk.sim.testing"]   # in a test module, or the root conftest.py

    def test_wall_shows_two_cameras(sim_cluster):
        sim = sim_cluster(cameras=2, user="admin", password="secret")
        url = sim.url(0, "sub")            # credentials embedded
        info = sim.cameras[0]              # {"name", "onvif", "main", "sub", "snapshot", "control", ...}
        sim.camera(0).faults.set_stall(True)
        nvr = sim_cluster(cameras=3, nvr=True).nvr_info["onvif"]  # a virtual recorder, one channel per camera

Defaults are small (main 640x360@15, sub 320x180@10, no WS-Discovery responder) so suites stay fast; pass
``main=``/``sub=`` for the real sizes. Loops are cached per process, so only the first cluster with given
settings pays for encoding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from camdesk.sim.cluster import SimCluster

TEST_DEFAULTS: dict[str, Any] = {"main": "640x360@15", "sub": "320x180@10", "discovery": False}


def start_cluster(cameras: int = 1, **options: Any) -> SimCluster:
    """A started :class:`SimCluster` with the test defaults (the caller stops it)."""
    cluster = SimCluster(cameras, **{**TEST_DEFAULTS, **options})
    cluster.start()
    return cluster


@pytest.fixture
def sim_cluster() -> Iterator[Callable[..., SimCluster]]:
    """A factory ``sim_cluster(cameras=1, **SimCluster options) -> SimCluster``; all stop after the test."""
    started: list[SimCluster] = []

    def make(cameras: int = 1, **options: Any) -> SimCluster:
        cluster = start_cluster(cameras, **options)
        started.append(cluster)
        return cluster

    yield make
    for cluster in reversed(started):
        cluster.stop()

"""GStreamer's rtspsrc (an independent RTSP client, depayloader and parser) plays the simulator's
streams over TCP and UDP, H.264 and H.265, with Digest authentication."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import require_tool

pytest_plugins = ["camdesk.sim.testing"]
pytestmark = pytest.mark.timeout(120)

DECODE = {
    "h264": "rtph264depay ! h264parse ! avdec_h264",
    "h265": "rtph265depay ! h265parse ! avdec_h265",
}


@pytest.mark.parametrize(("codec", "kind", "transport"), [
    ("h264", "main", "tcp"), ("h264", "sub", "udp"), ("h265", "sub", "tcp"), ("h265", "main", "udp"),
])
def test_gstreamer_rtspsrc_plays_the_stream(sim_cluster, codec: str, kind: str, transport: str) -> None:
    gst = require_tool("gst-launch-1.0")
    sim = sim_cluster(cameras=1, codec=codec, user="admin", password="secret")
    url = sim.cameras[0][kind]
    pipeline = (f"rtspsrc location={url} user-id=admin user-pw=secret protocols={transport} latency=200 "
                f"! {DECODE[codec]} ! fakesink num-buffers=15")
    run = subprocess.run([gst, "-q", *pipeline.split()], capture_output=True, text=True, timeout=40)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ERROR" not in run.stdout + run.stderr

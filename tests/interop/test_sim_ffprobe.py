"""FFmpeg (an independent RTSP client and decoder) reads the simulator's streams: main and sub, over TCP
and UDP, H.264 and H.265, with Digest authentication, and decodes them without a single error."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import require_tool

pytest_plugins = ["camdesk.sim.testing"]
pytestmark = pytest.mark.timeout(120)

CODEC_NAMES = {"h264": "h264", "h265": "hevc"}
SIZES = {"main": (640, 360), "sub": (320, 180)}  # the test defaults of camdesk.sim.testing


@pytest.mark.parametrize("codec", ["h264", "h265"])
def test_ffprobe_describes_main_and_sub(sim_cluster, codec: str) -> None:
    ffprobe = require_tool("ffprobe")
    sim = sim_cluster(cameras=1, codec=codec, user="admin", password="Mật-khẩu:1@x")
    for kind, transport in (("main", "tcp"), ("sub", "udp")):
        run = subprocess.run([ffprobe, "-v", "error", "-rtsp_transport", transport, "-timeout", "5000000",
                              "-show_streams", "-of", "json", sim.url(0, kind)],
                             capture_output=True, text=True, timeout=30)
        assert run.returncode == 0, run.stderr
        (stream,) = json.loads(run.stdout)["streams"]
        assert stream["codec_name"] == CODEC_NAMES[codec]
        assert (stream["width"], stream["height"]) == SIZES[kind]


@pytest.mark.parametrize("transport", ["tcp", "udp"])
@pytest.mark.parametrize("codec", ["h264", "h265"])
def test_ffmpeg_decodes_main_and_sub_without_errors(sim_cluster, codec: str, transport: str) -> None:
    ffmpeg = require_tool("ffmpeg")
    sim = sim_cluster(cameras=2, codec=codec, user="admin", password="secret")
    for kind in ("main", "sub"):
        run = subprocess.run([ffmpeg, "-nostdin", "-v", "error", "-rtsp_transport", transport,
                              "-timeout", "5000000", "-i", sim.url(1, kind), "-t", "1.5", "-f", "null", "-"],
                             capture_output=True, text=True, timeout=30)
        assert run.returncode == 0, run.stderr
        assert run.stderr.strip() == "", f"decoder errors on {kind} over {transport}: {run.stderr}"

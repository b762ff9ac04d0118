"""Interoperability with an independent virtual ONVIF camera, ipycam (PyPI), in its own environment:
login, profiles, stream URIs and PTZ moves work; its broken preset replies (undeclared XML prefixes) give
a clear error and the session keeps working.

ipycam runs from the environment named by ``CAMDESK_IPYCAM_PYTHON`` (default
``/opt/camdesk-ipycam/bin/python``; create it with ``python3 -m venv /opt/camdesk-ipycam &&
/opt/camdesk-ipycam/bin/pip install ipycam==1.3.0``).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from camdesk.errors import AuthFailed, ProtocolError
from camdesk.models.camera import Codec
from tests.conftest import require

pytestmark = pytest.mark.timeout(90)
IPYCAM_PYTHON = os.environ.get("CAMDESK_IPYCAM_PYTHON", "/opt/camdesk-ipycam/bin/python")
HARNESS = Path(__file__).with_name("ipycam_harness.py")
USER, PASSWORD = "admin", "ipycam-Pass1"
CAM = 21


class Ipycam:
    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}/onvif/device_service"

    def ptz(self) -> dict:
        """ipycam's own view of its PTZ state (its web API), independent of the ONVIF replies."""
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/ptz", headers={
            "Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()})
        with urllib.request.urlopen(req, timeout=5) as resp:
            return json.loads(resp.read())


@pytest.fixture(scope="module")
def ipycam() -> Iterator[Ipycam]:
    require(Path(IPYCAM_PYTHON).exists(), f"ipycam environment missing: {IPYCAM_PYTHON}")
    proc = subprocess.Popen([IPYCAM_PYTHON, str(HARNESS), USER, PASSWORD], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=HARNESS.parent)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, "ipycam harness did not start"
        yield Ipycam(int(json.loads(line)["port"]))
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_ipycam_login_profiles_and_stream_uris(onvif, ipycam):
    probe = onvif.probe(ipycam.url, USER, PASSWORD).result(30)
    assert probe.info.manufacturer
    assert probe.main is not None and probe.main.codec in (Codec.H264, Codec.H265)
    assert probe.main.uri.startswith("rtsp://")
    if probe.sub is not None:
        assert probe.sub.width < probe.main.width
    assert probe.ptz.continuous


def test_ipycam_wrong_password(onvif, ipycam):
    with pytest.raises(AuthFailed):
        onvif.probe(ipycam.url, USER, "wrong").result(30)


def test_ipycam_pans_and_stops(onvif, ipycam):
    onvif.register(CAM, ipycam.url, USER, PASSWORD)
    start = ipycam.ptz()["pan"]
    onvif.ptz_move(CAM, 0.5, 0.0).result(15)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and ipycam.ptz()["pan"] <= start + 0.05:
        time.sleep(0.05)
    assert ipycam.ptz()["pan"] > start + 0.05
    onvif.ptz_stop(CAM).result(10)
    time.sleep(0.2)
    stopped = ipycam.ptz()["pan"]
    time.sleep(0.4)
    assert ipycam.ptz()["pan"] == pytest.approx(stopped, abs=1e-3)


def test_ipycam_broken_preset_reply_is_a_clear_error_and_ptz_still_works(onvif, ipycam):
    onvif.register(CAM, ipycam.url, USER, PASSWORD)
    with pytest.raises(ProtocolError):
        onvif.ptz_presets(CAM).result(15)
    onvif.ptz_move(CAM, -0.5, 0.0).result(15)
    onvif.ptz_stop(CAM).result(10)

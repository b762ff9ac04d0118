"""Finding cameras: unicast WS-Discovery Probes to addresses the officer types, and multicast on every
interface (tested only inside a network namespace the test creates)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from camdesk.errors import ValidationError
from camdesk.onvif.discovery import parse_targets
from tests.conftest import require

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[2]


def test_unicast_probe_finds_the_virtual_cameras_as_they_answer(onvif, sim):
    seen: list[str] = []
    lock = threading.Lock()

    def found(dev) -> None:  # ONVIF thread
        with lock:
            seen.append(dev.name)

    devices = onvif.discover(found, [f"127.0.0.1:{sim.discovery_port}"], seconds=1.0, multicast=False).result(10)
    assert sorted(d.name for d in devices) == ["Alley H265", "Gate PTZ"]
    assert sorted(seen) == ["Alley H265", "Gate PTZ"]  # streamed, each once
    gate = next(d for d in devices if d.name == "Gate PTZ")
    assert gate.device_url == sim.url(0)
    assert gate.hardware == "VirtualCam"
    assert gate.address == "127.0.0.1"


def test_discovered_camera_can_be_logged_into(onvif, sim):
    devices = onvif.discover(lambda d: None, [f"127.0.0.1:{sim.discovery_port}"], 1.0, multicast=False).result(10)
    gate = next(d for d in devices if d.name == "Gate PTZ")
    probe = onvif.probe(gate.device_url, "admin", "Secret-123").result(30)
    assert probe.ptz.continuous


def test_silent_range_finds_nothing_in_bounded_time(onvif, closed_port):
    start = time.monotonic()
    devices = onvif.discover(lambda d: None, [f"127.0.0.1:{closed_port}"], 0.5, multicast=False).result(10)
    assert devices == []
    assert time.monotonic() - start < 8


def test_typed_ranges_expand_and_bad_input_is_refused():
    assert parse_targets("192.168.1.10") == [("192.168.1.10", 3702)]
    assert parse_targets("10.0.0.1-3") == [(f"10.0.0.{i}", 3702) for i in (1, 2, 3)]
    assert parse_targets("10.0.0.254-10.0.1.1")[-1] == ("10.0.1.1", 3702)
    assert len(parse_targets("172.16.0.0/24, 127.0.0.1:5000")) == 255
    for bad in ("camera.local", "10.0.0.5-1", "10.0.0.0/8", "1.2.3.4:99999"):
        with pytest.raises(ValidationError):
            parse_targets(bad)


def test_bad_range_fails_the_future_not_the_caller(onvif):
    future = onvif.discover(lambda d: None, ["10.0.0.300"], 0.2)
    with pytest.raises(ValidationError):
        future.result(5)


CLIENT = """
import json, asyncio
from camdesk.onvif.discovery import discover
devs = asyncio.run(discover(lambda d: None, [], 2.0, multicast=True))
print(json.dumps([[d.name, d.device_url] for d in devs]))
"""


@contextlib.contextmanager
def private_network() -> Iterator[str]:
    """A network namespace with a veth pair (10.77.0.1/24) routing multicast: nothing leaks to the host."""
    require(os.geteuid() == 0, "creating a network namespace needs root")
    require(shutil.which("ip") is not None, "iproute2 is not installed")
    ns = f"camdesk-onvif-{uuid.uuid4().hex[:8]}"
    ip = ["ip", "-n", ns]
    subprocess.run(["ip", "netns", "add", ns], check=True, timeout=10)
    try:
        for cmd in (["link", "set", "lo", "up"], ["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
                    ["addr", "add", "10.77.0.1/24", "dev", "v0"], ["link", "set", "v1", "up"],
                    ["link", "set", "v0", "up", "multicast", "on"], ["route", "add", "224.0.0.0/4", "dev", "v0"]):
            subprocess.run(ip + cmd, check=True, timeout=10)
        yield ns
    finally:
        subprocess.run(["ip", "netns", "delete", ns], timeout=10)


@contextlib.contextmanager
def running(cmd: list[str], **kw) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, **kw)
    try:
        yield proc
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def _discover_inside(ns: str) -> list[list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c", CLIENT], capture_output=True,
                         text=True, timeout=30, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.netns
def test_multicast_probe_finds_camera_in_a_private_network_namespace():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with private_network() as ns, running(
            ["ip", "netns", "exec", ns, sys.executable, "-m", "camdesk.sim.onvif.discovery", "serve",
             "--host", "10.77.0.1", "--cameras", "2", "--max-seconds", "40"], env=env) as responder:
        assert responder.stdout is not None
        assert json.loads(responder.stdout.readline())["http_port"] > 0
        found = _discover_inside(ns)
    assert sorted(name for name, _ in found) == ["Camera 1", "Camera 2"]
    assert all(url.startswith("http://10.77.0.1:") for _, url in found)


@pytest.mark.netns
def test_multicast_probe_finds_ipycam_despite_its_nonstandard_reply():
    ipycam = os.environ.get("CAMDESK_IPYCAM_PYTHON", "/opt/camdesk-ipycam/bin/python")
    require(Path(ipycam).exists(), f"ipycam environment missing: {ipycam}")
    harness = str(Path(__file__).with_name("ipycam_harness.py"))
    with private_network() as ns, running(
            ["ip", "netns", "exec", ns, ipycam, harness, "admin", "pw-1", "10.77.0.1", "--discovery"]) as cam:
        assert cam.stdout is not None
        port = json.loads(cam.stdout.readline())["port"]
        found = _discover_inside(ns)
    assert found == [["Virtual Camera", f"http://10.77.0.1:{port}/onvif/device_service"]]

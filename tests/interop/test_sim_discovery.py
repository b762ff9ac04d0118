"""WS-Discovery of the virtual cameras: a plain UDP unicast Probe gets standard ProbeMatches, and
multicast discovery (Probe, Hello, Bye) works inside a network namespace this test creates; the host's
own interfaces never see a multicast packet."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from camdesk.sim.onvif import OnvifHandle, start_onvif
from camdesk.sim.spec import CameraSpec, SimCamera
from tests.conftest import require
from tests.sim.onvif_soap_client import call

pytestmark = pytest.mark.timeout(90)
D = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
PYTHON = str(Path(sys.executable))


def probe_xml(message_id: str, types: str = "dn:NetworkVideoTransmitter", scopes: str = "") -> bytes:
    scope_el = f"<d:Scopes>{scopes}</d:Scopes>" if scopes else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
        f'xmlns:a="{WSA}" xmlns:d="{D}" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" '
        'xmlns:other="urn:example:other">'
        f"<s:Header><a:Action>{D}/Probe</a:Action><a:MessageID>{message_id}</a:MessageID>"
        "<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>"
        f"<s:Body><d:Probe><d:Types>{types}</d:Types>{scope_el}</d:Probe></s:Body></s:Envelope>"
    ).encode()


def unicast_probe(port: int, timeout: float = 1.5, expect: int = 99, **kwargs: str) -> list[etree._Element]:
    """Send a Probe with a plain UDP socket; return the ProbeMatch elements answering it (waiting
    ``timeout`` seconds, or until ``expect`` arrived; the test then checks no more came)."""
    message_id = f"urn:uuid:{uuid.uuid4()}"
    matches = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(probe_xml(message_id, **kwargs), ("127.0.0.1", port))
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            sock.settimeout(remaining if len(matches) < expect else min(remaining, 0.2))
            try:
                data, _ = sock.recvfrom(65535)
            except TimeoutError:
                break
            root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
            assert root.findtext(f".//{{{WSA}}}RelatesTo") == message_id
            assert root.findtext(f".//{{{WSA}}}Action") == f"{D}/ProbeMatches"
            matches.extend(root.iter(f"{{{D}}}ProbeMatch"))
    return matches


@pytest.fixture(scope="module")
def sim() -> Iterator[tuple[OnvifHandle, list[SimCamera]]]:
    cams = [SimCamera(CameraSpec(index=i, name=name, model="VC-200", location="phuong-ben-nghe/to-3"))
            for i, name in enumerate(["Cong truong", "Hem 5"])]
    handle = start_onvif(cams, "127.0.0.1", 0, lambda c, s: f"rtsp://127.0.0.1:554/{c.spec.slug}/{s}", {})
    yield handle, cams
    handle.stop()


def test_unicast_probe_gets_a_probe_match_per_camera(sim) -> None:
    handle, cams = sim
    assert handle.discovery_port
    matches = unicast_probe(handle.discovery_port, expect=2)
    assert len(matches) == 2
    by_xaddr = {}
    for match in matches:
        types = match.findtext(f"{{{D}}}Types").split()
        assert "dn:NetworkVideoTransmitter" in types
        scopes = match.findtext(f"{{{D}}}Scopes").split()
        assert "onvif://www.onvif.org/Profile/Streaming" in scopes
        assert "onvif://www.onvif.org/hardware/VC-200" in scopes
        assert "onvif://www.onvif.org/location/phuong-ben-nghe/to-3" in scopes
        address = match.findtext(f"{{{WSA}}}EndpointReference/{{{WSA}}}Address")
        assert address.startswith("urn:uuid:")
        by_xaddr[match.findtext(f"{{{D}}}XAddrs")] = scopes
    assert set(by_xaddr) == {handle.device_url(c) for c in cams}
    assert "onvif://www.onvif.org/name/Hem%205" in by_xaddr[handle.device_url(cams[1])]
    # The advertised address really is the camera's device service.
    reply = call(handle.device_url(cams[1]), "<tds:GetHostname/>")
    assert reply.text(".//tt:Name") == "camdesk-sim-cam1"


def test_probe_filters_by_scope_and_type(sim) -> None:
    handle, _ = sim
    named = unicast_probe(handle.discovery_port, expect=1, scopes="onvif://www.onvif.org/name/Hem%205")
    assert [m.findtext(f"{{{D}}}XAddrs").split("/onvif/")[1] for m in named] == ["cam1/device_service"]
    assert len(unicast_probe(handle.discovery_port, expect=2,
                             scopes="onvif://www.onvif.org/location/phuong-ben-nghe")) == 2
    assert unicast_probe(handle.discovery_port, timeout=0.5, types="other:Printer") == []
    assert len(unicast_probe(handle.discovery_port, expect=2, types="")) == 2  # no type = any device


# --- multicast, inside a private network namespace -----------------------------------------------------
NS_ADDR = "10.199.0.1"


@pytest.fixture
def netns() -> Iterator[str]:
    require(os.geteuid() == 0, "creating a network namespace needs root")
    require(shutil.which("ip") is not None, "iproute2 (ip) is not installed")
    name = f"camdesk-disc-{os.getpid()}"
    commands = [
        ["ip", "netns", "add", name],
        ["ip", "-n", name, "link", "set", "lo", "up"],
        ["ip", "-n", name, "link", "add", "v0", "type", "veth", "peer", "name", "v1"],
        ["ip", "-n", name, "addr", "add", f"{NS_ADDR}/24", "dev", "v0"],
        ["ip", "-n", name, "link", "set", "v0", "up"],
        ["ip", "-n", name, "link", "set", "v1", "up"],
        ["ip", "-n", name, "route", "add", "224.0.0.0/4", "dev", "v0"],
    ]
    try:
        for command in commands:
            done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
            require(done.returncode == 0, f"{' '.join(command)} failed: {done.stderr.strip()}")
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=10, check=False)


def in_ns(ns: str, *args: str) -> list[str]:
    return ["ip", "netns", "exec", ns, PYTHON, "-m", "camdesk.sim.onvif.discovery", *args]


def _read_json_line(proc: subprocess.Popen[str], seconds: float = 20.0) -> dict[str, object]:
    """The next JSON line of a child's stdout (bounded by ``seconds``)."""
    assert proc.stdout is not None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.strip().startswith("{"):
            return json.loads(line)
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"no JSON line from {proc.args}")


def test_multicast_probe_hello_and_bye_inside_a_network_namespace(netns) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    popen = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, "env": env}
    listener = subprocess.Popen(in_ns(netns, "listen", "--interface", NS_ADDR, "--seconds", "30"), **popen)
    server = None
    try:
        assert _read_json_line(listener) == {"listening": True}
        server = subprocess.Popen(in_ns(netns, "serve", "--host", NS_ADDR, "--cameras", "2",
                                        "--max-seconds", "60"), **popen)
        ports = _read_json_line(server)
        assert ports["discovery_port"] == 3702
        probe = subprocess.run(in_ns(netns, "probe", "--interface", NS_ADDR, "--expect", "2", "--timeout", "5"),
                               capture_output=True, text=True, timeout=30, env=env, check=True)
        matches = json.loads(probe.stdout)
        assert sorted(m["xaddrs"][0] for m in matches) == [
            f"http://{NS_ADDR}:{ports['http_port']}/onvif/cam{i}/device_service" for i in range(2)]
        assert all("dn:NetworkVideoTransmitter" in m["types"] for m in matches)
        server.send_signal(signal.SIGTERM)
        assert _read_json_line(server) == {"stopped": True}
        server.wait(timeout=10)
        heard = [_read_json_line(listener) for _ in range(4)]
        kinds = sorted(a["kind"] for a in heard)
        assert kinds == ["Bye", "Bye", "Hello", "Hello"]
        hello_addresses = {a["address"] for a in heard if a["kind"] == "Hello"}
        assert hello_addresses == {a["address"] for a in heard if a["kind"] == "Bye"}
        assert hello_addresses == {m["address"] for m in matches}
    finally:
        for proc in (listener, server):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)

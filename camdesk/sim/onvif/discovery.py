"""WS-Discovery (2005/04, SOAP 1.2 over UDP) for the virtual cameras: a responder that answers Probe with
standard ProbeMatches, plus the small probe/listen clients the tests use.

The responder answers unicast Probes on its own UDP port (``port=0`` = ephemeral, loopback-safe). Only
with ``multicast=True`` does it bind 3702, join 239.255.255.250 on the given interface, send Hello at
start and Bye at stop; use that inside a network namespace or on a real LAN, never on a shared host.

Run ``python -m camdesk.sim.onvif.discovery serve|probe|listen --help`` for the command-line entry point
(used by the network-namespace test).
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

from lxml import etree

from camdesk.sim.onvif import identity
from camdesk.sim.spec import SimCamera

log = logging.getLogger(__name__)

GROUP = "239.255.255.250"
PORT = 3702
NS_SOAP = "http://www.w3.org/2003/05/soap-envelope"
NS_WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
NS_D = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
NS_DN = "http://www.onvif.org/ver10/network/wsdl"
NS_TDS = "http://www.onvif.org/ver10/device/wsdl"
ANONYMOUS = NS_WSA + "/role/anonymous"
DISCOVERY_URN = "urn:schemas-xmlsoap-org:ws:2005:04:discovery"
OUR_TYPES = {(NS_DN, "NetworkVideoTransmitter"), (NS_TDS, "Device")}
MAX_DATAGRAM = 65507

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{NS_SOAP}" xmlns:wsa="{NS_WSA}" xmlns:d="{NS_D}" '
    f'xmlns:dn="{NS_DN}" xmlns:tds="{NS_TDS}"><SOAP-ENV:Header>{{header}}</SOAP-ENV:Header>'
    "<SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>"
)


def _esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class DeviceEntry:
    """One advertised device: endpoint address, scopes and the device service URL."""

    address: str  # urn:uuid:...
    scopes: tuple[str, ...]
    xaddrs: tuple[str, ...]
    types: str = "dn:NetworkVideoTransmitter tds:Device"

    @staticmethod
    def for_camera(cam: SimCamera, device_url: str) -> DeviceEntry:
        return DeviceEntry(identity.endpoint_uuid(cam.spec), tuple(identity.scopes(cam.spec)), (device_url,))

    def matches(self, types: set[tuple[str, str]], scopes: list[str]) -> bool:
        """WS-Discovery matching: every probed type is ours; every probed scope prefixes one of ours
        segment-wise (the default RFC 3986 rule)."""
        if not types <= OUR_TYPES:
            return False
        for wanted in scopes:
            w = wanted.rstrip("/")
            if not any(s == w or s.startswith(w + "/") for s in self.scopes):
                return False
        return True

    def body(self) -> str:
        return (
            f"<wsa:EndpointReference><wsa:Address>{self.address}</wsa:Address></wsa:EndpointReference>"
            f"<d:Types>{self.types}</d:Types><d:Scopes>{_esc(' '.join(self.scopes))}</d:Scopes>"
            f"<d:XAddrs>{_esc(' '.join(self.xaddrs))}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>"
        )


def _header(action: str, to: str, relates_to: str | None, instance: int, number: int) -> str:
    relates = f"<wsa:RelatesTo>{_esc(relates_to)}</wsa:RelatesTo>" if relates_to else ""
    return (
        f"<wsa:MessageID>urn:uuid:{uuid.uuid4()}</wsa:MessageID>{relates}<wsa:To>{to}</wsa:To>"
        f"<wsa:Action>{NS_D}/{action}</wsa:Action>"
        f'<d:AppSequence InstanceId="{instance}" MessageNumber="{number}"/>'
    )


def _children(el: etree._Element, local: str) -> list[etree._Element]:
    return [c for c in el.iter() if isinstance(c.tag, str) and etree.QName(c).localname == local]


def _first_text(el: etree._Element, local: str) -> str:
    found = _children(el, local)
    return (found[0].text or "").strip() if found else ""


def parse_probe(data: bytes) -> tuple[str, set[tuple[str, str]], list[str]] | None:
    """(MessageID, types as (namespace, name), scopes) of a Probe; None for anything else."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None
    probes = [p for p in _children(root, "Probe") if etree.QName(p).namespace == NS_D]
    if not probes:
        return None
    probe = probes[0]
    types: set[tuple[str, str]] = set()
    for type_el in _children(probe, "Types"):
        for qname in (type_el.text or "").split():
            prefix, _, local = qname.rpartition(":")
            ns = type_el.nsmap.get(prefix or None, "")
            types.add((ns or "", local))
    scopes: list[str] = []
    for scope_el in _children(probe, "Scopes"):
        scopes.extend((scope_el.text or "").split())
    return _first_text(root, "MessageID"), types, scopes


class DiscoveryResponder:
    """Answers Probes for ``devices`` from a daemon thread; ``stop()`` sends Bye (multicast mode)."""

    def __init__(self, devices: list[DeviceEntry], host: str = "127.0.0.1", port: int = 0, *,
                 multicast: bool = False, interface: str | None = None) -> None:
        self.devices = devices
        self.multicast = multicast
        self.interface = interface or host
        self._instance = int(time.time())
        self._number = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            if multicast:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                self.sock.bind(("0.0.0.0", port or PORT))
                membership = socket.inet_aton(GROUP) + socket.inet_aton(self.interface)
                self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
                self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(self.interface))
                self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
            else:
                self.sock.bind((host, port))
        except OSError:
            self.sock.close()
            raise
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._run, name="ws-discovery", daemon=True)
        self._thread.start()
        if multicast:
            self._announce("Hello")

    def _next_number(self) -> int:
        with self._lock:
            self._number += 1
            return self._number

    def _announce(self, action: str) -> None:
        for device in self.devices:
            if action == "Hello":
                body = f"<d:Hello>{device.body()}</d:Hello>"
            else:
                body = (f"<d:Bye><wsa:EndpointReference><wsa:Address>{device.address}</wsa:Address>"
                        "</wsa:EndpointReference></d:Bye>")
            header = _header(action, DISCOVERY_URN, None, self._instance, self._next_number())
            try:
                self.sock.sendto(_ENVELOPE.format(header=header, body=body).encode(), (GROUP, PORT))
            except OSError as e:
                log.warning("WS-Discovery %s not sent: %s", action, e)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, sender = self.sock.recvfrom(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except OSError:
                return  # socket closed by stop()
            try:
                self._answer(data, sender)
            except Exception:
                log.exception("WS-Discovery probe from %s failed", sender)

    def _answer(self, data: bytes, sender: tuple[str, int]) -> None:
        probe = parse_probe(data)
        if probe is None:
            return
        message_id, types, scopes = probe
        for device in self.devices:
            if not device.matches(types, scopes):
                continue
            header = _header("ProbeMatches", ANONYMOUS, message_id, self._instance, self._next_number())
            body = f"<d:ProbeMatches><d:ProbeMatch>{device.body()}</d:ProbeMatch></d:ProbeMatches>"
            self.sock.sendto(_ENVELOPE.format(header=header, body=body).encode(), sender)

    def stop(self) -> None:
        if self._stop.is_set():
            return
        if self.multicast:
            self._announce("Bye")
        self._stop.set()
        self._thread.join(timeout=2.0)
        self.sock.close()


# --- clients (tests, command line) ------------------------------------------------------------------------
@dataclass
class Announcement:
    """A ProbeMatch, Hello or Bye as received."""

    kind: str  # ProbeMatch | Hello | Bye
    address: str
    types: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    xaddrs: list[str] = field(default_factory=list)
    relates_to: str = ""


def parse_announcements(data: bytes) -> list[Announcement]:
    """Every ProbeMatch/Hello/Bye in one datagram (empty for anything else)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return []
    relates_to = _first_text(root, "RelatesTo")
    found = []
    for kind in ("ProbeMatch", "Hello", "Bye"):
        for el in _children(root, kind):
            found.append(Announcement(
                kind, _first_text(el, "Address"), _first_text(el, "Types").split(),
                _first_text(el, "Scopes").split(), _first_text(el, "XAddrs").split(), relates_to,
            ))
    return found


def probe_message(message_id: str, types: str = "dn:NetworkVideoTransmitter") -> bytes:
    header = (f"<wsa:MessageID>{message_id}</wsa:MessageID><wsa:To>{DISCOVERY_URN}</wsa:To>"
              f"<wsa:Action>{NS_D}/Probe</wsa:Action>")
    return _ENVELOPE.format(header=header, body=f"<d:Probe><d:Types>{types}</d:Types></d:Probe>").encode()


def probe(target: tuple[str, int], timeout: float = 2.0, interface: str | None = None,
          expect: int | None = None) -> list[Announcement]:
    """Send one Probe to ``target`` (unicast, or the multicast group with ``interface``) and collect the
    ProbeMatches answering it for ``timeout`` seconds (or until ``expect`` of them arrived)."""
    message_id = f"urn:uuid:{uuid.uuid4()}"
    matches: list[Announcement] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        if interface:
            sock.bind((interface, 0))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(interface))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        sock.sendto(probe_message(message_id), target)
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0 and (expect is None or len(matches) < expect):
            sock.settimeout(remaining)
            try:
                data, _ = sock.recvfrom(MAX_DATAGRAM)
            except TimeoutError:
                break
            matches.extend(a for a in parse_announcements(data)
                           if a.kind == "ProbeMatch" and a.relates_to == message_id)
    return matches


def _listen(interface: str, seconds: float) -> None:
    """Print every Hello/Bye heard on the multicast group as a JSON line, for ``seconds``."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((GROUP, PORT))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(GROUP) + socket.inet_aton(interface))
        print(json.dumps({"listening": True}), flush=True)
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            sock.settimeout(remaining)
            try:
                data, _ = sock.recvfrom(MAX_DATAGRAM)
            except TimeoutError:
                break
            for a in parse_announcements(data):
                if a.kind in ("Hello", "Bye"):
                    print(json.dumps(a.__dict__), flush=True)


def _serve(args: argparse.Namespace) -> None:
    """Run N virtual cameras' ONVIF services with multicast discovery until SIGTERM/SIGINT."""
    from camdesk.sim.onvif import start_onvif
    from camdesk.sim.scene import Scene
    from camdesk.sim.spec import CameraSpec

    cameras = [SimCamera(CameraSpec(index=i, name=f"Camera {i + 1}", location=args.location))
               for i in range(args.cameras)]
    handle = start_onvif(cameras, args.host, 0, lambda cam, s: f"rtsp://{args.host}:554/{cam.spec.slug}/{s}",
                         {c.spec.index: Scene(c.spec) for c in cameras}, discovery=False,
                         multicast=True, multicast_interface=args.interface or args.host)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print(json.dumps({"http_port": handle.port, "discovery_port": handle.discovery_port}), flush=True)
    done.wait(args.max_seconds)
    handle.stop()
    print(json.dumps({"stopped": True}), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m camdesk.sim.onvif.discovery", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="virtual cameras with multicast WS-Discovery (Hello/Bye)")
    serve.add_argument("--host", required=True, help="IPv4 address to serve HTTP on")
    serve.add_argument("--interface", help="IPv4 address of the multicast interface (default: --host)")
    serve.add_argument("--cameras", type=int, default=1)
    serve.add_argument("--location", default="ward/test")
    serve.add_argument("--max-seconds", type=float, default=120.0, help="stop by itself after this long")
    p = sub.add_parser("probe", help="send a Probe and print the ProbeMatches as JSON")
    p.add_argument("--target", default=f"{GROUP}:{PORT}", help="HOST:PORT (default: the multicast group)")
    p.add_argument("--interface", help="IPv4 address to send multicast from")
    p.add_argument("--timeout", type=float, default=2.0)
    p.add_argument("--expect", type=int)
    listen = sub.add_parser("listen", help="print Hello/Bye heard on the multicast group as JSON lines")
    listen.add_argument("--interface", required=True)
    listen.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.command == "serve":
        _serve(args)
    elif args.command == "probe":
        host, _, port = args.target.rpartition(":")
        matches = probe((host, int(port)), args.timeout, args.interface, args.expect)
        print(json.dumps([m.__dict__ for m in matches]), flush=True)
    else:
        _listen(args.interface, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

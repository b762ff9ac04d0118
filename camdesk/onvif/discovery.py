"""WS-Discovery: a Probe by multicast on every IPv4 interface plus unicast Probes to the addresses or
ranges the user types (cameras on routed networks never hear multicast). Replies are reported as they
arrive. Loop thread only.

Why not the ``wsdiscovery`` package: it skips loopback interfaces, never reads replies to unicast
probes and its IPv6 thread crashes without IPv6 (ONVIF-NOTES). A Probe is one UDP datagram.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import struct
import sys
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from camdesk.errors import CamdeskError
from camdesk.models.onvif import DiscoveredDevice
from camdesk.onvif import safe_xml, soap
from camdesk.onvif.errors import BadDiscoveryTarget, TooManyTargets

log = logging.getLogger(__name__)
MULTICAST = ("239.255.255.250", 3702)
MAX_TARGETS = 1024
_WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
_WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
# Home Assistant filters on the Streaming scope, but not every camera advertises it; the device type
# dn:NetworkVideoTransmitter (and tds:Device for some recorders) is the other sign of an ONVIF device.
_PROBE_TYPES = (
    ("dn", "http://www.onvif.org/ver10/network/wsdl", "NetworkVideoTransmitter"),
    ("tds", "http://www.onvif.org/ver10/device/wsdl", "Device"),
)


def probe_message(prefix: str, namespace: str, type_name: str, message_id: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="{_WSA}" '
        f'xmlns:d="{_WSD}" xmlns:{prefix}="{namespace}"><s:Header>'
        f"<a:Action>{_WSD}/Probe</a:Action><a:MessageID>urn:uuid:{message_id}</a:MessageID>"
        "<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address>"
        "</a:ReplyTo><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>"
        f"<s:Body><d:Probe><d:Types>{prefix}:{type_name}</d:Types></d:Probe></s:Body></s:Envelope>"
    ).encode()


def _scope_value(scopes: list[str], kind: str) -> str:
    marker = f"onvif://www.onvif.org/{kind}/"
    for s in scopes:
        if s.lower().startswith(marker):
            return unquote(s[len(marker):]).replace("_", " ").strip("/")
    return ""


def _split_scopes(text: str) -> list[str]:
    """Scopes are space-separated URIs; some devices (ipycam) leave spaces unescaped in a name, so a
    word that is not a URI belongs to the scope before it."""
    scopes: list[str] = []
    for word in text.split():
        if "://" in word or not scopes:
            scopes.append(word)
        else:
            scopes[-1] += " " + word
    return scopes


def parse_probe_matches(data: bytes, sender: str) -> list[DiscoveredDevice]:
    """ONVIF devices in a ProbeMatches datagram (hostile or broken XML raises, caller drops it)."""
    root = safe_xml.parse(data)
    body = soap.child(root, "Body")
    found = []
    # ipycam 1.3 puts ProbeMatch straight into the Body, without the ProbeMatches wrapper.
    matches = soap.children(soap.child(body, "ProbeMatches"), "ProbeMatch") or soap.children(body, "ProbeMatch")
    for match in matches:
        types = tuple(soap.text(match, "Types").split())
        scopes = _split_scopes(soap.text(match, "Scopes"))
        xaddrs = tuple(x for x in soap.text(match, "XAddrs").split() if urlsplit(x).scheme in ("http", "https"))
        is_onvif = any(t.rsplit(":", 1)[-1] in ("NetworkVideoTransmitter", "Device") for t in types) or any(
            s.lower().startswith("onvif://www.onvif.org/") for s in scopes)
        if not is_onvif or not xaddrs:
            continue
        found.append(DiscoveredDevice(
            address=sender,
            xaddrs=xaddrs,
            name=_scope_value(scopes, "name"),
            hardware=_scope_value(scopes, "hardware"),
            location=_scope_value(scopes, "location"),
            endpoint=soap.text(match, "EndpointReference", "Address"),
            scopes=tuple(scopes),
            types=types,
        ))
    return found


def parse_targets(text: str) -> list[tuple[str, int]]:
    """``192.168.1.10``, ``host:3702``, ``10.0.0.1-10.0.0.50``, ``10.0.0.1-50``, ``10.0.0.0/28``,
    separated by commas or spaces -> (host, port) pairs. At most :data:`MAX_TARGETS`."""
    out: list[tuple[str, int]] = []
    for raw in text.replace(",", " ").split():
        host, port = raw, MULTICAST[1]
        if raw.count(":") == 1:
            host, _, p = raw.partition(":")
            if not p.isdigit() or not 0 < int(p) < 65536:
                raise _bad(raw)
            port = int(p)
        try:
            if "/" in host:
                net = ipaddress.IPv4Network(host, strict=False)
                if net.num_addresses > MAX_TARGETS + 2:  # check before listing: a /8 has 16 million
                    raise TooManyTargets(f"{raw}: too many addresses", field="targets", limit=MAX_TARGETS)
                hosts = list(net.hosts()) if net.num_addresses > 2 else list(net)
                out += [(str(h), port) for h in hosts]
            elif "-" in host:
                first_text, _, last_text = host.partition("-")
                first = ipaddress.IPv4Address(first_text)
                last = (ipaddress.IPv4Address(last_text) if "." in last_text
                        else ipaddress.IPv4Address(int(first) - int(first) % 256 + int(last_text)))
                if int(last) < int(first) or int(last) - int(first) >= MAX_TARGETS:
                    raise _bad(raw)
                out += [(str(ipaddress.IPv4Address(i)), port) for i in range(int(first), int(last) + 1)]
            else:
                ipaddress.IPv4Address(host)
                out.append((host, port))
        except ValueError as exc:
            raise _bad(raw) from exc
        if len(out) > MAX_TARGETS:
            raise TooManyTargets(f"more than {MAX_TARGETS} addresses", field="targets", limit=MAX_TARGETS)
    return out


def _bad(raw: str) -> BadDiscoveryTarget:
    return BadDiscoveryTarget(f"bad discovery target {raw!r}", field="targets", value=raw)


def ipv4_interfaces() -> list[str]:
    """The IPv4 address of every interface that is up (loopback included: a lab on 127.0.0.1 counts)."""
    addresses: list[str] = []
    if sys.platform.startswith("linux"):
        import fcntl

        for _, name in socket.if_nameindex():
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                try:
                    packed = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name.encode()[:15]))  # SIOCGIFADDR
                except OSError:
                    continue
                addresses.append(socket.inet_ntoa(packed[20:24]))
    else:
        try:
            addresses = sorted({str(a[4][0]) for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)})
        except OSError:
            addresses = []
        addresses.append("127.0.0.1")
    return list(dict.fromkeys(addresses))


class _Receiver(asyncio.DatagramProtocol):
    def __init__(self, on_datagram: Callable[[bytes, str], None]) -> None:
        self.on_datagram = on_datagram

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.on_datagram(data, str(addr[0]))

    def error_received(self, exc: Exception) -> None:
        log.debug("discovery socket: %s", exc)


async def discover(
    on_found: Callable[[DiscoveredDevice], None],
    unicast_targets: list[tuple[str, int]] | None = None,
    seconds: float = 3.0,
    multicast: bool = True,
    interfaces: list[str] | None = None,
) -> list[DiscoveredDevice]:
    """Probe for ``seconds`` and return every device found, calling ``on_found`` (on the loop thread)
    for each new one as it answers. Probes are sent twice (UDP may drop one)."""
    loop = asyncio.get_running_loop()
    found: dict[str, DiscoveredDevice] = {}

    def on_datagram(data: bytes, sender: str) -> None:
        try:
            devices = parse_probe_matches(data, sender)
        except CamdeskError as exc:
            log.info("discovery: reply from %s refused: %s", sender, exc)
            return
        for dev in devices:
            key = dev.endpoint or dev.device_url
            if key not in found:
                found[key] = dev
                on_found(dev)

    transports: list[asyncio.DatagramTransport] = []
    sends: list[tuple[asyncio.DatagramTransport, tuple[str, int]]] = []
    try:
        if multicast:
            for address in interfaces if interfaces is not None else ipv4_interfaces():
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
                try:
                    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(address))
                    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 2)
                    sock.bind((address, 0))
                    sock.setblocking(False)
                    transport, _ = await loop.create_datagram_endpoint(lambda: _Receiver(on_datagram), sock=sock)
                except OSError as exc:
                    sock.close()
                    log.debug("discovery: interface %s skipped: %s", address, exc)
                    continue
                transports.append(transport)
                sends.append((transport, MULTICAST))
        if unicast_targets:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Receiver(on_datagram), local_addr=("0.0.0.0", 0), family=socket.AF_INET)
            transports.append(transport)
            sends += [(transport, t) for t in unicast_targets]
        messages = [probe_message(p, ns, t, str(uuid.uuid4())) for p, ns, t in _PROBE_TYPES]
        end = loop.time() + max(0.2, seconds)
        for round_ in range(2):
            for transport, target in sends:
                for message in messages:
                    try:
                        transport.sendto(message, target)
                    except OSError as exc:
                        log.debug("discovery: send to %s failed: %s", target, exc)
            if round_ == 0:
                await asyncio.sleep(min(0.5, max(0.0, end - loop.time()) / 2))
        await asyncio.sleep(max(0.0, end - loop.time()))
    finally:
        for transport in transports:
            transport.close()
    return list(found.values())

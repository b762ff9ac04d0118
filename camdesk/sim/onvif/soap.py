"""SOAP 1.2 plumbing shared by the virtual camera's services: safe request parsing, reply envelopes and
faults shaped as real cameras send them.

Requests are parsed with lxml configured for hostile input (no DTD, no entities, no network), because
anything on the network may talk to the simulator.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "tt": "http://www.onvif.org/ver10/schema",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "wstop": "http://docs.oasis-open.org/wsn/t-1",
    "tns1": "http://www.onvif.org/ver10/topics",
    "ter": "http://www.onvif.org/ver10/error",
    "wsrf-rw": "http://docs.oasis-open.org/wsrf/rw-2",
    "wsntw": "http://docs.oasis-open.org/wsn/bw-2",
    "xs": "http://www.w3.org/2001/XMLSchema",
}

_ENVELOPE_OPEN = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<env:Envelope " + " ".join(
    f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items()
) + ">"

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
    remove_comments=True, remove_pis=True,
)

MAX_REQUEST_BYTES = 256 * 1024  # a real client never sends more; refuse bigger bodies unread


class SoapFault(Exception):
    """An error to send back as a SOAP 1.2 fault. ``code`` is ``Sender`` or ``Receiver``; ``subcodes`` are
    qualified names (``ter:NotAuthorized``) from the ONVIF error namespace."""

    def __init__(self, code: str, subcodes: tuple[str, ...], reason: str, http_status: int = 400) -> None:
        super().__init__(reason)
        self.code = code
        self.subcodes = subcodes
        self.reason = reason
        self.http_status = http_status


def not_authorized() -> SoapFault:
    """What Hikvision/Dahua/Axis send for a missing, wrong or stale UsernameToken."""
    return SoapFault("Sender", ("ter:NotAuthorized",), "Sender not Authorized")


def invalid_arg(subcode: str, reason: str) -> SoapFault:
    return SoapFault("Sender", ("ter:InvalidArgVal", subcode), reason)


def action_not_supported(operation: str) -> SoapFault:
    return SoapFault("Receiver", ("ter:ActionNotSupported",), f"Operation not supported: {operation}", 500)


@dataclass(frozen=True)
class SoapRequest:
    """A parsed request: its header (or None), the operation element and the operation's local name."""

    header: etree._Element | None
    operation: etree._Element
    name: str


def parse_request(body: bytes) -> SoapRequest:
    """Parse a SOAP 1.2 (or 1.1) envelope; raise :class:`SoapFault` (Sender) on anything else."""
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise SoapFault("Sender", ("ter:WellFormed",), "DTDs are not accepted")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as e:
        raise SoapFault("Sender", ("ter:WellFormed",), f"Malformed XML: {e.msg}") from None
    if etree.QName(root).localname != "Envelope":
        raise SoapFault("Sender", ("ter:WellFormed",), "Not a SOAP envelope")
    header = body_el = None
    for child in root:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local == "Header":
            header = child
        elif local == "Body":
            body_el = child
    if body_el is None:
        raise SoapFault("Sender", ("ter:WellFormed",), "SOAP Body missing")
    ops = [c for c in body_el if isinstance(c.tag, str)]
    if not ops:
        raise SoapFault("Sender", ("ter:WellFormed",), "SOAP Body is empty")
    return SoapRequest(header, ops[0], etree.QName(ops[0]).localname)


def envelope(body: str, header: str = "") -> bytes:
    """A SOAP 1.2 envelope around ``body`` (XML text using the prefixes in :data:`NS`)."""
    head = f"<env:Header>{header}</env:Header>" if header else ""
    return (f"{_ENVELOPE_OPEN}{head}<env:Body>{body}</env:Body></env:Envelope>").encode()


def fault_envelope(fault: SoapFault) -> bytes:
    """A SOAP 1.2 fault with nested subcodes, as cameras send it."""
    sub = ""
    for code in reversed(fault.subcodes):
        sub = f"<env:Subcode><env:Value>{escape(code)}</env:Value>{sub}</env:Subcode>"
    return envelope(
        f"<env:Fault><env:Code><env:Value>env:{fault.code}</env:Value>{sub}</env:Code>"
        f'<env:Reason><env:Text xml:lang="en">{escape(fault.reason)}</env:Text></env:Reason></env:Fault>'
    )


# --- small helpers for handlers -----------------------------------------------------------------------
def child(el: etree._Element | None, *path: str) -> etree._Element | None:
    """The first descendant along ``path`` of local names (namespace-agnostic: clients differ)."""
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if isinstance(c.tag, str) and etree.QName(c).localname == name), None)
    return el


def text(el: etree._Element | None, *path: str, default: str = "") -> str:
    found = child(el, *path)
    return (found.text or "").strip() if found is not None else default


def attr(el: etree._Element | None, name: str, *path: str, default: str | None = None) -> str | None:
    found = child(el, *path)
    return found.get(name, default) if found is not None else default


def number(value: str | None, default: float) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except ValueError:
        raise invalid_arg("ter:InvalidArgs", f"Not a number: {value!r}") from None


def x(value: object) -> str:
    """Escape text content."""
    return escape(str(value))


def xa(value: object) -> str:
    """A quoted, escaped attribute value."""
    return quoteattr(str(value))


def iso(ts: float, millis: bool = False) -> str:
    """UTC timestamp (seconds since the epoch) as ``2024-01-02T03:04:05Z`` (Zulu, as Hikvision writes it),
    or with milliseconds (``...05.123Z``, as Axis writes event times)."""
    moment = dt.datetime.fromtimestamp(ts, dt.UTC)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_DURATION = re.compile(r"^-?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def parse_duration(value: str) -> float:
    """``PT1M30S`` -> 90.0 (xs:duration without years and months, which no client sends)."""
    m = _DURATION.match(value.strip())
    if not m or value.strip() in ("P", "PT"):
        raise invalid_arg("ter:InvalidArgs", f"Invalid duration: {value!r}")
    d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


def parse_time_or_duration(value: str, now: float) -> float:
    """An absolute xs:dateTime or a relative xs:duration (as WS-BaseNotification allows) -> epoch seconds."""
    value = value.strip()
    if value.startswith(("P", "-P")):
        return now + parse_duration(value)
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_arg("ter:InvalidArgs", f"Invalid time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()

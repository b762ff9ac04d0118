"""A broken or hostile device must not crash camdesk, blow up its memory or make it read local files:
each reply below is refused with a clear error."""

from __future__ import annotations

import resource

import pytest

from camdesk.errors import HostileReply, ProtocolError
from camdesk.onvif import safe_xml
from camdesk.onvif.discovery import parse_probe_matches
from tests.onvif.conftest import PASSWORD, USER, serve_http

pytestmark = pytest.mark.timeout(60)

SOAP = "http://www.w3.org/2003/05/soap-envelope"
TDS = "http://www.onvif.org/ver10/device/wsdl"

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + f']><s:Envelope xmlns:s="{SOAP}"><s:Body><tds:GetSystemDateAndTimeResponse xmlns:tds="{TDS}">'
    "<tds:SystemDateAndTime>&lol9;</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>"
).encode()

XXE = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<s:Envelope xmlns:s="{SOAP}"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="{TDS}">'
    "<tds:Manufacturer>&xxe;</tds:Manufacturer></tds:GetDeviceInformationResponse></s:Body></s:Envelope>"
).encode()

UNDECLARED_PREFIX = (
    f'<s:Envelope xmlns:s="{SOAP}"><s:Body><tds:GetSystemDateAndTimeResponse>'
    "<tt:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType></tt:SystemDateAndTime>"
    "</tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>"
).encode()

TRUNCATED = (
    f'<s:Envelope xmlns:s="{SOAP}"><s:Body><tds:GetSystemDateAndTimeResponse xmlns:tds="{TDS}">'
    "<tds:SystemDateAndTime><tt:Date"
).encode()


def _served(onvif, body: bytes, error: type[BaseException]) -> BaseException:
    url, stop = serve_http(lambda _: (200, "application/soap+xml", body))
    try:
        with pytest.raises(error) as info:
            onvif.probe(url, USER, PASSWORD).result(30)
        return info.value
    finally:
        stop()


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_billion_laughs_reply_is_refused_without_memory_blowup(onvif):
    before = _max_rss_mb()
    _served(onvif, BILLION_LAUGHS, HostileReply)
    assert _max_rss_mb() - before < 200  # a billion "lol"s would need gigabytes


def test_external_entity_pointing_at_local_file_is_refused_and_file_not_read(onvif):
    err = _served(onvif, XXE, HostileReply)
    assert "root:" not in str(err) and "root:" not in repr(err.__cause__)


def test_reply_with_undeclared_prefixes_is_a_protocol_error(onvif):
    err = _served(onvif, UNDECLARED_PREFIX, ProtocolError)
    assert not isinstance(err, HostileReply)


def test_truncated_reply_is_a_protocol_error(onvif):
    _served(onvif, TRUNCATED, ProtocolError)


def test_endless_reply_is_cut_off(onvif, monkeypatch):
    monkeypatch.setattr(safe_xml, "MAX_REPLY_BYTES", 64 * 1024)
    huge = f'<s:Envelope xmlns:s="{SOAP}"><s:Body>'.encode() + b"<x>" * 100_000
    _served(onvif, huge, HostileReply)


def test_hostile_discovery_replies_are_refused():
    with pytest.raises(HostileReply):
        parse_probe_matches(BILLION_LAUGHS, "127.0.0.1")
    with pytest.raises(HostileReply):
        parse_probe_matches(XXE, "127.0.0.1")
    with pytest.raises(ProtocolError):
        parse_probe_matches(TRUNCATED, "127.0.0.1")


def test_service_keeps_working_after_hostile_replies(onvif, sim):
    _served(onvif, XXE, HostileReply)
    _served(onvif, BILLION_LAUGHS, HostileReply)
    assert onvif.probe(sim.url(0), USER, PASSWORD).result(30).main is not None

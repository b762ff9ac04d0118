"""A minimal SOAP 1.2 client for the virtual camera's own tests: builds WS-UsernameToken digests by hand
(so tests can sign with a chosen clock) and parses replies with lxml. The interop tests use the real
onvif-zeep-async client instead."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.client
import os
import urllib.parse
from dataclasses import dataclass

from lxml import etree

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "tt": "http://www.onvif.org/ver10/schema",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "ter": "http://www.onvif.org/ver10/error",
}
_XMLNS = " ".join(f'xmlns:{p}="{u}"' for p, u in NS.items())
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DIGEST = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"


def security_header(user: str, password: str, created_at: float | None = None) -> str:
    """A WS-Security UsernameToken with PasswordDigest, ``Created`` at ``created_at`` (default: now)."""
    moment = dt.datetime.now(dt.UTC) if created_at is None else dt.datetime.fromtimestamp(created_at, dt.UTC)
    created = moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    nonce = os.urandom(16)
    digest = base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest()).decode()
    return (
        f'<wsse:Security xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}"><wsse:UsernameToken>'
        f"<wsse:Username>{user}</wsse:Username><wsse:Password Type=\"{DIGEST}\">{digest}</wsse:Password>"
        f'<wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce><wsu:Created>{created}</wsu:Created>'
        "</wsse:UsernameToken></wsse:Security>"
    )


def envelope(operation: str, header: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><env:Envelope {_XMLNS}><env:Header>{header}</env:Header>'
            f"<env:Body>{operation}</env:Body></env:Envelope>").encode()


@dataclass
class Reply:
    status: int
    body: bytes

    @property
    def xml(self) -> etree._Element:
        return etree.fromstring(self.body, etree.XMLParser(resolve_entities=False, no_network=True))

    def find(self, path: str) -> etree._Element | None:
        return self.xml.find(path, NS)

    def findall(self, path: str) -> list[etree._Element]:
        return self.xml.findall(path, NS)

    def text(self, path: str) -> str:
        el = self.find(path)
        assert el is not None, f"{path} missing in {self.body[:500]!r}"
        return el.text or ""

    @property
    def fault_subcodes(self) -> list[str]:
        return [v.text or "" for v in self.xml.iterfind(".//env:Subcode/env:Value", NS)]


def post(url: str, body: bytes, timeout: float = 5.0) -> Reply:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("POST", parts.path, body, {"Content-Type": "application/soap+xml; charset=utf-8"})
        response = conn.getresponse()
        return Reply(response.status, response.read())
    finally:
        conn.close()


def call(url: str, operation: str, user: str | None = None, password: str = "",
         created_at: float | None = None, timeout: float = 5.0) -> Reply:
    """POST one operation (XML text using the prefixes in :data:`NS`), signed when ``user`` is given."""
    header = security_header(user, password, created_at) if user is not None else ""
    return post(url, envelope(operation, header), timeout)

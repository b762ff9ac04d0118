"""A minimal SOAP 1.2 caller for services the bundled WSDLs lack (Media2, ver20), and for the one call
made so often that zeep's reply objects cost too much (PullMessages, see ``events.py``).

onvif-zeep-async ships no Media2 WSDL and its ``onvif.xsd`` predates Media2's types, yet Media1 hides
H.265-only profiles on many cameras. Media2 needs three operations (GetProfiles, GetStreamUri,
GetSnapshotUri), so we build those envelopes by hand, sign them with the same WS-Security
UsernameToken (PasswordDigest, device clock offset applied) and parse the replies with
:func:`camdesk.onvif.safe_xml.parse`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from xml.sax.saxutils import escape

__all__ = ["call", "child", "children", "escape", "local", "security_header", "text"]

import aiohttp
import lxml.etree as etree
import zeep.exceptions

from camdesk.errors import NotOnvifDevice
from camdesk.onvif.safe_xml import parse

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
_DIGEST = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
_B64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"


def security_header(user: str, password: str, offset: dt.timedelta) -> str:
    """A WS-Security UsernameToken with PasswordDigest; ``Created`` in the device's clock, Zulu form."""
    if not user:
        return ""
    nonce = os.urandom(16)
    created = (dt.datetime.now(dt.UTC) + offset).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest()).decode()
    return (
        f'<wsse:Security xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}" s:mustUnderstand="1"><wsse:UsernameToken>'
        f"<wsse:Username>{escape(user)}</wsse:Username>"
        f'<wsse:Password Type="{_DIGEST}">{digest}</wsse:Password>'
        f'<wsse:Nonce EncodingType="{_B64}">{base64.b64encode(nonce).decode()}</wsse:Nonce>'
        f"<wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security>"
    )


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def child(el: etree._Element | None, *names: str) -> etree._Element | None:
    """Follow a path of local names (namespaces vary between firmwares); None when missing."""
    for name in names:
        if el is None:
            return None
        el = next((c for c in el if local(c) == name), None)
    return el


def children(el: etree._Element | None, name: str) -> list[etree._Element]:
    return [] if el is None else [c for c in el if local(c) == name]


def text(el: etree._Element | None, *names: str, default: str = "") -> str:
    found = child(el, *names) if names else el
    return (found.text or "").strip() if found is not None else default


async def call(
    session: aiohttp.ClientSession,
    url: str,
    body: str,
    *,
    user: str,
    password: str,
    offset: dt.timedelta,
    action: str,
    header: str = "",
) -> etree._Element:
    """POST one SOAP 1.2 request; return the first element of the reply's Body. ``header``: more
    header elements after the WS-Security one (WS-Addressing for a subscription).

    A SOAP fault becomes ``zeep.exceptions.Fault`` (so the same login ladder handles it), an HTTP error
    without a SOAP body ``zeep.exceptions.TransportError``.
    """
    envelope = (
        f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="{SOAP12}">'
        f"<s:Header>{security_header(user, password, offset)}{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>"
    )
    headers = {"Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'}
    async with session.post(url, data=envelope.encode(), headers=headers) as resp:
        data = await resp.read()
        status = resp.status
    if not data.strip():
        raise zeep.exceptions.TransportError(f"HTTP {status} with an empty body", status_code=status)  # type: ignore[no-untyped-call]
    root = parse(data)
    if local(root) != "Envelope":
        raise NotOnvifDevice(f"HTTP {status}: not a SOAP envelope")
    reply = child(root, "Body")
    first = next((c for c in reply if isinstance(c.tag, str)), None) if reply is not None else None
    if first is None:
        raise zeep.exceptions.TransportError(f"HTTP {status} with an empty SOAP body", status_code=status)  # type: ignore[no-untyped-call]
    if local(first) == "Fault":
        code = text(first, "Code", "Value")
        subcodes = [t for t in (text(first, "Code", "Subcode", "Value"),
                                text(first, "Code", "Subcode", "Subcode", "Value")) if t]
        reason = text(first, "Reason", "Text") or "SOAP fault"
        raise zeep.exceptions.Fault(reason, code=code, subcodes=subcodes)  # type: ignore[no-untyped-call]
    if status >= 400:
        raise zeep.exceptions.TransportError(f"HTTP {status}", status_code=status)  # type: ignore[no-untyped-call]
    return first

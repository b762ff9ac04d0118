"""Refusing hostile device replies: DTDs, entity expansion (billion laughs), external entities (XXE) and
oversized bodies. A hostile reply becomes :class:`camdesk.errors.HostileReply`, a broken one
:class:`camdesk.errors.ProtocolError`; neither crashes, blows up memory or reads a local file.

Three layers:
* zeep's settings for every onvif-zeep-async client (``forbid_dtd``, ``forbid_entities``,
  ``forbid_external``, no ``xml_huge_tree``): the library ships ``xml_huge_tree=True`` and allows DTDs;
* an aiohttp middleware that stops reading a reply after :data:`MAX_REPLY_BYTES`;
* :func:`parse` for the XML we parse ourselves (WS-Discovery, Media2): lxml without entity resolution,
  network or DTD loading, and a refusal of any ``<!DOCTYPE`` before parsing.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import lxml.etree as etree
import zeep.exceptions
from aiohttp.client_middlewares import ClientHandlerType

from camdesk.errors import CamdeskError, HostileReply, NotOnvifDevice, ProtocolError
from camdesk.logs import scrub

log = logging.getLogger(__name__)

# ONVIF replies are small: a 32-channel recorder's GetProfiles is ~300 KB. 4 MB leaves room and still
# bounds memory per request.
MAX_REPLY_BYTES = 4 * 1024 * 1024
_CHUNK = 64 * 1024


class ReplyTooLarge(HostileReply):
    """A reply longer than :data:`MAX_REPLY_BYTES` (reading stopped there)."""


def harden_library() -> None:
    """Make every onvif-zeep-async parser refuse DTDs, entities and external references. Idempotent.

    The library passes one shared ``Settings`` object to each zeep client and to its notification parser;
    changing that object in place covers all of them (``strict`` stays False: real cameras need leniency).
    """
    import onvif.settings

    settings = onvif.settings.DEFAULT_SETTINGS
    settings.forbid_dtd = True
    settings.forbid_entities = True
    settings.forbid_external = True
    settings.xml_huge_tree = False


async def limit_reply_size(req: aiohttp.ClientRequest, handler: ClientHandlerType) -> aiohttp.ClientResponse:
    """aiohttp middleware: read at most :data:`MAX_REPLY_BYTES` of the body, else raise ReplyTooLarge."""
    resp = await handler(req)
    declared = resp.content_length
    if declared is not None and declared > MAX_REPLY_BYTES:
        resp.close()
        raise ReplyTooLarge(f"reply of {declared} bytes refused")
    body = bytearray()
    while True:
        chunk = await resp.content.read(_CHUNK)
        if not chunk:
            break
        body += chunk
        if len(body) > MAX_REPLY_BYTES:
            resp.close()
            raise ReplyTooLarge(f"reply longer than {MAX_REPLY_BYTES} bytes refused")
    start = bytes(body[:64]).lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")):
        # A web page (a router, a NAS, a camera's own web UI on the wrong path): not a hostile reply.
        resp.close()
        raise NotOnvifDevice(f"HTTP {resp.status}: a web page, not a SOAP reply")
    # aiohttp returns a cached body from read() when _body is set; there is no public way to cap it.
    resp._body = bytes(body)
    return resp


def parse(data: bytes) -> etree._Element:
    """Parse XML we handle ourselves; refuses DTDs/entities (HostileReply) and broken XML (ProtocolError)."""
    if len(data) > MAX_REPLY_BYTES:
        raise ReplyTooLarge(f"reply of {len(data)} bytes refused")
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        raise HostileReply("reply with a DTD or entity declarations refused")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ProtocolError(f"malformed XML: {exc}") from exc
    if root is None:
        raise ProtocolError("empty reply")
    if root.getroottree().docinfo.doctype:
        raise HostileReply("reply with a DTD refused")
    return root


_HOSTILE = (
    zeep.exceptions.DTDForbidden,
    zeep.exceptions.EntitiesForbidden,
    zeep.exceptions.ExternalReferenceForbidden,
)
_BROKEN = (
    zeep.exceptions.XMLSyntaxError,
    zeep.exceptions.XMLParseError,
    zeep.exceptions.UnexpectedElementError,
    zeep.exceptions.ValidationError,
    zeep.exceptions.LookupError,
    zeep.exceptions.NamespaceError,
    etree.XMLSyntaxError,
)


def classify_xml_error(exc: BaseException) -> CamdeskError | None:
    """Our error for a parsing failure anywhere in ``exc``'s chain, or None if it is not one."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, CamdeskError) and isinstance(cur, ProtocolError):
            return cur
        if isinstance(cur, _HOSTILE):
            return HostileReply(scrub(f"{type(cur).__name__}: {cur}"))
        if isinstance(cur, _BROKEN):
            return ProtocolError(scrub(f"{type(cur).__name__}: {cur}"))
        if isinstance(cur, ValueError) and "tag name" in str(cur):
            # lxml on undeclared prefixes: "Invalid tag name 'ptz:PTZStatus'" (ipycam's GetPresets)
            return ProtocolError(scrub(f"undeclared XML prefix: {cur}"))
        nxt: Any = cur.__cause__ or cur.__context__
        cur = nxt
    return None

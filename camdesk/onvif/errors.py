"""Turning library, network and SOAP failures into camdesk errors with translated messages.

The distinct login failures the officer sees: unreachable, not an ONVIF device, wrong user or password,
timed out; plus a refused hostile reply and an unintelligible one.
"""

from __future__ import annotations

import asyncio

import aiohttp
import zeep.exceptions

from camdesk.errors import (
    AuthFailed,
    CamdeskError,
    CameraError,
    CameraTimeout,
    CameraUnreachable,
    ConnectionRefused,
    InvalidUrl,
    NotOnvifDevice,
    ProtocolError,
    Unsupported,
    ValidationError,
)
from camdesk.i18n import QT_TRANSLATE_NOOP
from camdesk.logs import scrub
from camdesk.onvif.safe_xml import classify_xml_error

# Subcodes and texts cameras use for a rejected WS-Security token. Hikvision: "ter:NotAuthorized";
# Dahua: "Sender not Authorized"; Axis: "wsse:FailedAuthentication"; the Digest-only cameras of
# Home Assistant issue #119107 answer HTTP 401 which zeep reports as "Unknown fault occured".
_AUTH_WORDS = ("notauthorized", "not authorized", "unauthorized", "failedauthentication", "invalidsecurity",
               "authority failure", "unknown fault occured", "sender not authorized")

# What narrow excepts in this package catch: everything a device or the network can make a call raise.
CALL_ERRORS: tuple[type[BaseException], ...] = (
    zeep.exceptions.Error,
    aiohttp.ClientError,
    OSError,  # includes TimeoutError and ConnectionError
    asyncio.TimeoutError,
    ValueError,  # lxml on undeclared prefixes; our own errors that are ValueErrors
    AttributeError,  # a reply missing a field the WSDL calls optional
    KeyError,
    TypeError,
    CamdeskError,
)


def _onvif_error_type() -> type[BaseException]:
    from onvif.exceptions import ONVIFError

    result: type[BaseException] = ONVIFError
    return result


def is_auth_problem(exc: BaseException) -> bool:
    """True when ``exc`` looks like a rejected login (a WS-Security fault or HTTP 401)."""
    cur: BaseException | None = exc
    for _ in range(5):
        if cur is None:
            break
        if isinstance(cur, AuthFailed):
            return True
        if isinstance(cur, zeep.exceptions.Fault):
            text = " ".join(
                str(x) for x in (cur.message, cur.code, *(cur.subcodes or []))
            ).lower()
            if any(w in text for w in _AUTH_WORDS):
                return True
        if isinstance(cur, zeep.exceptions.TransportError) and cur.status_code in (401, 403):
            return True
        if isinstance(cur, aiohttp.ClientResponseError) and cur.status in (401, 403):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


def translate(exc: BaseException, *, connecting: bool = False) -> CamdeskError:
    """The camdesk error for any failure of a call (``connecting``: the first contact with a device)."""
    if isinstance(exc, CamdeskError):
        return exc
    xml = classify_xml_error(exc)
    if xml is not None:
        return xml
    detail = scrub(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError, aiohttp.ServerTimeoutError)):
        return CameraTimeout(detail)
    if isinstance(exc, ConnectionRefusedError) or (
        isinstance(exc, aiohttp.ClientConnectorError) and isinstance(exc.os_error, ConnectionRefusedError)
    ):
        return ConnectionRefused(detail)
    if isinstance(exc, aiohttp.InvalidURL):
        return InvalidUrl(detail)
    if isinstance(exc, (aiohttp.ClientConnectionError, ConnectionError, OSError)):
        return CameraUnreachable(detail)
    if is_auth_problem(exc):
        return AuthFailed(detail)
    if isinstance(exc, zeep.exceptions.TransportError):
        return NotOnvifDevice(detail) if connecting else ProtocolError(detail)
    if isinstance(exc, zeep.exceptions.Fault):
        return CameraError(scrub(str(exc.message)))
    if isinstance(exc, aiohttp.ClientResponseError):
        return NotOnvifDevice(detail) if connecting else ProtocolError(detail)
    if isinstance(exc, _onvif_error_type()):
        cause = exc.__cause__ or exc.__context__
        if cause is not None and cause is not exc:
            return translate(cause, connecting=connecting)
        if "support service" in str(exc):
            return Unsupported(detail)
        return ProtocolError(detail)
    if isinstance(exc, (AttributeError, KeyError, TypeError, ValueError)):
        return ProtocolError(f"reply missing or invalid field: {detail}")
    return CameraError(detail)


class BadDiscoveryTarget(ValidationError):
    """A unicast discovery target that is not an IPv4 address, range or network."""

    user_text = QT_TRANSLATE_NOOP("Errors", "Not an IPv4 address or range: {value}")


class TooManyTargets(ValidationError):
    user_text = QT_TRANSLATE_NOOP("Errors", "Too many addresses to probe (at most {limit}).")


class NotRegistered(CameraError, KeyError):
    """PTZ or events asked for a camera the ONVIF service was not told about."""

    user_text = QT_TRANSLATE_NOOP("Errors", "This camera has no ONVIF address.")

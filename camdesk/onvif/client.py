"""One ONVIF device session: connect and test the login, call operations, handle the device clock and
HTTP Digest without bothering the user. Runs only on the ONVIF loop thread.

The login ladder for a rejected call (NotAuthorized fault or HTTP 401):
1. re-read the device time (``GetSystemDateAndTime`` without credentials) and retry, because a camera
   whose clock jumped rejects our WS-Security timestamps (ONVIF-NOTES: "re-read after NotAuthorized");
2. add HTTP Digest on top of WS-Security and retry (cameras of Home Assistant issue #119107);
3. only then report :class:`camdesk.errors.AuthFailed`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from camdesk.errors import AuthFailed, CamdeskError, InvalidUrl
from camdesk.logs import scrub
from camdesk.onvif import safe_xml
from camdesk.onvif.errors import CALL_ERRORS, is_auth_problem, translate

log = logging.getLogger(__name__)

NS_MEDIA = "http://www.onvif.org/ver10/media/wsdl"
NS_MEDIA2 = "http://www.onvif.org/ver20/media/wsdl"
NS_PTZ = "http://www.onvif.org/ver20/ptz/wsdl"
NS_EVENTS = "http://www.onvif.org/ver10/events/wsdl"
SERVICE_NS = {"media": NS_MEDIA, "ptz": NS_PTZ, "events": NS_EVENTS, "media2": NS_MEDIA2}


def strip_userinfo(uri: str) -> str:
    """``rtsp://user:pw@host/x`` -> ``rtsp://host/x``: URIs we keep never hold credentials."""
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def parse_device_url(address: str) -> tuple[str, str, int]:
    """Accept ``host``, ``host:port`` or a full device service URL; return (url, host, port)."""
    text = address.strip()
    if not text:
        raise InvalidUrl("empty address")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidUrl(scrub(address))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise InvalidUrl(scrub(address)) from exc
    path = parts.path if parts.path not in ("", "/") else "/onvif/device_service"
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, path, "", "")), parts.hostname, port


def _camera_class() -> type[Any]:
    """onvif-zeep-async's ONVIFCamera, extended: any device-service path, and our aiohttp middlewares
    (reply size limit, optional HTTP Digest) on every service session it creates."""
    from onvif import ONVIFCamera

    class _Camera(ONVIFCamera):  # type: ignore[misc]
        def __init__(self, device_url: str, host: str, port: int, user: str, password: str) -> None:
            super().__init__(host, port, user or None, password or None, adjust_time=True, no_cache=True)
            self.device_url = device_url
            self.digest = False

        def get_definition(self, name: str, port_type: str | None = None) -> tuple[str, str, str]:
            xaddr, wsdl, binding = super().get_definition(name, port_type)
            # The library hardcodes /onvif/device_service; recorders and our simulator use other paths.
            return (self.device_url if name == "devicemgmt" else xaddr), wsdl, binding

        async def create_onvif_service(self, name: str, port_type: str | None = None, **kw: Any) -> Any:
            service = await super().create_onvif_service(name, port_type, **kw)
            if not self.user and service.zeep_client is not None:
                # A camera without a login: the library signs every call anyway, and zeep fails to build
                # a UsernameToken without a user. zeep sends no WS-Security header when wsse is None.
                service.zeep_client.wsse = None
            if service.__dict__.get("_camdesk_digest") is not self.digest:
                self.install_middlewares(service)
            return service

        def middlewares(self) -> tuple[Any, ...]:
            if self.digest and self.user:
                return (aiohttp.DigestAuthMiddleware(self.user, self.passwd or ""), safe_xml.limit_reply_size)
            return (safe_xml.limit_reply_size,)

        def install_middlewares(self, service: Any) -> None:
            # aiohttp reads middlewares per request from the session; the library gives us no other hook.
            service._session._middlewares = self.middlewares()
            service.__dict__["_camdesk_digest"] = self.digest

    return _Camera


class OnvifDevice:
    """A logged-in device. Create with :meth:`connect`; close with :meth:`close`. Loop thread only."""

    def __init__(self, device_url: str, host: str, port: int, user: str, password: str) -> None:
        self.device_url = device_url
        self.user = user
        self._password = password
        self._cam: Any = _camera_class()(device_url, host, port, user, password)
        self._session: aiohttp.ClientSession | None = None  # for our own SOAP calls (Media2)
        self.resyncs = 0  # how often the device time was re-read after a rejected login (for tests)

    def __repr__(self) -> str:
        return f"OnvifDevice({scrub(self.device_url)!r})"

    # --- connection -------------------------------------------------------------------------------
    @classmethod
    async def connect(cls, address: str, user: str, password: str) -> OnvifDevice:
        """Reach the device, read its clock and services, and check the login with GetDeviceInformation.

        Raises CameraUnreachable, NotOnvifDevice, AuthFailed, CameraTimeout (via the caller's bound),
        HostileReply or ProtocolError.
        """
        url, host, port = parse_device_url(address)
        device = cls(url, host, port, user, password)
        try:
            try:
                await device._cam.update_xaddrs()
            except CALL_ERRORS as exc:
                if not is_auth_problem(exc):
                    raise translate(exc, connecting=True) from exc
                # Devices that demand credentials even for GetServices: go through the ladder.
                await device._retry_login(exc)
            await device.call("devicemgmt", "GetDeviceInformation")
        except BaseException:
            await device.close()
            raise
        return device

    async def _retry_login(self, first: BaseException) -> None:
        """Steps 1 and 2 of the ladder for the connection itself."""
        await self.resync_time()
        try:
            await self._cam.update_xaddrs()
            return
        except CALL_ERRORS as exc:
            if not is_auth_problem(exc):
                raise translate(exc, connecting=True) from exc
        if not self.user or self._cam.digest:
            raise AuthFailed(scrub(str(first)))
        self._enable_digest()
        try:
            await self._cam.update_xaddrs()
        except CALL_ERRORS as exc:
            if is_auth_problem(exc):
                raise AuthFailed(scrub(str(exc))) from exc
            raise translate(exc, connecting=True) from exc

    async def resync_time(self) -> None:
        """Re-read the device clock; rebuild every service so new tokens use the new offset."""
        self.resyncs += 1
        for service in list(self._cam.services.values()):
            await service.close()
        self._cam.services.clear()
        self._cam.dt_diff = None
        try:
            await self._cam._devicemgmt_with_time()  # the library's own unauthenticated time handshake
        except CALL_ERRORS as exc:
            if not is_auth_problem(exc):
                raise translate(exc) from exc
        log.info("%s: device clock offset %.0f s", scrub(self.device_url), self.time_offset_s)

    def _enable_digest(self) -> None:
        log.info("%s: adding HTTP Digest on top of WS-Security", scrub(self.device_url))
        self._cam.digest = True
        for service in self._cam.services.values():
            self._cam.install_middlewares(service)

    @property
    def time_offset_s(self) -> float:
        diff = self._cam.dt_diff
        return float(diff.total_seconds()) if diff is not None else 0.0

    @property
    def uses_digest(self) -> bool:
        return bool(self._cam.digest)

    def offers(self, service: str) -> bool:
        """Whether the device advertised the service (``media``, ``media2``, ``ptz``, ``events``)."""
        return SERVICE_NS[service] in self._cam.xaddrs

    def xaddr(self, service: str) -> str:
        """The address of ``service``: a library service name, or a key given to :meth:`set_xaddr`."""
        return str(self._cam.xaddrs.get(SERVICE_NS.get(service, service), ""))

    # --- calls -----------------------------------------------------------------------------------
    async def call(self, service: str, operation: str, params: Any = None) -> Any:
        """Call ``operation`` of ``service`` (a library service name), with the login ladder. Returns the
        zeep reply, which must not leave this package."""
        return await self._with_ladder(lambda: self._zeep_call(service, operation, params))

    async def call_port(self, service: str, port_type: str, operation: str, params: Any = None) -> Any:
        """Like :meth:`call` for a service bound to a port type (PullPoint subscriptions)."""
        return await self._with_ladder(lambda: self._zeep_call(service, operation, params, port_type))

    def set_xaddr(self, key: str, url: str) -> None:
        """Record a service address learned at run time (a PullPoint subscription's)."""
        from onvif.util import normalize_url

        self._cam.xaddrs[key] = normalize_url(url)

    async def _zeep_call(self, service: str, operation: str, params: Any, port_type: str | None = None) -> Any:
        svc = await self._cam.create_onvif_service(service, port_type)
        return await getattr(svc, operation)(params)

    async def soap(self, service: str, body: str, action: str, *, header: str = "") -> Any:
        """A hand-built SOAP call (see :mod:`camdesk.onvif.soap`) to :meth:`xaddr` of ``service``, with
        the same ladder."""
        from camdesk.onvif import soap

        url = self.xaddr(service)

        async def once() -> Any:
            if self._session is None or self._session.closed:
                self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
            self._session._middlewares = self._cam.middlewares()
            offset = self._cam.dt_diff or dt.timedelta(0)
            return await soap.call(self._session, url, body, user=self.user, password=self._password,
                                   offset=offset, action=action, header=header)

        return await self._with_ladder(once)

    async def _with_ladder(self, attempt: Any) -> Any:
        resynced = False
        while True:
            try:
                return await attempt()
            except CALL_ERRORS as exc:
                if not is_auth_problem(exc) or isinstance(exc, CamdeskError):
                    raise translate(exc) from exc
                if not resynced:
                    resynced = True
                    await self.resync_time()
                    try:
                        await self._cam.update_xaddrs()
                    except CALL_ERRORS as again:
                        if not is_auth_problem(again):
                            raise translate(again) from again
                    continue
                if self.user and not self._cam.digest:
                    self._enable_digest()
                    continue
                raise AuthFailed(scrub(str(exc))) from exc

    async def close(self) -> None:
        """Close every HTTP session of this device (bounded by the caller)."""
        if self._session is not None:
            await self._session.close()
        try:
            await self._cam.close()
        except CALL_ERRORS as exc:
            log.debug("closing %s: %s", scrub(self.device_url), exc)

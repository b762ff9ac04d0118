"""The HTTP server behind every virtual camera's ONVIF services and snapshots (one port for all).

Routes ``/onvif/cam{index}/{device,media,media2,ptz,events}_service`` (plus PullPoint subscription
addresses ``.../events_service/pullpoint/{id}``) and ``/onvif/cam{index}/snapshot.jpg``; with a virtual
recorder also ``/onvif/nvr/{device,media,media2,ptz}_service`` (see :mod:`.recorder`).
``/onvif/device_service``, the address stock ONVIF clients hard-code, is the first camera's.

Faults (:class:`camdesk.sim.faults.Faults`), per camera: ``refuse``/``down`` reset the connection after
the request line (the port is shared, so a per-camera refusal cannot happen at accept time),
``onvif_delay`` holds the reply, ``onvif_malformed`` answers with broken XML; password and clock offset
changes apply to the next request.
"""

from __future__ import annotations

import logging
import re
import socket
import struct
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from camdesk.logs import scrub
from camdesk.sim.onvif import (
    OnvifHandle,
    device_service,
    events_service,
    media2_service,
    media_service,
    ptz_service,
)
from camdesk.sim.onvif.auth import HttpDigest, check_username_token
from camdesk.sim.onvif.context import Call
from camdesk.sim.onvif.events_service import EventHub
from camdesk.sim.onvif.recorder import NVR_PATH, nvr_camera
from camdesk.sim.onvif.snapshot import snapshot_jpeg
from camdesk.sim.onvif.soap import (
    MAX_REQUEST_BYTES,
    SoapFault,
    action_not_supported,
    envelope,
    fault_envelope,
    not_authorized,
    parse_request,
)
from camdesk.sim.spec import SimCamera

if TYPE_CHECKING:
    from camdesk.sim.scene import Scene

log = logging.getLogger(__name__)

SOAP_CONTENT_TYPE = "application/soap+xml; charset=utf-8"
_ROUTE = re.compile(r"^/onvif/(?:cam(\d+)/|(nvr)/)?(device|media|media2|ptz|events)_service"
                    r"(?:/pullpoint/([0-9a-f]{1,64}))?/?$")
_SNAPSHOT = re.compile(r"^/onvif/cam(\d+)/snapshot\.jpg$")
_HANDLERS: dict[str, Callable[[Call], str]] = {
    "device": device_service.handle,
    "media": media_service.handle,
    "media2": media2_service.handle,
    "ptz": ptz_service.handle,
    "events": events_service.handle,
}
# A reply whose XML breaks off in the middle, as a camera with a crashing web server sends it.
MALFORMED_REPLY = envelope("<tds:GetDeviceInformationResponse><tds:Manufacturer>camdesk")[:-60]


class OnvifServer(ThreadingHTTPServer):
    """Serves all cameras; request handlers run on one daemon thread per connection."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, cameras: list[SimCamera], host: str, port: int,
                 rtsp_uri: Callable[[SimCamera, str], str], scenes: dict[int, Scene],
                 nvr: SimCamera | None = None) -> None:
        self.cameras = {c.spec.index: c for c in cameras}
        self.channel_list = tuple(sorted(cameras, key=lambda c: c.spec.index))
        self.nvr = nvr
        self.default_index = min(self.cameras) if self.cameras else 0
        self.rtsp_uri = rtsp_uri
        self.scenes = scenes
        self.events = EventHub(scenes)
        self.digest = HttpDigest()
        self.stopping = threading.Event()
        self.connections: set[socket.socket] = set()  # open client connections, closed by stop()
        self.connections_lock = threading.Lock()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.address_family = family
        super().__init__((host, port), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up before its reply (timeouts, faults under test) is normal here."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            log.debug("client %s went away: %s", client_address, error)
        else:
            log.exception("ONVIF request from %s failed", client_address)

    def base_url(self, cam: SimCamera) -> str:
        host = str(self.server_address[0])
        host = f"[{host}]" if ":" in host else host
        path = NVR_PATH if cam is self.nvr else cam.spec.slug
        return f"http://{host}:{int(self.server_address[1])}/onvif/{path}"


class _Handler(BaseHTTPRequestHandler):
    server: OnvifServer
    protocol_version = "HTTP/1.1"
    server_version = "camdesk-sim"
    sys_version = ""
    timeout = 30  # seconds a keep-alive connection may sit idle
    # Headers and body go out in two writes; with Nagle on, the body waited for the client's delayed ACK
    # (40 ms per reply on Linux): a 32-channel recorder's login test took 5.9 s instead of 0.12 s.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), scrub(format % args))

    # --- helpers ----------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset, as a refusing or rebooting camera appears to a client."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass

    def _camera(self, index_text: str | None, nvr: str | None = None) -> SimCamera | None:
        if nvr is not None:
            return self.server.nvr
        index = self.server.default_index if index_text is None else int(index_text)
        return self.server.cameras.get(index)

    def _not_found(self) -> None:
        self._send(404, b"Not found\n", "text/plain; charset=utf-8")

    def _unavailable(self, cam: SimCamera) -> bool:
        """Apply the refuse/down faults and the reply delay; True when the request must be dropped."""
        if cam.faults.refuse:
            self._reset()
            return True
        delay = cam.faults.onvif_delay
        if delay > 0 and self.server.stopping.wait(delay):
            self._reset()
            return True
        if cam.faults.refuse:  # went down while we waited
            self._reset()
            return True
        return False

    # --- SOAP -----------------------------------------------------------------------------------------
    def do_POST(self) -> None:
        route = _ROUTE.match(self.path.split("?", 1)[0])
        cam = self._camera(route.group(1), route.group(2)) if route else None
        length_text = self.headers.get("Content-Length")
        if length_text is None or not length_text.isdigit() or int(length_text) > MAX_REQUEST_BYTES:
            self.close_connection = True
            self._send(411 if length_text is None else 413, b"", "text/plain")
            return
        body = self.rfile.read(int(length_text))
        if route is None or cam is None:
            self._not_found()
            return
        if self._unavailable(cam):
            return
        if cam.faults.onvif_malformed:
            self._send(200, MALFORMED_REPLY, SOAP_CONTENT_TYPE)
            return
        service, sub_id = route.group(3), route.group(4)
        try:
            reply = self._dispatch(cam, service, sub_id, body)
            status = 200
        except SoapFault as fault:
            reply, status = fault_envelope(fault), fault.http_status
        except Exception:  # request top level: answer as a camera with a firmware bug would, keep serving
            log.exception("%s: %s failed", cam.spec.slug, service)
            reply = fault_envelope(SoapFault("Receiver", ("ter:Action",), "Internal error", 500))
            status = 500
        self._send(status, reply, SOAP_CONTENT_TYPE)

    def _dispatch(self, cam: SimCamera, service: str, sub_id: str | None, body: bytes) -> bytes:
        request = parse_request(body)
        public = service == "device" and request.name in device_service.PUBLIC_OPERATIONS
        if cam.requires_auth and not public and not check_username_token(request.header, cam):
            log.info("%s: NotAuthorized for %s/%s", cam.spec.slug, service, request.name)
            raise not_authorized()
        recorder = cam is self.server.nvr
        if recorder and service == "events":  # the virtual recorder offers no events service
            raise action_not_supported(request.name)
        call = Call(cam, request, self.server.base_url(cam), self.server.rtsp_uri,
                    None if recorder else self.server.scenes.get(cam.spec.index), self.server.events,
                    self.server.channel_list if recorder else ())
        if sub_id is not None:
            if service != "events":
                raise SoapFault("Sender", ("ter:InvalidArgVal",), "No such address")
            return envelope(events_service.handle_subscription(call, sub_id))
        return envelope(_HANDLERS[service](call))

    # --- snapshots ------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        match = _SNAPSHOT.match(self.path.split("?", 1)[0])
        cam = self._camera(match.group(1)) if match else None
        if cam is None:
            self._not_found()
            return
        if self._unavailable(cam):
            return
        if cam.requires_auth and not self.server.digest.check(
            self.headers.get("Authorization"), self.command, cam.username, cam.password
        ):
            self._send(401, b"Unauthorized\n", "text/plain; charset=utf-8",
                       {"WWW-Authenticate": self.server.digest.challenge()})
            return
        self._send(200, snapshot_jpeg(cam, self.server.scenes.get(cam.spec.index)), "image/jpeg")

    do_HEAD = do_GET


def start(
    cameras: list[SimCamera],
    host: str,
    port: int,
    rtsp_uri: Callable[[SimCamera, str], str],
    scenes: dict[int, Scene],
    *,
    discovery: bool = True,
    multicast: bool = False,
    multicast_interface: str | None = None,
    nvr: bool = False,
) -> OnvifHandle:
    """Start the HTTP server (and WS-Discovery responder) on background threads; ``nvr`` adds the
    virtual recorder whose channels are ``cameras``."""
    recorder = nvr_camera(cameras) if nvr else None
    server = OnvifServer(cameras, host, port, rtsp_uri, scenes, recorder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="onvif-http", daemon=True)
    thread.start()
    responder = None
    if discovery or multicast:
        from camdesk.sim.onvif.discovery import DeviceEntry, DiscoveryResponder

        devices = [*cameras, recorder] if recorder is not None else cameras
        entries = [DeviceEntry.for_camera(c, server.base_url(c) + "/device_service") for c in devices]
        try:
            responder = DiscoveryResponder(entries, host, 0, multicast=multicast, interface=multicast_interface)
        except OSError:
            _shutdown(server, thread)
            raise
    lock = threading.Lock()
    stopped = False

    def stop() -> None:
        nonlocal stopped
        with lock:
            if stopped:
                return
            stopped = True
        if responder is not None:
            responder.stop()
        _shutdown(server, thread)

    bound_host = str(server.server_address[0])
    handle = OnvifHandle(bound_host, int(server.server_address[1]),
                         responder.port if responder is not None else None, stop)
    handle.nvr = recorder
    return handle


def _shutdown(server: OnvifServer, thread: threading.Thread) -> None:
    server.stopping.set()
    server.events.stop()
    server.shutdown()
    server.server_close()
    with server.connections_lock:  # keep-alive connections would otherwise outlive the server
        connections = list(server.connections)
    for conn in connections:
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    thread.join(timeout=2.0)

"""Fixtures for the ONVIF client tests: the project's virtual camera (ONVIF side only, no video) and
tiny loopback servers that misbehave (never answer, hostile or broken XML)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from camdesk.onvif.service import OnvifService

USER, PASSWORD = "admin", "Secret-123"


@dataclass
class SimOnvif:
    handle: object
    cameras: list  # camdesk.sim.spec.SimCamera

    def url(self, index: int) -> str:
        return self.handle.device_url(self.cameras[index])  # type: ignore[attr-defined]

    @property
    def discovery_port(self) -> int:
        return int(self.handle.discovery_port)  # type: ignore[attr-defined]


@pytest.fixture
def sim() -> Iterator[SimOnvif]:
    """Two virtual cameras on one loopback ONVIF port: cam0 PTZ H.264, cam1 fixed H.265."""
    from camdesk.sim.onvif import start_onvif
    from camdesk.sim.scene import Scene
    from camdesk.sim.spec import CameraSpec, SimCamera

    cams = [
        SimCamera(CameraSpec(0, "Gate PTZ", username=USER, password=PASSWORD, ptz=True)),
        SimCamera(CameraSpec(1, "Alley H265", codec="h265", username=USER, password=PASSWORD)),
    ]
    handle = start_onvif(cams, "127.0.0.1", 0, lambda c, q: f"rtsp://127.0.0.1:1/{c.spec.slug}/{q}",
                         {c.spec.index: Scene(c.spec, period=4.0) for c in cams})
    try:
        yield SimOnvif(handle, cams)
    finally:
        handle.stop()


@pytest.fixture
def onvif() -> Iterator[OnvifService]:
    service = OnvifService(timeout=5.0)
    try:
        yield service
    finally:
        service.shutdown()


def serve_http(reply: Callable[[bytes], tuple[int, str, bytes]]) -> tuple[str, Callable[[], None]]:
    """A loopback HTTP server answering every POST/GET with ``reply(request_body)``; (url, stop)."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, ctype, data = reply(body)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_GET = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/onvif/device_service", stop


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts TCP connections and never answers (a hung camera)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                accepted.append(conn)
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/onvif/device_service"
    finally:
        stop.set()
        t.join(2)
        for c in accepted:
            c.close()
        sock.close()


@pytest.fixture
def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port

"""Cameras that demand HTTP Digest on top of WS-Security (Home Assistant issue #119107: the symptom is
an "Unknown fault"). The test puts a Digest-enforcing proxy in front of the virtual camera."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from camdesk.errors import AuthFailed
from tests.onvif.conftest import PASSWORD, USER

pytestmark = pytest.mark.timeout(60)


def digest_proxy(target_port: int, user: str, password: str) -> tuple[int, list[int], ThreadingHTTPServer]:
    """Forward to the virtual camera only requests with a valid HTTP Digest answer; count the 401s."""
    from camdesk.sim.onvif.auth import HttpDigest

    digest = HttpDigest()
    challenged: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not digest.check(self.headers.get("Authorization"), "POST", user, password):
                challenged.append(1)
                self.send_response(401)
                self.send_header("WWW-Authenticate", digest.challenge())
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            req = urllib.request.Request(f"http://127.0.0.1:{target_port}{self.path}", data=body,
                                         headers={"Content-Type": self.headers.get("Content-Type", "")})
            try:
                with urllib.request.urlopen(req, timeout=5) as resp:
                    status, data = resp.status, resp.read()
            except urllib.error.HTTPError as err:
                status, data = err.code, err.read()
            own = f"127.0.0.1:{self.server.server_address[1]}".encode()
            data = data.replace(f"127.0.0.1:{target_port}".encode(), own)  # keep later calls on the proxy
            self.send_response(status)
            self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return int(server.server_address[1]), challenged, server


def test_camera_requiring_http_digest_is_added_without_user_action(onvif, sim):
    port, challenged, server = digest_proxy(sim.handle.port, USER, PASSWORD)
    try:
        url = sim.url(0).replace(f":{sim.handle.port}/", f":{port}/")
        probe = onvif.probe(url, USER, PASSWORD).result(30)
        assert probe.main is not None and probe.ptz.continuous
        assert challenged, "the proxy must have demanded Digest at least once"
    finally:
        server.shutdown()
        server.server_close()


def test_digest_camera_with_wrong_password_is_still_a_wrong_password(onvif, sim):
    port, _, server = digest_proxy(sim.handle.port, USER, PASSWORD)
    try:
        url = sim.url(0).replace(f":{sim.handle.port}/", f":{port}/")
        with pytest.raises(AuthFailed):
            onvif.probe(url, USER, "not-it").result(30)
    finally:
        server.shutdown()
        server.server_close()

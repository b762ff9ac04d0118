"""The fault control API: a tiny HTTP JSON server (loopback) to switch a running camera's faults.

* ``GET /`` -> ``[{"index", "name", "faults": {...}}, ...]``
* ``GET /cam3`` -> ``{"index": 3, "name": ..., "faults": {...}}`` (the current switches)
* ``POST /cam3/fault`` with a JSON object of any of: ``"drop": true``, ``"stall": bool``,
  ``"refuse": bool``, ``"down": seconds``, ``"corrupt": fraction 0..1``, ``"onvif_delay": seconds``,
  ``"onvif_malformed": bool``, ``"clock_offset": seconds``, ``"password": "new"``, ``"clear": true``
  -> the camera's state after the change. Unknown keys or wrong types answer 400 and change nothing.

Example: ``curl -X POST -d '{"stall": true}' http://127.0.0.1:PORT/cam0/fault``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from camdesk.sim.spec import SimCamera

log = logging.getLogger(__name__)


def _number(v: object) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError("expected a number")
    return float(v)


def _flag(v: object) -> bool:
    if not isinstance(v, bool):
        raise ValueError("expected true or false")
    return v


def _text(v: object) -> str:
    if not isinstance(v, str):
        raise ValueError("expected a string")
    return v


def apply_faults(cam: SimCamera, changes: dict[str, Any]) -> None:
    """Apply a control request's switches to ``cam`` (validating all before changing any)."""
    f = cam.faults
    setters: dict[str, tuple[Callable[[object], Any], Callable[[Any], None]]] = {
        "stall": (_flag, f.set_stall),
        "refuse": (_flag, f.set_refuse),
        "down": (_number, f.go_down),
        "corrupt": (_number, f.set_corrupt),
        "onvif_delay": (_number, f.set_onvif_delay),
        "onvif_malformed": (_flag, f.set_onvif_malformed),
        "clock_offset": (_number, f.set_clock_offset),
        "password": (_text, cam.set_password),
        "drop": (_flag, lambda on: f.drop() if on else None),
        "clear": (_flag, lambda on: f.clear() if on else None),
    }
    actions: list[tuple[Callable[[Any], None], Any]] = []
    for key, value in changes.items():
        if key not in setters:
            raise ValueError(f"unknown switch {key!r}")
        check, setter = setters[key]
        actions.append((setter, check(value)))
    for setter, value in actions:
        setter(value)


def camera_state(cam: SimCamera) -> dict[str, Any]:
    return {"index": cam.spec.index, "name": cam.spec.name, "faults": cam.faults.snapshot()}


class ControlServer:
    """Serves the control API on ``host:port`` (0 = ephemeral) from a background thread."""

    def __init__(self, cameras: list[SimCamera], host: str = "127.0.0.1", port: int = 0) -> None:
        self.cameras = {c.spec.slug: c for c in cameras}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                log.debug("control: " + format, *args)

            def _send(self, status: int, payload: object) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path = self.path.rstrip("/")
                if path == "":
                    self._send(200, [camera_state(c) for c in server.cameras.values()])
                elif (cam := server.cameras.get(path.lstrip("/"))) is not None:
                    self._send(200, camera_state(cam))
                else:
                    self._send(404, {"error": "no such camera"})

            def do_POST(self) -> None:
                parts = self.path.strip("/").split("/")
                cam = server.cameras.get(parts[0]) if len(parts) == 2 and parts[1] == "fault" else None
                if cam is None:
                    self._send(404, {"error": "use POST /camN/fault"})
                    return
                try:
                    length = int(self.headers.get("Content-Length", "0"))
                    body = json.loads(self.rfile.read(length) or b"{}")
                    if not isinstance(body, dict):
                        raise ValueError("expected a JSON object")
                    apply_faults(cam, body)
                except (ValueError, json.JSONDecodeError) as e:
                    self._send(HTTPStatus.BAD_REQUEST, {"error": str(e)})
                    return
                self._send(200, camera_state(cam))

        self._httpd = ThreadingHTTPServer((host, port), Handler)
        self._httpd.daemon_threads = True
        self.host = host
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="sim-control", daemon=True)

    def url(self, cam: SimCamera) -> str:
        return f"http://{self.host}:{self.port}/{cam.spec.slug}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=2)
        self._httpd.server_close()

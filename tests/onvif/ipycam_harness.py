"""Serve ipycam's ONVIF services (its HTTP handler, ONVIF and PTZ classes) on loopback without its video
pipeline (which needs go2rtc and one ffmpeg per client). Run with the Python of an environment that has
ipycam installed (never the app's: ipycam pulls the full opencv-python wheel with its own Qt).

Usage: ``ipycam_harness.py USER PASSWORD [HOST [--discovery]]``. ``--discovery`` also starts ipycam's
WS-Discovery responder (multicast on UDP 3702: only inside a network namespace a test creates).
Prints ``{"port": N}`` once serving; stops when stdin closes.
"""

import json
import sys
import threading

from ipycam.config import CameraConfig
from ipycam.http import IPCameraHTTPHandler
from ipycam.onvif import ONVIFService
from ipycam.ptz import PTZController

try:
    from ipycam.camera import ReusableThreadingTCPServer as Server
except ImportError:  # older ipycam
    from socketserver import ThreadingTCPServer as Server


class Camera:
    """The attributes IPCameraHTTPHandler reads from ipycam's IPCamera."""

    def __init__(self, user: str, password: str, host: str) -> None:
        self.config = CameraConfig(local_ip=host, onvif_port=0)
        self.config.set_credentials(user, password)
        self.ptz = PTZController(self.config.main_width, self.config.main_height, 4.0)
        self.onvif = ONVIFService(self.config, self.ptz)


def main() -> None:
    user, password = sys.argv[1], sys.argv[2]
    host = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    camera = Camera(user, password, host)
    IPCameraHTTPHandler.camera = camera
    server = Server((host, 0), IPCameraHTTPHandler)
    port = server.server_address[1]
    camera.config.onvif_port = port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    discovery = None
    if "--discovery" in sys.argv:
        from ipycam.discovery import WSDiscoveryServer

        discovery = WSDiscoveryServer(camera.onvif)
        discovery.start()
    print(json.dumps({"port": port}), flush=True)
    sys.stdin.read()
    if discovery is not None:
        discovery.stop()
    camera.ptz.stop()
    server.shutdown()


if __name__ == "__main__":
    main()

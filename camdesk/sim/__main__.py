"""``camdesk-sim``: start N virtual cameras and print one JSON line per camera once all are listening
(with ``--nvr``, then one more line for the virtual recorder: ``{"name", "nvr": true, "onvif", "channels", "user"}``).

Example: ``camdesk-sim --cameras 4 --user admin --password secret``. Stops on SIGINT/SIGTERM (exit 0).
Faults: ``curl -X POST -d '{"stall": true}' <control URL>/fault`` (see :mod:`camdesk.sim.control`).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from types import FrameType

from camdesk.self_command import SIM_PASSWORD_ENV
from camdesk.sim.cluster import SimCluster
from camdesk.sim.encoder import EncodeCancelled
from camdesk.sim.spec import Resolution


def _resolution(text: str) -> Resolution:
    try:
        return Resolution.parse(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="camdesk-sim", description="Virtual IP cameras: RTSP and ONVIF on loopback.")
    p.add_argument("--cameras", type=int, default=4, help="number of cameras (default 4)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--rtsp-port", type=int, default=0, help="RTSP port for all cameras (default: any free)")
    p.add_argument("--http-port", type=int, default=0, help="ONVIF/snapshot HTTP port (default: any free)")
    p.add_argument("--control-port", type=int, default=0, help="fault control API port (default: any free)")
    p.add_argument("--codec", choices=("h264", "h265"), default="h264")
    p.add_argument("--main", type=_resolution, default=Resolution(1280, 720, 25), help="WxH@FPS (1280x720@25)")
    p.add_argument("--sub", type=_resolution, default=Resolution(640, 360, 15), help="WxH@FPS (640x360@15)")
    p.add_argument("--gop", type=float, default=1.0, help="seconds between keyframes (default 1)")
    p.add_argument("--user", default="", help="user name the cameras require (default: none)")
    p.add_argument("--password", default=os.environ.get(SIM_PASSWORD_ENV, ""),
                   help=f"password the cameras require (or the environment variable {SIM_PASSWORD_ENV}, "
                        "which other users cannot read, unlike a command line)")
    p.add_argument("--ptz", type=int, default=0, help="how many of the cameras are PTZ cameras (live)")
    p.add_argument("--mode", choices=("loop", "live"), default="loop",
                   help="loop: replay pre-encoded loops (cheap); live: render and encode in real time")
    p.add_argument("--seed", type=int, default=0, help="scene seed (default 0)")
    p.add_argument("--no-discovery", action="store_true", help="no WS-Discovery responder")
    p.add_argument("--multicast", action="store_true",
                   help="also answer WS-Discovery multicast and send Hello/Bye (announces the cameras on the LAN)")
    p.add_argument("--nvr", action="store_true",
                   help="also serve a virtual recorder (NVR) at /onvif/nvr/device_service with every camera as a channel")
    p.add_argument("-v", "--verbose", action="store_true", help="log to stderr")
    args = p.parse_args(argv)
    if args.cameras < 1 or args.cameras > 256:
        p.error("--cameras must be between 1 and 256")
    if not 0 <= args.ptz <= args.cameras:
        p.error("--ptz must be between 0 and --cameras")
    if bool(args.user) != bool(args.password):
        p.error("give --user and --password together")
    if not 0 < args.gop <= 60:
        p.error("--gop must be between 0 and 60 seconds")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    cluster = SimCluster(
        args.cameras, host=args.host, rtsp_port=args.rtsp_port, http_port=args.http_port,
        control_port=args.control_port, codec=args.codec, main=args.main, sub=args.sub, gop=args.gop,
        user=args.user, password=args.password, ptz=args.ptz, mode=args.mode, seed=args.seed,
        discovery=not args.no_discovery, multicast=args.multicast, nvr=args.nvr,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        """Runs on the main thread between bytecodes: only sets flags (start() may be encoding)."""
        stop.set()
        cluster.cancel_start()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        cluster.start()
    except EncodeCancelled:
        return 0  # stopped while starting
    except OSError as e:
        print(f"camdesk-sim: cannot start: {e}", file=sys.stderr)
        return 1
    try:
        if not stop.is_set():
            for info in cluster.cameras:
                sys.stdout.write(json.dumps(info) + "\n")
            if cluster.nvr_info is not None:
                sys.stdout.write(json.dumps(cluster.nvr_info) + "\n")
            sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

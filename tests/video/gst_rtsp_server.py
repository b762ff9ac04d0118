"""A GStreamer RTSP server for the engine's tests, run by Debian's python3 (python3-gi), not the venv.

Prints ``PORT <n>`` once it listens on an ephemeral loopback port, then serves until killed or until
stdin closes. Options: ``--codec h264|h265``, ``--user``/``--password`` (Basic auth), ``--tcp-only``,
``--size WxH``, ``--fps N``.
"""

from __future__ import annotations

import argparse
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codec", default="h264", choices=["h264", "h265"])
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--tcp-only", action="store_true")
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--fps", type=int, default=15)
    args = parser.parse_args()
    Gst.init(None)
    width, height = (int(v) for v in args.size.split("x"))
    if args.codec == "h264":
        enc = f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={args.fps} ! rtph264pay name=pay0 pt=96"
    else:
        enc = f"x265enc tune=zerolatency speed-preset=ultrafast key-int-max={args.fps} ! rtph265pay name=pay0 pt=96"
    launch = (
        f"( videotestsrc is-live=true ! video/x-raw,width={width},height={height},framerate={args.fps}/1 "
        f"! {enc} )"
    )
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service("0")
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    if args.tcp_only:
        factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP)
    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        basic = GstRtspServer.RTSPAuth.make_basic(args.user, args.password)
        auth.add_basic(basic, token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_role_from_structure(Gst.Structure.new_from_string(
            "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"))
        factory.set_permissions(permissions)
    server.get_mount_points().add_factory("/test", factory)
    server.attach(None)
    print(f"PORT {server.get_bound_port()}", flush=True)
    loop = GLib.MainLoop()

    def watch_stdin() -> None:
        sys.stdin.read()  # returns when the parent closes our stdin (or dies)
        GLib.idle_add(loop.quit)

    threading.Thread(target=watch_stdin, daemon=True).start()
    loop.run()


if __name__ == "__main__":
    main()

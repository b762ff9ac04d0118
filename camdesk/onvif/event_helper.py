"""The event helper process: ``camdesk --event-helper``, started by ``event_relay.EventRelay``.

It runs the cameras' PullPoint subscriptions (:meth:`OnvifService.subscribe_events`) at a lower CPU
priority and speaks JSON lines: commands on stdin, events, statistics and log records on stdout
(``event_relay.py`` describes the messages). It ends when stdin closes (the app quit or was killed),
after unsubscribing every camera (bounded).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import signal
import sys
import threading
from typing import Any, TextIO

from camdesk.logs import scrub
from camdesk.models.onvif import CameraEvent

log = logging.getLogger(__name__)
NICE = 10  # below the app's decoders: events may wait a few milliseconds, video frames may not
STATS_EVERY_S = 0.5


class Outbox:
    """Writes one JSON message per line to ``stream``; any thread."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        line = json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._lock:
            try:
                self._stream.write(line)
                self._stream.flush()
            except (OSError, ValueError):  # the app is gone; stdin's end will stop us
                pass


class RelayLogHandler(logging.Handler):
    """Log records go to the app, which writes them to its own (scrubbed) log."""

    def __init__(self, outbox: Outbox) -> None:
        super().__init__(logging.INFO)
        self._outbox = outbox

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            self._outbox.send({"log": [record.levelno, record.name, scrub(text)]})
        except Exception:  # noqa: BLE001 - logging must never break the helper
            self.handleError(record)


def event_message(event: CameraEvent) -> dict[str, Any]:
    fields = dataclasses.asdict(event)
    fields["kind"] = str(event.kind)
    return {"event": fields}


def serve(commands: TextIO, outbox: Outbox, timeout: float = 5.0) -> None:
    """Run subscriptions as ``commands`` say, until ``shutdown`` or the end of ``commands``."""
    from camdesk.onvif.service import OnvifService  # after logging is set up: the library configures it

    service = OnvifService(timeout=timeout)
    cameras: set[int] = set()
    lock = threading.Lock()
    done = threading.Event()

    def report_stats() -> None:
        last: dict[int, tuple[int, int, int]] = {}
        while not done.wait(STATS_EVERY_S):
            with lock:
                ids = list(cameras)
            now = {cid: service.event_stats(cid) for cid in ids}
            changed = {str(cid): list(s) for cid, s in now.items() if last.get(cid) != s}
            if changed:
                outbox.send({"stats": changed})
            last = now

    threading.Thread(target=report_stats, name="event-stats", daemon=True).start()
    try:
        for line in commands:
            try:
                command = json.loads(line)
                op, camera_id = command["op"], int(command.get("camera", 0))
            except (ValueError, KeyError, TypeError):
                log.warning("event helper: unreadable command ignored")
                continue
            if op == "shutdown":
                break
            if op in ("subscribe", "unsubscribe") and camera_id in cameras:
                with lock:
                    cameras.discard(camera_id)
                try:  # one subscription per camera: the old one ends before a new login
                    service.unsubscribe_events(camera_id).result(timeout + 2)
                    service.unregister(camera_id).result(timeout + 2)
                except Exception as exc:  # noqa: BLE001 - a camera that does not answer: go on
                    log.info("camera %s events: %s", camera_id, scrub(str(exc)))
            if op == "subscribe":
                service.register(camera_id, command["url"], command["user"], command["password"])
                service.subscribe_events(camera_id, lambda e: outbox.send(event_message(e)),
                                         ttl_s=float(command.get("ttl_s", 60.0)),
                                         pull_s=float(command.get("pull_s", 2.0)))
                with lock:
                    cameras.add(camera_id)
    finally:
        done.set()
        service.shutdown()  # unsubscribes every camera, bounded


def main() -> int:
    # Ctrl+C in a terminal, or a SIGTERM to the whole process group (a session ending, `timeout`), reaches
    # us too: the app decides when we stop (shutdown, or stdin's end when the app is gone), and then we
    # unsubscribe first. Seen: the group's SIGTERM killed the helper before the app quit, and the relay
    # logged a failure and started it again during the quit.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    if hasattr(os, "nice"):
        try:
            os.nice(NICE)
        except OSError:
            pass
    # Our stdout carries the messages: nothing else may print to it.
    outbox = Outbox(sys.stdout)
    sys.stdout = sys.stderr
    root = logging.getLogger()
    root.handlers[:] = [RelayLogHandler(outbox)]
    root.setLevel(logging.INFO)
    for noisy in ("zeep", "httpx", "aiohttp", "asyncio", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    serve(sys.stdin, outbox)
    return 0

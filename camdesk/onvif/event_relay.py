"""Camera events pulled in a helper process, so that a burst of them never slows the video.

Each camera's PullPoint subscription (``events.py``) runs in a child process (the app itself with
``--event-helper``: ``event_helper.py``) at a lower CPU priority; only the events come back, a few
hundred bytes of JSON each. Why:

- The pull loop is pure Python (HTTP, WS-Security, XML). In the app's process it holds the GIL that the
  decoder threads take about ten times per frame. When a car passes in front of many cameras, they all
  answer their pulls within a few milliseconds, and the wall lost frames of every stream at that moment
  (64 tiles: 98.0, 96.6, 96.9% shown with the pulls in the app, 99.5, 98.3, 97.4% with them in a helper
  at nice 10, alternating runs; ``docs/readme/wall-bench.md``).
- A camera's broken or hostile XML is parsed there. If the helper dies (memory exhausted, killed), the
  relay starts it again (after 1 s, then up to 10 s apart) and subscribes every camera again.

Messages, one JSON object per line. To the helper: ``{"op": "subscribe", "camera", "url", "user",
"password", "ttl_s", "pull_s"}``, ``{"op": "unsubscribe", "camera"}``, ``{"op": "shutdown"}``. From it:
``{"event": {CameraEvent fields}}``, ``{"stats": {camera: [subscriptions, renewals, delivered]}}``,
``{"log": [level, logger, message]}`` (already scrubbed; written to the app's log).
The password travels only through the pipe, never on a command line.
"""

from __future__ import annotations

import collections
import json
import logging
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from camdesk.logs import scrub
from camdesk.models.onvif import CameraEvent, EventKind
from camdesk.self_command import EVENT_HELPER, app_command

log = logging.getLogger(__name__)
RESTART_S = (1.0, 10.0)  # first restart after 1 s, doubling up to 10 s while it keeps dying
# A restarted helper gets the cameras again one at a time, as the desk logs them in at start: 64 logins at
# once parsed 64 sets of service descriptions together (323 MB at the peak).
REPLAY_PACE_S = 0.4


@dataclass
class _Wanted:
    url: str
    user: str
    password: str = field(repr=False)
    on_event: Callable[[CameraEvent], None]
    ttl_s: float
    pull_s: float

    def command(self, camera_id: int) -> dict[str, Any]:
        return {"op": "subscribe", "camera": camera_id, "url": self.url, "user": self.user,
                "password": self.password, "ttl_s": self.ttl_s, "pull_s": self.pull_s}


class EventRelay:
    """The app's side of the helper. Every method returns at once (a thread owns the process); the
    helper starts with the first subscription."""

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self._command = list(command) if command is not None else app_command(EVENT_HELPER)
        self._lock = threading.Lock()
        self._wanted: dict[int, _Wanted] = {}
        self._stats: dict[int, tuple[int, int, int]] = {}
        self._outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._closing = False
        self.pid: int | None = None  # the running helper's process id
        self.restarts = 0

    # --- the app's calls (any thread) --------------------------------------------------------------
    def subscribe(self, camera_id: int, url: str, user: str, password: str,
                  on_event: Callable[[CameraEvent], None], ttl_s: float = 60.0, pull_s: float = 2.0) -> None:
        """Pull the camera's events until :meth:`unsubscribe`; ``on_event`` runs on the relay's reading
        thread (hand the work to your own thread). Subscribing again replaces the subscription."""
        wanted = _Wanted(url, user, password, on_event, ttl_s, pull_s)
        with self._lock:
            if self._closing:
                return
            self._wanted[camera_id] = wanted
            self._stats.pop(camera_id, None)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="onvif-event-relay", daemon=True)
                self._thread.start()
        self._outbox.put(wanted.command(camera_id))

    def unsubscribe(self, camera_id: int) -> None:
        with self._lock:
            known = self._wanted.pop(camera_id, None) is not None
            self._stats.pop(camera_id, None)
        if known:
            self._outbox.put({"op": "unsubscribe", "camera": camera_id})

    def event_stats(self, camera_id: int) -> tuple[int, int, int]:
        """(subscriptions created, renewals, events delivered) of the camera's current subscription."""
        with self._lock:
            return self._stats.get(camera_id, (0, 0, 0))

    def shutdown(self, timeout: float = 8.0) -> None:
        """Unsubscribe every camera and end the helper; wait up to ``timeout`` for that (the relay kills a
        helper that has not exited 8 s after the request)."""
        self.close()
        self.join(timeout)

    def close(self) -> None:
        """Start the shutdown without waiting (see :meth:`join`)."""
        with self._lock:
            self._closing = True
        self._outbox.put({"op": "shutdown"})

    def join(self, timeout: float = 8.0) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout + 1.0)

    # --- the relay's thread: owns the process and writes its commands --------------------------------
    def _run(self) -> None:
        delay = RESTART_S[0]
        replay = False  # the first helper gets the commands queued so far; a later one what is wanted then
        while True:
            proc, backlog = self._start(replay)
            replay = True
            if proc is None:
                ended = self._wait_or_close(delay)
            else:
                started = time.monotonic()
                ended = self._feed(proc, backlog)
                if ended:
                    self._finish(proc)
                    return
                if time.monotonic() - started > 60:
                    delay = RESTART_S[0]  # it ran a while: a new failure, not the same one again
                log.warning("The ONVIF event helper stopped (exit code %s); starting it again in %.0f s",
                            proc.returncode, delay)
                ended = self._wait_or_close(delay)
            if ended:
                return
            delay = min(delay * 2, RESTART_S[1])
            with self._lock:
                self.restarts += 1

    def _start(self, replay: bool) -> tuple[subprocess.Popen[str] | None, collections.deque[dict[str, Any]]]:
        """Start a helper. A restarted one gets the cameras wanted now as a backlog, which ``_feed``
        hands it one per ``REPLAY_PACE_S``."""
        backlog: collections.deque[dict[str, Any]] = collections.deque()
        try:
            proc = subprocess.Popen(self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    text=True, encoding="utf-8", bufsize=1)
        except OSError as exc:
            log.error("The ONVIF event helper could not start: %s", exc)
            return None, backlog
        self.pid = proc.pid
        assert proc.stdout is not None
        threading.Thread(target=self._read, args=(proc.stdout,), name="onvif-event-relay-read", daemon=True).start()
        if not replay:
            return proc, backlog
        with self._lock:  # every camera wanted now; later changes follow through the outbox
            drained: list[dict[str, Any]] = []
            while True:
                try:
                    drained.append(self._outbox.get_nowait())
                except queue.Empty:
                    break
            backlog.extend(w.command(cid) for cid, w in self._wanted.items())
        if any(m.get("op") == "shutdown" for m in drained):
            backlog.clear()
            self._write(proc, {"op": "shutdown"})
        return proc, backlog

    def _feed(self, proc: subprocess.Popen[str], backlog: collections.deque[dict[str, Any]]) -> bool:
        """Write commands until the helper exits (False) or the app closes the relay (True); the
        backlog's one at a time, the app's as they come (a newer command for a camera replaces its
        entry in the backlog)."""
        next_replay = time.monotonic()
        while True:
            wait = max(0.0, next_replay - time.monotonic()) if backlog else 0.5
            try:
                message = self._outbox.get(timeout=wait)
            except queue.Empty:
                if proc.poll() is not None:
                    return self._is_closing()
                if backlog and time.monotonic() >= next_replay:
                    self._write(proc, backlog.popleft())
                    next_replay = time.monotonic() + REPLAY_PACE_S
                continue
            op = message.get("op")
            if op == "exited":
                if message.get("pid") == proc.pid:
                    proc.wait()
                    return self._is_closing()  # a shutdown may have gone to it from _start
                continue
            if "camera" in message:
                for stale in [m for m in backlog if m.get("camera") == message["camera"]]:
                    backlog.remove(stale)
            self._write(proc, message)
            if op == "shutdown":
                return True

    def _write(self, proc: subprocess.Popen[str], message: dict[str, Any]) -> None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
            proc.stdin.flush()
        except (OSError, ValueError):
            pass  # it died: the reading thread reports it

    def _finish(self, proc: subprocess.Popen[str]) -> None:
        """After ``shutdown``: the helper unsubscribes and exits by itself; kill it if it does not."""
        assert proc.stdin is not None
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(8.0)
        except subprocess.TimeoutExpired:
            log.warning("The ONVIF event helper did not stop; killing it")
            proc.kill()
            proc.wait()
        self.pid = None

    def _is_closing(self) -> bool:
        with self._lock:
            return self._closing

    def _wait_or_close(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the relay is closed meanwhile (True)."""
        if self._is_closing():
            return True
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                message = self._outbox.get(timeout=left)
            except queue.Empty:
                break
            if message.get("op") == "shutdown":
                return True
            # anything else is dropped: the next helper is sent what is wanted then
        return self._is_closing()

    # --- the reading thread: messages from the helper ------------------------------------------------
    def _read(self, stream: IO[str]) -> None:
        pid = self.pid
        for line in stream:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if "event" in message:
                self._deliver(message["event"])
            elif "stats" in message:
                with self._lock:
                    for cid, values in message["stats"].items():
                        if int(cid) in self._wanted:
                            self._stats[int(cid)] = (int(values[0]), int(values[1]), int(values[2]))
            elif "log" in message:
                level, name, text = message["log"]
                logging.getLogger(str(name)).log(int(level), "%s", scrub(str(text)))
        self._outbox.put({"op": "exited", "pid": pid})

    def _deliver(self, fields: dict[str, Any]) -> None:
        try:
            event = CameraEvent(
                camera_id=int(fields["camera_id"]), time=float(fields["time"]), kind=EventKind(fields["kind"]),
                topic=str(fields["topic"]), active=bool(fields["active"]), source=str(fields.get("source", "")),
                data=tuple((str(k), str(v)) for k, v in fields.get("data", ())),
            )
        except (KeyError, TypeError, ValueError):
            log.warning("an unreadable event from the ONVIF event helper was ignored")
            return
        with self._lock:
            wanted = self._wanted.get(event.camera_id)
        if wanted is not None:
            wanted.on_event(event)

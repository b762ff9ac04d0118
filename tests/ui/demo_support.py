"""Runs ``camdesk --demo`` as its own process (from source or a frozen build) until the 9 virtual cameras
are live, then quits it the way the desktop does (SIGTERM), and reports what happened."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import alive

DEMO_CAMERAS = 9


def children(pid: int) -> list[int]:
    """Child processes of ``pid``, started by any of its threads (each thread lists its own)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def _query(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return 0


@dataclass
class DemoRun:
    cameras: int = 0  # rows in the registry
    online: int = 0  # cameras whose video played (the status history the desk writes)
    subscribed: int = 0  # cameras whose events the helper pulls (its log lines come through the app's log)
    helpers: dict[int, list[str]] = field(default_factory=dict)  # child pid -> its command line
    exit_code: int | None = None
    survivors: list[int] = field(default_factory=list)  # children still alive 10 s after the app exited
    log: str = ""


def _read_log(data_dir: Path) -> str:
    log_file = data_dir / "logs" / "camdesk.log"
    try:
        return log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def run_demo_and_quit(cmd: list[str], data_dir: Path, cwd: Path, wait_s: float = 90) -> DemoRun:
    """Start ``cmd --demo --data-dir data_dir``, wait until every demo camera has played and is subscribed
    to for events (or ``wait_s`` passed), then send SIGTERM."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([*cmd, "--demo", "--data-dir", str(data_dir)], cwd=cwd, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run = DemoRun()
    db = data_dir / "camdesk.sqlite3"
    try:
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and min(run.online, run.subscribed) < DEMO_CAMERAS:
            time.sleep(0.5)
            assert app.poll() is None, "camdesk --demo exited early"
            run.helpers.update({pid: command_line(pid) for pid in children(app.pid) if pid not in run.helpers})
            run.cameras = _query(db, "SELECT count(*) FROM cameras")
            run.online = _query(db, "SELECT count(DISTINCT camera_id) FROM camera_status WHERE online = 1")
            run.subscribed = _read_log(data_dir).count("PullPoint at ")
        app.send_signal(signal.SIGTERM)  # the desktop asks the app to quit
        run.exit_code = app.wait(timeout=20)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in run.helpers) and time.monotonic() < deadline:
            time.sleep(0.1)
        run.survivors = [pid for pid in run.helpers if alive(pid)]
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(5)
        for pid in run.survivors:
            os.kill(pid, signal.SIGKILL)
    run.log = _read_log(data_dir)
    return run

"""Reliability: killing camdesk (SIGKILL) while it writes bookmarks loses none that were shown as saved."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from camdesk.store import Store

pytestmark = pytest.mark.timeout(90)

# The writer behaves like the wall: it hands drafts to the store, several in flight, and "shows" a bookmark
# (prints its id) only when its Future has resolved.
WRITER = r"""
import sys
from collections import deque
from pathlib import Path
from camdesk.models.camera import Camera
from camdesk.models.records import BookmarkDraft
from camdesk.store import Store

store = Store.open(Path(sys.argv[1]))
cam = store.save_camera(Camera(None, "Cổng chợ")).result(timeout=10)
print("ready", flush=True)
pending = deque()
i = 0
while True:
    while len(pending) < 8:
        draft = BookmarkDraft(cam.id, 1_767_225_600_000 + i, 1000, f"Dấu mốc {i}", "ghi chú " * 20,
                              ("thử",), snapshot_jpeg=b"\xff\xd8" + bytes(2000) + b"\xff\xd9")
        pending.append(store.add_bookmark(draft, "kill-test"))
        i += 1
    print(pending.popleft().result(timeout=10).id, flush=True)
"""


def test_every_bookmark_shown_as_saved_survives_a_kill(db_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    shown: list[int] = []
    deadline = time.monotonic() + 40
    try:
        assert proc.stdout.readline().strip() == "ready"
        while len(shown) < 300 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            shown.append(int(line))
    finally:
        proc.send_signal(signal.SIGKILL)  # mid-stream: more writes are in flight right now
        rest = proc.stdout.read()  # ids printed before the kill but not read yet were also "shown"
        proc.wait(timeout=10)
    shown += [int(x) for x in rest.split()]
    assert len(shown) >= 300, "the writer did not get far enough before the deadline"
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db_path)  # what a fresh start sees, WAL recovery included
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {r[0] for r in conn.execute("SELECT id FROM bookmarks")}
    conn.close()
    assert set(shown) <= stored
    with Store.open(db_path) as store:  # and the app opens it normally
        assert store.verify_audit().result(timeout=30).ok
        got = store.get_bookmarks(shown[-5:]).result(timeout=10)
        assert [b.id for b in got] == shown[-5:]

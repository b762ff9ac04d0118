#!/usr/bin/env python3
"""Regenerate the README's wall screenshots from the real app and the demo cameras, under Xvfb.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--lang vi]

Without a display it re-runs itself inside ``xvfb-run`` (1920x1080). It starts camdesk exactly as
``camdesk --demo`` does (temporary data directory), waits for the live 3x3 wall, then saves:
``wall-3x3.png`` (the demo wall), ``wall-maximized.png`` (one camera filling the wall on its main stream)
and ``wall-offline.png`` (a camera switched off through the simulator's fault API, shown as offline).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def wait(app: object, condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Run Qt's event loop until ``condition()`` holds; give up after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()  # type: ignore[attr-defined]
        if condition():
            return
        time.sleep(0.02)
    raise SystemExit(f"screenshots: timed out waiting for {what}")


def settle(app: object, seconds: float) -> None:
    """Let the wall paint for ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.02)


def fault(control_url: str, change: dict[str, object]) -> None:
    req = urllib.request.Request(control_url + "/fault", data=json.dumps(change).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as reply:
        reply.read()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and os.environ.get("CAMDESK_SCREENSHOTS_XVFB") != "1":
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            raise SystemExit("screenshots: needs a display or xvfb-run (apt install xvfb)")
        env = {**os.environ, "CAMDESK_SCREENSHOTS_XVFB": "1", "QT_QPA_PLATFORM": "xcb"}
        return subprocess.call([xvfb, "-a", "-s", "-screen 0 1920x1080x24", sys.executable, __file__, *argv], env=env)

    from camdesk.app import start
    from camdesk.models.stream import StreamQuality, StreamState

    args.out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="camdesk-shots-"))
    running = start(data, lang=args.lang, demo=True, log_level="WARNING")
    app, window = running.app, running.window
    window.resize(1600, 900)
    wall = window.wall
    try:
        def all_playing() -> bool:
            return len(wall.tiles) == 9 and all(
                t.has_picture() and t.status is not None and t.status.state == StreamState.PLAYING for t in wall.tiles
            )

        wait(app, all_playing, 90, "the 3x3 demo wall")
        window.stats_action.setChecked(False)
        wall.select(4)
        settle(app, 2.0)
        window.grab().save(str(args.out / "wall-3x3.png"))

        wall.maximize(1)
        tile = wall.tiles[1]
        wait(app, lambda: tile.frame is not None and tile.frame.quality == StreamQuality.MAIN, 30, "the main stream")
        window.stats_action.setChecked(True)
        settle(app, 2.5)
        window.grab().save(str(args.out / "wall-maximized.png"))
        window.stats_action.setChecked(False)
        wall.restore()

        assert running.demo is not None
        victim = wall.tiles[5]
        fault(running.demo.cameras[5]["control"], {"down": 600})
        wait(app, lambda: victim.status is not None and victim.status.state == StreamState.OFFLINE, 60,
             "the offline tile")
        wall.select(5)
        settle(app, 1.5)
        window.grab().save(str(args.out / "wall-offline.png"))
    finally:
        window.close()
        running.shutdown()
        shutil.rmtree(data, ignore_errors=True)
    for name in ("wall-3x3.png", "wall-maximized.png", "wall-offline.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The PyInstaller build (build.spec) runs: the frozen app opens the demo wall, starts its virtual cameras
and its event helper as itself (there is no ``python -m`` in a frozen build), plays all 9 cameras and
quits cleanly. Builds into a temporary folder; about a minute."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from camdesk.self_command import EVENT_HELPER, SIM
from camdesk.video.libyuv import system_copy
from tests.conftest import require, require_tool
from tests.ui.demo_support import DEMO_CAMERAS, run_demo_and_quit

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(importlib.util.find_spec("PyInstaller") is not None, "PyInstaller is not installed (a dev tool)")
    if sys.platform.startswith("linux"):
        require_tool("objdump")  # PyInstaller reads binaries with it (Debian: binutils)
    out = tmp_path_factory.mktemp("frozen")
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(out / "dist"), "--workpath", str(out / "work"), "build.spec"],
        cwd=ROOT, capture_output=True, text=True, timeout=480)
    assert build.returncode == 0, build.stderr[-4000:]
    exe = out / "dist" / "camdesk" / ("camdesk.exe" if os.name == "nt" else "camdesk")
    assert exe.is_file()
    return exe


def test_the_frozen_app_knows_its_version(frozen_app: Path) -> None:
    from camdesk import __version__

    done = subprocess.run([str(frozen_app), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"camdesk {__version__}"


@pytest.mark.skipif(not Path("/proc").exists(), reason="finds the child processes through /proc")
def test_the_frozen_demo_plays_every_camera_and_quits_cleanly(frozen_app: Path, tmp_path: Path) -> None:
    run = run_demo_and_quit([str(frozen_app)], tmp_path / "data", tmp_path)
    assert run.cameras == DEMO_CAMERAS
    assert run.online == DEMO_CAMERAS, "video did not play in every tile"  # PyAV's FFmpeg is in the bundle
    flags = sorted(cmd[1] for cmd in run.helpers.values() if cmd and Path(cmd[0]).resolve() == frozen_app.resolve())
    assert flags == [EVENT_HELPER, SIM], run.helpers  # the executable started itself: cameras, events
    assert run.subscribed == DEMO_CAMERAS  # events come through the helper (the WSDL files are bundled)
    assert run.exit_code == 0
    assert not run.survivors, "a child outlived the app"
    problems = [line for line in run.log.splitlines() if " WARNING " in line or " ERROR " in line]
    assert not problems, problems
    if system_copy() is not None or os.environ.get("CI") == "true":  # CI installs libyuv0: the bundle must carry it
        bundled = [line for line in run.log.splitlines() if "converting frames with libyuv" in line]
        assert bundled and str(frozen_app.parent) in bundled[0], run.log[-2000:]

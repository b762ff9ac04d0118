"""``camdesk --demo``: the simulator child starts, its 9 cameras land in the store in 3 residential groups,
a live 3x3 wall opens, and quitting the app stops the child."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from camdesk.models.stream import StreamState
from camdesk.self_command import EVENT_HELPER, SIM
from camdesk.ui.demo import PLACES, parse_camera_line
from camdesk.ui.i18n import install_translators
from tests.conftest import alive
from tests.ui.demo_support import DEMO_CAMERAS, run_demo_and_quit
from tests.ui.test_wall_helpers import sim

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]
ROOT = Path(__file__).resolve().parents[2]


def test_simulator_lines_are_understood() -> None:
    with sim(2, ptz=1) as cluster:
        lines = [parse_camera_line(c) for c in cluster.cameras]
    assert all(line is not None for line in lines)
    first = lines[0]
    assert first is not None
    assert first["main"].startswith("rtsp://127.0.0.1:") and first["main"].endswith("/cam0/main")
    assert first["sub"].endswith("/cam0/sub")
    assert first["onvif"].startswith("http://127.0.0.1:") and first["ptz"] is True
    assert "@" not in first["main"], "no credentials in stored addresses"
    assert parse_camera_line({"listening": True}) is None


@pytest.fixture
def app_running(qapp, data_dir: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from camdesk.app import start

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    running = start(data_dir, lang="vi", demo=True, log_level="INFO")
    yield running
    running.window.close()
    running.shutdown()
    # start() configures the whole process (logging, language, theme); give the next tests a clean one
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    install_translators(qapp, "en")
    qapp.setStyleSheet("")


def test_demo_opens_a_live_three_by_three_wall_in_vietnamese(qtbot, app_running, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    running = app_running
    window, wall = running.window, running.window.wall  # type: ignore[attr-defined]
    assert running.demo is not None and running.demo.running()  # type: ignore[attr-defined]

    def live_wall() -> None:
        assert len(wall.tiles) == 9
        assert all(t.has_picture() and t.status is not None and t.status.state == StreamState.PLAYING
                   for t in wall.tiles)

    qtbot.waitUntil(live_wall, timeout=90_000)
    layout = wall.current_layout()
    assert (layout.rows, layout.cols) == (3, 3)
    assert [t.camera.name for t in wall.tiles] == [p.name for p in PLACES]
    model = window.tree.model
    assert [model.item(r).text() for r in range(model.rowCount())] == [
        "Tổ dân phố 1 (3/3)", "Tổ dân phố 2 (3/3)", "Tổ dân phố 3 (3/3)"]
    assert window.menuBar().actions()[0].text() == "&Tệp"  # the Vietnamese UI
    cameras = running.context.catalog.cameras.values()  # type: ignore[attr-defined]
    assert sum(1 for c in cameras if c.ptz) == 2
    assert {c.address for c in cameras} == {p.address for p in PLACES}
    # the registry says whose camera each one is and when the owner agreed (the ward's programme)
    assert all(c.owner_name and c.consent_given_on and c.owner_phone for c in cameras)
    assert {c.owner_type.value for c in cameras} == {"household", "business", "ward"}
    # the password lives in the secret store, never in the database
    password = running.demo.password  # type: ignore[attr-defined]
    assert password.encode() not in (data_dir / "camdesk.sqlite3").read_bytes()
    pid = running.demo.pid()  # type: ignore[attr-defined]
    assert password.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()  # ps shows command lines to all
    running.shutdown()  # what quitting does (app.aboutToQuit)
    assert not alive(pid)


@pytest.mark.skipif(not Path("/proc").exists(), reason="finds the child processes through /proc")
def test_quitting_the_app_stops_the_demo_cameras_and_the_event_helper(data_dir: Path) -> None:
    run = run_demo_and_quit([sys.executable, "-m", "camdesk"], data_dir, ROOT)
    assert run.cameras == run.online == run.subscribed == DEMO_CAMERAS
    flags = sorted(cmd[3] for cmd in run.helpers.values() if cmd[1:3] == ["-m", "camdesk"])
    assert flags == [EVENT_HELPER, SIM], run.helpers  # the app started itself twice: cameras, events
    assert run.exit_code == 0
    assert not run.survivors, "a child outlived the app"
    problems = [line for line in run.log.splitlines() if " WARNING " in line or " ERROR " in line]
    assert not problems, problems


def test_a_random_password_starting_with_a_dash_still_starts_the_cameras() -> None:
    from camdesk.self_command import SIM_PASSWORD_ENV
    from camdesk.ui.demo import sim_command

    env = {**os.environ, SIM_PASSWORD_ENV: "-starts-with-dash"}
    proc = subprocess.Popen([*sim_command(cameras=1, ptz=0), "--no-discovery"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("{"), proc.stderr.read() if proc.stderr else ""
        assert "-starts-with-dash" not in line  # the password is never printed
        assert b"-starts-with-dash" not in Path(f"/proc/{proc.pid}/cmdline").read_bytes()  # nor on its command line
    finally:
        proc.terminate()
        proc.wait(timeout=10)

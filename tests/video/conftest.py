"""Fixtures for the engine's tests: generated clips (made once per session) and a supervisor that is
always shut down, with a check that no worker thread outlives it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from camdesk.video import EngineSettings, StreamSupervisor
from tests.video.helpers import Recorder, make_clip

FAST = EngineSettings(open_timeout_s=3.0, read_timeout_s=3.0, stall_timeout_s=1.5, offline_after_s=6.0,
                      auth_retry_s=30.0, pause_grace_s=0.5, min_switch_s=0.5)


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("clips")
    return {
        "h264": make_clip(d / "h264.mp4"),
        "h265": make_clip(d / "h265.mkv", codec="libx265"),
        "main": make_clip(d / "main.mp4", size=(1280, 720)),
        "sub": make_clip(d / "sub.mp4", size=(320, 180)),
    }


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_supervisor(recorder: Recorder) -> Iterator[type[StreamSupervisor]]:
    """``make_supervisor(settings=..., stamp_reader=...)``; every one is shut down after the test."""
    made: list[StreamSupervisor] = []

    def factory(settings: EngineSettings = FAST, **kwargs: object) -> StreamSupervisor:
        sup = StreamSupervisor(recorder, settings, **kwargs)  # type: ignore[arg-type]
        made.append(sup)
        return sup

    yield factory  # type: ignore[misc]
    for sup in made:
        sup.shutdown(timeout=3.0)
    left = [t.name for t in threading.enumerate() if t.name.startswith("camdesk-video")]
    assert not left, f"worker threads left behind: {left}"

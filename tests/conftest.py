"""Shared test setup.

* Qt runs offscreen; HOME and the XDG directories point into a temporary folder, so no test touches the
  real home directory or the user's camdesk data.
* ``require_tool("ffprobe")``: skips when a tool is missing, but fails under ``CI=true``, where the CI
  script has installed every tool.
* ``wait_until(condition, seconds)`` polls; ``alive(pid)`` tells a running process from a gone or zombie one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="camdesk-test-home-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["HOME"] = str(_SANDBOX)
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(_SANDBOX / _var.lower())
# No desktop keyring in tests: the secret store must use its encrypted-file fallback (or a test's own).
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ROOT = Path(__file__).resolve().parents[1]


def require_tool(name: str) -> str:
    """The path of an external tool; skip the test without it, fail in CI (where it must exist)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed"
        if IN_CI:
            pytest.fail(f"{message}, but CI must provide it (.ci/run)")
        pytest.skip(message)
    return path


def require(condition: bool, reason: str) -> None:
    """Skip unless ``condition``; fail in CI, where every prerequisite must be met."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (required in CI)")
        pytest.skip(reason)


def wait_until(condition: Callable[[], object], seconds: float) -> bool:
    """Poll ``condition`` every 50 ms for up to ``seconds``; whether it came true."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def alive(pid: int) -> bool:
    """The process exists and is not a zombie (Linux: /proc)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh camdesk data directory for one test."""
    d = tmp_path / "camdesk-data"
    d.mkdir()
    return d

"""The module boundaries of DESIGN.md hold, and breaking one fails the suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree, env=env, capture_output=True, text=True, timeout=300,
    )


def test_the_code_keeps_every_import_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "tree"
    dst.mkdir()
    shutil.copy(ROOT / "pyproject.toml", dst)
    shutil.copytree(ROOT / "camdesk", dst / "camdesk", ignore=shutil.ignore_patterns("__pycache__", "resources"))
    return dst


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("camdesk/video/_forbidden.py", "import PySide6.QtGui", "Only the UI, app and entry point import Qt"),
        ("camdesk/store/_forbidden.py", "import camdesk.video", "Layers"),
        ("camdesk/onvif/_forbidden.py", "from camdesk.store import Store", "Layers"),
        ("camdesk/store/_forbidden.py", "import av", "PyAV only in camdesk.video"),
        ("camdesk/video/_forbidden.py", "import zeep", "zeep only in camdesk.onvif"),
        ("camdesk/ui/_forbidden.py", "import camdesk.sim.spec", "Nothing in the app imports the simulator"),
        ("camdesk/models/_forbidden.py", "import camdesk.ui", "Layers"),
    ],
)
def test_an_import_across_a_boundary_fails(tree_copy: Path, module: str, line: str, contract: str) -> None:
    (tree_copy / module).write_text(f"{line}\n", encoding="utf-8")
    result = lint_imports(tree_copy)
    assert result.returncode != 0, result.stdout
    assert contract in result.stdout
    assert "BROKEN" in result.stdout

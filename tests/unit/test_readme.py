"""The README holds the current capability guides (docs/readme/*.md), stitched by tools/build_readme.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_is_built_from_the_current_guides() -> None:
    result = subprocess.run([sys.executable, "tools/build_readme.py", "--check"], cwd=ROOT, timeout=60)
    assert result.returncode == 0, "README.md is stale: run python tools/build_readme.py"


def test_quick_start_is_exactly_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["python3 dev.py demo", "python3 dev.py test"]

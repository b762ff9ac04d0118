#!/usr/bin/env python3
"""The quick start: ``python3 dev.py demo`` (virtual cameras plus the wall) and ``python3 dev.py test``.

Each command creates ``.venv`` and installs camdesk with its development tools on first use, and again
whenever ``pyproject.toml`` changes. Needs only Python 3.11 or newer. On Windows: ``py dev.py demo``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".camdesk-installed"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself may be run by an older Python
        sys.exit(f"camdesk needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    py = venv_python()
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if py.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return py
    if not py.exists():
        print("camdesk: creating the virtual environment in .venv ...", flush=True)
        try:
            venv.EnvBuilder(with_pip=True, upgrade_deps=False).create(VENV)
        except (subprocess.CalledProcessError, OSError) as exc:
            sys.exit(
                f"Could not create a virtual environment ({exc}).\n"
                "On Debian or Ubuntu install it first: sudo apt install python3-venv"
            )
    print("camdesk: installing camdesk and its tools (first run takes a few minutes) ...", flush=True)
    pip = [str(py), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)
    return py


def main(argv: list[str]) -> int:
    commands = {
        "demo": ["-m", "camdesk", "--demo"],
        "test": ["-m", "pytest"],
        "app": ["-m", "camdesk"],
        "sim": ["-m", "camdesk.sim"],
        "bench": [],
    }
    if not argv or argv[0] not in commands:
        print(__doc__)
        print("commands: " + ", ".join(commands) + "  (extra arguments are passed on)")
        return 2
    py = ensure_environment()
    cmd, rest = argv[0], argv[1:]
    args = [str(py), *commands[cmd], *rest]
    if cmd == "bench":
        if not rest:
            sys.exit("usage: python3 dev.py bench bench/engine.py [options]")
        args = [str(py), *rest]
    return subprocess.call(args, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

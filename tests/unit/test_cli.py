"""The command line: --version, --help, and a data directory that holds all state."""

from __future__ import annotations

import subprocess
import sys

from camdesk import __version__
from camdesk.__main__ import build_parser


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "camdesk", *args], capture_output=True, text=True, timeout=60)


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"camdesk {__version__}"


def test_help_lists_every_option() -> None:
    out = run("--help")
    assert out.returncode == 0
    for option in ("--data-dir", "--lang", "--demo", "--version"):
        assert option in out.stdout


def test_bad_language_is_refused_with_a_message() -> None:
    out = run("--lang", "fr")
    assert out.returncode == 2
    assert "invalid choice" in out.stderr


def test_parser_defaults() -> None:
    args = build_parser().parse_args(["--data-dir", "/tmp/x", "--lang", "vi", "--demo"])
    assert str(args.data_dir) == "/tmp/x" and args.lang == "vi" and args.demo is True

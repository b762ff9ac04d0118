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


def test_restore_command_brings_back_the_latest_backup(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from camdesk.models.camera import Camera
    from camdesk.paths import DataDir
    from camdesk.store import Store

    dirs = DataDir(tmp_path / "data").ensure()
    store = Store.open(dirs.database, backup_dir=dirs.backups)
    store.save_camera(Camera(None, "Cổng chợ")).result(timeout=10)
    store.backup_now().result(timeout=10)
    store.save_camera(Camera(None, "Added after the backup")).result(timeout=10)
    store.close()

    listed = run("--data-dir", str(dirs.root), "--list-backups")
    assert listed.returncode == 0 and "camdesk-backup-" in listed.stdout
    restored = run("--data-dir", str(dirs.root), "--restore-backup")
    assert restored.returncode == 0, restored.stderr
    assert "restored" in restored.stdout
    store = Store.open(dirs.database, backup_dir=dirs.backups)
    try:
        names = {c.name for c in store.list_cameras().result(timeout=10)}
    finally:
        store.close()
    assert names == {"Cổng chợ"}
    assert list(dirs.root.glob("camdesk.sqlite3.before-restore-*")), "the replaced database was not kept"


def test_restore_of_a_missing_file_fails_with_a_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = run("--data-dir", str(tmp_path), "--restore-backup", str(tmp_path / "nope.sqlite3"))
    assert out.returncode == 1
    assert "restore failed" in out.stderr

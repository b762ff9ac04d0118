"""Daily backups with rotation, and restoring the latest or a chosen one."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
import sqlite_utils

from camdesk.errors import DatabaseCorrupt
from camdesk.models.camera import Camera
from camdesk.store import Backups, Store
from camdesk.store.errors import BackupMissing

pytestmark = pytest.mark.timeout(60)


def _names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM cameras ORDER BY id")]
    finally:
        conn.close()


def _wait_for(predicate: object, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_backup_is_taken_at_start_and_when_a_day_has_passed(db_path: Path, data_dir: Path) -> None:
    backups_dir = data_dir / "backups"
    with Store.open(db_path, backup_dir=backups_dir, idle_check_s=0.05) as store:
        _wait_for(lambda: len(store.backups.files()) == 1 if store.backups else False)
        first = store.backups.files()[0] if store.backups else None
        assert first is not None
        store.save_camera(Camera(None, "Sau bản sao")).result(timeout=5)
        time.sleep(0.3)  # idle checks run, but a day has not passed: no new backup
        assert len(store.backups.files()) == 1 if store.backups else False
        day_old = time.time() - 25 * 3600
        os.utime(first, (day_old, day_old))
        _wait_for(lambda: len(store.backups.files()) == 2 if store.backups else False)
    newest = Backups(db_path, backups_dir).latest()
    assert newest is not None and _names(newest) == ["Sau bản sao"]


def test_rotation_keeps_the_newest_backups(store: Store, db_path: Path, data_dir: Path) -> None:
    backups = Backups(db_path, data_dir / "rotating", keep=3)
    def backup_on(day: int) -> Path:
        def job(db: sqlite_utils.Database) -> Path:
            return backups.create(db.conn, now_s=1_767_225_600 + day * 86_400)

        return store._read(job).result(timeout=5)

    made = [backup_on(day) for day in range(5)]
    assert backups.files() == list(reversed(made[2:]))
    assert not made[0].exists() and not made[1].exists()


def test_restore_latest_brings_back_the_data_and_keeps_the_current_file(store: Store, db_path: Path) -> None:
    store.save_camera(Camera(None, "Camera A")).result(timeout=5)
    store.backup_now().result(timeout=5)
    store.save_camera(Camera(None, "Camera B (sau sao lưu)")).result(timeout=5)
    backups = store.backups
    assert backups is not None
    store.close()
    restored = backups.restore_latest()
    assert _names(db_path) == ["Camera A"]
    kept = [p for p in db_path.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and _names(kept[0]) == ["Camera A", "Camera B (sau sao lưu)"]
    with Store.open(db_path) as reopened:
        assert [c.name for c in reopened.list_cameras().result(timeout=5)] == ["Camera A"]
    assert restored.exists()


def test_restore_replaces_a_damaged_database_and_skips_damaged_backups(store: Store, db_path: Path) -> None:
    store.save_camera(Camera(None, "Còn nguyên")).result(timeout=5)
    good = store.backup_now().result(timeout=5)
    bad = good.with_name("camdesk-backup-29991231-000000.sqlite3")  # newest by name, but garbage
    bad.write_bytes(b"garbage" * 1000)
    backups = store.backups
    assert backups is not None
    store.close()
    db_path.write_bytes(b"\x00garbage" * 500)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(DatabaseCorrupt):
        Store.open(db_path)
    with pytest.raises(DatabaseCorrupt):
        backups.restore(bad)
    assert backups.restore_latest() == good
    with Store.open(db_path) as reopened:
        assert [c.name for c in reopened.list_cameras().result(timeout=5)] == ["Còn nguyên"]


def test_restore_without_backups_says_so(db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupMissing):
        Backups(db_path, tmp_path / "none").restore_latest()

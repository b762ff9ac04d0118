"""Opening the database: a locked, damaged or too-new file gives a clear error, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from camdesk.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew
from camdesk.models.camera import Camera
from camdesk.models.records import BookmarkDraft
from camdesk.store import ReadOnlyStore, Store, migrations

pytestmark = pytest.mark.timeout(60)


def test_new_database_uses_wal_foreign_keys_and_full_sync(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.path.exists()
        pragmas = store._read(lambda db: (
            db.conn.execute("PRAGMA journal_mode").fetchone()[0],
            db.conn.execute("PRAGMA foreign_keys").fetchone()[0],
            db.conn.execute("PRAGMA synchronous").fetchone()[0],
            db.conn.execute("PRAGMA user_version").fetchone()[0],
        )).result(timeout=5)
    assert pragmas == ("wal", 1, 2, migrations.LATEST)


def test_database_locked_by_another_program_is_reported_as_locked(db_path: Path) -> None:
    Store.open(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked) as info:
            Store.open(db_path, open_timeout_ms=200)
        assert "in use" in info.value.user_message.english()
    finally:
        other.execute("ROLLBACK")
        other.close()
    Store.open(db_path).close()  # usable again once the other program lets go


def test_garbage_file_is_reported_as_corrupt(db_path: Path) -> None:
    db_path.write_bytes(b"this is not a database, just garbage bytes " * 200)
    with pytest.raises(DatabaseCorrupt):
        Store.open(db_path)


def test_damaged_pages_are_detected_at_open(db_path: Path, camera_rows: int = 300) -> None:
    with Store.open(db_path) as store:
        cam = store.save_camera(Camera(None, "Cam")).result(timeout=5)
        for i in range(camera_rows):
            store.add_bookmark(BookmarkDraft(cam.id or 0, i, title=f"bookmark {i} " * 20), "t").result(timeout=5)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 12), page):  # scribble over b-tree pages
        data[offset:offset + 64] = b"\xff" * 64
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt):
        Store.open(db_path)


def test_database_from_a_newer_camdesk_is_refused_but_opens_read_only(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseTooNew) as info:
        Store.open(db_path)
    assert str(migrations.LATEST + 1) in str(info.value)
    with Store.open(db_path, read_only=True) as store:
        assert store.list_categories().result(timeout=5)
        with pytest.raises(ReadOnlyStore):
            store.save_camera(Camera(None, "x")).result(timeout=5)


def test_migrating_takes_a_backup_first(db_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(db_path) as store:
        store.save_camera(Camera(None, "Trước nâng cấp")).result(timeout=5)

    def v2(db: object) -> None:
        db.conn.execute("CREATE TABLE extra (x INTEGER)")  # type: ignore[attr-defined]

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, v2))
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    with Store.open(db_path, backup_dir=data_dir / "backups") as store:
        backup = store.migration_backup
        assert store._read(lambda db: db.conn.execute("PRAGMA user_version").fetchone()[0]).result(timeout=5) == 2
    assert backup is not None and backup.exists()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT name FROM cameras").fetchall() == [("Trước nâng cấp",)]
    old.close()

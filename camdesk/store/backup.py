"""Backups with the SQLite backup API (consistent while the store keeps writing), rotation and restore.

The store thread takes a backup when the newest one is older than a day (checked at start and when idle);
``keep`` newest files are kept. Restoring replaces the database file while no store has it open.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from camdesk.errors import DatabaseCorrupt, StorageError
from camdesk.store.errors import BackupMissing

log = logging.getLogger(__name__)
DAY_S = 24 * 3600
PREFIX = "camdesk-backup-"


@dataclass(frozen=True)
class Backups:
    """The backups of ``database`` kept in ``directory``."""

    database: Path
    directory: Path
    keep: int = 7

    def files(self) -> list[Path]:
        """Daily backups, newest first (by the UTC time in the name, then modification time)."""
        if not self.directory.is_dir():
            return []
        files = [p for p in self.directory.glob(f"{PREFIX}*.sqlite3") if p.is_file()]
        return sorted(files, key=_order, reverse=True)

    def latest(self) -> Path | None:
        files = self.files()
        return files[0] if files else None

    def due(self, now_s: float | None = None) -> bool:
        latest = self.latest()
        now = time.time() if now_s is None else now_s
        return latest is None or now - latest.stat().st_mtime >= DAY_S

    def create(self, conn: sqlite3.Connection, now_s: float | None = None) -> Path:
        """Copy the open database ``conn`` into a new backup file, then rotate. Runs on the store thread."""
        self.directory.mkdir(parents=True, exist_ok=True)
        now = time.time() if now_s is None else now_s
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
        target = self.directory / f"{PREFIX}{stamp}.sqlite3"
        n = 1
        while target.exists():
            target = self.directory / f"{PREFIX}{stamp}-{n}.sqlite3"
            n += 1
        partial = target.with_suffix(".partial")
        try:
            dest = sqlite3.connect(partial)
            try:
                conn.backup(dest)
            finally:
                dest.close()
            partial.replace(target)  # a backup file exists only once complete
        except sqlite3.Error as exc:
            partial.unlink(missing_ok=True)
            raise StorageError(f"backup failed: {exc}") from exc
        self.rotate()
        log.info("Database backed up to %s", target.name)
        return target

    def create_from_file(self, now_s: float | None = None) -> Path:
        """Like :meth:`create`, through a connection of its own (a WAL read snapshot): the store thread keeps
        serving while a large database is copied. Runs on the caller's (a backup worker's) thread."""
        try:
            conn = sqlite3.connect(self.database, timeout=30)
        except sqlite3.Error as exc:
            raise StorageError(f"backup failed: {exc}") from exc
        try:
            return self.create(conn, now_s)
        finally:
            conn.close()

    def rotate(self) -> list[Path]:
        """Delete all but the ``keep`` newest backups; returns the deleted files."""
        old = self.files()[self.keep:]
        for path in old:
            path.unlink(missing_ok=True)
        return old

    def restore(self, backup: Path) -> Path:
        """Replace the database with ``backup`` (checked first). The current file is kept beside it as
        ``<name>.before-restore-<time>`` so a restore can itself be undone. No store may have it open."""
        if not backup.is_file():
            raise BackupMissing(backup.name)
        check_file(backup)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        if self.database.exists():
            keep = self.database.with_name(f"{self.database.name}.before-restore-{stamp}")
            src = sqlite3.connect(self.database)
            try:
                dest = sqlite3.connect(keep)
                try:
                    src.backup(dest)
                finally:
                    dest.close()
            except sqlite3.Error:
                log.warning("Could not copy the damaged database aside; moving the file instead")
                src.close()
                self.database.replace(keep)
            else:
                src.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        self.database.unlink(missing_ok=True)
        src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(self.database)
            try:
                src.backup(dest)
            finally:
                dest.close()
        finally:
            src.close()
        log.info("Database restored from %s", backup.name)
        return backup

    def restore_latest(self) -> Path:
        """Restore the newest backup that passes an integrity check; returns it."""
        for backup in self.files():
            try:
                return self.restore(backup)
            except DatabaseCorrupt:
                log.warning("Backup %s is damaged; trying an older one", backup.name)
        raise BackupMissing(str(self.directory))


def _order(path: Path) -> tuple[str, int]:
    """Sort key: the UTC stamp in the name, then the counter added when two backups share a second."""
    parts = path.name[len(PREFIX):].removesuffix(".sqlite3").split("-")
    counter = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
    return "-".join(parts[:2]), counter


def check_file(path: Path) -> None:
    """Raise DatabaseCorrupt unless ``path`` is a SQLite database passing ``PRAGMA quick_check``."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(f"{path.name}: {exc}") from exc
    if result != "ok":
        raise DatabaseCorrupt(f"{path.name}: {result}")


class BackupWorker:
    """Runs backups one after another on a thread of its own (each with its own connection).

    Every ``start`` makes a new backup taken after the call; ``start_if_due`` skips when a backup is already
    queued or the newest one is less than a day old.
    """

    def __init__(self, backups: Backups) -> None:
        self.backups = backups
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="camdesk-backup")
        self._queued: Future[Path] | None = None

    def start(self) -> Future[Path]:
        future = self._executor.submit(self._run)
        self._queued = future
        return future

    def start_if_due(self) -> Future[Path] | None:
        if self._queued is not None and not self._queued.done():
            return None
        return self.start() if self.backups.due() else None

    def close(self) -> None:
        """Wait for a backup in progress, then stop the thread."""
        self._executor.shutdown(wait=True)

    def _run(self) -> Path:
        try:
            return self.backups.create_from_file()
        except StorageError as exc:
            log.warning("Backup failed: %s", exc)
            raise

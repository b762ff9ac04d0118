"""The Store: one SQLite file, one thread that owns it, and Futures for everyone else.

Every data method returns a ``concurrent.futures.Future`` completed on the store thread; writes complete
only after COMMIT. Callbacks added with ``Future.add_done_callback`` therefore run on the store thread:
the UI must hand them to the GUI thread (camdesk.ui.bridge) and never call ``result()`` on the GUI thread.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from camdesk.errors import DatabaseCorrupt, StorageError
from camdesk.models.camera import Area, Camera
from camdesk.models.layout import Layout
from camdesk.models.records import (
    AuditEntry,
    AuditVerdict,
    Bookmark,
    BookmarkDraft,
    CsvImportResult,
    CsvPreview,
    Incident,
    IncidentDraft,
    IncidentNote,
    IncidentStatus,
    SearchHit,
    SearchQuery,
    UptimeRow,
)
from camdesk.store import (
    areas,
    audit,
    bookmarks,
    cameras,
    incidents,
    layouts,
    maintenance,
    migrations,
    registry_csv,
    search,
    status,
)
from camdesk.store.backup import Backups, BackupWorker
from camdesk.store.db import StoreThread, connect, translate_error

log = logging.getLogger(__name__)
T = TypeVar("T")


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class Store:
    """The local database. Create with :meth:`Store.open`; call :meth:`close` at exit."""

    def __init__(
        self, thread: StoreThread, path: Path, *, read_only: bool, backups: Backups | None,
        clock: Callable[[], int], migration_backup: Path | None,
    ) -> None:
        self._thread = thread
        self.path = path
        self.read_only = read_only
        self.backups = backups
        self._clock = clock
        self.migration_backup = migration_backup  # the copy taken before migrating at this open, if any
        self._backup_worker: BackupWorker | None = None

    # --- lifecycle ---------------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        backup_dir: Path | None = None,
        backup_keep: int = 7,
        synchronous: str = "FULL",
        busy_timeout_ms: int = 5000,
        open_timeout_ms: int = 2000,
        clock: Callable[[], int] = now_ms,
        idle_check_s: float = 600.0,
        maintenance_idle_s: float = 0.5,
    ) -> Store:
        """Open or create the database at ``path`` and bring its schema up to date (backing it up first).

        Raises DatabaseLocked (another program holds it), DatabaseCorrupt (not a database, or
        ``PRAGMA quick_check`` fails), DatabaseTooNew (made by a newer camdesk), StorageError otherwise.
        ``read_only`` opens with ``mode=ro`` (no migration, no backups; a damaged file is opened anyway so
        that what can be read is readable). With ``backup_dir``, a backup is taken when the newest there
        is a day old (checked at start, then every ``idle_check_s``), on a thread and connection of its own,
        keeping ``backup_keep``.
        After ``maintenance_idle_s`` without requests the store thread merges the search index and
        checkpoints the WAL in small steps (maintenance.py).
        Blocks for the checks: call it at start-up, before the GUI shows, or from a worker.
        """
        if synchronous.upper() not in ("FULL", "NORMAL", "EXTRA"):
            raise ValueError(f"synchronous must be FULL, NORMAL or EXTRA, not {synchronous}")
        if read_only and not path.exists():
            raise StorageError(f"{path.name}: no such database")
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        db = connect(path, read_only=read_only, busy_timeout_ms=open_timeout_ms, synchronous=synchronous.upper())
        try:
            backup = cls._prepare(db, path, read_only=read_only, backup_dir=backup_dir)
            db.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        except sqlite3.Error as exc:
            db.conn.close()
            raise translate_error(exc, path) from exc
        except BaseException:
            db.conn.close()
            raise
        backups = None if backup_dir is None or read_only else Backups(path, backup_dir, backup_keep)
        worker = None if backups is None else BackupWorker(backups)

        def idle(_db: sqlite_utils.Database) -> None:
            if worker is not None:
                worker.start_if_due()

        thread = StoreThread(db, path, read_only=read_only, on_idle=idle, idle_s=idle_check_s,
                             on_tick=maintenance.Maintenance(), tick_s=maintenance_idle_s)
        store = cls(thread, path, read_only=read_only, backups=backups, clock=clock, migration_backup=backup)
        store._backup_worker = worker
        if worker is not None:
            worker.start_if_due()  # the daily backup, on its own thread and connection
        return store

    @staticmethod
    def _prepare(db: sqlite_utils.Database, path: Path, *, read_only: bool, backup_dir: Path | None) -> Path | None:
        result = str(db.conn.execute("PRAGMA quick_check").fetchone()[0])
        if result != "ok":
            if not read_only:
                raise DatabaseCorrupt(f"{path.name}: {result[:200]}")
            log.warning("Database %s is damaged (%s); opened read-only", path.name, result[:200])
        if read_only:
            version = migrations.schema_version(db)  # a newer schema is readable: the UI offers exactly that
            if version < migrations.LATEST:
                raise StorageError(f"{path.name}: schema {version} needs upgrading; open it normally once")
            return None
        return migrations.migrate(db, path, backup_dir)

    def close(self) -> None:
        """Finish queued work (and a backup in progress) and close the database. Blocks until done."""
        self._thread.close()
        if self._backup_worker is not None:
            self._backup_worker.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, fn: Callable[[sqlite_utils.Database], T]) -> Future[T]:
        return self._thread.read(fn)

    def _write(self, fn: Callable[[sqlite_utils.Database, int], T]) -> Future[T]:
        return self._thread.write(lambda db: fn(db, self._clock()))

    # --- residential groups and cameras -----------------------------------------------------------
    def list_areas(self) -> Future[list[Area]]:
        return self._read(areas.list_areas)

    def save_area(self, area: Area) -> Future[Area]:
        """Insert (``id`` None) or update; FieldInvalid("name") for an empty or duplicate name."""
        return self._write(lambda db, _now: areas.save_area(db, area))

    def list_cameras(self) -> Future[list[Camera]]:
        return self._read(cameras.list_cameras)

    def get_camera(self, camera_id: int) -> Future[Camera]:
        return self._read(lambda db: cameras.get_camera(db, camera_id))

    def save_camera(self, camera: Camera, actor: str = "") -> Future[Camera]:
        """Validate (FieldInvalid naming the field), then insert or update; audited."""
        return self._write(lambda db, now: cameras.save_camera(db, camera, actor, now))

    def delete_camera(self, camera_id: int, actor: str = "") -> Future[None]:
        """Delete a camera without bookmarks (FieldInvalid("id") otherwise: disable it instead); audited.
        Its password is in the SecretStore: the caller removes it there too."""
        return self._write(lambda db, now: cameras.delete_camera(db, camera_id, actor, now))

    def record_camera_status(self, camera_id: int, online: bool, at_ms: int) -> Future[None]:
        """Note that a camera went online/offline at ``at_ms``; repeated states are not stored."""
        return self._write(lambda db, _now: None if status.record(db, camera_id, online, at_ms) else None)

    def uptime(self, from_ms: int, to_ms: int) -> Future[list[UptimeRow]]:
        """Per camera, then per residential group: online/offline/unknown time in [from_ms, to_ms)."""
        return self._read(lambda db: status.uptime(db, from_ms, to_ms))

    # --- layouts ----------------------------------------------------------------------------------
    def list_layouts(self) -> Future[list[Layout]]:
        return self._read(layouts.list_layouts)

    def save_layout(self, layout: Layout) -> Future[Layout]:
        """Insert (``id`` None) or replace; FieldInvalid("name") for a duplicate name."""
        return self._write(lambda db, _now: layouts.save_layout(db, layout))

    def delete_layout(self, layout_id: int) -> Future[None]:
        return self._write(lambda db, _now: layouts.delete_layout(db, layout_id))

    def import_layouts(self, items: Sequence[Layout]) -> Future[list[Layout]]:
        """Take over layouts from an old settings file once; names already present are skipped."""
        return self._write(lambda db, _now: layouts.import_layouts(db, list(items)))

    # --- bookmarks --------------------------------------------------------------------------------
    def add_bookmark(self, draft: BookmarkDraft, actor: str) -> Future[Bookmark]:
        """Save a bookmark; the Future resolves with the saved record after COMMIT (show it as saved then)."""
        return self._write(lambda db, now: bookmarks.add(db, draft, actor, now))

    def update_bookmark(self, bookmark_id: int, draft: BookmarkDraft, actor: str) -> Future[Bookmark]:
        return self._write(lambda db, now: bookmarks.update(db, bookmark_id, draft, actor, now))

    def delete_bookmark(self, bookmark_id: int, actor: str) -> Future[None]:
        """Delete a bookmark (and its incident links); audited with its title and time."""
        return self._write(lambda db, now: bookmarks.delete(db, bookmark_id, actor, now))

    def get_bookmarks(self, ids: Sequence[int]) -> Future[list[Bookmark]]:
        """Full bookmarks (with thumbnails) in the order of ``ids``; unknown ids are left out."""
        return self._read(lambda db: bookmarks.get(db, list(ids)))

    def search(self, query: SearchQuery) -> Future[list[SearchHit]]:
        """Bookmarks and incidents matching ``query`` (see SearchQuery), newest first."""
        return self._read(lambda db: search.search(db, query))

    # --- incidents --------------------------------------------------------------------------------
    def list_categories(self) -> Future[list[str]]:
        return self._read(incidents.list_categories)

    def add_category(self, name: str) -> Future[list[str]]:
        return self._write(lambda db, _now: incidents.add_category(db, name))

    def create_incident(self, draft: IncidentDraft, bookmark_ids: Sequence[int], actor: str) -> Future[Incident]:
        """Open an incident with the year's next case number (VV-2026-0001), linked to the bookmarks."""
        return self._write(lambda db, now: incidents.create(db, draft, list(bookmark_ids), actor, now))

    def update_incident(self, incident_id: int, draft: IncidentDraft, actor: str) -> Future[Incident]:
        return self._write(lambda db, now: incidents.update(db, incident_id, draft, actor, now))

    def get_incident(self, incident_id: int) -> Future[Incident]:
        return self._read(lambda db: incidents.get(db, incident_id))

    def list_incidents(self, statuses: Sequence[IncidentStatus] = (), limit: int = 500) -> Future[list[Incident]]:
        return self._read(lambda db: incidents.list_incidents(db, list(statuses), limit))

    def add_incident_note(self, incident_id: int, text: str, actor: str) -> Future[IncidentNote]:
        """Append a note; notes are never edited (a correction is a new note)."""
        return self._write(lambda db, now: incidents.add_note(db, incident_id, text, actor, now))

    def set_incident_status(self, incident_id: int, new_status: IncidentStatus, actor: str) -> Future[Incident]:
        return self._write(lambda db, now: incidents.set_status(db, incident_id, new_status, actor, now))

    def link_bookmarks(self, incident_id: int, bookmark_ids: Sequence[int], actor: str) -> Future[Incident]:
        return self._write(lambda db, now: incidents.link(db, incident_id, list(bookmark_ids), actor, now))

    def unlink_bookmarks(self, incident_id: int, bookmark_ids: Sequence[int], actor: str) -> Future[Incident]:
        return self._write(lambda db, now: incidents.unlink(db, incident_id, list(bookmark_ids), actor, now))

    def incidents_of_bookmark(self, bookmark_id: int) -> Future[list[str]]:
        """Case numbers of the incidents a bookmark belongs to."""
        return self._read(lambda db: incidents.for_bookmark(db, bookmark_id))

    # --- audit ------------------------------------------------------------------------------------
    def audit(self, actor: str, action: str, object: str, details: str = "") -> Future[None]:
        """Append an entry to the hash-chained audit log (e.g. "export", "ptz.move", "login")."""
        return self._write(lambda db, now: None if audit.append(db, now, actor, action, object, details) else None)

    def audit_entries(self, after_id: int = 0, limit: int = 1000) -> Future[list[AuditEntry]]:
        return self._read(lambda db: audit.entries(db, after_id=after_id, limit=limit))

    def verify_audit(self) -> Future[AuditVerdict]:
        """Recompute the audit chain; the verdict names the first altered or missing row."""
        return self._read(audit.verify)

    # --- registry CSV -----------------------------------------------------------------------------
    def export_registry_csv(self, path: Path, actor: str = "") -> Future[int]:
        """Write the registry as CSV (no credentials); audited; returns the number of cameras."""
        def job(db: sqlite_utils.Database, now: int) -> int:
            count = registry_csv.export(db, path)
            audit.append(db, now, actor, "registry.export", path.name, f"cameras:{count}")
            return count

        return self._write(job)

    def preview_registry_csv(self, path: Path) -> Future[CsvPreview]:
        """Parse and validate a CSV; writes nothing. Show ``rows`` and ``errors`` to the officer."""
        return self._read(lambda db: registry_csv.preview(db, path))

    def apply_registry_csv(self, preview: CsvPreview, actor: str) -> Future[CsvImportResult]:
        """Write the valid rows of a confirmed preview in one transaction (rows with errors are skipped)."""
        return self._write(lambda db, now: registry_csv.apply(db, preview, actor, now))

    # --- backups and checks -----------------------------------------------------------------------
    def backup_now(self) -> Future[Path]:
        """Take a backup now (then rotate), on a backup thread with its own connection, so the store keeps
        serving meanwhile. Needs ``backup_dir`` at open."""
        if self._backup_worker is None:
            future: Future[Path] = Future()
            future.set_exception(StorageError("no backup directory was given"))
            return future
        return self._backup_worker.start()

    def integrity_check(self) -> Future[str]:
        """``PRAGMA integrity_check`` ("ok" when healthy). Slow on large databases: run it on demand."""
        return self._read(lambda db: "\n".join(str(r[0]) for r in db.conn.execute("PRAGMA integrity_check")))

"""Versioned schema migrations, tracked in ``PRAGMA user_version``.

``MIGRATIONS[i]`` brings a database from version ``i`` to ``i + 1``, each in its own transaction. Before
migrating a database that already holds data, a copy is taken with the SQLite backup API. A database
whose version is newer than ``LATEST`` is refused with :class:`camdesk.errors.DatabaseTooNew` (an older
camdesk must not guess at a newer schema).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from camdesk.errors import DatabaseTooNew, StorageError

log = logging.getLogger(__name__)

# Seeded incident categories (editable later with Store.add_category).
DEFAULT_CATEGORIES = (
    "trộm cắp",
    "cướp giật",
    "ma túy",
    "gây rối trật tự công cộng",
    "đánh nhau",
    "tai nạn giao thông",
    "cháy nổ",
    "khác",
)

_V1 = """
CREATE TABLE areas (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE cameras (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    area_id INTEGER REFERENCES areas(id) ON DELETE SET NULL,
    address TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    owner_name TEXT NOT NULL DEFAULT '',
    owner_type TEXT NOT NULL DEFAULT 'household' CHECK (owner_type IN ('household', 'business', 'ward')),
    owner_phone TEXT NOT NULL DEFAULT '',
    consent_given_on TEXT NOT NULL DEFAULT '',
    consent_scope TEXT NOT NULL DEFAULT '',
    consent_expires TEXT NOT NULL DEFAULT '',
    installed_on TEXT NOT NULL DEFAULT '',
    onvif_url TEXT NOT NULL DEFAULT '',
    username TEXT NOT NULL DEFAULT '',
    snapshot_uri TEXT NOT NULL DEFAULT '',
    main_stream TEXT,
    sub_stream TEXT,
    ptz INTEGER NOT NULL DEFAULT 0,
    ptz_profile_token TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 1,
    tags TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX cameras_area ON cameras(area_id);

CREATE TABLE layouts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    rows INTEGER NOT NULL CHECK (rows BETWEEN 1 AND 16),
    cols INTEGER NOT NULL CHECK (cols BETWEEN 1 AND 16)
);
CREATE TABLE layout_items (
    layout_id INTEGER NOT NULL REFERENCES layouts(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    row INTEGER NOT NULL,
    col INTEGER NOT NULL,
    row_span INTEGER NOT NULL DEFAULT 1,
    col_span INTEGER NOT NULL DEFAULT 1,
    camera_id INTEGER REFERENCES cameras(id) ON DELETE SET NULL,
    PRIMARY KEY (layout_id, idx)
) WITHOUT ROWID;
CREATE INDEX layout_items_camera ON layout_items(camera_id);

CREATE TABLE bookmarks (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES cameras(id) ON DELETE RESTRICT,
    start_ms INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
    title TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL DEFAULT 'medium',
    author TEXT NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL,
    snapshot BLOB
);
CREATE INDEX bookmarks_camera ON bookmarks(camera_id);
CREATE INDEX bookmarks_start ON bookmarks(start_ms);
CREATE TABLE bookmark_tags (
    bookmark_id INTEGER NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    folded TEXT NOT NULL,
    PRIMARY KEY (bookmark_id, tag)
) WITHOUT ROWID;
-- No index on "folded": tag filters go through bookmark_fts (tags column) and then check this table by
-- bookmark id, so each insert writes one page fewer.

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'closed')),
    severity TEXT NOT NULL DEFAULT 'medium',
    officer TEXT NOT NULL DEFAULT '',
    occurred_ms INTEGER,
    place TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_ms INTEGER NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    UNIQUE (year, seq)
);
CREATE INDEX incidents_status ON incidents(status);
CREATE INDEX incidents_category ON incidents(category);
CREATE TABLE incident_notes (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE RESTRICT,
    author TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX incident_notes_incident ON incident_notes(incident_id, id);
CREATE TRIGGER incident_notes_no_update BEFORE UPDATE ON incident_notes
BEGIN SELECT RAISE(ABORT, 'incident notes are append-only'); END;
CREATE TRIGGER incident_notes_no_delete BEFORE DELETE ON incident_notes
BEGIN SELECT RAISE(ABORT, 'incident notes are append-only'); END;
CREATE TABLE incident_bookmarks (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    bookmark_id INTEGER NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, bookmark_id)
) WITHOUT ROWID;
CREATE INDEX incident_bookmarks_bookmark ON incident_bookmarks(bookmark_id, incident_id);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE audit_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    last_id INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);

CREATE TABLE camera_status (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
    at_ms INTEGER NOT NULL,
    online INTEGER NOT NULL
);
CREATE INDEX camera_status_camera_at ON camera_status(camera_id, at_ms);

-- Full-text search over folded text (see camdesk/store/fold.py). Contentless: the documents live in
-- bookmarks/incidents; the store deletes the old folded values and inserts the new ones in the same
-- transaction as every change. Prefix indexes of 1 to 3 characters keep "t*"/"tr*"-style queries fast.
-- bookmark_fts.scope holds filter tokens ("c<camera id>", "m<yyyymm>" of the start in Vietnam time) so
-- camera, area and time filters narrow the index walk instead of being checked row by row afterwards.
CREATE VIRTUAL TABLE bookmark_fts USING fts5(
    title, note, tags, scope, content='', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
CREATE VIRTUAL TABLE incident_fts USING fts5(
    case_number, title, description, notes, content='', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
"""


def _v1(db: sqlite_utils.Database) -> None:
    """The first schema: registry, layouts, bookmarks, incidents, audit, status history, search."""
    for statement in _split(_V1):
        db.conn.execute(statement)
    for table in ("bookmark_fts", "incident_fts"):
        # FTS5 merges index segments while committing by default, which put 10-200 ms spikes on single
        # bookmark inserts (bench/store.py). Merging moves to the store thread's idle time
        # (maintenance.merge_search_index); a crisis merge still bounds the segment count when never idle.
        db.conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 0)")
        db.conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('crisismerge', 64)")
    db.table("categories").insert_all([{"name": name} for name in DEFAULT_CATEGORIES])


def _split(script: str) -> list[str]:
    """Statements of ``script`` (``executescript`` would COMMIT our transaction)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (_v1,)
LATEST = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def check_version(db: sqlite_utils.Database, path: Path) -> int:
    """The database's schema version; raises DatabaseTooNew if this camdesk does not know it."""
    version = schema_version(db)
    if version > LATEST:
        raise DatabaseTooNew(f"{path.name}: schema {version}, this camdesk knows up to {LATEST}")
    return version


def migrate(db: sqlite_utils.Database, path: Path, backup_dir: Path | None) -> Path | None:
    """Bring ``db`` to ``LATEST``; returns the backup taken first (None for a new, empty database)."""
    version = check_version(db, path)
    if version == LATEST:
        return None
    backup: Path | None = None
    if version > 0:
        backup = _backup_before(db, path, backup_dir or path.parent, version)
    for target in range(version + 1, LATEST + 1):
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[target - 1](db)
            conn.execute(f"PRAGMA user_version = {target}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        log.info("Database %s migrated to schema %d", path.name, target)
    return backup


def _backup_before(db: sqlite_utils.Database, path: Path, backup_dir: Path, version: int) -> Path:
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    target = backup_dir / f"{path.stem}-before-v{LATEST}-from-v{version}-{stamp}.sqlite3"
    try:
        dest = sqlite3.connect(target)
        try:
            db.conn.backup(dest)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise StorageError(f"backup before migrating failed: {exc}") from exc
    log.info("Backed up %s to %s before migrating", path.name, target)
    return target

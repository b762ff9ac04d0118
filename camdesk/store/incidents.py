"""Incidents (vụ việc): case numbers per year, append-only notes, links to bookmarks, categories.

The search document of an incident (``incident_fts``, contentless) holds its case number, title,
description and all its notes, folded; every change replaces it in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from camdesk.i18n import QT_TRANSLATE_NOOP
from camdesk.models.records import Incident, IncidentDraft, IncidentNote, IncidentStatus, Severity
from camdesk.store import audit
from camdesk.store.errors import FieldInvalid, NotFound
from camdesk.store.fold import fold

# Case years follow the ward's calendar: Vietnam is UTC+7 all year (no daylight saving time).
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def case_year(at_ms: int) -> int:
    return dt.datetime.fromtimestamp(at_ms / 1000, VIETNAM).year


def list_categories(db: sqlite_utils.Database) -> list[str]:
    return [str(r[0]) for r in db.conn.execute("SELECT name FROM categories ORDER BY id")]


def add_category(db: sqlite_utils.Database, name: str) -> list[str]:
    """Add a category (no-op if it exists, compared case-insensitively); returns the new list."""
    name = " ".join(name.split())
    if not name:
        raise FieldInvalid("category", QT_TRANSLATE_NOOP("Store", "The category needs a name."))
    if fold(name) not in {fold(c) for c in list_categories(db)}:
        db.conn.execute("INSERT INTO categories (name) VALUES (?)", (name,))
    return list_categories(db)


def _doc(db: sqlite_utils.Database, incident_id: int) -> tuple[str, str, str, str] | None:
    row = db.conn.execute(
        "SELECT case_number, title, description FROM incidents WHERE id = ?", (incident_id,)
    ).fetchone()
    if row is None:
        return None
    notes = " ".join(
        str(r[0]) for r in db.conn.execute(
            "SELECT text FROM incident_notes WHERE incident_id = ? ORDER BY id", (incident_id,)
        )
    )
    return fold(row[0]), fold(row[1]), fold(row[2]), fold(notes)


def _unindex(db: sqlite_utils.Database, incident_id: int) -> None:
    doc = _doc(db, incident_id)
    if doc is not None:
        db.conn.execute(
            "INSERT INTO incident_fts (incident_fts, rowid, case_number, title, description, notes)"
            " VALUES ('delete', ?, ?, ?, ?, ?)",
            (incident_id, *doc),
        )


def _index(db: sqlite_utils.Database, incident_id: int) -> None:
    doc = _doc(db, incident_id)
    if doc is not None:
        db.conn.execute(
            "INSERT INTO incident_fts (rowid, case_number, title, description, notes) VALUES (?, ?, ?, ?, ?)",
            (incident_id, *doc),
        )


def create(
    db: sqlite_utils.Database, draft: IncidentDraft, bookmark_ids: Sequence[int], actor: str, now_ms: int
) -> Incident:
    """Open an incident with the next case number of the year, linked to ``bookmark_ids``; audited."""
    title = draft.title.strip()
    if not title:
        raise FieldInvalid("title", QT_TRANSLATE_NOOP("Store", "The incident needs a title."))
    if not draft.category.strip():
        raise FieldInvalid("category", QT_TRANSLATE_NOOP("Store", "Choose a category."))
    year = case_year(now_ms)
    # Inside the write transaction (BEGIN IMMEDIATE), so no other writer can take the same number.
    seq = int(db.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM incidents WHERE year = ?", (year,)).fetchone()[0])
    case_number = f"VV-{year}-{seq:04d}"
    cur = db.conn.execute(
        "INSERT INTO incidents (case_number, year, seq, title, category, status, severity, officer, occurred_ms,"
        " place, description, created_ms, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (case_number, year, seq, title, draft.category.strip(), IncidentStatus.OPEN.value, draft.severity.value,
         draft.officer, draft.occurred_ms, draft.place, draft.description, now_ms, actor),
    )
    incident_id = int(cur.lastrowid or 0)
    _link(db, incident_id, bookmark_ids)
    _index(db, incident_id)
    audit.append(db, now_ms, actor, "incident.create", f"incident:{incident_id}", case_number)
    return get(db, incident_id)


def _link(db: sqlite_utils.Database, incident_id: int, bookmark_ids: Sequence[int]) -> None:
    for bookmark_id in bookmark_ids:
        if db.conn.execute("SELECT 1 FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone() is None:
            raise NotFound(f"bookmark {bookmark_id}")
        db.conn.execute(
            "INSERT OR IGNORE INTO incident_bookmarks (incident_id, bookmark_id) VALUES (?, ?)",
            (incident_id, bookmark_id),
        )


def link(db: sqlite_utils.Database, incident_id: int, bookmark_ids: Sequence[int], actor: str, now_ms: int) -> Incident:
    get(db, incident_id)
    _link(db, incident_id, bookmark_ids)
    audit.append(db, now_ms, actor, "incident.link", f"incident:{incident_id}",
                 "bookmarks:" + ",".join(str(i) for i in bookmark_ids))
    return get(db, incident_id)


def unlink(db: sqlite_utils.Database, incident_id: int, bookmark_ids: Sequence[int], actor: str, now_ms: int) -> Incident:
    get(db, incident_id)
    db.conn.executemany(
        "DELETE FROM incident_bookmarks WHERE incident_id = ? AND bookmark_id = ?",
        [(incident_id, b) for b in bookmark_ids],
    )
    audit.append(db, now_ms, actor, "incident.unlink", f"incident:{incident_id}",
                 "bookmarks:" + ",".join(str(i) for i in bookmark_ids))
    return get(db, incident_id)


def add_note(db: sqlite_utils.Database, incident_id: int, text: str, actor: str, now_ms: int) -> IncidentNote:
    """Append a note (notes are never edited: a correction is a new note); audited."""
    if not text.strip():
        raise FieldInvalid("text", QT_TRANSLATE_NOOP("Store", "The note is empty."))
    get(db, incident_id)
    _unindex(db, incident_id)
    cur = db.conn.execute(
        "INSERT INTO incident_notes (incident_id, author, at_ms, text) VALUES (?, ?, ?, ?)",
        (incident_id, actor, now_ms, text),
    )
    _index(db, incident_id)
    note_id = int(cur.lastrowid or 0)
    audit.append(db, now_ms, actor, "incident.note", f"incident:{incident_id}", f"note:{note_id}")
    return IncidentNote(note_id, incident_id, actor, now_ms, text)


def set_status(db: sqlite_utils.Database, incident_id: int, status: IncidentStatus, actor: str, now_ms: int) -> Incident:
    old = get(db, incident_id)
    db.conn.execute("UPDATE incidents SET status = ? WHERE id = ?", (status.value, incident_id))
    audit.append(db, now_ms, actor, "incident.status", f"incident:{incident_id}",
                 f"{old.status.value} -> {status.value}")
    return get(db, incident_id)


def update(db: sqlite_utils.Database, incident_id: int, draft: IncidentDraft, actor: str, now_ms: int) -> Incident:
    """Change the incident's descriptive fields (not its case number, status or notes); audited."""
    get(db, incident_id)
    if not draft.title.strip():
        raise FieldInvalid("title", QT_TRANSLATE_NOOP("Store", "The incident needs a title."))
    _unindex(db, incident_id)
    db.conn.execute(
        "UPDATE incidents SET title = ?, category = ?, severity = ?, officer = ?, occurred_ms = ?, place = ?,"
        " description = ? WHERE id = ?",
        (draft.title.strip(), draft.category.strip(), draft.severity.value, draft.officer, draft.occurred_ms,
         draft.place, draft.description, incident_id),
    )
    _index(db, incident_id)
    audit.append(db, now_ms, actor, "incident.update", f"incident:{incident_id}", draft.title)
    return get(db, incident_id)


def get(db: sqlite_utils.Database, incident_id: int) -> Incident:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None:
        raise NotFound(f"incident {incident_id}")
    return _incident(db, row)


_COLUMNS = ("id, case_number, title, category, status, severity, officer, occurred_ms, place, description,"
            " created_ms, created_by")


def _incident(db: sqlite_utils.Database, row: tuple[Any, ...]) -> Incident:
    incident_id = int(row[0])
    notes = tuple(
        IncidentNote(int(n[0]), incident_id, str(n[1]), int(n[2]), str(n[3]))
        for n in db.conn.execute(
            "SELECT id, author, at_ms, text FROM incident_notes WHERE incident_id = ? ORDER BY id", (incident_id,)
        )
    )
    links = tuple(
        int(r[0]) for r in db.conn.execute(
            "SELECT bookmark_id FROM incident_bookmarks WHERE incident_id = ? ORDER BY bookmark_id", (incident_id,)
        )
    )
    return Incident(
        id=incident_id, case_number=row[1], title=row[2], category=row[3], status=IncidentStatus(row[4]),
        severity=Severity(row[5]), officer=row[6], occurred_ms=row[7], place=row[8], description=row[9],
        created_ms=row[10], created_by=row[11], notes=notes, bookmark_ids=links,
    )


def list_incidents(
    db: sqlite_utils.Database, statuses: Sequence[IncidentStatus] = (), limit: int = 500
) -> list[Incident]:
    """Incidents, newest first, optionally only those in ``statuses``."""
    where = ""
    params: list[Any] = []
    if statuses:
        where = f"WHERE status IN ({','.join('?' * len(statuses))})"
        params = [s.value for s in statuses]
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM incidents {where} ORDER BY id DESC LIMIT ?", (*params, limit))
    return [_incident(db, r) for r in rows.fetchall()]


def for_bookmark(db: sqlite_utils.Database, bookmark_id: int) -> list[str]:
    """Case numbers of the incidents a bookmark is linked to."""
    return [str(r[0]) for r in db.conn.execute(
        "SELECT i.case_number FROM incident_bookmarks l JOIN incidents i ON i.id = l.incident_id"
        " WHERE l.bookmark_id = ? ORDER BY i.id", (bookmark_id,)
    )]

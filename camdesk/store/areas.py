"""Residential groups (tổ dân phố)."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from camdesk.i18n import QT_TRANSLATE_NOOP
from camdesk.models.camera import Area
from camdesk.store.errors import FieldInvalid


def list_areas(db: sqlite_utils.Database) -> list[Area]:
    rows = db.conn.execute("SELECT id, name, description FROM areas ORDER BY name COLLATE NOCASE").fetchall()
    return [Area(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def save_area(db: sqlite_utils.Database, area: Area) -> Area:
    """Insert (``id`` None) or update; names are unique."""
    name = area.name.strip()
    if not name:
        raise FieldInvalid("name", QT_TRANSLATE_NOOP("Store", "The residential group needs a name."))
    try:
        if area.id is None:
            cur = db.conn.execute("INSERT INTO areas (name, description) VALUES (?, ?)", (name, area.description))
            return Area(int(cur.lastrowid or 0), name, area.description)
        db.conn.execute("UPDATE areas SET name = ?, description = ? WHERE id = ?", (name, area.description, area.id))
    except sqlite3.IntegrityError as exc:
        raise FieldInvalid(
            "name", QT_TRANSLATE_NOOP("Store", "A residential group named {name} already exists."), name=name
        ) from exc
    return Area(area.id, name, area.description)


def area_by_name(db: sqlite_utils.Database, name: str, *, create: bool) -> int | None:
    """The id of the area called ``name`` (case-insensitive), created if asked."""
    row = db.conn.execute("SELECT id FROM areas WHERE name = ? COLLATE NOCASE", (name.strip(),)).fetchone()
    if row is not None:
        return int(row[0])
    if not create or not name.strip():
        return None
    return save_area(db, Area(None, name.strip())).id

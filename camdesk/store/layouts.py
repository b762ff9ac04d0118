"""Wall layouts (moved here from the settings file)."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from camdesk.i18n import QT_TRANSLATE_NOOP
from camdesk.models.layout import Layout, LayoutItem
from camdesk.store.errors import FieldInvalid, NotFound


def list_layouts(db: sqlite_utils.Database) -> list[Layout]:
    items: dict[int, list[LayoutItem]] = {}
    for layout_id, row, col, row_span, col_span, camera_id in db.conn.execute(
        "SELECT layout_id, row, col, row_span, col_span, camera_id FROM layout_items ORDER BY layout_id, idx"
    ):
        items.setdefault(int(layout_id), []).append(LayoutItem(row, col, row_span, col_span, camera_id))
    return [
        Layout(int(id_), name, rows, cols, tuple(items.get(int(id_), ())))
        for id_, name, rows, cols in db.conn.execute(
            "SELECT id, name, rows, cols FROM layouts ORDER BY name COLLATE NOCASE"
        )
    ]


def _check(layout: Layout) -> None:
    if not layout.name.strip():
        raise FieldInvalid("name", QT_TRANSLATE_NOOP("Store", "The layout needs a name."))
    if not (1 <= layout.rows <= 16 and 1 <= layout.cols <= 16):
        raise FieldInvalid("rows", QT_TRANSLATE_NOOP("Store", "A layout has 1 to 16 rows and columns."))
    for item in layout.items:
        if (item.row < 0 or item.col < 0 or item.row_span < 1 or item.col_span < 1
                or item.row + item.row_span > layout.rows or item.col + item.col_span > layout.cols):
            raise FieldInvalid("items", QT_TRANSLATE_NOOP("Store", "A tile lies outside the layout's grid."))


def save_layout(db: sqlite_utils.Database, layout: Layout) -> Layout:
    """Insert (``id`` None) or replace; names are unique ignoring case. Tiles showing a deleted camera become empty."""
    _check(layout)
    name = layout.name.strip()
    conn = db.conn
    for other_id, other_name in conn.execute("SELECT id, name FROM layouts"):
        if other_id != layout.id and str(other_name).casefold() == name.casefold():
            raise FieldInvalid("name", QT_TRANSLATE_NOOP("Store", "A layout named {name} already exists."), name=name)
    try:
        if layout.id is None:
            cur = conn.execute("INSERT INTO layouts (name, rows, cols) VALUES (?, ?, ?)", (name, layout.rows, layout.cols))
            layout_id = int(cur.lastrowid or 0)
        else:
            cur = conn.execute(
                "UPDATE layouts SET name = ?, rows = ?, cols = ? WHERE id = ?",
                (name, layout.rows, layout.cols, layout.id),
            )
            if cur.rowcount == 0:
                raise NotFound(f"layout {layout.id}")
            layout_id = layout.id
            conn.execute("DELETE FROM layout_items WHERE layout_id = ?", (layout_id,))
    except sqlite3.IntegrityError as exc:
        raise FieldInvalid(
            "name", QT_TRANSLATE_NOOP("Store", "A layout named {name} already exists."), name=name
        ) from exc
    known = {int(r[0]) for r in conn.execute("SELECT id FROM cameras")}
    items = tuple(
        LayoutItem(i.row, i.col, i.row_span, i.col_span, i.camera_id if i.camera_id in known else None)
        for i in layout.items
    )
    conn.executemany(
        "INSERT INTO layout_items (layout_id, idx, row, col, row_span, col_span, camera_id) VALUES (?,?,?,?,?,?,?)",
        [(layout_id, n, i.row, i.col, i.row_span, i.col_span, i.camera_id) for n, i in enumerate(items)],
    )
    return Layout(layout_id, name, layout.rows, layout.cols, items)


def delete_layout(db: sqlite_utils.Database, layout_id: int) -> None:
    db.conn.execute("DELETE FROM layouts WHERE id = ?", (layout_id,))


def import_layouts(db: sqlite_utils.Database, layouts: list[Layout]) -> list[Layout]:
    """Take over layouts from an older settings file; names already in the database are skipped."""
    existing = {name.casefold() for (name,) in db.conn.execute("SELECT name FROM layouts")}
    saved: list[Layout] = []
    for layout in layouts:
        if layout.name.strip().casefold() in existing:
            continue
        saved.append(save_layout(db, Layout(None, layout.name, layout.rows, layout.cols, layout.items)))
        existing.add(layout.name.strip().casefold())
    return saved

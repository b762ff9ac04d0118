"""Camera status history (online/offline transitions) and uptime over a period."""

from __future__ import annotations

import sqlite_utils

from camdesk.models.records import UptimeRow


def record(db: sqlite_utils.Database, camera_id: int, online: bool, at_ms: int) -> bool:
    """Store a transition; a report that repeats the camera's latest state is not stored. Returns whether stored."""
    last = db.conn.execute(
        "SELECT online FROM camera_status WHERE camera_id = ? AND at_ms <= ? ORDER BY at_ms DESC, id DESC LIMIT 1",
        (camera_id, at_ms),
    ).fetchone()
    if last is not None and bool(last[0]) == online:
        return False
    db.conn.execute(
        "INSERT INTO camera_status (camera_id, at_ms, online) VALUES (?, ?, ?)", (camera_id, at_ms, int(online))
    )
    return True


def uptime(db: sqlite_utils.Database, from_ms: int, to_ms: int) -> list[UptimeRow]:
    """Per camera (by name), then per residential group: time online, offline and unknown in [from_ms, to_ms)."""
    conn = db.conn
    rows: list[UptimeRow] = []
    per_area: dict[int, list[int]] = {}
    for camera_id, name, area_id in conn.execute("SELECT id, name, area_id FROM cameras ORDER BY name, id").fetchall():
        before = conn.execute(
            "SELECT online FROM camera_status WHERE camera_id = ? AND at_ms <= ? ORDER BY at_ms DESC, id DESC LIMIT 1",
            (camera_id, from_ms),
        ).fetchone()
        state: bool | None = None if before is None else bool(before[0])
        since = from_ms
        totals: dict[bool | None, int] = {True: 0, False: 0, None: 0}
        for at_ms, online in conn.execute(
            "SELECT at_ms, online FROM camera_status WHERE camera_id = ? AND at_ms > ? AND at_ms < ?"
            " ORDER BY at_ms, id",
            (camera_id, from_ms, to_ms),
        ):
            totals[state] += at_ms - since
            state, since = bool(online), at_ms
        totals[state] += max(0, to_ms - since)
        rows.append(UptimeRow("camera", int(camera_id), str(name), totals[True], totals[False], totals[None]))
        if area_id is not None:
            acc = per_area.setdefault(int(area_id), [0, 0, 0])
            acc[0] += totals[True]
            acc[1] += totals[False]
            acc[2] += totals[None]
    for area_id, area_name in conn.execute("SELECT id, name FROM areas ORDER BY name").fetchall():
        on, off, unknown = per_area.get(int(area_id), [0, 0, 0])
        rows.append(UptimeRow("area", int(area_id), str(area_name), on, off, unknown))
    return rows

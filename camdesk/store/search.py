"""Search over bookmarks and incidents: folded full text (see fold.py) with prefix matching, plus filters.

Results come newest first by id (ids grow as records are saved), which lets FTS5 walk its index in rowid
order and stop after ``limit`` rows instead of ranking every match; bookmarks and incidents are then merged
by time. Figures: docs/readme/store.md.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from camdesk.models.records import HitKind, SearchHit, SearchQuery
from camdesk.store.bookmarks import camera_token, month_tokens
from camdesk.store.fold import fold, match_expression, words

EXCERPT_CHARS = 160


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def search(db: sqlite_utils.Database, query: SearchQuery) -> list[SearchHit]:
    match = match_expression(query.text)
    if query.text.strip() and not match:
        return []  # only punctuation typed: nothing can match
    limit = max(1, min(query.limit, 1000))
    hits: list[SearchHit] = []
    if HitKind.BOOKMARK in query.kinds and not query.categories and not query.statuses:
        hits += _bookmarks(db, query, match, limit)
    if HitKind.INCIDENT in query.kinds and not query.tags:
        hits += _incidents(db, query, match, limit)
    hits.sort(key=lambda h: (h.time_ms, h.id), reverse=True)
    return hits[:limit]


def _camera_filter(query: SearchQuery, column: str, where: list[str], params: list[Any]) -> None:
    if query.camera_ids:
        where.append(f"{column} IN ({','.join('?' * len(query.camera_ids))})")
        params.extend(query.camera_ids)
    if query.area_ids:
        where.append(
            f"{column} IN (SELECT id FROM cameras WHERE area_id IN ({','.join('?' * len(query.area_ids))}))"
        )
        params.extend(query.area_ids)


def _bookmark_cameras(db: sqlite_utils.Database, query: SearchQuery) -> list[int] | None:
    """The cameras the query allows (None = all), combining camera and area filters."""
    allowed: set[int] | None = set(query.camera_ids) if query.camera_ids else None
    if query.area_ids:
        in_areas = {int(r[0]) for r in db.conn.execute(
            f"SELECT id FROM cameras WHERE area_id IN ({','.join('?' * len(query.area_ids))})", query.area_ids
        )}
        allowed = in_areas if allowed is None else allowed & in_areas
    return None if allowed is None else sorted(allowed)


def _bookmarks(db: sqlite_utils.Database, query: SearchQuery, match: str, limit: int) -> list[SearchHit]:
    """Bookmarks, newest first. Text, camera, month and tag conditions all go into one FTS5 expression
    (scope tokens, see bookmarks.scope_tokens) so the index walk itself skips non-matching rows; the SQL
    conditions then check the exact values (time bounds, whole tags)."""
    cameras = _bookmark_cameras(db, query)
    if cameras == []:
        return []
    fts: list[str] = []
    if match:
        fts.append(f"{{title note tags}} : ({match})")
    if cameras is not None and len(cameras) <= 200:
        fts.append("scope : (" + " OR ".join(f'"{camera_token(c)}"' for c in cameras) + ")")
    if query.from_ms is not None or query.to_ms is not None:
        # Clamp the range to the data's first and last start (two index lookups; a single SELECT with both
        # MIN and MAX would scan), so open or very wide ranges still get month tokens.
        low, high = db.conn.execute(
            "SELECT (SELECT MIN(start_ms) FROM bookmarks), (SELECT MAX(start_ms) FROM bookmarks)"
        ).fetchone()
        if low is None:
            return []
        lo = int(low) if query.from_ms is None else max(query.from_ms, int(low))
        hi = int(high) + 1 if query.to_ms is None else min(query.to_ms, int(high) + 1)
        whole = lo <= int(low) and hi > int(high)  # the range holds every bookmark: tokens would only cost
        months = None if whole else month_tokens(lo, hi) if lo < hi else []
        if months == []:
            return []
        if months is not None:
            fts.append("scope : (" + " OR ".join(f'"{m}"' for m in months) + ")")
    folded_tags = [" ".join(words(tag)) for tag in query.tags]
    if any(not t for t in folded_tags):
        return []
    fts += [f'tags : "{t}"' for t in folded_tags]

    where: list[str] = []
    params: list[Any] = []
    if fts:
        source = "bookmark_fts f JOIN bookmarks b ON b.id = f.rowid"
        where.append("bookmark_fts MATCH ?")
        params.append(" AND ".join(fts))
        order = "f.rowid DESC"
    else:
        source, order = "bookmarks b", "b.id DESC"
    if cameras is not None:
        where.append(f"b.camera_id IN ({','.join('?' * len(cameras))})")
        params.extend(cameras)
    if query.from_ms is not None:
        where.append("b.start_ms >= ?")
        params.append(query.from_ms)
    if query.to_ms is not None:
        where.append("b.start_ms < ?")
        params.append(query.to_ms)
    for tag in query.tags:
        where.append("EXISTS (SELECT 1 FROM bookmark_tags t WHERE t.bookmark_id = b.id AND t.folded = ?)")
        params.append(fold(" ".join(tag.split())))
    sql = (f"SELECT b.id, b.title, b.start_ms, b.camera_id, b.note FROM {source}"
           f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} LIMIT ?")
    rows = db.conn.execute(sql, (*params, limit)).fetchall()
    return [
        SearchHit(HitKind.BOOKMARK, int(r[0]), str(r[1]), int(r[2]), camera_id=int(r[3]), excerpt=_excerpt(r[4]))
        for r in rows
    ]


def _incidents(db: sqlite_utils.Database, query: SearchQuery, match: str, limit: int) -> list[SearchHit]:
    where: list[str] = []
    params: list[Any] = []
    source = "incidents i"
    order = "i.id DESC"
    if match:
        source = "incident_fts f JOIN incidents i ON i.id = f.rowid"
        where.append("incident_fts MATCH ?")
        params.append(match)
        order = "f.rowid DESC"
    if query.camera_ids or query.area_ids:
        sub_where: list[str] = []
        _camera_filter(query, "b.camera_id", sub_where, params)
        where.append(
            "i.id IN (SELECT l.incident_id FROM incident_bookmarks l JOIN bookmarks b ON b.id = l.bookmark_id"
            f" WHERE {' AND '.join(sub_where)})"
        )
    when = "COALESCE(i.occurred_ms, i.created_ms)"
    if query.from_ms is not None:
        where.append(f"{when} >= ?")
        params.append(query.from_ms)
    if query.to_ms is not None:
        where.append(f"{when} < ?")
        params.append(query.to_ms)
    if query.categories:
        where.append(f"i.category IN ({','.join('?' * len(query.categories))})")
        params.extend(query.categories)
    if query.statuses:
        where.append(f"i.status IN ({','.join('?' * len(query.statuses))})")
        params.extend(s.value for s in query.statuses)
    sql = (f"SELECT i.id, i.title, {when}, i.case_number, i.description FROM {source}"
           f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} LIMIT ?")
    rows = db.conn.execute(sql, (*params, limit)).fetchall()
    return [
        SearchHit(HitKind.INCIDENT, int(r[0]), str(r[1]), int(r[2]), case_number=str(r[3]), excerpt=_excerpt(r[4]))
        for r in rows
    ]

"""Bookmarks: a moment on a camera with title, note, tags and a thumbnail. The search index
(``bookmark_fts``, contentless) is updated in the same transaction as every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from camdesk.i18n import QT_TRANSLATE_NOOP
from camdesk.models.records import Bookmark, BookmarkDraft, Severity
from camdesk.store import audit
from camdesk.store.errors import FieldInvalid, NotFound
from camdesk.store.fold import fold
from camdesk.store.incidents import VIETNAM

MAX_SNAPSHOT_BYTES = 2_000_000


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags stripped, without empties and without duplicates (compared folded), in the given order."""
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        t = " ".join(tag.split())
        if t and fold(t) not in seen:
            seen.add(fold(t))
            out.append(t)
    return tuple(out)


def fts_values(
    title: str, note: str, tags: Sequence[str], camera_id: int, start_ms: int
) -> tuple[str, str, str, str]:
    """The folded document indexed for a bookmark (exactly what must be passed to delete it again)."""
    return fold(title), fold(note), fold(" ".join(tags)), scope_tokens(camera_id, start_ms)


def scope_tokens(camera_id: int, start_ms: int) -> str:
    """Filter tokens of a bookmark: its camera and the month of its start (Vietnam time)."""
    return f"{camera_token(camera_id)} {month_token(start_ms)}"


def camera_token(camera_id: int) -> str:
    return f"c{camera_id}"


def month_token(at_ms: int) -> str:
    when = dt.datetime.fromtimestamp(at_ms / 1000, VIETNAM)
    return f"m{when.year:04d}{when.month:02d}"


def month_tokens(from_ms: int, to_ms: int, limit: int = 36) -> list[str] | None:
    """The month tokens covering [from_ms, to_ms), or None if there are more than ``limit``."""
    start = dt.datetime.fromtimestamp(from_ms / 1000, VIETNAM)
    end = dt.datetime.fromtimestamp(max(from_ms, to_ms - 1) / 1000, VIETNAM)
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    if count > limit:
        return None
    tokens = []
    year, month = start.year, start.month
    for _ in range(count):
        tokens.append(f"m{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tokens


def _check(db: sqlite_utils.Database, draft: BookmarkDraft) -> None:
    if db.conn.execute("SELECT 1 FROM cameras WHERE id = ?", (draft.camera_id,)).fetchone() is None:
        raise FieldInvalid("camera_id", QT_TRANSLATE_NOOP("Store", "The camera no longer exists."))
    if draft.duration_ms < 0:
        raise FieldInvalid("duration_ms", QT_TRANSLATE_NOOP("Store", "The duration cannot be negative."))
    if len(draft.snapshot_jpeg) > MAX_SNAPSHOT_BYTES:
        raise FieldInvalid("snapshot_jpeg", QT_TRANSLATE_NOOP("Store", "The snapshot is too large."))


def add(db: sqlite_utils.Database, draft: BookmarkDraft, actor: str, now_ms: int) -> Bookmark:
    _check(db, draft)
    tags = tuple(sorted(clean_tags(draft.tags)))  # the order get() returns them in
    conn = db.conn
    cur = conn.execute(
        "INSERT INTO bookmarks (camera_id, start_ms, duration_ms, title, note, severity, author, created_ms, snapshot)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (draft.camera_id, draft.start_ms, draft.duration_ms, draft.title, draft.note, draft.severity.value,
         actor, now_ms, draft.snapshot_jpeg or None),
    )
    bookmark_id = int(cur.lastrowid or 0)
    _insert_tags(db, bookmark_id, tags)
    conn.execute(
        "INSERT INTO bookmark_fts (rowid, title, note, tags, scope) VALUES (?,?,?,?,?)",
        (bookmark_id, *fts_values(draft.title, draft.note, tags, draft.camera_id, draft.start_ms)),
    )
    audit.append(db, now_ms, actor, "bookmark.add", f"bookmark:{bookmark_id}", f"camera:{draft.camera_id}")
    return Bookmark(bookmark_id, draft.camera_id, draft.start_ms, draft.duration_ms, draft.title, draft.note,
                    tags, draft.severity, actor, now_ms, draft.snapshot_jpeg)


def _insert_tags(db: sqlite_utils.Database, bookmark_id: int, tags: Sequence[str]) -> None:
    db.conn.executemany(
        "INSERT INTO bookmark_tags (bookmark_id, tag, folded) VALUES (?,?,?)",
        [(bookmark_id, t, fold(t)) for t in tags],
    )


def _unindex(db: sqlite_utils.Database, old: Bookmark) -> None:
    db.conn.execute(
        "INSERT INTO bookmark_fts (bookmark_fts, rowid, title, note, tags, scope) VALUES ('delete', ?, ?, ?, ?, ?)",
        (old.id, *fts_values(old.title, old.note, old.tags, old.camera_id, old.start_ms)),
    )


def update(db: sqlite_utils.Database, bookmark_id: int, draft: BookmarkDraft, actor: str, now_ms: int) -> Bookmark:
    """Change a bookmark's fields (author and creation time stay); audited."""
    old = get(db, [bookmark_id])
    if not old:
        raise NotFound(f"bookmark {bookmark_id}")
    _check(db, draft)
    tags = tuple(sorted(clean_tags(draft.tags)))  # the order get() returns them in
    conn = db.conn
    _unindex(db, old[0])
    conn.execute(
        "UPDATE bookmarks SET camera_id = ?, start_ms = ?, duration_ms = ?, title = ?, note = ?, severity = ?,"
        " snapshot = ? WHERE id = ?",
        (draft.camera_id, draft.start_ms, draft.duration_ms, draft.title, draft.note, draft.severity.value,
         draft.snapshot_jpeg or None, bookmark_id),
    )
    conn.execute("DELETE FROM bookmark_tags WHERE bookmark_id = ?", (bookmark_id,))
    _insert_tags(db, bookmark_id, tags)
    conn.execute(
        "INSERT INTO bookmark_fts (rowid, title, note, tags, scope) VALUES (?,?,?,?,?)",
        (bookmark_id, *fts_values(draft.title, draft.note, tags, draft.camera_id, draft.start_ms)),
    )
    audit.append(db, now_ms, actor, "bookmark.update", f"bookmark:{bookmark_id}", draft.title)
    return get(db, [bookmark_id])[0]


def delete(db: sqlite_utils.Database, bookmark_id: int, actor: str, now_ms: int) -> None:
    """Delete a bookmark and its links to incidents; audited with its title and time."""
    old = get(db, [bookmark_id])
    if not old:
        raise NotFound(f"bookmark {bookmark_id}")
    _unindex(db, old[0])
    db.conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
    audit.append(db, now_ms, actor, "bookmark.delete", f"bookmark:{bookmark_id}",
                 f"camera:{old[0].camera_id} start_ms:{old[0].start_ms} title:{old[0].title}")


def get(db: sqlite_utils.Database, ids: Sequence[int]) -> list[Bookmark]:
    """The bookmarks with these ids, in the order given (missing ids are left out)."""
    if not ids:
        return []
    found: dict[int, Bookmark] = {}
    conn = db.conn
    for chunk_start in range(0, len(ids), 500):
        chunk = list(ids[chunk_start:chunk_start + 500])
        marks = ",".join("?" * len(chunk))
        tags: dict[int, list[str]] = {}
        for bid, tag in conn.execute(
            f"SELECT bookmark_id, tag FROM bookmark_tags WHERE bookmark_id IN ({marks})", chunk
        ):
            tags.setdefault(int(bid), []).append(str(tag))
        for row in conn.execute(
            "SELECT id, camera_id, start_ms, duration_ms, title, note, severity, author, created_ms, snapshot"
            f" FROM bookmarks WHERE id IN ({marks})",
            chunk,
        ):
            found[int(row[0])] = _bookmark(row, tuple(tags.get(int(row[0]), ())))
    return [found[i] for i in ids if i in found]


def _bookmark(row: tuple[Any, ...], tags: tuple[str, ...]) -> Bookmark:
    id_, camera_id, start_ms, duration_ms, title, note, severity, author, created_ms, snapshot = row
    return Bookmark(int(id_), int(camera_id), int(start_ms), int(duration_ms), str(title), str(note), tags,
                    Severity(severity), str(author), int(created_ms), bytes(snapshot or b""))

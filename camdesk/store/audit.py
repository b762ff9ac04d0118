"""The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained.

Each row's hash is SHA-256 over the previous row's hash and the row's own fields, and ``audit_head``
holds the last id and hash, written in the same transaction. ``verify`` recomputes the chain and names
the first row that was altered or is missing (including rows cut off the end). Someone with write
access to the file can drop the triggers and rewrite the whole chain; the chain makes edits evident,
it does not make them impossible (export the head hash elsewhere to anchor it).
"""

from __future__ import annotations

import hashlib
import json

import sqlite_utils

from camdesk.models.records import AuditEntry, AuditVerdict

GENESIS = "0" * 64


def row_hash(prev_hash: str, id_: int, at_ms: int, actor: str, action: str, obj: str, details: str) -> str:
    payload = json.dumps([prev_hash, id_, at_ms, actor, action, obj, details], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(db: sqlite_utils.Database, at_ms: int, actor: str, action: str, obj: str, details: str = "") -> int:
    """Add one entry (inside the caller's transaction); returns its id."""
    conn = db.conn
    head = conn.execute("SELECT last_id, last_hash FROM audit_head WHERE one = 1").fetchone()
    last_id, prev = (int(head[0]), str(head[1])) if head else (0, GENESIS)
    new_id = last_id + 1
    digest = row_hash(prev, new_id, at_ms, actor, action, obj, details)
    conn.execute(
        "INSERT INTO audit (id, at_ms, actor, action, object, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
        (new_id, at_ms, actor, action, obj, details, prev, digest),
    )
    conn.execute(
        "INSERT INTO audit_head (one, last_id, last_hash) VALUES (1, ?, ?) "
        "ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash",
        (new_id, digest),
    )
    return new_id


def entries(db: sqlite_utils.Database, *, after_id: int = 0, limit: int = 1000) -> list[AuditEntry]:
    rows = db.conn.execute(
        "SELECT id, at_ms, actor, action, object, details, prev_hash, hash FROM audit WHERE id > ? "
        "ORDER BY id LIMIT ?",
        (after_id, limit),
    ).fetchall()
    return [AuditEntry(*row) for row in rows]


def verify(db: sqlite_utils.Database) -> AuditVerdict:
    """Recompute the chain from the first row; stop at the first altered or missing row."""
    conn = db.conn
    expected_id = 1
    prev = GENESIS
    checked = 0
    for row in conn.execute(
        "SELECT id, at_ms, actor, action, object, details, prev_hash, hash FROM audit ORDER BY id"
    ):
        id_, at_ms, actor, action, obj, details, prev_hash, digest = row
        if id_ != expected_id:
            return AuditVerdict(False, checked, expected_id, "missing", f"audit row {expected_id} is missing")
        if prev_hash != prev:
            # This row no longer follows the one before: the one before was altered (and re-hashed).
            bad = max(1, id_ - 1)
            return AuditVerdict(False, checked, bad, "altered", f"audit row {bad} was altered")
        if row_hash(prev, id_, at_ms, actor, action, obj, details) != digest:
            return AuditVerdict(False, checked, id_, "altered", f"audit row {id_} was altered")
        prev = digest
        expected_id += 1
        checked += 1
    head = conn.execute("SELECT last_id, last_hash FROM audit_head WHERE one = 1").fetchone()
    last_id, last_hash = (int(head[0]), str(head[1])) if head else (0, GENESIS)
    if last_id >= expected_id:
        return AuditVerdict(False, checked, expected_id, "missing", f"audit row {expected_id} is missing")
    if last_id < expected_id - 1:
        bad = last_id + 1  # rows were added behind the store's back
        return AuditVerdict(False, checked, bad, "altered", f"audit row {bad} was not written by camdesk")
    if last_hash != prev:
        bad = max(1, last_id)
        return AuditVerdict(False, checked, bad, "altered", f"audit row {bad} was altered")
    return AuditVerdict(True, checked)

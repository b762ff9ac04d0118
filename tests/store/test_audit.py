"""The audit log is append-only and hash-chained: tampering with it is detected and located."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from camdesk.store import Store

pytestmark = pytest.mark.timeout(60)


def _fill(store: Store, n: int = 6) -> None:
    for i in range(n):
        store.audit("Trung úy An", "export", f"clip:{i}", f"lần {i}").result(timeout=5)


def _tamper(db_path: Path, *sql: str) -> None:
    """What someone with the file and a SQLite shell could do: drop the guards, then edit."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    for statement in sql:
        conn.execute(statement)
    conn.close()


def test_untouched_log_verifies(store: Store) -> None:
    _fill(store)
    verdict = store.verify_audit().result(timeout=5)
    assert verdict.ok and verdict.rows_checked == 6 and verdict.first_bad_id is None


def test_the_log_refuses_updates_and_deletes(store: Store, db_path: Path) -> None:
    _fill(store, 2)
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET actor = 'x' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit WHERE id = 1")
    conn.close()


def test_an_edited_row_is_named(store: Store, db_path: Path) -> None:
    _fill(store)
    store.close()
    _tamper(db_path, "UPDATE audit SET details = 'không có gì' WHERE id = 4")
    with Store.open(db_path) as reopened:
        verdict = reopened.verify_audit().result(timeout=5)
    assert (verdict.ok, verdict.first_bad_id, verdict.problem) == (False, 4, "altered")


def test_an_edited_and_rehashed_row_is_still_named(store: Store, db_path: Path) -> None:
    from camdesk.store.audit import row_hash

    _fill(store)
    store.close()
    conn = sqlite3.connect(db_path)
    row = conn.execute("SELECT id, at_ms, actor, action, object, details, prev_hash FROM audit WHERE id = 3").fetchone()
    conn.close()
    forged = row_hash(row[6], row[0], row[1], "người khác", row[3], row[4], row[5])
    _tamper(db_path, f"UPDATE audit SET actor = 'người khác', hash = '{forged}' WHERE id = 3")
    with Store.open(db_path) as reopened:
        verdict = reopened.verify_audit().result(timeout=5)
    assert (verdict.ok, verdict.first_bad_id, verdict.problem) == (False, 3, "altered")


def test_a_deleted_row_is_named(store: Store, db_path: Path) -> None:
    _fill(store)
    store.close()
    _tamper(db_path, "DELETE FROM audit WHERE id = 2")
    with Store.open(db_path) as reopened:
        verdict = reopened.verify_audit().result(timeout=5)
    assert (verdict.ok, verdict.first_bad_id, verdict.problem) == (False, 2, "missing")


def test_rows_cut_off_the_end_are_named(store: Store, db_path: Path) -> None:
    _fill(store)
    store.close()
    _tamper(db_path, "DELETE FROM audit WHERE id >= 5")
    with Store.open(db_path) as reopened:
        verdict = reopened.verify_audit().result(timeout=5)
        assert (verdict.ok, verdict.first_bad_id, verdict.problem) == (False, 5, "missing")

"""Work the store thread does when no request is waiting, so that requests themselves stay fast.

* Full-text index merging: FTS5 would otherwise merge segments while committing, putting 10-200 ms
  spikes on single bookmark inserts (bench/store.py). The FTS tables have ``automerge=0`` (migration 1)
  and are merged here in small steps; a "crisis merge" at 64 segments still bounds them when never idle.
* WAL checkpoints: the writer's automatic checkpoint threshold is raised (see db.connect), and a PASSIVE
  checkpoint runs here after writes, so the fsync of the main file rarely lands on an officer's click.
"""

from __future__ import annotations

import sqlite_utils

FTS_TABLES = ("bookmark_fts", "incident_fts")
PAGES_PER_STEP = 64  # one step takes a few milliseconds, so a request arriving meanwhile waits little


def merge_search_index(db: sqlite_utils.Database) -> bool:
    """One bounded FTS5 merge step on each index, in its own transaction; True if there was work to do.

    SQLite's documented way to tell: ``total_changes`` grows by more than one only if the 'merge'
    command merged something.
    """
    conn = db.conn
    did_work = False
    for table in FTS_TABLES:
        before = conn.total_changes
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('merge', ?)", (PAGES_PER_STEP,))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        did_work = did_work or conn.total_changes - before > 1
    return did_work


class Maintenance:
    """The store thread's idle step (``StoreThread(on_tick=...)``): merge while there is merging to do,
    then checkpoint once if anything was written since the last checkpoint."""

    def __init__(self) -> None:
        self._changes_at_checkpoint = -1

    def __call__(self, db: sqlite_utils.Database) -> bool:
        if merge_search_index(db):
            return True
        changes = db.conn.total_changes
        if changes != self._changes_at_checkpoint:
            db.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            self._changes_at_checkpoint = db.conn.total_changes
        return False

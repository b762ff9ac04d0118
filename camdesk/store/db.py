"""The SQLite connection and the one thread that owns it.

Every data call becomes a job on the store thread; its ``concurrent.futures.Future`` resolves on that
thread, after COMMIT for writes (so a bookmark shown as saved is on disk). Writes run inside
``BEGIN IMMEDIATE ... COMMIT``; reads run on the same connection (simple, and fast enough: see
docs/readme/store.md).

Durability: WAL with ``synchronous=FULL``. In WAL mode NORMAL survives a killed process but may lose the
last transactions on power loss; the control room runs on ordinary PCs without a UPS guarantee, and FULL
costs about one fsync per commit, which still fits the 5 ms p99 insert budget on an SSD (bench/store.py
measures both).
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from camdesk.errors import CamdeskError, DatabaseCorrupt, DatabaseLocked, DiskFull, StorageError
from camdesk.store.errors import ReadOnlyStore

log = logging.getLogger(__name__)
T = TypeVar("T")

SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26


def translate_error(exc: sqlite3.Error, path: Path) -> CamdeskError:
    """The camdesk error for a SQLite error (primary result code; the message is kept for logs)."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    detail = f"{path.name}: {exc}"
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseLocked(detail)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseCorrupt(detail)
    if code == SQLITE_FULL:
        return DiskFull(detail)
    if code == SQLITE_READONLY:
        return ReadOnlyStore(detail)
    return StorageError(detail)


def connect(path: Path, *, read_only: bool, busy_timeout_ms: int, synchronous: str) -> sqlite_utils.Database:
    """Open ``path`` with camdesk's pragmas. The caller hands the connection to one thread afterwards."""
    if read_only:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False,
            timeout=busy_timeout_ms / 1000,
        )
    else:
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
        )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StorageError(f"{path.name}: journal mode stayed {mode}")
            conn.execute(f"PRAGMA synchronous = {synchronous}")
            # Checkpoints mostly run in idle time (maintenance.py); this bound (about 32 MB of WAL) only
            # applies when the store is never idle.
            conn.execute("PRAGMA wal_autocheckpoint = 8000")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB of page cache: search and index updates stay in memory
    except sqlite3.Error as exc:
        conn.close()
        raise translate_error(exc, path) from exc
    except StorageError:
        conn.close()
        raise
    # recursive_triggers off: our triggers guard append-only tables and must not cascade.
    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


_Job = tuple[Callable[[sqlite_utils.Database], Any], "Future[Any]", bool]


class StoreThread:
    """The single thread that owns the connection. Jobs run in submission order.

    When no job arrived for ``tick_s`` seconds, ``on_tick`` runs (small maintenance steps; it returns True
    while it has more to do and is called again as long as the queue stays empty, at most 20 times).
    ``on_idle`` runs every ``idle_s`` seconds, between jobs (it only checks whether a daily backup is due).
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        path: Path,
        *,
        read_only: bool,
        on_idle: Callable[[sqlite_utils.Database], None] | None = None,
        idle_s: float = 600.0,
        on_tick: Callable[[sqlite_utils.Database], bool] | None = None,
        tick_s: float = 0.5,
    ) -> None:
        self._db = db
        self._path = path
        self._read_only = read_only
        self._on_idle = on_idle
        self._idle_s = idle_s
        self._on_tick = on_tick
        self._tick_s = tick_s
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="camdesk-store", daemon=True)
        self._thread.start()

    def read(self, fn: Callable[[sqlite_utils.Database], T]) -> Future[T]:
        """Run ``fn(db)`` on the store thread, outside any transaction."""
        return self._submit(fn, write=False)

    def write(self, fn: Callable[[sqlite_utils.Database], T]) -> Future[T]:
        """Run ``fn(db)`` in one transaction; the Future resolves after COMMIT (or with the error after ROLLBACK)."""
        if self._read_only:
            future: Future[T] = Future()
            future.set_exception(ReadOnlyStore(self._path.name))
            return future
        return self._submit(fn, write=True)

    def _submit(self, fn: Callable[[sqlite_utils.Database], T], *, write: bool) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                future.set_exception(StorageError(f"{self._path.name}: the store is closed"))
                return future
            self._queue.put((fn, future, write))
        return future

    def close(self, timeout_s: float = 30.0) -> None:
        """Finish the queued jobs, then close the connection. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(None)
        self._thread.join(timeout_s)

    @property
    def is_current(self) -> bool:
        return threading.current_thread() is self._thread

    def _run(self) -> None:
        conn = self._db.conn
        next_idle = time.monotonic() + self._idle_s
        while True:
            if time.monotonic() >= next_idle:  # checked between jobs too: a busy store still backs up daily
                self._idle()
                next_idle = time.monotonic() + self._idle_s
            try:
                job = self._queue.get(timeout=self._tick_s)
            except queue.Empty:
                self._tick()
                continue
            if job is None:
                break
            fn, future, write = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = self._transaction(fn) if write else fn(self._db)
            except sqlite3.Error as exc:
                future.set_exception(translate_error(exc, self._path))
            except Exception as exc:  # noqa: BLE001 - the thread's top level: hand the error to the caller
                future.set_exception(exc)
            else:
                future.set_result(result)
        try:
            if not self._read_only:
                conn.execute("PRAGMA optimize")
        except sqlite3.Error as exc:
            log.warning("PRAGMA optimize failed: %s", exc)
        conn.close()

    def _transaction(self, fn: Callable[[sqlite_utils.Database], T]) -> T:
        conn = self._db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(self._db)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    def _tick(self) -> None:
        if self._on_tick is None or self._read_only:
            return
        try:
            for _ in range(20):
                if not self._on_tick(self._db) or not self._queue.empty():
                    break
        except Exception:
            log.exception("Store maintenance step failed")

    def _idle(self) -> None:
        if self._on_idle is None:
            return
        try:
            self._on_idle(self._db)
        except Exception:
            log.exception("Store idle task failed")

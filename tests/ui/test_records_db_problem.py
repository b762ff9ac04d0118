"""A database that is locked, damaged or from a newer camdesk: the officer gets plain words and a choice
(retry, restore the latest backup, open read-only, quit), never a traceback; each choice really works."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import pytest

from camdesk.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew, StorageError
from camdesk.models.camera import Camera
from camdesk.store import Store
from camdesk.ui.records.db_problem_dialog import DbChoice, DbProblemDialog, open_store_with_recovery
from tests.ui.records_support import wait

pytestmark = pytest.mark.timeout(60)
OPEN = functools.partial(Store.open, open_timeout_ms=200)


class Officer:
    """Answers the dialog with scripted choices and remembers what it was shown."""

    def __init__(self, *choices: DbChoice, before=None) -> None:
        self.choices = list(choices)
        self.seen: list[tuple[type, Path | None, str]] = []
        self.before = before

    def __call__(self, error: BaseException, latest: Path | None, note: str) -> DbChoice:
        self.seen.append((type(error), latest, note))
        if self.before is not None:
            self.before()
        return self.choices.pop(0)


def _database_with_backup(tmp_path: Path) -> tuple[Path, Path]:
    db, backups = tmp_path / "camdesk.sqlite3", tmp_path / "backups"
    with Store.open(db, backup_dir=backups) as store:
        wait(store.save_camera(Camera(None, "Ngõ 12 Đống Đa", owner_name="Trần Thị Bình")))
        wait(store.backup_now())
    return db, backups


def _damage(db: Path) -> None:
    db.write_bytes(b"not a database any more " * 400)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def test_damaged_database_is_restored_from_the_latest_backup(tmp_path: Path) -> None:
    db, backups = _database_with_backup(tmp_path)
    _damage(db)
    officer = Officer(DbChoice.RESTORE)
    opened = open_store_with_recovery(db, backups, opener=OPEN, ask=officer)
    assert opened is not None
    store, read_only = opened
    try:
        assert not read_only
        assert [c.name for c in wait(store.list_cameras())] == ["Ngõ 12 Đống Đa"]
    finally:
        store.close()
    assert officer.seen[0][0] is DatabaseCorrupt and officer.seen[0][1] is not None
    assert list(tmp_path.glob("camdesk.sqlite3.before-restore-*"))  # the damaged file is kept


def test_locked_database_opens_after_the_other_program_lets_go_and_retry(tmp_path: Path) -> None:
    db = tmp_path / "camdesk.sqlite3"
    Store.open(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")

    def close_other_program() -> None:
        other.execute("ROLLBACK")
        other.close()

    officer = Officer(DbChoice.RETRY, before=close_other_program)
    opened = open_store_with_recovery(db, tmp_path / "backups", opener=OPEN, ask=officer)
    assert opened is not None
    opened[0].close()
    assert [s[0] for s in officer.seen] == [DatabaseLocked]


def test_database_from_a_newer_camdesk_opens_read_only_when_chosen(tmp_path: Path) -> None:
    db, backups = _database_with_backup(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    officer = Officer(DbChoice.READ_ONLY)
    opened = open_store_with_recovery(db, backups, opener=OPEN, ask=officer)
    assert opened is not None
    store, read_only = opened
    try:
        assert read_only and store.read_only
        assert [c.name for c in wait(store.list_cameras())] == ["Ngõ 12 Đống Đa"]
    finally:
        store.close()
    assert officer.seen[0][0] is DatabaseTooNew


def test_failed_restore_is_explained_on_the_next_round_and_quit_returns_nothing(tmp_path: Path) -> None:
    db = tmp_path / "camdesk.sqlite3"
    _damage(db)
    officer = Officer(DbChoice.RESTORE, DbChoice.QUIT)
    assert open_store_with_recovery(db, tmp_path / "no-backups", opener=OPEN, ask=officer) is None
    assert officer.seen[0] == (DatabaseCorrupt, None, "")
    assert "backup" in officer.seen[1][2]  # why the restore did not work, in words


@pytest.mark.parametrize(
    ("error", "headline", "restore_enabled"),
    [
        (DatabaseLocked("camdesk.sqlite3: database is locked"), "busy", False),
        (DatabaseCorrupt("camdesk.sqlite3: file is not a database"), "damaged", True),
        (DatabaseTooNew("schema 9, this camdesk knows 1"), "newer camdesk", True),
        (StorageError("camdesk.sqlite3: disk I/O error"), "could not be opened", True),
    ],
)
def test_dialog_explains_each_problem_in_plain_words_and_returns_the_choice(
    qtbot, tmp_path: Path, error, headline, restore_enabled
) -> None:
    backup = tmp_path / "camdesk-backup-20260101-000000.sqlite3"
    backup.write_bytes(b"")
    dialog = DbProblemDialog(error, backup)
    qtbot.addWidget(dialog)
    texts = " ".join(w.text() for w in dialog.findChildren(type(dialog.message)))
    assert headline in texts and "Traceback" not in texts
    assert dialog.restore_button.isEnabled() is restore_enabled
    dialog.show()
    dialog.read_only_button.click()
    assert dialog.choice() is DbChoice.READ_ONLY
    closed = DbProblemDialog(error, None)
    qtbot.addWidget(closed)
    assert not closed.restore_button.isEnabled()
    closed.show()
    closed.reject()  # the window's close button
    assert closed.choice() is DbChoice.QUIT


def test_read_only_database_can_be_searched_but_offers_no_changes(qtbot, tmp_path: Path) -> None:
    from camdesk.models.records import BookmarkDraft, HitKind
    from camdesk.ui.bridge import GuiBridge
    from camdesk.ui.records.bookmarks_dock import BookmarksDock
    from camdesk.ui.records.registry_editor import RegistryEditor

    db, _backups = _database_with_backup(tmp_path)
    with Store.open(db) as store:
        cam = wait(store.list_cameras())[0]
        mark = wait(
            store.add_bookmark(BookmarkDraft(cam.id or 0, 1_780_000_000_000, title="Đỗ xe trái phép"), "An")
        )
    ro = Store.open(db, read_only=True)
    try:
        bridge = GuiBridge()
        dock = BookmarksDock(ro, bridge, lambda: "An")
        qtbot.addWidget(dock)
        assert dock.read_only_note.isVisibleTo(dock)
        with qtbot.waitSignal(dock.results_shown, timeout=10000):
            dock.set_search_text("do xe trai")
        assert [h.id for h in dock.model.hits()] == [mark.id]
        dock.select(HitKind.BOOKMARK, [mark.id])
        assert dock.edit_button.isEnabled()
        assert not dock.delete_button.isEnabled() and not dock.incident_button.isEnabled()
        editor = RegistryEditor(ro, bridge, lambda: "An")
        qtbot.addWidget(editor)
        qtbot.waitUntil(lambda: editor.model.rowCount() == 1, timeout=5000)
        assert editor.select_camera(cam.id or 0)
        assert not editor.save_button.isEnabled() and not editor.delete_button.isEnabled()
        assert not editor.export_button.isEnabled()  # exports are audited: they need a writable database
    finally:
        ro.close()

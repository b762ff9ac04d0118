"""Camera passwords never reach the database, the CSV export or the logs; the fallback file is encrypted."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from camdesk.models.camera import Camera, StreamProfile
from camdesk.store import SecretStore, Store
from camdesk.store.secrets import FernetFileBackend, keyring_works

pytestmark = pytest.mark.timeout(60)
PASSWORD = "Mật-khẩu-bí-mật-9431"


def test_without_a_keyring_passwords_go_to_an_encrypted_file_readable_only_by_the_user(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert not keyring_works()  # tests run with keyring's "fail" backend (tests/conftest.py)
    secrets = SecretStore.open(data_dir / "secrets")
    assert isinstance(secrets.backend, FernetFileBackend)
    secrets.set_password(7, PASSWORD)
    assert secrets.password(7) == PASSWORD
    key = data_dir / "secrets" / "key"
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert stat.S_IMODE((data_dir / "secrets").stat().st_mode) == 0o700
    for path in (data_dir / "secrets").iterdir():
        assert PASSWORD.encode() not in path.read_bytes()
    again = SecretStore.open(data_dir / "secrets")  # a new session reads it back with the same key
    assert again.password(7) == PASSWORD
    again.delete_password(7)
    assert again.password(7) is None
    assert PASSWORD not in caplog.text


def test_a_key_file_made_readable_by_others_is_restricted_again(data_dir: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    SecretStore.open(data_dir / "secrets").set_password(1, PASSWORD)
    key = data_dir / "secrets" / "key"
    key.chmod(0o644)
    assert SecretStore.open(data_dir / "secrets").password(1) == PASSWORD
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_passwords_are_in_neither_the_database_nor_the_export(store: Store, data_dir: Path, db_path: Path) -> None:
    secrets = SecretStore.open(data_dir / "secrets")
    cam = store.save_camera(Camera(None, "Cổng", username="admin", main=StreamProfile("rtsp://10.1.1.1/live"))).result(timeout=5)
    secrets.set_password(cam.id or 0, PASSWORD)
    out = data_dir / "registry.csv"
    store.export_registry_csv(out).result(timeout=5)
    store.close()
    blobs = [db_path.read_bytes(), out.read_bytes()] + [p.read_bytes() for p in data_dir.glob("*.sqlite3-wal")]
    for blob in blobs:
        assert PASSWORD.encode() not in blob
    assert b"admin" not in out.read_bytes()  # the export has no user-name column either

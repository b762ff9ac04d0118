"""Camera passwords, kept out of the database, the settings, the logs and every export.

Where an OS keyring works (Secret Service, macOS Keychain, Windows Credential Locker) passwords go there.
Otherwise they go to ``secrets/passwords.fernet`` in the data directory, encrypted with Fernet
(AES-128-CBC + HMAC-SHA256) under a random key in ``secrets/key`` that only the user can read (0600,
directory 0700). The file fallback protects against copies of the data directory without the key (a
backup of the database, a CSV export, a screenshot of the settings); it does not protect against someone
who can read the user's files, which is the same boundary as the OS keyring on an unlocked session.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
import threading
from pathlib import Path
from typing import Protocol

from cryptography.fernet import Fernet, InvalidToken

from camdesk.errors import StorageError

log = logging.getLogger(__name__)
SERVICE = "camdesk"


class SecretBackend(Protocol):
    name: str

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...


class KeyringBackend:
    """The OS keyring via the ``keyring`` package."""

    name = "keyring"

    def get(self, key: str) -> str | None:
        import keyring

        value: str | None = keyring.get_password(SERVICE, key)
        return value

    def set(self, key: str, value: str) -> None:
        import keyring

        keyring.set_password(SERVICE, key, value)

    def delete(self, key: str) -> None:
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, key)


class FernetFileBackend:
    """An encrypted JSON file whose key lives in a 0600 file beside it."""

    name = "encrypted-file"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.key_file = directory / "key"
        self.data_file = directory / "passwords.fernet"
        self._lock = threading.Lock()
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            directory.chmod(0o700)
        self._fernet = Fernet(self._key())

    def _key(self) -> bytes:
        if self.key_file.exists():
            mode = stat.S_IMODE(self.key_file.stat().st_mode)
            if os.name == "posix" and mode & 0o077:
                log.warning("Secret key file was readable by others (mode %o); restricting it to 0600", mode)
                self.key_file.chmod(0o600)
            return self.key_file.read_bytes().strip()
        key = Fernet.generate_key()
        # O_EXCL + mode 0600 at creation: the key is never readable by others, not even for an instant.
        fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        return key

    def _load(self) -> dict[str, str]:
        if not self.data_file.exists():
            return {}
        try:
            data: dict[str, str] = json.loads(self._fernet.decrypt(self.data_file.read_bytes()))
        except InvalidToken as exc:
            raise StorageError("the password file does not match its key (was the key replaced?)") from exc
        return data

    def _save(self, data: dict[str, str]) -> None:
        token = self._fernet.encrypt(json.dumps(data).encode("utf-8"))
        tmp = self.data_file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(token)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(self.data_file)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._load().get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            data = self._load()
            data[key] = value
            self._save(data)

    def delete(self, key: str) -> None:
        with self._lock:
            data = self._load()
            if data.pop(key, None) is not None:
                self._save(data)


def keyring_works() -> bool:
    """Whether a real OS keyring answers (not the fail/null backends, and a probe read succeeds)."""
    try:
        import keyring
        import keyring.errors
    except ImportError:
        return False
    backend = keyring.get_keyring()
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return False
    if module.startswith("keyring.backends.chainer") and not getattr(backend, "backends", ()):
        return False
    try:
        keyring.get_password(SERVICE, "__probe__")
    except (keyring.errors.KeyringError, OSError, RuntimeError) as exc:
        log.info("OS keyring unusable (%s); using the encrypted file", type(exc).__name__)
        return False
    return True


class SecretStore:
    """Camera passwords by camera id. Thread-safe; calls may block briefly (keyring D-Bus, file fsync),
    so the UI calls them from a worker, never the GUI thread."""

    def __init__(self, backend: SecretBackend) -> None:
        self.backend = backend

    @classmethod
    def open(cls, secrets_dir: Path, *, use_keyring: bool | None = None) -> SecretStore:
        """The OS keyring if one works (or if ``use_keyring`` is True), else the encrypted file in ``secrets_dir``."""
        if use_keyring is None:
            use_keyring = keyring_works()
        backend: SecretBackend = KeyringBackend() if use_keyring else FernetFileBackend(secrets_dir)
        log.info("Camera passwords are kept in the %s", backend.name)
        return cls(backend)

    @staticmethod
    def _key(camera_id: int) -> str:
        return f"camera:{camera_id}"

    def password(self, camera_id: int) -> str | None:
        return self.backend.get(self._key(camera_id))

    def set_password(self, camera_id: int, password: str) -> None:
        if password:
            self.backend.set(self._key(camera_id), password)
        else:
            self.backend.delete(self._key(camera_id))

    def delete_password(self, camera_id: int) -> None:
        self.backend.delete(self._key(camera_id))

"""Where camdesk keeps its state. Everything lives under one data directory (``--data-dir``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "camdesk"


def default_data_dir() -> Path:
    """The platform's per-user data directory (e.g. ``~/.local/share/camdesk`` on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataDir:
    """The layout of a data directory; creating it is explicit (``ensure``)."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "camdesk.sqlite3"

    @property
    def config_file(self) -> Path:
        return self.root / "config.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def recordings(self) -> Path:
        return self.root / "recordings"

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    def ensure(self) -> DataDir:
        for p in (self.root, self.logs, self.recordings, self.snapshots, self.backups):
            p.mkdir(parents=True, exist_ok=True)
        self.secrets.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self


def resources_dir() -> Path:
    """The bundled resources (translations, theme, icons), also inside a PyInstaller build."""
    return Path(__file__).resolve().parent / "resources"

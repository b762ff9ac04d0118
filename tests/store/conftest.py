"""Fixtures for the store tests: a real SQLite file in a fresh data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from camdesk.models.camera import Area, Camera
from camdesk.store import Store


class Clock:
    """A settable clock (UTC ms) so tests control audit and case-number times."""

    def __init__(self, ms: int = 1_767_225_600_000) -> None:  # 2026-01-01 00:00 UTC
        self.ms = ms

    def __call__(self) -> int:
        self.ms += 1
        return self.ms


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(data_dir: Path) -> Path:
    return data_dir / "camdesk.sqlite3"


@pytest.fixture
def store(db_path: Path, data_dir: Path, clock: Clock) -> Iterator[Store]:
    s = Store.open(db_path, backup_dir=data_dir / "backups", clock=clock)
    yield s
    s.close()


@pytest.fixture
def camera(store: Store) -> Camera:
    area = store.save_area(Area(None, "Tổ dân phố 5")).result(timeout=5)
    return store.save_camera(Camera(None, "Cổng chợ Đống Đa", area_id=area.id), "officer").result(timeout=5)

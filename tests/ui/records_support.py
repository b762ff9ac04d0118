"""Shared pieces of the records UI tests: a real Store on a temporary SQLite file, cameras, frames."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import cv2
import numpy as np
import pytest

from camdesk.models.camera import Area, Camera, OwnerType
from camdesk.models.stream import VideoFrame
from camdesk.store import Store

T = TypeVar("T")
OFFICER = "Trung úy Nguyễn Văn An"


def wait(future: concurrent.futures.Future[T], timeout: float = 10.0) -> T:
    """Test-side wait for a store Future (the test thread, never the widgets, waits)."""
    return future.result(timeout=timeout)


@pytest.fixture(name="store")
def store_fixture(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "camdesk.sqlite3", backup_dir=tmp_path / "backups")
    yield s
    s.close()


@pytest.fixture(name="bridge")
def bridge_fixture(qapp: Any) -> Any:
    from camdesk.ui.bridge import GuiBridge

    return GuiBridge()


def add_cameras(store: Store) -> list[Camera]:
    """Two registered cameras in two residential groups, with owners and consent."""
    g1 = wait(store.save_area(Area(None, "Tổ dân phố số 3")))
    g2 = wait(store.save_area(Area(None, "Tổ dân phố số 7")))
    c1 = wait(
        store.save_camera(
            Camera(
                id=None,
                name="Ngõ 12 Đống Đa",
                area_id=g1.id,
                address="12 Đống Đa",
                latitude=21.0285,
                longitude=105.8542,
                owner_name="Trần Thị Bình",
                owner_type=OwnerType.HOUSEHOLD,
                owner_phone="0912345678",
                consent_given_on="2026-01-05",
                consent_scope="Xem trực tiếp và ghi hình",
                consent_expires="2027-01-05",
            ),
            OFFICER,
        )
    )
    c2 = wait(
        store.save_camera(
            Camera(
                id=None,
                name="Chợ Hàng Bè",
                area_id=g2.id,
                owner_name="Công ty TNHH Minh Phát",
                owner_type=OwnerType.BUSINESS,
                owner_phone="+84987654321",
                consent_given_on="2025-11-20",
            ),
            OFFICER,
        )
    )
    return [c1, c2]


def make_frame(seconds_ago: float = 3.0, width: int = 1280, height: int = 720, seed: int = 1) -> VideoFrame:
    """A BGRA frame with shapes on it (not a flat colour, so the JPEG is a real picture)."""
    rng = np.random.default_rng(seed)
    img = np.zeros((height, width, 4), np.uint8)
    img[..., 3] = 255
    img[:, :, 0] = np.linspace(0, 255, width, dtype=np.uint8)[None, :]
    img[:, :, 1] = np.linspace(0, 255, height, dtype=np.uint8)[:, None]
    for _ in range(8):
        x, y = int(rng.integers(0, width - 100)), int(rng.integers(0, height - 100))
        cv2.rectangle(img, (x, y), (x + 90, y + 60), (0, 0, 255, 255), -1)
    now = time.time()
    captured = now - seconds_ago
    return VideoFrame(
        image=img,
        width=width,
        height=height,
        received_at=captured + 0.05,
        captured_at=captured,
        sequence=seed,
    )

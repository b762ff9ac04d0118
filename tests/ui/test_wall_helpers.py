"""Shared rigs for the wall tests: real simulator, real engine, real store on a temporary file.

Imported by the other ``test_wall_*`` / ``test_tree*`` / ``test_soak*`` / ``test_event_loop*`` modules;
it holds no tests itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from camdesk.models.camera import Area, Camera, StreamProfile
from camdesk.paths import DataDir
from camdesk.sim.cluster import SimCluster
from camdesk.store import SecretStore, Store
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.demo import parse_camera_line, register
from camdesk.ui.wall.context import WallContext
from camdesk.video import EngineSettings, StreamSupervisor

SIM_PASSWORD = "wall-test-pw"
# Quick failure reporting so state tests do not wait for the production back-off.
FAST_ENGINE = EngineSettings(
    open_timeout_s=2.0, read_timeout_s=2.0, stall_timeout_s=2.0, offline_after_attempts=1, offline_after_s=2.0,
    auth_retry_s=30.0, pause_grace_s=1.0,
)


@contextlib.contextmanager
def sim(cameras: int, **kwargs: Any) -> Iterator[SimCluster]:
    """Virtual cameras in this process (loop mode unless told), with a user and password."""
    kwargs.setdefault("user", "demo")
    kwargs.setdefault("password", SIM_PASSWORD)
    kwargs.setdefault("main", "640x360@15")
    kwargs.setdefault("sub", "320x180@15")
    with SimCluster(cameras, **kwargs) as cluster:
        yield cluster


@dataclass
class WallRig:
    """Everything a wall window needs, built from real parts."""

    context: WallContext
    store: Store
    secrets: SecretStore
    supervisor: StreamSupervisor
    data: DataDir
    camera_ids: list[int]

    def close(self) -> None:
        self.context.hub.shutdown()
        self.supervisor.shutdown(timeout=3.0)
        self.store.close()


def make_rig(
    data_dir: Path,
    cluster: SimCluster | None = None,
    engine: EngineSettings = FAST_ENGINE,
    extra_cameras: list[tuple[Camera, str]] = (),  # type: ignore[assignment]
) -> WallRig:
    """A store on ``data_dir`` with the cluster's cameras registered (3 groups), an engine and a context."""
    data = DataDir(data_dir).ensure()
    store = Store.open(data.database, backup_dir=data.backups)
    secrets = SecretStore.open(data.secrets, use_keyring=False)
    ids: list[int] = []
    if cluster is not None:
        lines = [parse_camera_line(c) for c in cluster.cameras]
        ids = register(store, secrets, [x for x in lines if x is not None], SIM_PASSWORD)
    for camera, password in extra_cameras:
        saved = store.save_camera(camera).result(timeout=10)
        secrets.set_password(saved.id, password)
        ids.append(saved.id)
    bridge = GuiBridge()
    holder: dict[str, Any] = {}
    supervisor = StreamSupervisor(lambda status: holder["hub"].on_engine_status(status), engine)
    context = WallContext.create(
        bridge, store, supervisor, lambda cid: secrets.password(cid) or "", data.snapshots
    )
    holder["hub"] = context.hub
    return WallRig(context, store, secrets, supervisor, data, ids)


def loaded(qtbot: Any, rig: WallRig) -> None:
    """Load cameras and layouts from the store and wait until they arrived."""
    with qtbot.waitSignal(rig.context.catalog.changed, timeout=10_000):
        rig.context.load()


def camera_at(url: str, name: str, area: Area | None = None) -> Camera:
    return Camera(None, name, main=StreamProfile(url), area_id=area.id if area else None, username="demo")


def playing_tiles(wall: Any) -> int:
    return sum(1 for t in wall.tiles if t.frames_painted > 0 and t.status is not None and t.status.state.value == "playing")

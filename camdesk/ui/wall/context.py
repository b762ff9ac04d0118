"""What every wall window shares: the bridge, the camera catalog, the stream hub and the saved layouts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from camdesk.config import Settings
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.wall.catalog import CameraCatalog
from camdesk.ui.wall.hub import FrameSupervisor, PasswordLookup, StreamHub
from camdesk.ui.wall.layouts import LayoutManager


@dataclass
class WallContext:
    """Shared services of the wall windows (GUI thread). ``store`` may be None (no database: nothing saved)."""

    bridge: GuiBridge
    catalog: CameraCatalog
    hub: StreamHub
    layouts: LayoutManager
    snapshots_dir: Path | None = None
    settings: Settings | None = None
    store: Any | None = None

    @staticmethod
    def create(
        bridge: GuiBridge,
        store: Any | None = None,
        supervisor: FrameSupervisor | None = None,
        password_for: PasswordLookup | None = None,
        snapshots_dir: Path | None = None,
        settings: Settings | None = None,
    ) -> WallContext:
        catalog = CameraCatalog(bridge, store)
        hub = StreamHub(bridge, catalog, supervisor, password_for)
        layouts = LayoutManager(bridge, store)
        return WallContext(bridge, catalog, hub, layouts, snapshots_dir, settings or Settings(), store)

    def load(self) -> None:
        """Start loading cameras and saved layouts from the store (results arrive later)."""
        self.catalog.reload()
        self.layouts.reload()

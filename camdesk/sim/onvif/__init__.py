"""The virtual camera's ONVIF side: SOAP 1.2 services for every camera on one HTTP port, JPEG
snapshots, and a WS-Discovery responder.

Entry point for :class:`camdesk.sim.cluster.SimCluster`: :func:`start_onvif`. Paths per camera are
``/onvif/cam{index}/{device,media,media2,ptz,events}_service`` and ``/onvif/cam{index}/snapshot.jpg``;
the optional virtual recorder (NVR) whose channels are all the cameras is ``/onvif/nvr/device_service``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from camdesk.sim.spec import SimCamera

if TYPE_CHECKING:
    from camdesk.sim.scene import Scene


class OnvifHandle:
    """A running ONVIF server (and optional discovery responder). ``stop()`` is idempotent."""

    def __init__(self, host: str, port: int, discovery_port: int | None, stop: Callable[[], None]) -> None:
        self.host = host
        self.port = port
        self.discovery_port = discovery_port
        self._stop = stop
        self.nvr: SimCamera | None = None  # the virtual recorder's device state (faults, password), if any

    def device_url(self, cam: SimCamera) -> str:
        return f"http://{self.host}:{self.port}/onvif/{cam.spec.slug}/device_service"

    def snapshot_url(self, cam: SimCamera) -> str:
        return f"http://{self.host}:{self.port}/onvif/{cam.spec.slug}/snapshot.jpg"

    @property
    def nvr_url(self) -> str | None:
        """The virtual recorder's device service address, or None without ``nvr=True``."""
        return f"http://{self.host}:{self.port}/onvif/nvr/device_service" if self.nvr is not None else None

    def stop(self) -> None:
        self._stop()


def start_onvif(
    cameras: list[SimCamera],
    host: str,
    port: int,
    rtsp_uri: Callable[[SimCamera, str], str],
    scenes: dict[int, Scene],
    discovery: bool = True,
    *,
    multicast: bool = False,
    multicast_interface: str | None = None,
    nvr: bool = False,
) -> OnvifHandle:
    """Serve ONVIF for ``cameras`` on ``host:port`` (0 = ephemeral) from background threads.

    ``rtsp_uri(cam, "main"|"sub")`` is the stream URI without credentials; ``scenes`` maps a camera's
    index to its scene (snapshots, motion events). ``discovery`` also starts a unicast WS-Discovery
    responder on an ephemeral UDP port (``OnvifHandle.discovery_port``). ``multicast`` (explicit, for
    network namespaces and real LANs) also joins 239.255.255.250:3702 on ``multicast_interface`` (an
    IPv4 address) and sends Hello at start and Bye at stop. ``nvr`` adds a virtual recorder (one more
    device, also discoverable) whose channels are ``cameras`` (``OnvifHandle.nvr_url``).
    """
    from camdesk.sim.onvif.server import start

    return start(cameras, host, port, rtsp_uri, scenes, discovery=discovery, multicast=multicast,
                 multicast_interface=multicast_interface, nvr=nvr)

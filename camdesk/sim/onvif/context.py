"""What a service handler gets for one request: the camera, its URLs and the shared event hub."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from camdesk.sim.onvif.soap import SoapRequest
from camdesk.sim.spec import SimCamera

if TYPE_CHECKING:
    from camdesk.sim.onvif.events_service import EventHub
    from camdesk.sim.scene import Scene

MAIN, SUB = "Profile_Main", "Profile_Sub"
PROFILE_STREAMS = {MAIN: "main", SUB: "sub"}
VIDEO_SOURCE = "VideoSource_1"
VIDEO_SOURCE_CONFIG = "VideoSourceConfig_1"
PTZ_NODE = "PTZNode_1"
PTZ_CONFIG = "PTZConfig_1"


@dataclass(frozen=True)
class Call:
    """One SOAP call to one camera's service (handlers run on the HTTP server's worker threads)."""

    cam: SimCamera
    request: SoapRequest
    base_url: str  # http://host:port/onvif/cam{index}
    rtsp_uri: Callable[[SimCamera, str], str]
    scene: Scene | None
    events: EventHub

    def service_url(self, name: str) -> str:
        return f"{self.base_url}/{name}_service"

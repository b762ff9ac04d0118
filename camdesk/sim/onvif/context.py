"""What a service handler gets for one request: the device, its channels, its URLs and the shared event hub.

A camera is a device with one channel (itself). The virtual recorder (NVR) is a device whose channels are
the cluster's cameras: one video source, a main and a sub profile per channel, and that camera's RTSP
URIs and PTZ state. Handlers build every reply from :meth:`Call.channel_list` / :meth:`Call.profile`,
so one code path serves both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from camdesk.sim.onvif.soap import SoapFault, SoapRequest
from camdesk.sim.spec import Resolution, SimCamera

if TYPE_CHECKING:
    from camdesk.sim.onvif.events_service import EventHub
    from camdesk.sim.scene import Scene

MAIN, SUB = "Profile_Main", "Profile_Sub"  # a camera's profile tokens (channel 1)
VIDEO_SOURCE = "VideoSource_1"
VIDEO_SOURCE_CONFIG = "VideoSourceConfig_1"
STREAMS = ("main", "sub")


@dataclass(frozen=True)
class Channel:
    """One video input of a device: ``number`` is 1-based; ``cam`` supplies streams, sizes and PTZ."""

    number: int
    cam: SimCamera
    recorder: bool = False

    @property
    def source_token(self) -> str:
        return f"VideoSource_{self.number}"

    @property
    def source_config_token(self) -> str:
        return f"VideoSourceConfig_{self.number}"

    @property
    def ptz_node(self) -> str:
        return f"PTZNode_{self.number}"

    @property
    def ptz_config(self) -> str:
        return f"PTZConfig_{self.number}"

    def profile_token(self, stream: str) -> str:
        """``Profile_Main``/``Profile_Sub`` on a camera; ``Profile_Main_3`` etc. on a recorder's channel 3."""
        base = MAIN if stream == "main" else SUB
        return f"{base}_{self.number}" if self.recorder else base


@dataclass(frozen=True)
class ProfileRef:
    """A media profile: which channel and which of its streams ("main" or "sub")."""

    channel: Channel
    stream: str

    @property
    def token(self) -> str:
        return self.channel.profile_token(self.stream)

    @property
    def resolution(self) -> Resolution:
        spec = self.channel.cam.spec
        return spec.main if self.stream == "main" else spec.sub


@dataclass(frozen=True)
class Call:
    """One SOAP call to one device's service (handlers run on the HTTP server's worker threads).

    ``cam`` is the device answering (identity, credentials, clock, faults); ``channels`` is empty for a
    camera (its only channel is itself) and lists the channel cameras for the virtual recorder.
    """

    cam: SimCamera
    request: SoapRequest
    base_url: str  # http://host:port/onvif/cam{index} (or .../onvif/nvr)
    rtsp_uri: Callable[[SimCamera, str], str]
    scene: Scene | None
    events: EventHub
    channels: tuple[SimCamera, ...] = ()

    @property
    def recorder(self) -> bool:
        return bool(self.channels)

    def service_url(self, name: str) -> str:
        return f"{self.base_url}/{name}_service"

    def snapshot_url(self, channel: Channel) -> str:
        """The channel camera's own snapshot address (a recorder hands out its channels' addresses)."""
        if not self.recorder:
            return f"{self.base_url}/snapshot.jpg"
        return f"{self.base_url.rsplit('/', 1)[0]}/{channel.cam.spec.slug}/snapshot.jpg"

    def channel_list(self) -> list[Channel]:
        if not self.recorder:
            return [Channel(1, self.cam)]
        return [Channel(i + 1, cam, recorder=True) for i, cam in enumerate(self.channels)]

    def profiles(self) -> list[ProfileRef]:
        """Every profile in the order GetProfiles lists them: per channel, main then sub."""
        return [ProfileRef(ch, stream) for ch in self.channel_list() for stream in STREAMS]

    def profile(self, token: str) -> ProfileRef:
        """The profile with ``token``; a NoProfile fault (as cameras answer) when there is none."""
        for ref in self.profiles():
            if ref.token == token:
                return ref
        raise SoapFault("Sender", ("ter:InvalidArgVal", "ter:NoProfile"), "The profile does not exist")

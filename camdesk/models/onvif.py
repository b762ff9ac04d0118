"""What the ONVIF client reports: discovered devices, probe results, PTZ capabilities, presets, tours and
events. Plain frozen dataclasses: zeep objects never leave :mod:`camdesk.onvif`. No credentials here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from camdesk.models.camera import StreamProfile


@dataclass(frozen=True)
class DiscoveredDevice:
    """A device that answered a WS-Discovery Probe. ``xaddrs`` are its device service URLs."""

    address: str  # the IP address the reply came from
    xaddrs: tuple[str, ...] = ()
    name: str = ""  # from the scope onvif://www.onvif.org/name/...
    hardware: str = ""  # from the scope onvif://www.onvif.org/hardware/...
    location: str = ""
    endpoint: str = ""  # the device's WS-Addressing endpoint reference (urn:uuid:...)
    scopes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    @property
    def device_url(self) -> str:
        """The first HTTP device service URL (the one to log in to)."""
        for url in self.xaddrs:
            if url.startswith(("http://", "https://")):
                return url
        return self.xaddrs[0] if self.xaddrs else ""


@dataclass(frozen=True)
class DeviceInfo:
    """GetDeviceInformation, read after login."""

    manufacturer: str = ""
    model: str = ""
    firmware: str = ""
    serial: str = ""
    hardware_id: str = ""


@dataclass(frozen=True)
class PtzCapabilities:
    """What a camera's PTZ node offers; the UI hides what is missing."""

    continuous: bool = False
    zoom: bool = False
    absolute: bool = False
    relative: bool = False
    presets: bool = False
    max_presets: int = 0
    home: bool = False

    @property
    def any(self) -> bool:
        return self.continuous or self.absolute or self.relative or self.presets


class MediaVersion(StrEnum):
    MEDIA1 = "media1"
    MEDIA2 = "media2"


@dataclass(frozen=True)
class MediaProfile:
    """One ONVIF media profile, reduced to what choosing streams needs."""

    token: str
    name: str
    stream: StreamProfile
    video_source_token: str = ""
    ptz: bool = False  # the profile has a PTZ configuration


@dataclass(frozen=True)
class Channel:
    """One video source of a device (a recorder has one per camera input) with its chosen streams."""

    video_source_token: str
    name: str
    main: StreamProfile | None
    sub: StreamProfile | None
    snapshot_uri: str = ""
    ptz: PtzCapabilities = field(default_factory=PtzCapabilities)
    ptz_profile_token: str = ""
    profiles: tuple[MediaProfile, ...] = ()


@dataclass(frozen=True)
class DeviceProbe:
    """Everything a successful login test learned. ``channels`` has one entry per video source; a single
    camera has one, a recorder (NVR) several. ``main``/``sub``/``snapshot_uri``/``ptz`` are the first
    channel's, for the common single-camera case."""

    device_url: str
    info: DeviceInfo
    media: MediaVersion
    channels: tuple[Channel, ...]
    events: bool = False
    time_offset_s: float = 0.0  # device clock minus ours

    @property
    def first(self) -> Channel | None:
        return self.channels[0] if self.channels else None

    @property
    def main(self) -> StreamProfile | None:
        return self.channels[0].main if self.channels else None

    @property
    def sub(self) -> StreamProfile | None:
        return self.channels[0].sub if self.channels else None

    @property
    def snapshot_uri(self) -> str:
        return self.channels[0].snapshot_uri if self.channels else ""

    @property
    def ptz(self) -> PtzCapabilities:
        return self.channels[0].ptz if self.channels else PtzCapabilities()

    @property
    def profiles(self) -> tuple[MediaProfile, ...]:
        return tuple(p for c in self.channels for p in c.profiles)

    @property
    def is_recorder(self) -> bool:
        return len(self.channels) > 1


@dataclass(frozen=True)
class PtzPreset:
    token: str
    name: str


@dataclass(frozen=True)
class PtzPosition:
    """Pan/tilt in [-1, 1] and zoom in [0, 1] (ONVIF generic spaces)."""

    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0


@dataclass(frozen=True)
class TourStop:
    """One stop of a tour: go to ``preset_token`` at ``speed`` (0..1), stay ``dwell_s`` seconds."""

    preset_token: str
    dwell_s: float = 10.0
    speed: float = 0.5


@dataclass(frozen=True)
class PtzTour:
    name: str
    stops: tuple[TourStop, ...]
    loops: int = 0  # 0 = until stopped


class EventKind(StrEnum):
    MOTION = "motion"
    OTHER = "other"


@dataclass(frozen=True)
class CameraEvent:
    """One event from a camera's PullPoint. ``time`` is wall-clock seconds (UTC epoch) in our clock."""

    camera_id: int
    time: float
    kind: EventKind
    topic: str
    active: bool
    source: str = ""  # the video source or rule the event is about
    data: tuple[tuple[str, str], ...] = ()

"""What a virtual camera says about itself: serial number, MAC address, endpoint UUID and ONVIF scopes.

Shared by the device service (GetScopes, GetDeviceInformation) and WS-Discovery (ProbeMatches), so a
client sees the same identity both ways. Everything is derived from the spec, so it is stable across
runs.
"""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import quote

from camdesk.sim.spec import CameraSpec

FIRMWARE_VERSION = "1.0.0"


def _digest(spec: CameraSpec) -> bytes:
    return hashlib.sha256(f"camdesk-sim/{spec.seed}/{spec.index}/{spec.name}".encode()).digest()


def serial_number(spec: CameraSpec) -> str:
    return "SIM" + _digest(spec)[:6].hex().upper()


def mac_address(spec: CameraSpec) -> str:
    """A locally administered unicast MAC (02:...)."""
    raw = bytes([0x02]) + _digest(spec)[6:11]
    return ":".join(f"{b:02x}" for b in raw)


def endpoint_uuid(spec: CameraSpec) -> str:
    """The WS-Discovery EndpointReference address, ``urn:uuid:...``."""
    return "urn:uuid:" + str(uuid.UUID(bytes=_digest(spec)[:16], version=4))


def scopes(spec: CameraSpec) -> list[str]:
    """ONVIF scopes as real cameras advertise them (Home Assistant filters on Profile/Streaming)."""
    items = [
        "onvif://www.onvif.org/type/video_encoder",
        "onvif://www.onvif.org/Profile/Streaming",
        "onvif://www.onvif.org/Profile/T",
        f"onvif://www.onvif.org/name/{quote(spec.name, safe='')}",
        f"onvif://www.onvif.org/hardware/{quote(spec.model, safe='')}",
        f"onvif://www.onvif.org/location/{quote(spec.location or 'unknown', safe='/')}",
    ]
    if spec.ptz:
        items.insert(1, "onvif://www.onvif.org/type/ptz")
    return items

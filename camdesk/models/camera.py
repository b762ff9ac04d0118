"""The camera registry's records. URIs here never hold credentials; those live in the secret store."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class OwnerType(StrEnum):
    HOUSEHOLD = "household"
    BUSINESS = "business"
    WARD = "ward"


class Codec(StrEnum):
    H264 = "h264"
    H265 = "h265"


@dataclass(frozen=True)
class Area:
    """A residential group (tổ dân phố)."""

    id: int | None
    name: str
    description: str = ""


@dataclass(frozen=True)
class StreamProfile:
    """One stream a camera offers (main or sub), as chosen from its ONVIF profiles or typed by hand."""

    uri: str  # without credentials
    width: int = 0
    height: int = 0
    fps: float = 0.0
    codec: Codec | None = None
    profile_token: str = ""


@dataclass(frozen=True)
class Camera:
    """A registered camera. ``id`` is None until the store has saved it."""

    id: int | None
    name: str
    main: StreamProfile | None = None
    sub: StreamProfile | None = None
    area_id: int | None = None
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    owner_name: str = ""
    owner_type: OwnerType = OwnerType.HOUSEHOLD
    owner_phone: str = ""
    consent_given_on: str = ""  # ISO date
    consent_scope: str = ""
    consent_expires: str = ""  # ISO date, empty = no expiry
    installed_on: str = ""  # ISO date
    onvif_url: str = ""  # device service URL, without credentials
    username: str = ""  # the password is in the secret store, keyed by camera id
    snapshot_uri: str = ""
    ptz: bool = False
    ptz_profile_token: str = ""
    notes: str = ""
    enabled: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)

"""Rules for the camera registry: required fields, Vietnamese phone numbers, coordinates, consent dates.

``camera_problems`` lists every problem (the registry editor and the CSV preview show them all at once);
``check_camera`` raises the first one.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from camdesk.i18n import QT_TRANSLATE_NOOP
from camdesk.models.camera import Camera
from camdesk.store.errors import FieldInvalid

# Mobile: 0 + 9 digits (03x, 05x, 07x, 08x, 09x). Landline since 2017: 02x + 8 digits (11 in all).
# Either may start with +84 instead of the 0.
_PHONE = re.compile(r"^(?:0|\+84)(?:[35789]\d{8}|2\d{9})$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def normalize_phone(phone: str) -> str:
    """``phone`` without spaces, dots, dashes and parentheses ("090 123.4567" -> "0901234567")."""
    return _PHONE_SEPARATORS.sub("", phone.strip())


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def camera_problems(camera: Camera) -> list[FieldInvalid]:
    """Every rule ``camera`` breaks, in field order; empty when it may be saved."""
    problems: list[FieldInvalid] = []
    if not camera.name.strip():
        problems.append(FieldInvalid("name", QT_TRANSLATE_NOOP("Store", "The camera needs a name.")))
    elif len(camera.name) > 200:
        problems.append(
            FieldInvalid("name", QT_TRANSLATE_NOOP("Store", "The name is too long (at most 200 characters)."))
        )
    if camera.latitude is not None and not -90.0 <= camera.latitude <= 90.0:
        problems.append(
            FieldInvalid(
                "latitude",
                QT_TRANSLATE_NOOP("Store", "Latitude {value} is outside -90 to 90 degrees."),
                value=camera.latitude,
            )
        )
    if camera.longitude is not None and not -180.0 <= camera.longitude <= 180.0:
        problems.append(
            FieldInvalid(
                "longitude",
                QT_TRANSLATE_NOOP("Store", "Longitude {value} is outside -180 to 180 degrees."),
                value=camera.longitude,
            )
        )
    if (camera.latitude is None) != (camera.longitude is None):
        problems.append(
            FieldInvalid(
                "longitude" if camera.longitude is None else "latitude",
                QT_TRANSLATE_NOOP("Store", "Give both latitude and longitude, or neither."),
            )
        )
    if camera.owner_phone and not _PHONE.match(normalize_phone(camera.owner_phone)):
        problems.append(
            FieldInvalid(
                "owner_phone",
                QT_TRANSLATE_NOOP(
                    "Store",
                    "Phone number {value} is not valid: use a mobile number (10 digits starting with 0), a landline"
                    " (11 digits starting with 02), or +84 instead of the first 0.",
                ),
                value=camera.owner_phone,
            )
        )
    dates: dict[str, dt.date | None] = {}
    for name in ("consent_given_on", "consent_expires", "installed_on"):
        value: str = getattr(camera, name)
        dates[name] = None
        if value:
            dates[name] = _date(value)
            if dates[name] is None:
                problems.append(
                    FieldInvalid(
                        name,
                        QT_TRANSLATE_NOOP("Store", "Date {value} is not valid: use YYYY-MM-DD."),
                        value=value,
                    )
                )
    given, expires = dates["consent_given_on"], dates["consent_expires"]
    if given is not None and expires is not None and expires <= given:
        problems.append(
            FieldInvalid(
                "consent_expires",
                QT_TRANSLATE_NOOP("Store", "The consent must expire after the day it was given ({given})."),
                given=given.isoformat(),
            )
        )
    if camera.consent_expires and not camera.consent_given_on:
        problems.append(
            FieldInvalid(
                "consent_given_on",
                QT_TRANSLATE_NOOP("Store", "Give the day the owner agreed before an expiry date."),
            )
        )
    uris = {"onvif_url": camera.onvif_url, "snapshot_uri": camera.snapshot_uri}
    uris.update({"main": camera.main.uri if camera.main else "", "sub": camera.sub.uri if camera.sub else ""})
    for name, uri in uris.items():
        if has_credentials(uri):
            problems.append(_credentials_in_uri(name))
    return problems


def has_credentials(uri: str) -> bool:
    """Whether ``uri`` carries a user name or password (``scheme://user:pass@host``)."""
    try:
        return "@" in urlsplit(uri.strip()).netloc
    except ValueError:
        return False


def _credentials_in_uri(field: str) -> FieldInvalid:
    return FieldInvalid(
        field,
        QT_TRANSLATE_NOOP(
            "Store", "Remove the user name and password from the address; enter them in the login fields."
        ),
    )


def check_camera(camera: Camera) -> None:
    """Raise the first :class:`FieldInvalid` ``camera`` has."""
    problems = camera_problems(camera)
    if problems:
        raise problems[0]

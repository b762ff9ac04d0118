"""The camera registry. Stream and ONVIF addresses are stored without credentials (validation refuses
them); passwords live in :mod:`camdesk.store.secrets`."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import sqlite_utils

from camdesk.i18n import QT_TRANSLATE_NOOP
from camdesk.models.camera import Camera, Codec, OwnerType, StreamProfile
from camdesk.store import audit
from camdesk.store.errors import FieldInvalid, NotFound
from camdesk.store.validation import check_camera, normalize_phone

COLUMNS = (
    "name", "area_id", "address", "latitude", "longitude", "owner_name", "owner_type", "owner_phone",
    "consent_given_on", "consent_scope", "consent_expires", "installed_on", "onvif_url", "username",
    "snapshot_uri", "main_stream", "sub_stream", "ptz", "ptz_profile_token", "notes", "enabled", "tags",
)


def _profile_json(profile: StreamProfile | None) -> str | None:
    if profile is None:
        return None
    return json.dumps(
        {"uri": profile.uri, "width": profile.width, "height": profile.height, "fps": profile.fps,
         "codec": profile.codec.value if profile.codec else None, "profile_token": profile.profile_token},
        ensure_ascii=False,
    )


def _profile(text: str | None) -> StreamProfile | None:
    if not text:
        return None
    d: dict[str, Any] = json.loads(text)
    return StreamProfile(
        uri=str(d.get("uri", "")), width=int(d.get("width", 0)), height=int(d.get("height", 0)),
        fps=float(d.get("fps", 0.0)), codec=Codec(d["codec"]) if d.get("codec") else None,
        profile_token=str(d.get("profile_token", "")),
    )


def _values(camera: Camera) -> tuple[Any, ...]:
    return (
        camera.name.strip(), camera.area_id, camera.address, camera.latitude, camera.longitude,
        camera.owner_name, camera.owner_type.value, normalize_phone(camera.owner_phone),
        camera.consent_given_on, camera.consent_scope, camera.consent_expires, camera.installed_on,
        camera.onvif_url, camera.username, camera.snapshot_uri, _profile_json(camera.main),
        _profile_json(camera.sub), int(camera.ptz), camera.ptz_profile_token, camera.notes,
        int(camera.enabled), json.dumps(list(camera.tags), ensure_ascii=False),
    )


def _camera(row: sqlite3.Row | tuple[Any, ...]) -> Camera:
    (id_, name, area_id, address, lat, lon, owner_name, owner_type, phone, given, scope, expires, installed,
     onvif_url, username, snapshot_uri, main, sub, ptz, token, notes, enabled, tags) = row
    return Camera(
        id=int(id_), name=name, main=_profile(main), sub=_profile(sub), area_id=area_id, address=address,
        latitude=lat, longitude=lon, owner_name=owner_name, owner_type=OwnerType(owner_type),
        owner_phone=phone, consent_given_on=given, consent_scope=scope, consent_expires=expires,
        installed_on=installed, onvif_url=onvif_url, username=username, snapshot_uri=snapshot_uri,
        ptz=bool(ptz), ptz_profile_token=token, notes=notes, enabled=bool(enabled),
        tags=tuple(json.loads(tags)),
    )


_SELECT = f"SELECT id, {', '.join(COLUMNS)} FROM cameras"


def list_cameras(db: sqlite_utils.Database) -> list[Camera]:
    return [_camera(r) for r in db.conn.execute(f"{_SELECT} ORDER BY name COLLATE NOCASE, id")]


def get_camera(db: sqlite_utils.Database, camera_id: int) -> Camera:
    row = db.conn.execute(f"{_SELECT} WHERE id = ?", (camera_id,)).fetchone()
    if row is None:
        raise NotFound(f"camera {camera_id}")
    return _camera(row)


def save_camera(db: sqlite_utils.Database, camera: Camera, actor: str, now_ms: int) -> Camera:
    """Validate, then insert (``id`` None) or update; audited."""
    check_camera(camera)
    if camera.area_id is not None and db.conn.execute(
        "SELECT 1 FROM areas WHERE id = ?", (camera.area_id,)
    ).fetchone() is None:
        raise FieldInvalid("area_id", QT_TRANSLATE_NOOP("Store", "The residential group no longer exists."))
    values = _values(camera)
    if camera.id is None:
        cur = db.conn.execute(
            f"INSERT INTO cameras ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", values
        )
        saved_id = int(cur.lastrowid or 0)
        audit.append(db, now_ms, actor, "camera.add", f"camera:{saved_id}", camera.name)
    else:
        cur = db.conn.execute(
            f"UPDATE cameras SET {', '.join(c + ' = ?' for c in COLUMNS)} WHERE id = ?", (*values, camera.id)
        )
        if cur.rowcount == 0:
            raise NotFound(f"camera {camera.id}")
        saved_id = camera.id
        audit.append(db, now_ms, actor, "camera.update", f"camera:{saved_id}", camera.name)
    return get_camera(db, saved_id)


def delete_camera(db: sqlite_utils.Database, camera_id: int, actor: str, now_ms: int) -> None:
    """Delete a camera that has no bookmarks (bookmarks are evidence: disable the camera instead)."""
    camera = get_camera(db, camera_id)
    if db.conn.execute("SELECT 1 FROM bookmarks WHERE camera_id = ? LIMIT 1", (camera_id,)).fetchone():
        raise FieldInvalid(
            "id",
            QT_TRANSLATE_NOOP(
                "Store", "Camera {name} has bookmarks, which are kept as evidence. Disable the camera instead."
            ),
            name=camera.name,
        )
    db.conn.execute("DELETE FROM cameras WHERE id = ?", (camera_id,))
    audit.append(db, now_ms, actor, "camera.delete", f"camera:{camera_id}", camera.name)

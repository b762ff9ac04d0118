"""CSV export and import of the camera registry (UTF-8 with a BOM, so spreadsheet programs show Vietnamese).

An import is two steps: ``preview`` parses and validates every row without writing anything and returns a
:class:`CsvPreview` with per-row errors; ``apply`` writes the valid rows of a preview in one transaction.
Exports never contain credentials: there is no password or user-name column, and any user info left in
an address is removed.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import sqlite_utils

from camdesk.i18n import QT_TRANSLATE_NOOP
from camdesk.models.camera import Camera, OwnerType, StreamProfile
from camdesk.models.records import CsvImportResult, CsvPreview, CsvRow, CsvRowError
from camdesk.store import areas, audit, cameras
from camdesk.store.fold import fold
from camdesk.store.validation import camera_problems

COLUMNS = (
    "id", "name", "area", "address", "latitude", "longitude", "owner_name", "owner_type", "owner_phone",
    "consent_given_on", "consent_scope", "consent_expires", "installed_on", "onvif_url", "main_uri",
    "sub_uri", "ptz", "enabled", "notes",
)
MAX_BYTES = 20_000_000

_TRUE = {"1", "true", "yes", "y", "x", "co"}
_FALSE = {"0", "false", "no", "n", "khong"}
_OWNER = {
    "household": OwnerType.HOUSEHOLD, "ho gia dinh": OwnerType.HOUSEHOLD, "ho dan": OwnerType.HOUSEHOLD,
    "business": OwnerType.BUSINESS, "doanh nghiep": OwnerType.BUSINESS, "co so kinh doanh": OwnerType.BUSINESS,
    "ward": OwnerType.WARD, "phuong": OwnerType.WARD, "ubnd phuong": OwnerType.WARD,
}


def strip_credentials(uri: str) -> str:
    """``uri`` without user name and password (``rtsp://u:p@h/x`` -> ``rtsp://h/x``)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return ""
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def export_rows(db: sqlite_utils.Database) -> list[dict[str, str]]:
    area_names = {a.id: a.name for a in areas.list_areas(db)}
    out: list[dict[str, str]] = []
    for c in cameras.list_cameras(db):
        out.append({
            "id": str(c.id), "name": c.name, "area": area_names.get(c.area_id, "") if c.area_id else "",
            "address": c.address, "latitude": "" if c.latitude is None else repr(c.latitude),
            "longitude": "" if c.longitude is None else repr(c.longitude), "owner_name": c.owner_name,
            "owner_type": c.owner_type.value, "owner_phone": c.owner_phone,
            "consent_given_on": c.consent_given_on, "consent_scope": c.consent_scope,
            "consent_expires": c.consent_expires, "installed_on": c.installed_on,
            "onvif_url": strip_credentials(c.onvif_url),
            "main_uri": strip_credentials(c.main.uri) if c.main else "",
            "sub_uri": strip_credentials(c.sub.uri) if c.sub else "",
            "ptz": "1" if c.ptz else "0", "enabled": "1" if c.enabled else "0", "notes": c.notes,
        })
    return out


def export(db: sqlite_utils.Database, path: Path) -> int:
    """Write the registry to ``path``; returns the number of cameras. Written to a temporary file first."""
    rows = export_rows(db)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)
    return len(rows)


def _error(line: int, field: str, text: str, **args: object) -> CsvRowError:
    return CsvRowError(line, field, text, tuple((k, str(v)) for k, v in args.items()))


def _float(value: str) -> float | None:
    value = value.strip().replace(",", ".")
    return None if not value else float(value)


def preview(db: sqlite_utils.Database, path: Path) -> CsvPreview:
    """Parse and validate ``path``; nothing is written."""
    try:
        raw = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        return CsvPreview(path.name, (), (_error(0, "", QT_TRANSLATE_NOOP("Store", "The file cannot be read: {detail}"), detail=exc.strerror or str(exc)),))
    if len(raw) > MAX_BYTES:
        return CsvPreview(path.name, (), (_error(0, "", QT_TRANSLATE_NOOP("Store", "The file is too large for a camera list.")),))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return CsvPreview(path.name, (), (_error(0, "", QT_TRANSLATE_NOOP("Store", "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")),))
    return preview_text(db, text, path.name)


def preview_text(db: sqlite_utils.Database, text: str, source: str) -> CsvPreview:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "name" not in header:
        return CsvPreview(source, (), (_error(1, "name", QT_TRANSLATE_NOOP("Store", "The first line must name the columns, including “name”.")),))
    reader.fieldnames = header
    existing = {c.id: c for c in cameras.list_cameras(db)}
    rows: list[CsvRow] = []
    errors: list[CsvRowError] = []
    for record in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in record.items() if k is not None}
        if not any(values.values()):
            continue
        row, row_errors = _row(line, values, existing)
        errors += row_errors
        if row is not None and not row_errors:
            rows.append(row)
    return CsvPreview(source, tuple(rows), tuple(errors))


def _row(line: int, v: dict[str, str], existing: dict[int | None, Camera]) -> tuple[CsvRow | None, list[CsvRowError]]:
    errors: list[CsvRowError] = []
    base: Camera | None = None
    if v.get("id"):
        # A known id updates that camera; an unknown one (a list from another computer) adds a new camera.
        try:
            base = existing.get(int(v["id"]))
        except ValueError:
            errors.append(_error(line, "id", QT_TRANSLATE_NOOP("Store", "Id {value} is not a number; leave it empty to add a new camera."), value=v["id"]))
    coords: dict[str, float | None] = {}
    for name in ("latitude", "longitude"):
        try:
            coords[name] = _float(v.get(name, ""))
        except ValueError:
            coords[name] = None
            errors.append(_error(line, name, QT_TRANSLATE_NOOP("Store", "{value} is not a number."), value=v[name]))
    owner = _OWNER.get(fold(v.get("owner_type", "")) or "household")
    if owner is None:
        errors.append(_error(line, "owner_type", QT_TRANSLATE_NOOP("Store", "Owner type {value} is unknown: use household, business or ward."), value=v["owner_type"]))
        owner = OwnerType.HOUSEHOLD
    flags: dict[str, bool] = {}
    for name, default in (("ptz", False), ("enabled", True)):
        raw = v.get(name, "")
        if not raw:
            flags[name] = default if base is None else bool(getattr(base, name))
        elif fold(raw) in _TRUE:
            flags[name] = True
        elif fold(raw) in _FALSE:
            flags[name] = False
        else:
            flags[name] = default
            errors.append(_error(line, name, QT_TRANSLATE_NOOP("Store", "{value} is not yes or no (1 or 0)."), value=raw))
    start = base or Camera(None, "")
    camera = dataclasses.replace(
        start,
        name=v.get("name", ""), address=v.get("address", start.address),
        latitude=coords["latitude"], longitude=coords["longitude"],
        owner_name=v.get("owner_name", start.owner_name), owner_type=owner,
        owner_phone=v.get("owner_phone", start.owner_phone),
        consent_given_on=v.get("consent_given_on", start.consent_given_on),
        consent_scope=v.get("consent_scope", start.consent_scope),
        consent_expires=v.get("consent_expires", start.consent_expires),
        installed_on=v.get("installed_on", start.installed_on),
        onvif_url=v.get("onvif_url", start.onvif_url),
        main=_profile(start.main, v.get("main_uri")), sub=_profile(start.sub, v.get("sub_uri")),
        ptz=flags["ptz"], enabled=flags["enabled"], notes=v.get("notes", start.notes),
        area_id=None if "area" in v else start.area_id,  # an "area" column names the group (resolved on apply)
    )
    for problem in camera_problems(camera):
        errors.append(CsvRowError(line, problem.field, problem.text, tuple((k, str(x)) for k, x in problem.values.items())))
    if errors:
        return None, errors
    return CsvRow(line, camera, v.get("area", ""), "update" if base is not None else "add"), []


def _profile(old: StreamProfile | None, uri: str | None) -> StreamProfile | None:
    if uri is None:
        return old
    if not uri:
        return None
    if old is not None and old.uri == uri:
        return old
    return StreamProfile(uri=uri)


def apply(db: sqlite_utils.Database, preview_: CsvPreview, actor: str, now_ms: int) -> CsvImportResult:
    """Write the valid rows of ``preview_`` (inside the caller's transaction); audited."""
    added = updated = 0
    for row in preview_.rows:
        area_id = areas.area_by_name(db, row.area_name, create=True) if row.area_name else row.camera.area_id
        cameras.save_camera(db, dataclasses.replace(row.camera, area_id=area_id), actor, now_ms)
        if row.action == "add":
            added += 1
        else:
            updated += 1
    skipped = tuple(sorted({e.line for e in preview_.errors}))
    audit.append(db, now_ms, actor, "registry.import", preview_.source,
                 f"added:{added} updated:{updated} skipped:{len(skipped)}")
    return CsvImportResult(added, updated, skipped)


def header_line(columns: Iterable[str] = COLUMNS) -> str:
    return ",".join(columns)

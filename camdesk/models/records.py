"""Records officers keep: bookmarks, incidents (vụ việc) and their notes, the audit trail, search, uptime
and registry import previews. Times are UTC milliseconds; ids are None until the store has saved them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from camdesk.models.camera import Camera


class Severity(StrEnum):
    """How serious a bookmark or incident is; the order is the enum's order."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IncidentStatus(StrEnum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    CLOSED = "closed"


@dataclass(frozen=True)
class BookmarkDraft:
    """What the UI hands to the store to make a bookmark (an immutable request).

    ``start_ms`` is the wall-clock time of the frame on screen, not the time of the key press.
    ``snapshot_jpeg`` is a small JPEG thumbnail (may be empty).
    """

    camera_id: int
    start_ms: int
    duration_ms: int = 0
    title: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()
    severity: Severity = Severity.MEDIUM
    snapshot_jpeg: bytes = b""


@dataclass(frozen=True)
class Bookmark:
    """A saved bookmark. ``author`` is the officer who made it; ``created_ms`` when it was saved."""

    id: int
    camera_id: int
    start_ms: int
    duration_ms: int
    title: str
    note: str
    tags: tuple[str, ...]
    severity: Severity
    author: str
    created_ms: int
    snapshot_jpeg: bytes = field(default=b"", repr=False)

    def draft(self) -> BookmarkDraft:
        """The editable part of this bookmark (for ``Store.update_bookmark``)."""
        return BookmarkDraft(
            self.camera_id, self.start_ms, self.duration_ms, self.title, self.note, self.tags,
            self.severity, self.snapshot_jpeg,
        )


@dataclass(frozen=True)
class IncidentDraft:
    """The fields an officer fills in to open an incident."""

    title: str
    category: str
    severity: Severity = Severity.MEDIUM
    officer: str = ""
    occurred_ms: int | None = None
    place: str = ""
    description: str = ""


@dataclass(frozen=True)
class IncidentNote:
    """One entry of an incident's notes timeline. Notes are never edited; a correction is a new note."""

    id: int
    incident_id: int
    author: str
    at_ms: int
    text: str


@dataclass(frozen=True)
class Incident:
    """An incident (vụ việc) with its case number ``VV-<year>-<4 digits>``, notes and linked bookmarks."""

    id: int
    case_number: str
    title: str
    category: str
    status: IncidentStatus
    severity: Severity
    officer: str
    occurred_ms: int | None
    place: str
    description: str
    created_ms: int
    created_by: str
    notes: tuple[IncidentNote, ...] = ()
    bookmark_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class AuditEntry:
    """One row of the append-only, hash-chained audit log."""

    id: int
    at_ms: int
    actor: str
    action: str
    object: str
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditVerdict:
    """The result of checking the audit chain. ``first_bad_id`` names the first altered or missing row."""

    ok: bool
    rows_checked: int
    first_bad_id: int | None = None
    problem: str = ""  # "altered", "missing" or "" when ok
    detail: str = ""  # English, for logs and the UI's details box


class HitKind(StrEnum):
    BOOKMARK = "bookmark"
    INCIDENT = "incident"


@dataclass(frozen=True)
class SearchQuery:
    """A search over bookmarks and incidents.

    ``text`` is matched word by word, each word as a prefix, ignoring case and Vietnamese diacritics
    ("tro cap" finds "trộm cắp"); empty text lists everything that passes the filters, newest first.
    Filters that only make sense for one kind exclude the other: ``tags`` keeps bookmarks only,
    ``categories``/``statuses`` keep incidents only. ``camera_ids``/``area_ids`` keep bookmarks on
    those cameras and incidents linked to a bookmark on them. The time range (``from_ms`` inclusive,
    ``to_ms`` exclusive) applies to a bookmark's start and an incident's occurrence (else creation) time.
    """

    text: str = ""
    kinds: frozenset[HitKind] = frozenset({HitKind.BOOKMARK, HitKind.INCIDENT})
    camera_ids: tuple[int, ...] = ()
    area_ids: tuple[int, ...] = ()
    from_ms: int | None = None
    to_ms: int | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[IncidentStatus, ...] = ()
    limit: int = 100


@dataclass(frozen=True)
class SearchHit:
    """One search result, newest first. ``time_ms`` is a bookmark's start or an incident's occurrence."""

    kind: HitKind
    id: int
    title: str
    time_ms: int
    camera_id: int | None = None
    case_number: str = ""
    excerpt: str = ""


@dataclass(frozen=True)
class UptimeRow:
    """Availability of one camera (``scope == "camera"``) or one residential group (``"area"``) over a period.

    ``unknown_ms`` is time with no status known (before the first report); the percentage counts only
    known time, and is None when nothing is known.
    """

    scope: str
    id: int | None
    name: str
    online_ms: int
    offline_ms: int
    unknown_ms: int

    @property
    def uptime_percent(self) -> float | None:
        known = self.online_ms + self.offline_ms
        return None if known == 0 else 100.0 * self.online_ms / known


@dataclass(frozen=True)
class CsvRowError:
    """A problem in one CSV row: ``line`` is the 1-based line in the file (the header is line 1).

    ``message`` is the translatable English template and ``args`` its values (see camdesk.i18n.Message,
    context "Store").
    """

    line: int
    field: str
    message: str
    args: tuple[tuple[str, str], ...] = ()

    def english(self) -> str:
        return self.message.format(**dict(self.args))


@dataclass(frozen=True)
class CsvRow:
    """A valid row of an import: the camera it becomes, whether it adds or updates, its area's name."""

    line: int
    camera: Camera
    area_name: str
    action: str  # "add" or "update"


@dataclass(frozen=True)
class CsvPreview:
    """The parsed, validated content of a registry CSV. Nothing is written until ``Store.apply_registry_csv``."""

    source: str
    rows: tuple[CsvRow, ...]
    errors: tuple[CsvRowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class CsvImportResult:
    added: int
    updated: int
    skipped_lines: tuple[int, ...] = ()

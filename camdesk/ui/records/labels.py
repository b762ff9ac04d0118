"""Translated labels for record enums, and local-time formatting (dd/MM/yyyy HH:mm:ss)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime

from camdesk.models.camera import OwnerType
from camdesk.models.records import IncidentStatus, Severity

CTX = "Records"
TIME_FORMAT = "dd/MM/yyyy HH:mm:ss"


def local_time(ms: int | None) -> str:
    """``ms`` (UTC milliseconds) in the system's local time zone as dd/MM/yyyy HH:mm:ss; "" for None."""
    if ms is None:
        return ""
    return QDateTime.fromMSecsSinceEpoch(int(ms)).toLocalTime().toString(TIME_FORMAT)


def severity_label(severity: Severity) -> str:
    texts = {
        Severity.LOW: QCoreApplication.translate("Records", "Low"),
        Severity.MEDIUM: QCoreApplication.translate("Records", "Medium"),
        Severity.HIGH: QCoreApplication.translate("Records", "High"),
        Severity.CRITICAL: QCoreApplication.translate("Records", "Critical"),
    }
    return texts[severity]


def status_label(status: IncidentStatus) -> str:
    texts = {
        IncidentStatus.OPEN: QCoreApplication.translate("Records", "Open"),
        IncidentStatus.INVESTIGATING: QCoreApplication.translate("Records", "Investigating"),
        IncidentStatus.CLOSED: QCoreApplication.translate("Records", "Closed"),
    }
    return texts[status]


def owner_type_label(owner_type: OwnerType) -> str:
    texts = {
        OwnerType.HOUSEHOLD: QCoreApplication.translate("Records", "Household"),
        OwnerType.BUSINESS: QCoreApplication.translate("Records", "Business"),
        OwnerType.WARD: QCoreApplication.translate("Records", "Ward"),
    }
    return texts[owner_type]


def split_tags(text: str) -> tuple[str, ...]:
    """Tags typed as "a, b; c" -> ("a", "b", "c"), trimmed, without empties or repeats (order kept)."""
    seen: dict[str, None] = {}
    for part in text.replace(";", ",").split(","):
        tag = part.strip()
        if tag and tag not in seen:
            seen[tag] = None
    return tuple(seen)

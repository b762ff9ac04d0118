"""The camdesk error hierarchy.

Every class also subclasses the fitting built-in (``TimeoutError``, ``PermissionError``,
``ConnectionError``, ...), so generic handlers keep working. Each error carries a translatable,
officer-readable ``user_message`` (see :mod:`camdesk.i18n`); ``str(error)`` is the technical detail for
logs. Neither may contain credentials: build them from scrubbed values (:func:`camdesk.logs.scrub`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from camdesk.i18n import QT_TRANSLATE_NOOP, Message

CTX = "Errors"


class CamdeskError(Exception):
    """Base class. ``user_text`` is the translatable template shown to the user."""

    user_text: ClassVar[str] = QT_TRANSLATE_NOOP("Errors", "Something went wrong: {detail}")

    def __init__(self, detail: str = "", **args: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.args_for_message: dict[str, Any] = {"detail": detail, **args}

    @property
    def user_message(self) -> Message:
        return Message(CTX, self.user_text, self.args_for_message)


# --- cameras and network -------------------------------------------------------------------------
class CameraError(CamdeskError):
    user_text = QT_TRANSLATE_NOOP("Errors", "The camera reported a problem: {detail}")


class CameraUnreachable(CameraError, ConnectionError):
    user_text = QT_TRANSLATE_NOOP(
        "Errors", "The camera cannot be reached. Check that it is powered on and connected to the network."
    )


class ConnectionRefused(CameraUnreachable, ConnectionRefusedError):
    user_text = QT_TRANSLATE_NOOP("Errors", "The camera refused the connection. It may be restarting or busy.")


class CameraTimeout(CameraError, TimeoutError):
    user_text = QT_TRANSLATE_NOOP("Errors", "The camera did not answer in time. It may be overloaded or hung.")


class StreamTimeout(CameraTimeout):
    user_text = QT_TRANSLATE_NOOP("Errors", "The video stopped arriving from the camera.")


class AuthFailed(CameraError, PermissionError):
    user_text = QT_TRANSLATE_NOOP("Errors", "Wrong user name or password for this camera.")


class NotOnvifDevice(CameraError, ValueError):
    user_text = QT_TRANSLATE_NOOP(
        "Errors", "This address does not answer like an ONVIF camera. Check the address and port."
    )


class ProtocolError(CameraError, ValueError):
    user_text = QT_TRANSLATE_NOOP("Errors", "The camera sent a reply that could not be understood.")


class HostileReply(ProtocolError):
    user_text = QT_TRANSLATE_NOOP(
        "Errors", "The camera sent an unsafe reply, which was refused. The device may be faulty or tampered with."
    )


class Unsupported(CameraError, NotImplementedError):
    user_text = QT_TRANSLATE_NOOP("Errors", "This camera or stream is not supported: {detail}")


class InvalidUrl(CameraError, ValueError):
    user_text = QT_TRANSLATE_NOOP("Errors", "The camera address is not valid: {detail}")


# --- local storage -------------------------------------------------------------------------------
class StorageError(CamdeskError, OSError):
    user_text = QT_TRANSLATE_NOOP("Errors", "The data could not be saved or read: {detail}")


class DiskFull(StorageError):
    user_text = QT_TRANSLATE_NOOP(
        "Errors", "The disk is full. Nothing was lost, but new data cannot be saved until space is freed."
    )


class DatabaseLocked(StorageError):
    user_text = QT_TRANSLATE_NOOP(
        "Errors", "The database is in use by another camdesk window or program. Close it and try again."
    )


class DatabaseCorrupt(StorageError):
    user_text = QT_TRANSLATE_NOOP(
        "Errors", "The database file is damaged. You can restore the latest backup or open it read-only."
    )


class DatabaseTooNew(StorageError):
    user_text = QT_TRANSLATE_NOOP(
        "Errors",
        "The database was created by a newer version of camdesk ({detail}). Update camdesk, or open it read-only.",
    )


class ValidationError(CamdeskError, ValueError):
    """Input that breaks a rule; ``field`` names the input."""

    user_text = QT_TRANSLATE_NOOP("Errors", "{detail}")

    def __init__(self, detail: str = "", field: str = "", **args: Any) -> None:
        super().__init__(detail, field=field, **args)
        self.field = field


# --- configuration -------------------------------------------------------------------------------
class ConfigError(CamdeskError, ValueError):
    user_text = QT_TRANSLATE_NOOP("Errors", "A setting is not valid: {detail}")

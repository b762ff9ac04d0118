"""Logging: console plus a rotating file, with credentials scrubbed from every record.

The scrubbing filter sits on the handlers, so it also covers records from third-party loggers
(zeep, aiohttp, PyAV/FFmpeg) and from every thread.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
import types
from collections.abc import Callable
from pathlib import Path

MASK = "***"

# Each pattern keeps the non-secret context (group 1) and masks the secret.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # scheme://user:password@host  -> scheme://***:***@host (the user name can identify the owner too)
    (re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s:@]*:[^/\s@]*@"), rf"\1{MASK}:{MASK}@"),
    # scheme://user@host
    (re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s:@]+@"), rf"\1{MASK}@"),
    # password=..., pwd=..., passwd=..., pass=... in query strings, forms and key=value logs
    (
        re.compile(r"""((?:password|passwd|pwd|pass|secret|token)["']?\s*[=:]\s*["']?)[^&\s"',;}]+""", re.I),
        rf"\1{MASK}",
    ),
    # WS-Security UsernameToken: <wsse:Password ...>secret</wsse:Password>, <wsse:Nonce ...>...</wsse:Nonce>
    (re.compile(r"(<(?:[\w-]+:)?(?:Password|Nonce)\b[^>]*>)[^<]*", re.I), rf"\1{MASK}"),
    # HTTP Authorization / Proxy-Authorization headers: dict-repr form {'Authorization': '...'} first,
    # then the raw "Authorization: ..." header, masked to the end of the line
    (re.compile(r"""((?:proxy-)?authorization["']\s*[:=]\s*)(["']).*?\2""", re.I), rf"\1\2{MASK}\2"),
    (re.compile(r"""((?:proxy-)?authorization\s*[:=]\s*)(?!["']?\*\*\*)[^\r\n]+""", re.I), rf"\1{MASK}"),
]


def scrub(text: str) -> str:
    """Remove credentials from ``text`` (URLs with user info, password parameters, WS-Security, auth headers)."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubFilter(logging.Filter):
    """Rewrites a record's message, arguments and traceback text with credentials removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"


def setup_logging(log_dir: Path | None, level: int = logging.INFO, console: bool = True) -> None:
    """Configure the root logger once: console and rotating file, both scrubbed.

    Call before importing libraries that call ``logging.basicConfig`` at import (onvif-zeep-async).
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_camdesk", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = []
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_dir / "camdesk.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
            )
        )
    scrubber = ScrubFilter()
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(scrubber)
        handler._camdesk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("zeep", "httpx", "aiohttp", "asyncio", "urllib3"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def install_excepthooks(report: Callable[[BaseException], None] | None = None) -> None:
    """Log every uncaught exception (main thread and worker threads) with its traceback.

    ``report(exc)`` is called afterwards, e.g. by the UI to show a translated message; it runs on the
    thread that failed, so the UI must marshal it to the GUI thread itself.
    """
    log = logging.getLogger("camdesk.crash")

    def main_hook(
        exc_type: type[BaseException], exc: BaseException, tb: types.TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("Uncaught exception", exc_info=(exc_type, exc, tb))
        if report is not None:
            report(exc)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        log.error(
            "Uncaught exception in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )
        if report is not None:
            report(args.exc_value)

    sys.excepthook = main_hook
    threading.excepthook = thread_hook

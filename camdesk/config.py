"""Typed, validated settings stored as JSON in the data directory.

A malformed file, an unknown key or an invalid value never stops the app: each problem becomes a
translatable message that names the file, the key and the problem; the key falls back to its default;
the original file is kept beside it (renamed ``*.bad-<time>``) and a corrected file is written.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camdesk.i18n import QT_TRANSLATE_NOOP, Message

log = logging.getLogger(__name__)
CTX = "Config"
SCHEMA_VERSION = 1


def _one_of(*choices: str) -> Callable[[Any], bool]:
    return lambda v: v in choices


def _between(lo: float, hi: float) -> Callable[[Any], bool]:
    return lambda v: lo <= v <= hi


@dataclass(frozen=True)
class Settings:
    """User settings. ``metadata['check']`` validates a value; ``metadata['rule']`` explains the rule."""

    language: str = field(
        default="auto", metadata={"check": _one_of("auto", "vi", "en"), "rule": "one of auto, vi, en"}
    )
    # Stream engine
    transport: str = field(default="tcp", metadata={"check": _one_of("tcp", "udp"), "rule": "tcp or udp"})
    open_timeout_s: float = field(default=5.0, metadata={"check": _between(0.5, 60), "rule": "0.5 to 60"})
    read_timeout_s: float = field(default=5.0, metadata={"check": _between(0.5, 60), "rule": "0.5 to 60"})
    stall_timeout_s: float = field(default=5.0, metadata={"check": _between(1, 120), "rule": "1 to 120"})
    hardware_decoding: bool = field(default=False, metadata={"check": lambda v: True, "rule": "true or false"})
    # Wall
    show_statistics: bool = field(default=False, metadata={"check": lambda v: True, "rule": "true or false"})
    tour_seconds: int = field(default=20, metadata={"check": _between(3, 3600), "rule": "3 to 3600"})
    last_layout: str = field(default="", metadata={"check": lambda v: len(v) <= 200, "rule": "a layout name"})
    # ONVIF
    onvif_timeout_s: float = field(default=5.0, metadata={"check": _between(0.5, 60), "rule": "0.5 to 60"})
    # Storage
    backups_kept: int = field(default=14, metadata={"check": _between(1, 365), "rule": "1 to 365"})
    operator_name: str = field(default="", metadata={"check": lambda v: len(v) <= 100, "rule": "a name"})


@dataclass(frozen=True)
class ConfigProblem:
    """One problem found while loading settings; ``message`` is for the user, translated by the UI."""

    file: Path
    key: str
    message: Message


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


def _type_ok(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, type(default))


def _problem(path: Path, key: str, text: str, **args: Any) -> ConfigProblem:
    return ConfigProblem(path, key, Message(CTX, text, {"file": str(path), "key": key, **args}))


def parse(raw: Any, path: Path) -> tuple[Settings, list[ConfigProblem]]:
    """Validate already-decoded JSON; every bad key falls back to its default."""
    problems: list[ConfigProblem] = []
    if not isinstance(raw, dict):
        problems.append(
            _problem(path, "", QT_TRANSLATE_NOOP("Config", "{file}: the settings must be a JSON object; using defaults."))
        )
        return Settings(), problems
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "version":
            continue
        spec = _FIELDS.get(key)
        if spec is None:
            problems.append(
                _problem(path, key, QT_TRANSLATE_NOOP("Config", "{file}: unknown setting \"{key}\" was ignored."))
            )
            continue
        default = spec.default
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not _type_ok(value, default) or not spec.metadata["check"](value):
            problems.append(
                _problem(
                    path,
                    key,
                    QT_TRANSLATE_NOOP(
                        "Config",
                        "{file}: setting \"{key}\" has the invalid value {value}; it must be {rule}. "
                        "Using the default {default}.",
                    ),
                    value=json.dumps(value, ensure_ascii=False),
                    rule=spec.metadata["rule"],
                    default=json.dumps(default),
                )
            )
            continue
        values[key] = value
    return Settings(**values), problems


def load(path: Path) -> tuple[Settings, list[ConfigProblem]]:
    """Read settings from ``path``. Never raises for bad content; a missing file means defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except OSError as exc:
        return Settings(), [
            _problem(path, "", QT_TRANSLATE_NOOP("Config", "{file} could not be read ({error}); using defaults."),
                     error=exc.strerror or str(exc))
        ]
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        settings: Settings = Settings()
        problems = [
            _problem(
                path,
                "",
                QT_TRANSLATE_NOOP("Config", "{file} is not valid JSON (line {line}); using the default settings."),
                line=getattr(exc, "lineno", 0),
            )
        ]
    else:
        settings, problems = parse(raw, path)
    if problems:
        kept = keep_bad_file(path)
        for p in problems:
            log.warning("%s (original kept as %s)", p.message.english(), kept)
        save(path, settings)
    return settings, problems


def keep_bad_file(path: Path) -> Path:
    """Keep a copy of a bad settings file for inspection; return its new name."""
    kept = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
    shutil.copy2(path, kept)
    return kept


def save(path: Path, settings: Settings) -> None:
    """Write settings atomically (a crash leaves the old file or the new one, never half of one)."""
    data = {"version": SCHEMA_VERSION, **dataclasses.asdict(settings)}
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)

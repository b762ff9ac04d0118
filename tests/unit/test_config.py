"""Bad settings never stop the app: each problem is named, defaults are used, the bad file is kept."""

from __future__ import annotations

import json
from pathlib import Path

from camdesk import config
from camdesk.config import Settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def kept_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".bad-*"))


def test_missing_file_gives_defaults_without_complaint(tmp_path: Path) -> None:
    settings, problems = config.load(tmp_path / "config.json")
    assert settings == Settings()
    assert problems == []


def test_valid_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    config.save(path, Settings(language="vi", transport="udp", tour_seconds=30, operator_name="Đại úy Nguyễn Văn A"))
    settings, problems = config.load(path)
    assert problems == []
    assert settings.language == "vi" and settings.transport == "udp" and settings.tour_seconds == 30
    assert settings.operator_name == "Đại úy Nguyễn Văn A"


def test_malformed_json_names_the_file_uses_defaults_and_keeps_the_bad_file(tmp_path: Path) -> None:
    path = write(tmp_path / "config.json", '{"language": "vi",, }')
    settings, problems = config.load(path)
    assert settings == Settings()
    assert len(problems) == 1
    text = problems[0].message.english()
    assert str(path) in text and "not valid JSON" in text and "line 1" in text
    [kept] = kept_copies(path)
    assert kept.read_text(encoding="utf-8") == '{"language": "vi",, }'
    assert json.loads(path.read_text(encoding="utf-8"))["language"] == "auto"  # a clean file replaces it


def test_unknown_key_is_named_and_ignored_but_good_keys_survive(tmp_path: Path) -> None:
    path = write(tmp_path / "config.json", json.dumps({"language": "vi", "colour_scheme": "pink"}))
    settings, problems = config.load(path)
    assert settings.language == "vi"
    assert [p.key for p in problems] == ["colour_scheme"]
    assert "colour_scheme" in problems[0].message.english() and str(path) in problems[0].message.english()
    assert len(kept_copies(path)) == 1


def test_invalid_value_falls_back_to_that_keys_default_only(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.json",
        json.dumps({"language": "fr", "transport": "udp", "tour_seconds": "ten", "stall_timeout_s": 0}),
    )
    settings, problems = config.load(path)
    assert settings.transport == "udp"
    assert settings.language == Settings().language
    assert settings.tour_seconds == Settings().tour_seconds
    assert settings.stall_timeout_s == Settings().stall_timeout_s
    by_key = {p.key: p.message.english() for p in problems}
    assert set(by_key) == {"language", "tour_seconds", "stall_timeout_s"}
    assert '"fr"' in by_key["language"] and "auto, vi, en" in by_key["language"]
    assert "1 to 120" in by_key["stall_timeout_s"]


def test_a_json_list_instead_of_an_object_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "config.json", "[1, 2]")
    settings, problems = config.load(path)
    assert settings == Settings()
    assert "JSON object" in problems[0].message.english()


def test_integers_are_accepted_for_float_settings(tmp_path: Path) -> None:
    path = write(tmp_path / "config.json", json.dumps({"open_timeout_s": 3}))
    settings, problems = config.load(path)
    assert problems == [] and settings.open_timeout_s == 3.0

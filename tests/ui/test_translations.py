"""Every user-visible string has a Vietnamese translation, with the same placeholders, compiled to .qm."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
assert _spec and _spec.loader
i18n_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(i18n_tool)

PLACEHOLDER = re.compile(r"\{[a-zA-Z_0-9]*(?:[:!][^}]*)?\}")


@pytest.fixture(scope="module")
def fresh_ts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed .ts files, updated from the current sources in a temporary folder."""
    out = tmp_path_factory.mktemp("ts")
    for ts in i18n_tool.I18N.glob("*.ts"):
        shutil.copy(ts, out / ts.name)
    i18n_tool.update(i18n_tool.areas(), ts_dir=out)
    return out


def test_every_source_string_has_vietnamese(fresh_ts: Path) -> None:
    missing = i18n_tool.todo(ts_dir=fresh_ts)
    assert not missing, "strings without Vietnamese (run tools/i18n.py update, fill, release):\n" + "\n".join(
        missing[:60]
    )


def test_translations_keep_the_placeholders(fresh_ts: Path) -> None:
    bad = []
    for ts in fresh_ts.glob("*_vi.ts"):
        for ctx, src, tr, ok in i18n_tool.messages(ts):
            if ok and sorted(PLACEHOLDER.findall(src)) != sorted(PLACEHOLDER.findall(tr)):
                bad.append(f"{ts.name} [{ctx}] {src!r} -> {tr!r}")
    assert not bad, "\n".join(bad)


def test_compiled_qm_files_are_up_to_date(tmp_path: Path) -> None:
    ts_files = sorted(i18n_tool.I18N.glob("*.ts"))
    assert ts_files, "no translation sources"
    i18n_tool.release(out_dir=tmp_path)
    for ts in ts_files:
        qm = i18n_tool.I18N / (ts.stem + ".qm")
        assert qm.exists(), f"{qm.name} missing: run tools/i18n.py release"
        assert qm.read_bytes() == (tmp_path / qm.name).read_bytes(), f"{qm.name} is stale: run tools/i18n.py release"


def test_vietnamese_is_really_loaded(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    from camdesk.ui.i18n import install_translators

    loaded = install_translators(qapp, "vi")
    try:
        assert loaded
        assert QCoreApplication.translate("Errors", "Wrong user name or password for this camera.") != (
            "Wrong user name or password for this camera."
        )
    finally:
        install_translators(qapp, "en")

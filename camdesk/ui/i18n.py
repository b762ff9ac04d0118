"""Loading the compiled translations (``resources/i18n/*_<lang>.qm``) into the application."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from camdesk.paths import resources_dir

log = logging.getLogger(__name__)
LANGUAGES = ("vi", "en")
_installed: list[QTranslator] = []


def choose_language(requested: str | None) -> str:
    """``--lang`` wins, then the setting (unless ``auto``), then the system locale; English otherwise."""
    if requested in LANGUAGES:
        return requested
    system = QLocale.system().name().split("_")[0]
    return system if system in LANGUAGES else "en"


def install_translators(app: QCoreApplication, lang: str) -> list[str]:
    """Install every ``*_<lang>.qm`` file; return the names loaded. English is the source: nothing to load."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    loaded: list[str] = []
    if lang == "en":
        return loaded
    for qm in sorted((resources_dir() / "i18n").glob(f"*_{lang}.qm")):
        translator = QTranslator(app)
        if translator.load(str(qm)):
            app.installTranslator(translator)
            _installed.append(translator)
            loaded.append(qm.name)
        else:
            log.warning("Translation file %s could not be loaded", qm)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English))
    return loaded

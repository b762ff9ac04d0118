"""Creates the services and the main window and hands the services to the UI; no logic of its own."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from camdesk import config
from camdesk.logs import install_excepthooks, setup_logging
from camdesk.paths import DataDir

log = logging.getLogger(__name__)


def run(data_dir: Path, lang: str | None = None, demo: bool = False, log_level: str = "INFO") -> int:
    """Start the application and block until the last window closes; return the exit code."""
    dirs = DataDir(data_dir).ensure()
    setup_logging(dirs.logs, getattr(logging, log_level))
    from camdesk.video.ffmpeg_logs import route_ffmpeg_logs

    route_ffmpeg_logs()
    settings, problems = config.load(dirs.config_file)

    from PySide6.QtWidgets import QApplication

    from camdesk.ui.bridge import GuiBridge
    from camdesk.ui.i18n import choose_language, install_translators
    from camdesk.ui.main_window import MainWindow
    from camdesk.ui.messages import describe, translate
    from camdesk.ui.theme import apply_dark_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("camdesk")
    install_translators(app, choose_language(lang or (None if settings.language == "auto" else settings.language)))
    apply_dark_theme(app)
    bridge = GuiBridge(app)
    window = MainWindow()
    install_excepthooks(lambda exc: bridge.post(lambda: window.show_error(describe(exc))))
    for problem in problems:
        window.show_error(translate(problem.message))
    window.show()
    log.info("camdesk started, data in %s (demo=%s)", dirs.root, demo)
    return app.exec()

"""Creates the services and the main window and hands the services to the UI; no logic of its own."""

from __future__ import annotations

import dataclasses
import getpass
import logging
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from camdesk import config
from camdesk.logs import install_excepthooks, setup_logging
from camdesk.paths import DataDir

log = logging.getLogger(__name__)


class LazySecrets:
    """Opens the secret store on first use, on whichever worker thread asks (opening may probe a keyring)."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._lock = threading.Lock()
        self._store: Any = None

    def get(self) -> Any:
        with self._lock:
            if self._store is None:
                from camdesk.store.secrets import SecretStore

                self._store = SecretStore.open(self._directory)
            return self._store

    def password(self, camera_id: int) -> str:
        """Runs on the hub's secrets worker."""
        return self.get().password(camera_id) or ""

    def set_password(self, camera_id: int, password: str) -> None:
        """Runs on a worker thread (the desk's)."""
        self.get().set_password(camera_id, password)


@dataclass
class Running:
    """The started application (GUI thread objects plus the services), for ``run`` and for tools."""

    app: Any  # QApplication
    window: Any  # MainWindow
    context: Any  # WallContext
    supervisor: Any  # StreamSupervisor
    store: Any  # Store | None
    demo: Any  # DemoProcess | None
    dirs: DataDir
    desk: Any = None  # camdesk.ui.desk.Desk
    loop_watch: Any = None  # camdesk.ui.loop_watch.LoopWatch: logs a frozen window with the GUI thread's stack

    def shutdown(self) -> None:
        """Close streams, stop the engine and the demo child, close the database (the app is quitting)."""
        if self.loop_watch is not None:
            self.loop_watch.stop()  # quitting takes a moment; that is not a freeze
        self.remember_layout()
        if self.desk is not None:
            self.desk.shutdown()
        self.context.hub.shutdown()
        self.supervisor.shutdown(timeout=2.0)
        if self.demo is not None:
            self.demo.stop()
        if self.store is not None:
            self.store.close()
            self.store = None


    def remember_layout(self) -> None:
        """Keep the saved layout on the wall for the next start (a small file write, at quit time)."""
        settings = self.context.settings
        name = self.window.last_layout_name()
        if settings is None or name == settings.last_layout:
            return
        try:
            config.save(self.dirs.config_file, dataclasses.replace(settings, last_layout=name))
        except OSError as exc:
            log.warning("last layout not remembered: %s", exc)


def quit_on_signals(app: Any) -> None:
    """SIGINT/SIGTERM quit Qt's loop cleanly (so the demo child stops too) instead of killing the process.

    Python runs signal handlers only between bytecodes, so a light timer wakes the interpreter regularly.
    """
    from PySide6.QtCore import QTimer

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    timer = QTimer(app, interval=250)
    timer.timeout.connect(lambda: None)
    timer.start()


def start(data_dir: Path, lang: str | None = None, demo: bool = False, log_level: str = "INFO") -> Running:
    """Create the services and show the main window; the caller runs Qt's event loop."""
    dirs = DataDir(data_dir).ensure()
    setup_logging(dirs.logs, getattr(logging, log_level))
    settings, problems = config.load(dirs.config_file)

    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication

    from camdesk.errors import CamdeskError
    from camdesk.ui.bridge import GuiBridge
    from camdesk.ui.demo import DemoProcess, demo_layout, register_async
    from camdesk.ui.desk import Desk
    from camdesk.ui.i18n import choose_language, install_translators
    from camdesk.ui.loop_watch import APP_FREEZE_S, APP_SLOW_MS, LoopWatch
    from camdesk.ui.main_window import MainWindow
    from camdesk.ui.messages import describe, translate
    from camdesk.ui.records.db_problem_dialog import open_store_with_recovery
    from camdesk.ui.theme import apply_dark_theme
    from camdesk.ui.wall.context import WallContext
    from camdesk.video import EngineSettings, StreamSupervisor

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("camdesk")
    install_translators(app, choose_language(lang or (None if settings.language == "auto" else settings.language)))
    apply_dark_theme(app)
    bridge = GuiBridge(app)

    startup_errors: list[str] = [translate(p.message) for p in problems]
    store: Any = None
    read_only = False
    try:
        # locked, damaged or too new: the officer chooses retry, restore the latest backup, read-only or quit
        opened = open_store_with_recovery(dirs.database, dirs.backups)
    except CamdeskError as exc:  # e.g. the disk cannot be read at all: the wall still runs, nothing is saved
        log.error("database not opened: %s", exc)
        startup_errors.append(describe(exc))
    else:
        if opened is None:
            raise SystemExit(0)  # the officer chose Quit
        store, read_only = opened
    secrets = LazySecrets(dirs.secrets)
    from camdesk.onvif.service import OnvifService  # after setup_logging: the library calls basicConfig

    onvif = OnvifService(timeout=settings.onvif_timeout_s)
    engine_settings = EngineSettings(
        transport=settings.transport,
        open_timeout_s=settings.open_timeout_s,
        read_timeout_s=settings.read_timeout_s,
        stall_timeout_s=settings.stall_timeout_s,
        hardware_decoding=settings.hardware_decoding,
    )
    holder: dict[str, Any] = {}
    # on_status runs on engine worker threads; the hub hands it to the GUI thread
    supervisor = StreamSupervisor(lambda status: holder["hub"].on_engine_status(status), engine_settings)
    context = WallContext.create(bridge, store, supervisor, secrets.password, dirs.snapshots, settings)
    holder["hub"] = context.hub
    window = MainWindow(context)
    desk = Desk(window, store, onvif, secrets.password, secrets.set_password,
                lambda: settings.operator_name or getpass.getuser(), read_only=read_only)
    install_excepthooks(lambda exc: bridge.post(lambda: window.show_error(describe(exc))))
    for text in startup_errors:
        window.show_error(text)
    context.load()

    child: DemoProcess | None = None
    if demo:
        child = DemoProcess(parent=app)

        def cameras_ready(cameras: list[dict[str, Any]]) -> None:
            window.statusBar().showMessage(QCoreApplication.translate("App", "Demo cameras started; adding them…"), 5000)
            if store is None:
                window.show_error(QCoreApplication.translate("App", "The demo needs the database, which could not be opened."))
                return
            assert child is not None
            future = register_async(store, secrets.get, cameras, child.password)

            def registered(ids: list[int]) -> None:
                context.catalog.reload()
                window.wall.set_layout(demo_layout(ids))
                window.statusBar().showMessage(QCoreApplication.translate("App", "Demo: {n} virtual cameras").format(n=len(ids)), 8000)

            def failed(exc: BaseException) -> None:
                log.error("demo cameras not registered: %s", exc)
                window.show_error(describe(exc))

            bridge.when_done(future, registered, failed)

        def child_failed(reason: str) -> None:
            log.error("demo cameras: %s", reason)
            window.show_error(QCoreApplication.translate("App", "The demo cameras could not be started: {reason}").format(reason=reason))

        child.ready.connect(cameras_ready)
        child.failed.connect(child_failed)
        child.start()

    loop_watch = LoopWatch(app, freeze_s=APP_FREEZE_S, slow_ms=APP_SLOW_MS)
    QTimer.singleShot(0, loop_watch.start)  # from the first turn of the event loop, not while starting up
    running = Running(app, window, context, supervisor, store, child, dirs, desk, loop_watch)
    app.aboutToQuit.connect(running.shutdown)
    window.show()
    log.info("camdesk started, data in %s (demo=%s)", dirs.root, demo)
    return running


def run(data_dir: Path, lang: str | None = None, demo: bool = False, log_level: str = "INFO") -> int:
    """Start the application and block until the last window closes; return the exit code."""
    running = start(data_dir, lang, demo, log_level)
    quit_on_signals(running.app)
    return int(running.app.exec())

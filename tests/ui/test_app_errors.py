"""An uncaught exception in any thread is logged with its traceback and shown, translated; the app lives on."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from camdesk.errors import AuthFailed
from camdesk.logs import install_excepthooks, setup_logging
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.i18n import install_translators
from camdesk.ui.messages import describe


def test_worker_thread_exception_is_logged_and_shown_in_vietnamese(qtbot, qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    setup_logging(tmp_path / "logs", logging.INFO, console=False)
    install_translators(qapp, "vi")
    shown: list[str] = []
    bridge = GuiBridge()
    install_excepthooks(lambda exc: bridge.post(lambda: shown.append(describe(exc))))
    try:
        def worker() -> None:
            raise AuthFailed("401 from rtsp://admin:topsecret@192.0.2.7/live")

        t = threading.Thread(target=worker, name="stream-7")
        t.start()
        t.join()
        qtbot.waitUntil(lambda: bool(shown), timeout=3000)
        assert shown == ["Sai tên đăng nhập hoặc mật khẩu của camera này."]
        for handler in logging.getLogger().handlers:
            handler.flush()
        log_text = (tmp_path / "logs" / "camdesk.log").read_text(encoding="utf-8")
        assert "Uncaught exception in thread stream-7" in log_text
        assert "Traceback" in log_text and "AuthFailed" in log_text
        assert "topsecret" not in log_text
    finally:
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__
        install_translators(qapp, "en")
        setup_logging(None, logging.WARNING, console=False)


def test_unexpected_exception_gets_a_generic_message_without_secrets(qapp) -> None:  # type: ignore[no-untyped-def]
    text = describe(RuntimeError("boom at rtsp://u:pw123@host/x"))
    assert "unexpected error" in text and "pw123" not in text


def test_app_starts_with_a_broken_settings_file_and_keeps_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "config.json").write_text('{"language": "xx", "nonsense": 1', encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "camdesk", "--data-dir", str(data), "--lang", "en"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        log = data / "logs" / "camdesk.log"
        while time.monotonic() < deadline:
            if log.exists() and "camdesk started" in log.read_text(encoding="utf-8"):
                break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.2)
        else:
            raise AssertionError("the app did not start within 60 s")
        time.sleep(1.0)
        assert proc.poll() is None, "the app exited instead of running with defaults"
        text = log.read_text(encoding="utf-8")
        assert "is not valid JSON" in text
        assert list(data.glob("config.json.bad-*")), "the broken file was not kept"
        assert json.loads((data / "config.json").read_text(encoding="utf-8"))["language"] == "auto"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

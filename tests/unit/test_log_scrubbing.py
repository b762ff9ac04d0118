"""No credential reaches the console or the log file, from the main thread or a worker thread."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from camdesk.logs import scrub, setup_logging

SECRETS = ["s3cr3t-pass", "Nonce+abc/123==", "dXNlcjpzM2NyM3Q=", "hunter2", "admin-user"]

LINES = [
    "opening rtsp://admin-user:s3cr3t-pass@192.0.2.10:554/Streaming/Channels/101",
    "snapshot http://192.0.2.10/cgi-bin/snapshot.cgi?user=admin&password=hunter2&channel=1",
    "legacy url http://192.0.2.10/video.cgi?pwd=hunter2",
    '<wsse:UsernameToken><wsse:Username>admin</wsse:Username><wsse:Password Type="...#PasswordDigest">'
    "s3cr3t-pass</wsse:Password><wsse:Nonce EncodingType=\"...Base64Binary\">Nonce+abc/123==</wsse:Nonce>",
    "request headers {'Authorization': 'Basic dXNlcjpzM2NyM3Q=', 'Accept': '*/*'}",
    "Authorization: Digest username=\"admin\", realm=\"cam\", response=\"hunter2\"",
]


@pytest.mark.parametrize("line", LINES)
def test_scrub_removes_each_credential_form(line: str) -> None:
    cleaned = scrub(line)
    for secret in SECRETS:
        assert secret not in cleaned
    assert "***" in cleaned


def test_scrub_keeps_the_useful_part_of_a_url() -> None:
    assert scrub("rtsp://u:p@10.0.0.5:554/live") == "rtsp://***:***@10.0.0.5:554/live"


def test_no_secret_reaches_console_or_file(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    setup_logging(tmp_path / "logs", logging.DEBUG)
    log = logging.getLogger("camdesk.test")
    try:
        for line in LINES:
            log.warning(line)
            log.info("formatted %s", line)
        try:
            raise ConnectionError(LINES[0])
        except ConnectionError:
            log.exception("failed to open stream")

        def worker() -> None:
            for line in LINES:
                logging.getLogger("zeep.transports").error("from a worker: %s", line)

        t = threading.Thread(target=worker, name="worker")
        t.start()
        t.join()
        for handler in logging.getLogger().handlers:
            handler.flush()
        console = capfd.readouterr().err
        logfile = (tmp_path / "logs" / "camdesk.log").read_text(encoding="utf-8")
        assert "from a worker" in console and "from a worker" in logfile
        assert "failed to open stream" in logfile and "ConnectionError" in logfile
        for secret in SECRETS:
            assert secret not in console
            assert secret not in logfile
    finally:
        setup_logging(None, logging.WARNING, console=False)

"""Snapshots from the address ONVIF reports: Digest-only on the virtual camera, a wrong password is
reported as such, and nothing but a JPEG is accepted. Credentials never reach the logs."""

from __future__ import annotations

import logging

import pytest

from camdesk.errors import AuthFailed, ProtocolError
from tests.onvif.conftest import PASSWORD, USER, serve_http

pytestmark = pytest.mark.timeout(60)


def test_snapshot_with_digest_login_is_a_jpeg(onvif, sim):
    probe = onvif.probe(sim.url(0), USER, PASSWORD).result(30)
    data = onvif.snapshot(probe.snapshot_uri, USER, PASSWORD).result(30)
    assert data[:2] == b"\xff\xd8" and len(data) > 1000


def test_snapshot_with_wrong_password_says_wrong_password(onvif, sim):
    uri = sim.handle.snapshot_url(sim.cameras[0])
    with pytest.raises(AuthFailed):
        onvif.snapshot(uri, USER, "guess").result(30)


def test_snapshot_that_is_not_an_image_is_refused(onvif):
    url, stop = serve_http(lambda _b: (200, "text/html", b"<html>login</html>"))
    try:
        with pytest.raises(ProtocolError):
            onvif.snapshot(url, USER, PASSWORD).result(30)
    finally:
        stop()


def test_no_credentials_in_logs_after_a_day_of_work(onvif, sim, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "Very-Secret-99"
    sim.cameras[0].set_password(secret)
    onvif.probe(sim.url(0), USER, secret).result(30)
    with pytest.raises(AuthFailed):
        onvif.probe(sim.url(0), USER, secret + "x").result(30)
    onvif.register(1, sim.url(0), USER, secret)
    onvif.ptz_move(1, 0.2, 0).result(10)
    onvif.ptz_stop(1).result(10)
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert caplog.records, "expected some log records"
    assert secret not in text

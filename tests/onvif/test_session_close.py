"""Closing a camera's ONVIF session while its login is still running (the app quits, or the camera is
removed, a moment after it was added) closes every HTTP session the login opened."""

from __future__ import annotations

import concurrent.futures
import gc
import logging
import time

import aiohttp
import pytest

from camdesk.onvif.service import OnvifService
from tests.onvif.conftest import PASSWORD, USER

pytestmark = pytest.mark.timeout(120)
CAM = 1
DELAYS_S = (0.0, 0.01, 0.03, 0.06, 0.1)  # a login on loopback takes about 0.1 s: some land inside it


def open_http_sessions() -> list[aiohttp.ClientSession]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, aiohttp.ClientSession) and not o.closed]


@pytest.mark.parametrize("delay", DELAYS_S)
def test_quitting_during_a_login_leaves_no_http_session_open(sim, caplog, delay: float) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING)
    before = len(open_http_sessions())
    service = OnvifService(timeout=5.0)
    service.register(CAM, sim.url(0), USER, PASSWORD)
    login = service.ptz_capabilities(CAM)
    time.sleep(delay)
    service.shutdown()
    concurrent.futures.wait([login], timeout=10)
    assert len(open_http_sessions()) == before
    assert "Unclosed client session" not in caplog.text
    assert "did not finish" not in caplog.text  # the clean-up ended in time


@pytest.mark.parametrize("delay", DELAYS_S)
def test_removing_a_camera_during_its_login_closes_what_the_login_opened(onvif, sim, delay: float) -> None:  # type: ignore[no-untyped-def]
    before = len(open_http_sessions())
    onvif.register(CAM, sim.url(0), USER, PASSWORD)
    login = onvif.ptz_capabilities(CAM)
    time.sleep(delay)
    onvif.unregister(CAM).result(10)
    concurrent.futures.wait([login], timeout=10)
    assert len(open_http_sessions()) == before

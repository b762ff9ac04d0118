"""Steering a PTZ camera: moves change the virtual camera's position, every continuous move ends with
Stop, presets round-trip, and tours run until stopped or until an operator touches PTZ."""

from __future__ import annotations

import time

import pytest

from camdesk.errors import Unsupported
from camdesk.models.onvif import PtzPosition, PtzTour, TourStop
from tests.conftest import wait_until
from tests.onvif.conftest import PASSWORD, USER

pytestmark = pytest.mark.timeout(60)
CAM = 1


@pytest.fixture
def ptz_cam(onvif, sim):
    onvif.register(CAM, sim.url(0), USER, PASSWORD)
    assert onvif.ptz_capabilities(CAM).result(30).continuous
    return sim.cameras[0].ptz


def test_pan_right_moves_the_camera_right_and_stop_stops_it(onvif, ptz_cam):
    onvif.ptz_move(CAM, 0.8, 0.0).result(10)
    assert wait_until(lambda: ptz_cam.position().pan > 0.1, 5.0)
    onvif.ptz_stop(CAM).result(10)
    assert not ptz_cam.moving()
    stopped_at = ptz_cam.position().pan
    time.sleep(0.3)
    assert ptz_cam.position().pan == pytest.approx(stopped_at)


def test_tilt_down_and_zoom_in_move_the_right_axes(onvif, ptz_cam):
    onvif.ptz_move(CAM, 0.0, -0.8).result(10)
    assert wait_until(lambda: ptz_cam.position().tilt < -0.1, 5.0)
    onvif.ptz_move(CAM, 0.0, 0.0, 0.8).result(10)
    assert wait_until(lambda: ptz_cam.position().zoom > 0.05, 5.0)
    onvif.ptz_stop(CAM).result(10)
    assert not ptz_cam.moving()


def test_exit_sends_stop_to_a_camera_left_moving(onvif, sim, ptz_cam):
    onvif.ptz_move(CAM, 0.3, 0.0).result(10)
    assert ptz_cam.moving()
    onvif.shutdown()
    assert not ptz_cam.moving()


def test_absolute_and_relative_moves_reach_their_targets(onvif, ptz_cam):
    onvif.ptz_absolute(CAM, PtzPosition(0.5, -0.25, 0.2)).result(10)
    assert wait_until(lambda: ptz_cam.position() == type(ptz_cam.position())(0.5, -0.25, 0.2), 5.0)
    onvif.ptz_relative(CAM, -0.5, 0.25).result(10)
    assert wait_until(lambda: abs(ptz_cam.position().pan) < 1e-6 and abs(ptz_cam.position().tilt) < 1e-6, 5.0)
    pos = onvif.ptz_position(CAM).result(10)
    assert pos.pan == pytest.approx(0.0, abs=1e-3)


def test_presets_save_list_rename_goto_and_remove(onvif, ptz_cam):
    onvif.ptz_absolute(CAM, PtzPosition(0.4, 0.1, 0.0)).result(10)
    assert wait_until(lambda: not ptz_cam.moving(), 5.0)
    token = onvif.ptz_save_preset(CAM, "Cổng chợ").result(10)
    assert token
    names = {p.token: p.name for p in onvif.ptz_presets(CAM).result(10)}
    assert names[token] == "Cổng chợ"
    onvif.ptz_home(CAM).result(10)
    assert wait_until(lambda: abs(ptz_cam.position().pan) < 1e-6, 5.0)
    onvif.ptz_goto_preset(CAM, token).result(10)
    assert wait_until(lambda: ptz_cam.position().pan == pytest.approx(0.4), 5.0)
    onvif.ptz_rename_preset(CAM, token, "Market gate").result(10)
    presets = onvif.ptz_presets(CAM).result(10)
    assert [(p.token, p.name) for p in presets if p.token == token] == [(token, "Market gate")]
    assert ptz_cam.presets[token][1].pan == pytest.approx(0.4)  # renaming did not move the preset
    onvif.ptz_remove_preset(CAM, token).result(10)
    assert token not in {p.token for p in onvif.ptz_presets(CAM).result(10)}


def test_tour_visits_presets_and_stops_when_operator_touches_ptz(onvif, ptz_cam):
    a = onvif.ptz_absolute(CAM, PtzPosition(-0.5, 0, 0)).result(10)
    assert a is None and wait_until(lambda: not ptz_cam.moving(), 5.0)
    left = onvif.ptz_save_preset(CAM, "left").result(10)
    onvif.ptz_absolute(CAM, PtzPosition(0.5, 0, 0)).result(10)
    assert wait_until(lambda: not ptz_cam.moving(), 5.0)
    right = onvif.ptz_save_preset(CAM, "right").result(10)
    steps: list[int] = []
    tour = onvif.start_tour(CAM, PtzTour("market", (TourStop(left, 0.3, 1.0), TourStop(right, 0.3, 1.0))),
                            on_step=steps.append)
    assert wait_until(lambda: len(steps) >= 3, 5.0)
    assert onvif.tour_running(CAM)
    seen = {round(ptz_cam.position().pan, 1)}
    assert wait_until(lambda: seen.add(round(ptz_cam.position().pan, 1)) or {-0.5, 0.5} <= seen, 5.0)
    onvif.ptz_move(CAM, 0.0, 0.5).result(10)  # the operator takes over
    assert wait_until(lambda: tour.done(), 5.0)
    assert tour.result() >= 3  # the tour ended normally, reporting the stops it visited
    onvif.ptz_stop(CAM).result(10)
    assert not onvif.tour_running(CAM)


def test_tour_stops_on_request(onvif, ptz_cam):
    token = onvif.ptz_save_preset(CAM, "here").result(10)
    tour = onvif.start_tour(CAM, PtzTour("t", (TourStop(token, 0.2, 1.0),)))
    assert wait_until(lambda: onvif.tour_running(CAM), 5.0)
    onvif.stop_tour(CAM).result(10)
    assert wait_until(lambda: tour.done(), 5.0)


def test_fixed_camera_has_no_ptz_and_says_so(onvif, sim):
    onvif.register(2, sim.url(1), USER, PASSWORD)
    caps = onvif.ptz_capabilities(2).result(30)
    assert not caps.any
    with pytest.raises(Unsupported):
        onvif.ptz_move(2, 0.5, 0).result(10)

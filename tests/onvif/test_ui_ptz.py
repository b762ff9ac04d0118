"""The PTZ dock and PTZ on a tile steer the virtual camera; every move ends with Stop (release, focus
loss, hide, close); unsupported controls are hidden; presets and tours work from the panel."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QFocusEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from camdesk.models.onvif import PtzPosition
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.onvif.ptz_dock import PtzDock
from camdesk.ui.onvif.tile_ptz import TilePtz, drag_velocity
from tests.onvif.conftest import PASSWORD, USER

pytestmark = pytest.mark.timeout(90)
PTZ_CAM, FIXED_CAM = 11, 12


@pytest.fixture
def bridge():
    return GuiBridge()


@pytest.fixture
def dock(qtbot, onvif, sim, bridge):
    onvif.register(PTZ_CAM, sim.url(0), USER, PASSWORD)
    onvif.register(FIXED_CAM, sim.url(1), USER, PASSWORD)
    d = PtzDock(onvif, bridge)
    qtbot.addWidget(d)
    d.show()
    return d


def _select(qtbot, dock, camera_id: int) -> None:
    dock.set_camera(camera_id, "cam")
    qtbot.waitUntil(lambda: dock.status.text() != "Reading the camera's PTZ abilities…", timeout=20000)


def test_pad_moves_the_camera_while_pressed_and_stops_on_release(qtbot, dock, sim):
    ptz = sim.cameras[0].ptz
    _select(qtbot, dock, PTZ_CAM)
    assert dock.pad.isVisible() and dock.zoom_row.isVisible() and dock.presets_box.isVisible()
    right = dock.pad_buttons[(1, 0)]
    qtbot.mousePress(right, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ptz.position().pan > 0.05, timeout=5000)
    qtbot.mouseRelease(right, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)
    assert not dock.moving


def test_zoom_in_button_zooms(qtbot, dock, sim):
    ptz = sim.cameras[0].ptz
    _select(qtbot, dock, PTZ_CAM)
    qtbot.mousePress(dock.zoom_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ptz.position().zoom > 0.02, timeout=5000)
    qtbot.mouseRelease(dock.zoom_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)


def test_hiding_the_dock_mid_move_sends_stop(qtbot, dock, sim):
    ptz = sim.cameras[0].ptz
    _select(qtbot, dock, PTZ_CAM)
    qtbot.mousePress(dock.pad_buttons[(0, 1)], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(ptz.moving, timeout=5000)
    dock.hide()  # no release ever arrives
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)


def test_fixed_camera_hides_every_ptz_control(qtbot, dock):
    _select(qtbot, dock, FIXED_CAM)
    assert not dock.pad.isVisible() and not dock.zoom_row.isVisible()
    assert not dock.presets_box.isVisible() and not dock.tour_box.isVisible() and not dock.home_button.isVisible()
    assert dock.status.text() == "This camera has no PTZ."


def test_presets_saved_recalled_renamed_and_deleted_from_the_panel(qtbot, dock, sim, onvif):
    ptz = sim.cameras[0].ptz
    _select(qtbot, dock, PTZ_CAM)
    onvif.ptz_absolute(PTZ_CAM, PtzPosition(-0.6, 0.2, 0)).result(10)
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)
    dock.preset_name.setText("Ngã tư")
    qtbot.mouseClick(dock.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.preset_list.count() == 1, timeout=10000)
    assert dock.preset_list.item(0).text() == "Ngã tư"
    onvif.ptz_home(PTZ_CAM).result(10)
    qtbot.waitUntil(lambda: abs(ptz.position().pan) < 1e-6, timeout=5000)
    dock.preset_list.setCurrentRow(0)
    qtbot.mouseClick(dock.goto_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: abs(ptz.position().pan + 0.6) < 1e-6, timeout=5000)
    dock.preset_name.setText("Crossroads")
    qtbot.mouseClick(dock.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.preset_list.count() == 1 and dock.preset_list.item(0).text() == "Crossroads",
                    timeout=10000)
    dock.preset_list.setCurrentRow(0)
    qtbot.mouseClick(dock.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.preset_list.count() == 0, timeout=10000)


def test_tour_from_the_panel_runs_until_the_operator_touches_the_pad(qtbot, dock, sim, onvif):
    ptz = sim.cameras[0].ptz
    _select(qtbot, dock, PTZ_CAM)
    for pan in (-0.4, 0.4):
        onvif.ptz_absolute(PTZ_CAM, PtzPosition(pan, 0, 0)).result(10)
        qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)
        onvif.ptz_save_preset(PTZ_CAM, f"p{pan}").result(10)
    dock.refresh_presets()
    qtbot.waitUntil(lambda: dock.preset_list.count() == 2, timeout=10000)
    for row in (0, 1):
        dock.preset_list.setCurrentRow(row)
        qtbot.mouseClick(dock.add_stop_button, Qt.MouseButton.LeftButton)
        dock.tour_table.cellWidget(row, 1).setValue(1.0)
    with qtbot.waitSignal(dock.tour_state, timeout=5000) as started:
        qtbot.mouseClick(dock.start_tour_button, Qt.MouseButton.LeftButton)
    assert started.args == [PTZ_CAM, True]
    qtbot.waitUntil(lambda: onvif.tour_running(PTZ_CAM), timeout=5000)
    seen: set[float] = set()
    qtbot.waitUntil(lambda: seen.add(round(ptz.position().pan, 1)) or {-0.4, 0.4} <= seen, timeout=15000)
    with qtbot.waitSignal(dock.tour_state, timeout=10000) as ended:
        qtbot.mousePress(dock.pad_buttons[(0, 1)], Qt.MouseButton.LeftButton)
    assert ended.args == [PTZ_CAM, False]
    qtbot.mouseRelease(dock.pad_buttons[(0, 1)], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)
    assert dock.start_tour_button.isEnabled()


# --- PTZ on a tile ---------------------------------------------------------------------------------
def test_drag_speed_grows_with_distance():
    assert drag_velocity(2, 0, 400, 300) == (0.0, 0.0)  # dead zone
    slow = drag_velocity(40, 0, 400, 300)
    fast = drag_velocity(120, 0, 400, 300)
    assert 0 < slow[0] < fast[0] <= 1.0
    assert drag_velocity(0, -150, 400, 300) == (0.0, 1.0)  # dragging up tilts up, full speed at the edge
    assert drag_velocity(-500, 0, 400, 300) == (-1.0, 0.0)


@pytest.fixture
def tile(qtbot, onvif, sim, bridge):
    onvif.register(PTZ_CAM, sim.url(0), USER, PASSWORD)
    onvif.ptz_capabilities(PTZ_CAM).result(20)
    w = QWidget()
    w.resize(400, 300)
    w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    qtbot.addWidget(w)
    w.show()
    helper = TilePtz(onvif, bridge, w)
    helper.set_camera(PTZ_CAM)
    helper.set_enabled(True)
    return w, helper


def test_dragging_on_the_tile_pans_and_release_stops(qtbot, tile, sim):
    w, helper = tile
    ptz = sim.cameras[0].ptz
    qtbot.mousePress(w, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
    qtbot.mouseMove(w, QPoint(330, 150))
    qtbot.waitUntil(lambda: ptz.position().pan > 0.05, timeout=5000)
    qtbot.mouseRelease(w, Qt.MouseButton.LeftButton, pos=QPoint(330, 150))
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)


def test_wheel_zooms_briefly(qtbot, tile, sim):
    w, _ = tile
    ptz = sim.cameras[0].ptz
    wheel = QWheelEvent(QPointF(200, 150), QPointF(200, 150), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(w, wheel)
    qtbot.waitUntil(lambda: ptz.position().zoom > 0.01, timeout=5000)
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)  # stops by itself after the notch


def test_arrow_keys_move_and_focus_loss_stops(qtbot, tile, sim):
    w, helper = tile
    ptz = sim.cameras[0].ptz
    qtbot.keyPress(w, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: ptz.position().pan < -0.02, timeout=5000)
    QApplication.sendEvent(w, QFocusEvent(QEvent.Type.FocusOut))  # e.g. the officer clicks elsewhere
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)
    assert not helper.moving
    qtbot.keyPress(w, Qt.Key.Key_Plus)
    qtbot.waitUntil(lambda: ptz.position().zoom > 0.01, timeout=5000)
    qtbot.keyRelease(w, Qt.Key.Key_Plus)
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)


def test_closing_the_tile_mid_drag_stops_the_camera(qtbot, tile, sim):
    w, helper = tile
    ptz = sim.cameras[0].ptz
    qtbot.mousePress(w, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
    qtbot.mouseMove(w, QPoint(200, 20))
    qtbot.waitUntil(ptz.moving, timeout=5000)
    w.close()
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)
    time.sleep(0.1)


def test_normal_mode_leaves_the_tile_alone(qtbot, tile, sim):
    w, helper = tile
    helper.set_enabled(False)
    qtbot.mousePress(w, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
    qtbot.mouseMove(w, QPoint(390, 150))
    qtbot.wait(300)
    assert not sim.cameras[0].ptz.moving()
    qtbot.mouseRelease(w, Qt.MouseButton.LeftButton)


def test_pad_right_visibly_pans_the_simulated_picture(qtbot, dock, sim):
    """The picture the virtual camera renders at its PTZ position shifts left when the officer pans right
    (the world moves the other way), measured by phase correlation of two frames at the same instant."""
    import cv2
    import numpy as np

    from camdesk.sim.scene import Scene

    scene, ptz = Scene(sim.cameras[0].spec), sim.cameras[0].ptz
    _select(qtbot, dock, PTZ_CAM)
    t = 1000.0  # one instant, so only the view moves, not the scene's car
    before = scene.render(t, 320, 180, ptz.position(), clock=False)
    dock.speed.setValue(30)
    qtbot.mousePress(dock.pad_buttons[(1, 0)], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ptz.position().pan > 0.1, timeout=5000)
    qtbot.mouseRelease(dock.pad_buttons[(1, 0)], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ptz.moving(), timeout=5000)
    after = scene.render(t, 320, 180, ptz.position(), clock=False)
    a, b = (np.float32(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)) for img in (before, after))
    (dx, dy), _ = cv2.phaseCorrelate(a, b)
    assert dx < -5, f"picture should move left when panning right, moved {dx:.1f} px"
    assert abs(dy) < abs(dx) / 2

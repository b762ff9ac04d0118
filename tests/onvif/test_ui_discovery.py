"""The discovery dialog fills in as devices answer, marks cameras already added, reads details after
login, and hands the chosen device to the add-camera dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from camdesk.ui.bridge import GuiBridge
from camdesk.ui.onvif.discovery_dialog import DiscoveryDialog
from tests.onvif.conftest import PASSWORD, USER

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def dialog(qtbot, onvif, sim):
    bridge = GuiBridge()
    d = DiscoveryDialog(onvif, bridge, known_urls=[sim.url(1)], multicast=False)
    d._bridge_ref = bridge
    qtbot.addWidget(d)
    return d


def _search(qtbot, d, sim) -> None:
    d.targets.setText(f"127.0.0.1:{sim.discovery_port}")
    qtbot.mouseClick(d.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.table.rowCount() == 2, timeout=10000)


def test_devices_appear_as_they_answer_and_added_ones_are_marked(qtbot, dialog, sim):
    _search(qtbot, dialog, sim)
    rows = {dialog.cell(r, "name"): r for r in range(2)}
    assert set(rows) == {"Gate PTZ", "Alley H265"}
    assert dialog.cell(rows["Gate PTZ"], "address") == "127.0.0.1"
    assert dialog.cell(rows["Gate PTZ"], "hardware") == "VirtualCam"
    assert dialog.is_known(rows["Alley H265"]) and dialog.cell(rows["Alley H265"], "status") == "Already added"
    assert not dialog.is_known(rows["Gate PTZ"])
    qtbot.waitUntil(lambda: dialog.search_button.isEnabled(), timeout=10000)
    assert "2" in dialog.status.text()


def test_details_are_read_after_login_and_the_device_is_handed_on(qtbot, dialog, sim):
    _search(qtbot, dialog, sim)
    row = next(r for r in range(2) if dialog.cell(r, "name") == "Gate PTZ")
    dialog.table.selectRow(row)
    dialog.user.setText(USER)
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.cell(row, "serial") != "", timeout=20000)
    assert dialog.cell(row, "manufacturer") == "camdesk"
    assert dialog.cell(row, "model") == "VirtualCam"
    assert dialog.cell(row, "firmware")
    with qtbot.waitSignal(dialog.device_chosen) as chosen:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert chosen.args[0].device_url == sim.url(0)


def test_wrong_password_shows_in_the_row(qtbot, dialog, sim):
    _search(qtbot, dialog, sim)
    dialog.table.selectRow(0)
    dialog.password.setText("nope")
    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "password" in dialog.cell(0, "status").lower(), timeout=20000)


def test_bad_address_range_is_explained(qtbot, dialog):
    dialog.targets.setText("10.0.0.999")
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "10.0.0.999" in dialog.status.text(), timeout=5000)
    assert dialog.search_button.isEnabled()

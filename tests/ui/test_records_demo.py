"""The demo of issue 7, step by step through the widgets' public methods, on a real SQLite file:
an officer presses B on a tile, sees the bookmark in the dock with its thumbnail, makes an incident from
two bookmarks, adds a note, finds it again by typing without accents; the registry shows owner and consent.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from camdesk.models.records import HitKind, IncidentStatus
from camdesk.ui.records.bookmark_action import BookmarkAction
from camdesk.ui.records.bookmarks_dock import BookmarksDock
from camdesk.ui.records.models import RECORD_ROLE, THUMBNAIL_ROLE
from camdesk.ui.records.registry_editor import RegistryEditor
from tests.ui.records_support import OFFICER, add_cameras, bridge_fixture, make_frame, store_fixture, wait  # noqa: F401

pytestmark = pytest.mark.timeout(60)


def test_officer_bookmarks_two_moments_makes_an_incident_and_finds_it_without_accents(qtbot, store, bridge):
    cams = add_cameras(store)
    action = BookmarkAction(store, bridge, lambda: OFFICER)
    dock = BookmarksDock(store, bridge, lambda: OFFICER)
    qtbot.addWidget(dock)
    dock.follow(action)
    dock.show()
    tile = QWidget()
    tile.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    qtbot.addWidget(tile)
    tile.show()
    tile.activateWindow()
    tile.setFocus()
    qtbot.waitUntil(tile.hasFocus, timeout=3000)

    # B on a tile: the bookmark is saved at the frame's time (3 s before the key press), with a thumbnail.
    frame = make_frame(seconds_ago=3.0)
    pressed_ms = time.time() * 1000
    with qtbot.waitSignal(action.popup_shown, timeout=10000) as shown:
        action.bookmark_frame(cams[0].id, cams[0].name, frame, tile)
    popup = shown.args[0]
    first = popup.bookmark()
    assert first.start_ms == round(frame.captured_at * 1000)
    assert pressed_ms - first.start_ms > 2500
    assert first.author == OFFICER
    assert first.snapshot_jpeg[:2] == b"\xff\xd8"  # a real JPEG
    assert popup.isVisible()
    qtbot.wait(50)  # let any window activation settle
    assert tile.hasFocus() and QApplication.focusWidget() is tile  # the wall keeps the keyboard

    # The officer types a title in the popup; it updates the saved bookmark.
    popup.set_fields("Thanh niên đi xe máy giật túi xách", tags="cướp giật, xe máy")
    with qtbot.waitSignal(popup.saved, timeout=10000):
        popup.save()
    popup.close()

    # The bookmark is in the dock, first, with its thumbnail (320 px wide JPEG decoded).
    row = dock.model.row_of(HitKind.BOOKMARK, first.id)
    assert row == 0
    icon = dock.model.data(dock.model.index(row), Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    pix = dock.model.data(dock.model.index(row), THUMBNAIL_ROLE)
    assert isinstance(pix, QPixmap) and pix.width() == 320 and pix.height() == 180
    shown_record = dock.model.data(dock.model.index(row), RECORD_ROLE)
    assert shown_record.title == "Thanh niên đi xe máy giật túi xách"

    # A second B on the other camera, popup ignored.
    with qtbot.waitSignal(action.saved, timeout=10000) as second_saved:
        action.bookmark_frame(cams[1].id, cams[1].name, make_frame(seconds_ago=1.0, seed=2), tile)
    second = second_saved.args[0]
    assert dock.model.row_of(HitKind.BOOKMARK, second.id) == 0
    assert wait(store.get_bookmarks([second.id]))[0].snapshot_jpeg == second.snapshot_jpeg

    # Select both, "Create incident", fill in, create: a case number is shown.
    dock.select(HitKind.BOOKMARK, [first.id, second.id])
    assert sorted(dock.selected_bookmark_ids()) == sorted([first.id, second.id])
    with qtbot.waitSignal(dock.incident_window_opened, timeout=5000) as opened:
        dock.incident_button.click()
    window = opened.args[0]
    qtbot.waitUntil(lambda: window.bookmarks_model.rowCount() == 2, timeout=5000)
    window.set_form("Cướp giật túi xách ở ngõ 12", "cướp giật", place="Ngõ 12 Đống Đa")
    with qtbot.waitSignal(window.changed, timeout=10000) as created:
        assert window.create_incident()
    incident = created.args[0]
    year = time.localtime().tm_year
    assert incident.case_number.startswith(f"VV-{year}-") and len(incident.case_number) == len("VV-2026-0001")
    assert incident.case_number in window.case_label.text()
    assert sorted(incident.bookmark_ids) == sorted([first.id, second.id])
    qtbot.waitUntil(lambda: window.bookmarks_model.rowCount() == 2, timeout=5000)

    # A note and a status change.
    window.note_edit.setPlainText("Đã xác minh đối tượng qua camera chợ Hàng Bè")
    with qtbot.waitSignal(window.changed, timeout=10000):
        window.note_button.click()
    assert [n.text for n in window.notes_model.notes()] == ["Đã xác minh đối tượng qua camera chợ Hàng Bè"]
    assert window.note_edit.toPlainText() == ""
    with qtbot.waitSignal(window.changed, timeout=10000) as moved:
        window.set_status(IncidentStatus.INVESTIGATING)
    assert moved.args[0].status is IncidentStatus.INVESTIGATING

    # Found again by typing without accents (words from the note), as prefixes.
    with qtbot.waitSignal(dock.results_shown, timeout=10000):
        dock.set_search_text("da xac minh doi tuong")
    hits = dock.model.hits()
    assert [(h.kind, h.id) for h in hits] == [(HitKind.INCIDENT, incident.id)]
    assert incident.case_number in dock.model.data(dock.model.index(0))
    with qtbot.waitSignal(dock.results_shown, timeout=10000):
        dock.set_search_text("cuop giat")
    kinds = {(h.kind, h.id) for h in dock.model.hits()}
    assert (HitKind.INCIDENT, incident.id) in kinds and (HitKind.BOOKMARK, first.id) in kinds

    # The registry shows each camera's owner and consent.
    editor = RegistryEditor(store, bridge, lambda: OFFICER)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.model.rowCount() == 2, timeout=5000)
    table = {
        editor.model.data(editor.model.index(r, 0)): [
            editor.model.data(editor.model.index(r, c)) for c in range(editor.model.columnCount())
        ]
        for r in range(editor.model.rowCount())
    }
    assert "Trần Thị Bình" in table["Ngõ 12 Đống Đa"]
    assert any("2026-01-05" in str(v) and "2027-01-05" in str(v) for v in table["Ngõ 12 Đống Đa"])
    assert "Công ty TNHH Minh Phát" in table["Chợ Hàng Bè"]
    assert any("2025-11-20" in str(v) for v in table["Chợ Hàng Bè"])


def test_records_ui_installs_into_the_main_window_and_b_reaches_the_dock(qtbot, store, bridge):
    from camdesk.ui.main_window import MainWindow
    from camdesk.ui.records.wiring import install_records_ui

    cams = add_cameras(store)
    window = MainWindow()
    qtbot.addWidget(window)
    errors: list[str] = []
    ui = install_records_ui(window, store, bridge, lambda: OFFICER, show_error=errors.append)
    ui.action.show_popup = False
    window.show()
    assert window.dockWidgetArea(ui.dock) == Qt.DockWidgetArea.RightDockWidgetArea
    with qtbot.waitSignal(ui.action.saved, timeout=10000) as saved:
        ui.bookmark_tile(cams[0].id, cams[0].name, make_frame(), window.centralWidget())
    assert ui.dock.model.row_of(HitKind.BOOKMARK, saved.args[0].id) == 0
    ui.bookmark_tile(cams[0].id, cams[0].name, None, window.centralWidget())
    assert errors and "no picture" in errors[0]
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.index("&Records") == len(menus) - 2  # just before Help
    ui.menu_actions["registry"].trigger()
    assert ui.registry is not None and ui.registry.isVisible()
    qtbot.waitUntil(lambda: ui.registry.model.rowCount() == 2, timeout=5000)

"""Adding a camera, from discovery or by hand: an ONVIF address (camera or recorder) or a plain RTSP URL.

"Test" comes first and shows a distinct, translated message for each failure (unreachable, not ONVIF,
wrong user or password, timed out, unsafe or broken reply). After a successful test it shows the chosen
main and sub streams, snapshot address and PTZ, each of which the officer can override; a recorder adds
every channel as its own camera. Nothing is saved here: on success the caller gets ``cameras()`` and
``password()`` and saves them (the password goes to the secret store, never to the database).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from camdesk.errors import InvalidUrl
from camdesk.logs import scrub
from camdesk.models.camera import Camera, StreamProfile
from camdesk.models.onvif import Channel, DeviceProbe, DiscoveredDevice, MediaProfile
from camdesk.ui.bridge import GuiBridge
from camdesk.ui.messages import describe

if TYPE_CHECKING:
    from camdesk.onvif.service import OnvifService

MODE_ONVIF, MODE_RTSP = 0, 1


def split_rtsp_url(url: str) -> tuple[str, str, str]:
    """``rtsp://user:pw@host/path`` -> (``rtsp://host/path``, user, password); raises InvalidUrl."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("rtsp", "rtsps") or not parts.hostname:
        raise InvalidUrl(scrub(text) or "-")
    try:
        _ = parts.port
    except ValueError as exc:
        raise InvalidUrl(scrub(text)) from exc
    user = unquote(parts.username or "")
    password = unquote(parts.password or "")
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, "")), user, password


class AddCameraDialog(QDialog):
    """Modal dialog; after ``exec()`` returns Accepted, read :meth:`cameras` and :meth:`password`."""

    def __init__(self, service: OnvifService, bridge: GuiBridge, device: DiscoveredDevice | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add camera"))
        self.resize(620, 560)
        self._service = service
        self._bridge = bridge
        self._closed = False
        self._test = 0
        self.probe_result: DeviceProbe | None = None
        self._rtsp: tuple[str, str, str] | None = None
        self._rtsp_sub = ""
        self._result: list[Camera] = []
        self._password = ""

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(device.name if device else "", self)
        form.addRow(self.tr("Name"), self.name)
        self.mode = QComboBox(self)
        self.mode.addItems([self.tr("ONVIF camera or recorder"), self.tr("RTSP address only (no ONVIF)")])
        form.addRow(self.tr("Type"), self.mode)
        layout.addLayout(form)

        self.pages = QStackedWidget(self)
        onvif_page = QWidget(self.pages)
        of = QFormLayout(onvif_page)
        self.address = QLineEdit(device.device_url if device else "", onvif_page)
        self.address.setPlaceholderText(self.tr("192.168.1.64 or http://192.168.1.64/onvif/device_service"))
        of.addRow(self.tr("ONVIF address"), self.address)
        self.user = QLineEdit("admin", onvif_page)
        of.addRow(self.tr("User"), self.user)
        self.password_edit = QLineEdit(onvif_page)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        of.addRow(self.tr("Password"), self.password_edit)
        rtsp_page = QWidget(self.pages)
        rf = QFormLayout(rtsp_page)
        self.rtsp_main = QLineEdit(rtsp_page)
        self.rtsp_main.setPlaceholderText("rtsp://192.168.1.64:554/Streaming/Channels/101")
        rf.addRow(self.tr("Main stream URL"), self.rtsp_main)
        self.rtsp_sub = QLineEdit(rtsp_page)
        rf.addRow(self.tr("Sub stream URL (optional)"), self.rtsp_sub)
        self.pages.addWidget(onvif_page)
        self.pages.addWidget(rtsp_page)
        layout.addWidget(self.pages)
        self.mode.currentIndexChanged.connect(self._mode_changed)

        self.test_button = QPushButton(self.tr("Test"), self)
        self.test_button.clicked.connect(self.test)
        layout.addWidget(self.test_button)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)

        # --- what the test found, with overrides --------------------------------------------------
        self.found = QGroupBox(self.tr("Found"), self)
        ff = QFormLayout(self.found)
        self.info = QLabel("", self.found)
        self.info.setWordWrap(True)
        ff.addRow(self.tr("Device"), self.info)
        self.main_combo = QComboBox(self.found)
        self.sub_combo = QComboBox(self.found)
        ff.addRow(self.tr("Main stream"), self.main_combo)
        ff.addRow(self.tr("Sub stream"), self.sub_combo)
        self.snapshot = QLineEdit(self.found)
        ff.addRow(self.tr("Snapshot address"), self.snapshot)
        self.ptz_check = QCheckBox(self.tr("PTZ camera"), self.found)
        ff.addRow("", self.ptz_check)
        self.channels = QListWidget(self.found)
        self.channels_label = QLabel(self.tr("Recorder channels to add"), self.found)
        ff.addRow(self.channels_label, self.channels)
        layout.addWidget(self.found)
        self.found.setVisible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Add"))
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for edit in (self.address, self.user, self.password_edit, self.rtsp_main, self.rtsp_sub):
            edit.textEdited.connect(self._invalidate)

    # --- testing -----------------------------------------------------------------------------------
    def _mode_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._invalidate()

    def _invalidate(self, *_args: object) -> None:
        """Any change of address or login needs a new test before saving."""
        self._test += 1
        self.probe_result = None
        self._rtsp = None
        self.ok_button.setEnabled(False)
        self.found.setVisible(False)
        self.test_button.setEnabled(True)

    def test(self) -> None:
        self._invalidate()
        if self.mode.currentIndex() == MODE_RTSP:
            self._test_rtsp()
            return
        generation = self._test
        self.test_button.setEnabled(False)
        self.message.setText(self.tr("Testing the login…"))
        future = self._service.probe(self.address.text(), self.user.text().strip(), self.password_edit.text())
        self._bridge.when_done(future, lambda p: self._tested(generation, p),
                               lambda exc: self._test_failed(generation, exc))

    def _test_rtsp(self) -> None:
        try:
            main = split_rtsp_url(self.rtsp_main.text())
            sub = split_rtsp_url(self.rtsp_sub.text()) if self.rtsp_sub.text().strip() else None
        except InvalidUrl as exc:
            self.message.setText(describe(exc))
            return
        self._rtsp = main
        self._rtsp_sub = sub[0] if sub else ""
        self.message.setText(self.tr("The address is valid. The wall will show whether the stream plays."))
        self.ok_button.setEnabled(True)

    def _live(self, generation: int) -> bool:
        return not self._closed and generation == self._test

    def _test_failed(self, generation: int, exc: BaseException) -> None:
        if not self._live(generation):
            return
        self.test_button.setEnabled(True)
        self.message.setText(describe(exc))

    def _tested(self, generation: int, probe: DeviceProbe) -> None:
        if not self._live(generation):
            return
        self.test_button.setEnabled(True)
        if not probe.channels:
            self.message.setText(self.tr("The device answered, but offers no H.264 or H.265 stream."))
            return
        self.probe_result = probe
        i = probe.info
        self.info.setText(self.tr("{manufacturer} {model}, firmware {firmware}, serial {serial}").format(
            manufacturer=i.manufacturer, model=i.model, firmware=i.firmware, serial=i.serial))
        first = probe.channels[0]
        self._fill_streams(first)
        self.snapshot.setText(first.snapshot_uri)
        self.ptz_check.setChecked(first.ptz.any)
        self.ptz_check.setEnabled(first.ptz.any)
        self.channels.clear()
        for ch in probe.channels:
            item = QListWidgetItem(ch.name or ch.video_source_token)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.channels.addItem(item)
        recorder = probe.is_recorder
        self.channels.setVisible(recorder)
        self.channels_label.setVisible(recorder)
        for w in (self.main_combo, self.sub_combo, self.snapshot):
            w.setEnabled(not recorder)  # a recorder's channels use the automatic choice
        self.found.setVisible(True)
        self.message.setText(
            self.tr("Login works. This recorder has {n} channels; each becomes a camera.").format(
                n=len(probe.channels)) if recorder else self.tr("Login works."))
        self.ok_button.setEnabled(True)

    def _fill_streams(self, channel: Channel) -> None:
        self.main_combo.clear()
        self.sub_combo.clear()
        self.sub_combo.addItem(self.tr("(none)"), None)
        for p in channel.profiles:
            label = self._profile_label(p)
            self.main_combo.addItem(label, p.stream)
            self.sub_combo.addItem(label, p.stream)
            if channel.main is not None and p.token == channel.main.profile_token:
                self.main_combo.setCurrentIndex(self.main_combo.count() - 1)
            if channel.sub is not None and p.token == channel.sub.profile_token:
                self.sub_combo.setCurrentIndex(self.sub_combo.count() - 1)

    def _profile_label(self, p: MediaProfile) -> str:
        s = p.stream
        codec = s.codec.value.upper() if s.codec else "?"
        return self.tr("{name}: {width}×{height} {codec} {fps} fps").format(
            name=p.name, width=s.width, height=s.height, codec=codec, fps=f"{s.fps:g}")

    # --- result ----------------------------------------------------------------------------------------
    def accept(self) -> None:
        cameras = self._build()
        if not cameras:
            return
        self._result = cameras
        self._password = self.password_edit.text() if self._rtsp is None else self._rtsp[2]
        super().accept()

    def _build(self) -> list[Camera]:
        name = self.name.text().strip()
        if self._rtsp is not None:
            uri, user, _password = self._rtsp
            sub = StreamProfile(self._rtsp_sub) if self._rtsp_sub else None
            return [Camera(None, name or urlsplit(uri).hostname or uri, main=StreamProfile(uri), sub=sub,
                           username=user)]
        probe = self.probe_result
        if probe is None:
            return []
        user = self.user.text().strip()
        name = name or probe.info.model or probe.device_url
        if not probe.is_recorder:
            ch = probe.channels[0]
            main = self.main_combo.currentData()
            sub = self.sub_combo.currentData()
            ptz = self.ptz_check.isChecked() and ch.ptz.any
            return [Camera(None, name, main=main if isinstance(main, StreamProfile) else ch.main,
                           sub=sub if isinstance(sub, StreamProfile) else None,
                           onvif_url=probe.device_url, username=user, snapshot_uri=self.snapshot.text().strip(),
                           ptz=ptz, ptz_profile_token=ch.ptz_profile_token if ptz else "")]
        cameras = []
        for row, ch in enumerate(probe.channels):
            item = self.channels.item(row)
            if item is None or item.checkState() != Qt.CheckState.Checked:
                continue
            cameras.append(Camera(None, f"{name} – {ch.name or ch.video_source_token}", main=ch.main, sub=ch.sub,
                                  onvif_url=probe.device_url, username=user, snapshot_uri=ch.snapshot_uri,
                                  ptz=ch.ptz.any, ptz_profile_token=ch.ptz_profile_token))
        return cameras

    def cameras(self) -> list[Camera]:
        """The cameras to save (empty unless the dialog was accepted after a successful test)."""
        return list(self._result)

    def password(self) -> str:
        """The password that worked (for the secret store; never log or persist it elsewhere)."""
        return self._password

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

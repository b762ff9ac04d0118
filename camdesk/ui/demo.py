"""``camdesk --demo``: virtual cameras in a child process, registered in the store, on a 3x3 wall.

The simulator runs as ``camdesk --sim`` (the app itself, frozen or not) in a :class:`QProcess` (the UI never
imports it). Its
JSON lines arrive through Qt's event loop (no blocking read). Registering the cameras talks to the store
and the secret store, so it runs on a worker thread and reports back through a Future.
"""

from __future__ import annotations

import concurrent.futures
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from camdesk.models.camera import Area, Camera, OwnerType, StreamProfile
from camdesk.models.layout import Layout, LayoutItem
from camdesk.self_command import SIM, SIM_PASSWORD_ENV, app_command

log = logging.getLogger(__name__)

DEMO_USER = "demo"
DEMO_TAG = "demo"
CAMERA_COUNT = 9
PTZ_COUNT = 2
READY_TIMEOUT_S = 90  # encoding the loops takes a few seconds; a slow first start on a busy machine more


@dataclass(frozen=True)
class DemoPlace:
    name: str
    group: str
    address: str
    owner: str = "Công an phường"
    owner_type: OwnerType = OwnerType.WARD
    phone: str = ""
    consent_on: str = ""  # ISO date the owner agreed (the ward's programme is consent-based)
    consent_scope: str = ""


# Three residential groups of a ward; names and streets as officers would write them.
PLACES: tuple[DemoPlace, ...] = (
    DemoPlace("Cổng chợ Hòa Bình", "Tổ dân phố 1", "12 Lê Duẩn", "Ban quản lý chợ Hòa Bình",
              OwnerType.BUSINESS, "0912345678", "2025-03-10", "Cổng chợ và vỉa hè trước chợ"),
    DemoPlace("Ngã tư Lê Duẩn - Trần Phú", "Tổ dân phố 1", "45 Trần Phú", "UBND phường", OwnerType.WARD,
              "02623812345", "2025-02-20", "Nút giao thông"),
    DemoPlace("Trường Tiểu học Kim Đồng", "Tổ dân phố 1", "8 Nguyễn Du", "Trường Tiểu học Kim Đồng",
              OwnerType.BUSINESS, "0905111222", "2025-04-01", "Cổng trường giờ tan học"),
    DemoPlace("Nhà văn hóa Tổ 2", "Tổ dân phố 2", "27 Hai Bà Trưng", "Tổ dân phố 2", OwnerType.WARD,
              "0935222333", "2025-03-15", "Sân nhà văn hóa"),
    DemoPlace("Hẻm 42 Lý Thường Kiệt", "Tổ dân phố 2", "42 Lý Thường Kiệt", "Hộ ông Nguyễn Văn Hùng",
              OwnerType.HOUSEHOLD, "0987654321", "2025-05-02", "Đầu hẻm, không quay vào nhà dân"),
    DemoPlace("Trạm xe buýt Phan Chu Trinh", "Tổ dân phố 2", "110 Phan Chu Trinh", "Cửa hàng tạp hóa Minh Anh",
              OwnerType.BUSINESS, "0978123456", "2025-05-20", "Vỉa hè và trạm xe buýt"),
    DemoPlace("Công viên Thống Nhất", "Tổ dân phố 3", "3 Quang Trung", "UBND phường", OwnerType.WARD,
              "02623812345", "2025-02-20", "Lối vào công viên"),
    DemoPlace("Chùa Phúc Lâm", "Tổ dân phố 3", "73 Nguyễn Trãi", "Hộ bà Trần Thị Lan", OwnerType.HOUSEHOLD,
              "0914777888", "2025-06-12", "Đường trước cổng chùa"),
    DemoPlace("Trụ sở UBND phường", "Tổ dân phố 3", "1 Hàng Bài", "UBND phường", OwnerType.WARD,
              "02623812345", "2025-02-20", "Cổng trụ sở"),
)


def sim_command(cameras: int = CAMERA_COUNT, ptz: int = PTZ_COUNT) -> list[str]:
    """The simulator's command line: the app itself with ``--sim``. The password goes in its environment
    (``sim_environment``): any user of the machine can read a command line (``ps``), only the same user a
    process's environment."""
    return app_command(SIM, "--cameras", str(cameras), "--ptz", str(ptz), "--user", DEMO_USER)


def sim_environment(password: str) -> QProcessEnvironment:
    env = QProcessEnvironment.systemEnvironment()
    env.insert(SIM_PASSWORD_ENV, password)
    return env


def _strip_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _find(line: dict[str, Any], *needles: str, scheme: str = "") -> str:
    """The first string value whose key contains every needle (and, if given, starts with ``scheme``)."""
    for key, value in line.items():
        if isinstance(value, str) and all(n in key.lower() for n in needles):
            if not scheme or value.startswith(scheme):
                return value
    for value in line.values():  # nested {"main": {"uri": ...}} shapes
        if isinstance(value, dict):
            found = _find(value, *needles, scheme=scheme)
            if found:
                return found
    return ""


def parse_camera_line(line: dict[str, Any]) -> dict[str, Any] | None:
    """Normalise one simulator JSON line to {name, main, sub, onvif, snapshot, ptz, control}; None if not a camera."""
    main = _find(line, "main", scheme="rtsp") or (
        line["main"].get("uri", "") if isinstance(line.get("main"), dict) else ""
    )
    if not main:
        return None
    sub = _find(line, "sub", scheme="rtsp") or (line["sub"].get("uri", "") if isinstance(line.get("sub"), dict) else "")
    return {
        "name": str(line.get("name", "")),
        "main": _strip_credentials(main),
        "sub": _strip_credentials(sub) if sub else "",
        "onvif": _strip_credentials(_find(line, "device", scheme="http") or _find(line, "onvif", scheme="http")),
        "snapshot": _strip_credentials(_find(line, "snapshot", scheme="http")),
        "ptz": bool(line.get("ptz", False)),
        "control": _find(line, "control", scheme="http"),  # the simulator's fault switches (screenshots, tests)
    }


class DemoProcess(QObject):
    """The simulator child process. ``ready`` carries the parsed camera lines once all cameras are up."""

    ready = Signal(list)
    failed = Signal(str)

    def __init__(self, cameras: int = CAMERA_COUNT, ptz: int = PTZ_COUNT, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.count = cameras
        self.ptz = ptz
        self.password = secrets.token_urlsafe(12)  # fresh per run; stored in the secret store, never logged
        self.cameras: list[dict[str, Any]] = []
        self._buffer = b""
        self._announced = False
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.readyReadStandardError.connect(self._log_stderr)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._error)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(READY_TIMEOUT_S * 1000)
        self._deadline.timeout.connect(self._too_slow)

    def start(self) -> None:
        cmd = sim_command(self.count, self.ptz)
        log.info("starting the demo cameras: %s", " ".join(cmd))
        self.process.setProcessEnvironment(sim_environment(self.password))
        self.process.start(cmd[0], cmd[1:])
        self._deadline.start()

    def _too_slow(self) -> None:
        if not self._announced:
            self._announced = True  # report once
            self.failed.emit(f"the simulator did not get ready within {READY_TIMEOUT_S} s")

    def pid(self) -> int:
        return int(self.process.processId())

    def running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def _read(self) -> None:
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            try:
                data = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if not isinstance(data, dict):
                continue
            cam = parse_camera_line(data)
            if cam is not None and len(self.cameras) < self.count:
                self.cameras.append(cam)
        if len(self.cameras) >= self.count and not self._announced:
            self._announced = True
            self._deadline.stop()
            self.ready.emit(list(self.cameras))

    def _log_stderr(self) -> None:
        text = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace").strip()
        if text:
            log.info("demo cameras: %s", text.replace(self.password, "***")[-2000:])

    def _finished(self, code: int, _status: object) -> None:
        if not self._announced:
            self.failed.emit(f"the simulator exited with code {code} before its cameras were ready")

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.failed.emit("the simulator could not be started")

    def stop(self, timeout_ms: int = 3000) -> None:
        """Stop the child (SIGTERM, then SIGKILL). Called when the app quits; waits at most ``timeout_ms``."""
        if not self.running():
            return
        self.process.terminate()
        if not self.process.waitForFinished(timeout_ms):
            self.process.kill()
            self.process.waitForFinished(1000)


# --- registration (worker thread) ---------------------------------------------------------------------
def register(store: Any, secret_store: Any, cameras: list[dict[str, Any]], password: str) -> list[int]:
    """Put the demo cameras into the store (updating earlier demo runs by name) and their password into the
    secret store. Runs on a worker thread: it waits on the store's Futures. Returns the camera ids in order."""
    areas = {a.name: a for a in store.list_areas().result(timeout=30)}
    for group in dict.fromkeys(p.group for p in PLACES):
        if group not in areas:
            areas[group] = store.save_area(Area(None, group, "Khu dân cư mô phỏng (demo)")).result(timeout=30)
    existing = {c.name: c for c in store.list_cameras().result(timeout=30)}
    ids: list[int] = []
    for i, cam in enumerate(cameras):
        place = PLACES[i % len(PLACES)]
        name = place.name if i < len(PLACES) else f"{place.name} ({i // len(PLACES) + 1})"
        old = existing.get(name)
        record = Camera(
            id=old.id if old is not None else None,
            name=name,
            main=StreamProfile(cam["main"], 1280, 720, 25.0),
            sub=StreamProfile(cam["sub"], 640, 360, 15.0) if cam["sub"] else None,
            area_id=areas[place.group].id,
            address=place.address,
            owner_name=place.owner,
            owner_type=place.owner_type,
            owner_phone=place.phone,
            consent_given_on=place.consent_on,
            consent_scope=place.consent_scope,
            onvif_url=cam["onvif"],
            username=DEMO_USER,
            snapshot_uri=cam["snapshot"],
            ptz=cam["ptz"],
            notes="Camera mô phỏng của chế độ demo",
            tags=(DEMO_TAG,),
        )
        saved = store.save_camera(record, "demo").result(timeout=30)
        secret_store.set_password(saved.id, password)
        ids.append(saved.id)
    return ids


def demo_layout(camera_ids: list[int]) -> Layout:
    items = tuple(
        LayoutItem(i // 3, i % 3, camera_id=camera_ids[i] if i < len(camera_ids) else None) for i in range(9)
    )
    return Layout(None, "3x3", 3, 3, items)


_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="camdesk-demo")


def register_async(
    store: Any, secret_store_factory: Any, cameras: list[dict[str, Any]], password: str
) -> concurrent.futures.Future[list[int]]:
    """:func:`register` on the demo worker; ``secret_store_factory()`` is called there too (it may do I/O)."""
    return _POOL.submit(lambda: register(store, secret_store_factory(), cameras, password))

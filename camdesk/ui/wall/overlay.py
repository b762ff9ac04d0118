"""The texts a tile shows over its video: the state line and the statistics line (translated)."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QCoreApplication, QDateTime

from camdesk.models.stream import StreamState, StreamStats, StreamStatus


def state_text(status: StreamStatus | None, now: float | None = None) -> str:
    """What the officer reads in the middle of a tile; empty while the video plays."""
    now = time.time() if now is None else now
    if status is None:
        return QCoreApplication.translate("Tile", "Connecting…")
    st = status.state
    if st == StreamState.PLAYING:
        return ""
    if st == StreamState.CONNECTING:
        return QCoreApplication.translate("Tile", "Connecting…")
    if st == StreamState.RECONNECTING:
        if status.next_try_at is None:
            return QCoreApplication.translate("Tile", "Reconnecting…")
        seconds = max(0, math.ceil(status.next_try_at - now))
        return QCoreApplication.translate("Tile", "Connection lost. Reconnecting in {seconds} s").format(seconds=seconds)
    if st == StreamState.OFFLINE:
        since = QDateTime.fromMSecsSinceEpoch(int(status.since * 1000)).toString("HH:mm")
        return QCoreApplication.translate("Tile", "Offline since {time}").format(time=since)
    if st == StreamState.AUTH_FAILED:
        return QCoreApplication.translate("Tile", "Wrong user name or password")
    if st == StreamState.UNSUPPORTED:
        return QCoreApplication.translate("Tile", "Unsupported video format")
    return QCoreApplication.translate("Tile", "Stopped")


def stats_text(stats: StreamStats | None) -> str:
    """One compact statistics line: frame rate, bit rate, latency, resolution."""
    if stats is None:
        return ""
    parts = [
        QCoreApplication.translate("Tile", "{fps} fps").format(fps=f"{stats.delivered_fps:.0f}"),
        QCoreApplication.translate("Tile", "{kbps} kbit/s").format(kbps=f"{stats.kbit_per_s:.0f}"),
    ]
    if stats.latency_ms is not None:
        parts.append(QCoreApplication.translate("Tile", "latency {ms} ms").format(ms=f"{stats.latency_ms:.0f}"))
    if stats.width:
        parts.append(f"{stats.width}\u00d7{stats.height}")
    return " · ".join(parts)


def empty_text() -> str:
    return QCoreApplication.translate("Tile", "Drag a camera here")

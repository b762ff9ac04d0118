"""FFmpeg's own messages go through Python logging (and so through the credential scrubber)."""

from __future__ import annotations

import logging

import av.logging


def route_ffmpeg_logs(level: int = logging.WARNING) -> None:
    """Send FFmpeg messages at ``level`` and above to the ``libav`` loggers (PyAV's bridge).

    FFmpeg prints URLs with credentials in some errors; the handlers' scrub filter removes them.
    """
    av_level = av.logging.WARNING if level >= logging.WARNING else av.logging.INFO
    av.logging.set_level(av_level)
    logging.getLogger("libav").setLevel(level)

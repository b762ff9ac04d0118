"""FFmpeg's own messages reach camdesk's log (through the credential filter) at WARNING and above."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import av
import numpy as np

from camdesk.logs import setup_logging
from camdesk.video.ffmpeg_logs import route_ffmpeg_logs


def test_a_decoder_complaint_from_ffmpeg_lands_in_the_log_file(tmp_path: Path) -> None:
    setup_logging(tmp_path / "logs", logging.INFO, console=False)
    route_ffmpeg_logs()
    try:
        decoder = av.CodecContext.create("h264", "r")
        garbage = np.random.default_rng(1).integers(0, 256, 4000, dtype=np.uint8).tobytes()
        for _ in range(5):
            try:
                decoder.decode(av.Packet(b"\x00\x00\x00\x01\x65" + garbage))  # an IDR slice with no SPS/PPS
            except av.error.FFmpegError:
                pass
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = (tmp_path / "logs" / "camdesk.log").read_text(encoding="utf-8")
        ffmpeg_lines = [line for line in text.splitlines() if " libav." in line]
        assert ffmpeg_lines, text[-2000:]
        assert all(re.match(r"\S+ \S+ (WARNING|ERROR|CRITICAL) ", line) for line in ffmpeg_lines), ffmpeg_lines
    finally:
        av.logging.set_level(None)
        setup_logging(None, logging.WARNING, console=False)

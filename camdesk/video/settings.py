"""The stream engine's tunables (defaults from issue 4)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineSettings:
    """How the engine opens and watches streams. Times are seconds."""

    transport: str = "tcp"  # "tcp" | "udp" (udp falls back to tcp automatically)
    open_timeout_s: float = 5.0
    read_timeout_s: float = 5.0
    stall_timeout_s: float = 5.0
    hardware_decoding: bool = False
    # Added by the engine (defaults keep the agreed behaviour):
    retry_first_s: float = 0.5  # first reconnect within this long ...
    retry_cap_s: float = 10.0  # ... then doubling (with jitter) up to this
    udp_fallback_s: float = 2.0  # no packet over UDP for this long -> reopen over TCP
    pause_grace_s: float = 5.0  # a paused stream keeps its connection this long, then disconnects
    offline_after_attempts: int = 3  # failed reconnects before the state becomes OFFLINE ...
    offline_after_s: float = 15.0  # ... or this long without video, whichever comes first
    auth_retry_s: float = 45.0  # wait between attempts after a wrong password (avoids account lockout)
    loop_files: bool = True  # local files start again at their end (False: stop there)
    # Main/sub choice: switch to main when the tile is taller than the sub stream by this factor, back
    # to sub when it is smaller than the sub stream by the other, and never twice within min_switch_s.
    upscale_to_main: float = 1.25
    downscale_to_sub: float = 1.05
    min_switch_s: float = 3.0
    # Live streams are decoded by a shared pool of this many threads (0: one per core, at least 2).
    decode_threads: int = 0
    # Cameras (rtsp://, H.264/H.265) are read by our own RTSP client (a frame interval less latency than
    # FFmpeg's); False opens everything with FFmpeg.
    own_rtsp: bool = True


DEFAULT_SETTINGS = EngineSettings()

"""The parts of a session description (RFC 4566) our client needs: the first H.264/H.265 video track,
its payload type, clock rate, parameter sets (``sprop-*``) and control URL."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

_CODECS = {"H264": "h264", "H265": "hevc"}
START = b"\x00\x00\x00\x01"


@dataclass(slots=True)
class VideoTrack:
    codec: str  # "h264" | "hevc"
    payload_type: int
    clock_rate: int
    parameter_sets: bytes  # Annex-B, b"" when the SDP has none
    control: str  # absolute URL for SETUP
    aggregate: str  # absolute URL for PLAY/TEARDOWN (the session's)
    max_don_diff: int = 0  # H.265: > 0 means DONL/DOND fields are present in the payloads


def resolve(base: str, control: str) -> str:
    """A control attribute against the base URL the way cameras mean it (RFC 2326 C.1.1): absolute URLs
    stay, ``*`` is the base itself, anything else is appended below the base (not urljoin's
    replace-the-last-segment, which breaks on a Content-Base without a trailing slash)."""
    if control.lower().startswith(("rtsp://", "rtsps://")):
        return control
    if control in ("", "*"):
        return base
    return base + control if base.endswith("/") else base + "/" + control


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=False)
    except (binascii.Error, ValueError):
        return b""


def _fmtp(value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in value.split(";"):
        key, _, val = item.strip().partition("=")
        if key:
            out[key.strip().lower()] = val.strip()
    return out


def parse(text: str, base: str) -> VideoTrack | None:
    """The first H.264/H.265 video media of ``text``, or None when there is none."""
    session_control = ""
    media: list[dict[str, str]] = []  # per m= section: "m", "control", "rtpmap:<pt>", "fmtp:<pt>"
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("m="):
            media.append({"m": line[2:]})
        elif line.startswith("a=") and ":" in line:
            name, _, value = line[2:].partition(":")
            name = name.lower()
            if name == "control":
                if media:
                    media[-1]["control"] = value.strip()
                else:
                    session_control = value.strip()
            elif name in ("rtpmap", "fmtp") and media:
                pt, _, rest = value.partition(" ")
                media[-1][f"{name}:{pt.strip()}"] = rest.strip()
    aggregate = resolve(base, session_control)
    for m in media:
        fields = m["m"].split()
        if len(fields) < 4 or fields[0].lower() != "video":
            continue
        for pt_text in fields[3:]:
            rtpmap = m.get(f"rtpmap:{pt_text}", "")
            encoding, _, clock = rtpmap.partition("/")
            codec = _CODECS.get(encoding.strip().upper())
            if codec is None or not pt_text.isdigit():
                continue
            try:
                clock_rate = int(clock.partition("/")[0]) or 90000
            except ValueError:
                clock_rate = 90000
            fmtp = _fmtp(m.get(f"fmtp:{pt_text}", ""))
            if codec == "h264":
                sets = [_b64(s) for s in fmtp.get("sprop-parameter-sets", "").split(",") if s]
            else:
                sets = [_b64(fmtp.get(k, "")) for k in ("sprop-vps", "sprop-sps", "sprop-pps")]
            params = b"".join(START + s for s in sets if s)
            try:
                don = int(fmtp.get("sprop-max-don-diff", "0"))
            except ValueError:
                don = 0
            return VideoTrack(codec, int(pt_text), clock_rate, params, resolve(aggregate, m.get("control", "")),
                              aggregate, don)
    return None

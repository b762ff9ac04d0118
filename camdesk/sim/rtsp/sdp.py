"""Session descriptions (RFC 4566) for one H.264 (RFC 6184) or H.265 (RFC 7798) video track."""

from __future__ import annotations

import base64

from camdesk.sim.encoder import ParameterSets
from camdesk.sim.rtsp.rtp import CLOCK_RATE, PAYLOAD_TYPE

TRACK = "trackID=0"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def describe(params: ParameterSets, host: str, session_id: int, fps: int, name: str) -> str:
    """The SDP of one stream; the track's control URL is relative (``trackID=0``)."""
    pt = PAYLOAD_TYPE
    if params.codec == "h265":
        rtpmap = f"a=rtpmap:{pt} H265/{CLOCK_RATE}"
        fmtp = (f"a=fmtp:{pt} sprop-vps={_b64(params.vps)};sprop-sps={_b64(params.sps)};"
                f"sprop-pps={_b64(params.pps)}")
    else:
        profile = params.sps[1:4].hex().upper() if len(params.sps) >= 4 else "42E01F"
        rtpmap = f"a=rtpmap:{pt} H264/{CLOCK_RATE}"
        fmtp = (f"a=fmtp:{pt} packetization-mode=1;profile-level-id={profile};"
                f"sprop-parameter-sets={_b64(params.sps)},{_b64(params.pps)}")
    lines = [
        "v=0",
        f"o=- {session_id} 1 IN IP4 {host}",
        f"s={name}",
        f"c=IN IP4 {host}",
        "t=0 0",
        "a=control:*",
        "a=range:npt=0-",
        f"m=video 0 RTP/AVP {pt}",
        rtpmap,
        fmtp,
        f"a=framerate:{fps}",
        f"a=control:{TRACK}",
        "",
    ]
    return "\r\n".join(lines)

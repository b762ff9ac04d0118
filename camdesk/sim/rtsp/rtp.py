"""RTP payloads for H.264 (RFC 6184: single NAL unit and FU-A) and H.265 (RFC 7798: single NAL unit
and FU), RTP headers and RTCP sender reports (RFC 3550)."""

from __future__ import annotations

import struct

MAX_PAYLOAD = 1400  # bytes of RTP payload; keeps UDP datagrams under a 1500-byte MTU
PAYLOAD_TYPE = 96
CLOCK_RATE = 90000
_NTP_EPOCH = 2208988800  # seconds from 1900-01-01 to 1970-01-01


def payloads(codec: str, nals: tuple[bytes, ...], max_payload: int = MAX_PAYLOAD) -> list[bytes]:
    """The RTP payloads of one access unit, in order (the last one carries the marker bit)."""
    out: list[bytes] = []
    for nal in nals:
        if len(nal) <= max_payload:
            out.append(nal)
        elif codec == "h265":
            out.extend(_fu_h265(nal, max_payload))
        else:
            out.extend(_fu_a(nal, max_payload))
    return out


def _fu_a(nal: bytes, max_payload: int) -> list[bytes]:
    indicator = bytes([(nal[0] & 0xE0) | 28])
    kind = nal[0] & 0x1F
    body = nal[1:]
    step = max_payload - 2
    chunks = [body[i:i + step] for i in range(0, len(body), step)]
    out = []
    for k, chunk in enumerate(chunks):
        header = kind | (0x80 if k == 0 else 0) | (0x40 if k == len(chunks) - 1 else 0)
        out.append(indicator + bytes([header]) + chunk)
    return out


def _fu_h265(nal: bytes, max_payload: int) -> list[bytes]:
    kind = (nal[0] >> 1) & 0x3F
    payload_header = bytes([(nal[0] & 0x81) | (49 << 1), nal[1]])
    body = nal[2:]
    step = max_payload - 3
    chunks = [body[i:i + step] for i in range(0, len(body), step)]
    out = []
    for k, chunk in enumerate(chunks):
        header = kind | (0x80 if k == 0 else 0) | (0x40 if k == len(chunks) - 1 else 0)
        out.append(payload_header + bytes([header]) + chunk)
    return out


def header(seq: int, timestamp: int, ssrc: int, marker: bool) -> bytes:
    """A 12-byte RTP header (version 2, no padding/extension/CSRC)."""
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | PAYLOAD_TYPE, seq & 0xFFFF,
                       timestamp & 0xFFFFFFFF, ssrc)


def sender_report(ssrc: int, wall_time: float, rtp_time: int, packets: int, octets: int) -> bytes:
    """An RTCP SR (no report blocks) tying ``wall_time`` (Unix seconds) to ``rtp_time``, plus an SDES
    CNAME chunk (RFC 3550 wants every compound packet to carry one)."""
    ntp = wall_time + _NTP_EPOCH
    sec = int(ntp)
    frac = int((ntp - sec) * (1 << 32)) & 0xFFFFFFFF
    sr = struct.pack("!BBHIIIIII", 0x80, 200, 6, ssrc, sec & 0xFFFFFFFF, frac, rtp_time & 0xFFFFFFFF,
                     packets & 0xFFFFFFFF, octets & 0xFFFFFFFF)
    cname = b"camdesk-sim"
    item = bytes([1, len(cname)]) + cname + b"\x00"
    item += b"\x00" * (-(4 + len(item)) % 4)
    sdes = struct.pack("!BBHI", 0x81, 202, (4 + len(item)) // 4, ssrc) + item
    return sr + sdes

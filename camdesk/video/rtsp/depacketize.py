"""RTP to access units: H.264 (RFC 6184: single NAL unit, STAP-A, FU-A) and H.265 (RFC 7798: single NAL
unit, AP, FU), output as Annex-B.

An access unit is complete on the RTP marker bit, so the decoder gets a picture as soon as its last
packet is in (FFmpeg's parser waits for the first packet of the next picture: one frame interval). A
packet with a new timestamp also completes the previous unit, for cameras that never set the marker.

Per packet this does a handful of slices and appends of ``memoryview``s into the received chunk; the
copy into one ``bytes`` happens once per unit (``b"".join``). Anything malformed is dropped and marks the
unit damaged; the decoder conceals. Nothing here raises on bad input.
"""

from __future__ import annotations

import struct
from collections import deque
from dataclasses import dataclass

START = b"\x00\x00\x00\x01"
_HEADER = struct.Struct("!BBHI")


@dataclass(slots=True)
class AccessUnit:
    data: bytes  # Annex-B: a start code before every NAL of one picture (parameter sets prefixed if needed)
    pts: int  # RTP timestamp unwrapped to 64 bits, in clock-rate units
    key: bool  # contains an IDR (H.264) / IRAP (H.265) picture
    arrived: float  # time.time() when its last packet arrived
    damaged: bool  # a sequence gap or broken fragment was seen inside it


class Depacketizer:
    """Feed RTP packets with :meth:`push`; completed units collect in :attr:`ready` (oldest first)."""

    def __init__(self, codec: str, payload_type: int, parameter_sets: bytes = b"", max_don_diff: int = 0) -> None:
        if codec not in ("h264", "hevc"):
            raise ValueError(f"unsupported codec {codec!r}")
        self.hevc = codec == "hevc"
        # The SDP's payload type, kept for information only: the channel or port already identifies the
        # track, and a camera that announces one type and sends another should still play.
        self.payload_type = payload_type
        self.parameter_sets = parameter_sets
        self.donl = 2 if self.hevc and max_don_diff > 0 else 0  # DONL bytes to skip (no reordering)
        self.ready: deque[AccessUnit] = deque()
        self.malformed = 0  # packets dropped as malformed (for stats and tests)
        self.gaps = 0  # sequence-number gaps seen
        self._seq = -1  # last sequence number, -1 before the first packet
        self._ts32 = -1  # last 32-bit timestamp
        self._ts = 0  # its unwrapped value
        self._parts: list[bytes | memoryview] = []  # start codes and NAL pieces of the unit being built
        self._fu: list[bytes | memoryview] | None = None  # the fragmented NAL being reassembled
        self._fu_kind = 0
        self._key = False
        self._has_params = False
        self._damaged = False
        self._first = True
        self._arrived = 0.0

    # --- packets ---------------------------------------------------------------------------------
    def push(self, packet: bytes | memoryview, arrived: float) -> None:
        """Take one RTP packet (a ``memoryview`` into a received chunk is fine: it is kept, not copied,
        until its unit completes)."""
        try:
            self._push(memoryview(packet), arrived)
        except (IndexError, ValueError, struct.error):  # a malformed packet beyond the explicit checks
            self.malformed += 1
            self._damaged = True
            self._fu = None

    def _push(self, p: memoryview, arrived: float) -> None:
        size = len(p)
        if size < 12:
            self.malformed += 1
            return
        b0, b1, seq, ts = _HEADER.unpack_from(p)
        if b0 & 0xC0 != 0x80 or 72 <= b1 & 0x7F <= 76:
            self.malformed += 1  # not RTP version 2, or RTCP multiplexed on the RTP port (RFC 5761)
            return
        off = 12 + 4 * (b0 & 0x0F)
        if b0 & 0x10:  # header extension: skip it
            if size < off + 4:
                self.malformed += 1
                return
            off += 4 + 4 * ((p[off + 2] << 8) | p[off + 3])
        end = size
        if b0 & 0x20:  # padding: the last byte counts it
            end -= p[-1]
        if off >= end:
            self.malformed += 1
            return
        # Sequence: drop duplicates and late packets; a gap damages the unit(s) around it.
        if self._seq >= 0:
            delta = (seq - self._seq) & 0xFFFF
            if delta != 1:
                if delta == 0 or delta >= 0x8000:
                    return
                self.gaps += 1
                self._fu = None  # a fragment's middle may be what was lost
                self._damaged = True
                gap = True
            else:
                gap = False
        else:
            gap = False
        self._seq = seq
        # Timestamp: unwrap to 64 bits; a new one completes the unit of the old one.
        if ts != self._ts32:
            if self._ts32 >= 0:
                if self._parts or self._fu is not None:
                    self._finish()
                diff = (ts - self._ts32) & 0xFFFFFFFF
                self._ts += diff - 0x100000000 if diff >= 0x80000000 else diff
            else:
                self._ts = ts
            self._ts32 = ts
            if gap:
                self._damaged = True  # the lost packets may have been this unit's first ones
        self._arrived = arrived
        if self.hevc:
            self._hevc(p, off, end)
        else:
            self._h264(p, off, end)
        if b1 & 0x80:
            self._finish()

    # --- H.264 (RFC 6184) -----------------------------------------------------------------------------
    def _h264(self, p: memoryview, off: int, end: int) -> None:
        head = p[off]
        kind = head & 0x1F
        if 1 <= kind <= 23:  # single NAL unit
            self._fu_abort()
            self._nal(p[off:end], kind)
        elif kind == 28:  # FU-A
            if end - off < 2:
                self._bad()
                return
            fu = p[off + 1]
            inner = fu & 0x1F
            if fu & 0x80:  # start
                self._fu_abort()
                self._fu = [START, bytes(((head & 0xE0) | inner,)), p[off + 2:end]]
                self._fu_kind = inner
            elif self._fu is None:  # a continuation whose start was lost: the NAL is gone
                self._damaged = True
                return
            else:
                self._fu.append(p[off + 2:end])
            if fu & 0x40:  # end
                self._parts.extend(self._fu)
                self._fu = None
                self._mark(self._fu_kind)
        elif kind == 24:  # STAP-A: 16-bit size, NAL, ...
            self._fu_abort()
            i = off + 1
            while i + 2 <= end:
                n = (p[i] << 8) | p[i + 1]
                i += 2
                if n == 0 or i + n > end:
                    self._bad()
                    return
                self._nal(p[i:i + n], p[i] & 0x1F)
                i += n
        else:  # STAP-B, MTAP, FU-B (interleaved mode only), reserved: not for us
            self._bad()

    # --- H.265 (RFC 7798) -----------------------------------------------------------------------------
    def _hevc(self, p: memoryview, off: int, end: int) -> None:
        if end - off < 3:
            self._bad()
            return
        kind = (p[off] >> 1) & 0x3F
        if kind < 48:  # single NAL unit (DONL is not used outside interleaved sprop-max-don-diff mode)
            self._fu_abort()
            self._nal(p[off:end], kind)
        elif kind == 49:  # FU: 2-byte payload header, FU header, [DONL], fragment
            fu = p[off + 2]
            inner = fu & 0x3F
            body = off + 3
            if fu & 0x80:
                body += self.donl
                self._fu_abort()
                header = bytes((((p[off] & 0x81) | (inner << 1)), p[off + 1]))
                self._fu = [START, header, p[body:end]]
                self._fu_kind = inner
            elif self._fu is None:
                self._damaged = True
                return
            else:
                self._fu.append(p[body:end])
            if fu & 0x40:
                self._parts.extend(self._fu)
                self._fu = None
                self._mark(self._fu_kind)
        elif kind == 48:  # AP: payload header, [DONL], (size, NAL, [DOND])...
            self._fu_abort()
            i = off + 2 + self.donl
            first = True
            while i + 2 <= end:
                if not first and self.donl:
                    i += 1  # DOND
                    if i + 2 > end:
                        break
                first = False
                n = (p[i] << 8) | p[i + 1]
                i += 2
                if n < 2 or i + n > end:
                    self._bad()
                    return
                self._nal(p[i:i + n], (p[i] >> 1) & 0x3F)
                i += n
        else:  # PACI (50) and reserved types
            self._bad()

    # --- units -------------------------------------------------------------------------------------------
    def _nal(self, nal: memoryview, kind: int) -> None:
        self._parts.append(START)
        self._parts.append(nal)
        self._mark(kind)

    def _mark(self, kind: int) -> None:
        if self.hevc:
            if 16 <= kind <= 21:
                self._key = True
            elif kind == 33:
                self._has_params = True
        elif kind == 5:
            self._key = True
        elif kind == 7:
            self._has_params = True

    def _fu_abort(self) -> None:
        if self._fu is not None:  # a fragmented NAL that never got its end: drop it
            self._fu = None
            self._damaged = True

    def _bad(self) -> None:
        self.malformed += 1
        self._damaged = True

    def _finish(self) -> None:
        self._fu_abort()
        parts = self._parts
        if parts:
            if (self._key or self._first) and not self._has_params and self.parameter_sets:
                parts.insert(0, self.parameter_sets)
            self.ready.append(AccessUnit(b"".join(parts), self._ts, self._key, self._arrived, self._damaged))
            self._first = False
            self._parts = []
        self._key = self._has_params = self._damaged = False

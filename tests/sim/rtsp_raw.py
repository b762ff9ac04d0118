"""A small blocking RTSP/RTP client for the simulator's protocol tests: sends requests by hand (with Digest
auth when asked) and reads interleaved RTP/RTCP, so tests can check the bytes on the wire."""

from __future__ import annotations

import hashlib
import re
import socket
import struct
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class RtpPacket:
    channel: int
    marker: bool
    payload_type: int
    seq: int
    timestamp: int
    ssrc: int
    payload: bytes


@dataclass
class RawRtsp:
    url: str
    user: str = ""
    password: str = ""
    timeout: float = 5.0
    sock: socket.socket = field(init=False)
    cseq: int = 0
    session: str = ""
    _buf: bytearray = field(default_factory=bytearray)
    _auth: dict[str, str] = field(default_factory=dict)
    rtcp: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=self.timeout)

    def close(self) -> None:
        self.sock.close()

    def _authorization(self, method: str, uri: str) -> str | None:
        if not self._auth:
            return None
        realm, nonce = self._auth["realm"], self._auth["nonce"]
        ha1 = hashlib.md5(f"{self.user}:{realm}:{self.password}".encode()).hexdigest()
        ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
        resp = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()
        return f'Digest username="{self.user}", realm="{realm}", nonce="{nonce}", uri="{uri}", response="{resp}"'

    def request(self, method: str, uri: str | None = None, headers: dict[str, str] | None = None,
                retry_auth: bool = True) -> Response:
        uri = uri or self.url
        self.cseq += 1
        lines = [f"{method} {uri} RTSP/1.0", f"CSeq: {self.cseq}"]
        if self.session:
            lines.append(f"Session: {self.session}")
        auth = self._authorization(method, uri)
        if auth:
            lines.append(f"Authorization: {auth}")
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        resp = self.read_response()
        if resp.status == 401 and retry_auth and self.user:
            challenge = resp.headers.get("www-authenticate", "")
            self._auth = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
            return self.request(method, uri, headers, retry_auth=False)
        if "session" in resp.headers:
            self.session = resp.headers["session"].split(";")[0]
        return resp

    def _fill(self, n: int) -> None:
        deadline = time.monotonic() + self.timeout
        while len(self._buf) < n:
            if time.monotonic() > deadline:
                raise TimeoutError("no data from the server")
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self._buf += chunk

    def read_response(self) -> Response:
        deadline = time.monotonic() + self.timeout
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError("no RTSP response")
            self._fill(1)
            if self._buf[0] == 0x24:  # skip interleaved media that arrives before the response
                self.read_packet()
                continue
            end = self._buf.find(b"\r\n\r\n")
            if end < 0:
                self._fill(len(self._buf) + 1)
                continue
            head = bytes(self._buf[:end]).decode()
            lines = head.split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
            length = int(headers.get("content-length", "0"))
            self._fill(end + 4 + length)
            body = bytes(self._buf[end + 4:end + 4 + length])
            del self._buf[:end + 4 + length]
            return Response(int(lines[0].split(" ")[1]), headers, body)

    def read_packet(self) -> tuple[int, bytes]:
        """The next interleaved frame: (channel, data)."""
        self._fill(4)
        if self._buf[0] != 0x24:
            raise AssertionError(f"expected interleaved data, got {bytes(self._buf[:16])!r}")
        channel, size = self._buf[1], struct.unpack("!H", self._buf[2:4])[0]
        self._fill(4 + size)
        data = bytes(self._buf[4:4 + size])
        del self._buf[:4 + size]
        return channel, data

    def read_rtp(self) -> RtpPacket:
        """The next RTP packet on an even channel (RTCP packets are kept in ``self.rtcp``)."""
        while True:
            channel, data = self.read_packet()
            if channel % 2:
                self.rtcp.append(data)
                continue
            return parse_rtp(channel, data)


def parse_rtp(channel: int, data: bytes) -> RtpPacket:
    b0, b1, seq, ts, ssrc = struct.unpack("!BBHII", data[:12])
    assert b0 >> 6 == 2, "RTP version 2"
    return RtpPacket(channel, bool(b1 & 0x80), b1 & 0x7F, seq, ts, ssrc, data[12:])

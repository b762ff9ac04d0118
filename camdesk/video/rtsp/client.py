"""Our RTSP client (RFC 2326): DESCRIBE, SETUP of the first H.264/H.265 video track, PLAY, keep-alive and
TEARDOWN, with RTP over TCP (interleaved) or UDP; access units come out of :meth:`RtspClient.read` as soon
as their last packet arrives (see :mod:`camdesk.video.rtsp.depacketize` for why we do not use FFmpeg's).

Blocking and single-threaded: the engine's worker thread calls ``read()``; keep-alives are sent from
inside it. Credentials stay in the :class:`Authenticator`; no exception text contains them or the URL.
"""

from __future__ import annotations

import errno
import os
import select
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from camdesk.errors import AuthFailed, CameraTimeout, CameraUnreachable, ConnectionRefused, InvalidUrl
from camdesk.video.rtsp.auth import Authenticator
from camdesk.video.rtsp.depacketize import AccessUnit, Depacketizer
from camdesk.video.rtsp.sdp import VideoTrack, parse

_CHUNK = 65536  # one recv: several frames' worth of interleaved packets in one syscall
_MAX_HEAD = 65536  # an RTSP reply head larger than this is not a camera talking
_POLL_S = 0.1  # how often a blocking handshake looks at cancelled()
_TEARDOWN_S = 0.5
_NTP_EPOCH = 2208988800  # seconds from 1900 (NTP) to 1970 (Unix)
_RTCP_SR = struct.Struct("!III")
_DEFAULT_SESSION_TIMEOUT = 60.0


class NotHandled(Exception):
    """This URL/stream is not something our client plays (no H.264/H.265 video in the SDP, rtsps://, a
    transport the server refuses...). The engine then opens it with FFmpeg instead."""


@dataclass(slots=True)
class _Reply:
    code: int
    reason: str
    headers: dict[str, str]
    challenges: list[str] = field(default_factory=list)
    body: bytes = b""


def _parse_head(head: bytes) -> tuple[str, dict[str, str], list[str]]:
    """(first line, headers with lower-case names, WWW-Authenticate values) of one message head."""
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    challenges: list[str] = []
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        name = name.strip().lower()
        value = value.strip()
        if name == "www-authenticate":
            challenges.append(value)
        headers[name] = value
    return lines[0], headers, challenges


def _content_length(headers: dict[str, str]) -> int:
    try:
        return max(0, int(headers.get("content-length", "0")))
    except ValueError:
        return 0


def _transport_params(value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in value.split(";"):
        key, _, val = item.strip().partition("=")
        out[key.lower()] = val
    return out


def _pair(text: str, default: tuple[int, int]) -> tuple[int, int]:
    try:
        a, _, b = text.partition("-")
        return int(a), int(b) if b else int(a) + 1
    except ValueError:
        return default


class _Waiter:
    """Waits for sockets to become readable (or writable): poll() where there is one, because select()
    fails on descriptors above 1024, which a wall of 64 cameras next to a GUI can reach."""

    def __init__(self, socks: list[socket.socket], write: bool = False) -> None:
        self._socks = socks
        self._write = write
        self._poll = select.poll() if hasattr(select, "poll") else None
        if self._poll is not None:
            for s in socks:
                self._poll.register(s, select.POLLOUT if write else select.POLLIN)

    def wait(self, timeout: float) -> set[int]:
        if self._poll is not None:
            return {fd for fd, _ in self._poll.poll(max(0, int(timeout * 1000 + 0.999)))}
        if self._write:
            _, ready, _ = select.select([], self._socks, [], timeout)
        else:
            ready, _, _ = select.select(self._socks, [], [], timeout)
        return {s.fileno() for s in ready}


class RtspClient:
    """One RTSP session playing the first H.264/H.265 video track of ``url``. See the module docstring."""

    def __init__(self, url: str, username: str | None, password: str | None, *, transport: str = "tcp",
                 open_timeout: float = 5.0, read_timeout: float = 1.0,
                 cancelled: Callable[[], bool] = lambda: False) -> None:
        if transport not in ("tcp", "udp"):
            raise ValueError(f"transport must be tcp or udp, not {transport!r}")
        parts = urlsplit(url)
        if parts.scheme.lower() != "rtsp":
            raise NotHandled(f"{parts.scheme or 'no'} scheme is not played by our RTSP client")
        try:
            host, port = parts.hostname, parts.port or 554
        except ValueError:
            raise InvalidUrl("the port is not a number") from None
        if not host:
            raise InvalidUrl("the address has no host")
        netloc = parts.netloc.rpartition("@")[2]  # never send user info in a request line
        self.url = urlunsplit(("rtsp", netloc, parts.path or "/", parts.query, ""))
        self.transport = transport
        self.codec = ""
        self.clock_rate = 90000
        self.parameter_sets = b""
        self.packets = 0
        self.bytes = 0
        self._read_timeout = read_timeout
        self._cancelled = cancelled
        self._deadline = time.monotonic() + open_timeout
        self._auth = Authenticator(username or "", password or "") if username or password else None
        self._cseq = 0
        self._session = ""
        self._public = ""
        self._aggregate = self.url
        self._buf = b""
        self._closed = False
        self._keepalive_every = _DEFAULT_SESSION_TIMEOUT / 2
        self._keepalive_at = 0.0
        self._sr: tuple[float, int] | None = None  # (wall time, 32-bit RTP time) of the latest SR
        self._rtp_channel, self._rtcp_channel = 0, 1
        self._sock: socket.socket | None = None
        self._udp: tuple[socket.socket, socket.socket] | None = None
        self._udp_waiter: _Waiter | None = None
        self._udp_buf = bytearray(_CHUNK)
        self._servers: set[str] = set()
        self._dep: Depacketizer | None = None
        try:
            self._connect(host, port)
            self._handshake(transport)
        except BaseException:
            self._close_sockets()
            raise

    # --- opening -----------------------------------------------------------------------------------
    def _remaining(self) -> float:
        if self._cancelled():
            raise CameraTimeout("cancelled")
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise CameraTimeout("the camera did not answer in time (RTSP)")
        return left

    def _connect(self, host: str, port: int) -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            raise CameraUnreachable("the camera's host name cannot be resolved") from None
        family, kind, proto, _, addr = infos[0]
        sock = socket.socket(family, kind, proto)
        self._sock = sock
        sock.setblocking(False)
        err = sock.connect_ex(addr)
        if err not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN):
            self._connect_failed(err)
        waiter = _Waiter([sock], write=True)
        while err != 0:
            if waiter.wait(min(_POLL_S, self._remaining())):
                err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    self._connect_failed(err)
                break
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._servers.add(sock.getpeername()[0])

    @staticmethod
    def _connect_failed(err: int) -> None:
        if err == errno.ECONNREFUSED:
            raise ConnectionRefused("connection refused")
        if err == errno.ETIMEDOUT:
            raise CameraTimeout("connecting timed out")
        raise CameraUnreachable(f"cannot connect: {os.strerror(err)}")

    def _handshake(self, transport: str) -> None:
        options = self._request("OPTIONS", self.url)
        if options.code == 200:
            self._public = options.headers.get("public", "").upper()
        describe = self._request("DESCRIBE", self.url, {"Accept": "application/sdp"})
        self._check(describe)
        base = describe.headers.get("content-base") or describe.headers.get("content-location") or self.url
        track = parse(describe.body.decode("utf-8", "replace"), base)
        if track is None:
            raise NotHandled("no H.264 or H.265 video in the stream")
        self.codec, self.clock_rate, self.parameter_sets = track.codec, track.clock_rate, track.parameter_sets
        self._aggregate = track.aggregate
        self._setup(track, transport)
        self._check(self._request("PLAY", self._aggregate, {"Range": "npt=0.000-"}))
        self._dep = Depacketizer(track.codec, track.payload_type, track.parameter_sets, track.max_don_diff)
        self._keepalive_at = time.monotonic() + self._keepalive_every
        assert self._sock is not None
        self._sock.settimeout(self._read_timeout)
        if self.transport == "udp":
            assert self._udp is not None
            self._udp_waiter = _Waiter([*self._udp, self._sock])
            self._sock.setblocking(False)
        if self._buf:  # media that came in the same read as the PLAY reply
            leftover, self._buf = self._buf, b""
            self._parse_stream(leftover)

    def _setup(self, track: VideoTrack, transport: str) -> None:
        assert self._sock is not None
        if transport == "udp":
            self._udp = self._bind_udp_pair()
            rtp_port = self._udp[0].getsockname()[1]
            spec = f"RTP/AVP;unicast;client_port={rtp_port}-{rtp_port + 1}"
        else:
            spec = "RTP/AVP/TCP;unicast;interleaved=0-1"
        reply = self._request("SETUP", track.control, {"Transport": spec})
        if reply.code == 461:
            if transport == "udp":
                raise CameraUnreachable("UDP refused")
            raise NotHandled("the camera refuses RTP over TCP")
        self._check(reply)
        session = reply.headers.get("session", "")
        self._session = session.split(";")[0].strip()
        if not self._session:
            raise CameraUnreachable("malformed RTSP reply: no session")
        for item in session.split(";")[1:]:
            key, _, val = item.strip().partition("=")
            if key.lower() == "timeout":
                try:
                    self._keepalive_every = max(1.0, float(val) / 2)
                except ValueError:
                    pass
        params = _transport_params(reply.headers.get("transport", ""))
        if "interleaved" in params:  # the server may pick other channels, or TCP when we asked for UDP
            self._rtp_channel, self._rtcp_channel = _pair(params["interleaved"], (0, 1))
            self.transport = "tcp"
            if self._udp is not None:
                for s in self._udp:
                    s.close()
                self._udp = None
        elif transport == "tcp":
            raise NotHandled("the camera answered RTP over TCP with another transport")
        elif params.get("source"):
            self._servers.add(params["source"])

    def _bind_udp_pair(self) -> tuple[socket.socket, socket.socket]:
        """An even RTP port and the odd RTCP port after it, on the interface that reaches the camera."""
        assert self._sock is not None
        local = self._sock.getsockname()[0]
        family = self._sock.family
        for _ in range(20):
            rtp = socket.socket(family, socket.SOCK_DGRAM)
            try:
                rtp.bind((local, 0))
                port = rtp.getsockname()[1]
                if port % 2:
                    rtp.close()
                    continue
                rtcp = socket.socket(family, socket.SOCK_DGRAM)
                try:
                    rtcp.bind((local, port + 1))
                except OSError:
                    rtcp.close()
                    rtp.close()
                    continue
            except OSError:
                rtp.close()
                continue
            for s in (rtp, rtcp):
                s.setblocking(False)
            try:  # room for a keyframe burst while the worker decodes the previous picture
                rtp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            except OSError:
                pass
            return rtp, rtcp
        raise CameraUnreachable("no free UDP port pair")

    def _check(self, reply: _Reply) -> None:
        if 200 <= reply.code < 300:
            return
        reason = reply.reason[:60]
        if reply.code == 401:
            raise AuthFailed("RTSP 401 Unauthorized")
        if reply.code == 404:
            raise InvalidUrl(f"RTSP 404 {reason}")
        if 300 <= reply.code < 400:
            raise NotHandled(f"RTSP {reply.code} redirect")  # FFmpeg follows redirects
        raise CameraUnreachable(f"RTSP {reply.code} {reason}")

    # --- requests ------------------------------------------------------------------------------------
    def _send(self, method: str, url: str, headers: dict[str, str] | None = None) -> bool:
        """Send one request; returns whether it carried credentials."""
        assert self._sock is not None
        self._cseq += 1
        lines = [f"{method} {url} RTSP/1.0", f"CSeq: {self._cseq}", "User-Agent: camdesk"]
        if self._session:
            lines.append(f"Session: {self._session}")
        authorization = self._auth.header(method, url) if self._auth is not None else None
        if authorization:
            lines.append(f"Authorization: {authorization}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self._sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
        return authorization is not None

    def _request(self, method: str, url: str, headers: dict[str, str] | None = None) -> _Reply:
        """One request/reply of the handshake, answering 401 challenges (at most twice: a stale nonce)."""
        for _ in range(3):
            assert self._sock is not None
            self._sock.settimeout(min(_POLL_S, self._remaining()))
            try:
                with_auth = self._send(method, url, headers)
            except TimeoutError:
                raise CameraTimeout("the camera does not take requests") from None
            except OSError:
                raise CameraUnreachable("the connection was lost during the RTSP handshake") from None
            reply = self._reply()
            if reply.code != 401:
                return reply
            if self._auth is None:
                raise AuthFailed("RTSP 401: the camera wants a user name and password")
            if not self._auth.challenge(reply.challenges):
                raise AuthFailed("RTSP 401: no supported authentication scheme")
            if with_auth and not self._auth.stale:
                raise AuthFailed("RTSP 401: wrong user name or password")
        raise AuthFailed("RTSP 401: wrong user name or password")

    def _reply(self) -> _Reply:
        """The reply to the latest request (older replies and interleaved media before PLAY are skipped)."""
        while True:
            reply = self._take_reply()
            if reply is not None:
                try:
                    if int(reply.headers.get("cseq", self._cseq)) < self._cseq:
                        continue
                except ValueError:
                    pass
                return reply
            assert self._sock is not None
            self._sock.settimeout(min(_POLL_S, self._remaining()))
            try:
                chunk = self._sock.recv(_CHUNK)
            except TimeoutError:
                continue
            except OSError:
                raise CameraUnreachable("the connection was lost during the RTSP handshake") from None
            if not chunk:
                raise CameraUnreachable("the camera closed the connection during the RTSP handshake")
            self._buf += chunk

    def _take_reply(self) -> _Reply | None:
        buf = self._buf
        while buf:
            if buf[0] == 0x24:  # '$': an interleaved packet before the PLAY reply; nothing to play yet
                if len(buf) < 4:
                    return None
                size = 4 + ((buf[2] << 8) | buf[3])
                if len(buf) < size:
                    return None
                buf = self._buf = buf[size:]
                continue
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > _MAX_HEAD or (len(buf) >= 5 and not buf[:1].isalpha()):
                    raise CameraUnreachable("malformed RTSP reply")
                return None
            first, headers, challenges = _parse_head(buf[:end])
            length = _content_length(headers)
            if len(buf) < end + 4 + length:
                return None
            body = buf[end + 4:end + 4 + length]
            buf = self._buf = buf[end + 4 + length:]
            status = first.split(" ", 2)
            if first.endswith("RTSP/1.0") and not first.startswith("RTSP/"):
                continue  # a request from the server (e.g. its own keep-alive): no answer needed
            if len(status) < 2 or not status[0].startswith("RTSP/") or not status[1].isdigit():
                raise CameraUnreachable("malformed RTSP reply")
            return _Reply(int(status[1]), status[2] if len(status) > 2 else "", headers, challenges, body)
        return None

    # --- playing -------------------------------------------------------------------------------------
    def read(self) -> AccessUnit:
        """Block until the next complete access unit. TimeoutError when nothing completed within
        ``read_timeout`` (call again: nothing is lost); ConnectionError when the server closed."""
        dep = self._dep
        if dep is None or self._closed:
            raise ConnectionError("the RTSP client is closed")
        ready = dep.ready
        if ready:
            return ready.popleft()
        deadline = time.monotonic() + self._read_timeout
        pump = self._pump_udp if self.transport == "udp" else self._pump_tcp
        while not ready:
            now = time.monotonic()
            if now >= self._keepalive_at:
                self._keepalive(now)
            left = deadline - now
            if left <= 0:
                raise TimeoutError(f"no video for {self._read_timeout:g} s")
            pump(min(left, self._keepalive_at - now + 0.001))
        return ready.popleft()

    def watch(self) -> socket.socket:
        """Switch to reads driven by an event loop (TCP interleaved only): the returned socket becomes
        non-blocking, and :meth:`read_ready` is called whenever it is readable instead of :meth:`read`."""
        if self.transport != "tcp" or self._sock is None or self._closed:
            raise NotHandled("only a playing RTSP-over-TCP session can be watched")
        self._sock.setblocking(False)
        return self._sock

    def read_ready(self) -> list[AccessUnit]:
        """The units completed by what the watched socket holds now (one recv; never blocks; may be
        none). Sends the keep-alive when due. ConnectionError when the server closed the session."""
        dep, sock = self._dep, self._sock
        if dep is None or sock is None or self._closed:
            raise ConnectionError("the RTSP client is closed")
        now = time.monotonic()
        if now >= self._keepalive_at:
            self._keepalive(now)
        try:
            chunk = sock.recv(_CHUNK)
        except (BlockingIOError, InterruptedError):
            chunk = None
        if chunk is not None:
            if not chunk:
                raise ConnectionResetError("the camera closed the connection")
            self.bytes += len(chunk)
            self._parse_stream(self._buf + chunk if self._buf else chunk)
        units = list(dep.ready)
        dep.ready.clear()
        return units

    def _pump_tcp(self, timeout: float) -> None:
        sock = self._sock
        assert sock is not None
        sock.settimeout(timeout)
        try:
            chunk = sock.recv(_CHUNK)
        except TimeoutError:
            return
        if not chunk:
            raise ConnectionResetError("the camera closed the connection")
        self.bytes += len(chunk)
        self._parse_stream(self._buf + chunk if self._buf else chunk)

    def _parse_stream(self, buf: bytes) -> None:
        """Interleaved '$' frames (RTP to the depacketizer, RTCP to the SR clock) and text replies to
        our keep-alives, which are dropped. Incomplete data waits in ``_buf`` for the next recv."""
        dep = self._dep
        assert dep is not None
        push = dep.push
        now = time.time()
        view = memoryview(buf)
        n = len(buf)
        i = 0
        rtp, rtcp = self._rtp_channel, self._rtcp_channel
        packets = 0
        while i < n:
            if buf[i] == 0x24:
                if i + 4 > n:
                    break
                j = i + 4 + ((buf[i + 2] << 8) | buf[i + 3])
                if j > n:
                    break
                channel = buf[i + 1]
                if channel == rtp:
                    push(view[i + 4:j], now)
                    packets += 1
                elif channel == rtcp:
                    self._rtcp(view[i + 4:j])
                i = j
            elif 0x41 <= buf[i] <= 0x5A:  # 'A'..'Z': an RTSP reply (or server request) between frames
                end = buf.find(b"\r\n\r\n", i)
                if end < 0:
                    if n - i <= _MAX_HEAD:
                        break
                    i = self._resync(buf, i)
                    continue
                _, headers, _ = _parse_head(buf[i:end])
                j = end + 4 + _content_length(headers)
                if j > n:
                    break
                i = j
            else:  # garbage: skip to the next frame start
                i = self._resync(buf, i)
        self.packets += packets
        self._buf = buf[i:] if i < n else b""

    def _resync(self, buf: bytes, i: int) -> int:
        assert self._dep is not None
        self._dep.malformed += 1
        k = buf.find(b"$", i + 1)
        return k if k >= 0 else len(buf)

    def _pump_udp(self, timeout: float) -> None:
        assert self._udp is not None and self._dep is not None and self._udp_waiter is not None
        rtp, rtcp = self._udp
        buf, view, servers, dep = self._udp_buf, memoryview(self._udp_buf), self._servers, self._dep
        ready = dep.ready
        now = time.time()
        got = False
        while not ready:  # drain what is queued; stop at a complete unit so it goes out at once
            try:
                n, addr = rtp.recvfrom_into(buf)
            except BlockingIOError:
                break
            if addr[0] not in servers:
                continue
            self.packets += 1
            self.bytes += n
            dep.push(bytes(view[:n]), now)
            got = True
        if got:
            return
        fds = self._udp_waiter.wait(timeout)
        if rtcp.fileno() in fds:
            self._drain_rtcp(rtcp)
        assert self._sock is not None
        if self._sock.fileno() in fds:
            try:
                chunk = self._sock.recv(_CHUNK)
            except BlockingIOError:
                return
            if not chunk:
                raise ConnectionResetError("the camera closed the connection")
            self._parse_stream(self._buf + chunk if self._buf else chunk)

    def _drain_rtcp(self, rtcp: socket.socket) -> None:
        while True:
            try:
                data, addr = rtcp.recvfrom(2048)
            except BlockingIOError:
                return
            if addr[0] in self._servers:
                self._rtcp(memoryview(data))

    def _rtcp(self, p: memoryview) -> None:
        """Sender reports (PT 200) of a compound RTCP packet: the NTP <-> RTP mapping for wall_clock()."""
        i, n = 0, len(p)
        while i + 4 <= n:
            if p[i] & 0xC0 != 0x80:
                return
            size = 4 * (((p[i + 2] << 8) | p[i + 3]) + 1)
            if i + size > n:
                return
            if p[i + 1] == 200 and size >= 28:
                sec, frac, rtp_time = _RTCP_SR.unpack_from(p, i + 8)
                self._sr = (sec - _NTP_EPOCH + frac / 4294967296.0, rtp_time)
            i += size

    def _keepalive(self, now: float) -> None:
        """GET_PARAMETER when the server announced it, else OPTIONS; the reply is dropped by the reader."""
        self._keepalive_at = now + self._keepalive_every
        method = "GET_PARAMETER" if "GET_PARAMETER" in self._public else "OPTIONS"
        sock = self._sock
        assert sock is not None
        timeout = sock.gettimeout()
        sock.settimeout(1.0)
        try:
            self._send(method, self._aggregate)
        except TimeoutError:
            pass  # the send buffer is full: the camera is not reading; the stream will tell
        finally:
            sock.settimeout(timeout)

    def wall_clock(self, pts: int) -> float | None:
        """Capture time (Unix seconds) of a unit with ``pts`` from the latest RTCP sender report, or None
        before the first one. RTP time wraps at 32 bits: the difference is taken modulo 2**32."""
        sr = self._sr
        if sr is None:
            return None
        diff = (pts - sr[1]) & 0xFFFFFFFF
        if diff >= 0x80000000:
            diff -= 0x100000000
        return sr[0] + diff / self.clock_rate

    # --- closing -------------------------------------------------------------------------------------
    def close(self) -> None:
        """TEARDOWN (best effort, at most 0.5 s), then close the sockets. Idempotent."""
        if self._closed:
            return
        self._closed = True
        sock = self._sock
        try:
            if sock is not None and self._session:
                deadline = time.monotonic() + _TEARDOWN_S
                sock.settimeout(_TEARDOWN_S)
                self._send("TEARDOWN", self._aggregate)
                seen = b""
                while b"RTSP/1.0" not in seen:  # wait for the reply, so the server reads it before our FIN
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    sock.settimeout(left)
                    chunk = sock.recv(_CHUNK)
                    if not chunk:
                        break
                    seen = seen[-8:] + chunk
        except OSError:
            pass
        finally:
            self._close_sockets()

    def _close_sockets(self) -> None:
        self._closed = True
        for s in [self._sock, *(self._udp or ())]:
            if s is not None:
                s.close()
        self._sock = None
        self._udp = None

    def __enter__(self) -> RtspClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

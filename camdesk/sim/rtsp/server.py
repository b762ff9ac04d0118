"""An RTSP server (RFC 2326) for all virtual cameras on one port: ``/cam{index}/main`` and ``/cam{index}/sub``.

One asyncio loop on its own thread serves every connection, session and frame clock. Supports OPTIONS,
DESCRIBE, SETUP (RTP over TCP interleaved, or UDP unicast from one shared server port pair), PLAY,
PAUSE, TEARDOWN, GET_PARAMETER/SET_PARAMETER (keep-alive) and Digest authentication.

Clean-up of clients that vanish: a TCP-interleaved session ends with its connection; a UDP session ends
``session_timeout`` seconds after its last sign of life (an RTSP request naming it, or an RTCP packet
from its address). Faults (:class:`camdesk.sim.faults.Faults`): ``drop`` and ``down`` close the
camera's connections and sessions; ``refuse``/``down`` close a connection as soon as it names the camera;
``stall`` leaves requests unanswered and sends no media.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import secrets
import socket
import threading
import time
from concurrent.futures import Future
from email.utils import formatdate
from urllib.parse import urlsplit

from camdesk.logs import scrub
from camdesk.sim.encoder import Loop, ParameterSets
from camdesk.sim.rtsp import sdp
from camdesk.sim.rtsp.auth import DigestAuth
from camdesk.sim.rtsp.fanout import MediaStream, Subscriber, interleave
from camdesk.sim.scene import Scene
from camdesk.sim.spec import Resolution, SimCamera

log = logging.getLogger(__name__)

METHODS = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER"
_MAX_HEADER = 16384


class _TcpSink:
    """Interleaved RTP/RTCP on the session's RTSP connection."""

    def __init__(self, conn: RtspConnection, rtp_channel: int, rtcp_channel: int) -> None:
        self.conn = conn
        self.rtp_channel = rtp_channel
        self.rtcp_channel = rtcp_channel

    def send_rtp(self, packets: list[bytes]) -> None:
        t = self.conn.transport
        if t is not None and not t.is_closing():
            t.write(b"".join(interleave(self.rtp_channel, p) for p in packets))

    def send_rtcp(self, packet: bytes) -> None:
        t = self.conn.transport
        if t is not None and not t.is_closing():
            t.write(interleave(self.rtcp_channel, packet))

    def backlog(self) -> int:
        t = self.conn.transport
        return t.get_write_buffer_size() if t is not None else 0

    def close(self) -> None:
        self.conn.abort()


class _UdpSink:
    """RTP and RTCP datagrams from the server's shared UDP port pair to the client's ports."""

    def __init__(self, server: RtspServer, host: str, rtp_port: int, rtcp_port: int) -> None:
        self.server = server
        self.rtp_addr = (host, rtp_port)
        self.rtcp_addr = (host, rtcp_port)

    def send_rtp(self, packets: list[bytes]) -> None:
        t = self.server.udp_rtp
        if t is not None:
            for p in packets:
                t.sendto(p, self.rtp_addr)

    def send_rtcp(self, packet: bytes) -> None:
        t = self.server.udp_rtcp
        if t is not None:
            t.sendto(packet, self.rtcp_addr)

    def backlog(self) -> int:
        return 0

    def close(self) -> None:
        pass


class Session:
    """One RTSP session: one track of one stream, over TCP or UDP."""

    def __init__(self, sid: str, stream: MediaStream, conn: RtspConnection, sink: _TcpSink | _UdpSink) -> None:
        self.id = sid
        self.stream = stream
        self.conn: RtspConnection | None = conn
        self.sink = sink
        self.subscriber = Subscriber(sink)
        self.playing = False
        self.last_seen = time.monotonic()

    @property
    def udp(self) -> bool:
        return isinstance(self.sink, _UdpSink)


class RtspConnection(asyncio.Protocol):
    """One client TCP connection: parses requests (skipping interleaved RTCP from the client)."""

    def __init__(self, server: RtspServer) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.cameras: set[int] = set()
        self.sessions: set[str] = set()
        self.peer = ("", 0)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.peer = transport.get_extra_info("peername") or ("", 0)
        if all(c.faults.refuse for c in self.server.cameras.values()):
            transport.abort()  # every camera refuses: hang up at once, before any request
            return
        self.server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.connections.discard(self)
        for sid in list(self.sessions):
            session = self.server.sessions.get(sid)
            if session is None:
                continue
            if session.udp:
                session.conn = None  # UDP sessions outlive their connection until they time out
            else:
                self.server.end_session(sid)
        self.transport = None

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.buffer:
            if self.buffer[0] == 0x24:  # interleaved binary data from the client (RTCP receiver reports)
                if len(self.buffer) < 4:
                    return
                size = int.from_bytes(self.buffer[2:4], "big")
                if len(self.buffer) < 4 + size:
                    return
                del self.buffer[: 4 + size]
                for sid in self.sessions:
                    if (s := self.server.sessions.get(sid)) is not None:
                        s.last_seen = time.monotonic()
                continue
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > _MAX_HEADER:
                    self.abort()
                return
            head = bytes(self.buffer[:end]).decode("utf-8", "replace")
            headers: dict[str, str] = {}
            lines = head.split("\r\n")
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            try:
                length = int(headers.get("content-length", "0"))
            except ValueError:
                length = 0
            if len(self.buffer) < end + 4 + length:
                return
            body = bytes(self.buffer[end + 4: end + 4 + length])
            del self.buffer[: end + 4 + length]
            parts = lines[0].split(" ")
            if len(parts) != 3:
                self.reply(400, "Bad Request", headers.get("cseq", "0"))
                continue
            self.server.handle(self, parts[0].upper(), parts[1], headers, body)
            if self.transport is None or self.transport.is_closing():
                return

    def reply(self, code: int, reason: str, cseq: str, headers: dict[str, str] | None = None,
              body: bytes = b"") -> None:
        lines = [f"RTSP/1.0 {code} {reason}", f"CSeq: {cseq}", "Server: camdesk-sim",
                 f"Date: {formatdate(usegmt=True)}"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        if body:
            lines.append(f"Content-Length: {len(body)}")
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


class _UdpProtocol(asyncio.DatagramProtocol):
    """The shared server RTP or RTCP port: datagrams from clients (hole punching, RTCP receiver reports)
    refresh their UDP sessions."""

    def __init__(self, server: RtspServer) -> None:
        self.server = server

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.server.udp_seen(addr)


class RtspServer:
    """Serves every camera's streams. ``start()`` returns once it is listening; ``stop()`` ends it all.

    Register streams before ``start()`` with :meth:`add_loop_stream` / :meth:`add_live_stream`.
    """

    def __init__(self, cameras: list[SimCamera], host: str = "127.0.0.1", port: int = 0,
                 session_timeout: float = 60.0) -> None:
        self.host = host
        self.port = port
        self.session_timeout = session_timeout
        self.cameras = {c.spec.index: c for c in cameras}
        self.loop = asyncio.new_event_loop()
        self.streams: dict[str, MediaStream] = {}
        self.sessions: dict[str, Session] = {}
        self.connections: set[RtspConnection] = set()
        self.auth = DigestAuth()
        self.udp_rtp: asyncio.DatagramTransport | None = None
        self.udp_rtcp: asyncio.DatagramTransport | None = None
        self.udp_port = 0
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._clocks: dict[int, set[MediaStream]] = {}
        self._clock_tasks: dict[int, asyncio.Task[None]] = {}
        self._sweeper: asyncio.Task[None] | None = None
        self._sid_seed = secrets.randbits(32)
        self._listeners = [(cam, functools.partial(self._fault_changed, cam)) for cam in cameras]
        for cam, listener in self._listeners:
            cam.faults.listeners.append(listener)

    # --- setup ---------------------------------------------------------------------------------------
    def add_loop_stream(self, cam: SimCamera, kind: str, codec: str, loop: Loop) -> None:
        st = MediaStream(self.loop, cam, kind, codec, loop.res, loop.params, source=loop,
                         on_active=self._clock_membership)
        self.streams[st.path] = st

    def add_live_stream(self, cam: SimCamera, kind: str, codec: str, res: Resolution, params: ParameterSets,
                        scene: Scene, gop_seconds: float) -> None:
        st = MediaStream(self.loop, cam, kind, codec, res, params, scene=scene, gop_seconds=gop_seconds)
        self.streams[st.path] = st

    def url(self, cam: SimCamera, kind: str) -> str:
        return f"rtsp://{self.host}:{self.port}/{cam.spec.slug}/{kind}"

    def start(self) -> None:
        ready: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="sim-rtsp", daemon=True)
        self._thread.start()
        ready.result(timeout=10)

    def _run(self, ready: Future[None]) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._listen())
        except OSError as e:
            ready.set_exception(e)
            return
        ready.set_result(None)
        self.loop.run_forever()
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    async def _listen(self) -> None:
        self._server = await self.loop.create_server(lambda: RtspConnection(self), self.host, self.port,
                                                     reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        await self._open_udp()
        self._sweeper = self.loop.create_task(self._sweep())

    async def _open_udp(self) -> None:
        """An even/odd UDP port pair for RTP/RTCP (retrying until both ports are free)."""
        for _ in range(50):
            probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            probe.bind((self.host, 0))
            port = probe.getsockname()[1]
            probe.close()
            port -= port % 2
            try:
                rtp_t, _ = await self.loop.create_datagram_endpoint(
                    lambda: _UdpProtocol(self), local_addr=(self.host, port))
            except OSError:
                continue
            try:
                rtcp_t, _ = await self.loop.create_datagram_endpoint(
                    lambda: _UdpProtocol(self), local_addr=(self.host, port + 1))
            except OSError:
                rtp_t.close()
                continue
            self.udp_rtp, self.udp_rtcp, self.udp_port = rtp_t, rtcp_t, port
            return
        raise OSError("no free UDP port pair for RTP/RTCP")

    def stop(self) -> None:
        """Close every connection and session, stop live encoders and the loop (idempotent)."""
        for cam, listener in self._listeners:
            if listener in cam.faults.listeners:
                cam.faults.listeners.remove(listener)
        if self._thread is None:
            return
        done: Future[None] = Future()

        def shutdown() -> None:
            for conn in list(self.connections):
                conn.abort()
            for sid in list(self.sessions):
                self.end_session(sid)
            for task in [*self._clock_tasks.values(), self._sweeper]:
                if task is not None:
                    task.cancel()
            if self._server is not None:
                self._server.close()
            for t in (self.udp_rtp, self.udp_rtcp):
                if t is not None:
                    t.close()
            done.set_result(None)
            self.loop.call_later(0.05, self.loop.stop)

        if self.loop.is_running():
            self.loop.call_soon_threadsafe(shutdown)
            done.result(timeout=5)
        for st in self.streams.values():
            st.stop()
        self._thread.join(timeout=5)
        self._thread = None

    # --- status (any thread) -------------------------------------------------------------------------
    def session_count(self, index: int | None = None) -> int:
        """Sessions open now (of one camera, or all)."""
        return sum(1 for s in list(self.sessions.values()) if index is None or s.stream.cam.spec.index == index)

    # --- frame clocks ----------------------------------------------------------------------------------
    def _clock_membership(self, stream: MediaStream, active: bool) -> None:
        fps = stream.res.fps
        members = self._clocks.setdefault(fps, set())
        if active:
            members.add(stream)
            if fps not in self._clock_tasks:
                self._clock_tasks[fps] = self.loop.create_task(self._clock(fps))
        else:
            members.discard(stream)

    async def _clock(self, fps: int) -> None:
        """Sends frame ``n`` of every active loop stream at ``fps`` at wall-clock time ``n / fps``."""
        members = self._clocks[fps]
        n = math.floor(time.time() * fps) + 1
        try:
            while members:
                delay = n / fps - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                elif delay < -1.0:  # the machine stalled: skip ahead rather than burst
                    n = math.floor(time.time() * fps) + 1
                    continue
                for st in list(members):
                    try:
                        st.tick(n)
                    except OSError as e:
                        log.warning("sending %s failed: %s", st.path, e)
                n += 1
        finally:
            self._clock_tasks.pop(fps, None)

    # --- sessions ---------------------------------------------------------------------------------------
    def end_session(self, sid: str) -> None:
        session = self.sessions.pop(sid, None)
        if session is None:
            return
        session.stream.remove(session.subscriber)
        if session.conn is not None:
            session.conn.sessions.discard(sid)

    def udp_seen(self, addr: tuple[str, int]) -> None:
        now = time.monotonic()
        for s in self.sessions.values():
            if isinstance(s.sink, _UdpSink) and addr in (s.sink.rtp_addr, s.sink.rtcp_addr):
                s.last_seen = now

    async def _sweep(self) -> None:
        """Ends UDP sessions that showed no sign of life for ``session_timeout`` seconds."""
        while True:
            await asyncio.sleep(min(1.0, self.session_timeout / 4))
            limit = time.monotonic() - self.session_timeout
            for sid, s in list(self.sessions.items()):
                if s.udp and s.last_seen < limit:
                    log.info("session %s of %s timed out", sid, s.stream.path)
                    self.end_session(sid)

    # --- faults -------------------------------------------------------------------------------------------
    def _fault_changed(self, cam: SimCamera, name: str) -> None:
        """Faults listener (any thread): drop and down close the camera's connections and sessions."""
        if name in ("drop", "down_until") and self.loop.is_running():
            self.loop.call_soon_threadsafe(self._drop_camera, cam.spec.index)

    def _drop_camera(self, index: int) -> None:
        for sid, s in list(self.sessions.items()):
            if s.stream.cam.spec.index == index:
                self.end_session(sid)
        for conn in list(self.connections):
            if index in conn.cameras:
                conn.abort()

    # --- requests -----------------------------------------------------------------------------------------
    def _resolve(self, url: str) -> tuple[MediaStream | None, SimCamera | None, str]:
        """(stream, camera, stream URL) of a request URL; the track suffix is ignored."""
        path = urlsplit(url).path.rstrip("/")
        if path.endswith("/" + sdp.TRACK):
            path = path[: -len(sdp.TRACK) - 1]
        stream = self.streams.get(path)
        parts = path.strip("/").split("/")
        cam = None
        if parts and parts[0].startswith("cam") and parts[0][3:].isdigit():
            cam = self.cameras.get(int(parts[0][3:]))
        return stream, cam, f"rtsp://{self.host}:{self.port}{path}"

    def handle(self, conn: RtspConnection, method: str, url: str, headers: dict[str, str], body: bytes) -> None:
        cseq = headers.get("cseq", "0")
        stream, cam, base = self._resolve(url)
        sid = headers.get("session", "").split(";")[0].strip()
        if cam is None and sid in self.sessions:
            cam = self.sessions[sid].stream.cam
        if cam is not None:
            conn.cameras.add(cam.spec.index)
            if cam.faults.refuse and not conn.sessions:
                conn.abort()  # a new client of a refusing (or down) camera: hang up without a word
                return
            if cam.faults.stall:
                return  # a hung camera: the request is never answered
        if sid and (session := self.sessions.get(sid)) is not None:
            session.last_seen = time.monotonic()
        if method == "OPTIONS":
            conn.reply(200, "OK", cseq, {"Public": METHODS})
            return
        if method in ("GET_PARAMETER", "SET_PARAMETER"):
            extra = {"Session": sid} if sid else {}
            conn.reply(200, "OK", cseq, extra)
            return
        if method not in ("DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN"):
            conn.reply(405, "Method Not Allowed", cseq, {"Allow": METHODS})
            return
        if cam is None or (stream is None and method in ("DESCRIBE", "SETUP")):
            conn.reply(404, "Not Found", cseq)
            return
        if cam.requires_auth and method in ("DESCRIBE", "SETUP", "PLAY") and not self.auth.check(
                headers.get("authorization"), method, cam.username, cam.password):
            log.info("RTSP %s %s: authentication required", method, scrub(url))
            conn.reply(401, "Unauthorized", cseq, {"WWW-Authenticate": self.auth.challenge()})
            return
        if method == "DESCRIBE":
            assert stream is not None
            text = sdp.describe(stream.params, self.host, self._sid_seed, stream.res.fps,
                                f"{cam.spec.name} {stream.kind}")
            conn.reply(200, "OK", cseq, {"Content-Base": base + "/", "Content-Type": "application/sdp"},
                       text.encode())
        elif method == "SETUP":
            assert stream is not None
            self._setup(conn, stream, cseq, headers, sid)
        elif method == "PLAY":
            self._play(conn, sid, cseq, base)
        elif method == "PAUSE":
            session = self.sessions.get(sid)
            if session is None:
                conn.reply(454, "Session Not Found", cseq)
                return
            session.stream.remove(session.subscriber)
            session.playing = False
            conn.reply(200, "OK", cseq, {"Session": sid})
        else:  # TEARDOWN
            if sid in self.sessions:
                self.end_session(sid)
            conn.reply(200, "OK", cseq, {"Session": sid} if sid else {})

    def _setup(self, conn: RtspConnection, stream: MediaStream, cseq: str, headers: dict[str, str],
               sid: str) -> None:
        if sid and sid in self.sessions:
            conn.reply(459, "Aggregate Operation Not Allowed", cseq)  # one track per session
            return
        reply_transport = None
        sink: _TcpSink | _UdpSink | None = None
        for option in headers.get("transport", "").split(","):
            fields = [f.strip() for f in option.split(";")]
            params = {f.partition("=")[0]: f.partition("=")[2] for f in fields[1:]}
            proto = fields[0].upper()
            if "multicast" in params:
                continue
            if proto == "RTP/AVP/TCP":
                a, b = _pair(params.get("interleaved", "0-1"))
                sink = _TcpSink(conn, a, b)
                reply_transport = f"RTP/AVP/TCP;unicast;interleaved={a}-{b}"
                break
            if proto in ("RTP/AVP", "RTP/AVP/UDP") and "client_port" in params:
                a, b = _pair(params["client_port"])
                sink = _UdpSink(self, conn.peer[0], a, b)
                reply_transport = (f"RTP/AVP;unicast;client_port={a}-{b};"
                                   f"server_port={self.udp_port}-{self.udp_port + 1}")
                break
        if sink is None or reply_transport is None:
            conn.reply(461, "Unsupported Transport", cseq)
            return
        new_sid = secrets.token_hex(8)
        session = Session(new_sid, stream, conn, sink)
        self.sessions[new_sid] = session
        conn.sessions.add(new_sid)
        reply_transport += f";ssrc={session.subscriber.ssrc:08X}"
        conn.reply(200, "OK", cseq, {"Transport": reply_transport,
                                      "Session": f"{new_sid};timeout={int(self.session_timeout)}"})

    def _play(self, conn: RtspConnection, sid: str, cseq: str, base: str) -> None:
        session = self.sessions.get(sid)
        if session is None:
            conn.reply(454, "Session Not Found", cseq)
            return
        stream = session.stream
        n = stream.next_start_frame()
        sub = session.subscriber
        info = f"url={base}/{sdp.TRACK};seq={sub.seq};rtptime={stream.rtp_time(n)}"
        conn.reply(200, "OK", cseq, {"Session": sid, "Range": "npt=0.000-", "RTP-Info": info})
        if not session.playing:
            session.playing = True
            sub.waiting_key = True
            sub.start_frame = n if stream.source is not None else 0  # loops: exactly the announced frame
            stream.add(sub)


def _pair(text: str) -> tuple[int, int]:
    """``"5000-5001"`` -> (5000, 5001); a single number implies the next one."""
    try:
        if "-" in text:
            a, b = text.split("-", 1)
            return int(a), int(b)
        return int(text), int(text) + 1
    except ValueError:
        return 0, 1

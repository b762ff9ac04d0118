"""Our RTSP client (camdesk.video.rtsp) against real servers: the virtual camera and GStreamer's
gst-rtsp-server; plus the depacketizer, SDP and Digest parts on their own, and a fuzz test.

The stamp in every simulated frame tells when the camera sent it, so the latency asserts below prove
that an access unit is complete on its marker bit (well under one frame interval)."""

from __future__ import annotations

import logging
import random
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import av
import numpy as np
import pytest

from camdesk.errors import AuthFailed, CameraTimeout, CameraUnreachable, InvalidUrl
from camdesk.sim.rtsp.auth import DigestAuth
from camdesk.sim.rtsp.rtp import payloads as sim_payloads
from camdesk.video.rtsp import AccessUnit, NotHandled, RtspClient
from camdesk.video.rtsp.auth import Authenticator
from camdesk.video.rtsp.depacketize import Depacketizer
from camdesk.video.rtsp.sdp import parse as parse_sdp
from tests.conftest import require
from tests.video.helpers import gst_available, gst_server

sim_testing = pytest.importorskip("camdesk.sim.testing")
sim_stamp = pytest.importorskip("camdesk.sim.stamp")

pytestmark = pytest.mark.timeout(60)

USER, PASSWORD = "officer", "Ph@t:Gi4/Khu#7"
FPS = 15  # the main stream of the test cluster (640x360@15)
FRAME_MS = 1000 / FPS


# --- fixtures ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sim() -> Iterator[object]:
    """Three H.264 cameras with Digest auth: 0 healthy, 1 for stalls and drops, 2 for corruption. A short
    session timeout makes keep-alives (every 1.5 s) part of every test; UDP sessions die without them."""
    cluster = sim_testing.start_cluster(3, user=USER, password=PASSWORD, gop=0.5, session_timeout=3.0)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def sim265() -> Iterator[object]:
    cluster = sim_testing.start_cluster(1, user=USER, password=PASSWORD, gop=0.5, codec="h265")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def clients() -> Iterator[list[RtspClient]]:
    made: list[RtspClient] = []
    yield made
    for c in made:
        c.close()


def _open(made: list[RtspClient], url: str, **kwargs: object) -> RtspClient:
    kwargs.setdefault("read_timeout", 2.0)
    client = RtspClient(url, USER, PASSWORD, **kwargs)  # type: ignore[arg-type]
    made.append(client)
    return client


def _luma(frame: av.VideoFrame) -> np.ndarray:
    plane = frame.planes[0]
    return np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, : frame.width]


def _play(client: RtspClient, units: int) -> list[tuple[AccessUnit, float | None, float]]:
    """Decode ``units`` access units: (unit, the stamp's send time, when read() returned it) for each
    picture."""
    ctx = av.CodecContext.create(client.codec, "r")
    ctx.thread_count = 1
    out: list[tuple[AccessUnit, float | None, float]] = []
    for _ in range(units):
        au = client.read()
        returned = time.time()
        for frame in ctx.decode(av.Packet(au.data)):  # one picture per unit: no reordering delay here
            stamp = sim_stamp.read(_luma(frame))
            out.append((au, stamp.sent_at(returned) if stamp is not None else None, returned))
    return out


def _silent_server(behaviour: Callable[[socket.socket], None] | None = None) -> tuple[int, Callable[[], None]]:
    """A loopback TCP server that accepts; ``behaviour`` gets each connection (default: never answer)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()
    conns: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conns.append(conn)
            if behaviour is not None:
                conn.settimeout(5)
                try:
                    behaviour(conn)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def close() -> None:
        stop.set()
        thread.join(2)
        listener.close()
        for c in conns:
            c.close()

    return listener.getsockname()[1], close


# --- the virtual camera ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("codec", "transport"), [("h264", "tcp"), ("h264", "udp"), ("h265", "tcp"),
                                                  ("h265", "udp")])
def test_virtual_camera_plays_with_marker_bit_latency(sim, sim265, clients, codec: str,  # type: ignore[no-untyped-def]
                                                      transport: str) -> None:
    cluster = sim if codec == "h264" else sim265
    client = _open(clients, cluster.cameras[0]["main"], transport=transport)
    assert (client.codec, client.transport, client.clock_rate) == (
        "h264" if codec == "h264" else "hevc", transport, 90000)
    assert client.parameter_sets.startswith(b"\x00\x00\x00\x01")
    started = time.thread_time()
    played = _play(client, 45)  # 3 s: also spans keep-alives and an RTCP sender report
    assert len(played) >= 44
    assert played[0][0].key  # the sim starts a session on a keyframe
    assert not any(au.damaged for au, _, _ in played)
    assert any(au.key for au, _, _ in played[1:]) and not all(au.key for au, _, _ in played)
    assert all(au.arrived <= returned for au, _, returned in played)
    latencies = [(returned - sent) * 1000 for _, sent, returned in played if sent is not None]
    assert len(latencies) >= 40
    # Completion on the marker bit: read() returns a unit when its last packet is in, not one frame
    # later when the next one starts (that would be >= 67 ms here).
    assert max(latencies) < FRAME_MS / 2, latencies
    steps = {b[0].pts - a[0].pts for a, b in zip(played, played[1:], strict=False)}
    assert steps == {90000 // FPS}
    clocks = [(client.wall_clock(au.pts), sent) for au, sent, _ in played[-10:]]
    assert all(w is not None and sent is not None and abs(w - sent) < 0.05 for w, sent in clocks), clocks
    assert client.packets > 45 and client.bytes > 100_000
    print(f"\n{codec}/{transport}: latency max {max(latencies):.1f} ms; CPU in read()+decode "
          f"{(time.thread_time() - started) / len(played) * 1e3:.2f} ms per unit")


def test_per_unit_python_cost(sim, clients) -> None:  # type: ignore[no-untyped-def]
    """CPU time of read() alone per access unit over TCP (the cost the brief asks to keep minimal)."""
    client = _open(clients, sim.cameras[0]["main"])
    client.read()
    cpu = 0.0
    units = 30
    for _ in range(units):
        t = time.thread_time()
        client.read()
        cpu += time.thread_time() - t
    per_unit_us = cpu / units * 1e6
    # The depacketizer alone on an 18 KB unit in 1400-byte FU-A packets (a 640x360 keyframe's size).
    nal = b"\x65" + bytes(range(256)) * 70
    packets = [memoryview(p) for p in _packets("h264", [(nal,)] * 200, seq=0, ts=0, max_payload=1400)]
    dep = Depacketizer("h264", 96)
    per_packet = len(packets) // 200
    t = time.perf_counter()
    for p in packets:
        dep.push(p, 0.0)
    depack_us = (time.perf_counter() - t) / 200 * 1e6
    assert len(dep.ready) == 200
    print(f"\nread() CPU per access unit (TCP, 640x360@15, syscalls included): {per_unit_us:.0f} us; "
          f"depacketizer alone: {depack_us:.0f} us per 18 KB unit ({per_packet} packets)")
    assert per_unit_us < 2000 and depack_us < 500


def test_digest_auth_failures_never_show_the_password(sim, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    url = sim.cameras[0]["sub"]
    wrong = "Wr0ng:p@ss/" + PASSWORD
    caught: list[BaseException] = []
    for user, password in ((USER, wrong), (None, None), ("someone", PASSWORD)):
        with pytest.raises(AuthFailed) as info:
            RtspClient(url, user, password, open_timeout=3)
        caught.append(info.value)
    texts = [str(e) for e in caught] + [repr(e) for e in caught] + [r.getMessage() for r in caplog.records]
    for text in texts:
        assert PASSWORD not in text and wrong not in text and "Ph%40t" not in text


def test_unknown_path_is_invalid_url(sim) -> None:  # type: ignore[no-untyped-def]
    base = sim.cameras[0]["sub"].rsplit("/", 1)[0]
    with pytest.raises(InvalidUrl, match="404"):
        RtspClient(base + "/nope", USER, PASSWORD, open_timeout=3)


def test_stalled_camera_times_out_reads_and_recovers(sim, clients) -> None:  # type: ignore[no-untyped-def]
    client = _open(clients, sim.cameras[1]["sub"], read_timeout=0.5)
    client.read()
    faults = sim.camera(1).faults
    faults.set_stall(True)
    try:
        time.sleep(0.3)
        while client._dep is not None and client._dep.ready:  # what was already complete
            client.read()
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            for _ in range(10):
                client.read()
        assert 0.3 < time.monotonic() - started < 1.5
        with pytest.raises(TimeoutError):  # and again: the client stays usable
            client.read()
    finally:
        faults.set_stall(False)
    assert isinstance(client.read(), AccessUnit)


def test_dropped_session_raises_connection_error(sim, clients) -> None:  # type: ignore[no-untyped-def]
    client = _open(clients, sim.cameras[1]["sub"])
    client.read()
    sim.camera(1).faults.drop()
    with pytest.raises(ConnectionError):
        for _ in range(30):
            client.read()


def test_watched_session_reads_without_blocking_and_sends_keepalives(sim, clients) -> None:  # type: ignore[no-untyped-def]
    """Driven by a selector (as the decoder pool does): units keep coming and the camera hears a
    keep-alive every 1.5 s (session timeout 3 s), although nobody calls read()."""
    client = _open(clients, sim.cameras[1]["sub"])
    sock = client.watch()
    assert sock.gettimeout() == 0.0
    session = sim.rtsp.sessions[client._session]
    waiter = selectors.DefaultSelector()
    waiter.register(sock, selectors.EVENT_READ)
    units: list[AccessUnit] = []
    oldest_sign_of_life = 0.0
    deadline = time.monotonic() + 4.0
    while time.monotonic() < deadline:
        if waiter.select(0.5):
            started = time.monotonic()
            units += client.read_ready()
            assert time.monotonic() - started < 0.1  # never waits for the rest of a picture
        oldest_sign_of_life = max(oldest_sign_of_life, time.monotonic() - session.last_seen)
    waiter.close()
    assert len(units) >= 30  # the sub stream is 10 fps: 40 in 4 s
    assert oldest_sign_of_life < 2.5  # PLAY was 4 s ago: keep-alives came in between
    sim.camera(1).faults.drop()  # the camera hangs up: the next read says so
    waiter = selectors.DefaultSelector()
    waiter.register(sock, selectors.EVENT_READ)
    with pytest.raises(ConnectionError):
        for _ in range(100):
            waiter.select(0.5)
            client.read_ready()
    waiter.close()


def test_corrupt_packets_never_raise(sim, clients) -> None:  # type: ignore[no-untyped-def]
    faults = sim.camera(2).faults
    faults.set_corrupt(0.3)
    try:
        client = _open(clients, sim.cameras[2]["sub"], read_timeout=1.0)
        ctx = av.CodecContext.create(client.codec, "r")
        units = decoded = 0
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            try:
                au = client.read()
            except TimeoutError:
                continue
            units += 1
            try:
                decoded += len(ctx.decode(av.Packet(au.data)))
            except av.error.InvalidDataError:
                pass  # the decoder's business; the client only has to keep going
        assert units >= 20  # 10 fps for 3 s, every unit still delivered
    finally:
        faults.set_corrupt(0.0)


def test_udp_keeps_the_session_alive(sim, clients) -> None:  # type: ignore[no-untyped-def]
    """The sim ends a UDP session 3 s after its last sign of life: only keep-alives keep it going."""
    client = _open(clients, sim.cameras[0]["sub"], transport="udp")
    deadline = time.monotonic() + 4.5
    n = 0
    while time.monotonic() < deadline:
        client.read()
        n += 1
    assert n >= 40


# --- failures to open ------------------------------------------------------------------------------
def test_refused_port() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(ConnectionRefusedError):
        RtspClient(f"rtsp://127.0.0.1:{port}/x", None, None, open_timeout=2)


def test_server_that_never_answers_times_out() -> None:
    port, close = _silent_server()
    try:
        started = time.monotonic()
        with pytest.raises(CameraTimeout):
            RtspClient(f"rtsp://127.0.0.1:{port}/x", USER, PASSWORD, open_timeout=1.0)
        assert 0.9 < time.monotonic() - started < 1.5
    finally:
        close()


def test_cancelled_aborts_the_handshake_fast() -> None:
    port, close = _silent_server()
    try:
        started = time.monotonic()
        with pytest.raises(CameraTimeout, match="cancelled"):
            RtspClient(f"rtsp://127.0.0.1:{port}/x", None, None, open_timeout=10,
                       cancelled=lambda: time.monotonic() - started > 0.3)
        assert time.monotonic() - started < 0.45
    finally:
        close()


def _reply_then(text: bytes) -> Callable[[socket.socket], None]:
    def behaviour(conn: socket.socket) -> None:
        conn.recv(4096)
        conn.sendall(text)
        conn.close()
    return behaviour


@pytest.mark.parametrize("answer", [b"", b"HTTP/1.1 200 OK\r\n\r\n", b"\x00\x01garbage" * 10,
                                    b"RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Le"])
def test_server_closing_or_talking_nonsense_is_unreachable(answer: bytes) -> None:
    port, close = _silent_server(_reply_then(answer))
    try:
        with pytest.raises(CameraUnreachable) as info:
            RtspClient(f"rtsp://127.0.0.1:{port}/x", USER, PASSWORD, open_timeout=2)
        assert not isinstance(info.value, CameraTimeout)
    finally:
        close()


def test_rtsps_and_no_video_are_not_handled() -> None:
    with pytest.raises(NotHandled):
        RtspClient("rtsps://127.0.0.1:1/x", None, None)
    sdp = b"v=0\r\nm=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"

    def behaviour(conn: socket.socket) -> None:
        for _ in range(2):
            request = conn.recv(4096)
            cseq = request.split(b"CSeq: ")[1].split(b"\r\n")[0]
            body = sdp if request.startswith(b"DESCRIBE") else b""
            conn.sendall(b"RTSP/1.0 200 OK\r\nCSeq: " + cseq + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    port, close = _silent_server(behaviour)
    try:
        with pytest.raises(NotHandled, match="no H.264"):
            RtspClient(f"rtsp://127.0.0.1:{port}/x", None, None, open_timeout=2)
    finally:
        close()


def test_garbage_and_replies_between_interleaved_frames() -> None:
    """A scripted server: after PLAY, interleaved frames mixed with an RTSP reply, a server request and
    junk bytes; then it hangs up. Only AccessUnits, then ConnectionError, come out."""
    sdp = (b"v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
           b"a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAHtkA,aM4G4g==\r\na=control:track1\r\n")

    def rtp(seq: int, ts: int, marker: bool, payload: bytes) -> bytes:
        packet = struct.pack("!BBHII", 0x80, 96 | (0x80 if marker else 0), seq, ts, 1) + payload
        return b"$\x00" + struct.pack("!H", len(packet)) + packet

    def behaviour(conn: socket.socket) -> None:
        for _ in range(4):
            request = conn.recv(4096)
            cseq = request.split(b"CSeq: ")[1].split(b"\r\n")[0]
            head = b"RTSP/1.0 200 OK\r\nCSeq: " + cseq + b"\r\nSession: abc;timeout=60\r\n"
            if request.startswith(b"SETUP"):
                head += b"Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n"
            body = sdp if request.startswith(b"DESCRIBE") else b""
            conn.sendall(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stream = [rtp(1, 0, True, b"\x65idr"), b"RTSP/1.0 200 OK\r\nCSeq: 9\r\nContent-Length: 2\r\n\r\nok",
                  rtp(2, 3000, True, b"\x41p1"), b"\xff\xfejunk", rtp(3, 6000, False, b"\x7c\x81half"),
                  b"SET_PARAMETER rtsp://x RTSP/1.0\r\nCSeq: 1\r\n\r\n", rtp(4, 6000, True, b"\x7c\x41end"),
                  b"$\x00\x00\x02\x80\x00", rtp(6, 9000, True, b"\x41p3")]
        data = b"".join(stream)
        for i in range(0, len(data), 7):  # dribbled: every frame straddles recv boundaries
            conn.sendall(data[i:i + 7])
            time.sleep(0.001)
        time.sleep(0.2)
        conn.close()

    port, close = _silent_server(behaviour)
    try:
        client = RtspClient(f"rtsp://127.0.0.1:{port}/x", None, None, open_timeout=2, read_timeout=2)
        units = []
        with pytest.raises(ConnectionError):
            for _ in range(10):
                units.append(client.read())
        client.close()
    finally:
        close()
    assert [u.pts for u in units] == [0, 3000, 6000, 9000]
    assert units[0].key and units[0].data.startswith(b"\x00\x00\x00\x01\x67")  # SDP's SPS prefixed
    assert units[2].data == b"\x00\x00\x00\x01\x61halfend" and not units[2].damaged
    assert units[3].damaged  # the junk '$' frame was packet 5's place: a sequence gap
    assert client.packets >= 5


# --- GStreamer's RTSP server ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def _need_gstreamer() -> None:
    require(gst_available(), "GStreamer's RTSP server (python3-gi, gir1.2-gst-rtsp-server-1.0) is missing")


@pytest.mark.usefixtures("_need_gstreamer")
@pytest.mark.parametrize(("codec", "transport"), [("h264", "tcp"), ("h264", "udp"), ("h265", "tcp")])
def test_gstreamer_with_basic_auth(codec: str, transport: str, clients) -> None:  # type: ignore[no-untyped-def]
    with gst_server("--codec", codec, "--user", USER, "--password", PASSWORD) as server:
        with pytest.raises(AuthFailed):
            RtspClient(server.url(), USER, "wrong", open_timeout=5)
        client = _open(clients, server.url(), transport=transport, open_timeout=5)
        assert client.codec == ("h264" if codec == "h264" else "hevc")
        assert client.transport == transport
        ctx = av.CodecContext.create(client.codec, "r")
        pictures = 0
        first = client.read()
        assert first.key
        started = time.monotonic()
        for au in [first] + [client.read() for _ in range(20)]:
            pictures += len(ctx.decode(av.Packet(au.data)))
            assert not au.damaged
        assert pictures >= 20 and 1.0 < time.monotonic() - started < 2.0  # 15 fps, one picture per unit
        client.close()
        client.close()  # idempotent


@pytest.mark.usefixtures("_need_gstreamer")
def test_gstreamer_refusing_udp() -> None:
    with gst_server("--tcp-only") as server, pytest.raises(CameraUnreachable, match="UDP refused"):
        RtspClient(server.url(), None, None, transport="udp", open_timeout=5)


# --- the parts on their own ------------------------------------------------------------------------------
def _packets(codec: str, units: list[tuple[bytes, ...]], seq: int = 65530, ts: int = 0xFFFFF000,
             marker: bool = True, max_payload: int = 200) -> list[bytes]:
    """RTP packets of ``units`` made by the simulator's packetizer (FU-A / H.265 FU for large NALs)."""
    out = []
    for k, nals in enumerate(units):
        pays = sim_payloads(codec, nals, max_payload=max_payload)
        for i, pay in enumerate(pays):
            m = marker and i == len(pays) - 1
            out.append(struct.pack("!BBHII", 0x80, 96 | (0x80 if m else 0), seq & 0xFFFF,
                                   (ts + 3000 * k) & 0xFFFFFFFF, 7) + pay)
            seq += 1
    return out


def _annexb(*nals: bytes) -> bytes:
    return b"".join(b"\x00\x00\x00\x01" + n for n in nals)


H264_UNITS = [(b"\x65" + bytes(range(256)) * 3,), (b"\x41" + b"p" * 50, b"\x41" + b"q" * 700),
              (b"\x41" + b"r" * 10,)]
H265_UNITS = [(b"\x26\x01" + bytes(range(256)) * 3,), (b"\x02\x01" + b"p" * 600,), (b"\x02\x01xy",)]


@pytest.mark.parametrize(("codec", "units"), [("h264", H264_UNITS), ("hevc", H265_UNITS)])
@pytest.mark.parametrize("marker", [True, False])
def test_depacketizer_reassembles_and_unwraps(codec: str, units: list[tuple[bytes, ...]], marker: bool) -> None:
    dep = Depacketizer(codec, 96, b"\x00\x00\x00\x01PS")
    for p in _packets("h265" if codec == "hevc" else "h264", units, marker=marker):
        dep.push(p, 1.0)
    got = list(dep.ready)
    # without markers the last unit waits for a packet with the next timestamp
    assert len(got) == (3 if marker else 2)
    assert got[0].data == b"\x00\x00\x00\x01PS" + _annexb(*units[0]) and got[0].key
    assert got[1].data == _annexb(*units[1]) and not got[1].key
    assert [u.pts for u in got] == [0xFFFFF000 + 3000 * k for k in range(len(got))]  # past 2**32
    assert not any(u.damaged for u in got)


def test_depacketizer_aggregates_gaps_and_broken_fragments() -> None:
    dep = Depacketizer("h264", 96)
    sps, pps, idr = b"\x67abc", b"\x68de", b"\x65" + b"i" * 500
    stap = b"\x18" + b"".join(struct.pack("!H", len(n)) + n for n in (sps, pps))
    hdr = lambda seq, ts, m: struct.pack("!BBHII", 0x80, 96 | (0x80 if m else 0), seq, ts, 7)  # noqa: E731
    fu = _packets("h264", [(idr,)])
    dep.push(hdr(1, 100, False) + stap, 1.0)
    for i, p in enumerate(fu):
        dep.push(hdr(2 + i, 100, i == len(fu) - 1) + p[12:], 2.0)
    n = 2 + len(fu)
    dep.push(hdr(n, 200, False) + fu[0][12:], 3.0)  # an FU start ...
    dep.push(hdr(n + 2, 200, True) + fu[-1][12:], 3.5)  # ... whose middle is lost
    dep.push(hdr(n + 4, 300, True) + fu[1][12:], 4.0)  # a continuation without its start
    dep.push(hdr(n + 5, 400, True) + b"\x41ok", 5.0)
    units = list(dep.ready)
    assert units[0].data == _annexb(sps, pps, idr) and units[0].key and not units[0].damaged
    assert units[0].arrived == 2.0
    assert [u.pts for u in units] == [100, 400]  # the broken ones had no whole NAL left
    assert not units[1].damaged and dep.gaps == 2


def test_hevc_aggregation_packet() -> None:
    vps, sps, pps, idr = b"\x40\x01v", b"\x42\x01s", b"\x44\x01p", b"\x26\x01" + b"k" * 9
    ap = b"\x60\x01" + b"".join(struct.pack("!H", len(n)) + n for n in (vps, sps, pps, idr))
    dep = Depacketizer("hevc", 96, b"\x00\x00\x00\x01SDP")
    dep.push(struct.pack("!BBHII", 0x80, 0xE0, 1, 5, 7) + ap, 1.0)
    (unit,) = dep.ready
    assert unit.data == _annexb(vps, sps, pps, idr) and unit.key  # in-band parameter sets: no prefix


def test_depacketizer_fuzz() -> None:
    """Random and mutated packets: nothing but AccessUnits ever comes out, nothing raises."""
    rng = random.Random(1234)
    valid = {"h264": _packets("h264", H264_UNITS * 3, seq=0, ts=0),
             "hevc": _packets("h265", H265_UNITS * 3, seq=0, ts=0)}
    for codec, good in valid.items():
        dep = Depacketizer(codec, 96, b"\x00\x00\x00\x01PS", max_don_diff=rng.choice([0, 1]))
        for _ in range(20000):
            choice = rng.random()
            if choice < 0.3:
                packet = rng.randbytes(rng.randrange(0, 40))
            else:
                packet = bytearray(rng.choice(good))
                for _ in range(rng.randrange(1, 6)):
                    i = rng.randrange(len(packet))
                    packet[i] = rng.randrange(256)
                if rng.random() < 0.3:
                    packet = packet[: rng.randrange(len(packet) + 1)]
                if packet and rng.random() < 0.2:
                    packet[0] = 0x80 | rng.randrange(0x40)  # padding / extension / CSRC bits
                packet = bytes(packet)
            dep.push(packet, 0.0)
        assert dep.malformed > 1000
        assert all(isinstance(u, AccessUnit) and isinstance(u.data, bytes) for u in dep.ready)


def test_sdp_parsing() -> None:
    text = ("v=0\r\na=control:*\r\nm=audio 0 RTP/AVP 0\r\na=control:audio\r\n"
            "m=video 0 RTP/AVP 97 96\r\na=rtpmap:96 H264/90000\r\n"
            "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0LAHtkA,aM4G4g==,!!bad\r\n"
            "a=control:trackID=1\r\n")
    track = parse_sdp(text, "rtsp://cam/live")
    assert track is not None and track.codec == "h264" and track.payload_type == 96
    assert track.control == "rtsp://cam/live/trackID=1" and track.aggregate == "rtsp://cam/live"
    assert track.parameter_sets.startswith(b"\x00\x00\x00\x01\x67")
    hevc = parse_sdp("m=video 0 RTP/AVP 98\na=rtpmap:98 H265/90000\na=fmtp:98 sprop-vps=QAE=;sprop-sps=QgE=;"
                     "sprop-pps=RAE=;sprop-max-don-diff=2\na=control:rtsp://other/t\n", "rtsp://cam/")
    assert hevc is not None and hevc.codec == "hevc" and hevc.control == "rtsp://other/t"
    assert hevc.parameter_sets == _annexb(b"\x40\x01", b"\x42\x01", b"\x44\x01") and hevc.max_don_diff == 2
    assert parse_sdp("m=video 0 RTP/AVP 26\na=rtpmap:26 JPEG/90000\n", "rtsp://cam/") is None


@pytest.mark.parametrize("qop", ["", ', qop="auth,auth-int"'])
def test_digest_answers_verify_with_the_simulators_checker(qop: str) -> None:
    server = DigestAuth()
    auth = Authenticator(USER, PASSWORD)
    assert auth.challenge(['Basic realm="x"', server.challenge() + qop + ', opaque="o"'])
    assert auth.scheme == "digest" and PASSWORD not in repr(auth)
    for method in ("DESCRIBE", "SETUP"):  # nc increases with qop=auth
        header = auth.header(method, "rtsp://cam/live")
        assert header is not None and ("qop=auth" in header) == bool(qop)
        assert server.check(header, method, USER, PASSWORD)
        assert not server.check(header, method, USER, "other")

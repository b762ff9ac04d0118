"""The simulator's RTSP server on the wire: requests, SDP, Digest auth, RTP packetization, RTCP, sessions."""

from __future__ import annotations

import base64
import socket
import struct
import time

import pytest

from camdesk.sim import stamp
from tests.sim.rtsp_raw import RawRtsp, parse_rtp

pytest_plugins = ["camdesk.sim.testing"]
pytestmark = pytest.mark.timeout(60)

NTP_EPOCH = 2208988800


def _play_tcp(client: RawRtsp) -> tuple[dict[str, str], bytes]:
    described = client.request("DESCRIBE", headers={"Accept": "application/sdp"})
    assert described.status == 200
    base = described.headers["content-base"]
    setup = client.request("SETUP", base + "trackID=0",
                           headers={"Transport": "RTP/AVP/TCP;unicast;interleaved=0-1"})
    assert setup.status == 200, setup
    play = client.request("PLAY", base, headers={"Range": "npt=0.000-"})
    assert play.status == 200
    return play.headers, described.body


def _access_unit(client: RawRtsp) -> list:
    """RTP packets up to and including the next one with the marker bit."""
    packets = []
    while True:
        p = client.read_rtp()
        packets.append(p)
        if p.marker:
            return packets


def test_h264_client_needs_digest_then_gets_sdp_and_keyframe_first(sim_cluster) -> None:
    sim = sim_cluster(cameras=1, user="admin", password="s3cret")
    url = sim.cameras[0]["sub"]
    anonymous = RawRtsp(url)
    try:
        options = anonymous.request("OPTIONS")
        assert options.status == 200 and "DESCRIBE" in options.headers["public"]
        refused = anonymous.request("DESCRIBE")
        assert refused.status == 401
        assert refused.headers["www-authenticate"].startswith("Digest ")
    finally:
        anonymous.close()
    wrong = RawRtsp(url, "admin", "guess")
    try:
        assert wrong.request("DESCRIBE").status == 401
    finally:
        wrong.close()

    client = RawRtsp(url, "admin", "s3cret")
    try:
        play_headers, sdp_body = _play_tcp(client)
        sdp = sdp_body.decode()
        assert "a=rtpmap:96 H264/90000" in sdp and "packetization-mode=1" in sdp
        sprops = sdp.split("sprop-parameter-sets=")[1].split()[0].split(";")[0].split(",")
        sps, pps = (base64.b64decode(s) for s in sprops)
        assert sps[0] & 0x1F == 7 and pps[0] & 0x1F == 8

        rtp_info = dict(kv.split("=", 1) for kv in play_headers["rtp-info"].split(";")[1:])
        first_au = _access_unit(client)
        assert first_au[0].seq == int(rtp_info["seq"]), "RTP-Info announces the first sequence number"
        assert first_au[0].timestamp == int(rtp_info["rtptime"])
        types = [p.payload[0] & 0x1F for p in first_au]
        # In-band SPS and PPS, then the IDR slice (fragmented with FU-A when large).
        assert types[:2] == [7, 8]
        assert any(t == 5 or (t == 28 and p.payload[1] & 0x1F == 5) for t, p in zip(types, first_au, strict=True))
        for p in first_au:
            if p.payload[0] & 0x1F == 28:
                assert len(p.payload) <= 1400
        assert sum(p.marker for p in first_au) == 1

        second_au = _access_unit(client)
        assert second_au[0].seq == (first_au[-1].seq + 1) & 0xFFFF
        frame_ticks = 90000 // 10  # sub stream at 10 fps
        assert (second_au[0].timestamp - first_au[0].timestamp) & 0xFFFFFFFF == frame_ticks
        keepalive = client.request("GET_PARAMETER", url)
        assert keepalive.status == 200
        assert client.request("TEARDOWN", url).status == 200
        deadline = time.monotonic() + 3
        while sim.rtsp.session_count() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sim.rtsp.session_count() == 0
    finally:
        client.close()


def test_rtcp_sender_report_ties_rtp_time_to_the_wall_clock(sim_cluster) -> None:
    sim = sim_cluster(cameras=1)
    client = RawRtsp(sim.cameras[0]["main"])
    try:
        _play_tcp(client)
        packet = client.read_rtp()
        assert client.rtcp, "a sender report comes before the first media"
        sr = client.rtcp[0]
        version_pt = struct.unpack("!BB", sr[:2])
        assert version_pt == (0x80, 200)
        ssrc, ntp_sec, ntp_frac, rtp_time = struct.unpack("!IIII", sr[4:20])
        assert ssrc == packet.ssrc
        wall = ntp_sec - NTP_EPOCH + ntp_frac / 2**32
        assert abs(wall - time.time()) < 2.0
        # The stream's own clock: the packet's timestamp is 90 kHz on the same time line as the SR.
        assert rtp_time == packet.timestamp or (packet.timestamp - rtp_time) & 0xFFFFFFFF < 90000 * 3
    finally:
        client.close()


def test_h265_sdp_carries_vps_sps_pps_and_fragments_use_rfc7798(sim_cluster) -> None:
    sim = sim_cluster(cameras=1, codec="h265")
    client = RawRtsp(sim.cameras[0]["main"])
    try:
        _, sdp_body = _play_tcp(client)
        sdp = sdp_body.decode()
        assert "a=rtpmap:96 H265/90000" in sdp
        for name, nal_type in (("sprop-vps", 32), ("sprop-sps", 33), ("sprop-pps", 34)):
            value = sdp.split(name + "=")[1].split(";")[0].split()[0]
            assert (base64.b64decode(value)[0] >> 1) & 0x3F == nal_type
        au = _access_unit(client)
        types = [(p.payload[0] >> 1) & 0x3F for p in au]
        assert types[:3] == [32, 33, 34]
        fragments = [p for p in au if (p.payload[0] >> 1) & 0x3F == 49]
        assert fragments, "a keyframe at 640x360 is larger than one packet"
        assert fragments[0].payload[2] & 0x80 and fragments[-1].payload[2] & 0x40  # start and end bits
        assert {p.payload[2] & 0x3F for p in fragments} & {19, 20}  # the IDR slice is fragmented
    finally:
        client.close()


def test_two_clients_of_a_stream_get_the_same_encoded_frames(sim_cluster) -> None:
    sim = sim_cluster(cameras=1)
    a, b = RawRtsp(sim.cameras[0]["sub"]), RawRtsp(sim.cameras[0]["sub"])
    try:
        _play_tcp(a)
        _play_tcp(b)
        frames_a: dict[int, bytes] = {}
        frames_b: dict[int, bytes] = {}
        for client, frames in ((a, frames_a), (b, frames_b)):
            for _ in range(12):
                au = _access_unit(client)
                frames[au[0].timestamp] = b"".join(p.payload for p in au)
        common = set(frames_a) & set(frames_b)
        assert common, "both clients receive the same frames at the same RTP times"
        assert all(frames_a[t] == frames_b[t] for t in common)
        assert sim.rtsp.session_count(0) == 2
    finally:
        a.close()
        b.close()


def test_client_that_vanishes_without_teardown_is_cleaned_up(sim_cluster) -> None:
    sim = sim_cluster(cameras=1)
    client = RawRtsp(sim.cameras[0]["sub"])
    _play_tcp(client)
    client.read_rtp()
    assert sim.rtsp.session_count(0) == 1
    client.sock.shutdown(socket.SHUT_RDWR)
    client.close()
    deadline = time.monotonic() + 3
    while sim.rtsp.session_count(0) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sim.rtsp.session_count(0) == 0


def test_udp_client_gets_datagrams_and_its_silent_session_expires(sim_cluster) -> None:
    sim = sim_cluster(cameras=1, session_timeout=1.5)
    rtp_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp_sock.bind(("127.0.0.1", 0))
    rtp_sock.settimeout(3)
    port = rtp_sock.getsockname()[1]
    client = RawRtsp(sim.cameras[0]["sub"])
    try:
        described = client.request("DESCRIBE")
        base = described.headers["content-base"]
        setup = client.request("SETUP", base + "trackID=0",
                               headers={"Transport": f"RTP/AVP;unicast;client_port={port}-{port + 1}"})
        assert setup.status == 200
        transport = setup.headers["transport"]
        assert f"client_port={port}-{port + 1}" in transport and "server_port=" in transport
        assert client.request("PLAY", base).status == 200
        packet = parse_rtp(0, rtp_sock.recv(2048))
        assert packet.payload_type == 96
        # The client vanishes: no RTCP, no keep-alive, its RTSP connection closed.
        client.close()
        rtp_sock.close()
        assert sim.rtsp.session_count(0) == 1, "a UDP session outlives its RTSP connection for a while"
        deadline = time.monotonic() + 6
        while sim.rtsp.session_count(0) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sim.rtsp.session_count(0) == 0
    finally:
        client.close()


def test_unknown_path_is_404_and_stamped_frames_decode(sim_cluster) -> None:
    import av

    sim = sim_cluster(cameras=2)
    url = sim.cameras[1]["sub"]
    client = RawRtsp(url.replace("/cam1/sub", "/cam9/sub"))
    try:
        assert client.request("DESCRIBE").status == 404
    finally:
        client.close()
    with av.open(url, options={"rtsp_transport": "tcp", "analyzeduration": "200000"}, timeout=5) as container:
        values = []
        for frame in container.decode(video=0):
            s = stamp.read(frame.to_ndarray(format="gray"))
            assert s is not None and s.fps == 10 and s.modulus == 100  # a 10 s loop at 10 fps
            now = time.time()
            assert 0 <= now - s.sent_at(now) < 5.0  # probing buffers a little; well under one loop
            values.append(s.value)
            if len(values) == 8:
                break
        assert all((b - a) % 100 == 1 for a, b in zip(values, values[1:], strict=False)), values


def test_garbage_requests_get_an_error_and_the_server_keeps_serving(sim_cluster) -> None:
    sim = sim_cluster(cameras=1)
    url = sim.cameras[0]["sub"]
    host, port = "127.0.0.1", sim.rtsp_port
    with socket.create_connection((host, port), timeout=5) as s:
        s.sendall(b"HELLO\r\nCSeq: 1\r\n\r\n")
        assert s.recv(4096).startswith(b"RTSP/1.0 400")
        s.sendall(f"RECORD {url} RTSP/1.0\r\nCSeq: 2\r\n\r\n".encode())
        assert s.recv(4096).startswith(b"RTSP/1.0 405")
    with socket.create_connection((host, port), timeout=5) as s:
        s.sendall(b"X" * 20000)  # an endless header line: the server hangs up
        s.settimeout(5)
        assert s.recv(4096) == b""
    client = RawRtsp(url)
    try:
        _play_tcp(client)
        assert client.read_rtp().payload_type == 96
    finally:
        client.close()

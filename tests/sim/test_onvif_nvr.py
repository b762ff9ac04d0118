"""The virtual recorder (NVR): one more ONVIF device whose channels are the cluster's cameras. The real
client library (onvif-zeep-async) reads its channels and stream URIs, PTZ on a channel moves that
camera, the CLI announces it, and a channel's stream plays."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import av
import pytest
import zeep.exceptions

from camdesk.sim.cluster import SimCluster
from tests.sim.onvif_soap_client import NS, call
from tests.sim_onvif_support import NVR_CAMERAS, SimCameraClient, nvr_url, start_nvr_cluster

pytestmark = pytest.mark.timeout(60)
USER, PASSWORD = "admin", "Nvr-Pass-7"
CAMERAS = NVR_CAMERAS
CALL_TIMEOUT = 20.0
RTSP_OPTIONS = {"rtsp_transport": "tcp", "analyzeduration": "200000", "probesize": "200000"}


@pytest.fixture(scope="module")
def sim() -> Iterator[SimCluster]:
    """Three cameras (the first a PTZ camera) behind one virtual recorder, with WS-Discovery."""
    cluster = start_nvr_cluster(USER, PASSWORD, discovery=True)
    try:
        yield cluster
    finally:
        cluster.stop()


def _run(coro: object) -> object:
    return asyncio.run(asyncio.wait_for(coro, CALL_TIMEOUT))  # type: ignore[arg-type]


def test_onvif_library_reads_every_channel_and_its_stream_uris(sim: SimCluster) -> None:
    assert sim.onvif is not None

    async def scenario() -> None:
        c = SimCameraClient(nvr_url(sim), "127.0.0.1", sim.onvif.port, USER, PASSWORD)  # type: ignore[union-attr]
        try:
            await c.update_xaddrs()
            device = await c.create_devicemgmt_service()
            info = await device.GetDeviceInformation()
            assert info.Model == "VirtualNVR"
            services = {s.Namespace for s in await device.GetServices({"IncludeCapability": False})}
            assert NS["tr2"] in services and NS["tptz"] in services  # channel 1 is a PTZ camera
            assert NS["tev"] not in services
            media = await c.create_media_service()
            sources = await media.GetVideoSources()
            assert len(sources) == CAMERAS
            profiles = await media.GetProfiles()
            assert len(profiles) == 2 * CAMERAS
            by_source: dict[str, list[object]] = {}
            for p in profiles:
                by_source.setdefault(p.VideoSourceConfiguration.SourceToken, []).append(p)
            assert list(by_source) == [s.token for s in sources]
            for index, (source, group) in enumerate(by_source.items()):
                cam = sim.cameras[index]
                uris = set()
                for p in group:
                    reply = await media.GetStreamUri({
                        "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                        "ProfileToken": p.token})  # type: ignore[attr-defined]
                    uris.add(reply.Uri)
                    widths = {sim.specs[index].main.width, sim.specs[index].sub.width}
                    assert p.VideoEncoderConfiguration.Resolution.Width in widths  # type: ignore[attr-defined]
                    # Real recorders carry the PTZ configuration only in the PTZ channel's profiles.
                    assert (p.PTZConfiguration is not None) == cam["ptz"], source  # type: ignore[attr-defined]
                    snap = await media.GetSnapshotUri({"ProfileToken": p.token})  # type: ignore[attr-defined]
                    assert snap.Uri == cam["snapshot"]
                assert uris == {cam["main"], cam["sub"]}, source
        finally:
            await c.close()

    _run(scenario())


def test_ptz_on_a_recorder_channel_moves_that_camera(sim: SimCluster) -> None:
    assert sim.onvif is not None
    ptz_cam = sim.camera(0)

    async def scenario() -> None:
        c = SimCameraClient(nvr_url(sim), "127.0.0.1", sim.onvif.port, USER, PASSWORD)  # type: ignore[union-attr]
        try:
            await c.update_xaddrs()
            media = await c.create_media_service()
            profiles = await media.GetProfiles()
            token = next(p.token for p in profiles if p.PTZConfiguration is not None)
            fixed = next(p.token for p in profiles if p.PTZConfiguration is None)
            ptz = await c.create_ptz_service()
            nodes = await ptz.GetNodes()
            assert len(nodes) == 1  # one PTZ channel, one node
            await ptz.AbsoluteMove({"ProfileToken": token,
                                    "Position": {"PanTilt": {"x": 0.4, "y": -0.2}, "Zoom": {"x": 0.0}}})
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and abs(ptz_cam.ptz.position().pan - 0.4) > 0.01:
                await asyncio.sleep(0.05)
            assert abs(ptz_cam.ptz.position().pan - 0.4) <= 0.01
            status = await ptz.GetStatus({"ProfileToken": token})
            assert abs(status.Position.PanTilt.x - 0.4) <= 0.01
            with pytest.raises(zeep.exceptions.Fault, match="(?i)ptz"):  # a fixed channel cannot move
                await ptz.ContinuousMove({"ProfileToken": fixed, "Velocity": {"PanTilt": {"x": 0.5, "y": 0.0}}})
        finally:
            await c.close()

    _run(scenario())
    assert sim.camera(1).ptz.position().pan == 0.0


def test_recorder_refuses_a_wrong_password_and_has_its_own_identity(sim: SimCluster) -> None:
    media_url = nvr_url(sim).replace("device_service", "media_service")
    denied = call(media_url, "<trt:GetProfiles/>", USER, "wrong")
    assert denied.status == 400 and "ter:NotAuthorized" in denied.fault_subcodes
    info = call(nvr_url(sim), "<tds:GetDeviceInformation/>", USER, PASSWORD)
    camera = call(sim.cameras[0]["onvif"], "<tds:GetDeviceInformation/>", USER, PASSWORD)
    assert info.text(".//tds:SerialNumber") != camera.text(".//tds:SerialNumber")
    assert call(nvr_url(sim), "<tds:GetHostname/>", USER, PASSWORD).text(".//tt:Name") == "camdesk-sim-nvr"
    unknown = call(media_url, "<trt:GetStreamUri><trt:ProfileToken>Profile_Main_9</trt:ProfileToken>"
                   "</trt:GetStreamUri>", USER, PASSWORD)
    assert "ter:NoProfile" in unknown.fault_subcodes


def test_a_refusing_recorder_leaves_its_cameras_answering(sim: SimCluster) -> None:
    nvr = sim.nvr_camera
    assert nvr is not None
    nvr.faults.set_refuse(True)
    try:
        with pytest.raises(ConnectionError):
            call(nvr_url(sim), "<tds:GetDeviceInformation/>", USER, PASSWORD)
        assert call(sim.cameras[0]["onvif"], "<tds:GetDeviceInformation/>", USER, PASSWORD).status == 200
    finally:
        nvr.faults.set_refuse(False)
    sim.camera(0).faults.set_refuse(True)
    try:
        assert call(nvr_url(sim), "<tds:GetDeviceInformation/>", USER, PASSWORD).status == 200
    finally:
        sim.camera(0).faults.set_refuse(False)


def test_recorder_answers_ws_discovery_next_to_its_cameras(sim: SimCluster) -> None:
    from tests.interop.test_sim_discovery import D, unicast_probe

    assert sim.onvif is not None and sim.onvif.discovery_port is not None
    matches = unicast_probe(sim.onvif.discovery_port, expect=CAMERAS + 1)
    xaddrs = [m.findtext(f"{{{D}}}XAddrs") for m in matches]
    assert sorted(xaddrs) == sorted([nvr_url(sim), *(c["onvif"] for c in sim.cameras)])
    nvr_scopes = next(m.findtext(f"{{{D}}}Scopes") or "" for m in matches
                      if m.findtext(f"{{{D}}}XAddrs") == nvr_url(sim))
    assert "onvif://www.onvif.org/hardware/VirtualNVR" in nvr_scopes.split()


def test_cli_prints_a_recorder_line_after_the_camera_lines() -> None:
    from tests.sim.test_cli import _read_lines, _start, _stop

    proc = _start("--cameras", "2", "--main", "320x180@10", "--sub", "320x180@10", "--user", "admin",
                  "--password", "Hidden-Nvr-9", "--no-discovery", "--nvr")
    try:
        lines = [json.loads(line) for line in _read_lines(proc, 3)]
    finally:
        assert _stop(proc, 15) < 5
    assert len(lines) == 3, lines
    cams, nvr = lines[:2], lines[2]
    assert all("nvr" not in cam and cam["main"].startswith("rtsp://") for cam in cams)
    assert nvr["nvr"] is True and nvr["channels"] == 2 and nvr["user"] == "admin"
    assert nvr["onvif"].endswith("/onvif/nvr/device_service")
    assert "Hidden-Nvr-9" not in json.dumps(lines)
    from camdesk.ui.demo import parse_camera_line  # the demo launcher reads the same lines

    assert [parse_camera_line(line) is not None for line in lines] == [True, True, False]


def test_a_channel_stream_from_the_recorder_plays(sim: SimCluster) -> None:
    """The URI the recorder hands out for channel 3's sub stream decodes with the login."""
    media_url = nvr_url(sim).replace("device_service", "media_service")
    reply = call(media_url, "<trt:GetStreamUri><trt:ProfileToken>Profile_Sub_3</trt:ProfileToken>"
                 "</trt:GetStreamUri>", USER, PASSWORD)
    uri = reply.text(".//tt:Uri")
    assert uri == sim.cameras[2]["sub"] and "@" not in uri  # never credentials in a URI
    with av.open(uri.replace("rtsp://", f"rtsp://{USER}:{PASSWORD}@", 1), options=RTSP_OPTIONS,
                 timeout=5) as container:
        frame = next(container.decode(video=0))
    assert (frame.width, frame.height) == (sim.specs[2].sub.width, sim.specs[2].sub.height)

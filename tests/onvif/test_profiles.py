"""Choosing streams from a device's profiles: main = highest resolution, sub = lowest at least 320 px
wide, H.264/H.265 only; a recorder becomes one camera per channel; H.265 via Media2."""

from __future__ import annotations

import pytest

from camdesk.models.camera import Codec, StreamProfile
from camdesk.models.onvif import MediaProfile, MediaVersion, PtzCapabilities
from camdesk.onvif.profiles import choose_streams, codec_of, group_channels
from tests.onvif.conftest import PASSWORD, USER

pytestmark = pytest.mark.timeout(60)


def _p(token: str, w: int, h: int, codec: Codec | None = Codec.H264, source: str = "vs1",
       ptz: bool = False) -> MediaProfile:
    return MediaProfile(token, token, StreamProfile(f"rtsp://cam/{token}", w, h, 25.0, codec, token), source, ptz)


def test_main_is_highest_resolution_and_sub_lowest_usable():
    main, sub = choose_streams([_p("a", 640, 360), _p("b", 2560, 1440), _p("c", 176, 144), _p("d", 1280, 720)])
    assert main is not None and main.profile_token == "b"
    assert sub is not None and sub.profile_token == "a"  # 176 px is too small to watch


def test_mjpeg_profiles_are_ignored():
    main, sub = choose_streams([_p("jpeg", 3840, 2160, None), _p("h264", 1920, 1080)])
    assert main is not None and main.profile_token == "h264"
    assert sub is None


def test_single_profile_camera_has_no_sub():
    main, sub = choose_streams([_p("only", 1920, 1080, Codec.H265)])
    assert main is not None and main.codec is Codec.H265 and sub is None


@pytest.mark.parametrize(("text", "codec"), [("H264", Codec.H264), ("h.265", Codec.H265), ("HEVC", Codec.H265),
                                             ("JPEG", None), ("MPEG4", None)])
def test_encoding_names(text, codec):
    assert codec_of(text) is codec


def test_recorder_becomes_one_camera_per_channel():
    profiles = [_p(f"ch{c}_{q}", w, h, source=f"vs{c}") for c in (1, 2, 3)
                for q, (w, h) in (("main", (1920, 1080)), ("sub", (704, 576)))]
    channels = group_channels(profiles, {"ch2_main": "http://nvr/snap2"}, PtzCapabilities())
    assert [c.name for c in channels] == ["Channel 1", "Channel 2", "Channel 3"]
    assert [(c.main.profile_token, c.sub.profile_token) for c in channels] == [
        ("ch1_main", "ch1_sub"), ("ch2_main", "ch2_sub"), ("ch3_main", "ch3_sub")]
    assert channels[1].snapshot_uri == "http://nvr/snap2"
    assert channels[0].snapshot_uri == ""


def test_ptz_belongs_only_to_the_channel_with_a_ptz_profile():
    caps = PtzCapabilities(continuous=True, presets=True, max_presets=10)
    profiles = [_p("fixed", 1920, 1080, source="vs1"), _p("dome", 1920, 1080, source="vs2", ptz=True)]
    fixed, dome = group_channels(profiles, {}, caps)
    assert not fixed.ptz.any and fixed.ptz_profile_token == ""
    assert dome.ptz.continuous and dome.ptz_profile_token == "dome"


def test_h265_camera_is_read_through_media2(onvif, sim):
    probe = onvif.probe(sim.url(1), USER, PASSWORD).result(30)
    assert probe.media is MediaVersion.MEDIA2
    assert probe.main is not None and probe.main.codec is Codec.H265
    assert probe.sub is not None and probe.sub.codec is Codec.H265
    assert probe.main.width > probe.sub.width >= 320
    assert not probe.ptz.any
    assert len(probe.channels) == 1 and not probe.is_recorder

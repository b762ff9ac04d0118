"""Frame conversion through libyuv (when the machine has it) and through OpenCV: the same picture and
the right colours either way; without libyuv the engine converts with OpenCV."""

from __future__ import annotations

from collections.abc import Iterator

import av
import cv2
import numpy as np
import pytest

from camdesk.video import libyuv
from camdesk.video.connection import FrameConverter, I420Converter
from tests.conftest import require

# Blocks of known colour (BGR) in a 640x360 picture, as a camera's sub stream sends it (yuv420p).
BLOCKS = {"red": (0, 0, 255), "green": (0, 255, 0), "blue": (255, 0, 0), "white": (255, 255, 255),
          "grey": (128, 128, 128)}


@pytest.fixture(autouse=True)
def look_again() -> Iterator[None]:
    libyuv.reset()
    yield
    libyuv.reset()  # the next user looks again, with the environment restored


def _frame(pixel_format: str = "yuv420p") -> av.VideoFrame:
    """Colour blocks across the top half, a blurred texture (edges, gradients) below."""
    bgr = np.zeros((360, 640, 3), np.uint8)
    for i, colour in enumerate(BLOCKS.values()):
        bgr[:180, i * 128:(i + 1) * 128] = colour
    noise = np.random.default_rng(7).integers(0, 256, (180, 640, 3), np.uint8)
    bgr[180:] = cv2.GaussianBlur(noise, (9, 9), 3)
    return av.VideoFrame.from_ndarray(bgr, format="bgr24").reformat(format=pixel_format)


def _use_libyuv(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    """Turn libyuv on or off (as ``CAMDESK_LIBYUV`` does) for the converters made next."""
    monkeypatch.setenv("CAMDESK_LIBYUV", "1" if on else "0")
    libyuv.reset()


def _convert(on: bool, monkeypatch: pytest.MonkeyPatch, w: int, h: int) -> np.ndarray:
    _use_libyuv(monkeypatch, on)
    converter = I420Converter()
    assert (libyuv.load() is not None) == on
    return converter.convert(_frame(), w, h).copy()


def _block_centres(image: np.ndarray) -> dict[str, np.ndarray]:
    h, w = image.shape[:2]
    step = w / 5
    return {name: image[h // 4, int(step * i + step / 2), :3] for i, name in enumerate(BLOCKS)}


def test_libyuv_is_found_on_a_machine_that_has_it() -> None:
    require(libyuv.load() is not None, "libyuv is not installed (Debian: libyuv0)")
    assert "yuv" in libyuv.load().path  # type: ignore[union-attr]


@pytest.mark.parametrize("size", [(480, 270), (296, 166), (480, 271), (640, 360), (1280, 720)])
def test_libyuv_and_opencv_give_the_same_picture(monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    require(libyuv.load() is not None, "libyuv is not installed (Debian: libyuv0)")
    fast = _convert(True, monkeypatch, *size)
    slow = _convert(False, monkeypatch, *size)
    assert fast.shape == slow.shape == (size[1], size[0], 4)
    assert fast.flags.c_contiguous
    assert (fast[..., 3] == 255).all()
    difference = np.abs(fast[..., :3].astype(int) - slow[..., :3].astype(int))
    # Both bilinear, rounded differently; the colours match.
    assert difference.mean() < 2.5, difference.mean()
    for name, pixel in _block_centres(fast).items():
        assert np.abs(pixel.astype(int) - BLOCKS[name]).max() <= 10, (name, pixel)  # a 4:2:0 round trip


def test_without_libyuv_opencv_converts_with_the_right_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    image = _convert(False, monkeypatch, 480, 270)
    assert image.shape == (270, 480, 4)
    for name, pixel in _block_centres(image).items():
        assert np.abs(pixel.astype(int) - BLOCKS[name]).max() <= 10, (name, pixel)  # a 4:2:0 round trip


def test_the_engine_converter_uses_either_to_fit_the_tile(monkeypatch: pytest.MonkeyPatch) -> None:
    # FrameConverter keeps the aspect ratio and an even width on both paths.
    for on in (True, False):
        if on and libyuv.load() is None:
            continue
        _use_libyuv(monkeypatch, on)
        image = FrameConverter().convert(_frame(), 301, 301)
        assert image.shape == (169, 300, 4)


def test_the_converter_calls_libyuv_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    found = libyuv.load()
    require(found is not None, "libyuv is not installed (Debian: libyuv0)")
    assert found is not None
    lib: libyuv.LibYuv = found
    calls: list[str] = []

    class Counting:
        path = lib.path

        def i420_scale(self, *args: object) -> int:
            calls.append("scale")
            return int(lib.i420_scale(*args))

        def i420_to_argb(self, *args: object) -> int:
            calls.append("to_argb")
            return int(lib.i420_to_argb(*args))

        def j420_to_argb(self, *args: object) -> int:
            calls.append("j420_to_argb")
            return int(lib.j420_to_argb(*args))

    monkeypatch.setattr(libyuv, "load", Counting)
    converter = I420Converter()
    converter.convert(_frame(), 480, 270)
    assert calls == ["scale", "to_argb"]
    calls.clear()
    converter.convert(_frame(), 640, 360)  # the stream's own size: converted without scaling
    assert calls == ["to_argb"]
    calls.clear()
    converter.convert(_frame(), 296, 166)  # a ratio libyuv has no code of its own for: OpenCV scales
    assert calls == ["to_argb"]


def test_full_range_frames_keep_their_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many cameras send full-range video (FFmpeg: yuvj420p). libyuv converts it as such (J420); without
    # libyuv it goes through swscale, as other formats do.
    frame = _frame("yuvj420p")
    reference = frame.reformat(width=480, height=270, format="bgra").to_ndarray()
    for on in (True, False):
        if on:
            require(libyuv.load() is not None, "libyuv is not installed (Debian: libyuv0)")
        _use_libyuv(monkeypatch, on)
        assert I420Converter().handles("yuvj420p") == on
        image = FrameConverter().convert(frame, 480, 270)
        assert image.shape == (270, 480, 4)
        for name, pixel in _block_centres(image).items():
            assert np.abs(pixel.astype(int) - BLOCKS[name]).max() <= 10, (on, name, pixel)
        assert np.abs(image[..., :3].astype(int) - reference[..., :3].astype(int)).mean() < 2.5

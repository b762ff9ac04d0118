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


def _reference(frame: av.VideoFrame, w: int, h: int) -> np.ndarray:
    """The frame converted at its own size, then scaled by area averaging (down) or bicubic (up): slow and
    accurate, what both paths are measured against."""
    full = frame.to_ndarray(format="bgr24")
    return cv2.resize(full, (w, h), interpolation=cv2.INTER_AREA if w < frame.width else cv2.INTER_CUBIC)


def _error(image: np.ndarray, reference: np.ndarray) -> float:
    return float(np.abs(image[..., :3].astype(int) - reference[..., :3].astype(int)).mean())


@pytest.mark.parametrize("size", [(480, 270), (296, 166), (480, 271), (146, 82), (640, 360), (1192, 670),
                                  (1280, 720)])
def test_libyuv_and_opencv_give_the_same_picture(monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    require(libyuv.load() is not None, "libyuv is not installed (Debian: libyuv0)")
    fast = _convert(True, monkeypatch, *size)
    slow = _convert(False, monkeypatch, *size)
    assert fast.shape == slow.shape == (size[1], size[0], 4)
    assert fast.flags.c_contiguous
    assert (fast[..., 3] == 255).all()
    # Both close to the accurate picture (most of the error is the 4:2:0 colour at the blocks' edges), and
    # to each other: libyuv halves before it scales, OpenCV scales in one step (146x82: 2.9 levels apart).
    reference = _reference(_frame(), *size)
    assert _error(fast, reference) < 4.5, _error(fast, reference)
    assert _error(slow, reference) < 5.0, _error(slow, reference)
    assert _error(fast, reference) <= _error(slow, reference) + 0.3
    assert _error(fast, slow) < 3.5, _error(fast, slow)
    for name, pixel in _block_centres(fast).items():
        assert np.abs(pixel.astype(int) - BLOCKS[name]).max() <= 10, (name, pixel)  # a 4:2:0 round trip


def test_detail_finer_than_the_tile_turns_to_its_average_not_to_stripes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Railings, shutters, tiled roofs: stripes one pixel wide, shrunk to a 4x4 wall's tile (2.16x). One
    # bilinear step reads two of every four or five columns and draws stripes that are not there (moiré);
    # libyuv halves first (2x2 averages), so the tile shows the stripes' even grey.
    require(libyuv.load() is not None, "libyuv is not installed (Debian: libyuv0)")
    grey = np.zeros((360, 640), np.uint8)
    grey[:, ::2] = 255
    bgr = np.dstack([grey] * 3)
    frame = av.VideoFrame.from_ndarray(bgr, format="bgr24").reformat(format="yuv420p")
    _use_libyuv(monkeypatch, True)
    image = I420Converter().convert(frame, 296, 166)[2:-2, 2:-2, :3].astype(float)  # edges: borders
    assert abs(image.mean() - 128) < 8, image.mean()
    assert image.std() < 4, image.std()


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

    resize = cv2.resize

    def counting_resize(*args: object, **kwargs: object) -> object:
        calls.append("opencv")
        return resize(*args, **kwargs)

    monkeypatch.setattr(libyuv, "load", Counting)
    monkeypatch.setattr(cv2, "resize", counting_resize)
    converter = I420Converter()
    expected = {
        (480, 270): ["scale", "to_argb"],  # 3/4: a ratio libyuv scales with code of its own for
        (640, 360): ["to_argb"],  # the stream's own size: converted without scaling
        (160, 90): ["scale", "scale", "to_argb"],  # halved twice, nothing left to scale
        (296, 166): ["scale"] + ["opencv"] * 3 + ["to_argb"],  # halved, the rest scaled by OpenCV plane by plane
        (146, 82): ["scale", "scale"] + ["opencv"] * 3 + ["to_argb"],
        (1192, 670): ["opencv"] * 3 + ["to_argb"],  # up, at a ratio libyuv has no code of its own for
    }
    for (w, h), names in expected.items():
        calls.clear()
        image = converter.convert(_frame(), w, h)
        assert image.shape == (h, w, 4)
        assert calls == names, (w, h, calls)


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

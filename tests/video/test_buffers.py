"""The converters' buffer pool: a buffer is reused only once nobody holds it, the most recently used first,
and each thread has its own."""

from __future__ import annotations

import threading

import av
import numpy as np

from camdesk.video import buffers
from camdesk.video.buffers import BufferPool, thread_pool
from camdesk.video.connection import I420Converter


def _address(array: np.ndarray) -> int:
    return int(array.__array_interface__["data"][0])


def test_a_held_buffer_is_never_handed_out_again() -> None:
    pool = BufferPool()
    first = pool.take((4, 6, 4))
    view = pool.take((4, 6, 4))[1:]  # a view holds its base
    third = pool.take((4, 6, 4))
    assert len({_address(first), _address(view.base), _address(third)}) == 3  # type: ignore[arg-type]
    assert pool.held() == 3


def test_the_buffer_released_last_is_reused_first() -> None:
    pool = BufferPool()
    a, b, c = (pool.take((2, 2, 4)) for _ in range(3))
    kept = {_address(a), _address(c)}
    released = _address(b)
    del b
    again = pool.take((2, 2, 4))
    assert _address(again) == released and _address(again) not in kept
    del a, again
    # Both free now: the one taken most recently (the reused one) comes first.
    assert _address(pool.take((2, 2, 4))) == released
    assert pool.held() == 3  # nothing new was allocated


def test_other_shapes_get_other_buffers() -> None:
    pool = BufferPool()
    small = pool.take((2, 2, 4))
    address = _address(small)
    del small
    large = pool.take((4, 4, 4))
    assert large.shape == (4, 4, 4) and _address(large) != address


def test_buffers_unused_for_a_while_are_dropped_once_free() -> None:
    pool = BufferPool()
    held = [pool.take((2, 2, 4)) for _ in range(5)]
    kept = held[0]
    del held
    for _ in range(2 * buffers.SWEEP_EVERY):
        pool.take((3, 3, 4))  # released at once: one buffer serves every take
    # The four free buffers of the first shape were dropped; the one still held was not.
    assert pool.held() == 2
    assert kept.shape == (2, 2, 4)


def test_each_thread_has_its_own_pool() -> None:
    seen: list[BufferPool] = []
    thread = threading.Thread(target=lambda: seen.append(thread_pool()))
    thread.start()
    thread.join()
    assert seen and seen[0] is not thread_pool() and thread_pool() is thread_pool()


def _frame(level: int) -> av.VideoFrame:
    planes = np.full((36 * 3 // 2, 64), 128, np.uint8)
    planes[:36] = level
    return av.VideoFrame.from_ndarray(planes, format="yuv420p")


def test_one_converter_used_from_two_threads_at_once_keeps_their_pictures_apart() -> None:
    """A stream's converter runs on its pool thread, and on its worker thread for the first frame after a
    switch: the scratch image and the output buffers are per thread, so the two never mix."""
    converter = I420Converter()
    frames = {level: _frame(level) for level in (30, 220)}
    wrong: list[int] = []
    start = threading.Barrier(2)

    def convert_many(level: int) -> None:
        start.wait()
        for _ in range(300):
            image = converter.convert(frames[level], 48, 26)
            expected = converter_reference[level]
            if not np.array_equal(image, expected):
                wrong.append(level)

    reference = I420Converter()
    converter_reference = {level: reference.convert(frame, 48, 26).copy() for level, frame in frames.items()}
    assert int(converter_reference[30][5, 5, 1]) < 60 < 190 < int(converter_reference[220][5, 5, 1])
    threads = [threading.Thread(target=convert_many, args=(level,)) for level in frames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []

"""The decoder pool's threads: each is an event loop that reads watched sockets and runs the batches
reading threads submit. Real sockets (socket pairs), real threads."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from camdesk.video.decode_pool import THREAD_NAME, DecodePool, PoolStream

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def pool() -> Iterator[DecodePool]:
    made = DecodePool(2)
    yield made
    made.shutdown()


@pytest.fixture
def pairs() -> Iterator[list[tuple[socket.socket, socket.socket]]]:
    made: list[tuple[socket.socket, socket.socket]] = []
    yield made
    for a, b in made:
        a.close()
        b.close()


class Reader:
    """An ``on_ready`` that reads what came, as a watched stream does, and records the thread."""

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.data = b""
        self.threads: set[str] = set()
        self.got = threading.Event()

    def __call__(self) -> None:
        self.threads.add(threading.current_thread().name)
        try:
            self.data += self.sock.recv(65536)
        except BlockingIOError:
            return
        self.got.set()


def _pair(pairs: list[tuple[socket.socket, socket.socket]]) -> tuple[socket.socket, socket.socket]:
    pair = socket.socketpair()
    pairs.append(pair)
    return pair


def _watched(pool: DecodePool, pairs: list[tuple[socket.socket, socket.socket]],
             data: bytes) -> tuple[PoolStream, Reader, socket.socket]:
    """A new stream watching one end of a socket pair, and ``data`` sent from the other end (the camera,
    returned)."""
    stream = pool.stream(lambda batch: None)
    ours, camera = _pair(pairs)
    reader = Reader(ours)
    stream.watch(ours, reader)
    camera.sendall(data)
    return stream, reader, camera


def test_a_watched_socket_is_read_on_the_streams_pool_thread(pool: DecodePool, pairs) -> None:  # type: ignore[no-untyped-def]
    ran: list[tuple[str, list[int]]] = []
    stream = pool.stream(lambda batch: ran.append((threading.current_thread().name, batch)))
    ours, camera = _pair(pairs)
    reader = Reader(ours)
    stream.watch(ours, reader)
    camera.sendall(b"picture-1")
    assert reader.got.wait(5)
    stream.submit(1)
    stream.submit(2)
    deadline = time.monotonic() + 5
    while sum(len(batch) for _, batch in ran) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert reader.data == b"picture-1"
    assert len(reader.threads) == 1 and next(iter(reader.threads)).startswith(THREAD_NAME)
    # Submitted packets and the watched socket of one stream run on the same thread, in order (in one
    # batch or two, depending on whether the thread woke between the submissions).
    assert {name for name, _ in ran} == reader.threads
    assert [item for _, batch in ran for item in batch] == [1, 2]


def test_streams_are_spread_over_the_threads(pool: DecodePool, pairs) -> None:  # type: ignore[no-untyped-def]
    readers = [_watched(pool, pairs, b"x")[1] for _ in range(4)]
    for reader in readers:
        assert reader.got.wait(5)
    names = [next(iter(r.threads)) for r in readers]
    assert sorted(names.count(n) for n in set(names)) == [2, 2]


def test_unwatched_socket_is_no_longer_read(pool: DecodePool, pairs) -> None:  # type: ignore[no-untyped-def]
    stream, reader, camera = _watched(pool, pairs, b"a")
    assert reader.got.wait(5)
    stream.unwatch(reader.sock)
    reader.got.clear()
    camera.sendall(b"b")
    assert not reader.got.wait(0.5)
    assert reader.data == b"a"


def test_one_streams_failure_does_not_stop_the_others(pairs, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    pool = DecodePool(1)  # both streams on the same thread
    try:
        broken = pool.stream(lambda batch: None)
        bad, bad_camera = _pair(pairs)
        calls = []

        def explode() -> None:
            calls.append(bad.recv(100))
            raise RuntimeError("a bug in one stream")

        bad.setblocking(False)
        with caplog.at_level(logging.ERROR):
            broken.watch(bad, explode)
            bad_camera.sendall(b"boom")
            reader = _watched(pool, pairs, b"still here")[1]
            assert reader.got.wait(5)
        assert calls and reader.data == b"still here"
        assert "reading a stream failed" in caplog.text
    finally:
        pool.shutdown()


def test_shutdown_joins_the_threads_and_later_streams_never_run(pairs) -> None:  # type: ignore[no-untyped-def]
    pool = DecodePool(2)
    stream = pool.stream(lambda batch: None)
    ours, _camera = _pair(pairs)
    stream.watch(ours, Reader(ours))
    started = time.monotonic()
    pool.shutdown(timeout=2.0)
    assert time.monotonic() - started < 2.0
    assert not [t for t in threading.enumerate() if t.name.startswith(THREAD_NAME)]
    late: list[list[int]] = []
    after: PoolStream = pool.stream(late.append)
    assert after.closed
    after.submit(1)
    after.watch(ours, Reader(ours))  # ignored, not an error
    time.sleep(0.1)
    assert late == []

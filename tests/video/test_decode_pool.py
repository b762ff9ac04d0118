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
from camdesk.video.pool_balance import BalanceSettings
from tests.conftest import wait_until

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
    wait_until(lambda: sum(len(batch) for _, batch in ran) >= 2, 5)
    assert reader.data == b"picture-1"
    assert len(reader.threads) == 1 and next(iter(reader.threads)).startswith(THREAD_NAME)
    # Submitted packets and the watched socket of one stream run on the same thread, in order (in one
    # batch or two, depending on whether the thread woke between the submissions).
    assert {name for name, _ in ran} == reader.threads
    assert [item for _, batch in ran for item in batch] == [1, 2]


def test_light_streams_share_one_thread(pool: DecodePool, pairs) -> None:  # type: ignore[no-untyped-def]
    # One thread keeps up with them, and one thread costs less CPU than two (pool_balance.py).
    readers = [_watched(pool, pairs, b"x")[1] for _ in range(4)]
    for reader in readers:
        assert reader.got.wait(5)
    assert len({name for r in readers for name in r.threads}) == 1
    assert pool.threads_in_use() == 1


class Busy:
    """A stream's handler that takes ``cost_s`` per batch and checks it never runs on two threads at once."""

    def __init__(self, cost_s: float) -> None:
        self.cost_s = cost_s
        self.seen: list[int] = []
        self.threads: list[str] = []
        self.running = False
        self.overlapped = False

    def __call__(self, batch: list[int]) -> None:
        if self.running:
            self.overlapped = True
        self.running = True
        self.threads.append(threading.current_thread().name)
        time.sleep(self.cost_s)  # wall time, as the pool measures load (the GIL's waits count too)
        self.seen.extend(batch)
        self.running = False


def _feed(streams: list[PoolStream], stop: threading.Event, every_s: float, sent: list[int]) -> None:
    n = 0
    while not stop.is_set():
        for stream in streams:
            stream.submit(n)
        sent.append(n)
        n += 1
        time.sleep(every_s)


def test_a_busy_thread_hands_streams_to_another_and_takes_them_back(pairs) -> None:  # type: ignore[no-untyped-def]
    pool = DecodePool(2, BalanceSettings(window_s=0.1))
    try:
        handlers = [Busy(0.01) for _ in range(4)]
        streams = [pool.stream(handler) for handler in handlers]
        readers = []
        for stream in streams:  # each stream also watches a socket: it must follow the stream
            ours, camera = _pair(pairs)
            reader = Reader(ours)
            stream.watch(ours, reader)
            readers.append((reader, camera))
        stop, sent = threading.Event(), []  # type: ignore[var-annotated]
        feeder = threading.Thread(target=_feed, args=(streams, stop, 0.01, sent))
        feeder.start()
        try:
            assert wait_until(lambda: pool.threads_in_use() == 2, 10)
            settings, pool.balance = pool.balance, BalanceSettings(window_s=0.1, grow_above=9, merge_below=0)
            time.sleep(0.3)  # no more moves while the sockets are checked
            _assert_sockets_read_where_their_streams_run(handlers, readers, expect_threads=2)
            pool.balance = settings
            for handler in handlers:
                handler.cost_s = 0.0005  # the load falls
            stop.set()
            feeder.join()
            stop.clear()
            feeder = threading.Thread(target=_feed, args=(streams, stop, 0.05, sent))
            feeder.start()
            assert wait_until(lambda: pool.threads_in_use() == 1, 10)
            time.sleep(0.2)
        finally:
            stop.set()
            feeder.join()
        assert wait_until(lambda: all(len(h.seen) == len(sent) for h in handlers), 10)
        for handler in handlers:
            assert handler.seen == sent  # every item once, in order, across the moves
            assert not handler.overlapped
        assert len({name for h in handlers for name in h.threads}) == 2
        _assert_sockets_read_where_their_streams_run(handlers, readers, expect_threads=1)
    finally:
        pool.shutdown()


def _assert_sockets_read_where_their_streams_run(handlers: list[Busy], readers, expect_threads: int) -> None:  # type: ignore[no-untyped-def]
    """Each stream's socket is read on the thread that last ran its handler."""
    assert len({h.threads[-1] for h in handlers}) == expect_threads
    for handler, (reader, camera) in zip(handlers, readers, strict=True):
        reader.threads.clear()
        reader.got.clear()
        camera.sendall(b"now")
        assert reader.got.wait(5)
        assert reader.threads == {handler.threads[-1]}


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

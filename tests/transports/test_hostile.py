"""Contract: a hostile server ends every call in the library's own error, in bounded time.

A server that trickles its answer, never answers, answers a small gzip inflating to
hundreds of megabytes, resets the connection after reading the request, closes it
halfway through a body or sends a body that is not the gzip it claims: on every
adapter each ends in a :class:`RestliError` subclass (never a hang, never a foreign
exception), within the request's ``timeout`` and ``max_body_size``; a request is
sent once; and no error, cause or context in the chain holds the bearer token,
in its text or pickled.

The sync adapters bound each wait for data by the time left (their libraries have
no public way to bound a response head as a whole): a head trickled faster than
that ends the call as soon as it is complete, not at the deadline itself.
"""

from __future__ import annotations

import pickle
import time
import tracemalloc
import zlib
from typing import Any

import pytest
from _loopback import LoopbackServer, Reply, json_reply, refused_url
from conftest import Harness

from restli_core import (
    Headers,
    NotFoundError,
    Request,
    ResponseTooLargeError,
    RestliError,
    RestliUsageError,
    TransportError,
    TransportTimeout,
)
from restli_core.transport import DEFAULT_MAX_BODY_SIZE, LibraryError

TOKEN = "tok-SECRET-hostile-0123456789"
ASYNC = ("httpx-async", "aiohttp")
JSON = [("Content-Type", "application/json")]
MiB = 1 << 20


def _request(
    h: Harness,
    target: str = "/v2/r",
    *,
    method: str = "GET",
    body: bytes | None = None,
    timeout: float | None = None,
) -> Request:
    headers = [("X-RestLi-Protocol-Version", "2.0.0"), ("Authorization", f"Bearer {TOKEN}")]
    return Request(method, h.server.url + target, Headers(headers), body, timeout=timeout)


def _fails(h: Harness, transport: Any, request: Request) -> tuple[RestliError, float]:
    """The error sending ``request`` ends in, and the seconds it took."""
    started = time.monotonic()
    with pytest.raises(RestliError) as info:
        h.send(transport, request)
    return info.value, time.monotonic() - started


# ----------------------------------------------------------------------------- deadline


@pytest.mark.parametrize(("timeout", "interval"), [(1.0, 1.0), (0.5, 0.1)])
def test_a_trickled_body_ends_at_the_request_timeout(
    h: Harness, server: LoopbackServer, timeout: float, interval: float
) -> None:
    # A byte every second (each wait for data ends in time), or ten a second.
    body = b'{"a": "' + b"x" * 60 + b'"}'
    server.script(Reply(200, JSON, body, trickle="body", interval=interval))
    transport = h.transport(timeout=(5.0, 5.0))
    error, elapsed = _fails(h, transport, _request(h, timeout=timeout))
    assert isinstance(error, TransportTimeout)
    assert "deadline" in str(error)
    assert timeout * 0.9 < elapsed < timeout + 1.2


@pytest.mark.parametrize(("timeout", "interval"), [(1.0, 1.5), (0.5, 0.15)])
def test_a_trickled_head_ends_by_the_request_timeout(
    h: Harness, server: LoopbackServer, timeout: float, interval: float
) -> None:
    # The last 6 bytes of the head, one every `interval` seconds (9 s or 0.9 s), and
    # no body: the call must not succeed once the head is complete.
    server.script(Reply(200, JSON, b"", trickle="head", trickle_from=-6, interval=interval))
    transport = h.transport(timeout=(5.0, 5.0))
    error, elapsed = _fails(h, transport, _request(h, timeout=timeout))
    assert isinstance(error, TransportTimeout)
    assert "deadline" in str(error)
    if h.is_async or interval > timeout:  # the deadline itself
        assert timeout * 0.9 < elapsed < timeout + 0.8
    else:  # each wait is bounded, not the head: it ends as soon as the head is complete
        assert 6 * interval < elapsed < 6 * interval + 0.8


def test_a_silent_server_ends_at_the_request_timeout(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(action="hang"))
    transport = h.transport(timeout=(5.0, 5.0))
    error, elapsed = _fails(h, transport, _request(h, timeout=0.5))
    assert isinstance(error, TransportTimeout)
    assert error.sent is True
    assert 0.45 < elapsed < 1.3


def test_an_answer_within_the_request_timeout_is_read(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(200, JSON, b'{"a": 1}', trickle="body", interval=0.05))
    response = h.send(h.transport(), _request(h, timeout=5.0))
    assert response.body == b'{"a": 1}'


def test_the_client_deadline_bounds_a_trickled_answer(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(200, JSON, b'{"a": "' + b"x" * 60 + b'"}', trickle="body", interval=0.2))
    client = h.client(timeout=(5.0, 5.0), deadline=0.5)
    started = time.monotonic()
    with pytest.raises(TransportTimeout):
        client.get(resource_path="/me", access_token=TOKEN)
    assert time.monotonic() - started < 1.5


# ----------------------------------------------------------------------------- body size


@pytest.fixture(scope="session")
def bombs() -> dict[str, bytes]:
    """256 MiB of zeros compressed as gzip and as deflate (zlib): about 260 KB each."""
    zeros = bytes(MiB)
    made = {}
    for encoding, wbits in (("gzip", 31), ("deflate", 15)):
        compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
        parts = [compressor.compress(zeros) for _ in range(256)]
        made[encoding] = b"".join([*parts, compressor.flush()])
    return made


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compression_bomb_stops_at_max_body_size(
    h: Harness, server: LoopbackServer, bombs: dict[str, bytes], encoding: str
) -> None:
    assert len(bombs[encoding]) < 300_000
    server.script(Reply(200, [*JSON, ("Content-Encoding", encoding)], bombs[encoding]))
    transport = h.transport()
    tracemalloc.start()
    try:
        error, elapsed = _fails(h, transport, _request(h))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, ResponseTooLargeError)
    assert error.limit == DEFAULT_MAX_BODY_SIZE
    assert elapsed < 15
    # At most the limit is kept (64 MiB), and one read's inflated bytes beyond it.
    assert peak < 150 * MiB
    # The half-read connection was dropped, not handed to the next request.
    server.script(json_reply({"ok": 1}))
    assert h.send(transport, _request(h)).body == b'{"ok": 1}'


def test_a_body_over_a_small_max_body_size(h: Harness, server: LoopbackServer) -> None:
    transport = h.transport(max_body_size=1000)
    server.script(Reply(200, JSON, b"x" * 1000), Reply(200, JSON, b"x" * 1001))
    assert len(h.send(transport, _request(h)).body) == 1000
    error, _ = _fails(h, transport, _request(h))
    assert isinstance(error, ResponseTooLargeError)
    assert error.limit == 1000
    assert TOKEN not in str(error)
    # Decoded size counts: 10 KB of gzip-compressed zeros are 10 KB.
    small = zlib.compressobj(9, zlib.DEFLATED, 31)
    server.script(
        Reply(200, [("Content-Encoding", "gzip")], small.compress(bytes(10_000)) + small.flush())
    )
    error, _ = _fails(h, transport, _request(h))
    assert isinstance(error, ResponseTooLargeError)


def test_clients_take_max_body_size(h: Harness, server: LoopbackServer) -> None:
    server.script(json_reply({"a": "x" * 100}))
    client = h.client(max_body_size=50)
    with pytest.raises(ResponseTooLargeError):
        client.get(resource_path="/me", access_token=TOKEN)
    auth = h.auth_client("cid", "secret", max_body_size=50)
    assert auth.client_id == "cid"


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "1000", None])
def test_bad_max_body_size_is_rejected(h: Harness, value: Any) -> None:
    with pytest.raises(RestliUsageError):
        h.transport_cls(max_body_size=value)
    with pytest.raises(RestliUsageError):
        h.restli_cls(max_body_size=value)


# ----------------------------------------------------------------------------- send once


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("reused", [False, True], ids=["new", "reused"])
def test_a_request_reset_after_it_was_read_is_sent_once(
    h: Harness, server: LoopbackServer, method: str, reused: bool
) -> None:
    # aiohttp sends an idempotent request again after such a failure, unless told not to.
    transport = h.transport()
    if reused:
        server.script(json_reply({}))
        h.send(transport, _request(h, method=method))
    server.script(Reply(action="reset"), json_reply({"resent": True}))
    body = b"{}" if method == "PUT" else None
    error, _ = _fails(h, transport, _request(h, method=method, body=body))
    assert isinstance(error, TransportError)
    assert error.sent is True
    assert len(server.received) == 1 + reused


def test_a_client_without_retries_sends_once(h: Harness, server: LoopbackServer) -> None:
    client = h.client(retry=None)
    server.script(json_reply({}), *[Reply(action="reset")] * 3, json_reply({"resent": True}))
    client.get(resource_path="/me", access_token=TOKEN)
    with pytest.raises(TransportError):
        client.get(resource_path="/me", access_token=TOKEN)
    with pytest.raises(TransportError):
        client.update(resource_path="/r/{id}", path_keys={"id": 1}, entity={}, access_token=TOKEN)
    with pytest.raises(TransportError):
        client.delete(resource_path="/r/{id}", path_keys={"id": 1}, access_token=TOKEN)
    assert [r.method for r in server.received] == ["GET", "GET", "PUT", "DELETE"]


# ----------------------------------------------------------------------------- malformed


def test_two_restli_id_headers_both_reach_the_core(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(201, [("X-RestLi-Id", "1"), ("X-RestLi-Id", "2")]))
    response = h.send(h.transport(), _request(h, method="POST", body=b"{}"))
    ids = [value for name, value in response.headers.raw if name.lower() == "x-restli-id"]
    assert ids == ["1", "2"]


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 10,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    ],
    ids=["content-length", "chunked"],
)
def test_a_connection_closed_mid_body_is_a_transport_error(
    h: Harness, server: LoopbackServer, answer: bytes
) -> None:
    server.script(Reply(body=answer, action="verbatim"))
    error, elapsed = _fails(h, h.transport(), _request(h))
    assert type(error) is TransportError
    assert error.sent is True
    assert elapsed < 2


def test_a_body_that_is_not_the_gzip_it_claims(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(200, [("Content-Encoding", "gzip")], b"this is not gzip data"))
    error, _ = _fails(h, h.transport(), _request(h))
    assert type(error) is TransportError


# ----------------------------------------------------------------------------- secrets


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and every exception its ``__cause__`` / ``__context__`` lead to."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo and len(seen) < 20:
        exc = todo.pop()
        if exc is not None and not any(exc is s for s in seen):
            seen.append(exc)
            todo += [exc.__cause__, exc.__context__]
    return seen


def _assert_no_token(error: BaseException) -> None:
    for exc in _chain(error):
        assert TOKEN not in repr(exc), exc
        assert TOKEN not in str(exc), exc
        data = pickle.dumps(exc)
        assert TOKEN.encode() not in data, exc
        again = pickle.loads(data)
        assert type(again) is type(exc)
        assert str(again) == str(exc)


def test_a_404_holds_no_token(h: Harness, server: LoopbackServer) -> None:
    server.script(json_reply({"message": "no such thing", "status": 404}, status=404))
    client = h.client()
    with pytest.raises(NotFoundError) as info:
        client.get(resource_path="/r/{id}", path_keys={"id": 1}, access_token=TOKEN)
    _assert_no_token(info.value)


@pytest.mark.parametrize("failure", ["reset", "timeout", "refused", "mid-body"])
def test_a_transport_error_holds_no_token(h: Harness, server: LoopbackServer, failure: str) -> None:
    if failure == "refused":
        client = h.client(base_url=refused_url() + "/v2")
    else:
        client = h.client(timeout=(2.0, 0.3))
        server.script(
            Reply(body=b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{", action="verbatim")
            if failure == "mid-body"
            else Reply(action="reset" if failure == "reset" else "hang")
        )
    with pytest.raises(TransportError) as info:
        client.get(resource_path="/me", access_token=TOKEN)
    _assert_no_token(info.value)
    # The library's exception is chained as a stand-in: its type's name and message.
    cause = info.value.__cause__
    assert isinstance(cause, LibraryError)
    assert cause.library_type.split(".")[0] in h.name + " urllib3 asyncio builtins"
    assert info.value.__context__ is None or info.value.__suppress_context__
    assert cause.__traceback__ is not None  # where the library failed, for debugging

"""Contract: every adapter asks for compressed bodies and decodes them, within its limits.

Against real HTTP servers on 127.0.0.1: each adapter's request asks for gzip and
deflate (and br when a Brotli decoder is installed); a gzip, deflate (zlib-wrapped or
raw), br, zstd or stacked body decodes to the right typed response; the bytes on the
wire are the compressed ones; a caller's own ``Accept-Encoding`` is sent as is; a
coding the transport cannot decode ends in a :class:`TransportError` that names it
(never JSON garbage); and a small body inflating to gigabytes stops at
``max_body_size``. The embedded server (``restli_core.testing``) gzips a large JSON
answer for a request that accepts it, so the demo and the end-to-end tests run
compressed.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import json
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from _loopback import LoopbackServer, Reply
from conftest import ADAPTERS, Harness

from restli_core import (
    Headers,
    Request,
    ResponseDecodeError,
    ResponseTooLargeError,
    TransportError,
)
from restli_core.transport import DEFAULT_MAX_BODY_SIZE, content_decoder, decodable_codings

TOKEN = "tok-compression-0123"
JSON = [("Content-Type", "application/json")]
MiB = 1 << 20


def _find(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:  # a dotted name whose parent package is missing
        return False


HAS_BROTLI = _find("brotli")
HAS_ZSTD = _find("compression.zstd") or _find("backports.zstd")


# ----------------------------------------------------------------------------- codings


def _zstd() -> Any:
    try:
        return importlib.import_module("compression.zstd")
    except ImportError:
        return pytest.importorskip("backports.zstd")


def _encode(data: bytes, coding: str) -> bytes:
    """``data`` in ``coding`` (codings listed in the order applied, as in the header)."""
    for name in (c.strip() for c in coding.split(",")):
        if name in ("gzip", "x-gzip"):
            data = gzip.compress(data, mtime=0)  # the same bytes each time
        elif name in ("deflate", "deflate-zlib"):
            data = zlib.compress(data)
        elif name == "deflate-raw":
            compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            data = compressor.compress(data) + compressor.flush()
        elif name == "br":
            data = pytest.importorskip("brotli").compress(data)
        elif name == "zstd":
            data = _zstd().compress(data)
        elif name not in ("identity", "x-unknown"):
            raise AssertionError(name)
    return data


def _header_value(coding: str) -> str:
    """The Content-Encoding a body in ``coding`` is sent with."""
    return coding.replace("deflate-zlib", "deflate").replace("deflate-raw", "deflate")


def _accepted(accept_encoding: str | None) -> set[str]:
    """The codings an Accept-Encoding value accepts (q above 0), lower-case."""
    accepted = set()
    for item in (accept_encoding or "").split(","):
        name, *params = item.split(";")
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                q = float(value)
        if name.strip() and q > 0:
            accepted.add(name.strip().lower())
    return accepted


# ----------------------------------------------------------------------------- server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _CodingHTTPServer

    def setup(self) -> None:
        super().setup()
        self.wfile = _Counting(self.wfile)

    def do_GET(self) -> None:
        owner = self.server.owner
        values = self.headers.get_all("Accept-Encoding") or []
        accept = ", ".join(values) if values else None
        with owner.lock:
            owner.received.append(accept)
        coding, body = owner.answer(accept)
        written = self.wfile.count  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if coding != "identity":
            self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        with owner.done:
            owner.sent.append((coding, len(body), self.wfile.count - written))  # type: ignore[attr-defined]
            owner.done.notify_all()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Counting:
    """A socket writer that counts the bytes written through it."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        written: int = self._raw.write(data)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _CodingHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: CodingServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that stopped reading (a bomb, cut short)


class CodingServer:
    """A stdlib HTTP server on 127.0.0.1 answering every GET with ``answer``.

    ``answer(accept_encoding)`` gives ``(coding, body)``: the Content-Encoding sent
    (``identity``: none) and the body bytes as sent. It records each request's
    ``Accept-Encoding`` (``received``) and, for each answer, ``(coding, body bytes,
    bytes written to the socket)`` (``sent``).
    """

    def __init__(self) -> None:
        self.answer: Callable[[str | None], tuple[str, bytes]] = lambda _a: ("identity", b"{}")
        self.received: list[str | None] = []
        self.sent: list[tuple[str, int, int]] = []
        self.lock = threading.Lock()
        self.done = threading.Condition()
        self._server = _CodingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def last_sent(self) -> tuple[str, int, int]:
        """What the server sent for the last request, once it has sent all of it."""
        with self.done:
            assert self.done.wait_for(lambda: len(self.sent) == len(self.received), 5)
            return self.sent[-1]

    def negotiate(self, data: bytes, *codings: str) -> None:
        """Answer ``data`` in the first of ``codings`` the request accepts, else as is."""

        def answer(accept: str | None) -> tuple[str, bytes]:
            accepted = _accepted(accept)
            for coding in codings:
                if _header_value(coding) in accepted:
                    return _header_value(coding), _encode(data, coding)
            return "identity", data

        self.answer = answer

    def always(self, data: bytes, coding: str) -> None:
        """Answer ``data`` in ``coding`` whatever the request asks for."""
        body = _encode(data, coding)
        self.answer = lambda _accept: (_header_value(coding), body)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@pytest.fixture
def web() -> Iterator[CodingServer]:
    server = CodingServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=ADAPTERS)
def hw(request: pytest.FixtureRequest, web: CodingServer) -> Iterator[Harness]:
    """A harness of each adapter pointed at the coding server."""
    harness = Harness(request.param, web)  # type: ignore[arg-type]
    try:
        yield harness
    finally:
        harness.close_all()


ENTITY = {"id": 1, "name": "Ünïcode account ✓", "status": "ACTIVE", "tags": ["a"] * 50}
PAGE = {
    "elements": [
        {"id": i, "name": f"Account {i}", "status": "ACTIVE", "type": "BUSINESS"}
        for i in range(2000)
    ],
    "paging": {"start": 0, "count": 2000, "links": []},
}


def _request(url: str, headers: list[tuple[str, str]] | None = None) -> Request:
    base = [("X-RestLi-Protocol-Version", "2.0.0"), ("Authorization", f"Bearer {TOKEN}")]
    return Request("GET", url, Headers([*base, *(headers or [])]), None)


# ----------------------------------------------------------------------------- asking


def test_every_adapter_asks_for_gzip_and_deflate(hw: Harness, web: CodingServer) -> None:
    web.negotiate(json.dumps(ENTITY).encode())
    hw.client().get(resource_path="/adAccounts/{id}", path_keys={"id": 1}, access_token=TOKEN)
    [accept] = web.received
    accepted = _accepted(accept)
    assert {"gzip", "deflate"} <= accepted, accept
    assert accepted <= {"gzip", "deflate", "br", "zstd"}, accept
    # br when a Brotli decoder is installed: every library here asks for it then.
    if HAS_BROTLI:
        assert "br" in accepted, accept


def test_a_callers_accept_encoding_is_sent_as_is(hw: Harness, web: CodingServer) -> None:
    data = json.dumps(PAGE).encode()
    web.negotiate(data, "gzip", "deflate", "br")
    transport = hw.transport()
    response = hw.send(transport, _request(web.url + "/v2/r", [("Accept-Encoding", "identity")]))
    assert web.received == ["identity"]
    assert response.body == data
    coding, size, written = web.last_sent()
    assert (coding, size) == ("identity", len(data))
    assert written >= len(data)
    # One coding of the caller's choosing, also as sent (here deflate alone).
    response = hw.send(transport, _request(web.url + "/v2/r", [("accept-encoding", "deflate")]))
    assert web.received[-1] == "deflate"
    assert web.last_sent()[0] == "deflate"
    assert response.body == data


# ----------------------------------------------------------------------------- decoding

CODINGS = ["gzip", "x-gzip", "deflate-zlib", "deflate-raw", "br", "zstd", "gzip, br", "identity"]


@pytest.mark.parametrize("coding", CODINGS)
def test_a_compressed_body_decodes_to_the_typed_response(
    hw: Harness, web: CodingServer, coding: str
) -> None:
    if "br" in coding and not HAS_BROTLI:
        pytest.importorskip("brotli")
    if coding == "zstd" and not HAS_ZSTD:
        pytest.skip("no zstd decoder installed (backports.zstd)")
    web.always(json.dumps(ENTITY).encode(), coding)
    client = hw.client()
    response = client.get(resource_path="/adAccounts/{id}", path_keys={"id": 1}, access_token=TOKEN)
    assert response.entity == ENTITY
    assert web.last_sent()[0] == _header_value(coding)


@pytest.mark.parametrize("coding", ["gzip", "deflate-zlib", "deflate-raw", "br", "gzip, br"])
def test_a_large_page_decodes_and_the_wire_carries_the_compressed_size(
    hw: Harness, web: CodingServer, coding: str
) -> None:
    if "br" in coding:
        pytest.importorskip("brotli")
    data = json.dumps(PAGE).encode()
    assert len(data) > 100_000
    web.always(data, coding)
    page = hw.client().get_all(resource_path="/adAccounts", access_token=TOKEN)
    assert len(page.elements) == 2000
    assert page.elements[1999] == PAGE["elements"][1999]
    assert page.core_response.body == data
    sent, size, written = web.last_sent()
    assert sent == _header_value(coding)
    assert size == len(_encode(data, coding))
    assert size * 5 < len(data)
    assert size <= written < size + 1000  # the body as compressed, and the head


@pytest.mark.parametrize("prefer", ["gzip", "deflate", "br"])
def test_a_negotiated_coding_is_the_one_on_the_wire(
    hw: Harness, web: CodingServer, prefer: str
) -> None:
    # The server answers in the coding it prefers, if the request accepts it: every
    # adapter asks for gzip and deflate (br with brotli installed).
    if prefer == "br":
        pytest.importorskip("brotli")
    data = json.dumps(PAGE).encode()
    web.negotiate(data, prefer)
    page = hw.client().get_all(resource_path="/adAccounts", access_token=TOKEN)
    assert len(page.elements) == 2000
    sent, size, written = web.last_sent()
    assert sent == prefer
    assert size * 5 < len(data)
    assert written < size + 1000


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize("coding", ["compress", "x-unknown", "gzip, x-unknown", "x-unknown, gzip"])
def test_an_unknown_coding_is_a_transport_error_that_names_it(
    h: Harness, server: LoopbackServer, coding: str
) -> None:
    body = _encode(b'{"a": 1}', "gzip") if coding.startswith("x-unknown, gzip") else b'{"a": 1}'
    server.script(Reply(200, [*JSON, ("Content-Encoding", coding)], body))
    transport = h.transport()
    with pytest.raises(TransportError) as info:
        h.send(transport, _request(server.url + "/v2/r"))
    error = info.value
    assert type(error) is TransportError
    assert error.sent is True
    assert "Content-Encoding" in str(error)
    assert repr(coding) in str(error)
    assert "x-unknown" in str(error) or "compress" in str(error)
    assert TOKEN not in str(error)
    # The connection left with an unread body is not reused: the next call is fine.
    server.script(Reply(200, JSON, b'{"ok": 1}'))
    assert h.send(transport, _request(server.url + "/v2/r")).body == b'{"ok": 1}'


def test_a_client_call_with_an_unknown_coding_fails_with_the_transport_error(
    h: Harness, server: LoopbackServer
) -> None:
    server.script(Reply(200, [*JSON, ("Content-Encoding", "x-snappy")], b"\x00\x01garbage"))
    with pytest.raises(TransportError) as info:
        h.client().get(resource_path="/me", access_token=TOKEN)
    assert not isinstance(info.value, ResponseDecodeError)
    assert "'x-snappy'" in str(info.value)


def test_an_empty_body_in_an_unknown_coding_is_no_error(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(204, [("Content-Encoding", "x-unknown")], b""))
    response = h.send(h.transport(), _request(server.url + "/v2/r"))
    assert response.status_code == 204
    assert response.body == b""


def test_a_br_body_that_is_not_br(h: Harness, server: LoopbackServer) -> None:
    pytest.importorskip("brotli")
    server.script(Reply(200, [*JSON, ("Content-Encoding", "br")], b"this is not brotli data"))
    with pytest.raises(TransportError) as info:
        h.send(h.transport(), _request(server.url + "/v2/r"))
    assert type(info.value) is TransportError


# ----------------------------------------------------------------------------- bombs


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    """256 MiB of zeros as gzip (about 260 KB), and as br and zstd (a few KB at most)
    when their decoders are installed."""
    zeros = bytes(MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(zeros) for _ in range(256)]
    made = {"gzip": b"".join([*parts, compressor.flush()])}
    if HAS_BROTLI:
        made["br"] = pytest.importorskip("brotli").compress(bytes(256 * MiB), quality=5)
    if HAS_ZSTD:
        made["zstd"] = _zstd().compress(bytes(256 * MiB))
    return made


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
def test_a_bomb_stops_at_max_body_size(
    hw: Harness, web: CodingServer, bombs: dict[str, bytes], coding: str
) -> None:
    # urllib3 now asks for gzip (and br, zstd): what it asks for is still held
    # within the limit, as on every adapter.
    if coding not in bombs:
        pytest.skip(f"no {coding} decoder installed")
    bomb = bombs[coding]
    web.answer = lambda _accept: (coding, bomb)
    transport = hw.transport()
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError) as info:
            hw.send(transport, _request(web.url + "/v2/r"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if coding != "zstd":  # httpx asks for zstd only with zstandard, which it decodes with
        assert coding in _accepted(web.received[-1])
    assert info.value.limit == DEFAULT_MAX_BODY_SIZE
    assert peak < 150 * MiB  # the limit, and one read's inflated bytes beyond it


def test_a_small_max_body_size_counts_decoded_bytes(hw: Harness, web: CodingServer) -> None:
    data = json.dumps(PAGE).encode()
    web.always(data, "gzip")
    transport = hw.transport(max_body_size=len(data) - 1)
    with pytest.raises(ResponseTooLargeError):
        hw.send(transport, _request(web.url + "/v2/r"))
    transport = hw.transport(max_body_size=len(data))
    assert hw.send(transport, _request(web.url + "/v2/r")).body == data


# ----------------------------------------------------------------------------- per library


def test_aiohttp_without_auto_decompress_is_decoded_by_the_transport(web: CodingServer) -> None:
    aiohttp = pytest.importorskip("aiohttp")
    import asyncio

    from restli_aiohttp import AiohttpTransport

    data = json.dumps(PAGE).encode()
    web.always(data, "gzip")

    async def main() -> bytes:
        async with aiohttp.ClientSession(auto_decompress=False) as session:
            transport = AiohttpTransport(session)
            response = await transport.send(_request(web.url + "/v2/r"))
            return response.body

    assert asyncio.run(main()) == data


@pytest.mark.parametrize("adapter", ["httpx", "httpx-async"])
def test_httpx_decodes_what_the_transport_cannot(
    adapter: str, web: CodingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # br with a Brotli older than 1.2, or zstd with zstandard alone: the transport's
    # decoder cannot bound them, httpx decodes them (as it reads the socket).
    pytest.importorskip("brotli")
    module = importlib.import_module("restli_httpx._httpx")
    ours = module.content_decoder
    monkeypatch.setattr(module, "content_decoder", lambda r, c: None if c == "br" else ours(r, c))
    data = json.dumps(PAGE).encode()
    web.always(data, "br")
    harness = Harness(adapter, web)  # type: ignore[arg-type]
    try:
        assert harness.send(harness.transport(), _request(web.url + "/v2/r")).body == data
        web.always(data, "x-unknown")  # neither decodes it
        with pytest.raises(TransportError, match="x-unknown"):
            harness.send(harness.transport(), _request(web.url + "/v2/r"))
    finally:
        harness.close_all()


def test_the_decoder_knows_what_is_installed() -> None:
    codings = decodable_codings()
    assert codings[:2] == ("gzip", "deflate")
    assert ("br" in codings) == HAS_BROTLI
    assert ("zstd" in codings) == HAS_ZSTD
    request = _request("http://127.0.0.1/v2/r")
    assert content_decoder(request, "x-unknown") is None
    assert content_decoder(request, ", ".join(["gzip"] * 6)) is None  # too many
    decoder = content_decoder(request, "gzip, gzip")
    assert decoder is not None
    assert b"".join(decoder.decode(gzip.compress(gzip.compress(b"abc")))) == b"abc"


# ----------------------------------------------------------------------------- embedded server


def test_the_embedded_server_gzips_large_json_answers_for_who_accepts_gzip() -> None:
    from restli_core.testing import RestliServer

    server = RestliServer()

    def answer(accept: str | None, count: int = 25) -> Any:
        headers = [("Authorization", "Bearer t"), ("X-RestLi-Protocol-Version", "2.0.0")]
        if accept is not None:
            headers.append(("Accept-Encoding", accept))
        url = f"http://127.0.0.1/v2/adAccounts?count={count}"
        return server.handle(Request("GET", url, Headers(headers), None))

    plain = answer(None)
    assert "Content-Encoding" not in plain.headers
    assert len(plain.body) > 1024
    packed = answer("gzip, deflate, br")
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(packed.body) == plain.body
    for refused in ("identity", "gzip;q=0", "deflate, br", "*;q=0"):
        assert "Content-Encoding" not in answer(refused).headers, refused
    assert answer("*").headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in answer("gzip", count=1).headers  # small: as is
    server.gzip_min_size = None
    assert "Content-Encoding" not in answer("gzip").headers


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_the_embedded_server_answers_compressed_end_to_end(adapter: str) -> None:
    from restli_cli._serve import LoopbackServer as Serve
    from restli_core.testing import RestliServer

    server = RestliServer()
    with Serve(server) as http:
        harness = Harness(adapter, http)  # type: ignore[arg-type]
        try:
            client = harness.client()
            page = client.get_all(
                resource_path="/adAccounts", query_params={"count": 25}, access_token="t"
            )
            assert len(page.elements) == 25
            headers = page.core_response.headers
            assert headers["Content-Encoding"] == "gzip"
            assert int(headers["Content-Length"]) * 3 < len(page.core_response.body)
            one = client.get(
                resource_path="/adAccounts/{id}", path_keys={"id": 1}, access_token="t"
            )
            assert one.entity["id"] == 1
            assert "Content-Encoding" not in one.core_response.headers  # under 1 KiB
        finally:
            harness.close_all()

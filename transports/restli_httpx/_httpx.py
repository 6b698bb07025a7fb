"""The httpx adapter: sync and async transports over ``httpx`` and the ready clients."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from restli_core import (
    AsyncAuthClientBase,
    AsyncRestliClientBase,
    Request,
    Response,
    RestliUsageError,
    SyncAuthClientBase,
    SyncRestliClientBase,
    TransportError,
)
from restli_core.transport import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_TIMEOUT,
    BodyCollector,
    BodyDecoder,
    TimeoutInput,
    cap_timeout,
    coding_error,
    content_decoder,
    deadline_error,
    decodable_codings,
    library_error,
    make_response,
    missing_library,
    normalize_max_body_size,
    normalize_timeout,
    split_url,
    transport_error,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from restli_core.transport import AuthClientOptions, ClientOptions

try:
    import httpx
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the module
    raise ImportError(missing_library("httpx", "httpx")) from exc

__all__ = [
    "AsyncAuthClient",
    "AsyncHttpxTransport",
    "AsyncRestliClient",
    "AuthClient",
    "HttpxTransport",
    "RestliClient",
]

T = TypeVar("T")

#: Requests an async transport sends at once: httpx's default pool size.
DEFAULT_MAX_IN_FLIGHT = 100


def _build(
    client: httpx.Client | httpx.AsyncClient, request: Request, timeout: httpx.Timeout
) -> httpx.Request:
    url = httpx.URL(request.url)
    target = split_url(request.url)[1].encode("ascii") if request.url.isascii() else None
    # httpx drops "." and ".." segments from the path; its documented "target"
    # extension sends the target as given, so the server gets the URL the core built
    # (PROTOCOL.md §8). Only then: httpcore 1.0 also puts it on the CONNECT of a
    # proxy tunnel, which it breaks (the proxy answers 400).
    fix = {"target": target} if target is not None and target != url.raw_path else None
    return client.build_request(
        request.method,
        url,
        headers=request.headers.raw,
        content=request.body,
        timeout=timeout,  # ours, also over a client of the user's
        extensions=fix,
    )


def _response(request: Request, raw: httpx.Response, body: BodyCollector) -> Response:
    # The header bytes as received: the core reads them as every transport does
    # (ISO-8859-1), where httpx would guess UTF-8.
    return make_response(raw.status_code, raw.headers.raw, body.content(), request.url, raw)


def _error(request: Request, exc: Exception, body: BodyCollector) -> TransportError:
    timeout = isinstance(exc, httpx.TimeoutException)
    if timeout and body.remaining(time.monotonic()) == 0:
        return deadline_error(request)
    # ConnectError: the socket never connected (refused, DNS); InvalidURL: never sent.
    never_sent = (httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ConnectError, httpx.InvalidURL)
    sent = not isinstance(exc, (*never_sent, httpx.UnsupportedProtocol))
    return transport_error(request, exc, sent=sent, timeout=timeout)


def _closed(request: Request) -> TransportError:  # httpx would raise a bare RuntimeError
    return transport_error(request, RuntimeError("the httpx client is closed"), sent=False)


def _timeout(timeout: tuple[float, float]) -> httpx.Timeout:
    connect, read = timeout
    # Waiting for a pooled connection counts as connecting; writing as reading.
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


@functools.cache
def _httpx_codings() -> frozenset[str]:
    """The codings httpx itself decodes: those its clients ask for by default
    (``gzip, deflate``, ``br`` with brotli or brotlicffi, ``zstd`` with zstandard)."""
    never = httpx.MockTransport(lambda _: httpx.Response(204))  # no socket, no TLS
    probe = httpx.Client(transport=never, trust_env=False)
    with probe:
        value = probe.headers.get("accept-encoding", "")
    return frozenset(c.strip().lower() for c in value.split(",") if c.strip())


# The body is read as it arrives and decoded 64 KiB at a time (content_decoder: gzip,
# deflate, br with brotli >= 1.2, zstd with backports.zstd), so that the collector
# stops a small gzip inflating to gigabytes, or a server sending a byte now and then,
# between two pieces: httpx would inflate all that one read of the socket brings at
# once (64 KiB of gzip: 64 MiB; of br, gigabytes). httpx decodes only what
# content_decoder cannot: br with an older Brotli, zstd with zstandard alone. A coding
# neither knows is an error (httpx would hand the body on as received). The
# httpx.Response kept as Response.raw has its stream read: no ``content``.
def _decoding(request: Request, raw: httpx.Response) -> BodyDecoder | TransportError | None:
    """Our decoder, or ``None`` when httpx decodes the body, or the error."""
    coding = raw.headers.get("content-encoding")
    decoder = content_decoder(request, coding)
    if decoder is not None or coding_error(request, coding, _httpx_codings()) is None:
        return decoder
    return coding_error(request, coding, {*decodable_codings(), *_httpx_codings()})


def _chunks(request: Request, raw: httpx.Response) -> Iterator[bytes]:
    decoder = _decoding(request, raw)
    if decoder is None:
        yield from raw.iter_bytes()
        return
    for chunk in raw.iter_raw():
        if isinstance(decoder, TransportError):
            if chunk:  # raised once the body is not empty; raw.close() drops it
                raise decoder
        else:
            yield from decoder.decode(chunk)


async def _achunks(request: Request, raw: httpx.Response) -> AsyncIterator[bytes]:
    decoder = _decoding(request, raw)
    if decoder is None:
        async for chunk in raw.aiter_bytes():
            yield chunk
        return
    async for chunk in raw.aiter_raw():
        if isinstance(decoder, TransportError):
            if chunk:
                raise decoder
        else:
            for piece in decoder.decode(chunk):
                yield piece


class HttpxTransport:
    """Sends core :class:`Request` values with an ``httpx.Client``.

    Args:
        client: an ``httpx.Client`` of your own; used as is, never closed here.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        max_body_size: the most bytes of a body read, once decoded (default 64 MiB).
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    ) -> None:
        self._timeouts = normalize_timeout(timeout)
        self._timeout = _timeout(self._timeouts)
        self._max_body_size = normalize_max_body_size(max_body_size)
        self._owns = client is None
        self.client = httpx.Client(timeout=self._timeout) if client is None else client

    def send(self, request: Request) -> Response:
        """Send ``request`` once, with the URL exactly as built.

        Raises:
            TransportError: connection failure (``sent=False`` if never connected).
            TransportTimeout: a timeout, or the request's ``timeout``, expired.
            ResponseTooLargeError: the decoded body is larger than ``max_body_size``.
        """
        started = time.monotonic()
        body = BodyCollector(request, self._max_body_size, started=started)
        client = self.client
        if client.is_closed:
            raise _closed(request)
        left = body.remaining(started)
        # httpx's timeouts bound each wait for data: none may outlast the time left.
        timeout = self._timeout if left is None else _timeout(cap_timeout(self._timeouts, left))
        try:
            raw = client.send(_build(client, request, timeout), stream=True, follow_redirects=False)
            try:
                for chunk in _chunks(request, raw):
                    body.add(chunk, now=time.monotonic())
                body.check_time(time.monotonic())  # a head that took all the time
            finally:
                raw.close()
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # raised below, unchained
            error, cause = _error(request, exc, body), library_error(request, exc)
        else:
            return _response(request, raw, body)
        raise error from cause

    def sleep(self, seconds: float) -> None:
        """Wait between retries."""
        time.sleep(seconds)

    def close(self) -> None:
        """Close the client if this transport created it."""
        if self._owns:
            self.client.close()


class AsyncHttpxTransport:
    """Sends core :class:`Request` values with an ``httpx.AsyncClient``.

    At most ``max_in_flight`` requests are sent at once; the others wait for a
    slot here, not in httpx's pool, where the wait counts against the pool
    timeout (a thousand concurrent calls would fail with ``PoolTimeout``).

    Args:
        client: an ``httpx.AsyncClient`` of your own; used as is, never closed here.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        max_body_size: the most bytes of a body read, once decoded (default 64 MiB).
        max_in_flight: requests sent at once (default 100): the pool size of the
            client this transport creates; with a client of your own, give its
            ``max_connections``.
    """

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    ) -> None:
        self._timeout = _timeout(normalize_timeout(timeout))
        self._max_body_size = normalize_max_body_size(max_body_size)
        if type(max_in_flight) is not int or max_in_flight < 1:
            raise RestliUsageError(f"max_in_flight must be an int >= 1, got {max_in_flight!r}")
        self._slots = asyncio.Semaphore(max_in_flight)
        self._owns = client is None
        if client is None:
            limits = httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=20)
            client = httpx.AsyncClient(timeout=self._timeout, limits=limits)
        self.client = client

    async def send(self, request: Request) -> Response:
        """Send ``request`` once, with the URL exactly as built (see :class:`HttpxTransport`).

        The request's ``timeout`` bounds the whole exchange, the wait for a slot included.
        """
        started = time.monotonic()
        body = BodyCollector(request, self._max_body_size, started=started)
        if self.client.is_closed:
            raise _closed(request)
        if request.timeout is None:
            return await self._send(request, body)
        try:
            return await asyncio.wait_for(self._send(request, body), request.timeout)
        except asyncio.TimeoutError:
            pass  # raised below: the chain holds no library error
        raise deadline_error(request)

    async def _send(self, request: Request, body: BodyCollector) -> Response:
        client = self.client
        async with self._slots:
            try:
                built = _build(client, request, self._timeout)
                raw = await client.send(built, stream=True, follow_redirects=False)
                try:
                    async for chunk in _achunks(request, raw):
                        body.add(chunk, now=time.monotonic())
                finally:
                    await raw.aclose()
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # raised below, unchained
                error, cause = _error(request, exc, body), library_error(request, exc)
            else:
                return _response(request, raw, body)
        raise error from cause

    async def sleep(self, seconds: float) -> None:
        """Wait between retries without blocking the event loop."""
        await asyncio.sleep(seconds)

    def spawn(self, call: Callable[[], Awaitable[T]]) -> asyncio.Future[T]:
        """Start ``call`` now as an asyncio task: how pages and batch chunks run
        at once with ``concurrency=``."""
        return asyncio.ensure_future(call())

    async def aclose(self) -> None:
        """Close the client if this transport created it."""
        if self._owns:
            await self.client.aclose()


class RestliClient(SyncRestliClientBase):
    """A Rest.li client over ``httpx.Client``, with the official client's 14 methods.

    Args:
        client: your own ``httpx.Client`` (never closed by this client).
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        max_body_size: the most bytes of a response body, decoded (default 64 MiB).
        **options: :class:`~restli_core.transport.ClientOptions` (``base_url``, ``retry``...).
    """

    transport: HttpxTransport

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        **options: Unpack[ClientOptions],
    ) -> None:
        transport = HttpxTransport(client, timeout=timeout, max_body_size=max_body_size)
        super().__init__(transport, **options)

    @property
    def client(self) -> httpx.Client:
        """The ``httpx.Client`` used for every call."""
        return self.transport.client


class AsyncRestliClient(AsyncRestliClientBase):
    """An async Rest.li client over ``httpx.AsyncClient``: the 14 methods, awaitable.

    Arguments as :class:`RestliClient`, with ``client`` an ``httpx.AsyncClient``,
    and ``max_in_flight`` as :class:`AsyncHttpxTransport`. Close it with
    ``await client.aclose()`` or ``async with``.
    """

    transport: AsyncHttpxTransport

    def __init__(
        self,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        **options: Unpack[ClientOptions],
    ) -> None:
        transport = AsyncHttpxTransport(
            client, timeout=timeout, max_body_size=max_body_size, max_in_flight=max_in_flight
        )
        super().__init__(transport, **options)

    @property
    def client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` used for every call."""
        return self.transport.client


class AuthClient(SyncAuthClientBase):
    """An OAuth 2.0 client over ``httpx.Client`` (the official ``AuthClient``'s methods).

    Args as the official ``AuthClient`` (``client_id``, ``client_secret``,
    ``redirect_url``), ``client``, ``timeout`` and ``max_body_size`` as
    :class:`RestliClient`, and the :class:`~restli_core.transport.AuthClientOptions`
    (``oauth_base_url``, ``retry``).
    """

    transport: HttpxTransport

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        client: httpx.Client | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        **options: Unpack[AuthClientOptions],
    ) -> None:
        transport = HttpxTransport(client, timeout=timeout, max_body_size=max_body_size)
        super().__init__(client_id, client_secret, redirect_url, transport=transport, **options)

    @property
    def client(self) -> httpx.Client:
        """The ``httpx.Client`` used for every call."""
        return self.transport.client


class AsyncAuthClient(AsyncAuthClientBase):
    """An async OAuth 2.0 client over ``httpx.AsyncClient``.

    Arguments as :class:`AuthClient`, with ``client`` an ``httpx.AsyncClient``, and
    ``max_in_flight`` as :class:`AsyncHttpxTransport`.
    """

    transport: AsyncHttpxTransport

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        **options: Unpack[AuthClientOptions],
    ) -> None:
        transport = AsyncHttpxTransport(
            client, timeout=timeout, max_body_size=max_body_size, max_in_flight=max_in_flight
        )
        super().__init__(client_id, client_secret, redirect_url, transport=transport, **options)

    @property
    def client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` used for every call."""
        return self.transport.client

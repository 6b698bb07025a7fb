"""The httpx adapter: sync and async transports over ``httpx`` and the ready clients."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from restli_core import (
    AsyncAuthClientBase,
    AsyncRestliClientBase,
    Request,
    Response,
    SyncAuthClientBase,
    SyncRestliClientBase,
    TransportError,
)
from restli_core.transport import (
    DEFAULT_TIMEOUT,
    TimeoutInput,
    make_response,
    missing_library,
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


def _response(request: Request, raw: httpx.Response) -> Response:
    # The header bytes as received: the core reads them as every transport does
    # (ISO-8859-1), where httpx would guess UTF-8.
    return make_response(raw.status_code, raw.headers.raw, raw.content, request.url, raw)


def _error(request: Request, exc: Exception) -> TransportError:
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return transport_error(request, exc, sent=False, timeout=True)
    if isinstance(exc, httpx.TimeoutException):
        return transport_error(request, exc, timeout=True)
    # ConnectError: the socket never connected (refused, DNS); InvalidURL: never sent.
    never_sent = isinstance(exc, (httpx.ConnectError, httpx.InvalidURL, httpx.UnsupportedProtocol))
    return transport_error(request, exc, sent=not never_sent)


def _closed(request: Request) -> TransportError:  # httpx would raise a bare RuntimeError
    return transport_error(request, RuntimeError("the httpx client is closed"), sent=False)


def _timeout(timeout: TimeoutInput) -> httpx.Timeout:
    connect, read = normalize_timeout(timeout)
    # Waiting for a pooled connection counts as connecting; writing as reading.
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


class HttpxTransport:
    """Sends core :class:`Request` values with an ``httpx.Client``.

    Args:
        client: an ``httpx.Client`` of your own; used as is, never closed here.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
    """

    def __init__(
        self, client: httpx.Client | None = None, *, timeout: TimeoutInput = DEFAULT_TIMEOUT
    ) -> None:
        self._timeout = _timeout(timeout)
        self._owns = client is None
        self.client = httpx.Client(timeout=self._timeout) if client is None else client

    def send(self, request: Request) -> Response:
        """Send ``request`` once, with the URL exactly as built.

        Raises:
            TransportError: connection failure (``sent=False`` if never connected).
            TransportTimeout: a timeout expired.
        """
        client = self.client
        if client.is_closed:
            raise _closed(request)
        try:
            built = _build(client, request, self._timeout)
            raw = client.send(built, follow_redirects=False)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise _error(request, exc) from exc
        return _response(request, raw)

    def sleep(self, seconds: float) -> None:
        """Wait between retries."""
        time.sleep(seconds)

    def close(self) -> None:
        """Close the client if this transport created it."""
        if self._owns:
            self.client.close()


class AsyncHttpxTransport:
    """Sends core :class:`Request` values with an ``httpx.AsyncClient``.

    Args:
        client: an ``httpx.AsyncClient`` of your own; used as is, never closed here.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
    """

    def __init__(
        self, client: httpx.AsyncClient | None = None, *, timeout: TimeoutInput = DEFAULT_TIMEOUT
    ) -> None:
        self._timeout = _timeout(timeout)
        self._owns = client is None
        self.client = httpx.AsyncClient(timeout=self._timeout) if client is None else client

    async def send(self, request: Request) -> Response:
        """Send ``request`` once, with the URL exactly as built (see :class:`HttpxTransport`)."""
        client = self.client
        if client.is_closed:
            raise _closed(request)
        try:
            built = _build(client, request, self._timeout)
            raw = await client.send(built, follow_redirects=False)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise _error(request, exc) from exc
        return _response(request, raw)

    async def sleep(self, seconds: float) -> None:
        """Wait between retries without blocking the event loop."""
        await asyncio.sleep(seconds)

    async def aclose(self) -> None:
        """Close the client if this transport created it."""
        if self._owns:
            await self.client.aclose()


class RestliClient(SyncRestliClientBase):
    """A Rest.li client over ``httpx.Client``, with the official client's 14 methods.

    Args:
        client: your own ``httpx.Client`` (never closed by this client).
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        **options: :class:`~restli_core.transport.ClientOptions` (``base_url``, ``retry``...).
    """

    transport: HttpxTransport

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(HttpxTransport(client, timeout=timeout), **options)

    @property
    def client(self) -> httpx.Client:
        """The ``httpx.Client`` used for every call."""
        return self.transport.client


class AsyncRestliClient(AsyncRestliClientBase):
    """An async Rest.li client over ``httpx.AsyncClient``: the 14 methods, awaitable.

    Arguments as :class:`RestliClient`, with ``client`` an ``httpx.AsyncClient``.
    Close it with ``await client.aclose()`` or ``async with``.
    """

    transport: AsyncHttpxTransport

    def __init__(
        self,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(AsyncHttpxTransport(client, timeout=timeout), **options)

    @property
    def client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` used for every call."""
        return self.transport.client


class AuthClient(SyncAuthClientBase):
    """An OAuth 2.0 client over ``httpx.Client`` (the official ``AuthClient``'s methods).

    Args as the official ``AuthClient`` (``client_id``, ``client_secret``,
    ``redirect_url``), ``client`` and ``timeout`` as :class:`RestliClient`, and the
    :class:`~restli_core.transport.AuthClientOptions` (``oauth_base_url``, ``retry``).
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
        **options: Unpack[AuthClientOptions],
    ) -> None:
        transport = HttpxTransport(client, timeout=timeout)
        super().__init__(client_id, client_secret, redirect_url, transport=transport, **options)

    @property
    def client(self) -> httpx.Client:
        """The ``httpx.Client`` used for every call."""
        return self.transport.client


class AsyncAuthClient(AsyncAuthClientBase):
    """An async OAuth 2.0 client over ``httpx.AsyncClient``.

    Arguments as :class:`AuthClient`, with ``client`` an ``httpx.AsyncClient``.
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
        **options: Unpack[AuthClientOptions],
    ) -> None:
        transport = AsyncHttpxTransport(client, timeout=timeout)
        super().__init__(client_id, client_secret, redirect_url, transport=transport, **options)

    @property
    def client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` used for every call."""
        return self.transport.client

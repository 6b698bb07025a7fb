"""The httpx adapter: sync and async transports over ``httpx`` and the ready clients."""

from __future__ import annotations

import asyncio
import time

from restli_core._client import (
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    AsyncAuthClientBase,
    AsyncRestliClientBase,
    SyncAuthClientBase,
    SyncRestliClientBase,
    TimeoutInput,
    missing_library,
    normalize_timeout,
    transport_error,
)
from restli_core._errors import TransportError
from restli_core._messages import Request, Response, make_response
from restli_core._retry import RetryPolicy
from restli_core._wire import DEFAULT_BASE_URL, DEFAULT_VERSIONED_BASE_URL, OAUTH_BASE_URL

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


def _timeout(timeout: TimeoutInput) -> httpx.Timeout:
    connect, read = normalize_timeout(timeout)
    # Waiting for a pooled connection counts as connecting; writing as reading.
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


def _url(url: str) -> httpx.URL:
    """``url`` as an httpx.URL whose request target is exactly ``url``'s."""
    parsed = httpx.URL(url)
    start = url.find("/", url.find("//") + 2)
    target = url[start:] if start >= 0 else "/"
    if url.isascii() and parsed.raw_path != target.encode("ascii"):
        # httpx normalises the path ("/a/../b" becomes "/b"); the server must get the
        # target the core built, byte for byte (PROTOCOL.md §8). httpx offers no public
        # way to set a raw target, so we replace the parsed path and query.
        path, sep, query = target.partition("?")
        parsed._uri_reference = parsed._uri_reference._replace(
            path=path, query=query if sep else None
        )
    return parsed


def _error(request: Request, exc: Exception) -> TransportError:
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return transport_error(request, exc, sent=False, timeout=True)
    if isinstance(exc, httpx.TimeoutException):
        return transport_error(request, exc, timeout=True)
    # ConnectError: the socket never connected (refused, DNS); InvalidURL: never sent.
    never_sent = isinstance(exc, (httpx.ConnectError, httpx.InvalidURL, httpx.UnsupportedProtocol))
    return transport_error(request, exc, sent=not never_sent)


def _build(
    client: httpx.Client | httpx.AsyncClient, request: Request, timeout: httpx.Timeout
) -> httpx.Request:
    return client.build_request(
        request.method,
        _url(request.url),
        headers=request.headers.raw,
        content=request.body,
        timeout=timeout,
    )


def _response(request: Request, raw: httpx.Response) -> Response:
    return make_response(raw.status_code, raw.headers.multi_items(), raw.content, request.url, raw)


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
        if client.is_closed:  # httpx would raise a bare RuntimeError
            raise transport_error(request, RuntimeError("the httpx client is closed"), sent=False)
        try:
            raw = client.send(_build(client, request, self._timeout), follow_redirects=False)
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
        """Send ``request`` once, with the URL exactly as built.

        Raises:
            TransportError: connection failure (``sent=False`` if never connected).
            TransportTimeout: a timeout expired.
        """
        client = self.client
        if client.is_closed:  # httpx would raise a bare RuntimeError
            raise transport_error(request, RuntimeError("the httpx client is closed"), sent=False)
        try:
            raw = await client.send(_build(client, request, self._timeout), follow_redirects=False)
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
        base_url: base URL of unversioned calls.
        versioned_base_url: base URL of versioned calls.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        retry: a :class:`~restli_core.RetryPolicy`, or ``None`` for no retries.
        raise_for_status: raise a ``ResponseError`` for a non-2xx status (default).
        version_string: ``LinkedIn-Version`` used when a call passes none.
        user_agent: text appended to the ``User-Agent`` header.
    """

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        base_url: str = DEFAULT_BASE_URL,
        versioned_base_url: str = DEFAULT_VERSIONED_BASE_URL,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        raise_for_status: bool = True,
        version_string: str | None = None,
        user_agent: str | None = None,
    ) -> None:
        super().__init__(
            HttpxTransport(client, timeout=timeout),
            base_url=base_url,
            versioned_base_url=versioned_base_url,
            retry=retry,
            raise_for_status=raise_for_status,
            version_string=version_string,
            user_agent=user_agent,
        )

    @property
    def client(self) -> httpx.Client:
        """The ``httpx.Client`` used for every call."""
        return self.transport.client


class AsyncRestliClient(AsyncRestliClientBase):
    """An async Rest.li client over ``httpx.AsyncClient``: the 14 methods, awaitable.

    Arguments as :class:`RestliClient`, with ``client`` an ``httpx.AsyncClient``.
    Close it with ``await client.aclose()`` or ``async with``.
    """

    def __init__(
        self,
        *,
        client: httpx.AsyncClient | None = None,
        base_url: str = DEFAULT_BASE_URL,
        versioned_base_url: str = DEFAULT_VERSIONED_BASE_URL,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        raise_for_status: bool = True,
        version_string: str | None = None,
        user_agent: str | None = None,
    ) -> None:
        super().__init__(
            AsyncHttpxTransport(client, timeout=timeout),
            base_url=base_url,
            versioned_base_url=versioned_base_url,
            retry=retry,
            raise_for_status=raise_for_status,
            version_string=version_string,
            user_agent=user_agent,
        )

    @property
    def client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` used for every call."""
        return self.transport.client


class AuthClient(SyncAuthClientBase):
    """An OAuth 2.0 client over ``httpx.Client`` (the official ``AuthClient``'s methods).

    Args:
        client_id: the application's client id.
        client_secret: the application's client secret.
        redirect_url: the redirect URL of the 3-legged flow.
        client: your own ``httpx.Client`` (never closed by this client).
        oauth_base_url: the OAuth server (default LinkedIn's).
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        retry: a :class:`~restli_core.RetryPolicy`, or ``None`` for no retries.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        client: httpx.Client | None = None,
        oauth_base_url: str = OAUTH_BASE_URL,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = DEFAULT_RETRY,
    ) -> None:
        super().__init__(
            client_id,
            client_secret,
            redirect_url,
            oauth_base_url=oauth_base_url,
            retry=retry,
            transport=HttpxTransport(client, timeout=timeout),
        )

    @property
    def client(self) -> httpx.Client:
        """The ``httpx.Client`` used for every call."""
        return self.transport.client


class AsyncAuthClient(AsyncAuthClientBase):
    """An async OAuth 2.0 client over ``httpx.AsyncClient``.

    Arguments as :class:`AuthClient`, with ``client`` an ``httpx.AsyncClient``.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        oauth_base_url: str = OAUTH_BASE_URL,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = DEFAULT_RETRY,
    ) -> None:
        super().__init__(
            client_id,
            client_secret,
            redirect_url,
            oauth_base_url=oauth_base_url,
            retry=retry,
            transport=AsyncHttpxTransport(client, timeout=timeout),
        )

    @property
    def client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` used for every call."""
        return self.transport.client

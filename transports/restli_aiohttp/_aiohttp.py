"""The aiohttp adapter: an async transport over ``aiohttp.ClientSession`` and the clients."""

from __future__ import annotations

import asyncio

from restli_core._client import (
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    AsyncAuthClientBase,
    AsyncRestliClientBase,
    TimeoutInput,
    missing_library,
    normalize_timeout,
    transport_error,
)
from restli_core._messages import Request, Response, make_response
from restli_core._retry import RetryPolicy
from restli_core._wire import (
    DEFAULT_BASE_URL,
    DEFAULT_VERSIONED_BASE_URL,
    H_CONTENT_TYPE,
    OAUTH_BASE_URL,
)

try:
    import aiohttp
    import yarl
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the module
    raise ImportError(missing_library("aiohttp", "aiohttp")) from exc

__all__ = ["AiohttpTransport", "AsyncAuthClient", "AsyncRestliClient"]

# aiohttp labels a bytes body "application/octet-stream" unless told otherwise; a
# request goes out with exactly the headers the core built.
_NO_AUTO_CONTENT_TYPE = frozenset({H_CONTENT_TYPE})


class AiohttpTransport:
    """Sends core :class:`Request` values with an ``aiohttp.ClientSession``.

    The session is created on first use, inside the running event loop (aiohttp
    binds a session to its loop).

    Args:
        session: a ``ClientSession`` of your own; used as is, never closed here.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s): the
            time to connect, and the longest wait for data while reading.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession | None = None,
        *,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
    ) -> None:
        connect, read = normalize_timeout(timeout)
        self._timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)
        self._owns = session is None
        self._session = session

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session (``None`` until the first call when the transport creates it)."""
        return self._session

    def _open(self) -> aiohttp.ClientSession:
        self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def send(self, request: Request) -> Response:
        """Send ``request`` once, with the URL exactly as built.

        Raises:
            TransportError: connection failure (``sent=False`` if never connected).
            TransportTimeout: the connect or read timeout expired.
        """
        session = self._session or self._open()
        if session.closed:  # aiohttp would raise a bare RuntimeError
            raise transport_error(
                request, RuntimeError("the aiohttp session is closed"), sent=False
            )
        body = request.body
        try:
            # encoded=True: yarl takes the URL as already encoded and sends it as is
            # (PROTOCOL.md §8: "''" must not become "%27%27").
            raw = await session.request(
                request.method,
                yarl.URL(request.url, encoded=True),
                data=body,
                headers=request.headers.raw,
                timeout=self._timeout,
                allow_redirects=False,
                skip_auto_headers=(
                    _NO_AUTO_CONTENT_TYPE
                    if body is not None and H_CONTENT_TYPE not in request.headers
                    else None
                ),
            )
            # read() waits until the connection is back in the pool (and closes the
            # response itself if reading fails); release() covers everything else.
            # No ``async with``: its two context managers cost four coroutines a call.
            try:
                content = await raw.read()
            finally:
                raw.release()
        except aiohttp.ConnectionTimeoutError as exc:
            raise transport_error(request, exc, sent=False, timeout=True) from exc
        except asyncio.TimeoutError as exc:  # ServerTimeoutError (read) is one too
            raise transport_error(request, exc, timeout=True) from exc
        except aiohttp.ClientConnectorError as exc:  # refused, unreachable, DNS, TLS
            raise transport_error(request, exc, sent=False) from exc
        except aiohttp.ClientError as exc:
            raise transport_error(request, exc) from exc
        return make_response(raw.status, raw.headers.items(), content, request.url, raw)

    async def sleep(self, seconds: float) -> None:
        """Wait between retries without blocking the event loop."""
        await asyncio.sleep(seconds)

    async def aclose(self) -> None:
        """Close the session if this transport created it."""
        if self._owns and self._session is not None:
            session, self._session = self._session, None
            await session.close()


class AsyncRestliClient(AsyncRestliClientBase):
    """An async Rest.li client over aiohttp: the official client's 14 methods, awaitable.

    Args:
        session: your own ``aiohttp.ClientSession`` (never closed by the client).
        base_url: base URL of unversioned calls.
        versioned_base_url: base URL of versioned calls.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        retry: a :class:`~restli_core.RetryPolicy`, or ``None`` for no retries.
        raise_for_status: raise a ``ResponseError`` for a non-2xx status (default).
        version_string: ``LinkedIn-Version`` used when a call passes none.
        user_agent: text appended to the ``User-Agent`` header.

    Close it with ``await client.aclose()`` or use ``async with``.
    """

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        base_url: str = DEFAULT_BASE_URL,
        versioned_base_url: str = DEFAULT_VERSIONED_BASE_URL,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        raise_for_status: bool = True,
        version_string: str | None = None,
        user_agent: str | None = None,
    ) -> None:
        super().__init__(
            AiohttpTransport(session, timeout=timeout),
            base_url=base_url,
            versioned_base_url=versioned_base_url,
            retry=retry,
            raise_for_status=raise_for_status,
            version_string=version_string,
            user_agent=user_agent,
        )

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The ``aiohttp.ClientSession`` (``None`` until the first call if not given)."""
        return self.transport.session


class AsyncAuthClient(AsyncAuthClientBase):
    """An async OAuth 2.0 client over aiohttp (the official ``AuthClient``'s methods).

    Args:
        client_id: the application's client id.
        client_secret: the application's client secret.
        redirect_url: the redirect URL of the 3-legged flow.
        session: your own ``aiohttp.ClientSession`` (never closed by the client).
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
        session: aiohttp.ClientSession | None = None,
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
            transport=AiohttpTransport(session, timeout=timeout),
        )

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The ``aiohttp.ClientSession`` (``None`` until the first call if not given)."""
        return self.transport.session

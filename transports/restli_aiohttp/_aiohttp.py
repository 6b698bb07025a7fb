"""The aiohttp adapter: an async transport over ``aiohttp.ClientSession`` and the clients."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from restli_core import AsyncAuthClientBase, AsyncRestliClientBase, Request, Response
from restli_core.transport import (
    DEFAULT_TIMEOUT,
    TimeoutInput,
    make_response,
    missing_library,
    normalize_timeout,
    transport_error,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from restli_core.transport import AuthClientOptions, ClientOptions

try:
    import aiohttp
    import yarl
    from aiohttp.hdrs import CONTENT_TYPE
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the module
    raise ImportError(missing_library("aiohttp", "aiohttp")) from exc

__all__ = ["AiohttpTransport", "AsyncAuthClient", "AsyncRestliClient"]

# aiohttp labels a bytes body "application/octet-stream" unless told otherwise; a
# request goes out with exactly the headers the core built.
_NO_AUTO_CONTENT_TYPE = frozenset({CONTENT_TYPE})


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
                    if body is not None and CONTENT_TYPE not in request.headers
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
        # The header bytes as received: the core reads them as every transport does
        # (ISO-8859-1), where aiohttp decodes UTF-8.
        return make_response(raw.status, raw.raw_headers, content, request.url, raw)

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
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        **options: :class:`~restli_core.transport.ClientOptions` (``base_url``, ``retry``...).

    Close it with ``await client.aclose()`` or use ``async with``.
    """

    transport: AiohttpTransport

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(AiohttpTransport(session, timeout=timeout), **options)

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The ``aiohttp.ClientSession`` (``None`` until the first call if not given)."""
        return self.transport.session


class AsyncAuthClient(AsyncAuthClientBase):
    """An async OAuth 2.0 client over aiohttp (the official ``AuthClient``'s methods).

    Args as the official ``AuthClient`` (``client_id``, ``client_secret``,
    ``redirect_url``), ``session`` and ``timeout`` as :class:`AsyncRestliClient`, and
    the :class:`~restli_core.transport.AuthClientOptions` (``oauth_base_url``, ``retry``).
    """

    transport: AiohttpTransport

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        **options: Unpack[AuthClientOptions],
    ) -> None:
        transport = AiohttpTransport(session, timeout=timeout)
        super().__init__(client_id, client_secret, redirect_url, transport=transport, **options)

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The ``aiohttp.ClientSession`` (``None`` until the first call if not given)."""
        return self.transport.session

"""The aiohttp adapter: an async transport over ``aiohttp.ClientSession`` and the clients."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from restli_core import AsyncAuthClientBase, AsyncRestliClientBase, Request, Response
from restli_core.transport import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_TIMEOUT,
    BodyCollector,
    BodyDecoder,
    TimeoutInput,
    TransportError,
    coding_error,
    content_decoder,
    deadline_error,
    decodable_codings,
    library_error,
    make_response,
    missing_library,
    normalize_max_body_size,
    normalize_timeout,
    transport_error,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from restli_core.transport import AuthClientOptions, ClientOptions

try:
    import aiohttp
    import yarl
    from aiohttp.hdrs import CONTENT_ENCODING, CONTENT_TYPE
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the module
    raise ImportError(missing_library("aiohttp", "aiohttp")) from exc

__all__ = ["AiohttpTransport", "AsyncAuthClient", "AsyncRestliClient", "send_once"]

T = TypeVar("T")

# aiohttp labels a bytes body "application/octet-stream" unless told otherwise; a
# request goes out with exactly the headers the core built.
_NO_AUTO_CONTENT_TYPE = frozenset({CONTENT_TYPE})
# The codings aiohttp decodes (the one a body names, alone): it asks for them by
# default ("gzip, deflate", and "br" and "zstd" when their decoders are installed),
# and raises its own error for br or zstd without their decoder.
_AIOHTTP_CODINGS = frozenset({"gzip", "deflate", "br", "zstd"})


class _NotSentAgain(aiohttp.ClientConnectionError):
    """Carries a failure past aiohttp's own resend (see :func:`send_once`)."""

    def __init__(self, error: aiohttp.ClientError) -> None:
        super().__init__(str(error))
        self.error = error


async def send_once(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    """An aiohttp client middleware: a request is sent once, never again by aiohttp.

    aiohttp sends a GET, HEAD, PUT or DELETE a second time when the connection fails
    before the answer (``ServerDisconnectedError``, ``ClientOSError``), and has no
    public switch to stop it (aio-libs/aiohttp#10790). Sending again is the
    core's :class:`~restli_core.RetryPolicy`'s decision alone (``retry=None``: once),
    so this middleware hands such a failure on as an error aiohttp does not resend.
    The transport's own session has it; add it to a session of your own
    (``ClientSession(middlewares=[send_once])``, aiohttp 3.12 or later).
    """
    try:
        return await handler(request)
    except aiohttp.ClientConnectorError:  # never connected: aiohttp does not resend it
        raise
    except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError) as exc:
        raise _NotSentAgain(exc) from exc


# Client middlewares came with aiohttp 3.12; before, nothing public stops the resend.
_MIDDLEWARES: dict[str, Any] = (
    {"middlewares": (send_once,)} if hasattr(aiohttp, "ClientHandlerType") else {}
)


def _error(request: Request, exc: BaseException, body: BodyCollector) -> TransportError:
    timeout = isinstance(exc, asyncio.TimeoutError)  # ServerTimeoutError (read) is one too
    if timeout and body.remaining(time.monotonic()) == 0:  # ClientTimeout(total=...)
        return deadline_error(request)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return transport_error(request, exc, sent=False, timeout=True)
    # ClientConnectorError: refused, unreachable, DNS, TLS
    sent = not isinstance(exc, aiohttp.ClientConnectorError)
    return transport_error(request, exc, sent=sent, timeout=timeout)


def _decoder(
    request: Request, session: aiohttp.ClientSession, coding: str | None
) -> BodyDecoder | TransportError | None:
    """``None`` when aiohttp decodes the body (or it has no coding), else our decoder
    or, for a coding neither knows, the error raised once the body is not empty.

    aiohttp hands on as received a body with several codings (``gzip, br``), or an
    ``x-gzip`` one, or any, from a session made with ``auto_decompress=False``.
    """
    if coding is None or coding.lower() == "identity":
        return None
    if coding.lower() in _AIOHTTP_CODINGS and getattr(session, "auto_decompress", True):
        return None
    decoder = content_decoder(request, coding)
    return decoder or coding_error(request, coding, decodable_codings())


class AiohttpTransport:
    """Sends core :class:`Request` values with an ``aiohttp.ClientSession``.

    The session is created on first use, inside the running event loop (aiohttp
    binds a session to its loop).

    Args:
        session: a ``ClientSession`` of your own; used as is, never closed here.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s): the
            time to connect, and the longest wait for data while reading.
        max_body_size: the most bytes of a body read, once decoded (default 64 MiB).

    The body is read from the response's stream: the ``aiohttp.ClientResponse``
    kept as :attr:`Response.raw <restli_core.Response.raw>` has it read already.
    aiohttp asks for gzip and deflate (br with ``brotli``, zstd with
    ``backports.zstd``) unless the request or session has an ``Accept-Encoding`` of
    its own, and decodes the body within ``max_body_size``; what it hands on still
    encoded (several codings, ``x-gzip``, a session with ``auto_decompress=False``)
    is decoded here (:func:`~restli_core.transport.content_decoder`), and a coding
    neither decodes ends in a :class:`TransportError`.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession | None = None,
        *,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    ) -> None:
        self._connect, self._read = normalize_timeout(timeout)
        self._timeout = aiohttp.ClientTimeout(sock_connect=self._connect, sock_read=self._read)
        self._max_body_size = normalize_max_body_size(max_body_size)
        self._owns = session is None
        self._session = session

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session (``None`` until the first call when the transport creates it)."""
        return self._session

    def _open(self) -> aiohttp.ClientSession:
        self._session = aiohttp.ClientSession(timeout=self._timeout, **_MIDDLEWARES)
        return self._session

    async def send(self, request: Request) -> Response:
        """Send ``request`` once, with the URL exactly as built.

        Raises:
            TransportError: connection failure (``sent=False`` if never connected).
            TransportTimeout: the connect or read timeout, or the request's
                ``timeout``, expired.
            ResponseTooLargeError: the decoded body is larger than ``max_body_size``.
        """
        body = BodyCollector(request, self._max_body_size, started=time.monotonic())
        session = self._session or self._open()
        if session.closed:  # aiohttp would raise a bare RuntimeError
            raise transport_error(
                request, RuntimeError("the aiohttp session is closed"), sent=False
            )
        data = request.body
        timeout = self._timeout
        if request.timeout is not None:  # the whole exchange, from connecting to the body
            timeout = aiohttp.ClientTimeout(
                total=request.timeout, sock_connect=self._connect, sock_read=self._read
            )
        try:
            # encoded=True: yarl takes the URL as already encoded and sends it as is
            # (PROTOCOL.md §8: "''" must not become "%27%27").
            raw = await session.request(
                request.method,
                yarl.URL(request.url, encoded=True),
                data=data,
                headers=request.headers.raw,
                timeout=timeout,
                allow_redirects=False,
                skip_auto_headers=(
                    _NO_AUTO_CONTENT_TYPE
                    if data is not None and CONTENT_TYPE not in request.headers
                    else None
                ),
            )
            # Read as aiohttp decodes it (within 64 KiB a read, gzip included), so
            # that the collector stops a body that grows past max_body_size. No
            # ``async with``: its two context managers cost four coroutines a call.
            decoder = _decoder(request, session, raw.headers.get(CONTENT_ENCODING))
            try:
                async for chunk in raw.content.iter_any():
                    if decoder is None:
                        body.add(chunk, now=time.monotonic())
                    elif isinstance(decoder, TransportError):
                        raise decoder
                    else:
                        for piece in decoder.decode(chunk):
                            body.add(piece, now=time.monotonic())
            except BaseException:
                raw.close()  # a connection left halfway through a body is not reused
                raise
            raw.release()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:  # raised below, unchained
            failure = exc.error if isinstance(exc, _NotSentAgain) else exc
            error, cause = _error(request, failure, body), library_error(request, failure)
        else:
            # The header bytes as received: the core reads them as every transport
            # does (ISO-8859-1), where aiohttp decodes UTF-8.
            return make_response(raw.status, raw.raw_headers, body.content(), request.url, raw)
        raise error from cause

    async def sleep(self, seconds: float) -> None:
        """Wait between retries without blocking the event loop."""
        await asyncio.sleep(seconds)

    def spawn(self, call: Callable[[], Awaitable[T]]) -> asyncio.Future[T]:
        """Start ``call`` now as an asyncio task: how pages and batch chunks run
        at once with ``concurrency=``."""
        return asyncio.ensure_future(call())

    async def aclose(self) -> None:
        """Close the session if this transport created it."""
        if self._owns and self._session is not None:
            session, self._session = self._session, None
            await session.close()


class AsyncRestliClient(AsyncRestliClientBase):
    """An async Rest.li client over aiohttp: the official client's 14 methods, awaitable.

    Args:
        session: your own ``aiohttp.ClientSession`` (never closed by the client; give
            it the :func:`send_once` middleware).
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        max_body_size: the most bytes of a response body, decoded (default 64 MiB).
        **options: :class:`~restli_core.transport.ClientOptions` (``base_url``, ``retry``...).

    Close it with ``await client.aclose()`` or use ``async with``.
    """

    transport: AiohttpTransport

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        **options: Unpack[ClientOptions],
    ) -> None:
        transport = AiohttpTransport(session, timeout=timeout, max_body_size=max_body_size)
        super().__init__(transport, **options)

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The ``aiohttp.ClientSession`` (``None`` until the first call if not given)."""
        return self.transport.session


class AsyncAuthClient(AsyncAuthClientBase):
    """An async OAuth 2.0 client over aiohttp (the official ``AuthClient``'s methods).

    Args as the official ``AuthClient`` (``client_id``, ``client_secret``,
    ``redirect_url``), ``session``, ``timeout`` and ``max_body_size`` as
    :class:`AsyncRestliClient`, and the :class:`~restli_core.transport.AuthClientOptions`
    (``oauth_base_url``, ``retry``).
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
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        **options: Unpack[AuthClientOptions],
    ) -> None:
        transport = AiohttpTransport(session, timeout=timeout, max_body_size=max_body_size)
        super().__init__(client_id, client_secret, redirect_url, transport=transport, **options)

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The ``aiohttp.ClientSession`` (``None`` until the first call if not given)."""
        return self.transport.session

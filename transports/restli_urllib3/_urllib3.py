"""The urllib3 adapter: a transport over ``urllib3.PoolManager`` and the ready clients."""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from restli_core import Request, Response, SyncAuthClientBase, SyncRestliClientBase
from restli_core.transport import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_TIMEOUT,
    BodyCollector,
    TimeoutInput,
    TransportError,
    cap_timeout,
    coding_error,
    deadline_error,
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
    import urllib3
    from urllib3.exceptions import (
        ClosedPoolError,
        ConnectTimeoutError,
        EmptyPoolError,
        HTTPError,
        LocationValueError,
        NewConnectionError,
        SSLError,
    )
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the module
    raise ImportError(missing_library("urllib3", "urllib3")) from exc

__all__ = ["AuthClient", "RestliClient", "Urllib3Transport"]

# Retrying is the core's job (RetryPolicy), so urllib3 raises every failure at once;
# redirects are not followed, so a bearer token is never replayed elsewhere. Built
# once: urllib3 would otherwise make a Retry object per request.
_NO_RETRIES = urllib3.Retry(total=False, redirect=False, raise_on_redirect=False)
# Failures before any byte left: refused, unreachable, DNS, bad origin, no free slot.
_NEVER_SENT = (NewConnectionError, EmptyPoolError, ClosedPoolError, LocationValueError)
_CHUNK = 64 * 1024  # decoded bytes read at a time
# What urllib3 decodes, as it lists it for Accept-Encoding ("gzip,deflate", and "br"
# and "zstd" when their decoders are installed): asked for when the request does
# not ask for codings of its own (http.client would send "identity").
_ACCEPT_ENCODING = urllib3.util.make_headers(accept_encoding=True)["accept-encoding"]
_DECODES = (*_ACCEPT_ENCODING.split(","), "x-gzip")
#: Connections kept per origin by the transport's own ``PoolManager`` (urllib3 keeps
#: one): enough for the threads of ``concurrency=`` (as requests' default, 10).
POOL_SIZE = 10


def _never_sent(exc: HTTPError) -> bool:
    cause = exc.args[0] if isinstance(exc, SSLError) and exc.args else None
    # A certificate is checked in the TLS handshake, before any request byte.
    return isinstance(exc, _NEVER_SENT) or isinstance(cause, ssl.CertificateError)


def _error(request: Request, exc: HTTPError, body: BodyCollector) -> TransportError:
    if isinstance(exc, ConnectTimeoutError):  # NewConnectionError (refused) is one too
        timeout, sent = not isinstance(exc, NewConnectionError), False
    else:
        timeout, sent = isinstance(exc, urllib3.exceptions.TimeoutError), not _never_sent(exc)
    if timeout and body.remaining(time.monotonic()) == 0:
        return deadline_error(request)
    return transport_error(request, exc, sent=sent, timeout=timeout)


def _chunks(raw: urllib3.BaseHTTPResponse, decode: bool = True) -> Iterator[bytes]:
    # read1 returns what one read of the socket brings, decoded within _CHUNK bytes
    # (urllib3 >= 2.6 inflates no further than asked), where stream() waits for
    # _CHUNK bytes: a server sending a byte now and then, or a small gzip inflating
    # to gigabytes, is stopped by the collector between two reads.
    if not hasattr(raw, "read1"):  # pragma: no cover - urllib3 < 2.3
        yield from raw.stream(_CHUNK, decode_content=decode)
        return
    while chunk := raw.read1(_CHUNK, decode_content=decode):
        yield chunk


def _read(request: Request, raw: urllib3.BaseHTTPResponse, body: BodyCollector) -> bytes:
    # urllib3 hands a body in a coding it does not know on as received (and tries
    # the others of a list holding one it knows): read as is, it is an error once
    # not empty.
    coding = raw.headers.get("content-encoding")
    error = None if coding is None else coding_error(request, coding, _DECODES)
    try:
        for chunk in _chunks(raw, decode=error is None):
            if error is not None:
                raise error
            body.add(chunk, now=time.monotonic())
        body.check_time(time.monotonic())  # a head that took all the time
    except BaseException:
        raw.close()  # a connection left halfway through a body is not reused
        raw.release_conn()
        raise
    return body.content()


class Urllib3Transport:
    """Sends core :class:`Request` values with a ``urllib3.PoolManager``.

    Each request goes through ``urlopen`` of the manager's pool for its origin, with
    the request target as the core built it. A ``ProxyManager`` forwarding plain
    ``http`` is the exception: urllib3 writes the absolute URL, and drops ``.`` and
    ``..`` segments from it.

    A request with no ``Accept-Encoding`` of its own asks for the codings urllib3
    decodes (``urllib3.util.make_headers(accept_encoding=True)``: gzip and deflate,
    br with ``brotli``, zstd with ``backports.zstd``); the body is decoded within
    ``max_body_size``, and one in a coding urllib3 does not decode ends in a
    :class:`TransportError`. (The pool's own ``headers`` are not sent.)

    Args:
        pool: a ``PoolManager`` of your own (TLS settings, pool sizes, a proxy); used
            as is, never cleared here. Default: a new one keeping ``POOL_SIZE``
            connections per origin.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s). The
            connect timeout also bounds the wait for a free connection of a
            blocking pool.
        max_body_size: the most bytes of a body read, once decoded (default 64 MiB).
    """

    def __init__(
        self,
        pool: urllib3.PoolManager | None = None,
        *,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    ) -> None:
        self._timeout = connect, read = normalize_timeout(timeout)
        self._max_body_size = normalize_max_body_size(max_body_size)
        self._owns = pool is None
        self.pool = urllib3.PoolManager(maxsize=POOL_SIZE) if pool is None else pool
        self._options: dict[str, Any] = {
            "timeout": urllib3.Timeout(connect=connect, read=read),
            "pool_timeout": connect,  # waiting for a free connection counts as connecting
            "retries": _NO_RETRIES,
            "redirect": False,
            "preload_content": False,  # read by _read, within the limits
        }
        # URLs a forward proxy must get whole (absolute form); the others go through
        # the pool of their origin (a CONNECT tunnel behind a proxy).
        self._forwarded: tuple[str, ...] = ()
        if isinstance(self.pool, urllib3.ProxyManager):
            config = self.pool.proxy_config
            forward_https = config is not None and config.use_forwarding_for_https
            self._forwarded = ("http:", "https:") if forward_https else ("http:",)
        # PoolManager.connection_from_url parses the URL on every call; the pool of
        # an origin is looked up once and kept while the manager keeps it open.
        self._pools: dict[str, urllib3.HTTPConnectionPool] = {}

    def _urlopen(self, request: Request, left: float | None) -> urllib3.BaseHTTPResponse:
        url = request.url
        headers = dict(request.headers.raw)
        if "accept-encoding" not in request.headers:  # the request's own wins
            headers["Accept-Encoding"] = _ACCEPT_ENCODING
        kw = {"body": request.body, "headers": headers, **self._options}
        if left is not None:  # no wait for data longer than the request's time left
            connect, read = cap_timeout(self._timeout, left)
            kw.update(timeout=urllib3.Timeout(connect=connect, read=read), pool_timeout=connect)
        if url.startswith(self._forwarded):
            return self.pool.urlopen(request.method, url, **kw)
        # A target that starts with "/" goes out as given (dot segments stay): urllib3
        # only escapes characters a target may not hold, which the core never
        # writes, and upper-cases %xx escapes, which the core writes upper-case.
        origin, target = split_url(url)
        pool = self._pools.get(origin) or self._pool(origin)
        try:
            return pool.urlopen(request.method, target, **kw)
        except ClosedPoolError:  # the manager closed it (cleared, or evicted): never sent
            return self._pool(origin).urlopen(request.method, target, **kw)

    def _pool(self, origin: str) -> urllib3.HTTPConnectionPool:
        pool = self._pools[origin] = self.pool.connection_from_url(origin)
        return pool

    def send(self, request: Request) -> Response:
        """Send ``request`` once, with the URL exactly as built.

        Raises:
            TransportError: connection failure (``sent=False`` if never connected).
            TransportTimeout: the connect or read timeout, or the request's
                ``timeout``, expired.
            ResponseTooLargeError: the decoded body is larger than ``max_body_size``.
        """
        started = time.monotonic()
        body = BodyCollector(request, self._max_body_size, started=started)
        try:
            raw = self._urlopen(request, body.remaining(started))
            content = _read(request, raw, body)
        except HTTPError as exc:  # raised below: the chain must not hold urllib3's error
            error, cause = _error(request, exc, body), library_error(request, exc)
        else:
            return make_response(raw.status, raw.headers.items(), content, request.url, raw)
        raise error from cause

    def sleep(self, seconds: float) -> None:
        """Wait between retries."""
        time.sleep(seconds)

    def close(self) -> None:
        """Close the pools if this transport created them."""
        self._pools.clear()
        if self._owns:
            self.pool.clear()


class RestliClient(SyncRestliClientBase):
    """A Rest.li client over urllib3, with the official client's 14 methods.

    Args:
        pool: your own ``urllib3.PoolManager`` (never cleared by the client).
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        max_body_size: the most bytes of a response body, decoded (default 64 MiB).
        **options: :class:`~restli_core.transport.ClientOptions` (``base_url``, ``retry``...).
    """

    transport: Urllib3Transport

    def __init__(
        self,
        *,
        pool: urllib3.PoolManager | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        **options: Unpack[ClientOptions],
    ) -> None:
        transport = Urllib3Transport(pool, timeout=timeout, max_body_size=max_body_size)
        super().__init__(transport, **options)

    @property
    def pool(self) -> urllib3.PoolManager:
        """The ``urllib3.PoolManager`` used for every call."""
        return self.transport.pool


class AuthClient(SyncAuthClientBase):
    """An OAuth 2.0 client over urllib3, with the official ``AuthClient``'s methods.

    Args as the official ``AuthClient`` (``client_id``, ``client_secret``,
    ``redirect_url``), ``pool``, ``timeout`` and ``max_body_size`` as :class:`RestliClient`,
    and the :class:`~restli_core.transport.AuthClientOptions` (``oauth_base_url``, ``retry``).
    """

    transport: Urllib3Transport

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        pool: urllib3.PoolManager | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        **options: Unpack[AuthClientOptions],
    ) -> None:
        transport = Urllib3Transport(pool, timeout=timeout, max_body_size=max_body_size)
        super().__init__(client_id, client_secret, redirect_url, transport=transport, **options)

    @property
    def pool(self) -> urllib3.PoolManager:
        """The ``urllib3.PoolManager`` used for every call."""
        return self.transport.pool

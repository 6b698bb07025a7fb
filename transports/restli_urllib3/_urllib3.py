"""The urllib3 adapter: a transport over ``urllib3.PoolManager`` and the ready clients."""

from __future__ import annotations

import http.client
import time
from http.client import HTTPException

from restli_core._client import (
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
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
    import urllib3
    from urllib3.connectionpool import HTTPConnectionPool
    from urllib3.exceptions import (
        ClosedPoolError,
        ConnectTimeoutError,
        EmptyPoolError,
        HTTPError,
        LocationValueError,
        NewConnectionError,
        ReadTimeoutError,
    )
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the module
    raise ImportError(missing_library("urllib3", "urllib3")) from exc

__all__ = ["AuthClient", "RestliClient", "Urllib3Transport"]

# Retrying is the core's job (RetryPolicy), so urllib3 raises every failure at once;
# redirects are not followed, so a bearer token is never replayed elsewhere. Built
# once: urllib3 would otherwise make a Retry object per request.
_NO_RETRIES = urllib3.Retry(total=False, redirect=False, raise_on_redirect=False)

# urllib3's connection classes derive from it; their ``request``/``getresponse``
# overrides add urllib3's response wrapper, which this transport does not use.
_HTTP11 = http.client.HTTPConnection


def _error(
    request: Request, exc: HTTPError | OSError | HTTPException, connected: bool
) -> TransportError:
    """The core's error for a failure; ``connected``: the request may have gone out."""
    if isinstance(exc, (NewConnectionError, ClosedPoolError, EmptyPoolError, LocationValueError)):
        return transport_error(request, exc, sent=False)  # refused, unreachable, DNS, no slot
    if isinstance(exc, ConnectTimeoutError):
        return transport_error(request, exc, sent=False, timeout=True)
    timeout = isinstance(exc, (TimeoutError, ReadTimeoutError))
    return transport_error(request, exc, sent=connected, timeout=timeout)


class Urllib3Transport:
    """Sends core :class:`Request` values with a ``urllib3.PoolManager``.

    Connections come from the manager's pools. A ``ProxyManager`` sends through
    ``urlopen``; any other manager's connections are used directly, and a response's
    ``raw`` is then the ``http.client.HTTPResponse`` read from urllib3's connection.

    Args:
        pool: a ``PoolManager`` of your own (TLS settings, pool sizes); used as is,
            never cleared here. Default: a new one.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s). The
            connect timeout also bounds the wait for a free connection of a
            blocking pool.
    """

    def __init__(
        self, pool: urllib3.PoolManager | None = None, *, timeout: TimeoutInput = DEFAULT_TIMEOUT
    ) -> None:
        self._connect, self._read = normalize_timeout(timeout)
        self._owns = pool is None
        self.pool = urllib3.PoolManager() if pool is None else pool
        self._proxied = isinstance(self.pool, urllib3.ProxyManager)
        # PoolManager.connection_from_url parses the origin on every call (~7 µs);
        # the pool of an origin is looked up once and kept until it is closed.
        self._pools: dict[str, HTTPConnectionPool] = {}

    def _pool_for(self, origin: str) -> HTTPConnectionPool:
        pool = self._pools.get(origin)
        if pool is None or pool.pool is None:  # new origin, or closed (manager evicted it)
            pool = self._pools[origin] = self.pool.connection_from_url(origin)
        return pool

    def send(self, request: Request) -> Response:
        """Send ``request`` once, with the URL exactly as built.

        Raises:
            TransportError: connection failure (``sent=False`` if never connected).
            TransportTimeout: the connect or read timeout expired.
        """
        url = request.url
        if self._proxied:  # the target is the absolute URL, under the proxy's rules
            return self._urlopen(request, self.pool, url)
        start = url.find("/", url.find("//") + 2)
        origin, target = (url[:start], url[start:]) if start >= 0 else (url, "/")
        try:
            pool = self._pool_for(origin)
            # Waiting for a free connection of a blocking pool counts as connecting.
            conn = pool._get_conn(timeout=self._connect)
        except HTTPError as exc:  # a bad origin; the pool is closed, or stayed full
            raise _error(request, exc, False) from exc
        if not isinstance(conn, _HTTP11):  # a connection class of another kind
            pool._put_conn(conn)
            return self._urlopen(request, pool, target)
        # The connection is urllib3's own (its pool, socket options, TLS checks); the
        # exchange on it is http.client's, which urllib3 builds on, called directly:
        # ``urlopen`` would re-encode the target (PROTOCOL.md §8: the URL goes out as
        # the core built it) and wrap the reply in objects this transport drops.
        # ``_get_conn``/``_put_conn`` are the pool's own checkout and return, stable
        # through urllib3 2.x (the extra pins ``<3``).
        connected = False
        try:
            if conn.sock is None:  # new, or closed after a "Connection: close" reply
                conn.timeout = self._connect
                conn.connect()
            connected = True
            conn.sock.settimeout(self._read)
            _HTTP11.request(conn, request.method, target, request.body, dict(request.headers.raw))
            raw = _HTTP11.getresponse(conn)
            content = raw.read()
        except BaseException as exc:
            conn.close()
            pool._put_conn(None)  # frees the slot; the pool opens a new one when needed
            if isinstance(exc, (HTTPError, OSError, HTTPException)):
                raise _error(request, exc, connected) from exc
            raise
        pool._put_conn(conn)
        return make_response(raw.status, raw.msg, content, url, raw)

    def _urlopen(
        self, request: Request, pool: urllib3.PoolManager | HTTPConnectionPool, target: str
    ) -> Response:
        """The whole exchange by urllib3 (proxies, connection classes of other kinds)."""
        try:
            raw = pool.urlopen(
                request.method,
                target,
                body=request.body,
                headers=dict(request.headers.raw),
                timeout=urllib3.Timeout(connect=self._connect, read=self._read),
                retries=_NO_RETRIES,
                redirect=False,
                assert_same_host=False,
                pool_timeout=self._connect,  # type: ignore[arg-type]  # a float works (queue.get)
            )
        except HTTPError as exc:
            raise _error(request, exc, True) from exc
        return make_response(raw.status, raw.headers.items(), raw.data, request.url, raw)

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
        pool: urllib3.PoolManager | None = None,
        base_url: str = DEFAULT_BASE_URL,
        versioned_base_url: str = DEFAULT_VERSIONED_BASE_URL,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        raise_for_status: bool = True,
        version_string: str | None = None,
        user_agent: str | None = None,
    ) -> None:
        super().__init__(
            Urllib3Transport(pool, timeout=timeout),
            base_url=base_url,
            versioned_base_url=versioned_base_url,
            retry=retry,
            raise_for_status=raise_for_status,
            version_string=version_string,
            user_agent=user_agent,
        )

    @property
    def pool(self) -> urllib3.PoolManager:
        """The ``urllib3.PoolManager`` used for every call."""
        return self.transport.pool


class AuthClient(SyncAuthClientBase):
    """An OAuth 2.0 client over urllib3, with the official ``AuthClient``'s methods.

    Args:
        client_id: the application's client id.
        client_secret: the application's client secret.
        redirect_url: the redirect URL of the 3-legged flow.
        pool: your own ``urllib3.PoolManager`` (never cleared by the client).
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
        pool: urllib3.PoolManager | None = None,
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
            transport=Urllib3Transport(pool, timeout=timeout),
        )

    @property
    def pool(self) -> urllib3.PoolManager:
        """The ``urllib3.PoolManager`` used for every call."""
        return self.transport.pool

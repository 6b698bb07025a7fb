"""The urllib3 adapter: a transport over ``urllib3.PoolManager`` and the ready clients."""

from __future__ import annotations

import time

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


class Urllib3Transport:
    """Sends core :class:`Request` values with a ``urllib3.PoolManager``.

    Args:
        pool: a ``PoolManager`` of your own (TLS settings, pool sizes); used as is,
            never cleared here. Default: a new one.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
    """

    def __init__(
        self, pool: urllib3.PoolManager | None = None, *, timeout: TimeoutInput = DEFAULT_TIMEOUT
    ) -> None:
        connect, read = normalize_timeout(timeout)
        self._timeout = urllib3.Timeout(connect=connect, read=read)
        self._owns = pool is None
        self.pool = urllib3.PoolManager() if pool is None else pool
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
        pool = self.pool
        try:
            if isinstance(pool, urllib3.ProxyManager):
                raw = pool.urlopen(
                    request.method,
                    url,
                    body=request.body,
                    headers=dict(request.headers.raw),
                    timeout=self._timeout,
                    retries=_NO_RETRIES,
                    redirect=False,
                )
            else:
                # PoolManager.urlopen re-parses the URL and drops "." and ".." path
                # segments; the connection pool sends the target we give it as is
                # (PROTOCOL.md §8: the URL the core built, byte for byte).
                start = url.find("/", url.find("//") + 2)
                origin, target = (url[:start], url[start:]) if start >= 0 else (url, "/")
                raw = self._pool_for(origin).urlopen(
                    request.method,
                    target,
                    body=request.body,
                    headers=dict(request.headers.raw),
                    timeout=self._timeout,
                    retries=_NO_RETRIES,
                    redirect=False,
                    assert_same_host=False,
                )
        except NewConnectionError as exc:  # refused, unreachable, DNS: never sent
            raise transport_error(request, exc, sent=False) from exc
        except ConnectTimeoutError as exc:
            raise transport_error(request, exc, sent=False, timeout=True) from exc
        except ReadTimeoutError as exc:
            raise transport_error(request, exc, timeout=True) from exc
        except (ClosedPoolError, EmptyPoolError, LocationValueError) as exc:
            raise transport_error(request, exc, sent=False) from exc
        except HTTPError as exc:
            raise transport_error(request, exc) from exc
        return make_response(raw.status, raw.headers.items(), raw.data, url, raw)

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
            base_url=base_url,
            versioned_base_url=versioned_base_url,
            retry=retry,
            raise_for_status=raise_for_status,
            version_string=version_string,
            user_agent=user_agent,
        )
        self._transport = self.transport = Urllib3Transport(pool, timeout=timeout)

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
            client_id, client_secret, redirect_url, oauth_base_url=oauth_base_url, retry=retry
        )
        self._transport = self.transport = Urllib3Transport(pool, timeout=timeout)

    @property
    def pool(self) -> urllib3.PoolManager:
        """The ``urllib3.PoolManager`` used for every call."""
        return self.transport.pool

"""The requests adapter: a transport over ``requests.Session`` and the ready clients."""

from __future__ import annotations

import ssl
import time
from typing import TYPE_CHECKING, Any

from restli_core import Request, Response, SyncAuthClientBase, SyncRestliClientBase
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
    import requests
    from urllib3.exceptions import NewConnectionError, SSLError
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the module
    raise ImportError(missing_library("requests", "requests")) from exc

__all__ = ["AuthClient", "RequestsTransport", "RestliClient"]


def _keep_headers(prepared: requests.PreparedRequest) -> requests.PreparedRequest:
    # A no-op auth: it stops requests from replacing our "Authorization: Bearer"
    # header with credentials it finds in ~/.netrc (it does so when no auth is set).
    return prepared


def _never_sent(exc: requests.ConnectionError) -> bool:
    # requests wraps urllib3's MaxRetryError, whose reason says whether the socket
    # ever connected; NewConnectionError means it did not (refused, DNS failure).
    # A certificate is checked in the TLS handshake, before any request byte.
    reason = getattr(exc.args[0] if exc.args else None, "reason", None)
    cause = reason.args[0] if isinstance(reason, SSLError) and reason.args else None
    return isinstance(reason, NewConnectionError) or isinstance(cause, ssl.CertificateError)


class RequestsTransport:
    """Sends core :class:`Request` values with a ``requests.Session``.

    Args:
        session: a session of your own (hooks, adapters, proxies, certificates); it
            is used as is and never closed by this transport. Default: a new one.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
    """

    def __init__(
        self, session: requests.Session | None = None, *, timeout: TimeoutInput = DEFAULT_TIMEOUT
    ) -> None:
        self._owns = session is None
        self.session = requests.Session() if session is None else session
        self._timeout = normalize_timeout(timeout)

    def send(self, request: Request) -> Response:
        """Send ``request`` once, with the URL exactly as built.

        Raises:
            TransportError: connection failure (``sent=False`` if never connected).
            TransportTimeout: the connect or read timeout expired.
        """
        session = self.session
        # prepare_request merges the session's headers, cookies and hooks (the
        # official client bypasses them: PROTOCOL.md §8).
        prepared = session.prepare_request(
            requests.Request(
                request.method,
                request.url,
                headers=dict(request.headers.raw),
                data=request.body,
                auth=None if session.auth else _keep_headers,
            )
        )
        # Preparing normalises the URL (it drops "." and ".." segments and decodes
        # escapes such as %7E); the server must receive the URL the core built, byte
        # for byte (PROTOCOL.md §8), so we put it back (a public attribute).
        prepared.url = request.url
        # A verify setting of the session's own (a CA bundle, or False) wins over
        # REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE; requests lets the environment win
        # (psf/requests#3829), so it is passed as if given for this request.
        verify = None if session.verify is True else session.verify
        settings = session.merge_environment_settings(request.url, {}, None, verify, None)
        try:
            raw = session.send(prepared, timeout=self._timeout, allow_redirects=False, **settings)
        except requests.ConnectTimeout as exc:
            raise transport_error(request, exc, sent=False, timeout=True) from exc
        except requests.Timeout as exc:
            raise transport_error(request, exc, timeout=True) from exc
        except requests.ConnectionError as exc:
            raise transport_error(request, exc, sent=not _never_sent(exc)) from exc
        except requests.RequestException as exc:
            raise transport_error(request, exc) from exc
        # All header pairs (repeated names included) come from urllib3's response.
        headers = getattr(raw.raw, "headers", None)
        pairs: Any = headers.items() if headers is not None else raw.headers.items()
        return make_response(raw.status_code, pairs, raw.content, request.url, raw)

    def sleep(self, seconds: float) -> None:
        """Wait between retries."""
        time.sleep(seconds)

    def close(self) -> None:
        """Close the session if this transport created it."""
        if self._owns:
            self.session.close()


class RestliClient(SyncRestliClientBase):
    """A Rest.li client over requests, with the official client's 14 methods.

    Args:
        session: your own ``requests.Session`` (never closed by the client).
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        **options: :class:`~restli_core.transport.ClientOptions` (``base_url``, ``retry``...).
    """

    transport: RequestsTransport

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(RequestsTransport(session, timeout=timeout), **options)

    @property
    def session(self) -> requests.Session:
        """The ``requests.Session`` used for every call (configure hooks etc. on it)."""
        return self.transport.session


class AuthClient(SyncAuthClientBase):
    """An OAuth 2.0 client over requests, with the official ``AuthClient``'s methods.

    Args as the official ``AuthClient`` (``client_id``, ``client_secret``,
    ``redirect_url``), ``session`` and ``timeout`` as :class:`RestliClient`, and the
    :class:`~restli_core.transport.AuthClientOptions` (``oauth_base_url``, ``retry``).
    """

    transport: RequestsTransport

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        session: requests.Session | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        **options: Unpack[AuthClientOptions],
    ) -> None:
        transport = RequestsTransport(session, timeout=timeout)
        super().__init__(client_id, client_secret, redirect_url, transport=transport, **options)

    @property
    def session(self) -> requests.Session:
        """The ``requests.Session`` used for every call."""
        return self.transport.session

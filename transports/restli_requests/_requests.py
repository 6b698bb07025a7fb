"""The requests adapter: a transport over ``requests.Session`` and the ready clients."""

from __future__ import annotations

import inspect
import io
import ssl
import time
from collections.abc import Callable, Iterator
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
    transport_error,
)

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from restli_core.transport import AuthClientOptions, ClientOptions

try:
    import requests
    from urllib3.exceptions import HTTPError, NewConnectionError, ReadTimeoutError, SSLError
    from urllib3.util import make_headers
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the module
    raise ImportError(missing_library("requests", "requests")) from exc

__all__ = ["AuthClient", "RequestsTransport", "RestliClient"]

_CHUNK = 64 * 1024  # decoded bytes read at a time
# The codings urllib3 decodes (requests asks for them by default: a session's
# "Accept-Encoding" is requests.utils.DEFAULT_ACCEPT_ENCODING, made from this list).
_DECODES = (*make_headers(accept_encoding=True)["accept-encoding"].split(","), "x-gzip")


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


def _error(request: Request, exc: Exception, body: BodyCollector) -> TransportError:
    # The body is read from urllib3's response, whose errors requests does not wrap.
    timeout = isinstance(exc, (requests.Timeout, ReadTimeoutError))
    if timeout and body.remaining(time.monotonic()) == 0:
        return deadline_error(request)
    if isinstance(exc, requests.ConnectTimeout):
        return transport_error(request, exc, sent=False, timeout=True)
    never = isinstance(exc, requests.ConnectionError) and _never_sent(exc)
    return transport_error(request, exc, sent=not never, timeout=timeout)


def _chunks(request: Request, raw: requests.Response) -> Iterator[bytes]:
    stream = raw.raw
    if hasattr(stream, "read1") and not stream.tell():
        # urllib3's read1 returns what one read of the socket brings, decoded within
        # _CHUNK bytes, where iter_content waits for _CHUNK bytes: a server sending a
        # byte now and then, or a small gzip inflating to gigabytes, is stopped by
        # the collector between two reads. A coding urllib3 does not know, it hands
        # on as received (and tries the others of a list holding one it knows):
        # read as is, it is an error once the body is not empty.
        coding = raw.headers.get("content-encoding")
        error = None if coding is None else coding_error(request, coding, _DECODES)
        while chunk := stream.read1(_CHUNK, decode_content=error is None):
            if error is not None:
                raise error
            yield chunk
    else:  # a body a response hook has read already, or another adapter's stream
        yield from raw.iter_content(_CHUNK)


def _run_hook(
    hook: Callable[..., Any], raw: requests.Response, settings: dict[str, Any]
) -> requests.Response | None:
    """Call a response hook as requests does (``hook(response, **send_settings)``),
    or with the response alone when it takes nothing else (``lambda r: ...``, as
    the official client's examples write them)."""
    try:
        parameters = inspect.signature(hook).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature
        parameters = None
    takes_settings = parameters is None or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters
    )
    result = hook(raw, **settings) if takes_settings else hook(raw)
    return result if isinstance(result, requests.Response) else None


class RequestsTransport:
    """Sends core :class:`Request` values with a ``requests.Session``.

    Args:
        session: a session of your own (hooks, adapters, proxies, certificates); it
            is used as is and never closed by this transport. Default: a new one.
        timeout: seconds, or a ``(connect, read)`` pair (default 10 s / 60 s).
        max_body_size: the most bytes of a body read, once decoded (default 64 MiB).

    The body is read from the response's ``raw`` stream: the ``requests.Response``
    kept as :attr:`Response.raw <restli_core.Response.raw>` has no ``content``.
    It is decoded as urllib3 decodes it, within ``max_body_size``: the codings a
    session asks for by default (gzip and deflate, br with ``brotli``, zstd with
    ``backports.zstd``); one urllib3 does not decode ends in a :class:`TransportError`.
    A request's own ``Accept-Encoding`` wins over the session's.
    """

    def __init__(
        self,
        session: requests.Session | None = None,
        *,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    ) -> None:
        self._owns = session is None
        self.session = requests.Session() if session is None else session
        self._timeout = normalize_timeout(timeout)
        self._max_body_size = normalize_max_body_size(max_body_size)

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
        # stream=True: the body is read by _chunks, within the limits.
        settings = session.merge_environment_settings(request.url, {}, True, verify, None)
        timeout = cap_timeout(self._timeout, body.remaining(started))
        # The response hooks run below, once the body is read: requests would call
        # them inside send, where what they raise would pass for a connection error.
        hooks = prepared.hooks.get("response", [])
        prepared.hooks["response"] = []
        try:
            raw = session.send(prepared, timeout=timeout, allow_redirects=False, **settings)
            try:
                for chunk in _chunks(request, raw):
                    body.add(chunk, now=time.monotonic())
                body.check_time(time.monotonic())  # a head that took all the time
            except BaseException:
                raw.close()  # a connection left halfway through a body is not reused
                raise
        except (requests.RequestException, HTTPError) as exc:  # raised below, unchained
            error, cause = _error(request, exc, body), library_error(request, exc)
        else:
            # All header pairs (repeated names included) come from urllib3's response.
            headers = getattr(raw.raw, "headers", None)
            pairs: Any = headers.items() if headers is not None else raw.headers.items()
            content = body.content()
            # The body, decoded, becomes the response's file-like ``raw`` (a public
            # attribute), so ``content``, ``text`` and ``json()`` work on it as usual.
            raw.raw = io.BytesIO(content)
            for hook in hooks:  # what a hook raises reaches the caller as itself
                raw = _run_hook(hook, raw, {"timeout": timeout, **settings}) or raw
            return make_response(raw.status_code, pairs, content, request.url, raw)
        raise error from cause

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
        max_body_size: the most bytes of a response body, decoded (default 64 MiB).
        **options: :class:`~restli_core.transport.ClientOptions` (``base_url``, ``retry``...).
    """

    transport: RequestsTransport

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        **options: Unpack[ClientOptions],
    ) -> None:
        transport = RequestsTransport(session, timeout=timeout, max_body_size=max_body_size)
        super().__init__(transport, **options)

    @property
    def session(self) -> requests.Session:
        """The ``requests.Session`` used for every call (configure hooks etc. on it)."""
        return self.transport.session


class AuthClient(SyncAuthClientBase):
    """An OAuth 2.0 client over requests, with the official ``AuthClient``'s methods.

    Args as the official ``AuthClient`` (``client_id``, ``client_secret``,
    ``redirect_url``), ``session``, ``timeout`` and ``max_body_size`` as
    :class:`RestliClient`, and the :class:`~restli_core.transport.AuthClientOptions`
    (``oauth_base_url``, ``retry``).
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
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        **options: Unpack[AuthClientOptions],
    ) -> None:
        transport = RequestsTransport(session, timeout=timeout, max_body_size=max_body_size)
        super().__init__(client_id, client_secret, redirect_url, transport=transport, **options)

    @property
    def session(self) -> requests.Session:
        """The ``requests.Session`` used for every call."""
        return self.transport.session

"""What an adapter author needs: the public interface between the core and an HTTP library.

An adapter turns a core :class:`Request` into one call of its HTTP library and the
library's answer into a core :class:`Response` (:func:`make_response`); it maps the
library's failures to :class:`TransportError` (:func:`transport_error`, chained to a
safe stand-in for the library's exception: :func:`library_error`) and sets default
timeouts (:func:`normalize_timeout`). It reads the body in chunks through a
:class:`BodyCollector`, which holds it within ``max_body_size`` and the request's
``timeout`` (:func:`cap_timeout` for the library's own timeouts), decoded by its
library or, where the library would inflate a whole read at once or not at all, by
:func:`content_decoder`; a body in a coding neither decodes ends in
:func:`coding_error`, never in a JSON parse of compressed bytes. It sends the URL
exactly as the core built it, never re-encoded (PROTOCOL.md §8; :func:`split_url`
gives the request target as written, for a library that takes one), and never
retries on its own: the core's :class:`~restli_core.RetryPolicy` alone decides what
is sent again.

The four adapters shipped with this library (``restli_requests``, ``restli_httpx``,
``restli_urllib3``, ``restli_aiohttp``) use only this module, the public names of
``restli_core`` and the public API of their library. (Model: gidgethub's ``abc``.)
Store adapters (``restli_sqlite``, ``restli_redis``) check their arguments with
:func:`check_seconds`, :func:`check_limit` and :func:`check_text`, as
:class:`~restli_core.MemoryStore` does, so every store refuses the same values.

Nothing here performs I/O.
"""

from __future__ import annotations

import functools
import importlib
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, Union, cast

from ._errors import (
    ResponseTooLargeError,
    RestliUsageError,
    TransportError,
    TransportTimeout,
    request_secrets,
)
from ._flow import (
    AsyncTransport,
    BackgroundAsyncTransport,
    Running,
    SyncTransport,
)
from ._log import redact_text, redact_url
from ._messages import Request, Response, seconds_arg
from ._store import check_limit, check_seconds, check_text

if TYPE_CHECKING:
    from ._credentials import Credentials
    from ._messages import HeadersInput
    from ._quota import Budget
    from ._retry import RetryPolicy
    from ._store import AnyStore

__all__ = [
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_TIMEOUT",
    "AsyncTransport",
    "BodyCollector",
    "BodyDecoder",
    "AuthClientOptions",
    "BackgroundAsyncTransport",
    "ClientOptions",
    "ClosableAsyncTransport",
    "ClosableSyncTransport",
    "LibraryError",
    "Request",
    "Response",
    "Running",
    "SyncTransport",
    "TimeoutInput",
    "TransportError",
    "TransportTimeout",
    "body_decoder",
    "cap_timeout",
    "check_limit",
    "check_seconds",
    "check_text",
    "coding_error",
    "content_decoder",
    "deadline_error",
    "decodable_codings",
    "library_error",
    "make_response",
    "missing_library",
    "normalize_max_body_size",
    "normalize_timeout",
    "split_url",
    "transport_error",
]

#: Bytes of a decoded response body a transport reads at most (64 MiB): a gzip
#: answer of a few hundred KB can inflate to gigabytes.
DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024

#: Seconds to wait for a connection, and then for each read. The official client has
#: no timeout at all (PROTOCOL.md §8): a stalled connection hangs it forever.
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 60.0)

TimeoutInput = Union[float, tuple[float, float]]

# The shortest wait handed to a library: some take 0 as "no timeout" or refuse it.
_MIN_WAIT = 0.001


class ClientOptions(TypedDict, total=False):
    """The keywords every Rest.li client takes besides its transport's own.

    An adapter's client declares ``**options: Unpack[ClientOptions]`` and passes them
    on to its base class, so the keywords are written once (see ``ClientCore``).
    """

    base_url: str | None
    versioned_base_url: str | None
    api_root: str | None
    retry: RetryPolicy | None
    deadline: float | None
    raise_for_status: bool
    version_string: str | None
    user_agent: str | None
    credentials: Credentials | None
    store: AnyStore | None
    budgets: Mapping[str, Budget] | None
    clock: Callable[[], float] | None


class AuthClientOptions(TypedDict, total=False):
    """The keywords every OAuth client takes besides its transport's own."""

    oauth_base_url: str | None
    api_root: str | None
    retry: RetryPolicy | None
    deadline: float | None


class ClosableSyncTransport(SyncTransport, Protocol):
    """A sync transport a client can close."""

    def close(self) -> None: ...


class ClosableAsyncTransport(AsyncTransport, Protocol):
    """An async transport a client can close."""

    async def aclose(self) -> None: ...


class BodyCollector:
    """Gathers a response body read in chunks, within the transport's limits.

    An adapter reads the body as its library decodes it (gzip undone), chunk by
    chunk, and hands each chunk to :meth:`add`; reading stops with the library's
    error as soon as the decoded size passes ``max_body_size``, or the exchange
    passes the request's :attr:`~restli_core.Request.timeout`::

        body = BodyCollector(request, max_body_size, started=time.monotonic())
        for chunk in library_response.iter_bytes():
            body.add(chunk, now=time.monotonic())
        content = body.content()

    Args:
        request: the request being answered (its ``timeout``, and the names in
            error messages).
        max_body_size: the most decoded bytes accepted.
        started: the clock reading (``time.monotonic()``) when the exchange began.
    """

    __slots__ = ("_chunks", "_deadline", "_limit", "_request", "_size")

    def __init__(self, request: Request, max_body_size: int, *, started: float) -> None:
        self._request = request
        self._limit = max_body_size
        timeout = request.timeout
        self._deadline = None if timeout is None else started + timeout
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes, *, now: float) -> None:
        """Keep ``chunk``.

        Raises:
            ResponseTooLargeError: the body is now larger than ``max_body_size``.
            TransportTimeout: the exchange has taken longer than the request's
                ``timeout`` (a server sending a byte now and then).
        """
        self._size += len(chunk)
        if self._size > self._limit:
            url = redact_url(self._request.url)
            raise ResponseTooLargeError(
                f"{self._request.method} {url}: the response body is larger than "
                f"{self._limit} bytes once decoded (max_body_size); reading stopped",
                limit=self._limit,
                request_method=self._request.method,
                request_url=url,
            )
        self._chunks.append(chunk)
        self.check_time(now)

    def check_time(self, now: float) -> None:
        """Raise :class:`TransportTimeout` if the request's ``timeout`` has passed."""
        if self._deadline is not None and now > self._deadline:
            raise deadline_error(self._request)

    def remaining(self, now: float) -> float | None:
        """Seconds left of the request's ``timeout`` (``None``: no timeout)."""
        return None if self._deadline is None else max(0.0, self._deadline - now)

    def content(self) -> bytes:
        """The whole body."""
        return b"".join(self._chunks)


# zlib's wbits for the content codings body_decoder undoes (RFC 9110 §8.4.1).
_CODINGS = {"identity": 0, "gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
_PIECE = 64 * 1024  # the most decoded bytes made at a time
# Codings applied one over another that a body may list (urllib3 allows as many).
_MAX_CODINGS = 5


class _Stage(Protocol):
    """One content coding, undone at most a piece (_PIECE bytes) at a time."""

    def decode(self, data: bytes) -> Iterator[bytes]: ...


class _Inflate:
    """gzip, or deflate: the zlib format (RFC 1950) or, as some servers send, a raw
    stream; its first two bytes tell (a zlib header is a multiple of 31)."""

    __slots__ = ("_pending", "_zlib")

    def __init__(self, wbits: int) -> None:
        self._zlib = zlib.decompressobj(wbits)
        self._pending: bytes | None = b"" if wbits == zlib.MAX_WBITS else None

    def decode(self, data: bytes) -> Iterator[bytes]:
        if self._pending is not None:
            data = self._pending + data
            if len(data) < 2:
                self._pending = data
                return
            self._pending = None
            if data[0] & 0x0F != zlib.DEFLATED or (data[0] << 8 | data[1]) % 31:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        inflater = self._zlib
        while True:
            piece = inflater.decompress(data, _PIECE)
            data = inflater.unconsumed_tail
            if piece:
                yield piece
            if not data and len(piece) < _PIECE:  # a full piece may leave output pending
                return


class _Unbrotli:
    """br (RFC 7932), with a Brotli decoder that bounds its output (brotli or
    brotlicffi 1.2 and later: ``output_buffer_limit``)."""

    __slots__ = ("_process",)

    def __init__(self, module: Any) -> None:
        decompressor = module.Decompressor()
        # brotli names it process; brotlicffi, decompress.
        self._process = getattr(decompressor, "process", None) or decompressor.decompress

    def decode(self, data: bytes) -> Iterator[bytes]:
        # The limit stops the output growing once past it (a piece is about 64 KiB);
        # what is left is taken with empty input, until nothing comes.
        piece = self._process(data, output_buffer_limit=_PIECE)
        while piece:
            yield piece
            piece = self._process(b"", output_buffer_limit=_PIECE)


class _Unzstd:
    """zstd (RFC 8878), with Python 3.14's ``compression.zstd`` or ``backports.zstd``;
    frames one after another are decoded in turn."""

    __slots__ = ("_make", "_zstd")

    def __init__(self, module: Any) -> None:
        self._make = module.ZstdDecompressor
        self._zstd = self._make()

    def decode(self, data: bytes) -> Iterator[bytes]:
        while True:
            if self._zstd.eof:  # a frame ended: what follows it is the next one
                data = self._zstd.unused_data + data
                if not data:
                    return
                self._zstd = self._make()
            piece = self._zstd.decompress(data, _PIECE)
            data = b""
            if piece:
                yield piece
            if not self._zstd.eof and self._zstd.needs_input:
                return


def _import(*names: str) -> Any:
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


@functools.cache
def _libraries() -> tuple[dict[str, Callable[[], _Stage]], tuple[type[BaseException], ...]]:
    """coding -> a factory of its stage, and the errors the stages raise.

    The optional decoders are looked for once, on first use: ``import restli_core``
    stays light.
    """
    stages: dict[str, Callable[[], _Stage]] = {
        "gzip": functools.partial(_Inflate, _CODINGS["gzip"]),
        "x-gzip": functools.partial(_Inflate, _CODINGS["gzip"]),  # RFC 9110 §8.4.1.3
        "deflate": functools.partial(_Inflate, _CODINGS["deflate"]),
    }
    errors: list[type[BaseException]] = [zlib.error]
    for name in ("brotli", "brotlicffi"):  # the one httpx prefers first
        brotli = _import(name)
        if brotli is not None and hasattr(brotli.Decompressor(), "can_accept_more_data"):
            stages["br"] = functools.partial(_Unbrotli, brotli)
            errors.append(brotli.error)
            break
    zstd = _import("compression.zstd", "backports.zstd")
    if zstd is not None:
        stages["zstd"] = functools.partial(_Unzstd, zstd)
        errors.append(zstd.ZstdError)
    return stages, tuple(errors)


def _codings(content_encoding: str | None) -> list[str]:
    """The codings of a Content-Encoding value, in the order applied, lower-case;
    ``identity`` (no coding) left out."""
    if not content_encoding:
        return []
    codings = (c.strip().lower() for c in content_encoding.split(","))
    return [c for c in codings if c and c != "identity"]


class BodyDecoder:
    """Undoes a body's content codings, 64 KiB of output at a time.

    For a library that inflates whatever one read of the socket brings in one go
    (httpx): 64 KiB of gzip can inflate to 64 MiB (and of br, to gigabytes). The
    adapter reads the body as received, passes each chunk through :meth:`decode`
    and hands each piece to its :class:`BodyCollector`, which stops reading past
    ``max_body_size``; memory stays within the limit and a piece. Made by
    :func:`content_decoder` (every coding it knows, one over another) or
    :func:`body_decoder` (gzip or deflate alone).
    """

    __slots__ = ("_errors", "_request", "_stages")

    def __init__(self, request: Request, wbits: int = 0) -> None:
        self._request = request
        self._stages: tuple[_Stage, ...] = (_Inflate(wbits),) if wbits else ()
        self._errors: tuple[type[BaseException], ...] = (zlib.error,)

    def decode(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of ``data``, the next bytes of the body.

        Raises:
            TransportError: the body is not in the codings it claims.
        """
        if not data:
            return
        if not self._stages:  # identity
            yield data
            return
        try:
            yield from _undo(self._stages, len(self._stages), data)
        except self._errors as exc:
            raise transport_error(self._request, exc) from exc


def _undo(stages: tuple[_Stage, ...], count: int, data: bytes) -> Iterator[bytes]:
    # The codings were applied in the order listed: the last is undone first, and
    # each piece it makes goes through the others before the next is made.
    if not count:
        yield data
        return
    for piece in stages[count - 1].decode(data):
        yield from _undo(stages, count - 1, piece)


def body_decoder(request: Request, content_encoding: str | None) -> BodyDecoder | None:
    """A :class:`BodyDecoder` for a body sent with ``content_encoding``.

    Returns:
        ``None`` for a coding other than ``gzip``, ``deflate`` or ``identity`` (or
        several): the library decodes it, or hands it on as received. See
        :func:`content_decoder` for every coding this module decodes.
    """
    wbits = _CODINGS.get((content_encoding or "identity").strip().lower())
    return None if wbits is None else BodyDecoder(request, wbits)


def content_decoder(request: Request, content_encoding: str | None) -> BodyDecoder | None:
    """A :class:`BodyDecoder` that undoes every coding of ``content_encoding``.

    It decodes ``gzip`` (and ``x-gzip``), ``deflate`` (zlib-wrapped or raw), ``br``
    when ``brotli`` or ``brotlicffi`` 1.2 or later is installed (earlier ones
    cannot bound their output), ``zstd`` with Python 3.14's ``compression.zstd``
    or ``backports.zstd``, and up to five of them applied one over another
    (``gzip, br``). A missing or ``identity`` coding passes the body through.

    Returns:
        ``None`` when a coding is none of these: the adapter's library may decode
        it; if not, :func:`coding_error` is the error for it.
    """
    codings = _codings(content_encoding)
    factories, errors = _libraries()
    if len(codings) > _MAX_CODINGS or any(c not in factories for c in codings):
        return None
    decoder = BodyDecoder(request)
    decoder._stages = tuple(factories[c]() for c in codings)
    decoder._errors = errors
    return decoder


def decodable_codings() -> tuple[str, ...]:
    """The content codings :func:`content_decoder` undoes, as ``Accept-Encoding`` names
    them: ``("gzip", "deflate")``, then ``"br"`` and ``"zstd"`` when their decoders
    are installed. An adapter that reads the body as received and decodes it with
    :func:`content_decoder` asks for these (``", ".join(decodable_codings())``).
    """
    return tuple(c for c in _libraries()[0] if c != "x-gzip")


def coding_error(
    request: Request, content_encoding: str | None, decodes: Iterable[str]
) -> TransportError | None:
    """The error for a body whose codings the transport does not all decode.

    A library hands a body in a coding it does not know on as received (requests,
    httpx, urllib3 and aiohttp all do): read as JSON, it would fail as garbage with
    no word of why. An adapter raises this error instead, once the body turns out
    not to be empty.

    Args:
        request: the request being answered.
        content_encoding: the response's ``Content-Encoding``.
        decodes: the codings the transport decodes (``identity`` always passes).

    Returns:
        ``None`` when every coding is one of ``decodes``; else a
        :class:`TransportError` (``sent=True``) naming the coding.
    """
    known = [c.strip().lower() for c in decodes]
    unknown = [c for c in _codings(content_encoding) if c not in known]
    if not unknown:
        return None
    url = redact_url(request.url)
    listed = ", ".join(dict.fromkeys(c for c in known if c != "identity")) or "none"
    return TransportError(
        f"{request.method} {url}: the response body cannot be decoded: its "
        f"Content-Encoding {content_encoding!r} names a coding this transport does not "
        f"decode ({', '.join(unknown)}; it decodes {listed})",
        request_method=request.method,
        request_url=url,
        sent=True,
    )


def cap_timeout(timeout: tuple[float, float], left: float | None) -> tuple[float, float]:
    """``(connect, read)`` seconds, neither longer than ``left``.

    For a library whose timeouts bound each wait for data, not the whole exchange:
    with the waits capped at the time left of the request's ``timeout``
    (:meth:`BodyCollector.remaining`), a server that stops sending cannot hold the
    exchange past it. (A server sending a byte now and then still can, until the
    adapter looks at the clock again: between chunks of the body.)

    Args:
        timeout: the transport's ``(connect, read)`` timeouts.
        left: seconds left of the request's ``timeout``; ``None``: no cap.
    """
    if left is None:
        return timeout
    left = max(left, _MIN_WAIT)
    return min(timeout[0], left), min(timeout[1], left)


def deadline_error(request: Request) -> TransportTimeout:
    """The error of an exchange that took longer than its request's ``timeout``."""
    url = redact_url(request.url)
    return TransportTimeout(
        f"{request.method} {url}: no complete answer within {request.timeout:g} s "
        f"(the time left of the call's deadline)",
        request_method=request.method,
        request_url=url,
        sent=True,
    )


def make_response(
    status_code: int,
    headers: Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]],
    body: bytes,
    url: str,
    raw: Any = None,
) -> Response:
    """The core's :class:`Response` for what an HTTP library received.

    Args:
        status_code: the HTTP status.
        headers: every header the server sent, as ``(name, value)`` pairs (repeated
            names kept) or a mapping. Pass bytes as received when the library
            decodes header bytes other than as ISO-8859-1 (as ``http.client`` does),
            so every transport gives the same text for the same bytes.
        body: the body, fully read and decoded (gzip and so on undone).
        url: the URL of the request, as the core built it.
        raw: the library's own response object, kept for the user.

    Raises:
        ResponseDecodeError: a header the server sent has no valid form.
    """
    # Response reads bytes as ISO-8859-1; its HeadersInput type names only str.
    return Response(status_code, cast("HeadersInput", headers), body, url, raw=raw)


def normalize_timeout(timeout: TimeoutInput) -> tuple[float, float]:
    """``(connect, read)`` seconds from a single number or a pair.

    Raises:
        RestliUsageError: not a positive finite number or a pair of them.
    """
    pair: Any
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        pair = (timeout, timeout)
    elif isinstance(timeout, (tuple, list)) and len(timeout) == 2:
        pair = timeout
    else:
        raise RestliUsageError(
            f"timeout must be seconds or a (connect, read) pair of seconds, got {timeout!r}"
        )
    connect, read = (seconds_arg(value, "timeout") for value in pair)
    return connect, read


def normalize_max_body_size(value: int) -> int:
    """``value`` checked as a ``max_body_size``: a number of bytes, at least 1.

    Raises:
        RestliUsageError: not an int of at least 1.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RestliUsageError(f"max_body_size must be a number of bytes >= 1, got {value!r}")
    return int(value)


def split_url(url: str) -> tuple[str, str]:
    """``(origin, target)`` of an absolute URL, cut where its path begins.

    ``origin`` is ``scheme://host[:port]``; ``target`` is the request target (path
    and query) exactly as written, ``/`` when the URL has no path: nothing decoded,
    re-encoded or normalised (PROTOCOL.md §8). A fragment is never sent.

    >>> split_url("https://api.linkedin.com/v2/a/../b?x=''")
    ('https://api.linkedin.com', "/v2/a/../b?x=''")
    """
    start = url.find("://")
    start = 0 if start < 0 else start + 3
    end = len(url)
    for mark in "/?#":
        at = url.find(mark, start, end)
        if at >= 0:
            end = at
    target = url[end:].partition("#")[0]
    return url[:end], target if target.startswith("/") else "/" + target


def transport_error(
    request: Request, exc: BaseException, *, sent: bool = True, timeout: bool = False
) -> TransportError:
    """The core's error for an HTTP library's failure (raise it ``from exc``).

    Args:
        request: the request that failed.
        exc: the library's exception.
        sent: ``False`` only when the request certainly never reached the server
            (connection refused, connect timeout), which makes even a POST retryable.
        timeout: a connect or read timeout expired.

    Returns:
        A :class:`TransportTimeout` or :class:`TransportError` naming the request by
        method and (redacted) URL only.
    """
    url = redact_url(request.url)
    message = f"{request.method} {url}: {type(exc).__name__}: {_detail(request, exc)}"
    cls = TransportTimeout if timeout else TransportError
    return cls(message, request_method=request.method, request_url=url, sent=sent)


def _detail(request: Request, exc: BaseException) -> str:
    detail = str(exc) or type(exc).__name__
    if redact_url(request.url) != request.url:  # libraries quote the URL as is
        detail = redact_text(detail, request.url)
    for secret in request_secrets(request):  # a library quoting headers or the body
        detail = detail.replace(secret, "***")
    return detail


class LibraryError(Exception):
    """An HTTP library's exception, as the cause of a :class:`TransportError`.

    Libraries keep the request in their exceptions (requests and httpx: with its
    ``Authorization`` header) or objects that cannot be pickled (aiohttp), and a
    chained exception goes wherever the error goes: tracebacks, logs, pickles. This
    stand-in keeps the library's type name, its message (credentials masked) and its
    traceback; nothing else. Made by :func:`library_error`.

    Attributes:
        library_type: the qualified name of the library's exception type, such as
            ``"httpx.ConnectTimeout"``.
    """

    def __init__(self, message: str, library_type: str = "") -> None:
        super().__init__(message)
        self.library_type = library_type


def library_error(request: Request, exc: BaseException) -> LibraryError:
    """The stand-in for ``exc`` to chain to the :class:`TransportError` raised for it.

    Raise the error after the ``except`` block that caught ``exc``: raised inside
    it, Python keeps ``exc`` itself as the error's ``__context__``::

        try:
            raw = library.send(...)
        except library.Error as exc:
            error, cause = transport_error(request, exc), library_error(request, exc)
        else:
            return make_response(...)
        raise error from cause

    Args:
        request: the request that failed (its credentials are masked).
        exc: the library's exception.
    """
    kind = type(exc)
    name = f"{kind.__module__}.{kind.__qualname__}"
    return LibraryError(f"{name}: {_detail(request, exc)}", name).with_traceback(exc.__traceback__)


def missing_library(package: str, extra: str) -> str:
    """The message of the ImportError an adapter raises when its library is missing."""
    return (
        f"this adapter needs the {package!r} package, which is not installed; "
        f'install it with: pip install "restli-client[{extra}]"'
    )

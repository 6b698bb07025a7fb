"""Immutable HTTP messages: :class:`Headers`, :class:`Request`, :class:`Response`.

They are honest values (as h11's events are): each copies what it is given and
checks it at construction, so an invalid message, or one that shares a mutable
object with its caller, cannot exist. Changing the dict a :class:`Request` was made
from changes nothing in the request.

What is checked (RFC 9110):

* a header name is a token (§5.1, §5.6.2); a header value holds no CR, LF or NUL
  (§5.5: they would split the header, or end the header block);
* a request method is a token (§9.1); a request URL is an absolute ``http://`` or
  ``https://`` URL with a host, fully encoded (printable ASCII, no space);
* a body is ``bytes`` (a ``bytearray`` or ``memoryview`` is copied into one).

A mistake in what the caller passes is a :class:`~restli_core.RestliUsageError`.
For a :class:`Response`, a header name or value that breaks the rules came from the
server: that is a :class:`~restli_core.ResponseDecodeError`.

Header text: names and values are ``str``. Bytes are decoded as ISO-8859-1, one
character per byte, so nothing is lost: RFC 9110 §5.5 lets a value hold
``obs-text`` (bytes 0x80-0xFF) and tells recipients to treat it as opaque data.
This is what ``http.client`` (and so requests and urllib3) does; an adapter whose
library decodes otherwise passes the raw bytes, so every transport gives the same
text for the same bytes.

The request builder, whose values are checked as it makes them, constructs with
``_trusted=True`` (like h11's ``_parsed=True``): the one path that skips the checks.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from typing import Any, Callable, NoReturn, Union, cast
from urllib.parse import urlsplit

import attrs

from ._errors import ResponseDecodeError, RestliError, RestliUsageError, redact_url
from ._wire import H_AUTHORIZATION, RestliMethod

__all__ = ["Headers", "HeadersInput", "Request", "Response"]

HeadersInput = Union[
    "Headers", Mapping[str, str], Iterable[tuple[Union[str, bytes], Union[str, bytes]]], None
]
BodyInput = Union[bytes, bytearray, memoryview]
Pairs = tuple[tuple[str, str], ...]

# RFC 9110 §5.6.2: token = 1*tchar.
_TCHAR = r"[!#$%&'*+.^_`|~0-9A-Za-z-]"
_TOKEN = re.compile(f"{_TCHAR}+").fullmatch
# Names and values joined by "\n", alternating: a token line, then a value line.
_LINES = f"(?:{_TCHAR}+\n[^\r\n\x00]*\n)*{_TCHAR}+\n[^\r\n\x00]*"
_HEADER_LINES = re.compile(_LINES).fullmatch
_HEADER_LINES_BYTES = re.compile(_LINES.encode()).fullmatch
# RFC 9110 §5.5: "a recipient of CR, LF, or NUL within a field value MUST either
# reject the message or replace each of those characters with SP". We reject.
_FORBIDDEN_IN_VALUE = re.compile(r"[\r\n\x00]").search

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})

_Invalid = Callable[[str], RestliError]


def _usage(message: str) -> RestliError:
    return RestliUsageError(message)


def _text(value: Any, what: str) -> str:
    if type(value) is str:
        return value
    if isinstance(value, str):  # a subclass (aiohttp's istr): keep plain text only
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("iso-8859-1")
    raise RestliUsageError(f"a header {what} must be a str or bytes, not {type(value).__name__}")


def _checked_pairs(source: Any, invalid: _Invalid) -> Pairs:
    """The ``(name, value)`` pairs of ``source``, copied and checked.

    ``invalid`` makes the error for a name or value that breaks RFC 9110 (the
    caller's mistake, or the server's); a ``source`` of the wrong shape is always
    a :class:`RestliUsageError`. Values are never shown: they may be credentials.
    """
    if source is None:
        return ()
    if isinstance(source, Headers):
        return source._pairs
    if isinstance(source, (str, bytes, bytearray, memoryview)):
        raise RestliUsageError(
            f"headers must be a mapping or (name, value) pairs, not {type(source).__name__}"
        )
    # A mapping, or any header object with items() (http.client's message).
    items = source.items() if hasattr(source, "items") else source
    try:
        given = list(items)
    except TypeError:
        raise RestliUsageError(
            f"headers must be a mapping or (name, value) pairs, not {type(source).__name__}"
        ) from None
    if not given:
        return ()
    return _valid_pairs(given) or tuple([_checked_pair(item, invalid) for item in given])


def _valid_pairs(given: list[Any]) -> Pairs | None:
    """The pairs as text if they are all valid, else ``None`` (then each is looked at).

    Every response goes through here, so the common case is checked at once: the
    names and values (all ``str``, or all ``bytes`` as a library read them off the
    wire) joined by "\n" must match one pattern, name and value lines alternating.
    """
    try:
        if set(map(len, given)) != {2} or not set(map(type, given)) <= {tuple, list}:
            return None
        if type(given[0][0]) is bytes:
            block = b"\n".join(chain.from_iterable(given))
            if not _HEADER_LINES_BYTES(block):
                return None
            lines = block.decode("iso-8859-1").split("\n")
        else:
            text = "\n".join(chain.from_iterable(given))
            if not _HEADER_LINES(text):
                return None
            lines = text.split("\n")
    except TypeError:  # not sized, or not all of one kind
        return None
    items = iter(lines)
    return tuple(zip(items, items, strict=True))


def _checked_pair(item: Any, invalid: _Invalid) -> tuple[str, str]:
    """One pair, converted to text and checked; the error names what is wrong."""
    try:
        if isinstance(item, (str, bytes)):
            raise TypeError
        raw_name, raw_value = item
    except (TypeError, ValueError):
        raise RestliUsageError(
            f"headers must be (name, value) pairs, found a {type(item).__name__}"
        ) from None
    name = _text(raw_name, "name")
    value = _text(raw_value, "value")
    if not _TOKEN(name):
        raise invalid(f"header name {name[:40]!r} is not an HTTP token (RFC 9110 §5.6.2)")
    if _FORBIDDEN_IN_VALUE(value):
        raise invalid(f"the value of header {name!r} contains CR, LF or NUL (RFC 9110 §5.5)")
    return name, value


def _index_of(pairs: Pairs) -> dict[str, str]:
    index = {name.lower(): value for name, value in pairs}
    if len(index) < len(pairs):
        # RFC 9110 §5.3: repeated field lines combine, in order, joined by ", ".
        index = {}
        for name, value in pairs:
            key = name.lower()
            index[key] = f"{index[key]}, {value}" if key in index else value
    return index


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive mapping of HTTP header names to values.

    The names keep the case they were given (that is what goes on the wire); lookups
    ignore case. A name given more than once keeps every value in :attr:`raw`, and
    the mapping shows them joined with ``", "`` (RFC 9110 §5.3).

    Args:
        headers: a mapping, an iterable of ``(name, value)`` pairs, another
            :class:`Headers`, or ``None``. It is copied; names and values are
            ``str`` (``bytes`` are decoded as ISO-8859-1).

    Raises:
        RestliUsageError: a name that is not an HTTP token, a value holding CR, LF
            or NUL, or an argument of another shape.
    """

    __slots__ = ("_index", "_pairs")

    _pairs: Pairs
    _index: dict[str, str]  # made at construction, never changed

    def __init__(self, headers: HeadersInput = None) -> None:
        if isinstance(headers, Headers):
            pairs, index = headers._pairs, headers._index
        else:
            pairs = _checked_pairs(headers, _usage)
            index = _index_of(pairs)
        object.__setattr__(self, "_pairs", pairs)
        object.__setattr__(self, "_index", index)

    @classmethod
    def _of(cls, pairs: Pairs) -> Headers:
        """Headers of pairs already checked (the trusted path of Request)."""
        headers = object.__new__(cls)
        object.__setattr__(headers, "_pairs", pairs)
        object.__setattr__(headers, "_index", _index_of(pairs))
        return headers

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> NoReturn:
        raise attrs.exceptions.FrozenInstanceError()

    def __reduce__(self) -> tuple[Any, ...]:
        return (Headers, (self._pairs,))

    @property
    def raw(self) -> Pairs:
        """Every ``(name, value)`` pair, in order, names as given."""
        return self._pairs

    def __getitem__(self, name: str) -> str:
        return self._index[name.lower()]

    def get(self, name: str, default: Any = None) -> Any:  # faster than Mapping.get
        return self._index.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for name, _ in self._pairs:
            key = name.lower()
            if key not in seen:
                seen.add(key)
                yield name

    def __len__(self) -> int:
        return len(self._index)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return self._index == other._index
        if isinstance(other, Mapping):
            return self._index == {str(k).lower(): v for k, v in other.items()}
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._index.items()))

    def with_header(self, name: str, value: str) -> Headers:
        """A copy with ``name`` set to ``value`` (replacing any value it had).

        Raises:
            RestliUsageError: the name is not a token or the value holds CR, LF or NUL.
        """
        (added,) = _checked_pairs([(name, value)], _usage)
        key = added[0].lower()
        return Headers._of((*(p for p in self._pairs if p[0].lower() != key), added))

    def without(self, name: str) -> Headers:
        """A copy without ``name``."""
        key = name.lower()
        return Headers._of(tuple(p for p in self._pairs if p[0].lower() != key))

    def redacted(self) -> dict[str, str]:
        """The headers as a dict, credentials replaced by ``***``."""
        return {
            name: (_redact(value) if name.lower() in _SECRET_HEADERS else value)
            for name, value in self._pairs
        }

    def __repr__(self) -> str:
        return f"Headers({self.redacted()!r})"


def _redact(value: str) -> str:
    scheme, sep, _ = value.partition(" ")
    return f"{scheme} ***" if sep else "***"


def _body(value: Any, what: str) -> bytes:
    if type(value) is bytes:
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)  # a copy: the caller's buffer may change afterwards
    raise RestliUsageError(f"{what} must be bytes, not {type(value).__name__}")


def seconds_arg(value: Any, name: str = "timeout", *, finite: bool = True) -> float:
    """``value`` as seconds > 0; infinite ones (an int too large for a float
    included) only when not ``finite``.

    Raises:
        RestliUsageError: not a number, not above 0 (NaN included), or infinite
            when ``finite``; the message names ``name``.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RestliUsageError(f"{name} must be seconds, not {_shown_number(value)}")
    try:
        seconds = float(value)
    except OverflowError:  # an int beyond floats: keep its sign
        seconds = math.inf if value > 0 else -math.inf
    if not seconds > 0 or (finite and seconds == math.inf):
        bound = "finite seconds > 0" if finite else "seconds > 0"
        raise RestliUsageError(f"{name} must be {bound} or None, not {_shown_number(value)}")
    return seconds


def _shown_number(value: Any) -> str:
    # repr of a huge int is slow and long (and Python refuses it past 4300 digits).
    if type(value) is int and value.bit_length() > 64:
        return f"an int of {value.bit_length()} bits"
    text = repr(value) if isinstance(value, (int, float)) else type(value).__name__
    return text[:40]


def _method(value: Any) -> str:
    if not isinstance(value, str) or not _TOKEN(value):
        shown = repr(value[:20]) if isinstance(value, str) else type(value).__name__
        raise RestliUsageError(f"method {shown} is not an HTTP method (RFC 9110 §9.1: a token)")
    return str(value)


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise RestliUsageError(f"url must be a str, not {type(value).__name__}")
    shown = redact_url(value)[:200]
    if not (value.isascii() and value.isprintable()) or " " in value:
        raise RestliUsageError(
            f"url {shown!r} is not fully encoded (spaces, control or non-ASCII characters)"
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
    if not host or parts.scheme not in ("http", "https"):
        raise RestliUsageError(f"url {shown!r} is not an absolute http:// or https:// URL")
    return str(value)


@attrs.frozen(init=False, repr=False)
class Request:
    """One HTTP request, exactly as it must be sent.

    Args and attributes:
        method: the HTTP verb actually sent (``POST`` when tunneled).
        url: the final URL, fully encoded; a transport must send it byte for byte.
        headers: the headers to send (copied into :class:`Headers`).
        body: the body bytes, or ``None``.
        restli_method: the Rest.li method this request performs (``None`` for
            non-Rest.li requests such as OAuth calls).
        tunneled: ``True`` when the query moved into the body (PROTOCOL.md §5).
        timeout: the most seconds this one exchange may take, from sending to the
            last byte of the body: finite and > 0 (``None``: only the transport's
            connect and read timeouts apply). The retry flow sets it from the
            call's deadline (:meth:`with_timeout`); not compared, not shown.

    ``repr`` and ``str`` never show the bearer token, the body (which may hold a
    client secret) or a credential in the URL (see :func:`redact_url`). A pickled
    request keeps everything, credentials included: it is what is to be sent.

    Raises:
        RestliUsageError: a method that is not an HTTP token, a URL that is not an
            absolute http(s) URL, a header name that is not a token or a value with
            CR, LF or NUL, a body that is not bytes, or an argument of the wrong type.
    """

    method: str
    url: str
    headers: Headers
    body: bytes | None
    restli_method: RestliMethod | None
    tunneled: bool
    timeout: float | None = attrs.field(eq=False)

    def __init__(
        self,
        method: str,
        url: str,
        headers: HeadersInput = None,
        body: BodyInput | None = None,
        restli_method: RestliMethod | None = None,
        tunneled: bool = False,
        timeout: float | None = None,
        *,
        _trusted: bool = False,
    ) -> None:
        if _trusted:
            # The request builder's own values, each checked as it was made (the
            # headers are its tuple of checked pairs): no second look.
            checked = headers if isinstance(headers, Headers) else Headers._of(cast(Pairs, headers))
        else:
            method = _method(method)
            url = _url(url)
            checked = Headers(headers)
            if body is not None:
                body = _body(body, "body")
            if restli_method is not None and not isinstance(restli_method, RestliMethod):
                raise RestliUsageError(
                    f"restli_method must be a RestliMethod or None, not {restli_method!r}"
                )
            if type(tunneled) is not bool:
                raise RestliUsageError(f"tunneled must be a bool, not {tunneled!r}")
            if timeout is not None:
                timeout = seconds_arg(timeout)
        setter = object.__setattr__
        setter(self, "method", method)
        setter(self, "url", url)
        setter(self, "headers", checked)
        setter(self, "body", body)
        setter(self, "restli_method", restli_method)
        setter(self, "tunneled", tunneled)
        setter(self, "timeout", timeout)

    def with_timeout(self, seconds: float | None) -> Request:
        """This request with :attr:`timeout` set to ``seconds`` (checked: > 0).

        An infinite time (what is left of an infinite deadline) is no limit:
        :attr:`timeout` is then ``None``.

        Raises:
            RestliUsageError: ``seconds`` is not a number > 0 (or ``None``).
        """
        timeout = None if seconds is None else seconds_arg(seconds, finite=False)
        return Request(
            self.method,
            self.url,
            self.headers,
            self.body,
            self.restli_method,
            self.tunneled,
            None if timeout == math.inf else timeout,
            _trusted=True,
        )

    def with_access_token(self, token: str) -> Request:
        """This request carrying ``token`` as its bearer token (``Authorization``
        replaced or added); what a client with ``credentials=`` sends.

        Raises:
            RestliUsageError: ``token`` is not a non-empty printable ASCII str
                without spaces (RFC 6750 §2.1).
        """
        if not (isinstance(token, str) and token and token.isascii() and token.isprintable()):
            raise RestliUsageError("an access token must be a non-empty printable ASCII str")
        if " " in token:
            raise RestliUsageError("an access token contains no space")
        return Request(
            self.method,
            self.url,
            self.headers.with_header(H_AUTHORIZATION, "Bearer " + token),
            self.body,
            self.restli_method,
            self.tunneled,
            self.timeout,
            _trusted=True,
        )

    @property
    def token(self) -> str | None:
        """The bearer token this request carries, if any."""
        value = self.headers.get(H_AUTHORIZATION)
        if value and value[:7].lower() == "bearer ":
            return str(value[7:])
        return None

    def __repr__(self) -> str:
        body = "None" if self.body is None else f"<{len(self.body)} bytes>"
        return (
            f"Request(method={self.method!r}, url={redact_url(self.url)!r}, "
            f"headers={self.headers!r}, "
            f"body={body}, restli_method={self.restli_method}, tunneled={self.tunneled})"
        )

    def __str__(self) -> str:
        return f"{self.method} {redact_url(self.url)}" + (" (tunneled)" if self.tunneled else "")


@attrs.frozen(init=False, repr=False)
class Response:
    """One HTTP response as received.

    Args and attributes:
        status_code: the HTTP status (100 to 999).
        headers: the response headers (copied into a case-insensitive
            :class:`Headers`): a mapping or ``(name, value)`` pairs, names and
            values as ``str``, or ``bytes`` decoded as ISO-8859-1.
        body: the body bytes (``b""`` when empty).
        url: the URL the response came from.
        raw: the HTTP library's own response object, if the transport kept it
            (not compared, not shown, not pickled).

    ``repr`` shows the URL with its credentials masked (see :func:`redact_url`). A
    pickled response holds no credential either: ``raw`` (which may keep the
    request, ``Authorization`` header included) is left out and the URL is redacted.
    ``copy.copy`` and ``copy.deepcopy`` give the response itself: it is immutable.

    Raises:
        ResponseDecodeError: a header name that is not a token, a header value
            with CR, LF or NUL, or a status outside 100-999: the server sent what
            HTTP does not allow.
        RestliUsageError: an argument of the wrong type (a status that is not an
            int, a body that is not bytes).
    """

    status_code: int
    headers: Headers
    body: bytes
    url: str
    raw: Any = attrs.field(eq=False)

    def __init__(
        self,
        status_code: int,
        headers: HeadersInput = None,
        body: BodyInput = b"",
        url: str = "",
        raw: Any = None,
    ) -> None:
        if not isinstance(url, str):
            raise RestliUsageError(f"url must be a str, not {type(url).__name__}")

        def invalid(message: str) -> RestliError:
            shown = redact_url(url)
            return ResponseDecodeError(
                f"the response from {shown[:200] or 'the server'} is not valid HTTP: {message}",
                request_url=shown,
            )

        if isinstance(status_code, bool) or not isinstance(status_code, int):
            raise RestliUsageError(f"status_code must be an int, not {status_code!r}")
        if not 100 <= status_code <= 999:  # RFC 9110 §15: three digits
            raise invalid(f"status {status_code} is not a three-digit HTTP status")
        if isinstance(headers, Headers):
            checked = headers
        else:
            checked = Headers._of(_checked_pairs(headers, invalid))
        setter = object.__setattr__
        setter(self, "status_code", int(status_code))
        setter(self, "headers", checked)
        setter(self, "body", _body(body, "body"))
        setter(self, "url", str(url))
        setter(self, "raw", raw)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickles cross into caches, task queues and files: no credential goes
        # along. ``raw`` is the HTTP library's object (often unpicklable anyway).
        return (Response, (self.status_code, self.headers, self.body, redact_url(self.url)))

    def __copy__(self) -> Response:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Response:
        return self

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON (raises ``ValueError`` if it is not JSON)."""
        return json.loads(self.body)

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status_code < 300

    def __repr__(self) -> str:
        return (
            f"Response(status_code={self.status_code}, url={redact_url(self.url)!r}, "
            f"headers={self.headers!r}, body=<{len(self.body)} bytes>)"
        )

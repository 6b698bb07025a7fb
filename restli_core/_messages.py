"""Immutable HTTP messages: :class:`Headers`, :class:`Request`, :class:`Response`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Callable, TypeVar, Union, cast

import attrs

from ._wire import H_AUTHORIZATION, RestliMethod

_T = TypeVar("_T")

HeadersInput = Union["Headers", Mapping[str, str], Iterable[tuple[str, str]], None]

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive mapping of HTTP header names to values.

    The names keep the case they were given (that is what goes on the wire); lookups
    ignore case. A name given more than once keeps every value in :attr:`raw`, and
    the mapping shows them joined with ``", "`` (RFC 9110 §5.3).
    """

    __slots__ = ("_lazy_index", "_pairs", "_source")

    _pairs: tuple[tuple[str, str], ...] | None
    _source: Any
    _lazy_index: dict[str, str] | None

    def __init__(self, headers: HeadersInput = None) -> None:
        # Both the pairs and the case-folded index are made on first use: most
        # responses are parsed without reading a header, so a transport that hands
        # over its library's header object (or an items view of it) pays nothing.
        if isinstance(headers, Headers):
            self._pairs = headers._pairs
            self._source = headers._source
            self._lazy_index = headers._lazy_index
            return
        kind = type(headers)
        self._source = None
        if kind is tuple:
            self._pairs = headers  # type: ignore[assignment]
        elif kind is list:
            self._pairs = tuple(headers)  # type: ignore[arg-type]
        elif headers is None:
            self._pairs = ()
        else:
            self._pairs = None
            self._source = headers
        self._lazy_index = None

    @property
    def raw(self) -> tuple[tuple[str, str], ...]:
        """Every ``(name, value)`` pair, in order, names as given."""
        pairs = self._pairs
        if pairs is None:
            source = self._source
            # A mapping, or any header object with items() (http.client's message)
            items = source.items() if hasattr(source, "items") else source
            pairs = self._pairs = tuple((str(n), str(v)) for n, v in items)
            self._source = None
        return pairs

    @property
    def _index(self) -> dict[str, str]:
        index = self._lazy_index
        if index is None:
            index = {}
            for name, value in self.raw:
                key = name.lower()
                if key in index:
                    index[key] = f"{index[key]}, {value}"
                else:
                    index[key] = value
            self._lazy_index = index
        return index

    def __getitem__(self, name: str) -> str:
        return self._index[name.lower()]

    def get(self, name: str, default: Any = None) -> Any:  # faster than Mapping.get
        return self._index.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for name, _ in self.raw:
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
        """A copy with ``name`` set to ``value`` (replacing any value it had)."""
        key = name.lower()
        return Headers([(n, v) for n, v in self.raw if n.lower() != key] + [(name, value)])

    def without(self, name: str) -> Headers:
        """A copy without ``name``."""
        key = name.lower()
        return Headers([(n, v) for n, v in self.raw if n.lower() != key])

    def redacted(self) -> dict[str, str]:
        """The headers as a dict, credentials replaced by ``***``."""
        return {
            name: (_redact(value) if name.lower() in _SECRET_HEADERS else value)
            for name, value in self.raw
        }

    def __repr__(self) -> str:
        return f"Headers({self.redacted()!r})"


def _redact(value: str) -> str:
    scheme, sep, _ = value.partition(" ")
    return f"{scheme} ***" if sep else "***"


def _to_headers(value: HeadersInput) -> Headers:
    return value if isinstance(value, Headers) else Headers(value)


@attrs.frozen(repr=False)
class Request:
    """One HTTP request, exactly as it must be sent.

    Attributes:
        method: the HTTP verb actually sent (``POST`` when tunneled).
        url: the final URL, fully encoded; a transport must send it byte for byte.
        headers: the headers to send.
        body: the body bytes, or ``None``.
        restli_method: the Rest.li method this request performs (``None`` for
            non-Rest.li requests such as OAuth calls).
        tunneled: ``True`` when the query moved into the body (PROTOCOL.md §5).

    ``repr`` and ``str`` never show the bearer token or the body (which may hold a
    client secret).
    """

    method: str
    url: str
    headers: Headers = attrs.field(converter=_to_headers, factory=Headers)
    body: bytes | None = None
    restli_method: RestliMethod | None = None
    tunneled: bool = False

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
            f"Request(method={self.method!r}, url={self.url!r}, headers={self.headers!r}, "
            f"body={body}, restli_method={self.restli_method}, tunneled={self.tunneled})"
        )

    def __str__(self) -> str:
        return f"{self.method} {self.url}" + (" (tunneled)" if self.tunneled else "")


@attrs.frozen(repr=False)
class Response:
    """One HTTP response as received.

    Attributes:
        status_code: the HTTP status.
        headers: the response headers (case-insensitive).
        body: the body bytes (``b""`` when empty).
        url: the URL the response came from.
        raw: the HTTP library's own response object, if the transport kept it
            (not compared, not shown).
    """

    status_code: int
    headers: Headers = attrs.field(converter=_to_headers, factory=Headers)
    body: bytes = b""
    url: str = ""
    raw: Any = attrs.field(default=None, eq=False)

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
            f"Response(status_code={self.status_code}, url={self.url!r}, "
            f"headers={self.headers!r}, body=<{len(self.body)} bytes>)"
        )


# --------------------------------------------------------------------- hot-path constructors
#
# Every call makes one Request, one Response and one typed response. The attrs
# ``__init__`` of a frozen class goes through ``object.__setattr__`` once per field
# (and Request/Response through their header converter); a maker sets the slots
# directly, for callers whose arguments are already the right types. It makes exactly
# the object ``__init__`` makes.


def slot_maker(cls: type[_T]) -> Callable[..., _T]:
    """A constructor of the frozen, slotted attrs class ``cls`` that takes every field
    positionally, in ``attrs.fields`` order, and runs no converter or validator."""
    names = [field.name for field in attrs.fields(cast(Any, cls))]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    for name in names:
        owner = next(k for k in cls.__mro__ if name in k.__dict__)
        namespace[f"_set_{name}"] = owner.__dict__[name].__set__  # read as globals
    lines = [
        f"def make({', '.join(names)}):",
        "    obj = _new(_cls)",
        *(f"    _set_{name}(obj, {name})" for name in names),
        "    return obj",
    ]
    exec("\n".join(lines), namespace)  # fixed text, built from the field names only
    make: Callable[..., _T] = namespace["make"]
    make.__qualname__ = make.__name__ = f"make_{cls.__name__}"
    return make


#: ``Request(method, url, headers, body, restli_method, tunneled)``, faster:
#: ``headers`` must already be a :class:`Headers`.
make_request: Callable[[str, str, Headers, bytes | None, RestliMethod | None, bool], Request]
make_request = slot_maker(Request)
_new = object.__new__
_hdr_pairs = Headers.__dict__["_pairs"].__set__
_hdr_source = Headers.__dict__["_source"].__set__
_hdr_index = Headers.__dict__["_lazy_index"].__set__
_resp_status, _resp_headers, _resp_body, _resp_url, _resp_raw = (
    Response.__dict__[field.name].__set__ for field in attrs.fields(Response)
)


def make_response(status_code: int, headers: Any, body: bytes, url: str, raw: Any) -> Response:
    """``Response(status_code, headers, body, url, raw)``, faster.

    ``headers`` is a mapping or an iterable of ``(name, value)`` pairs (an HTTP
    library's header object, or its ``items()``); it is read on first use only.
    """
    lazy: Headers = _new(Headers)
    _hdr_pairs(lazy, None)
    _hdr_source(lazy, headers)
    _hdr_index(lazy, None)
    response: Response = _new(Response)
    _resp_status(response, status_code)
    _resp_headers(response, lazy)
    _resp_body(response, body)
    _resp_url(response, url)
    _resp_raw(response, raw)
    return response

"""Typed responses: :func:`parse_response` turns a :class:`Response` into the object
LinkedIn's official client returns for the same Rest.li method (PROTOCOL.md §6).

The classes and their property names are those of ``linkedin-api-client`` 0.3.0
(``GetResponse.entity``, ``CollectionResponse.elements``/``paging``/``metadata``,
``BatchFinderResult.isError``, ...), with its mistakes fixed (PROTOCOL.md §8):

* a non-2xx status raises the :class:`~restli_core.ResponseError` subclass for it
  (or, with ``raise_for_status=False``, comes back with the error in ``.error``);
* collection ``metadata`` is kept (cursor paging needs ``metadata.nextPageToken``);
* a missing map or list is empty, never a crash; 201/204 with no body are fine;
* the created id is never decoded unless it is a compound/complex key, and a bad
  one is a :class:`~restli_core.ResponseDecodeError`, never a hang;
* every response keeps the whole decoded body in ``data`` (unknown fields included);
* batch maps (:class:`BatchResults`) can be looked up by the id as it was given
  (``results[123]``, ``results[{"campaign": ..., "conversion": ...}]``) as well as
  by the encoded key the server sent.

Partial failures inside a batch never raise: they are in the result.

As the official client's: ``response.response`` is the HTTP library's own response
object (a ``requests.Response`` through ``restli_requests``; ``.request`` is the
request it sent), and ``vars(obj)`` (``obj.__dict__``) holds the attributes the
official class has, so its serialisation, ``json.dumps(obj, default=lambda o:
o.__dict__)``, gives JSON here too (see :class:`BaseRestliResponse`).

Parsing costs one ``json.loads`` plus a few attribute assignments: entity lists are
handed over as decoded, never copied or walked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Dict, TypeVar, cast

import attrs

from ._codec import reduced_decode, reduced_encode
from ._errors import (
    ResponseDecodeError,
    ResponseError,
    RestliError,
    RestliUsageError,
    describe_body,
    error_from_response,
    redact_url,
    request_secrets,
    without_secrets,
)
from ._messages import Headers, Request, Response
from ._wire import H_LINKEDIN_ID, H_RESTLI_ID, RestliMethod

__all__ = [
    "ActionResponse",
    "BaseRestliResponse",
    "BatchCreateResponse",
    "BatchCreateResult",
    "BatchDeleteResponse",
    "BatchDeleteResult",
    "BatchFinderResponse",
    "BatchFinderResult",
    "BatchGetResponse",
    "BatchResults",
    "BatchUpdateResponse",
    "BatchUpdateResult",
    "CollectionResponse",
    "CreateResponse",
    "GetResponse",
    "Paging",
    "UpdateResponse",
    "parse_response",
]

_V = TypeVar("_V")


# --------------------------------------------------------------------------- batch maps


class BatchResults(Dict[str, _V]):
    """A batch result map keyed by the encoded entity id, as the server sent it.

    It is a plain ``dict`` whose keys are the reduced-encoded ids (exactly the
    official client's keys), except that lookups (``[]``, :meth:`get`, ``in``) also
    accept the id as it was given to the request: an ``int``, a ``str``, a ``Urn``
    or a ``dict`` for a compound/complex key. Such an id is reduced-encoded and, if
    the server spelled that key differently (another field order, other escaping),
    matched by its decoded value.

    The other spellings are worked out as keys go in (at construction, and through
    ``[]=``, :meth:`update`, :meth:`setdefault` and ``|=``), so a lookup never walks
    the map.
    """

    __slots__ = ("_aliases",)

    _aliases: dict[str, str]  # canonical spelling -> the key as the server wrote it

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._aliases = {}
        self._note(self)

    def _note(self, keys: Iterable[Any]) -> None:
        aliases = self._aliases
        for key in keys:
            if type(key) is str and not _CANONICAL(key):
                canonical = _canonical_key(key)
                if canonical != key:
                    aliases[canonical] = key

    def __setitem__(self, key: str, value: _V) -> None:
        dict.__setitem__(self, key, value)
        self._note((key,))

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Add entries, as ``dict.update`` does."""
        added: dict[Any, Any] = dict(*args, **kwargs)
        dict.update(self, added)
        self._note(added)

    def setdefault(self, key: str, default: Any = None) -> Any:
        """As ``dict.setdefault``."""
        if not dict.__contains__(self, key):
            self[key] = default
        return dict.__getitem__(self, key)

    def __ior__(self, other: Any) -> BatchResults[_V]:  # type: ignore[override,misc]
        self.update(other)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Copies and pickles are rebuilt through __init__, which notes the keys.
        return (type(self), (dict(self),))

    def __getitem__(self, key: Any) -> _V:
        try:
            return dict.__getitem__(self, key)
        except (KeyError, TypeError):  # TypeError: an unhashable dict id
            real = self._resolve(key)
            if real is None:
                raise KeyError(key) from None
            return dict.__getitem__(self, real)

    def get(self, key: Any, default: Any = None) -> Any:
        """The value for ``key`` (encoded key or unencoded id), else ``default``."""
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        try:
            if dict.__contains__(self, key):
                return True
        except TypeError:
            pass
        return self._resolve(key) is not None

    def key_for(self, key: Any) -> str | None:
        """The encoded key the server used for ``key``, or ``None`` if absent."""
        try:
            if dict.__contains__(self, key):
                return str(key)
        except TypeError:
            pass
        return self._resolve(key)

    def _resolve(self, key: Any) -> str | None:
        try:
            encoded = reduced_encode(key)
        except (RestliError, RecursionError):
            return None
        candidates = [encoded]
        if isinstance(key, str):
            # The text may already be an encoded key, spelled unlike the server's.
            candidates.append(_canonical_key(key))
        for candidate in candidates:
            if dict.__contains__(self, candidate):
                return candidate
            real = self._aliases.get(candidate)
            if real is not None and dict.__contains__(self, real):
                return real
        return None

    def __repr__(self) -> str:
        return f"BatchResults({dict.__repr__(self)})"


# Keys already in canonical spelling: text whose only escapes are those of the
# reduced form's own characters ``( ) , : ' %``, in uppercase (what reduced_encode
# writes). Such a key is its own canonical form; others are worked out.
_CANONICAL = re.compile(r"(?:[^(),:'%]|%(?:28|29|2C|3A|27|25))+").fullmatch


def _canonical_key(key: str) -> str:
    """``key`` re-encoded from its decoded value, so equal ids compare equal."""
    try:
        return reduced_encode(reduced_decode(key))
    except RestliError:
        # Not valid reduced form (e.g. an unescaped URN such as urn:li:x:1): the
        # server wrote the raw text, whose encoded form is the canonical one.
        try:
            return reduced_encode(key)
        except RestliError:  # pragma: no cover - every str has a reduced form
            return key


# --------------------------------------------------------------------------- classes


class _Official:
    """Gives an immutable (slotted) class the ``__dict__`` of its official counterpart.

    ``vars(obj)`` and ``obj.__dict__`` are a new dict of the attributes named in
    ``_OFFICIAL``, made on each access: changing it changes nothing in ``obj``. (The
    object itself is stored in slots, frozen.)
    """

    __slots__ = ()

    # The attributes the official client's class sets in __init__, in its order.
    _OFFICIAL: ClassVar[tuple[str, ...]] = ()

    @property
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]  # a view, not storage
        return {name: getattr(self, name) for name in self._OFFICIAL}


def library_response(response: Response) -> Any:
    """What a typed response shows as its ``response``: the HTTP library's own
    response object (:attr:`Response.raw`) when the transport kept one, else
    ``response`` itself (the pure core, mock transports)."""
    raw = response.raw
    return response if raw is None else raw


def _count_repr(value: Any) -> str:
    return f"<{len(value)} items>" if isinstance(value, (list, dict)) else repr(value)


def _links_repr(links: Any) -> str:
    # A server may echo the request's query into its links, token parameter included.
    if not isinstance(links, list):
        return repr(links)
    shown = [
        {k: redact_url(v) if k == "href" and isinstance(v, str) else v for k, v in link.items()}
        if isinstance(link, dict)
        else link
        for link in links
    ]
    return repr(shown)


@attrs.frozen
class Paging(_Official):
    """Paging of a collection (``paging`` in FINDER / GET_ALL answers).

    Attributes:
        start: the start index of the returned results (zero-based).
        count: the number of results asked for / returned.
        total: the total number of results, when the server knows it.
        links: the server's paging links (``{"rel", "href", "type"}``), if any
            (``repr`` masks credentials in the ``href`` values).

    ``vars()`` holds ``start``, ``count`` and ``total``, as the official class.
    """

    _OFFICIAL = ("start", "count", "total")

    start: int | None = None
    count: int | None = None
    total: int | None = None
    links: list[Any] = attrs.field(factory=list, repr=_links_repr)


@attrs.frozen
class BaseRestliResponse(_Official):
    """What every Rest.li response has.

    Args:
        status_code, url, headers, error, data: the attributes below.
        response: the core :class:`~restli_core.Response` received (kept as
            :attr:`core_response`).

    Attributes:
        status_code: the HTTP status.
        url: the URL the response came from, with credentials masked (see
            :func:`~restli_core.transport.redact_url`: a token passed as the
            ``oauth2_access_token`` query parameter shows as ``***``). The URL
            exactly as sent is the request's.
        headers: the response headers (case-insensitive mapping).
        response: the HTTP library's own response object, as the official client's
            (``requests.Response`` through ``restli_requests``, ``httpx.Response``
            through ``restli_httpx``...: ``response.response.request`` is what that
            library sent); the core :class:`~restli_core.Response` when the
            transport kept none (the pure core, mock transports). Never shown in
            ``repr``, never pickled (a library's response may hold the request,
            ``Authorization`` header included): an unpickled response has the core
            one here.
        core_response: the core :class:`~restli_core.Response` (status, headers,
            body bytes, URL; ``.raw`` is the library's object), the same type
            whatever the transport. Errors keep this one: ``ResponseError.response``
            is a core ``Response``.
        error: with ``raise_for_status=False``, the :class:`ResponseError` a non-2xx
            status stands for (not raised); ``None`` on success.
        data: the whole decoded JSON body (``None`` when the body is empty), so
            fields this class has no property for are never lost.

    Responses are immutable. ``vars(response)`` (``response.__dict__``) is a new
    dict of what the official client's class holds, less the exchange itself
    (``headers`` and ``response``, which are not data): ``status_code``, ``url`` and
    the class's own fields (``entity``, ``elements``, ``paging``...). So the official
    client's serialisation, ``json.dumps(response, default=lambda o: o.__dict__)``,
    gives the response as JSON. Our additions (``error``, ``data``,
    ``decoded_entity_id``, ``Paging.links``...) are attributes only.
    """

    # Top-level body fields this class exposes; ``None``: the body is an entity.
    _ENVELOPE: ClassVar[frozenset[str] | None] = None
    _OFFICIAL: ClassVar[tuple[str, ...]] = ("status_code", "url")

    status_code: int
    url: str = attrs.field(converter=redact_url)
    headers: Headers
    _core_response: Response = attrs.field(alias="response", repr=False)
    error: ResponseError | None = attrs.field(default=None, kw_only=True)
    data: Any = attrs.field(default=None, kw_only=True, repr=False)

    @property
    def response(self) -> Any:
        """The HTTP library's own response object, else the core ``Response``."""
        return library_response(self._core_response)

    @property
    def core_response(self) -> Response:
        """The core :class:`~restli_core.Response` this response was parsed from."""
        return self._core_response

    @property
    def extra(self) -> dict[str, Any]:
        """Top-level fields of the body that no property of this class exposes."""
        known = self._ENVELOPE
        if known is None or not isinstance(self.data, dict):
            return {}
        return {k: v for k, v in self.data.items() if k not in known}


@attrs.frozen
class GetResponse(BaseRestliResponse):
    """GET: ``entity`` is the decoded entity (usually a dict)."""

    _OFFICIAL = ("status_code", "url", "entity")

    entity: Any = None


@attrs.frozen
class BatchGetResponse(BaseRestliResponse):
    """BATCH_GET.

    Attributes:
        results: entities fetched, by encoded id.
        statuses: status per encoded id (a result without a status means 200).
        errors: error responses for the ids that could not be fetched.
    """

    _ENVELOPE = frozenset({"results", "statuses", "errors"})
    _OFFICIAL = ("status_code", "url", "results", "statuses", "errors")

    results: BatchResults[Any] = attrs.field(factory=BatchResults, repr=_count_repr)
    statuses: BatchResults[Any] = attrs.field(factory=BatchResults, repr=_count_repr)
    errors: BatchResults[Any] = attrs.field(factory=BatchResults)


@attrs.frozen
class CollectionResponse(BaseRestliResponse):
    """FINDER and GET_ALL.

    Attributes:
        elements: the entities of this page.
        paging: :class:`Paging` (all ``None`` when the server sent none).
        metadata: the response metadata (e.g. ``nextPageToken``), or ``None``.
    """

    _ENVELOPE = frozenset({"elements", "paging", "metadata"})
    _OFFICIAL = ("status_code", "url", "elements", "paging", "metadata")

    elements: list[Any] = attrs.field(factory=list, repr=_count_repr)
    paging: Paging = attrs.field(factory=Paging)
    metadata: Any = None


@attrs.frozen
class BatchFinderResult(_Official):
    """One criteria's answer in a BATCH_FINDER response.

    Attributes:
        elements: the entities found ([] for a failed criteria).
        paging: :class:`Paging`, or ``None`` if the server sent none.
        metadata: response metadata, or ``None``.
        error: the error response when this criteria failed.
        isError: whether this criteria failed (the official client's name).
    """

    _OFFICIAL = ("elements", "paging", "metadata", "error", "isError")

    elements: list[Any] = attrs.field(factory=list, repr=_count_repr)
    paging: Paging | None = None
    metadata: Any = None
    error: Any = None
    isError: bool = False  # the official client's property name (not snake_case)


@attrs.frozen
class BatchFinderResponse(BaseRestliResponse):
    """BATCH_FINDER: ``results`` holds one :class:`BatchFinderResult` per criteria,
    in request order."""

    _ENVELOPE = frozenset({"elements"})
    _OFFICIAL = ("status_code", "url", "results")

    results: list[BatchFinderResult] = attrs.field(factory=list)


@attrs.frozen
class CreateResponse(BaseRestliResponse):
    """CREATE.

    Attributes:
        entity_id: the created id as sent in ``X-RestLi-Id`` (reduced-encoded text).
        decoded_entity_id: a simple id as that same text (never unescaped); a
            compound or complex id (``(...)``) decoded to a dict.
        entity: the created entity, when the API returns it; else ``None``.
    """

    _OFFICIAL = ("status_code", "url", "entity_id", "entity")

    entity_id: str | None = None
    decoded_entity_id: Any = None
    entity: Any = None


@attrs.frozen
class BatchCreateResult(_Official):
    """One entity's answer in a BATCH_CREATE response (request order).

    Attributes:
        status: its status (201 on success).
        id: the created id, as the server wrote it.
        error: the error response when it failed.
        location: the created entity's location, if given.
    """

    _OFFICIAL = ("status", "id", "error")

    status: int | None = None
    id: Any = None
    error: Any = None
    location: str | None = None


@attrs.frozen
class BatchCreateResponse(BaseRestliResponse):
    """BATCH_CREATE: ``elements`` holds one :class:`BatchCreateResult` per entity."""

    _ENVELOPE = frozenset({"elements"})
    _OFFICIAL = ("status_code", "url", "elements")

    elements: list[BatchCreateResult] = attrs.field(factory=list)


@attrs.frozen
class UpdateResponse(BaseRestliResponse):
    """UPDATE and PARTIAL_UPDATE: ``entity`` when the API returns it, else ``None``."""

    _OFFICIAL = ("status_code", "url", "entity")

    entity: Any = None


@attrs.frozen
class BatchUpdateResult(_Official):
    """One entity's status in a BATCH_UPDATE / BATCH_PARTIAL_UPDATE response."""

    _OFFICIAL = ("status",)

    status: int | None = None
    error: Any = None


@attrs.frozen
class BatchUpdateResponse(BaseRestliResponse):
    """BATCH_UPDATE and BATCH_PARTIAL_UPDATE.

    Attributes:
        results: :class:`BatchUpdateResult` per encoded id.
        errors: error responses per encoded id.
    """

    _ENVELOPE = frozenset({"results", "errors"})
    _OFFICIAL = ("status_code", "url", "results")

    results: BatchResults[BatchUpdateResult] = attrs.field(factory=BatchResults)
    errors: BatchResults[Any] = attrs.field(factory=BatchResults)


@attrs.frozen
class BatchDeleteResult(_Official):
    """One entity's status in a BATCH_DELETE response."""

    _OFFICIAL = ("status",)

    status: int | None = None
    error: Any = None


@attrs.frozen
class BatchDeleteResponse(BaseRestliResponse):
    """BATCH_DELETE.

    Attributes:
        results: :class:`BatchDeleteResult` per encoded id.
        errors: error responses per encoded id.
    """

    _ENVELOPE = frozenset({"results", "errors"})
    _OFFICIAL = ("status_code", "url", "results")

    results: BatchResults[BatchDeleteResult] = attrs.field(factory=BatchResults)
    errors: BatchResults[Any] = attrs.field(factory=BatchResults)


@attrs.frozen
class ActionResponse(BaseRestliResponse):
    """ACTION: ``value`` is the action's return value (``None`` for void actions)."""

    _ENVELOPE = frozenset({"value"})
    _OFFICIAL = ("status_code", "url", "value")

    value: Any = None


# --------------------------------------------------------------------------- parsing


class _Shape(Exception):
    """Internal: the body is JSON but not the shape the method answers with."""


# The fields every response has, as keyword arguments: status_code, url, headers,
# response, error, data.
_Common = Dict[str, Any]
_Parser = Callable[[_Common, Any, Response], BaseRestliResponse]


def parse_response(
    request: Request, response: Response, *, raise_for_status: bool = True
) -> BaseRestliResponse:
    """Turn ``response`` into the typed response for ``request.restli_method``.

    GET -> :class:`GetResponse`; BATCH_GET -> :class:`BatchGetResponse`; FINDER and
    GET_ALL -> :class:`CollectionResponse`; BATCH_FINDER -> :class:`BatchFinderResponse`;
    CREATE -> :class:`CreateResponse`; BATCH_CREATE -> :class:`BatchCreateResponse`;
    UPDATE and PARTIAL_UPDATE -> :class:`UpdateResponse`; BATCH_UPDATE and
    BATCH_PARTIAL_UPDATE -> :class:`BatchUpdateResponse`; BATCH_DELETE ->
    :class:`BatchDeleteResponse`; ACTION -> :class:`ActionResponse`; DELETE (and a
    request without a Rest.li method) -> :class:`BaseRestliResponse`.

    Args:
        request: the request that was sent (its method chooses the class).
        response: the response received.
        raise_for_status: raise the :class:`ResponseError` for a non-2xx status
            (default). With ``False``, return the typed response instead, with the
            error in its ``error`` attribute and whatever of the body could be parsed.

    Returns:
        The typed response.

    Raises:
        ResponseError: the subclass for a non-2xx status (unless
            ``raise_for_status=False``).
        ResponseDecodeError: a 2xx response whose body (or ``X-RestLi-Id``) is
            not what the method answers with (independent of ``raise_for_status``).
        RestliUsageError: ``request`` or ``response`` is not one.
    """
    if not isinstance(request, Request) or not isinstance(response, Response):
        raise RestliUsageError(
            f"parse_response takes a Request and a Response, not {type(request).__name__} "
            f"and {type(response).__name__}"
        )
    status = response.status_code
    ok = 200 <= status <= 299
    error: ResponseError | None = None
    if not ok:
        error = error_from_response(request, response)
        if raise_for_status:
            raise error
        # The error's response is this one, or a copy with any credential the
        # server echoed masked: the typed answer shows what the error shows.
        response = cast("Response", error.response or response)
    method = request.restli_method
    parser = _PARSERS.get(method) if method is not None else None

    body = response.body
    data: Any = None
    failure: tuple[ResponseDecodeError, BaseException | None] | None = None
    if body:
        try:
            # JSON on the wire is UTF-8 (RFC 8259 §8.1); decoding it here spares
            # json.loads its encoding detection. A bad byte is a ValueError too.
            data = json.loads(body.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            # A body that is only whitespace is as good as empty; DELETE and
            # non-Rest.li answers are not parsed, so their body is never an error.
            if ok and parser is not None and body.strip():
                decode_error = _decode_error(request, response, _json_problem(exc, body, request))
                # json's error keeps the whole body (``doc``, ``object``): it is
                # not chained, even implicitly, when that body echoes a credential.
                safe = decode_error.response is response
                failure = (decode_error, exc if safe else None)
            data = None
    if failure is not None:
        raise failure[0] from failure[1]

    common: _Common = {
        "status_code": status,
        "url": response.url or request.url,
        "headers": response.headers,
        "response": response,
        "error": error,
        "data": data,
    }
    if parser is None:
        return BaseRestliResponse(**common)
    try:
        return parser(common, data, response)
    except _Shape as exc:
        if ok:
            raise _decode_error(request, response, str(exc)) from exc.__cause__
        # An error body is not the method's shape: keep it in ``data`` only.
        return parser(common, None, response)


def _decode_error(request: Request, response: Response, detail: str) -> ResponseDecodeError:
    method = request.restli_method
    what = method.name if method is not None else "HTTP"
    url = redact_url(request.url)
    return ResponseDecodeError(
        f"cannot parse the {what} response ({response.status_code}) to "
        f"{request.method} {url}: {detail}",
        response=without_secrets(response, request_secrets(request)),
        request_method=request.method,
        request_url=url,
    )


def _json_problem(exc: BaseException, body: bytes, request: Request) -> str:
    description = describe_body(body, request_secrets(request))
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON ({exc.msg} at byte {exc.pos}); {description}"
    if isinstance(exc, UnicodeDecodeError):
        return f"the body is not UTF-8 text; {description}"
    if isinstance(exc, RecursionError):
        return "the JSON is nested too deeply to parse"
    return description


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _envelope(data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if type(data) is not dict:
        raise _Shape(f"expected a JSON object, found {_type_name(data)}")
    return data


def _list(container: dict[str, Any], name: str, where: str = "") -> list[Any]:
    value = container.get(name)
    if value is None:
        return []
    if type(value) is not list:
        raise _Shape(f"{where}{name!r} is a {_type_name(value)}, expected a list")
    return value


def _map(container: dict[str, Any], name: str) -> dict[str, Any]:
    value = container.get(name)
    if value is None:
        return {}
    if type(value) is not dict:
        raise _Shape(f"{name!r} is a {_type_name(value)}, expected an object")
    return value


def _status(entry: dict[str, Any], where: str) -> int | None:
    value = entry.get("status")
    if value is None or type(value) is int:
        return value
    raise _Shape(f"{where}'status' is a {_type_name(value)}, expected an integer")


def _paging(value: Any, where: str) -> Paging:
    if value is None:
        return Paging(None, None, None, [])
    if type(value) is not dict:
        raise _Shape(f"{where}'paging' is a {_type_name(value)}, expected an object")
    start = value.get("start")
    count = value.get("count")
    total = value.get("total")
    links = value.get("links")
    if (
        (start is None or type(start) is int)
        and (count is None or type(count) is int)
        and (total is None or type(total) is int)
        and type(links) is list
    ):
        return Paging(start, count, total, links)  # the common case
    for name, number in (("start", start), ("count", count), ("total", total)):
        if number is not None and type(number) is not int:
            raise _Shape(f"{where}'paging.{name}' is a {_type_name(number)}, expected an integer")
    return Paging(start, count, total, _list(value, "links", f"{where}paging."))


def _get(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    return GetResponse(**common, entity=data)


def _update(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    return UpdateResponse(**common, entity=data)


def _collection(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    if type(data) is dict:  # the common case, checked inline
        elements = data.get("elements")
        paging = data.get("paging")
        if type(elements) is list and type(paging) is dict:
            return CollectionResponse(
                **common,
                elements=elements,
                paging=_paging(paging, ""),
                metadata=data.get("metadata"),
            )
    body = _envelope(data)
    return CollectionResponse(
        **common,
        elements=_list(body, "elements"),
        paging=_paging(body.get("paging"), ""),
        metadata=body.get("metadata"),
    )


def _batch_get(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    body = _envelope(data)
    return BatchGetResponse(
        **common,
        results=BatchResults(_map(body, "results")),
        statuses=BatchResults(_map(body, "statuses")),
        errors=BatchResults(_map(body, "errors")),
    )


def _batch_finder(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    body = _envelope(data)
    results = []
    for i, entry in enumerate(_list(body, "elements")):
        where = f"elements[{i}]."
        if type(entry) is not dict:
            raise _Shape(f"elements[{i}] is a {_type_name(entry)}, expected an object")
        error = entry.get("error")
        paging = entry.get("paging")
        results.append(
            BatchFinderResult(
                elements=_list(entry, "elements", where),
                paging=None if paging is None else _paging(paging, where),
                metadata=entry.get("metadata"),
                error=error,
                # Rest.li marks a failed criteria with isError: true and an error.
                isError=entry.get("isError") is True or error is not None,
            )
        )
    return BatchFinderResponse(**common, results=results)


def _create(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    headers = response.headers
    name = H_RESTLI_ID if H_RESTLI_ID in headers else H_LINKEDIN_ID  # the 1.0 name
    entity_id = headers.get(name)
    if entity_id is not None and _repeated(headers, name):
        # Headers joins repeated fields with ", " (RFC 9110 §5.3): that would pass
        # two ids off as one. A created entity has one id.
        if common["error"] is None:
            raise _Shape(f"the {name} header is sent more than once: which id was created?")
        entity_id = None  # an error answer's id header is not trusted
    decoded: Any = entity_id
    if entity_id is not None and entity_id.startswith("("):
        # PROTOCOL.md §6: a compound/complex key is in reduced form; a simple id is
        # raw text and must not be unescaped.
        if common["error"] is not None:
            decoded = None  # an error answer's id header is not trusted
        else:
            try:
                decoded = reduced_decode(entity_id)
            except RestliError as exc:
                raise _Shape(f"the {name} header {entity_id[:60]!r} is invalid: {exc}") from exc
    # The official client treats an empty JSON body as "no entity returned".
    return CreateResponse(
        **common, entity_id=entity_id, decoded_entity_id=decoded, entity=data if data else None
    )


def _repeated(headers: Headers, name: str) -> bool:
    wanted = name.lower()
    return sum(1 for key, _ in headers.raw if key.lower() == wanted) > 1


def _batch_create(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    body = _envelope(data)
    results = []
    for i, entry in enumerate(_list(body, "elements")):
        where = f"elements[{i}]."
        if type(entry) is not dict:
            raise _Shape(f"elements[{i}] is a {_type_name(entry)}, expected an object")
        location = entry.get("location")
        results.append(
            BatchCreateResult(
                status=_status(entry, where),
                id=entry.get("id"),
                error=entry.get("error"),
                location=location if isinstance(location, str) else None,
            )
        )
    return BatchCreateResponse(**common, elements=results)


def _status_map(
    body: dict[str, Any], result: type[BatchUpdateResult] | type[BatchDeleteResult]
) -> BatchResults[Any]:
    out: dict[str, Any] = {}
    for key, entry in _map(body, "results").items():
        where = f"results[{key!r}]."
        if type(entry) is not dict:
            raise _Shape(f"results[{key!r}] is a {_type_name(entry)}, expected an object")
        out[key] = result(status=_status(entry, where), error=entry.get("error"))
    return BatchResults(out)


def _batch_update(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    body = _envelope(data)
    return BatchUpdateResponse(
        **common,
        results=_status_map(body, BatchUpdateResult),
        errors=BatchResults(_map(body, "errors")),
    )


def _batch_delete(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    body = _envelope(data)
    return BatchDeleteResponse(
        **common,
        results=_status_map(body, BatchDeleteResult),
        errors=BatchResults(_map(body, "errors")),
    )


def _action(common: _Common, data: Any, response: Response) -> BaseRestliResponse:
    return ActionResponse(**common, value=_envelope(data).get("value"))


_PARSERS: dict[RestliMethod, _Parser] = {
    RestliMethod.GET: _get,
    RestliMethod.BATCH_GET: _batch_get,
    RestliMethod.GET_ALL: _collection,
    RestliMethod.FINDER: _collection,
    RestliMethod.BATCH_FINDER: _batch_finder,
    RestliMethod.CREATE: _create,
    RestliMethod.BATCH_CREATE: _batch_create,
    RestliMethod.UPDATE: _update,
    RestliMethod.PARTIAL_UPDATE: _update,
    RestliMethod.BATCH_UPDATE: _batch_update,
    RestliMethod.BATCH_PARTIAL_UPDATE: _batch_update,
    RestliMethod.BATCH_DELETE: _batch_delete,
    RestliMethod.ACTION: _action,
}

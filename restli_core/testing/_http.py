"""The server's reading of a request: un-tunneling, query strings, masks, JSON bodies.

Everything here reads what a Rest.li 2.0 client sends (PROTOCOL.md §2-5) the way the
reference server does (``QueryTunnelUtil``, ``URIParamUtils.parseUriParams``,
``URIElementParser`` in linkedin/rest.li), and turns every malformed input into a
:class:`RestliServiceError` carrying the HTTP status a real server would answer with.
"""

from __future__ import annotations

import json
import math
import re
import reprlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Union
from urllib.parse import unquote, urlsplit

import attrs

from .._codec import decode
from .._errors import RestliDecodeError, RestliError
from .._messages import Request
from .._wire import (
    CT_FORM,
    CT_JSON,
    CT_MULTIPART_MIXED,
    H_CONTENT_TYPE,
    H_METHOD_OVERRIDE,
    PROJECTION_PARAMS,
)

__all__ = [
    "MAX_DEPTH",
    "Incoming",
    "Mask",
    "Resolver",
    "RestliServiceError",
    "accepts_gzip",
    "apply_mask",
    "clip",
    "is_dot_segment",
    "parse_json",
    "parse_mask",
    "parse_projection",
    "parse_query",
    "read_request",
    "show",
]

# A projection mask: field name -> sub-mask (None selects the whole field). A name
# with ``~`` asks for a decoration (``displayImage~``, ``displayImage~:playableStreams``).
Mask = dict[str, Union["Mask", None]]

# Resolves a URN for a ``~`` decoration: ``resolve(urn, view)`` gives the decorated
# value, or ``None`` when the URN cannot be resolved.
Resolver = Callable[[str, Union[str, None]], Any]

# Service error codes LinkedIn documents for these symbolic codes; anything else is 0.
_SERVICE_ERROR_CODES: dict[str, int] = {
    "ACCESS_DENIED": 100,
    "TOO_MANY_REQUESTS": 101,
    "INVALID_ACCESS_TOKEN": 65600,
    "REVOKED_ACCESS_TOKEN": 65601,
    "EXPIRED_ACCESS_TOKEN": 65602,
    "EMPTY_ACCESS_TOKEN": 65604,
}

# The symbolic ``code`` used when an error does not name one.
DEFAULT_CODES: dict[int, str] = {
    400: "BAD_REQUEST",
    401: "INVALID_ACCESS_TOKEN",
    403: "ACCESS_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    414: "URI_TOO_LONG",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_FAILED",
    426: "NONEXISTENT_VERSION",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}

_SHOW = reprlib.Repr()
_SHOW.maxlevel = 3
_SHOW.maxstring = 60
_SHOW.maxother = 60
_SHOW.maxlist = _SHOW.maxdict = 4


def show(value: Any) -> str:
    """A short repr for error messages, safe on huge or deeply nested values."""
    return _SHOW.repr(value)


_CLIP = 200  # characters of request text quoted in an error message


def clip(text: str) -> str:
    """``text`` cut to at most 200 characters, for error messages."""
    return text if len(text) <= _CLIP else f"{text[: _CLIP - 3]}..."


_OVERRIDABLE = frozenset({"GET", "POST", "PUT", "DELETE"})
_MAX_BOUNDARY = 70  # RFC 2046 §5.1.1


class RestliServiceError(RestliError):
    """Raise this from a finder, batch finder or action to answer with a Rest.li error.

    The server turns it into the error body LinkedIn sends
    (``{"status", "serviceErrorCode", "code", "message"}``, plus ``errorDetails``
    when given) with the header ``X-RestLi-Error-Response: true``. Inside a batch
    finder it fails only that criteria (an ``isError`` entry).

    Args:
        status: the HTTP status (4xx or 5xx).
        message: the human-readable ``message``.
        code: the symbolic ``code``; defaults to one that fits ``status``.
        service_error_code: LinkedIn's numeric ``serviceErrorCode``; defaults to the
            documented one for ``code``, else 0.
        error_details: ``errorDetails`` (e.g. ``{"inputErrors": [...]}``), if any.
        headers: extra response headers (e.g. ``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        service_error_code: int | None = None,
        error_details: Mapping[str, Any] | None = None,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.status = status
        self.message = message
        self.code = code or DEFAULT_CODES.get(status, "ERROR")
        self.service_error_code = (
            service_error_code
            if service_error_code is not None
            else _SERVICE_ERROR_CODES.get(self.code, 0)
        )
        self.error_details = dict(error_details) if error_details else None
        self.headers = tuple(headers)
        super().__init__(f"{status} {self.code}: {message}")

    def body(self) -> dict[str, Any]:
        """The JSON error body, as LinkedIn spells it."""
        out: dict[str, Any] = {
            "status": self.status,
            "serviceErrorCode": self.service_error_code,
            "code": self.code,
            "message": self.message,
        }
        if self.error_details is not None:
            out["errorDetails"] = self.error_details
        return out


def bad_request(
    message: str, *, field: str | None = None, code: str = "BAD_REQUEST"
) -> RestliServiceError:
    """A 400, with ``errorDetails.inputErrors`` naming ``field`` when given."""
    details = None
    if field is not None:
        details = {
            "inputErrors": [
                {
                    "code": code,
                    "description": message,
                    "input": {"inputPath": {"fieldPath": field}},
                }
            ]
        }
    return RestliServiceError(400, message, code=code, error_details=details)


# --------------------------------------------------------------------------- content types


def parse_content_type(value: str | None) -> tuple[str, dict[str, str]]:
    """Split ``type/subtype; k=v`` into the lowercase media type and its parameters."""
    if not value:
        return "", {}
    media, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for piece in rest.split(";"):
        name, eq, val = piece.partition("=")
        name = name.strip().lower()
        if not name or not eq:
            continue
        val = val.strip()
        if len(val) >= 2 and val[0] == val[-1] == '"':
            val = val[1:-1]
        params[name] = val
    return media.strip().lower(), params


def is_json(content_type: str | None) -> bool:
    """True when a body of this type is JSON (a missing type counts as JSON, as in Rest.li)."""
    media, _ = parse_content_type(content_type)
    return media in ("", CT_JSON) or media.endswith("+json")


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether a request's ``Accept-Encoding`` lets the answer be gzip-compressed.

    As RFC 9110 §12.5.3 reads it: ``gzip`` (or ``x-gzip``) with a ``q`` above 0, or,
    when neither is named, ``*`` with a ``q`` above 0. A request without the header
    gets its answer as is (a client that asks for nothing may not decode anything).

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("identity"), accepts_gzip("*;q=0")
    (True, False, False)
    """
    if not accept_encoding:
        return False
    named: float | None = None
    anything: float | None = None
    for item in accept_encoding.split(","):
        coding, *params = item.split(";")
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        coding = coding.strip().lower()
        if coding in ("gzip", "x-gzip"):
            named = max(weight, named or 0.0)
        elif coding == "*":
            anything = weight
    chosen = named if named is not None else anything
    return chosen is not None and chosen > 0


# --------------------------------------------------------------------------- un-tunneling


@attrs.frozen
class Incoming:
    """A request as the resource sees it: un-tunneled, its query split and decoded.

    Attributes:
        http_method: the effective verb (``X-HTTP-Method-Override`` when tunneled).
        path: the URL path as sent (still percent-encoded).
        query: the raw query text (from the URL, or from the tunneled body).
        pairs: the raw ``(name, value)`` pairs of the query, names unescaped.
        params: the decoded parameters (projection masks parsed as :data:`Mask`).
        body: the entity body (the JSON part of a multipart body), or ``None``.
        content_type: the entity body's ``Content-Type``.
        tunneled: ``True`` when the query came in the body.
    """

    http_method: str
    path: str
    query: str
    pairs: tuple[tuple[str, str], ...]
    params: Mapping[str, Any]
    body: bytes | None
    content_type: str | None
    tunneled: bool


def split_url(url: str) -> tuple[str, str]:
    """The raw path and query of ``url``."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise bad_request(f"the URL cannot be parsed: {exc}") from None
    return parts.path, parts.query


def effective_method(request: Request) -> str:
    """The verb the request means: the override header of a tunneled POST, else its own."""
    method = request.method.upper()
    if method == "POST":
        override = request.headers.get(H_METHOD_OVERRIDE)
        if override is not None:
            return str(override).strip().upper()
    return method


def read_request(request: Request) -> Incoming:
    """Un-tunnel ``request`` and parse its query (PROTOCOL.md §5, ``QueryTunnelUtil``).

    Raises:
        RestliServiceError: 400 for a malformed URL, query, form or multipart body;
            415 when a tunneled body is neither a form nor ``multipart/mixed``.
    """
    path, url_query = split_url(request.url)
    method = request.method.upper()
    body = request.body
    content_type = request.headers.get(H_CONTENT_TYPE)
    override = request.headers.get(H_METHOD_OVERRIDE)
    tunneled = False
    query = url_query
    # Rest.li un-tunnels only a POST carrying the override header; elsewhere the
    # header means nothing (QueryTunnelUtil.decode).
    if method == "POST" and override is not None:
        tunneled = True
        method = str(override).strip().upper()
        if method not in _OVERRIDABLE:
            raise bad_request(
                f"X-HTTP-Method-Override must be GET, POST, PUT or DELETE, not {show(override)}"
            )
        media, ct_params = parse_content_type(content_type)
        if media == CT_FORM:
            tunneled_query = _text(body or b"", "the tunneled query (form body)")
            body = None
            content_type = None
        elif media == CT_MULTIPART_MIXED:
            tunneled_query, body, content_type = _read_multipart(
                body or b"", ct_params.get("boundary", "")
            )
        else:
            raise RestliServiceError(
                415,
                "a tunneled request (X-HTTP-Method-Override) needs an "
                f"{CT_FORM} or {CT_MULTIPART_MIXED} body, not {show(content_type)}",
            )
        query = f"{url_query}&{tunneled_query}" if url_query else tunneled_query
    pairs, params = parse_query(query)
    return Incoming(
        http_method=method,
        path=path,
        query=query,
        pairs=pairs,
        params=params,
        body=body,
        content_type=content_type,
        tunneled=tunneled,
    )


def _text(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request(f"{what} is not valid UTF-8 (byte {exc.start})") from None


def _read_multipart(body: bytes, boundary: str) -> tuple[str, bytes | None, str | None]:
    """The query, entity and entity type of a tunneled ``multipart/mixed`` body.

    RFC 2046 §5.1.1: each part starts after ``CRLF--boundary`` (the first CRLF may
    be the start of the body), then its headers, a blank line, and the content; the
    body ends with ``--boundary--``. Rest.li looks for one form part (the query)
    and takes the other part as the entity.
    """
    if not boundary or len(boundary) > _MAX_BOUNDARY or not boundary.isascii():
        raise bad_request(f"multipart/mixed body without a usable boundary ({boundary[:80]!r})")
    delimiter = b"\r\n--" + boundary.encode("ascii")
    chunks = (b"\r\n" + body).split(delimiter)
    if len(chunks) < 2:
        raise bad_request("multipart/mixed body does not contain its boundary")
    parts: list[tuple[str | None, bytes]] = []
    closed = False
    for number, chunk in enumerate(chunks[1:], start=1):
        if chunk.startswith(b"--"):
            closed = True
            break  # what follows the close delimiter is the epilogue
        line_end = chunk.find(b"\r\n")
        if line_end < 0 or chunk[:line_end].strip(b" \t"):
            raise bad_request(f"multipart part {number}: text after the boundary line")
        rest = chunk[line_end + 2 :]
        if rest.startswith(b"\r\n"):
            head, content = b"", rest[2:]
        else:
            end = rest.find(b"\r\n\r\n")
            if end < 0:
                raise bad_request(f"multipart part {number}: headers do not end in a blank line")
            head, content = rest[:end], rest[end + 4 :]
        part_type: str | None = None
        for line in _text(head, f"multipart part {number} headers").split("\r\n"):
            name, colon, value = line.partition(":")
            if not colon or not name.strip():
                raise bad_request(f"multipart part {number}: malformed header line {line[:60]!r}")
            if name.strip().lower() == H_CONTENT_TYPE.lower():
                part_type = value.strip()
        parts.append((part_type, content))
    if not closed:
        raise bad_request("multipart/mixed body has no closing boundary")
    forms = [c for t, c in parts if parse_content_type(t)[0] == CT_FORM]
    others = [(t, c) for t, c in parts if parse_content_type(t)[0] != CT_FORM]
    if len(forms) != 1:
        raise bad_request(
            f"a tunneled multipart body needs exactly one {CT_FORM} part, found {len(forms)}"
        )
    if len(others) > 1:
        raise bad_request(
            f"a tunneled multipart body holds at most one entity, found {len(others)}"
        )
    query = _text(forms[0], "the tunneled query (form part)")
    if not others:
        return query, None, None
    # RFC 2046 §5.1: a part without Content-Type is text/plain.
    entity_type, entity = others[0]
    return query, entity, entity_type or "text/plain"


# --------------------------------------------------------------------------- queries


def parse_query(query: str) -> tuple[tuple[tuple[str, str], ...], dict[str, Any]]:
    """Split and decode a Rest.li 2.0 query string (``URIParamUtils.parseUriParams``).

    Values are decoded with :func:`restli_core.decode`; projection parameters
    (``fields``, ``metadataFields``, ``pagingFields``) are masks, parsed by
    :func:`parse_mask`. A repeated parameter is an error, as in Rest.li 2.0.

    Raises:
        RestliServiceError: 400 naming the parameter that is malformed.
    """
    pairs: list[tuple[str, str]] = []
    params: dict[str, Any] = {}
    for piece in query.split("&"):
        if not piece:
            continue
        raw_name, _, raw_value = piece.partition("=")
        name = _unquote(raw_name, "a query parameter name")
        if not name:
            raise bad_request(f"query parameter without a name ({piece[:60]!r})")
        if name in params:
            raise bad_request(
                f"unexpected repeated query parameter {clip(name)!r}", field=clip(name)
            )
        pairs.append((name, raw_value))
        if name == _PROJECTION:
            params[name] = parse_projection(_unquote(raw_value, f"query parameter {name!r}"))
            continue
        if name in PROJECTION_PARAMS:
            params[name] = parse_mask(_unquote(raw_value, f"query parameter {name!r}"), name)
            continue
        try:
            params[name] = decode(raw_value)
        except RestliDecodeError as exc:
            raise bad_request(
                f"error while parsing query parameter {clip(name)!r}: {exc}", field=clip(name)
            ) from None
    return tuple(pairs), params


def _unquote(text: str, what: str) -> str:
    if "%" not in text:
        return text
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise bad_request(f"{what} holds percent-escapes that are not UTF-8") from None


# --------------------------------------------------------------------------- projections


def parse_mask(text: str, name: str = "fields") -> Mask | None:
    """Parse a projection mask: ``id,name,runSchedule:(start,end)``.

    ``List(id,name)`` is accepted too. An empty mask means "no projection" and
    gives ``None``.

    Raises:
        RestliServiceError: 400 for unbalanced parentheses or an empty field name.
    """
    if text.startswith("List(") and text.endswith(")"):
        text = text[5:-1]
    if not text:
        return None
    root: Mask = {}
    stack: list[Mask] = [root]
    state = _EXPECT_NAME
    start = 0  # where the field name being read began
    pending = ""  # a field name followed by ':' that awaits its '('
    index = 0

    def fail(message: str) -> RestliServiceError:
        return bad_request(f"projection {name!r}: {message} at column {index + 1}", field=name)

    for index, char in enumerate(text):
        if state == _AFTER_COLON:
            if char != "(":
                raise fail("expected '(' after ':'")
            if len(stack) > MAX_DEPTH:
                raise fail(f"nested more than {MAX_DEPTH} levels deep")
            sub: Mask = {}
            stack[-1][pending] = sub
            stack.append(sub)
            state = _EXPECT_NAME
        elif char == "," or char == ")":
            if state == _IN_NAME:
                stack[-1][text[start:index]] = None
            elif state == _EXPECT_NAME:
                raise fail("empty field name")
            if char == ",":
                state = _EXPECT_NAME
            else:
                if len(stack) == 1:
                    raise fail("unbalanced ')'")
                stack.pop()
                state = _AFTER_CLOSE
        elif char == ":":
            if state != _IN_NAME:
                raise fail("':' must follow a field name")
            pending = text[start:index]
            state = _AFTER_COLON
        elif char == "(":
            raise fail("'(' must follow 'name:'")
        elif state == _AFTER_CLOSE:
            raise fail("expected ',' or ')' after ')'")
        elif state == _EXPECT_NAME:
            start = index
            state = _IN_NAME
    index = len(text)
    if state == _AFTER_COLON:
        raise fail("expected '(' after ':'")
    if state == _EXPECT_NAME:
        raise fail("empty field name")
    if len(stack) != 1:
        raise fail("missing ')'")
    if state == _IN_NAME:
        root[text[start:]] = None
    return root


_EXPECT_NAME = 0
_IN_NAME = 1
_AFTER_COLON = 2
_AFTER_CLOSE = 3

_PROJECTION = "projection"
_NAME_END = frozenset(",():")


def parse_projection(text: str, name: str = _PROJECTION) -> Mask | None:
    """Parse LinkedIn's ``projection`` mask (the v2 APIs' syntax).

    ``(id,localizedFirstName,profilePicture(displayImage~:playableStreams))``: the
    whole mask may be wrapped in parentheses; a sub-mask follows its field directly
    (``profilePicture(...)``; Rest.li's ``profilePicture:(...)`` is accepted too);
    ``elements*(...)`` projects each element of an array (the ``*`` is dropped); a
    trailing ``~`` asks for the decorated URN (``displayImage~``), optionally with a
    view (``displayImage~:playableStreams``). An empty mask gives ``None``.

    Raises:
        RestliServiceError: 400 for unbalanced parentheses or an empty field name.
    """
    if not text:
        return None
    size = len(text)
    wrapped = text[0] == "("
    pos = 1 if wrapped else 0
    root: Mask = {}
    stack: list[Mask] = [root]

    def fail(message: str) -> RestliServiceError:
        return bad_request(f"projection {name!r}: {message} at column {pos + 1}", field=name)

    while True:  # at the start of a field name
        start = pos
        while pos < size and text[pos] not in _NAME_END:
            pos += 1
        field = text[start:pos]
        if not field:
            raise fail("empty field name")
        if (
            field.endswith("~")
            and pos < size
            and text[pos] == ":"
            and text[pos + 1 : pos + 2] != "("
        ):
            view_start = pos = pos + 1
            while pos < size and text[pos] not in _NAME_END:
                pos += 1
            if pos == view_start:
                raise fail("empty decoration view after '~:'")
            field = f"{field}:{text[view_start:pos]}"
        elif field.endswith("*"):
            field = field[:-1]
            if not field:
                raise fail("'*' must follow a field name")
        if pos < size and text[pos] == ":":
            pos += 1
            if pos >= size or text[pos] != "(":
                raise fail("expected '(' after ':'")
        if pos < size and text[pos] == "(":
            if len(stack) > MAX_DEPTH:
                raise fail(f"nested more than {MAX_DEPTH} levels deep")
            sub: Mask = {}
            stack[-1][field] = sub
            stack.append(sub)
            pos += 1
            continue
        stack[-1][field] = None
        while pos < size and text[pos] == ")":  # close the groups this field ends
            if len(stack) > 1:
                stack.pop()
            elif wrapped and pos == size - 1:
                wrapped = False
            else:
                raise fail("unbalanced ')'")
            pos += 1
        if pos >= size:
            break
        if text[pos] != ",":
            raise fail("expected ',' or ')'")
        pos += 1
    if len(stack) != 1 or wrapped:
        raise fail("missing ')'")
    return root


def apply_mask(value: Any, mask: Mask | None, resolve: Resolver | None = None) -> Any:
    """``value`` with only the fields ``mask`` selects (Rest.li projections).

    A mask applies to a record's fields and, through an array, to each of its
    items; a field the record lacks is simply absent from the result.

    A decorated field (``displayImage~`` or ``displayImage~:view``) keeps the field
    itself (a URN, or a list of them) and adds ``displayImage~``: what ``resolve``
    gives for it, projected by the sub-mask, as LinkedIn answers. A URN that cannot
    be resolved gives ``displayImage!``: a 404 error body, in LinkedIn's place for a
    failed decoration.
    """
    if mask is None:
        return value
    if isinstance(value, list):
        return [apply_mask(item, mask, resolve) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for field, sub in mask.items():
        if field in value:
            out[field] = apply_mask(value[field], sub, resolve)
            continue
        base, tilde, view_text = field.partition("~")
        if not tilde or resolve is None or base not in value:
            continue
        view = view_text[1:] if view_text.startswith(":") else None
        target = value[base]
        out.setdefault(base, target)
        decorated = _decorate(target, view, resolve)
        if decorated is None:
            failure = RestliServiceError(404, f"{show(target)} cannot be decorated")
            out[f"{base}!"] = failure.body()
        else:
            out[f"{base}~"] = apply_mask(decorated, sub, resolve)
    return out


def _decorate(target: Any, view: str | None, resolve: Resolver) -> Any:
    if isinstance(target, str):
        return resolve(target, view)
    if isinstance(target, list) and all(isinstance(item, str) for item in target):
        found = [resolve(item, view) for item in target]
        return None if any(item is None for item in found) else found
    return None


# --------------------------------------------------------------------------- bodies


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):  # 1e400 parses as inf, which JSON cannot carry back
        raise ValueError(f"number {text[:30]} is out of range")
    return value


def parse_json(body: bytes | None, content_type: str | None, what: str = "request body") -> Any:
    """Parse a JSON entity body.

    Raises:
        RestliServiceError: 415 for a non-JSON ``Content-Type``; 400 for an empty
            body, bad UTF-8 or bad JSON (``NaN`` and ``Infinity`` included).
    """
    if not is_json(content_type):
        raise RestliServiceError(415, f"the {what} must be {CT_JSON}, not {show(content_type)}")
    if not body:
        raise bad_request(f"the {what} is empty")
    text = _text(body, f"the {what}")
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as exc:
        raise bad_request(f"the {what} is not valid JSON: {str(exc)[:200]}") from None
    if _too_deep(value):
        raise bad_request(f"the {what} is nested more than {MAX_DEPTH} levels deep")
    return value


MAX_DEPTH = 100
"""How deeply a JSON body may nest (real servers bound it too)."""


def _too_deep(value: Any) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def dump_json(value: Any) -> bytes:
    """Compact UTF-8 JSON, as LinkedIn sends it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def unescaped_path_segment(segment: str) -> str:
    """A resource-name path segment with its percent-escapes undone (best effort)."""
    return unquote(segment, errors="replace")


_DOT_SEGMENT = re.compile(r"(?:\.|%2[Ee]){1,2}").fullmatch


def is_dot_segment(segment: str) -> bool:
    """``.`` or ``..``, also written ``%2E`` (RFC 3986 §5.2.4, §6.2.2.2)."""
    return _DOT_SEGMENT(segment) is not None

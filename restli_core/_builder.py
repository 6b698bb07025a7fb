"""Building requests: the 14 Rest.li methods as pure functions to :class:`Request`.

:class:`RequestBuilder` has the methods (and the keyword arguments) of the official
client's ``RestliClient``, but it sends nothing: each call checks its arguments,
encodes them (PROTOCOL.md §1-2), lays the request out as the Rest.li method table
says (§4), tunnels a too-long query (§5) and returns an immutable :class:`Request`.

Every problem is raised before any request exists, naming the argument: a misuse
(an argument of the wrong type or shape, a placeholder without a path key, lists of
different lengths, a header value with a control character) is a
:class:`RestliUsageError`; a value that has no Rest.li or JSON form (NaN, a set, an
object) is a :class:`RestliEncodeError`; a malformed ``version_string`` is misuse.
A path that path normalisation would change (a ``.`` or ``..`` segment, RFC 3986
§5.2.4) is never built: in ``resource_path`` it is misuse, from a path key an
encode error naming the key. Messages never repeat the access token.

Nothing is remembered from one call to the next: building a request costs a few
microseconds, against the 50-300 ms of a call to LinkedIn.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from . import _codec
from ._codec import encode, java_double
from ._errors import RestliEncodeError, RestliUsageError
from ._messages import Request
from ._patch import SET, check_patch
from ._tunnel import tunnel
from ._urls import rest_base_urls
from ._urn import Urn
from ._wire import (
    CT_JSON,
    H_AUTHORIZATION,
    H_CONTENT_TYPE,
    H_LINKEDIN_VERSION,
    H_PROTOCOL_VERSION,
    H_RESTLI_METHOD,
    H_USER_AGENT,
    LIBRARY_VERSION,
    PROTOCOL_VERSION,
    RestliMethod,
)

__all__ = ["DEFAULT_MAX_QUERY_LENGTH", "RequestBuilder"]

# LinkedIn answers 414 for queries of about 4 KB; Rest.li clients tunnel above this.
DEFAULT_MAX_QUERY_LENGTH = 4000

Pairs = tuple[tuple[str, str], ...]

_CONTENT_TYPE_JSON = (H_CONTENT_TYPE, CT_JSON)

# LinkedIn-Version is "YYYYMM" or "YYYYMM.RR" (a monthly version and its revision).
_VERSION = re.compile(r"[0-9]{4}(?:0[1-9]|1[0-2])(?:\.[0-9]{2})?", re.ASCII).fullmatch


class _Info:
    """What the builder needs to know about one Rest.li method, computed once."""

    __slots__ = ("http_method", "method", "method_header")

    def __init__(self, method: RestliMethod) -> None:
        self.method = method
        self.http_method = method.http_method
        # X-RestLi-Method carries the lowercase wire name
        # (RestConstants.HEADER_RESTLI_REQUEST_METHOD).
        self.method_header = (H_RESTLI_METHOD, method.wire_name)


_GET = _Info(RestliMethod.GET)
_BATCH_GET = _Info(RestliMethod.BATCH_GET)
_GET_ALL = _Info(RestliMethod.GET_ALL)
_FINDER = _Info(RestliMethod.FINDER)
_BATCH_FINDER = _Info(RestliMethod.BATCH_FINDER)
_CREATE = _Info(RestliMethod.CREATE)
_BATCH_CREATE = _Info(RestliMethod.BATCH_CREATE)
_UPDATE = _Info(RestliMethod.UPDATE)
_BATCH_UPDATE = _Info(RestliMethod.BATCH_UPDATE)
_PARTIAL_UPDATE = _Info(RestliMethod.PARTIAL_UPDATE)
_BATCH_PARTIAL_UPDATE = _Info(RestliMethod.BATCH_PARTIAL_UPDATE)
_DELETE = _Info(RestliMethod.DELETE)
_BATCH_DELETE = _Info(RestliMethod.BATCH_DELETE)
_ACTION = _Info(RestliMethod.ACTION)


# --------------------------------------------------------------------------- arguments


def _library_version() -> str:
    return LIBRARY_VERSION


def _header_text(value: Any, name: str, *, allow_space: bool = True) -> str:
    """Check a header value: RFC 9110 §5.5 field values may not hold CR, LF or NUL.

    We accept printable ASCII only: anything else either splits the header (request
    smuggling) or cannot go on the wire as HTTP/1.1 sends it. The value is never
    echoed, since it may be a credential.
    """
    if not isinstance(value, str):
        raise RestliUsageError(f"{name} must be a str, not {type(value).__name__}")
    if not value:
        raise RestliUsageError(f"{name} is empty")
    if not (value.isascii() and value.isprintable()):
        raise RestliUsageError(
            f"{name} contains a control character (such as CR or LF) or non-ASCII text"
        )
    if not allow_space and " " in value:
        raise RestliUsageError(f"{name} contains a space")
    return str(value)


def _bearer(access_token: Any) -> tuple[tuple[str, str], ...]:
    # RFC 6750 §2.1: "Bearer" 1*SP b64token; a b64token holds no spaces.
    if access_token is None:
        return ()  # a client with credentials= adds it when it sends
    token = _header_text(access_token, "access_token", allow_space=False)
    return ((H_AUTHORIZATION, "Bearer " + token),)


def _check_version(version_string: Any) -> str:
    if not isinstance(version_string, str):
        raise RestliUsageError(f"version_string must be a str, not {type(version_string).__name__}")
    if not _VERSION(version_string):
        raise RestliUsageError(
            f"version_string {version_string[:40]!r} is not a LinkedIn version: use "
            f"'YYYYMM' or 'YYYYMM.RR' (e.g. '202406' or '202406.01')"
        )
    return str(version_string)


def _name(value: Any, argument: str) -> str:
    if not isinstance(value, str):
        raise RestliUsageError(f"{argument} must be a str, not {type(value).__name__}")
    if not value:
        raise RestliUsageError(f"{argument} is empty")
    return value


def _reserved(param: str, value: Any, argument: str) -> Pairs:
    """The method's own query pair: ``q`` for a finder, ``action`` for an action."""
    return ((param, encode(_name(value, argument))),)


def _mapping(value: Any, argument: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RestliUsageError(
            f"{argument} must be a dict (a Rest.li record), not {type(value).__name__}"
        )
    return value


def _sequence(value: Any, argument: str) -> Sequence[Any]:
    # A str is a Sequence too, and ids="123" would silently become List(1,2,3).
    if not isinstance(value, (list, tuple)):
        raise RestliUsageError(f"{argument} must be a list, not {type(value).__name__}")
    return value


def _same_length(ids: Sequence[Any], values: Sequence[Any], argument: str) -> None:
    if len(ids) != len(values):
        raise RestliUsageError(
            f"ids and {argument} must have the same length "
            f"(got {len(ids)} ids and {len(values)} {argument})"
        )


# --------------------------------------------------------------------------- paths

# resource_path -> (literal pieces, placeholder names)
_Template = tuple[tuple[str, ...], tuple[str, ...]]

# RFC 3986 §5.2.4: "." and ".." segments are removed by path normalisation, which
# servers, proxies and HTTP libraries apply; %2E is the same dot (§6.2.2.2). Such a
# segment would send the request to another resource: /adAccounts/5/adCampaigns/..
# is DELETE /adAccounts/5 once normalised.
_DOT_SEGMENT = re.compile(r"(?:\.|%2[Ee]){1,2}").fullmatch


def _maybe_dot_segment(path: str) -> bool:
    """Cheap pre-check: can ``path`` hold a dot segment at all?"""
    return "." in path or "%2" in path


def _literal_dot_segment(path: str) -> str | None:
    """The first ``.`` / ``..`` segment written in ``resource_path`` itself, if any."""
    for segment in path.split("/"):
        if "{" not in segment and _DOT_SEGMENT(segment):
            return segment
    return None


def _template(path: Any) -> _Template:
    if not isinstance(path, str):
        raise RestliUsageError(f"resource_path must be a str, not {type(path).__name__}")
    if not path:
        raise RestliUsageError("resource_path is empty (it starts with '/', e.g. '/me')")
    if not path.startswith("/"):
        raise RestliUsageError(f"resource_path {path!r} must start with '/'")
    # The literal parts go into the URL as written, so they must already be valid
    # URL path text; path key values are what gets encoded.
    if not (path.isascii() and path.isprintable()) or " " in path:
        raise RestliUsageError(
            f"resource_path {path!r} contains spaces, control or non-ASCII characters "
            f"(put such values in path_keys)"
        )
    if "?" in path or "#" in path:
        raise RestliUsageError(
            f"resource_path {path!r} contains '?' or '#' (pass query parameters in query_params)"
        )
    if _maybe_dot_segment(path):
        dots = _literal_dot_segment(path)
        if dots is not None:
            raise RestliUsageError(
                f"resource_path {path!r} has a {dots!r} segment: path normalisation "
                f"(RFC 3986 §5.2.4) would send the request to another resource"
            )
    if "{" not in path and "}" not in path:
        return (path,), ()
    literals: list[str] = []
    names: list[str] = []
    start = 0
    while True:
        open_at = path.find("{", start)
        close_at = path.find("}", start)
        if open_at < 0:
            if close_at >= 0:
                raise RestliUsageError(f"resource_path {path!r} has a '}}' without '{{'")
            literals.append(path[start:])
            break
        if close_at < 0:
            raise RestliUsageError(
                f"resource_path {path!r} has a malformed placeholder at column {open_at + 1} "
                f"(a '{{' without '}}')"
            )
        if close_at < open_at:
            raise RestliUsageError(f"resource_path {path!r} has a '}}' without '{{'")
        name = path[open_at + 1 : close_at]
        if not name or "{" in name:
            raise RestliUsageError(
                f"resource_path {path!r} has a malformed placeholder at column {open_at + 1}"
            )
        literals.append(path[start:open_at])
        names.append(name)
        start = close_at + 1
    return tuple(literals), tuple(names)


def _path(resource_path: Any, path_keys: Any) -> str:
    literals, names = _template(resource_path)
    if not names:
        if path_keys:
            _mapping(path_keys, "path_keys")
            extra = next(iter(path_keys))
            raise RestliUsageError(
                f"path_keys has {extra!r} but resource_path {resource_path!r} has no "
                f"placeholder {{{extra}}}"
            )
        return literals[0]
    keys = _mapping({} if path_keys is None else path_keys, "path_keys")
    out = [literals[0]]
    for name, literal in zip(names, literals[1:], strict=True):
        try:
            value = keys[name]
        except KeyError:
            raise RestliUsageError(
                f"resource_path placeholder {{{name}}} has no value in path_keys"
            ) from None
        # Path keys are path segments: encode_path escapes '/', '?', ';' too (§2).
        out.append(_codec._run(_codec._enc_path, value, f"path_keys[{name!r}]"))
        out.append(literal)
    if len(keys) > len(names):
        used = set(names)
        for extra in keys:
            if extra not in used:
                raise RestliUsageError(
                    f"path_keys has {extra!r} but resource_path {resource_path!r} has no "
                    f"placeholder {{{extra}}}"
                )
    path = "".join(out)
    if _maybe_dot_segment(path):
        _check_key_segments(path, out, names)
    return path


def _check_key_segments(path: str, pieces: list[str], names: tuple[str, ...]) -> None:
    """Refuse a path whose path keys make a ``.`` or ``..`` segment (see _DOT_SEGMENT).

    ``pieces`` alternate literal text and encoded path keys (``names`` in order). The
    literals alone hold no dot segment (``_template`` checked), so a dot segment
    involves a key, possibly with literal text next to it (``/a/.{x}``).
    """
    spans = []
    at = len(pieces[0])
    for index, name in enumerate(names):
        encoded = pieces[2 * index + 1]
        spans.append((name, at, at + len(encoded)))
        at += len(encoded) + len(pieces[2 * index + 2])
    start = 0
    for segment in path.split("/"):
        end = start + len(segment)
        if _DOT_SEGMENT(segment):
            blamed = [name for name, first, last in spans if first < end and last > start]
            which = ", ".join(f"path_keys[{name!r}]" for name in blamed) or "resource_path"
            raise RestliEncodeError(
                f"cannot encode {which}: the path segment {segment!r} is a dot segment, "
                f"which path normalisation (RFC 3986 §5.2.4) removes or resolves, sending "
                f"the request to another resource"
            )
        start = end + 1


# --------------------------------------------------------------------------- queries


def _query(query_params: Any, reserved: Pairs) -> str:
    """The encoded query: the caller's parameters plus the method's own ones.

    ``reserved`` holds already-encoded ``(name, value)`` pairs (``q``, ``bq``,
    ``ids``, ``action``, the batch finder criteria); a caller's parameter with one
    of those names would be silently overridden, so it is an error.
    """
    if query_params is None:
        pairs = list(reserved)
    else:
        if not isinstance(query_params, Mapping):
            raise RestliUsageError(
                f"query_params must be a dict, not {type(query_params).__name__}"
            )
        for name, _ in reserved:
            if query_params.get(name) is not None:
                raise RestliUsageError(
                    f"query_params must not contain {name!r}: this method sets it "
                    f"itself (from its own argument)"
                )
        pairs = _codec.param_pairs(query_params)
        pairs.extend(reserved)
    if len(pairs) > 1:
        pairs.sort()  # Rest.li sorts parameters by encoded name
    return "&".join([f"{name}={value}" for name, value in pairs])


def _ids_param(ids: Sequence[Any]) -> tuple[str, str]:
    # Batch keys go in the query as ids=List(k1,k2) (Rest.li 2.0 protocol).
    return ("ids", _codec._run(_codec._enc_query, ids, "ids"))


# --------------------------------------------------------------------------- bodies


def _json_default(value: Any) -> Any:
    if isinstance(value, Urn):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):  # e.g. a MappingProxyType record
        return dict(value)
    raise TypeError(f"a value of type {type(value).__name__} is not JSON serializable")


# Compact, UTF-8, non-ASCII kept as is: the smallest body the server accepts.
# NaN and infinities are not JSON (RFC 8259 §6), so they are errors, not "NaN".
_JSON = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_json_default
)


def _json_body(value: Any, argument: str) -> bytes:
    try:
        return _JSON.encode(value).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise RestliEncodeError(f"cannot encode {argument} as JSON: {exc}") from None


def _body_key(key: Any, index: int) -> str:
    """A batch key as a body map key: Rest.li's reduced form (§4).

    A simple key (string or number) is written raw, with no escaping at all; a
    complex (record) key in the reduced encoding, which escapes only ``( ) , : '``
    and ``%``.
    """
    if type(key) is str:
        return key
    if isinstance(key, enum.Enum):
        key = key.value  # as encode() does: the enum's value stands for it
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        try:
            return _codec.int_text(key)
        except RestliEncodeError as exc:
            raise RestliEncodeError(f"cannot encode ids[{index}]: {exc}") from None
    if isinstance(key, (str, Urn)):
        return str(key)
    if isinstance(key, float):
        try:
            return java_double(key)
        except RestliEncodeError as exc:
            raise RestliEncodeError(f"cannot encode ids[{index}]: {exc}") from None
    return _codec._run(_codec._enc_reduced, key, f"ids[{index}]")


def _entities_map(ids: Sequence[Any], values: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for index, (key, value) in enumerate(zip(ids, values, strict=True)):
        text = _body_key(key, index)
        if text in out:
            # Two equal keys would silently drop one entity from the body.
            raise RestliUsageError(f"ids[{index}] repeats the key {text!r}")
        out[text] = value
    return out


# --------------------------------------------------------------------------- builder
class RequestBuilder:
    """Builds the :class:`Request` for each of the 14 Rest.li methods. No I/O.

    Each method takes the official ``linkedin-api-client`` keyword arguments and
    returns the request that client should have sent, with the fixes listed in
    PROTOCOL.md §8 (correct escaping, tunneling with a body, the right method
    override, ``Content-Type`` only with a body).

    Args:
        base_url: the base URL of unversioned calls (no ``version_string``);
            default ``<api root>/v2``, else ``https://api.linkedin.com/v2``.
        versioned_base_url: the base URL of versioned calls (with a
            ``version_string``, sent as ``LinkedIn-Version``); default
            ``<api root>/rest``, else ``https://api.linkedin.com/rest``.
        api_root: the API root both bases live under (``https://host`` gives
            ``https://host/v2`` and ``https://host/rest``) when not given one by
            one; default: the ``RESTLI_API_ROOT`` environment variable, read now.
            Each base URL given wins over it.
        max_query_length: queries longer than this many characters are tunneled
            (sent in the body of a ``POST``, PROTOCOL.md §5).
        user_agent: text appended to the default ``User-Agent``
            (``restli-client/<version>``), e.g. ``"my-app/1.2"``.

    Raises:
        RestliUsageError: for a base URL or API root (``RESTLI_API_ROOT``
            included) that is not ``https://`` (plain ``http://`` is accepted only
            for loopback hosts), or a bad ``max_query_length`` or ``user_agent``.

    Every method raises, naming the argument, before any request exists:
    :class:`RestliUsageError` for a misuse (a placeholder without a path key or the
    reverse, ``ids`` and ``entities`` of different lengths, a control character in
    a header value or an empty token, a ``resource_path`` not starting with ``/`` or
    holding a ``.`` or ``..`` segment, an argument of the wrong type, a malformed
    ``version_string``, a ``query_params`` entry the method sets itself: ``q``,
    ``bq``, ``ids``, ``action``), and :class:`RestliEncodeError` for a value with no
    Rest.li (or JSON) form, including a path key whose segment would be ``.`` or
    ``..`` (path normalisation would send the request to another resource).
    """

    __slots__ = (
        "_base_url",
        "_max_query_length",
        "_static",
        "_user_agent",
        "_versioned_base_url",
    )

    def __init__(
        self,
        base_url: str | None = None,
        versioned_base_url: str | None = None,
        *,
        api_root: str | None = None,
        max_query_length: int = DEFAULT_MAX_QUERY_LENGTH,
        user_agent: str | None = None,
    ) -> None:
        self._base_url, self._versioned_base_url = rest_base_urls(
            base_url, versioned_base_url, api_root
        )
        if type(max_query_length) is not int or max_query_length < 0:
            raise RestliUsageError(
                f"max_query_length must be a non-negative int, not {max_query_length!r}"
            )
        self._max_query_length = max_query_length
        agent = f"restli-client/{_library_version()}"
        if user_agent is not None and user_agent != "":
            agent = f"{agent} {_header_text(user_agent, 'user_agent')}"
        self._user_agent = agent
        # Headers every request carries. Without the protocol version header a
        # Rest.li server silently parses the request as protocol 1.0.
        self._static: Pairs = ((H_PROTOCOL_VERSION, PROTOCOL_VERSION), (H_USER_AGENT, agent))

    @property
    def base_url(self) -> str:
        """The base URL of unversioned calls, without a trailing ``/``."""
        return self._base_url

    @property
    def versioned_base_url(self) -> str:
        """The base URL of versioned calls, without a trailing ``/``."""
        return self._versioned_base_url

    @property
    def max_query_length(self) -> int:
        """The longest query sent in the URL; longer ones are tunneled."""
        return self._max_query_length

    @property
    def user_agent(self) -> str:
        """The full ``User-Agent`` value sent."""
        return self._user_agent

    def __repr__(self) -> str:
        return (
            f"RequestBuilder(base_url={self._base_url!r}, "
            f"versioned_base_url={self._versioned_base_url!r}, "
            f"max_query_length={self._max_query_length})"
        )

    # ----------------------------------------------------------------- the core

    def _build(
        self,
        info: _Info,
        resource_path: Any,
        path_keys: Any,
        access_token: Any,
        version_string: Any,
        query: str,
        body: bytes | None,
    ) -> Request:
        path = _path(resource_path, path_keys)
        auth = _bearer(access_token)
        if version_string is None:
            url = self._base_url + path
            pairs: Pairs = (*self._static, info.method_header, *auth)
        else:
            url = self._versioned_base_url + path
            version = (H_LINKEDIN_VERSION, _check_version(version_string))
            pairs = (*self._static, info.method_header, *auth, version)
        # Every part was checked above as it was made (base URL, encoded path and
        # query, header values): the request takes them on trust.
        if len(query) > self._max_query_length:
            tunneled_headers, tunneled_body = tunnel(
                http_method=info.http_method,
                query=query,
                headers=pairs,
                body=body,
                body_content_type=CT_JSON,
            )
            return Request(
                "POST", url, tunneled_headers, tunneled_body, info.method, True, _trusted=True
            )
        if query:
            url = f"{url}?{query}"
        if body is not None:
            pairs = (*pairs, _CONTENT_TYPE_JSON)
        return Request(info.http_method, url, pairs, body, info.method, False, _trusted=True)

    def get(
        self,
        *,
        resource_path: str,
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a GET (one entity): ``GET /r/{key}``.

        Args:
            resource_path: the path after the base URL, starting with ``/``, with
                ``{name}`` placeholders for path keys (``"/adAccounts/{id}"``).
            access_token: the OAuth 2.0 bearer token (``None``: no
                ``Authorization`` header; a client given ``credentials=`` adds one
                when it sends).
            path_keys: a value for each placeholder (string, number or record),
                encoded as a path segment.
            query_params: query parameters; values are Rest.li-encoded, the
                projection masks (``fields``, ``metadataFields``, ``pagingFields``
                and the v2 APIs' ``projection``) are sent as their text.
            version_string: ``"YYYYMM"`` or ``"YYYYMM.RR"``: sends ``LinkedIn-Version``
                and uses the versioned base URL.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument (see the
                class docstring).
        """
        return self._build(
            _GET,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, ()),
            None,
        )

    def batch_get(
        self,
        *,
        resource_path: str,
        ids: Sequence[Any],
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a BATCH_GET: ``GET /r?ids=List(k1,k2)``.

        Args:
            ids: the keys to fetch (strings, numbers or records).
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        keys = _sequence(ids, "ids")
        return self._build(
            _BATCH_GET,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, (_ids_param(keys),)),
            None,
        )

    def get_all(
        self,
        *,
        resource_path: str,
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a GET_ALL (the whole collection): ``GET /r``.

        Args:
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get` (``start`` and ``count`` go in ``query_params``).

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        return self._build(
            _GET_ALL,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, ()),
            None,
        )

    def finder(
        self,
        *,
        resource_path: str,
        finder_name: str,
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a FINDER: ``GET /r?q=<finder_name>&<params>``.

        Args:
            finder_name: the finder's name, sent as ``q``.
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`; ``query_params`` holds the finder's parameters
                and must not contain ``q``.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        reserved = _reserved("q", finder_name, "finder_name")
        return self._build(
            _FINDER,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, reserved),
            None,
        )

    def batch_finder(
        self,
        *,
        resource_path: str,
        finder_name: str,
        finder_criteria: tuple[str, Sequence[Mapping[str, Any]]],
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a BATCH_FINDER: ``GET /r?bq=<finder_name>&<name>=List((...),(...))``.

        Args:
            finder_name: the batch finder's name, sent as ``bq``.
            finder_criteria: ``(parameter_name, [criteria, ...])``: the name of the
                batch parameter and one record of criteria per search; the
                response lists the results in the same order.
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        name = _name(finder_name, "finder_name")
        if not isinstance(finder_criteria, (tuple, list)) or len(finder_criteria) != 2:
            raise RestliUsageError(
                "finder_criteria must be a pair (parameter_name, list_of_criteria)"
            )
        param, criteria = finder_criteria
        param = _name(param, "finder_criteria[0] (the criteria parameter name)")
        if param == "bq":
            raise RestliUsageError("finder_criteria[0] must not be 'bq' (the finder name)")
        criteria = _sequence(criteria, "finder_criteria[1]")
        if isinstance(query_params, Mapping) and query_params.get(param) is not None:
            raise RestliUsageError(
                f"query_params must not contain {param!r}: finder_criteria sets it"
            )
        reserved = (
            ("bq", encode(name)),
            (encode(param), _codec._run(_codec._enc_query, criteria, "finder_criteria[1]")),
        )
        return self._build(
            _BATCH_FINDER,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, reserved),
            None,
        )

    # ----------------------------------------------------------------- writes

    def create(
        self,
        *,
        resource_path: str,
        entity: Mapping[str, Any],
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a CREATE: ``POST /r`` with the entity as the body.

        Args:
            entity: the entity to create (a dict), sent as JSON.
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        body = _json_body(_mapping(entity, "entity"), "entity")
        return self._build(
            _CREATE,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, ()),
            body,
        )

    def batch_create(
        self,
        *,
        resource_path: str,
        entities: Sequence[Mapping[str, Any]],
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a BATCH_CREATE: ``POST /r`` with ``{"elements": [...]}``.

        Args:
            entities: the entities to create, in order (the results keep it).
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        items = _sequence(entities, "entities")
        for index, item in enumerate(items):
            _mapping(item, f"entities[{index}]")
        body = _json_body({"elements": list(items)}, "entities")
        return self._build(
            _BATCH_CREATE,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, ()),
            body,
        )

    def update(
        self,
        *,
        resource_path: str,
        entity: Mapping[str, Any],
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build an UPDATE (full replacement): ``PUT /r/{key}`` with the entity.

        Args:
            entity: the new value of the whole entity.
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        body = _json_body(_mapping(entity, "entity"), "entity")
        return self._build(
            _UPDATE,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, ()),
            body,
        )

    def batch_update(
        self,
        *,
        resource_path: str,
        entities: Sequence[Mapping[str, Any]],
        ids: Sequence[Any],
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a BATCH_UPDATE: ``PUT /r?ids=List(...)`` with ``{"entities": {key: entity}}``.

        Args:
            ids: the keys of the entities to replace.
            entities: the new values, in the order of ``ids``.
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError: for a misuse, ``ids`` and ``entities`` of different
                lengths, or a key given twice.
            RestliEncodeError: for a value with no Rest.li or JSON form.
        """
        keys = _sequence(ids, "ids")
        items = _sequence(entities, "entities")
        _same_length(keys, items, "entities")
        for index, item in enumerate(items):
            _mapping(item, f"entities[{index}]")
        body = _json_body({"entities": _entities_map(keys, list(items))}, "entities")
        return self._build(
            _BATCH_UPDATE,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, (_ids_param(keys),)),
            body,
        )

    def partial_update(
        self,
        *,
        resource_path: str,
        access_token: str | None = None,
        patch_set_object: Mapping[str, Any] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        patch: Mapping[str, Any] | None = None,
    ) -> Request:
        """Build a PARTIAL_UPDATE: ``POST /r/{key}`` with ``{"patch": {...}}``.

        Give exactly one of ``patch_set_object`` (as in the official client: the
        fields to set, sent as ``{"patch": {"$set": patch_set_object}}``) or
        ``patch`` (a whole patch tree, e.g. from :func:`build_patch`, which can also
        delete fields and patch nested records: sent as ``{"patch": patch}``).

        Args:
            patch_set_object: the fields to change and their new values.
            patch: a ready patch tree (``{"$set": {...}, "$delete": [...], ...}``).
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError: for a misuse, or for both or neither of
                ``patch_set_object`` and ``patch``.
            RestliEncodeError: for a value with no Rest.li or JSON form.
        """
        tree = _one_patch(patch_set_object, patch, "patch_set_object", "patch")
        body = _json_body({"patch": tree}, "patch" if patch is not None else "patch_set_object")
        return self._build(
            _PARTIAL_UPDATE,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, ()),
            body,
        )

    def batch_partial_update(
        self,
        *,
        resource_path: str,
        ids: Sequence[Any],
        access_token: str | None = None,
        patch_set_objects: Sequence[Mapping[str, Any]] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        patches: Sequence[Mapping[str, Any]] | None = None,
    ) -> Request:
        """Build a BATCH_PARTIAL_UPDATE: ``POST /r?ids=List(...)`` with one patch per key.

        The body is ``{"entities": {key: {"patch": {...}}}}``. Give exactly one of
        ``patch_set_objects`` (as in the official client: the fields to set, one
        dict per id) or ``patches`` (whole patch trees, e.g. from
        :func:`build_patch`, one per id).

        Args:
            ids: the keys of the entities to patch.
            patch_set_objects: per id, the fields to change and their new values.
            patches: per id, a ready patch tree.
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError: for a misuse, lists of different lengths, a key given
                twice, or both or neither of the two patch arguments.
            RestliEncodeError: for a value with no Rest.li or JSON form.
        """
        keys = _sequence(ids, "ids")
        if (patch_set_objects is None) == (patches is None):
            raise RestliUsageError("give exactly one of patch_set_objects and patches")
        argument = "patches" if patches is not None else "patch_set_objects"
        given = _sequence(patches if patches is not None else patch_set_objects, argument)
        _same_length(keys, given, argument)
        if patches is None:
            trees = [
                {"patch": _patch_tree(item, None, f"{argument}[{i}]")}
                for i, item in enumerate(given)
            ]
        else:
            trees = [
                {"patch": _patch_tree(None, item, f"{argument}[{i}]")}
                for i, item in enumerate(given)
            ]
        body = _json_body({"entities": _entities_map(keys, trees)}, argument)
        return self._build(
            _BATCH_PARTIAL_UPDATE,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, (_ids_param(keys),)),
            body,
        )

    def delete(
        self,
        *,
        resource_path: str,
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a DELETE: ``DELETE /r/{key}``.

        Args:
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        return self._build(
            _DELETE,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, ()),
            None,
        )

    def batch_delete(
        self,
        *,
        resource_path: str,
        ids: Sequence[Any],
        access_token: str | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build a BATCH_DELETE: ``DELETE /r?ids=List(k1,k2)``.

        Args:
            ids: the keys of the entities to delete.
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        keys = _sequence(ids, "ids")
        return self._build(
            _BATCH_DELETE,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, (_ids_param(keys),)),
            None,
        )

    def action(
        self,
        *,
        resource_path: str,
        action_name: str,
        access_token: str | None = None,
        action_params: Mapping[str, Any] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> Request:
        """Build an ACTION: ``POST /r?action=<name>`` with the parameters as the body.

        Args:
            action_name: the action's name, sent as ``action``.
            action_params: the action's parameters, sent as a JSON object
                (``{}`` when there are none).
            resource_path, access_token, path_keys, query_params, version_string:
                as in :meth:`get`.

        Returns:
            The request to send.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument.
        """
        reserved = _reserved("action", action_name, "action_name")
        params = {} if action_params is None else _mapping(action_params, "action_params")
        body = _json_body(params, "action_params")
        return self._build(
            _ACTION,
            resource_path,
            path_keys,
            access_token,
            version_string,
            _query(query_params, reserved),
            body,
        )


def _patch_tree(set_object: Any, tree: Any, argument: str) -> Mapping[str, Any]:
    if tree is not None:
        try:
            check_patch(tree, argument)
        except RecursionError:
            raise RestliEncodeError(f"{argument} is nested too deeply") from None
        return _mapping(tree, argument)
    return {SET: _mapping(set_object, argument)}


def _one_patch(set_object: Any, tree: Any, set_name: str, tree_name: str) -> Mapping[str, Any]:
    if (set_object is None) == (tree is None):
        raise RestliUsageError(f"give exactly one of {set_name} and {tree_name}")
    if tree is not None:
        return _patch_tree(None, tree, tree_name)
    return _patch_tree(set_object, None, set_name)

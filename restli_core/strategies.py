"""Hypothesis strategies and ready-made properties for Rest.li encoding.

Install with ``pip install "restli-client[hypothesis]"``. This module is the one
place the library imports :mod:`hypothesis`; ``import restli_core`` never does.

Strategies (each returns a :class:`hypothesis.strategies.SearchStrategy`):
:func:`restli_strings`, :func:`restli_values`, :func:`urns`, :func:`batch_keys`,
:func:`finder_params`, :func:`request_calls` and :func:`requests`.

Properties (plain functions that assert, to call inside ``@given``):
:func:`assert_round_trip`, :func:`assert_canonical`, :func:`assert_url_parses_back`
and :func:`assert_server_decodes`.

Rest.li decoding is lossy: every leaf comes back as text. The properties compare the
decoded value with :func:`as_decoded`, the value with each leaf written the way the
encoder writes it (ints in decimal, booleans ``true``/``false``, floats in Java's
``Double.toString`` form).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - depends on the environment
    raise ImportError(
        "restli_core.strategies needs the 'hypothesis' package, which is not installed; "
        'install it with: pip install "restli-client[hypothesis]"'
    ) from None

from . import _codec
from ._messages import Request
from ._urn import Urn
from ._wire import PROJECTION_PARAMS

__all__ = [
    "METHODS",
    "SPECIAL_CHARACTERS",
    "as_decoded",
    "assert_canonical",
    "assert_round_trip",
    "assert_server_decodes",
    "assert_url_parses_back",
    "batch_keys",
    "finder_params",
    "request_calls",
    "requests",
    "restli_strings",
    "restli_values",
    "urns",
]

#: Every character some encoding context treats specially (PROTOCOL.md §2): the
#: Rest.li grammar ``( ) , : '`` and ``%``, then what the URL path or query escapes.
SPECIAL_CHARACTERS = "(),:'% /?;=&+#[]{}|\\^`<>\"!$*@~."

#: The 14 :class:`~restli_core.RequestBuilder` methods :func:`request_calls` covers.
METHODS = (
    "get",
    "batch_get",
    "get_all",
    "finder",
    "batch_finder",
    "create",
    "batch_create",
    "update",
    "batch_update",
    "partial_update",
    "batch_partial_update",
    "delete",
    "batch_delete",
    "action",
)

# Text that looks like the grammar itself, or is spelled specially.
_TRICKY = ["", "''", "'", "List()", "List(a,b)", "()", "(a:b)", "%3A", "%25", "%", "a b", "é", "😀"]
_NAMES = st.sampled_from(["a", "b", "id", "name", "start", "count", "locale", "x_y", "z9"])


# --------------------------------------------------------------------------- strategies


def restli_strings(max_size: int = 12) -> st.SearchStrategy[str]:
    """Text mixing every specially treated character with any Unicode (astral included).

    Covers the empty string, the literal ``''`` and grammar-like text such as
    ``List(a,b)``. Lone surrogates are left out: they are not valid Unicode and the
    encoder refuses them.
    """
    special = st.sampled_from(SPECIAL_CHARACTERS)
    alphabet = st.one_of(
        special,  # three times as likely as the rest: these are where bugs hide
        special,
        special,
        st.sampled_from("aZ09é\u00a0\u2028😀𝄞"),
        st.characters(exclude_categories=["Cs"]),
    )
    return st.one_of(st.sampled_from(_TRICKY), st.text(alphabet=alphabet, max_size=max_size))


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        restli_strings(),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
    )


def restli_values(max_depth: int = 3) -> st.SearchStrategy[Any]:
    """Values the encoder accepts: text, ints, finite floats, booleans, lists and
    records (maps with text keys, ``None`` entries meaning "absent"), nested at most
    ``max_depth`` levels.
    """
    if max_depth <= 0:
        return _scalars()
    children = restli_values(max_depth - 1)
    return st.one_of(
        _scalars(),
        st.lists(children, max_size=4),
        st.dictionaries(restli_strings(), st.one_of(children, st.none()), max_size=4),
    )


_URN_IDS = st.text(alphabet="abcXYZ019-_.~", min_size=1, max_size=6) | st.integers(0, 10**12)


@st.composite
def _urn(draw: st.DrawFn, depth: int) -> Urn:
    entity = draw(st.sampled_from(["person", "sponsoredCampaign", "organization", "x"]))
    if depth > 0 and draw(st.booleans()):
        parts = draw(st.lists(st.one_of(_URN_IDS, _urn(depth - 1)), min_size=1, max_size=3))
        return Urn.build(entity, *parts)
    return Urn.build(entity, draw(_URN_IDS))


def urns(max_depth: int = 2) -> st.SearchStrategy[Urn]:
    """URNs built with :meth:`Urn.build`: simple (``urn:li:person:1``), nested
    (``urn:li:x:urn:li:person:1``) and compound (``urn:li:x:(a,urn:li:person:1)``)."""
    return _urn(max_depth)


def batch_keys() -> st.SearchStrategy[Any]:
    """One batch key as the builder accepts it: text, an int, or a compound key (a
    record of text to text or int, whose entries the encoder sorts by name)."""
    compound = st.dictionaries(
        _NAMES, st.one_of(restli_strings(), st.integers(-(2**31), 2**31)), min_size=1, max_size=4
    )
    return st.one_of(restli_strings(), st.integers(-(2**63), 2**63 - 1), compound)


_FIELD = st.sampled_from(["id", "name", "status", "runSchedule", "start", "end"])
_FIELDS = st.recursive(
    _FIELD,
    lambda inner: st.tuples(_FIELD, st.lists(inner, min_size=1, max_size=3)).map(
        lambda pair: f"{pair[0]}:({','.join(pair[1])})"
    ),
    max_leaves=6,
)


def finder_params() -> st.SearchStrategy[dict[str, Any]]:
    """Finder query parameters: a few values, maybe a ``search`` criteria record and
    maybe a ``fields`` projection text such as ``id,runSchedule:(start,end)``."""
    return st.fixed_dictionaries(
        {},
        optional={
            "search": st.dictionaries(_NAMES, restli_values(2), min_size=1, max_size=3),
            "fields": st.lists(_FIELDS, min_size=1, max_size=3, unique=True).map(",".join),
            "start": st.integers(0, 1000),
            "count": st.integers(1, 100),
            "locale": restli_values(1),
        },
    )


def _path_key() -> st.SearchStrategy[Any]:
    # '.' and '..' are refused: path normalisation would move the request elsewhere.
    return batch_keys().filter(lambda key: key not in (".", ".."))


_COLLECTIONS = ["/adAccounts", "/adAccounts/{account}/adCampaigns", "/people"]


@st.composite
def _call(draw: st.DrawFn, method: str | None) -> tuple[str, dict[str, Any]]:
    name = method if method is not None else draw(st.sampled_from(METHODS))
    if name not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {name!r}")
    path = draw(st.sampled_from(_COLLECTIONS))
    keyed = name in ("get", "update", "partial_update", "delete") or (
        name == "action" and draw(st.booleans())
    )
    if keyed:
        path += "/{id}"
    kwargs: dict[str, Any] = {"resource_path": path, "access_token": "token"}
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    if names:
        kwargs["path_keys"] = {key: draw(_path_key()) for key in names}
    params = draw(finder_params()) if name in ("finder", "get_all", "get") else {}
    if params:
        kwargs["query_params"] = params
    if name == "finder":
        kwargs["finder_name"] = draw(st.sampled_from(["search", "criteria", "byName"]))
    elif name == "batch_finder":
        kwargs["finder_name"] = "search"
        criteria = st.dictionaries(_NAMES, restli_values(1), min_size=1, max_size=3)
        kwargs["finder_criteria"] = ("searchCriteria", draw(st.lists(criteria, max_size=3)))
    elif name == "action":
        kwargs["action_name"] = draw(st.sampled_from(["approve", "doIt"]))
    records = st.dictionaries(_NAMES, restli_values(1), max_size=3)
    if name.startswith("batch_") and name not in ("batch_create", "batch_finder"):
        kwargs["ids"] = draw(st.lists(batch_keys(), min_size=1, max_size=4, unique_by=_key_text))
        if name == "batch_update":
            kwargs["entities"] = [draw(records) for _ in kwargs["ids"]]
        elif name == "batch_partial_update":
            kwargs["patch_set_objects"] = [draw(records) for _ in kwargs["ids"]]
    if name in ("create", "update"):
        kwargs["entity"] = draw(records)
    elif name == "batch_create":
        kwargs["entities"] = draw(st.lists(records, max_size=3))
    elif name == "partial_update":
        kwargs["patch_set_object"] = draw(records)
    return name, kwargs


def _key_text(key: Any) -> str:
    # Batch bodies key entities by this text: two keys with one text are refused.
    if isinstance(key, (str, int)):
        return str(key)
    return _codec.reduced_encode(key)


def request_calls(method: str | None = None) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """``(method, arguments)`` pairs for :class:`~restli_core.RequestBuilder`: call
    ``getattr(builder, method)(**arguments)``. ``method`` picks one of :data:`METHODS`
    (default: any). Paths with and without path keys; keys never ``.`` or ``..``."""
    return _call(method)


def requests(method: str | None = None) -> st.SearchStrategy[Request]:
    """Whole :class:`~restli_core.Request` values built by a default
    :class:`~restli_core.RequestBuilder` from :func:`request_calls`."""
    from ._builder import RequestBuilder

    builder = RequestBuilder()
    return request_calls(method).map(lambda call: getattr(builder, call[0])(**call[1]))


# --------------------------------------------------------------------------- properties


def as_decoded(value: Any) -> Any:
    """``value`` as the decoder gives it back: every leaf as the text the encoder
    writes (``1`` → ``"1"``, ``True`` → ``"true"``, ``1e10`` → ``"1.0E10"``), tuples as
    lists, ``None`` map entries left out."""
    if isinstance(value, enum.Enum):
        return as_decoded(value.value)
    if isinstance(value, Mapping):
        return {str(k): as_decoded(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [as_decoded(v) for v in value]
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        return _codec.java_double(value)
    if isinstance(value, int):
        return _codec.int_text(value)
    return str(value)


_CONTEXTS = ("query", "path", "reduced")


def _codec_pair(context: str) -> tuple[Callable[[Any], str], Callable[[str], Any]]:
    # Looked up at call time, so a patched codec is what the property checks.
    if context == "query":
        return _codec.encode, _codec.decode
    if context == "path":
        # The embedded server decodes a path key segment as it came, with decode().
        return _codec.encode_path, _codec.decode
    if context == "reduced":
        return _codec.reduced_encode, _codec.reduced_decode
    raise ValueError(f"context must be one of {', '.join(_CONTEXTS)}, not {context!r}")


def assert_round_trip(
    value: Any,
    context: str | None = None,
    *,
    encoder: Callable[[Any], str] | None = None,
    decoder: Callable[[str], Any] | None = None,
) -> None:
    """Assert that ``value`` decodes back from its encoding, leaves as text.

    Checks each context (``"query"``, ``"path"``, ``"reduced"``) or only
    ``context``. Pass ``encoder``/``decoder`` (with one ``context``) to check your
    own functions against the rule.
    """
    expected = as_decoded(value)
    for name in _CONTEXTS if context is None else (context,):
        enc, dec = _codec_pair(name)
        text = (encoder or enc)(value)
        got = (decoder or dec)(text)
        assert got == expected, f"{name}: {value!r} encoded as {text!r} decodes to {got!r}"


def _reorder(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _reorder(v) for k, v in reversed(list(value.items()))}
    if isinstance(value, (list, tuple)):
        return [_reorder(v) for v in value]
    return value


def assert_canonical(value: Any, *, encoder: Callable[[Any], str] | None = None) -> None:
    """Assert that the encoding does not depend on the order of map entries (Rest.li
    sorts them), so equal records, compound keys included, give equal text."""
    enc = encoder or _codec.encode
    assert enc(value) == enc(_reorder(value)), f"{value!r}: map order changes the text"


def _expected_params(arguments: Mapping[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, value in (arguments.get("query_params") or {}).items():
        if value is not None:
            params[name] = value if name in PROJECTION_PARAMS else as_decoded(value)
    if "finder_criteria" in arguments:
        params["bq"] = arguments["finder_name"]
        criteria_name, criteria = arguments["finder_criteria"]
        params[criteria_name] = as_decoded(criteria)
    elif "finder_name" in arguments:
        params["q"] = arguments["finder_name"]
    if "action_name" in arguments:
        params["action"] = arguments["action_name"]
    if "ids" in arguments:
        params["ids"] = as_decoded(arguments["ids"])
    return params


def _key_segments(path: str, arguments: Mapping[str, Any]) -> dict[str, str]:
    template = arguments["resource_path"].split("/")[1:]
    segments = path.split("/")[-len(template) :]
    out: dict[str, str] = {}
    for part, segment in zip(template, segments, strict=True):
        if part.startswith("{") and part.endswith("}"):
            out[part[1:-1]] = segment
        else:
            assert unquote(segment) == part, f"path {path!r} does not end as {template!r}"
    return out


def assert_url_parses_back(request: Request, arguments: Mapping[str, Any]) -> None:
    """Assert that a built request's URL parses back to the arguments that built it.

    The URL is read as a client would: split at ``/``, ``&`` and ``=``, path keys
    and query values decoded with :func:`restli_core.decode`, projection masks
    URL-unquoted. A tunneled request's query is read from its form body.
    """
    parts = urlsplit(request.url)
    query = parts.query
    if request.tunneled:
        from .testing._http import read_request

        query = read_request(request).query
    for name, segment in _key_segments(parts.path, arguments).items():
        want = as_decoded(arguments["path_keys"][name])
        got = _codec.decode(segment)
        assert got == want, f"path key {name!r}: {segment!r} decodes to {got!r}, not {want!r}"
    params: dict[str, Any] = {}
    for piece in filter(None, query.split("&")):
        raw_name, _, raw_value = piece.partition("=")
        name = unquote(raw_name)
        assert name not in params, f"query parameter {name!r} is repeated"
        params[name] = unquote(raw_value) if name in PROJECTION_PARAMS else _codec.decode(raw_value)
    want_params = _expected_params(arguments)
    assert params == want_params, f"{request.url!r} parses to {params!r}, not {want_params!r}"


def assert_server_decodes(method: str, arguments: Mapping[str, Any]) -> Request:
    """Assert that the embedded server decodes exactly what the client encoded.

    Builds the request with a default :class:`~restli_core.RequestBuilder`, then reads
    it with the embedded server's own parsing (:mod:`restli_core.testing`): un-tunneling,
    query splitting and decoding, projection masks, path routing and path key decoding.
    Returns the request.
    """
    from ._builder import RequestBuilder
    from .testing._http import is_dot_segment, parse_mask, read_request, unescaped_path_segment

    request: Request = getattr(RequestBuilder(), method)(**arguments)
    incoming = read_request(request)
    for name, segment in _key_segments(incoming.path, arguments).items():
        assert not is_dot_segment(segment), f"path key {name!r} is a dot segment"
        want = as_decoded(arguments["path_keys"][name])
        got = _codec.decode(segment)  # what the server's Handlers.key reads
        assert got == want, f"server reads path key {name!r} as {got!r}, not {want!r}"
    literals = [p for p in arguments["resource_path"].split("/") if not p.startswith("{")]
    routed = [unescaped_path_segment(s) for s in incoming.path.split("/")]
    assert all(lit in routed for lit in literals), f"server routes {incoming.path!r} elsewhere"
    want_params = _expected_params(arguments)
    for name in PROJECTION_PARAMS & want_params.keys() - {"projection"}:
        want_params[name] = parse_mask(want_params[name], name)
    got_params = dict(incoming.params)
    assert got_params == want_params, f"server decodes {got_params!r}, not {want_params!r}"
    return request

"""The per-call shortcuts: memoized query values and request prefixes, direct
constructors. Each must give exactly what the long way gives, and never a stale or
borrowed answer."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import (
    Headers,
    Request,
    RequestBuilder,
    Response,
    RestliEncodeError,
    RestliMethod,
    _builder,
    _codec,
    _responses,
    param_encode,
)
from restli_core._messages import make_request, make_response, slot_maker

TOKEN = "token-1"
REST = "https://api.linkedin.com/rest"


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    _codec._VALUE_CACHE.clear()
    _builder._QUERIES.clear()


def _uncached(params: dict[str, Any]) -> str:
    _codec._VALUE_CACHE.clear()
    return param_encode(params)


# ----------------------------------------------------------------- memoized query values


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"a": True}, {"a": 1}),  # equal in Python, different on the wire
        ({"a": 1}, {"a": 1.0}),
        ({"a": "1"}, {"a": 1}),
        ({"a": [1, 2]}, {"a": (1, 2)}),  # same encoding, but must not share by accident
        ({"a": {"x": "y"}}, {"a": {"x": "z"}}),
        ({"a": 0.0}, {"a": -0.0}),
    ],
)
def test_values_equal_in_python_keep_their_own_encoding(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    expected = (_uncached({"q": first}), _uncached({"q": second}))
    assert (param_encode({"q": first}), param_encode({"q": second})) == expected
    # Reversed order too, with both already memoized.
    assert (param_encode({"q": second}), param_encode({"q": first})) == expected[::-1]


def test_a_mutated_dict_is_encoded_again() -> None:
    criteria: dict[str, Any] = {"status": {"values": ["ACTIVE"]}}
    assert param_encode({"search": criteria}) == "search=(status:(values:List(ACTIVE)))"
    criteria["status"]["values"].append("DRAFT")
    assert param_encode({"search": criteria}) == "search=(status:(values:List(ACTIVE,DRAFT)))"


def test_values_marshal_cannot_hold_are_encoded_every_time() -> None:
    class Color(enum.Enum):
        RED = "RED"

    assert param_encode({"c": {"v": Color.RED}}) == "c=(v:RED)"
    assert param_encode({"c": {"v": Color.RED}}) == "c=(v:RED)"
    assert _codec._VALUE_CACHE == {}


def test_a_value_that_fails_is_never_memoized() -> None:
    for _ in range(2):
        with pytest.raises(RestliEncodeError, match="None"):
            param_encode({"q": {"values": [None]}})
    assert _codec._VALUE_CACHE == {}


def test_int_and_str_keys_do_not_share_an_entry() -> None:
    good = param_encode({"q": {"1": "x"}})
    assert good == "q=(1:x)"
    with pytest.raises(RestliEncodeError, match="map keys must be strings"):
        param_encode({"q": {1: "x"}})


def test_the_memo_is_bounded() -> None:
    for i in range(_codec._VALUE_CACHE_SIZE + 10):
        param_encode({"q": {"n": i}})
    assert len(_codec._VALUE_CACHE) <= _codec._VALUE_CACHE_SIZE


def test_big_values_are_not_memoized() -> None:
    big = {"values": [f"{i:03d}" * 10 for i in range(100)]}
    assert param_encode({"q": big}) == _uncached({"q": big})
    assert _codec._VALUE_CACHE == {}


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from("abc"), plain, max_size=3), max_size=4))
def test_memoized_encoding_matches_a_fresh_one(calls: list[dict[str, Any]]) -> None:
    for params in calls:
        try:
            fresh: str | None = _uncached(params)
        except RestliEncodeError:
            fresh = None
        for _ in range(2):
            if fresh is None:
                with pytest.raises(RestliEncodeError):
                    param_encode(params)
            else:
                assert param_encode(params) == fresh


# ----------------------------------------------------------------- memoized request parts


def test_same_call_twice_gives_equal_requests_and_other_tokens_get_their_own() -> None:
    builder = RequestBuilder()
    kw: dict[str, Any] = {
        "resource_path": "/adAccounts",
        "finder_name": "search",
        "query_params": {"search": {"test": True}},
        "version_string": "202406",
    }
    first = builder.finder(access_token=TOKEN, **kw)
    again = builder.finder(access_token=TOKEN, **kw)
    other = builder.finder(access_token="token-2", **kw)
    unversioned = builder.finder(access_token=TOKEN, **{**kw, "version_string": None})
    assert first == again
    assert first.url == f"{REST}/adAccounts?q=search&search=(test:true)"
    assert other.headers["Authorization"] == "Bearer token-2"
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "LinkedIn-Version" not in unversioned.headers
    assert unversioned.url.startswith("https://api.linkedin.com/v2/adAccounts?")


def test_a_reserved_name_in_query_params_fails_every_time() -> None:
    builder = RequestBuilder()
    for _ in range(2):
        with pytest.raises(RestliEncodeError, match="'q'"):
            builder.finder(
                resource_path="/r", finder_name="f", access_token=TOKEN, query_params={"q": "x"}
            )


def test_bad_tokens_and_versions_fail_every_time() -> None:
    builder = RequestBuilder()
    for _ in range(2):
        with pytest.raises(RestliEncodeError, match="access_token"):
            builder.get_all(resource_path="/r", access_token="bad token")
        with pytest.raises(RestliEncodeError, match="version_string"):
            builder.get_all(resource_path="/r", access_token=TOKEN, version_string="2024")
        with pytest.raises(RestliEncodeError, match="placeholder"):
            builder.get_all(resource_path="/r/{id}", access_token=TOKEN)


def test_body_methods_after_reads_carry_content_type_and_reads_do_not() -> None:
    builder = RequestBuilder()
    read = builder.get_all(resource_path="/r", access_token=TOKEN)
    write = builder.create(resource_path="/r", access_token=TOKEN, entity={"a": 1})
    read_again = builder.get_all(resource_path="/r", access_token=TOKEN)
    assert "Content-Type" not in read.headers and "Content-Type" not in read_again.headers
    assert write.headers["Content-Type"] == "application/json"


def test_a_long_query_is_still_tunneled_after_a_short_one() -> None:
    builder = RequestBuilder(max_query_length=50)
    short = builder.get_all(resource_path="/r", access_token=TOKEN, query_params={"a": "b"})
    long = builder.get_all(resource_path="/r", access_token=TOKEN, query_params={"a": "b" * 60})
    assert not short.tunneled and short.method == "GET"
    assert long.tunneled and long.method == "POST" and long.url == "https://api.linkedin.com/v2/r"
    assert long.headers["X-HTTP-Method-Override"] == "GET"


# ----------------------------------------------------------------- direct constructors


def test_make_request_and_make_response_equal_the_attrs_constructors() -> None:
    headers = Headers([("A", "1")])
    made = make_request("GET", "u", headers, None, RestliMethod.GET, False)
    assert made == Request("GET", "u", headers, None, RestliMethod.GET, False)
    assert attrs.asdict(made, recurse=False) == attrs.asdict(
        Request("GET", "u", headers, None, RestliMethod.GET, False), recurse=False
    )
    response = make_response(200, [("X-A", "1"), ("x-a", "2")], b"{}", "u", "raw")
    assert response == Response(200, [("X-A", "1"), ("x-a", "2")], b"{}", "u", "raw")
    assert response.headers["x-a"] == "1, 2" and response.raw == "raw"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.url = "other"  # type: ignore[misc]


RESPONSE_CLASSES = [
    cls
    for cls in vars(_responses).values()
    if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == _responses.__name__
]


@pytest.mark.parametrize("cls", RESPONSE_CLASSES, ids=lambda cls: cls.__name__)
def test_makers_build_what_init_builds(cls: type[Any]) -> None:
    names = [field.name for field in attrs.fields(cls)]
    values = [object() for _ in names]
    made = slot_maker(cls)(*values)
    built = cls(**{name.lstrip("_"): value for name, value in zip(names, values, strict=True)})
    assert type(made) is cls
    assert all(getattr(made, n) is getattr(built, n) for n in names)


def test_restli_methods_hash_by_identity_and_still_work_as_keys() -> None:
    table = {method: method.value for method in RestliMethod}
    assert all(table[method] == method.value for method in RestliMethod)
    assert len({hash(method) for method in RestliMethod}) == len(RestliMethod)


def test_a_repeated_read_returns_the_same_immutable_request_and_writes_are_new() -> None:
    builder = RequestBuilder()
    read = builder.get_all(resource_path="/r", access_token=TOKEN, query_params={"a": [1]})
    assert builder.get_all(resource_path="/r", access_token=TOKEN, query_params={"a": [1]}) is read
    other = builder.get_all(resource_path="/r", access_token=TOKEN, query_params={"a": [2]})
    assert other.url.endswith("a=List(2)") and read.url.endswith("a=List(1)")
    first = builder.create(resource_path="/r", access_token=TOKEN, entity={"x": 1})
    assert builder.create(resource_path="/r", access_token=TOKEN, entity={"x": 1}) is not first
    for i in range(300):
        builder.get_all(resource_path="/r", access_token=TOKEN, query_params={"n": i})
    assert len(builder._requests) <= 256


def test_queries_too_big_or_unmarshallable_for_the_memo_still_build() -> None:
    builder = RequestBuilder()

    class Color(enum.Enum):
        RED = "RED"

    big = {"values": [f"{i:04d}" * 10 for i in range(200)]}
    for params in ({"c": Color.RED}, {"q2": big}):
        first = builder.get_all(resource_path="/r", access_token=TOKEN, query_params=params)
        again = builder.get_all(resource_path="/r", access_token=TOKEN, query_params=params)
        assert first == again
    assert first.tunneled  # the big one is longer than the URL may be
    assert _builder._QUERIES == {}

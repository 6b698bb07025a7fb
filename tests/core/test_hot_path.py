"""The per-call path: nothing is remembered from one call to the next, and the
builder's one trusted constructor never makes a request the checked one would refuse.
"""

from __future__ import annotations

import enum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import (
    Request,
    RequestBuilder,
    RestliEncodeError,
    RestliMethod,
    RestliUsageError,
    param_encode,
)

TOKEN = "token-1"
REST = "https://api.linkedin.com/rest"


# ----------------------------------------------------------------- one encoding per value


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ({"a": True}, {"a": 1}, ("q=(a:true)", "q=(a:1)")),  # equal in Python only
        ({"a": 1}, {"a": 1.0}, ("q=(a:1)", "q=(a:1.0)")),
        ({"a": "1"}, {"a": 1}, ("q=(a:1)", "q=(a:1)")),
        ({"a": [1, 2]}, {"a": (1, 2)}, ("q=(a:List(1,2))", "q=(a:List(1,2))")),
        ({"a": {"x": "y"}}, {"a": {"x": "z"}}, ("q=(a:(x:y))", "q=(a:(x:z))")),
        ({"a": 0.0}, {"a": -0.0}, ("q=(a:0.0)", "q=(a:-0.0)")),
    ],
)
def test_values_equal_in_python_keep_their_own_encoding(
    first: dict[str, Any], second: dict[str, Any], expected: tuple[str, str]
) -> None:
    for _ in range(2):
        assert (param_encode({"q": first}), param_encode({"q": second})) == expected
        assert (param_encode({"q": second}), param_encode({"q": first})) == expected[::-1]


def test_a_mutated_dict_is_encoded_again() -> None:
    criteria: dict[str, Any] = {"status": {"values": ["ACTIVE"]}}
    assert param_encode({"search": criteria}) == "search=(status:(values:List(ACTIVE)))"
    criteria["status"]["values"].append("DRAFT")
    assert param_encode({"search": criteria}) == "search=(status:(values:List(ACTIVE,DRAFT)))"


def test_a_value_that_fails_fails_every_time() -> None:
    class Color(enum.Enum):
        RED = "RED"

    for _ in range(2):
        assert param_encode({"c": {"v": Color.RED}}) == "c=(v:RED)"
        with pytest.raises(RestliEncodeError, match="None"):
            param_encode({"q": {"values": [None]}})
        with pytest.raises(RestliEncodeError, match="map keys must be strings"):
            param_encode({"q": {1: "x"}})
        assert param_encode({"q": {"1": "x"}}) == "q=(1:x)"


# ----------------------------------------------------------------- repeated requests


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


def test_the_caller_changing_its_arguments_changes_no_request() -> None:
    builder = RequestBuilder()
    params: dict[str, Any] = {"search": {"values": ["A"]}}
    keys: dict[str, Any] = {"id": 1}
    request = builder.get(
        resource_path="/r/{id}", path_keys=keys, access_token=TOKEN, query_params=params
    )
    params["search"]["values"].append("B")
    keys["id"] = 2
    assert request.url == "https://api.linkedin.com/v2/r/1?search=(values:List(A))"


def test_a_reserved_name_in_query_params_fails_every_time() -> None:
    builder = RequestBuilder()
    for _ in range(2):
        with pytest.raises(RestliUsageError, match="'q'"):
            builder.finder(
                resource_path="/r", finder_name="f", access_token=TOKEN, query_params={"q": "x"}
            )


def test_bad_tokens_and_versions_fail_every_time() -> None:
    builder = RequestBuilder()
    for _ in range(2):
        with pytest.raises(RestliUsageError, match="access_token"):
            builder.get_all(resource_path="/r", access_token="bad token")
        with pytest.raises(RestliUsageError, match="version_string"):
            builder.get_all(resource_path="/r", access_token=TOKEN, version_string="2024")
        with pytest.raises(RestliUsageError, match="placeholder"):
            builder.get_all(resource_path="/r/{id}", access_token=TOKEN)
        builder.get_all(resource_path="/r", access_token=TOKEN, version_string="202401")


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


def test_restli_methods_hash_by_identity_and_still_work_as_keys() -> None:
    table = {method: method.value for method in RestliMethod}
    assert all(table[method] == method.value for method in RestliMethod)
    assert len({hash(method) for method in RestliMethod}) == len(RestliMethod)


# ----------------------------------------------------------------- the trusted path


def _checked_copy(request: Request) -> Request:
    """The same request, made through the checked constructor."""
    return Request(
        request.method,
        request.url,
        request.headers.raw,
        request.body,
        request.restli_method,
        request.tunneled,
    )


TEXT = st.text(max_size=8)
VALUES = st.recursive(
    st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
# "." and ".." are refused as path keys (they would name another resource).
KEYS = (
    st.integers()
    | TEXT.filter(lambda t: t not in ("", ".", ".."))
    | st.dictionaries(st.sampled_from("ab"), TEXT, min_size=1)
)


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from([m.wire_name for m in RestliMethod]),
    key=KEYS,
    query=st.dictionaries(st.sampled_from(["x", "search", "fields", "é"]), VALUES, max_size=3),
    version=st.sampled_from([None, "202406", "202406.01"]),
    long=st.booleans(),
)
def test_what_the_builder_trusts_the_checked_constructor_accepts(
    method: str, key: Any, query: dict[str, Any], version: str | None, long: bool
) -> None:
    builder = RequestBuilder(max_query_length=0 if long else 4000, user_agent="app/1 (x)")
    arguments: dict[str, Any] = {
        "resource_path": "/r/{id}",
        "path_keys": {"id": key},
        "access_token": "AQX-token_1.2~3",
        "query_params": query,
        "version_string": version,
    }
    extra: dict[str, dict[str, Any]] = {
        "batch_get": {"ids": [key]},
        "finder": {"finder_name": "search"},
        "batch_finder": {"finder_name": "f", "finder_criteria": ("c", [{"a": key}])},
        "create": {"entity": {"a": key}},
        "batch_create": {"entities": [{"a": key}]},
        "update": {"entity": {"a": key}},
        "batch_update": {"ids": [key], "entities": [{"a": 1}]},
        "partial_update": {"patch_set_object": {"a": key}},
        "batch_partial_update": {"ids": [key], "patch_set_objects": [{"a": 1}]},
        "batch_delete": {"ids": [key]},
        "action": {"action_name": "go", "action_params": {"a": key}},
    }
    if "fields" in query and not isinstance(query["fields"], str):
        query["fields"] = "id,name"
    for name in ("c", "q", "bq", "ids", "action"):
        query.pop(name, None)
    request = getattr(builder, method)(**arguments, **extra.get(method, {}))
    assert _checked_copy(request) == request
    if request.tunneled:
        assert long and request.method == "POST" and "?" not in request.url

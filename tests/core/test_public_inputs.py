"""Every public function takes any argument: it gives a result or raises a RestliError.

The builder checks its arguments; the free functions (``encode``, ``encode_path``,
``reduced_encode``, ``param_encode``, ``decode``, ``reduced_decode``, ``Urn.parse``,
``build_patch``, ``parse_response``) do the same: a value of the wrong type is a
:class:`RestliUsageError` (a misuse) or a :class:`RestliEncodeError` /
:class:`RestliDecodeError` (a value with no Rest.li form), never an ``AttributeError``,
``TypeError`` or ``ValueError`` from deep inside.

Exceptions raised by the caller's own objects (a mapping whose ``items()`` fails)
are the caller's: they are not generated here.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import fractions
import sys
import uuid
from collections import OrderedDict
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restli_core import (
    Request,
    RequestBuilder,
    Response,
    RestliEncodeError,
    RestliError,
    RestliMethod,
    RestliUsageError,
    Urn,
    build_patch,
    decode,
    encode,
    encode_path,
    param_encode,
    parse_response,
    reduced_decode,
    reduced_encode,
)

TOKEN = "tok-123456"


class Color(enum.Enum):
    RED = "RED"
    ONE = 1
    BOX = object()


class Flag(enum.IntEnum):
    ON = 1


# Values of every kind a caller might pass by mistake, besides the JSON-like ones.
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    10**5000,  # more digits than Python turns into text by default
    -(10**5000),
    1.5,
    float("nan"),
    float("inf"),
    1e308,
    complex(1, 2),
    decimal.Decimal("1.5"),
    fractions.Fraction(1, 3),
    b"bytes",
    bytearray(b"x"),
    memoryview(b"x"),
    "",
    "text",
    "\ud800",  # a lone surrogate: not valid Unicode
    "a\x00b\r\n",
    datetime.datetime(2024, 1, 2, 3, 4, 5),
    datetime.date(2024, 1, 2),
    uuid.UUID(int=1),
    Color.RED,
    Color.ONE,
    Color.BOX,
    Flag.ON,
    object(),
    object,
    len,
    range(3),
    {1, 2},
    frozenset({"a"}),
    (),
    [],
    {},
    {1: "a"},
    {None: "a"},
    {("a",): 1},
    {"a": object()},
    {"a": {"b": [1, None]}},
    OrderedDict(a=1),
    MappingProxyType({"a": 1}),
    Urn.parse("urn:li:person:1"),
    Request("GET", "https://api.linkedin.com/v2/me"),
    Response(200),
    sys,
]


def _odd(index: int) -> Any:
    return ODD_VALUES[index]


text = st.text(alphabet=st.characters(codec=None), max_size=12)
scalars = st.one_of(
    st.integers(0, len(ODD_VALUES) - 1).map(_odd),  # never shows 10**5000 (no repr)
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    text,
    st.binary(max_size=8),
    st.datetimes(),
    st.decimals(),
    st.complex_numbers(),
)
keys = st.one_of(text, st.integers(), st.none(), st.sampled_from([Color.RED, Color.BOX, Flag.ON]))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.frozensets(st.integers(), max_size=3),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=12,
)


def outcome(call: Callable[[], Any]) -> Any:
    """``call()``'s result, or the RestliError it raised; any other exception fails."""
    try:
        return call()
    except RestliError as exc:
        return exc


FREE_FUNCTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("encode", encode),
    ("encode_path", encode_path),
    ("reduced_encode", reduced_encode),
    ("param_encode", param_encode),
    ("param_encode_value", lambda v: param_encode({"q": v})),
    ("param_encode_fields", lambda v: param_encode({"fields": v})),
    ("param_encode_projection", lambda v: param_encode({"projection": v})),
    ("decode", decode),
    ("reduced_decode", reduced_decode),
    ("Urn.parse", Urn.parse),
    ("build_patch_original", lambda v: build_patch(v, {"a": 1})),
    ("build_patch_modified", lambda v: build_patch({"a": 1}, v)),
    ("build_patch_field", lambda v: build_patch({"a": 1}, {"a": v})),
    ("parse_response_request", lambda v: parse_response(v, Response(200))),
    ("parse_response_response", lambda v: parse_response(Request("GET", URL), v)),
]
URL = "https://api.linkedin.com/v2/me"


@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize(("name", "function"), FREE_FUNCTIONS, ids=[n for n, _ in FREE_FUNCTIONS])
def test_odd_values_give_a_result_or_a_restli_error(
    name: str, function: Callable[[Any], Any], value: Any
) -> None:
    outcome(lambda: function(value))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(value=values)
def test_any_value_gives_a_result_or_a_restli_error(value: Any) -> None:
    for _, function in FREE_FUNCTIONS:
        outcome(lambda function=function: function(value))  # type: ignore[misc]


BUILDER_CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("get", "path_keys", {"resource_path": "/r/{id}"}),
    ("get", "query_params", {"resource_path": "/r"}),
    ("batch_get", "ids", {"resource_path": "/r"}),
    ("finder", "finder_name", {"resource_path": "/r"}),
    ("batch_finder", "finder_criteria", {"resource_path": "/r", "finder_name": "f"}),
    ("create", "entity", {"resource_path": "/r"}),
    ("batch_create", "entities", {"resource_path": "/r"}),
    ("update", "entity", {"resource_path": "/r/{id}", "path_keys": {"id": 1}}),
    ("batch_update", "ids", {"resource_path": "/r", "entities": [{"a": 1}]}),
    ("partial_update", "patch_set_object", {"resource_path": "/r/{id}", "path_keys": {"id": 1}}),
    ("batch_delete", "ids", {"resource_path": "/r"}),
    ("action", "action_params", {"resource_path": "/r", "action_name": "do"}),
    ("get", "resource_path", {}),
    ("get", "version_string", {"resource_path": "/r"}),
    ("get", "access_token", {"resource_path": "/r"}),
]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(value=values)
def test_any_builder_argument_gives_a_request_or_a_restli_error(value: Any) -> None:
    builder = RequestBuilder()
    for method, argument, others in BUILDER_CALLS:
        kwargs = {"access_token": TOKEN, **others, argument: value}
        if argument == "path_keys":
            kwargs[argument] = {"id": value}
        outcome(lambda method=method, kwargs=kwargs: getattr(builder, method)(**kwargs))  # type: ignore[misc]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: param_encode("abc"), RestliUsageError),
        (lambda: param_encode(datetime.datetime.now()), RestliUsageError),
        (lambda: encode(datetime.datetime.now()), RestliEncodeError),
        (lambda: encode(10**5000), RestliEncodeError),
        (lambda: encode_path(-(10**5000)), RestliEncodeError),
        (lambda: param_encode({"q": {"n": 10**5000}}), RestliEncodeError),
        (lambda: param_encode({"fields": "\ud800"}), RestliEncodeError),
        (lambda: param_encode({"projection": ["id", 1]}), RestliEncodeError),
        (lambda: encode(Color.BOX), RestliEncodeError),
        (lambda: decode(b"abc"), RestliError),
        (lambda: reduced_decode(None), RestliError),
        (lambda: Urn.parse(1), RestliError),
        (lambda: build_patch("abc", {}), RestliUsageError),
        (lambda: parse_response("GET", Response(200)), RestliUsageError),
        (
            lambda: RequestBuilder().batch_get(
                resource_path="/r", ids=[10**5000], access_token=TOKEN
            ),
            RestliEncodeError,
        ),
        (
            lambda: RequestBuilder().batch_update(
                resource_path="/r", ids=[10**5000], entities=[{}], access_token=TOKEN
            ),
            RestliEncodeError,
        ),
    ],
)
def test_the_error_is_the_one_for_the_mistake(call: Callable[[], Any], error: type) -> None:
    with pytest.raises(error):
        call()


def test_a_big_int_that_python_can_print_still_encodes() -> None:
    assert encode(10**300) == "1" + "0" * 300
    assert (
        RequestBuilder()
        .batch_get(resource_path="/r", ids=[2**64], access_token=TOKEN)
        .url.endswith("ids=List(18446744073709551616)")
    )


def test_methods_are_not_confused_with_requests() -> None:
    # parse_response takes a request: a RestliMethod is a misuse, said as such.
    with pytest.raises(RestliUsageError, match="Request and a Response"):
        parse_response(RestliMethod.GET, Response(200))  # type: ignore[arg-type]

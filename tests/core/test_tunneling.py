"""Query tunneling (PROTOCOL.md §5): the boundary, both body layouts, every verb."""

from __future__ import annotations

import email.parser
import email.policy
import json
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import Request, RequestBuilder, RestliMethod, _tunnel

TOKEN = "tok"
URL = "https://api.linkedin.com/v2"
KEPT = ("X-RestLi-Protocol-Version", "User-Agent", "X-RestLi-Method", "Authorization")

untunneled = RequestBuilder(max_query_length=10**9)
always = RequestBuilder(max_query_length=0)


def query_of(request: Request) -> str:
    return request.url.partition("?")[2]


def parse_multipart(request: Request) -> list[EmailMessage]:
    """Parse a tunneled body with the standard library's MIME parser."""
    assert request.body is not None
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(head + request.body)
    assert isinstance(message, EmailMessage)
    assert message.is_multipart()
    assert not message.defects
    return list(message.iter_parts())  # type: ignore[arg-type]


def padded(method: str, length: int, **kwargs: Any) -> dict[str, Any]:
    """kwargs whose encoded query is exactly ``length`` characters long."""
    kwargs = {"resource_path": "/r", "access_token": TOKEN, **kwargs}
    base = len(query_of(getattr(untunneled, method)(**kwargs, query_params={"pad": ""})))
    # "pad=''" is the empty string; each extra "x" adds one character after removing "''"
    fill = length - (base - 2)
    assert fill > 0
    return {**kwargs, "query_params": {"pad": "x" * fill}}


# --------------------------------------------------------------------------- the boundary


@pytest.mark.parametrize(("length", "tunneled"), [(3999, False), (4000, False), (4001, True)])
def test_get_boundary(length: int, tunneled: bool) -> None:
    kwargs = padded("get_all", length)
    request = RequestBuilder().get_all(**kwargs)
    assert request.tunneled is tunneled
    expected_query = query_of(untunneled.get_all(**kwargs))
    assert len(expected_query) == length
    if tunneled:
        assert request.method == "POST"
        assert request.url == f"{URL}/r"
        assert request.headers["X-HTTP-Method-Override"] == "GET"
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert request.body == expected_query.encode()
    else:
        assert request.method == "GET"
        assert request.url == f"{URL}/r?{expected_query}"
        assert request.body is None
        assert "X-HTTP-Method-Override" not in request.headers
        assert "Content-Type" not in request.headers


@pytest.mark.parametrize(("length", "tunneled"), [(4000, False), (4001, True)])
def test_body_method_boundary(length: int, tunneled: bool) -> None:
    kwargs = padded("action", length, action_name="doIt", action_params={"a": "é"})
    request = RequestBuilder().action(**kwargs)
    plain = untunneled.action(**kwargs)
    assert len(query_of(plain)) == length
    assert request.tunneled is tunneled
    if not tunneled:
        assert request == plain
        return
    assert request.method == "POST"
    assert request.url == f"{URL}/r"
    assert request.headers["X-HTTP-Method-Override"] == "POST"
    query_part, json_part = parse_multipart(request)
    assert query_part.get_content_type() == "application/x-www-form-urlencoded"
    assert query_part.get_payload(decode=True) == query_of(plain).encode()
    assert json_part.get_content_type() == "application/json"
    assert json_part.get_payload(decode=True) == plain.body
    payload = json_part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert json.loads(payload) == {"a": "é"}


def test_configurable_limit() -> None:
    small = RequestBuilder(max_query_length=5)
    # "a=123" is 5 characters: sent in the URL; "a=1234" is 6: tunneled.
    assert not small.get_all(
        resource_path="/r", access_token=TOKEN, query_params={"a": 123}
    ).tunneled
    assert small.get_all(resource_path="/r", access_token=TOKEN, query_params={"a": 1234}).tunneled


def test_no_query_is_never_tunneled() -> None:
    request = always.get(resource_path="/r/{id}", path_keys={"id": 1}, access_token=TOKEN)
    assert not request.tunneled
    assert request.url == f"{URL}/r/1"


# --------------------------------------------------------------------------- every verb

LONG = {"pad": "x" * 5000}

# (method, kwargs, original verb, has body)
VERBS: list[tuple[str, dict[str, Any], str, bool]] = [
    ("get", {"resource_path": "/r/{id}", "path_keys": {"id": 1}}, "GET", False),
    ("batch_get", {"ids": [1, 2]}, "GET", False),
    ("get_all", {}, "GET", False),
    ("finder", {"finder_name": "search"}, "GET", False),
    ("batch_finder", {"finder_name": "f", "finder_criteria": ("c", [{"a": 1}])}, "GET", False),
    ("create", {"entity": {"a": 1}}, "POST", True),
    ("batch_create", {"entities": [{"a": 1}]}, "POST", True),
    (
        "update",
        {"resource_path": "/r/{id}", "path_keys": {"id": 1}, "entity": {"a": 1}},
        "PUT",
        True,
    ),
    ("batch_update", {"ids": [1], "entities": [{"a": 1}]}, "PUT", True),
    (
        "partial_update",
        {"resource_path": "/r/{id}", "path_keys": {"id": 1}, "patch_set_object": {"a": 1}},
        "POST",
        True,
    ),
    ("batch_partial_update", {"ids": [1], "patch_set_objects": [{"a": 1}]}, "POST", True),
    ("delete", {"resource_path": "/r/{id}", "path_keys": {"id": 1}}, "DELETE", False),
    ("batch_delete", {"ids": [1, 2]}, "DELETE", False),
    ("action", {"action_name": "go"}, "POST", True),
]


def test_verbs_cover_every_method() -> None:
    assert {v[0] for v in VERBS} == {m.wire_name for m in RestliMethod}


@pytest.mark.parametrize(("method", "kwargs", "verb", "has_body"), VERBS, ids=[v[0] for v in VERBS])
def test_every_method_tunnels(
    method: str, kwargs: dict[str, Any], verb: str, has_body: bool
) -> None:
    kwargs = {
        "resource_path": "/r",
        "access_token": TOKEN,
        "version_string": "202401",
        "query_params": LONG,
        **kwargs,
    }
    plain = getattr(untunneled, method)(**kwargs)
    request = getattr(RequestBuilder(), method)(**kwargs)
    assert plain.method == verb
    assert request.tunneled
    assert request.method == "POST"
    assert request.restli_method is plain.restli_method
    assert request.url == plain.url.partition("?")[0]
    # The override carries the ORIGINAL verb: a tunneled DELETE stays a DELETE.
    assert request.headers["X-HTTP-Method-Override"] == verb
    for name in (*KEPT, "LinkedIn-Version"):
        assert request.headers[name] == plain.headers[name]
    if has_body:
        assert request.headers["Content-Type"].startswith("multipart/mixed; boundary=")
        query_part, body_part = parse_multipart(request)
        assert query_part.get_payload(decode=True) == query_of(plain).encode()
        assert body_part.get_payload(decode=True) == plain.body
        assert body_part.get_content_type() == "application/json"
    else:
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert request.body == query_of(plain).encode()


# --------------------------------------------------------------------------- multipart layout


def test_multipart_exact_layout() -> None:
    headers, body = _tunnel.tunnel(
        http_method="PUT",
        query="ids=List(1)",
        headers=(("A", "b"),),
        body=b'{"x":1}',
        body_content_type="application/json",
    )
    content_type = dict(headers)["Content-Type"]
    boundary = content_type.partition("boundary=")[2]
    assert content_type == f"multipart/mixed; boundary={boundary}"
    assert (
        body
        == (
            f"--{boundary}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
            "ids=List(1)\r\n"
            f"--{boundary}\r\n"
            "Content-Type: application/json\r\n\r\n"
            '{"x":1}\r\n'
            f"--{boundary}--"
        ).encode()
    )
    assert headers == (
        ("A", "b"),
        ("Content-Type", content_type),
        ("X-HTTP-Method-Override", "PUT"),
    )


def test_boundary_is_random() -> None:
    first = _tunnel.new_boundary(b"")
    second = _tunnel.new_boundary(b"")
    assert first != second


def test_boundary_absent_from_content(monkeypatch: pytest.MonkeyPatch) -> None:
    draws: Iterator[str] = iter(["clash", "inquery", "fresh"])
    monkeypatch.setattr("secrets.token_hex", lambda _n: next(draws))
    headers, body = _tunnel.tunnel(
        http_method="POST",
        query="a=restli-inquery",
        headers=(),
        body=b'{"note":"restli-clash"}',
        body_content_type="application/json",
    )
    assert dict(headers)["Content-Type"] == "multipart/mixed; boundary=restli-fresh"
    assert body.count(b"restli-fresh") == 3


# --------------------------------------------------------------------------- properties

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=8
).filter(lambda n: n not in {"fields", "metadataFields", "pagingFields", "action", "q"})
leaves = (
    st.text(max_size=12)
    | st.integers()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
)
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
params = st.dictionaries(names, values, min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(params)
def test_tunneled_form_body_equals_the_url_query(query_params: dict[str, Any]) -> None:
    kwargs: dict[str, Any] = {
        "resource_path": "/r",
        "access_token": TOKEN,
        "query_params": query_params,
    }
    plain = untunneled.get_all(**kwargs)
    tunneled = always.get_all(**kwargs)
    assert tunneled.tunneled
    assert tunneled.body == query_of(plain).encode("ascii")
    assert tunneled.url + "?" + query_of(plain) == plain.url


@settings(max_examples=100, deadline=None)
@given(params, st.dictionaries(st.text(max_size=6), values, max_size=4))
def test_tunneled_multipart_carries_query_and_body(
    query_params: dict[str, Any], action_params: dict[str, Any]
) -> None:
    kwargs: dict[str, Any] = {
        "resource_path": "/r",
        "access_token": TOKEN,
        "action_name": "go",
        "query_params": query_params,
        "action_params": action_params,
    }
    plain = untunneled.action(**kwargs)
    tunneled = always.action(**kwargs)
    query_part, body_part = parse_multipart(tunneled)
    assert query_part.get_payload(decode=True) == query_of(plain).encode("ascii")
    assert body_part.get_payload(decode=True) == plain.body

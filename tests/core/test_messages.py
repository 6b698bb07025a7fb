"""Headers, Request and Response: honest, immutable values that never show a credential.

Each copies what it is given and checks it at construction (tables below): an
invalid message, or one sharing a mutable object with its caller, cannot exist.
"""

from __future__ import annotations

import copy
import pickle
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
    ResponseDecodeError,
    RestliMethod,
    RestliUsageError,
)

URL = "https://api.linkedin.com/v2/me"

# --------------------------------------------------------------------------- Headers


def test_headers_are_case_insensitive_and_keep_the_given_case() -> None:
    h = Headers([("Content-Type", "application/json"), ("X-RestLi-Id", "5")])
    assert h["content-type"] == h["CONTENT-TYPE"] == "application/json"
    assert "x-restli-id" in h
    assert "nope" not in h
    assert h.get("x-missing", "d") == "d"
    assert list(h) == ["Content-Type", "X-RestLi-Id"]
    assert h.raw == (("Content-Type", "application/json"), ("X-RestLi-Id", "5"))
    assert h == {"content-type": "application/json", "x-restli-id": "5"}
    with pytest.raises(KeyError):
        h["missing"]


def test_repeated_headers_are_all_kept() -> None:
    h = Headers([("Set-Cookie", "a=1"), ("set-cookie", "b=2"), ("Via", "x")])
    assert h["Set-Cookie"] == "a=1, b=2"
    assert len(h) == 2
    assert len(h.raw) == 3


class _LibraryHeaders(dict):  # type: ignore[type-arg]
    """Stands in for an HTTP library's header mapping."""


@pytest.mark.parametrize(
    "given",
    [
        {"Content-Type": "application/json", "X-LI-UUID": "abc"},
        _LibraryHeaders({"Content-Type": "application/json", "X-LI-UUID": "abc"}),
        [("Content-Type", "application/json"), ("X-LI-UUID", "abc")],
        (("Content-Type", "application/json"), ("X-LI-UUID", "abc")),
        iter([("Content-Type", "application/json"), ("X-LI-UUID", "abc")]),
        [(b"Content-Type", b"application/json"), (b"X-LI-UUID", b"abc")],
        Headers({"Content-Type": "application/json", "X-LI-UUID": "abc"}),
    ],
    ids=["dict", "mapping", "list", "tuple", "iterator", "bytes", "headers"],
)
def test_headers_copy_every_kind_of_input_into_str_pairs(given: Any) -> None:
    h = Headers(given)
    assert h.raw == (("Content-Type", "application/json"), ("X-LI-UUID", "abc"))
    assert all(type(n) is str and type(v) is str for n, v in h.raw)


def test_headers_do_not_change_when_the_caller_changes_its_dict() -> None:
    given = {"Authorization": "Bearer one"}
    headers = Headers(given)
    request = Request("GET", URL, given)
    given["Authorization"] = "Bearer two"
    given["X-Extra"] = "1"
    assert headers["authorization"] == request.headers["authorization"] == "Bearer one"
    assert "x-extra" not in headers and "x-extra" not in request.headers
    assert request.token == "one"


def test_headers_cannot_be_changed() -> None:
    h = Headers({"A": "1"})
    with pytest.raises(AttributeError):
        h._pairs = ()
    with pytest.raises(AttributeError):
        del h._index
    with pytest.raises(TypeError):
        h["A"] = "2"  # type: ignore[index]


def test_header_text_keeps_obs_text_byte_for_byte() -> None:
    # RFC 9110 §5.5: obs-text (0x80-0xFF) is opaque; bytes are read as ISO-8859-1,
    # which is also what http.client gives as text.
    raw = "café".encode()
    from_bytes = Headers([(b"X-Name", raw)])
    from_text = Headers([("X-Name", raw.decode("iso-8859-1"))])
    assert from_bytes == from_text
    assert from_bytes["x-name"].encode("iso-8859-1") == raw


def test_with_header_and_without_copy() -> None:
    h = Headers({"A": "1", "B": "2"})
    assert h.with_header("a", "3").raw == (("B", "2"), ("a", "3"))
    assert h.without("b").raw == (("A", "1"),)
    assert h.raw == (("A", "1"), ("B", "2"))
    with pytest.raises(RestliUsageError):
        h.with_header("C", "x\r\ny")


BAD_HEADERS: list[tuple[Any, str]] = [
    ({"X-A": "1\r\nX-Evil: 1"}, "CR, LF or NUL"),
    ({"X-A": "line\nbreak"}, "CR, LF or NUL"),
    ({"X-A": "carriage\rreturn"}, "CR, LF or NUL"),
    ({"X-A": "nul\x00"}, "CR, LF or NUL"),
    ({"Bad Name": "1"}, "not an HTTP token"),
    ({"X-A:": "1"}, "not an HTTP token"),
    ({"": "1"}, "not an HTTP token"),
    ({"Naïve": "1"}, "not an HTTP token"),
    ({"X-A\r\n": "1"}, "not an HTTP token"),
    ([(b"X-A", b"1\r\n")], "CR, LF or NUL"),
]
BAD_SHAPES: list[tuple[Any, str]] = [
    ({"X-A": 1}, "must be a str or bytes"),
    ({1: "x"}, "must be a str or bytes"),
    ({"X-A": None}, "must be a str or bytes"),
    ([("X-A",)], r"\(name, value\) pairs"),
    ([("X-A", "1", "2")], r"\(name, value\) pairs"),
    (["X-A: 1"], r"\(name, value\) pairs"),
    ("X-A: 1", "a mapping or"),
    (b"X-A: 1", "a mapping or"),
    (42, "a mapping or"),
]


@pytest.mark.parametrize(("given", "match"), BAD_HEADERS + BAD_SHAPES)
def test_invalid_headers_are_refused(given: Any, match: str) -> None:
    with pytest.raises(RestliUsageError, match=match):
        Headers(given)
    with pytest.raises(RestliUsageError, match=match):
        Request("GET", URL, given)


def test_a_refused_value_is_never_shown() -> None:
    with pytest.raises(RestliUsageError) as info:
        Headers({"Authorization": "Bearer SECRET-TOKEN\r\n"})
    assert "SECRET-TOKEN" not in str(info.value)


# --------------------------------------------------------------------------- Request


def test_request_repr_and_str_hide_the_token_and_body() -> None:
    request = Request(
        "POST",
        "https://www.linkedin.com/oauth/v2/accessToken",
        {"Authorization": "Bearer SECRET-TOKEN", "Content-Type": "application/json"},
        b"client_secret=SHHH",
        RestliMethod.CREATE,
    )
    for text in (repr(request), str(request), repr(request.headers)):
        assert "SECRET-TOKEN" not in text
        assert "SHHH" not in text
    assert "Bearer ***" in repr(request)
    assert "<18 bytes>" in repr(request)
    assert request.token == "SECRET-TOKEN"
    assert str(request) == "POST https://www.linkedin.com/oauth/v2/accessToken"


def test_reprs_hide_a_credential_in_the_url() -> None:
    url = "https://api.linkedin.com/v2/me?oauth2_access_token=SECRET-TOKEN"
    for text in (repr(Request("GET", url)), str(Request("GET", url)), repr(Response(200, url=url))):
        assert "SECRET-TOKEN" not in text


def test_a_built_request_hides_its_token() -> None:
    request = RequestBuilder().get(resource_path="/me", access_token="SECRET-TOKEN")
    assert "SECRET-TOKEN" not in repr(request) + str(request)
    assert request.token == "SECRET-TOKEN"


@pytest.mark.parametrize(
    ("body", "stored"),
    [
        (None, None),
        (b"abc", b"abc"),
        (bytearray(b"abc"), b"abc"),
        (memoryview(b"abc"), b"abc"),
        (b"", b""),
    ],
)
def test_request_body_is_copied_into_bytes(body: Any, stored: bytes | None) -> None:
    request = Request("POST", URL, body=body)
    assert request.body == stored
    assert request.body is None or type(request.body) is bytes


def test_a_changed_buffer_does_not_change_the_body() -> None:
    buffer = bytearray(b"abc")
    request = Request("POST", URL, body=buffer)
    response = Response(200, body=buffer)
    buffer[0:3] = b"xyz"
    assert request.body == response.body == b"abc"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "GET POST"}, "not an HTTP method"),
        ({"method": ""}, "not an HTTP method"),
        ({"method": "GET\r\n"}, "not an HTTP method"),
        ({"method": None}, "not an HTTP method"),
        ({"url": "/relative/path"}, "absolute http"),
        ({"url": "ftp://h/x"}, "absolute http"),
        ({"url": "https://"}, "absolute http"),
        ({"url": "https:///x"}, "absolute http"),
        ({"url": "api.linkedin.com/v2/me"}, "absolute http"),
        ({"url": "https://h/a b"}, "not fully encoded"),
        ({"url": "https://h/\r\nX-Evil: 1"}, "not fully encoded"),
        ({"url": "https://h/café"}, "not fully encoded"),
        ({"url": "https://[::1/x"}, "absolute http"),
        ({"url": b"https://h/"}, "url must be a str"),
        ({"body": "text"}, "body must be bytes"),
        ({"body": 5}, "body must be bytes"),
        ({"restli_method": "get"}, "restli_method"),
        ({"tunneled": 1}, "tunneled must be a bool"),
    ],
)
def test_invalid_requests_cannot_exist(kwargs: dict[str, Any], match: str) -> None:
    arguments: dict[str, Any] = {"method": "GET", "url": URL, **kwargs}
    with pytest.raises(RestliUsageError, match=match):
        Request(**arguments)


def test_a_credential_in_a_refused_url_is_not_shown() -> None:
    with pytest.raises(RestliUsageError) as info:
        Request("GET", "https://h/a b?access_token=SECRET-TOKEN")
    assert "SECRET-TOKEN" not in str(info.value)


@pytest.mark.parametrize(
    "url", ["https://api.linkedin.com/v2/me", "http://127.0.0.1:8080/x?q=1", "HTTPS://H/x"]
)
def test_valid_urls(url: str) -> None:
    assert Request("GET", url).url == url


def test_evolve_checks_again() -> None:
    request = Request("GET", URL, {"A": "1"})
    assert attrs.evolve(request, url="https://h/other").url == "https://h/other"
    with pytest.raises(RestliUsageError):
        attrs.evolve(request, url="not a url")


# --------------------------------------------------------------------------- Response


def test_response_accepts_what_transports_give() -> None:
    response = Response(200, [("X-A", "1"), ("x-a", "2")], b"{}", URL, raw="library object")
    assert response.headers["x-a"] == "1, 2"
    assert response.raw == "library object"
    assert response == Response(200, [("X-A", "1"), ("x-a", "2")], b"{}", URL)  # raw: not compared
    assert "library object" not in repr(response)


@pytest.mark.parametrize(("given", "match"), BAD_HEADERS)
def test_a_response_with_invalid_headers_is_a_decode_error(given: Any, match: str) -> None:
    # The server sent it: a library error (a ValueError), never a usage error.
    with pytest.raises(ResponseDecodeError, match=match) as info:
        Response(200, given, b"", "https://h/x?access_token=SECRET-TOKEN")
    assert not isinstance(info.value, RestliUsageError)
    assert "SECRET-TOKEN" not in str(info.value)
    assert info.value.request_url == "https://h/x?access_token=***"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"status_code": 99}, ResponseDecodeError, "status 99"),
        ({"status_code": 1000}, ResponseDecodeError, "status 1000"),
        ({"status_code": "200"}, RestliUsageError, "status_code must be an int"),
        ({"status_code": True}, RestliUsageError, "status_code must be an int"),
        ({"status_code": 200.0}, RestliUsageError, "status_code must be an int"),
        ({"body": "text"}, RestliUsageError, "body must be bytes"),
        ({"body": None}, RestliUsageError, "body must be bytes"),
        ({"url": None}, RestliUsageError, "url must be a str"),
        ({"headers": 42}, RestliUsageError, "a mapping or"),
        ({"headers": {"X-A": 1}}, RestliUsageError, "must be a str or bytes"),
    ],
)
def test_invalid_responses_cannot_exist(
    kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    arguments: dict[str, Any] = {"status_code": 200, **kwargs}
    with pytest.raises(error, match=match):
        Response(**arguments)


def test_messages_are_immutable() -> None:
    request = Request("GET", "http://127.0.0.1/x")
    with pytest.raises(AttributeError):
        request.url = "http://elsewhere/"  # type: ignore[misc]
    response = Response(204)
    with pytest.raises(AttributeError):
        response.body = b"x"  # type: ignore[misc]
    assert response.body == b""
    assert response.ok
    assert not Response(404).ok
    assert Response(200, body=b'{"a": 1}').json() == {"a": 1}


def test_messages_survive_copy_and_pickle() -> None:
    request = Request("POST", URL, {"Authorization": "Bearer t"}, b"{}", RestliMethod.CREATE)
    response = Response(201, {"X-RestLi-Id": "5"}, b"", URL)
    for value in (request, response, request.headers):
        for clone in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
            assert clone == value
            assert hash(clone) == hash(value)


HEADER_NAMES = st.text(st.sampled_from("!#$%&'*+-.^_`|~0123456789abcXYZ"), min_size=1, max_size=10)
HEADER_VALUES = st.text(st.characters(blacklist_characters="\r\n\x00"), max_size=20)


@settings(max_examples=200)
@given(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=6))
def test_valid_headers_round_trip(pairs: list[tuple[str, str]]) -> None:
    headers = Headers(pairs)
    assert headers.raw == tuple(pairs)
    assert Response(200, pairs).headers == headers
    for name, _ in pairs:
        assert name.upper() in headers


@settings(max_examples=200)
@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=4))
def test_any_headers_are_taken_or_refused_with_a_library_error(
    pairs: list[tuple[str, str]],
) -> None:
    try:
        Headers(pairs)
    except RestliUsageError:
        pass
    try:
        Response(200, pairs)
    except ResponseDecodeError:
        pass

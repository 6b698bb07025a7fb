"""Headers, Request and Response: immutable values that never show a credential."""

from __future__ import annotations

import pytest

from restli_core import Headers, Request, Response, RestliMethod


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
    """Stands in for an HTTP library's header mapping; counts how often it is read."""

    reads = 0

    def items(self):  # type: ignore[no-untyped-def,override]
        type(self).reads += 1
        return super().items()


def test_headers_from_a_library_mapping_are_read_only_when_used() -> None:
    source = _LibraryHeaders({"Content-Type": "application/json", "X-LI-UUID": "abc"})
    h = Headers(source)
    response = Response(200, h, b"{}", "http://127.0.0.1/x")
    assert _LibraryHeaders.reads == 0
    assert response.headers["x-li-uuid"] == "abc"
    assert _LibraryHeaders.reads == 1
    assert response.headers.raw == (("Content-Type", "application/json"), ("X-LI-UUID", "abc"))
    assert _LibraryHeaders.reads == 1


def test_headers_from_an_items_iterable() -> None:
    h = Headers(iter([("A", "1"), ("b", "2")]))
    assert h["a"] == "1"
    assert h.raw == (("A", "1"), ("b", "2"))


def test_with_header_and_without_copy() -> None:
    h = Headers({"A": "1", "B": "2"})
    assert h.with_header("a", "3").raw == (("B", "2"), ("a", "3"))
    assert h.without("b").raw == (("A", "1"),)
    assert h.raw == (("A", "1"), ("B", "2"))


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


def test_messages_are_immutable() -> None:
    request = Request("GET", "http://127.0.0.1/x")
    with pytest.raises(AttributeError):
        request.url = "http://elsewhere/"  # type: ignore[misc]
    response = Response(204)
    assert response.body == b""
    assert response.ok
    assert not Response(404).ok
    assert Response(200, body=b'{"a": 1}').json() == {"a": 1}

"""Paths that path normalisation would change are never built (RFC 3986 §5.2.4).

``delete(resource_path="/adAccounts/{a}/adCampaigns/{c}", path_keys={"c": ".."})``
would send ``.../adCampaigns/..``, which a proxy normalising paths turns into
``DELETE /adAccounts/5``. A dot segment made by a path key is a RestliEncodeError
naming the key; one written in ``resource_path`` is a RestliUsageError.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import RequestBuilder, RestliEncodeError, RestliUsageError
from restli_core.testing import MockRestliClient

builder = RequestBuilder()
TOKEN = "tok-123456"


def remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4, as a normalising proxy applies it (after decoding %2E)."""
    path = re.sub("%2[Ee]", ".", path)
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith(("./", "/./")):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../"):
            path = path[3:]
            if output:
                output.pop()
        elif path == "/..":
            path = "/"
            if output:
                output.pop()
        elif path in (".", ".."):
            path = ""
        else:
            cut = path.find("/", 1)
            segment, path = (path, "") if cut < 0 else (path[:cut], path[cut:])
            output.append(segment)
    return "".join(output)


def assert_normalisation_keeps(url: str) -> None:
    path = urlsplit(url).path
    assert remove_dot_segments(path) == re.sub("%2[Ee]", ".", path), url


@pytest.mark.parametrize("key", [".", "..", "%2E", "%2e%2E"])
@pytest.mark.parametrize("method", ["get", "delete", "update", "partial_update"])
def test_the_issue_example_is_refused_before_sending(key: str, method: str) -> None:
    extras: dict[str, dict[str, Any]] = {
        "update": {"entity": {}},
        "partial_update": {"patch_set_object": {"a": 1}},
    }
    extra = extras.get(method, {})
    call = getattr(builder, method)
    path_keys = {"a": 5, "c": key}
    if key.startswith("%"):
        # Data "%2E" is escaped to %252E: not a dot, so it is sent.
        request = call(
            resource_path="/adAccounts/{a}/adCampaigns/{c}",
            path_keys=path_keys,
            access_token=TOKEN,
            **extra,
        )
        assert request.url.endswith("/adCampaigns/" + key.replace("%", "%25"))
        assert_normalisation_keeps(request.url)
        return
    with pytest.raises(RestliEncodeError, match=r"path_keys\['c'\].*dot segment") as info:
        call(
            resource_path="/adAccounts/{a}/adCampaigns/{c}",
            path_keys=path_keys,
            access_token=TOKEN,
            **extra,
        )
    assert TOKEN not in str(info.value)


def test_the_client_sends_nothing_for_a_dot_key() -> None:
    client = MockRestliClient()
    with pytest.raises(RestliEncodeError, match=r"path_keys\['c'\]"):
        client.delete(
            resource_path="/adAccounts/{a}/adCampaigns/{c}",
            path_keys={"a": 5, "c": ".."},
            access_token=TOKEN,
        )
    assert client.transport.exchanges == []
    assert client.server.requests == []


@pytest.mark.parametrize(
    ("resource_path", "path_keys", "blamed"),
    [
        ("/a/.{x}", {"x": "."}, r"path_keys\['x'\]"),  # literal text plus a key
        ("/a/{x}{y}", {"x": ".", "y": "."}, r"path_keys\['x'\], path_keys\['y'\]"),
        ("/a/{x}/b", {"x": "."}, r"path_keys\['x'\]"),
        ("/a.b/{x}", {"x": ".."}, r"path_keys\['x'\]"),
    ],
)
def test_the_error_names_every_key_that_makes_the_segment(
    resource_path: str, path_keys: dict[str, Any], blamed: str
) -> None:
    with pytest.raises(RestliEncodeError, match=blamed):
        builder.get(resource_path=resource_path, path_keys=path_keys, access_token=TOKEN)


@pytest.mark.parametrize(
    ("resource_path", "path_keys"),
    [
        ("/a/{x}", {"x": "..."}),
        ("/a/{x}", {"x": ".a"}),
        ("/a/{x}.json", {"x": ".."}),  # the segment is "...json"
        ("/a/{x}", {"x": "a.b"}),
        ("/a/{x}", {"x": ["..", "."]}),  # List(..,.)
        ("/a/{x}", {"x": {".": ".."}}),  # (.:..)
        ("/a/v1.0/{x}", {"x": 1}),
    ],
)
def test_dots_that_are_not_a_whole_segment_are_fine(
    resource_path: str, path_keys: dict[str, Any]
) -> None:
    request = builder.get(resource_path=resource_path, path_keys=path_keys, access_token=TOKEN)
    assert_normalisation_keeps(request.url)


@pytest.mark.parametrize(
    "resource_path",
    ["/a/../b", "/a/./b", "/..", "/.", "/a/%2E%2E/b", "/a/%2e", "/../{x}", "/a/./{x}"],
)
def test_dot_segments_in_resource_path_are_a_misuse(resource_path: str) -> None:
    with pytest.raises(RestliUsageError, match="segment"):
        builder.get(resource_path=resource_path, path_keys={"x": 1}, access_token=TOKEN)


KEY_TEXT = st.text(st.sampled_from("..%2Ee/a"), max_size=6)
KEYS = st.one_of(
    KEY_TEXT,
    st.sampled_from([".", "..", "%2E", "%2e", ". .", "./..", "", "...."]),
    st.lists(KEY_TEXT, max_size=2),
    st.dictionaries(KEY_TEXT, KEY_TEXT, max_size=2),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
)
TEMPLATES = st.sampled_from(
    ["/a/{x}", "/a/{x}/b", "/a/{x}{y}", "/a/.{x}", "/{x}.{y}", "/a/{x}/{y}", "/a{x}/b"]
)


@settings(max_examples=300, deadline=None)
@given(template=TEMPLATES, x=KEYS, y=KEYS)
def test_any_path_key_builds_a_path_normalisation_keeps_or_is_refused(
    template: str, x: Any, y: Any
) -> None:
    keys = {name: value for name, value in (("x", x), ("y", y)) if "{" + name + "}" in template}
    try:
        request = builder.delete(resource_path=template, path_keys=keys, access_token=TOKEN)
    except RestliEncodeError as exc:
        assert "path_keys[" in str(exc)
        assert "dot segment" in str(exc)
        return
    assert_normalisation_keeps(request.url)

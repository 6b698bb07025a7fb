"""The embedded server answers every hostile request with a 4xx Rest.li error.

Deep nesting, dot segments, huge ids, huge names: never a 500, never a traceback,
never an exception out of ``handle``, and never an error message that quotes a
megabyte of the request back.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restli_core import Request, Response, RestliUsageError
from restli_core.testing import RestliServer

BASE = "https://api.linkedin.com/v2"
HEADERS = {"X-RestLi-Protocol-Version": "2.0.0", "Authorization": "Bearer tok-123456"}
USER_KEY = "(account:urn%3Ali%3AsponsoredAccount%3A1,user:urn%3Ali%3Aperson%3Aabc)"
MB = 1_000_000


def make_server() -> RestliServer:
    server = RestliServer()
    server.add_collection("/widgets", [{"id": "a", "name": "x"}], key="id")
    return server


def answer(
    server: RestliServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    all_headers = {**HEADERS, **({"Content-Type": "application/json"} if body else {})}
    all_headers.update(headers or {})
    response = server.handle(Request(method, BASE + path, all_headers, body))
    assert server.internal_errors == []
    return response


def assert_rest_li_error(response: Response, status: int | None = None) -> dict[str, Any]:
    assert 400 <= response.status_code <= 499, response.text[:300]
    if status is not None:
        assert response.status_code == status, response.text[:300]
    assert response.headers["X-RestLi-Error-Response"] == "true"
    body = response.json()
    assert body["status"] == response.status_code
    assert isinstance(body["message"], str) and len(body["message"]) < 2_000
    assert "Traceback" not in response.text
    return dict(body)


DEEP_MAP = "(a:" * 5000 + "b" + ")" * 5000
DEEP_LIST = "List(" * 5000 + ")" * 5000
DEEP_MASK = "a:(" * 5000 + "b" + ")" * 5000


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/adAccounts/.."),
        ("DELETE", "/adAccounts/5/.."),
        ("DELETE", "/adAccounts/%2E%2E"),
        ("GET", "/adAccounts/%2e"),
        ("GET", "/widgets/.."),
        ("PUT", "/widgets/."),
        ("GET", "/../adAccounts/1"),
        ("GET", "/adAccounts/./1"),
        ("GET", "/socialActions/%2E%2e"),
    ],
)
def test_dot_segments_are_refused(method: str, path: str) -> None:
    body = b"{}" if method == "PUT" else None
    error = assert_rest_li_error(answer(make_server(), method, path, body), 400)
    assert error["code"] == "INVALID_PATH"
    assert "dot segment" in error["message"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", f"/adAccounts/{DEEP_MAP}", None),
        ("GET", f"/adAccountUsers/{DEEP_MAP}", None),
        ("GET", f"/adAccounts?q=search&search={DEEP_MAP}", None),
        ("GET", f"/adAccounts?ids={DEEP_LIST}", None),
        ("GET", f"/adAccounts/1?fields={DEEP_MASK}", None),
        ("GET", f"/adAccounts?q=search&metadataFields={DEEP_MASK}", None),
        ("GET", f"/adAccounts?bq=search&criteria=List({DEEP_MAP})", None),
        ("POST", "/adAccounts?action=echo", b"[" * 5000 + b"]" * 5000),
        ("POST", "/adAccounts", b'{"a":' * 5000 + b"1" + b"}" * 5000),
        ("POST", "/adAccounts/1", b'{"patch":' * 3000 + b"{}" + b"}" * 3000),
        (
            "PUT",
            "/adAccounts?ids=List(1)",
            b'{"entities":{"1":' + b"[" * 3000 + b"]" * 3000 + b"}}",
        ),
        ("GET", "/socialActions/" + "urn%3Ali%3Ax%3A%28" * 5000 + "1" + "%29" * 5000, None),
    ],
)
def test_deep_nesting_is_refused_or_answered(method: str, path: str, body: bytes | None) -> None:
    response = answer(make_server(), method, path, body)
    if response.status_code == 404:  # a key that decodes fine but names nothing
        assert_rest_li_error(response, 404)
    else:
        assert_rest_li_error(response, 400)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/adAccounts/" + "9" * 100_000),
        ("GET", "/adAccounts/-" + "9" * 100_000),
        ("GET", "/widgets/" + "x" * MB),
        ("DELETE", "/widgets/" + "x" * MB),
        ("GET", "/socialActions/urn%3Ali%3Ashare%3A" + "1" * MB),
        (
            "GET",
            f"/adAccountUsers/(account:urn%3Ali%3Ax%3A{'9' * MB},user:urn%3Ali%3Aperson%3Aabc)",
        ),
        ("GET", "/adAccounts?q=search&start=" + "9" * 10_000),
        ("GET", "/adAccounts?q=search&count=" + "9" * 10_000),
        ("GET", "/adAccounts?" + "x" * MB + "=1&" + "x" * MB + "=1"),
        ("GET", "/adAccounts?q=search&" + "y" * MB + "=(a"),
        ("GET", "/adAccounts?q=" + "s" * MB),
        ("POST", "/adAccounts?action=" + "a" * MB),
        ("GET", "/adCampaigns?q=search&pageSize=2&pageToken=" + "t" * MB),
        ("GET", "/" + "r" * MB),
    ],
)
def test_huge_ids_and_names_get_a_short_error(method: str, path: str) -> None:
    body = b"{}" if method == "POST" else None
    assert_rest_li_error(answer(make_server(), method, path, body))


def test_huge_batches_are_answered_per_key() -> None:
    server = make_server()
    ids = ",".join(["1", "x" * 100_000, "9" * 100_000, DEEP_MAP[:3000]])
    response = answer(server, "GET", f"/adAccounts?ids=List({ids})")
    if response.status_code == 200:
        body = response.json()
        assert "1" in body["results"]
        assert len(body["errors"]) >= 2
        for error in body["errors"].values():
            assert error["status"] == 400 and len(error["message"]) < 2_000
    else:
        assert_rest_li_error(response, 400)


def test_a_huge_content_type_is_not_echoed() -> None:
    response = answer(
        make_server(), "POST", "/adAccounts", b"{}", {"Content-Type": "text/" + "x" * MB}
    )
    assert_rest_li_error(response, 415)


# --------------------------------------------------------------------------- property

VALID = [
    "/adAccounts/1",
    "/adAccounts?q=search&search=(status:(values:List(ACTIVE)))",
    "/adAccounts?ids=List(1,2)",
    f"/adAccountUsers/{USER_KEY}",
    "/adAccounts?bq=search&criteria=List((status:ACTIVE))",
    "/adCampaigns?q=search&pageSize=2",
    "/widgets/a?fields=id,name",
    "/socialActions/urn%3Ali%3Ashare%3A1",
    "/adAccounts?action=echo",
    "/me",
]
HOSTILE = st.sampled_from(
    [
        "(",
        ")",
        ",",
        ":",
        "'",
        "%",
        "%2E",
        "%2e%2E",
        "..",
        ".",
        "/",
        "/..",
        "/./",
        "List(",
        "(a:",
        "%ZZ",
        "%C3",
        "%28",
        "&",
        "=",
        "?",
    ]
)
BURSTS = st.tuples(
    st.sampled_from(["(a:", "List(", "a:(", "9", "%2E", "/.."]), st.integers(50, 400)
)


@st.composite
def hostile_paths(draw: st.DrawFn) -> str:
    path = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(path)))
        if draw(st.booleans()):
            piece, times = draw(BURSTS)
            path = path[:at] + piece * times + path[at:]
        else:
            path = path[:at] + draw(HOSTILE) + path[at + draw(st.integers(0, 2)) :]
    return path


SHARED = make_server()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    path=hostile_paths(),
    body=st.sampled_from(
        [None, b"{}", b'{"patch":{"$set":{"name":"x"}}}', b"[" * 200 + b"]" * 200]
    ),
)
def test_any_hostile_request_gets_a_rest_li_answer_and_never_a_500(
    method: str, path: str, body: bytes | None
) -> None:
    try:
        request = Request(
            method, BASE + path, {**HEADERS, "Content-Type": "application/json"}, body
        )
    except RestliUsageError:
        return  # not an HTTP request: it cannot reach a server
    response = SHARED.handle(request)
    assert SHARED.internal_errors == []
    assert response.status_code < 500, response.text[:300]
    if response.status_code >= 400:
        assert_rest_li_error(response)
    elif response.body:
        json.loads(response.body)

"""Contract: every adapter's clients, end to end over a real loopback socket.

The 14 Rest.li methods and the OAuth calls arrive exactly as the core builds them
(request line, headers, body bytes) and come back as typed responses; error
statuses raise the right ResponseError; retries follow the RetryPolicy; the token
never reaches a log.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from _loopback import LoopbackServer, Received, Reply, json_reply, refused_url
from conftest import Harness

from restli_core import (
    ActionResponse,
    AuthError,
    AuthRequestBuilder,
    BadRequestError,
    BaseRestliResponse,
    BatchCreateResponse,
    BatchDeleteResponse,
    BatchFinderResponse,
    BatchGetResponse,
    BatchUpdateResponse,
    CollectionResponse,
    ConflictError,
    CreateResponse,
    ForbiddenError,
    GetResponse,
    NotFoundError,
    RateLimitError,
    Request,
    RequestBuilder,
    ResponseError,
    RestliUsageError,
    RetryPolicy,
    ServerError,
    TransportError,
    TransportTimeout,
    UnauthorizedError,
    UnprocessableEntityError,
    UpdateResponse,
    VersionNotActiveError,
)

TOKEN = "AQX-secret-token-0123456789"
SECRET = "client-secret-XYZ"
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.005)


def _builder(server: LoopbackServer) -> RequestBuilder:
    return RequestBuilder(f"{server.url}/v2", f"{server.url}/rest")


def _assert_arrived(server: LoopbackServer, expected: Request, got: Received) -> None:
    """The server received exactly ``expected``: verb, target, headers, body bytes."""
    assert got.method == expected.method
    assert got.target == expected.url[len(server.url) :]
    assert got.body == (expected.body or b"")
    for name, value in expected.headers.raw:
        assert got.header(name) == value, name


# (method, kwargs, reply, check of the typed response)
METHODS: list[tuple[str, dict[str, Any], Reply, Any]] = [
    (
        "get",
        {
            "resource_path": "/adAccounts/{id}",
            "path_keys": {"id": 123},
            "query_params": {"fields": "id,name"},
        },
        json_reply({"id": 123, "name": "Acme"}),
        lambda r: isinstance(r, GetResponse) and r.entity == {"id": 123, "name": "Acme"},
    ),
    (
        "batch_get",
        {"resource_path": "/adCampaignGroups", "ids": [123, "a,b"]},
        json_reply({"results": {"123": {"id": 123}}, "statuses": {"123": 200}, "errors": {}}),
        lambda r: isinstance(r, BatchGetResponse) and r.results["123"] == {"id": 123},
    ),
    (
        "get_all",
        {"resource_path": "/fieldsOfStudy", "query_params": {"start": 0, "count": 15}},
        json_reply({"elements": [{"id": 1}], "paging": {"start": 0, "count": 15, "total": 1}}),
        lambda r: (
            isinstance(r, CollectionResponse) and r.elements == [{"id": 1}] and r.paging.total == 1
        ),
    ),
    (
        "finder",
        {
            "resource_path": "/adAccounts",
            "finder_name": "search",
            "query_params": {"search": {"name": {"values": ["", "a,b", "it's"]}}},
        },
        json_reply({"elements": [{"id": 2}], "paging": {"start": 0, "count": 10}}),
        lambda r: isinstance(r, CollectionResponse) and r.elements == [{"id": 2}],
    ),
    (
        "batch_finder",
        {
            "resource_path": "/organizationAuthorizations",
            "finder_name": "authorizationActionsAndImpersonator",
            "finder_criteria": ("authorizationActions", [{"a": "x"}, {"a": ""}]),
        },
        json_reply(
            {"elements": [{"elements": [{"id": 1}]}, {"isError": True, "error": {"status": 400}}]}
        ),
        lambda r: (
            isinstance(r, BatchFinderResponse)
            and r.results[0].elements == [{"id": 1}]
            and r.results[1].isError
        ),
    ),
    (
        "create",
        {"resource_path": "/adAccounts", "entity": {"name": "Test", "test": True}},
        Reply(201, [("X-RestLi-Id", "12345")]),
        lambda r: isinstance(r, CreateResponse) and r.entity_id == "12345" and r.status_code == 201,
    ),
    (
        "batch_create",
        {"resource_path": "/adCampaignGroups", "entities": [{"name": "a"}, {"name": "b"}]},
        json_reply(
            {"elements": [{"status": 201, "id": "1"}, {"status": 400, "error": {"status": 400}}]}
        ),
        lambda r: (
            isinstance(r, BatchCreateResponse)
            and r.elements[0].status == 201
            and r.elements[1].status == 400
        ),
    ),
    (
        "update",
        {
            "resource_path": "/adAccounts/{id}",
            "path_keys": {"id": "urn:li:x:1"},
            "entity": {"name": "n"},
        },
        Reply(204),
        lambda r: isinstance(r, UpdateResponse) and r.status_code == 204,
    ),
    (
        "batch_update",
        {"resource_path": "/campaignGroups", "ids": [1, 2], "entities": [{"n": 1}, {"n": 2}]},
        json_reply({"results": {"1": {"status": 204}, "2": {"status": 204}}}),
        lambda r: isinstance(r, BatchUpdateResponse) and r.results["1"].status == 204,
    ),
    (
        "partial_update",
        {
            "resource_path": "/adAccounts/{id}",
            "path_keys": {"id": 1},
            "patch_set_object": {"name": "n"},
        },
        Reply(204),
        lambda r: isinstance(r, UpdateResponse) and r.status_code == 204,
    ),
    (
        "batch_partial_update",
        {
            "resource_path": "/campaignGroups",
            "ids": ["1", "2"],
            "patch_set_objects": [{"s": "A"}, {"s": "B"}],
        },
        json_reply({"results": {"1": {"status": 204}, "2": {"status": 204}}}),
        lambda r: isinstance(r, BatchUpdateResponse) and r.results["2"].status == 204,
    ),
    (
        "delete",
        {"resource_path": "/adAccounts/{id}", "path_keys": {"id": 1}},
        Reply(204),
        lambda r: isinstance(r, BaseRestliResponse) and r.status_code == 204,
    ),
    (
        "batch_delete",
        {"resource_path": "/adAccounts", "ids": [1, 2]},
        json_reply({"results": {"1": {"status": 204}, "2": {"status": 204}}}),
        lambda r: isinstance(r, BatchDeleteResponse) and r.results["1"].status == 204,
    ),
    (
        "action",
        {
            "resource_path": "/liveAssetActions",
            "action_name": "register",
            "action_params": {"p": [1, ""]},
        },
        json_reply({"value": {"ok": True}}),
        lambda r: isinstance(r, ActionResponse) and r.value == {"ok": True},
    ),
]


@pytest.mark.parametrize(
    ("method", "kwargs", "reply", "check"), METHODS, ids=[m[0] for m in METHODS]
)
def test_each_method_arrives_intact_and_returns_its_typed_response(
    h: Harness,
    server: LoopbackServer,
    method: str,
    kwargs: dict[str, Any],
    reply: Reply,
    check: Any,
) -> None:
    server.script(reply)
    response = getattr(h.client(), method)(access_token=TOKEN, version_string="202401", **kwargs)
    expected = getattr(_builder(server), method)(
        access_token=TOKEN, version_string="202401", **kwargs
    )
    _assert_arrived(server, expected, server.last)
    assert server.last.target.startswith("/rest/")
    assert check(response)
    assert response.core_response.raw is response.response  # the library's own object


def test_empty_string_and_escaped_comma_reach_the_server_unchanged(
    h: Harness, server: LoopbackServer
) -> None:
    h.client().finder(
        resource_path="/r/{k}",
        path_keys={"k": ""},
        finder_name="f",
        query_params={"v": ["", ",", "'"]},
        access_token=TOKEN,
    )
    assert server.last.target == "/v2/r/''?q=f&v=List('',%2C,%27)"


def test_client_default_version_string(h: Harness, server: LoopbackServer) -> None:
    client = h.client(version_string="202401")
    client.get(resource_path="/me", access_token=TOKEN)
    assert server.last.target == "/rest/me"
    assert server.last.header("LinkedIn-Version") == "202401"
    client.get(resource_path="/me", access_token=TOKEN, version_string="202402")
    assert server.last.header("LinkedIn-Version") == "202402"


def test_user_agent_suffix(h: Harness, server: LoopbackServer) -> None:
    h.client(user_agent="my-app/1.0").get(resource_path="/me", access_token=TOKEN)
    agent = server.last.header("User-Agent") or ""
    assert agent.startswith("restli-client/") and agent.endswith(" my-app/1.0")


# ----------------------------------------------------------------------------- tunneling


def test_tunneled_get_arrives_as_form_post(h: Harness, server: LoopbackServer) -> None:
    kwargs: dict[str, Any] = {
        "resource_path": "/adAccounts",
        "finder_name": "search",
        "query_params": {"search": {"name": {"values": ["x" * 4100, "", "a,b"]}}},
    }
    server.script(json_reply({"elements": [], "paging": {"start": 0, "count": 10}}))
    response = h.client().finder(access_token=TOKEN, **kwargs)
    expected = _builder(server).finder(access_token=TOKEN, **kwargs)
    assert expected.tunneled
    got = server.last
    _assert_arrived(server, expected, got)
    assert got.method == "POST" and got.target == "/v2/adAccounts"
    assert got.header("X-HTTP-Method-Override") == "GET"
    assert got.header("Content-Type") == "application/x-www-form-urlencoded"
    assert got.body.startswith(b"q=search&search=(name:(values:List(xxx")
    assert got.body.endswith(b",'',a%2Cb)))")
    assert isinstance(response, CollectionResponse)


def test_tunneled_request_with_body_arrives_as_multipart(
    h: Harness, server: LoopbackServer
) -> None:
    kwargs: dict[str, Any] = {
        "resource_path": "/adAccounts",
        "entity": {"name": "é ''", "list": [1, 2]},
        "query_params": {"long": "y" * 4100, "empty": ""},
    }
    server.script(Reply(201, [("X-RestLi-Id", "7")]))
    response = h.client().create(access_token=TOKEN, **kwargs)
    expected = _builder(server).create(access_token=TOKEN, **kwargs)
    got = server.last
    assert got.method == "POST" and got.target == "/v2/adAccounts"
    assert got.header("X-HTTP-Method-Override") == "POST"
    content_type = got.header("Content-Type") or ""
    assert content_type.startswith("multipart/mixed; boundary=")
    # The boundary is random per request; everything else is byte-identical.
    ours = re.search(r"boundary=(\S+)", content_type)
    theirs = re.search(r"boundary=(\S+)", expected.headers["Content-Type"])
    assert ours and theirs
    assert got.body == (expected.body or b"").replace(
        theirs.group(1).encode(), ours.group(1).encode()
    )
    assert b"empty=''&long=yyy" in got.body
    assert isinstance(response, CreateResponse) and response.entity_id == "7"


# ----------------------------------------------------------------------------- errors

ERRORS = [
    (400, BadRequestError),
    (401, UnauthorizedError),
    (403, ForbiddenError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (426, VersionNotActiveError),
    (429, RateLimitError),
    (500, ServerError),
    (503, ServerError),
]


@pytest.mark.parametrize(("status", "error"), ERRORS)
def test_error_status_raises_its_response_error(
    h: Harness, server: LoopbackServer, status: int, error: type[ResponseError]
) -> None:
    server.script(
        json_reply(
            {"status": status, "code": "SOME_CODE", "message": "it failed", "serviceErrorCode": 7},
            status,
            [("X-RestLi-Error-Response", "true")],
        )
    )
    with pytest.raises(error) as info:
        h.client().get(resource_path="/r/{id}", path_keys={"id": 1}, access_token=TOKEN)
    assert info.value.status_code == status
    assert info.value.code == "SOME_CODE"
    assert info.value.service_error_code == 7
    assert TOKEN not in str(info.value)
    assert len(server.received) == 1  # retry is off in this harness


def test_raise_for_status_false_returns_typed_response(h: Harness, server: LoopbackServer) -> None:
    server.script(json_reply({"status": 404, "message": "no such thing"}, 404))
    client = h.client(raise_for_status=False)
    response = client.get(resource_path="/r/{id}", path_keys={"id": 1}, access_token=TOKEN)
    assert isinstance(response, GetResponse)
    assert response.status_code == 404
    assert isinstance(response.error, NotFoundError)


def test_html_error_page_still_raises_with_status(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(502, [("Content-Type", "text/html")], b"<html>Bad Gateway</html>"))
    with pytest.raises(ServerError) as info:
        h.client().get(resource_path="/me", access_token=TOKEN)
    assert info.value.status_code == 502


# ----------------------------------------------------------------------------- failures


def test_timeout_raises_transport_timeout(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(action="hang"))
    with pytest.raises(TransportTimeout):
        h.client(timeout=(2.0, 0.3)).get(resource_path="/me", access_token=TOKEN)


def test_connection_refused_raises_unsent_transport_error(h: Harness) -> None:
    base = refused_url()
    client = h.client(base_url=f"{base}/v2")
    with pytest.raises(TransportError) as info:
        client.create(resource_path="/r", entity={}, access_token=TOKEN)
    assert info.value.sent is False
    assert TOKEN not in str(info.value)


def test_connection_reset_raises_transport_error(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(action="reset"))
    with pytest.raises(TransportError):
        h.client().action(resource_path="/r", action_name="go", access_token=TOKEN)


# ----------------------------------------------------------------------------- retries


def test_get_is_retried_after_503_with_retry_after(h: Harness, server: LoopbackServer) -> None:
    server.script(
        json_reply({"status": 503}, 503, [("Retry-After", "0")]),
        json_reply({"id": 1}),
    )
    response = h.client(retry=FAST_RETRY).get(resource_path="/me", access_token=TOKEN)
    assert response.entity == {"id": 1}
    assert len(server.received) == 2
    assert server.received[0].target == server.received[1].target == "/v2/me"


def test_get_is_retried_after_a_timeout(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(action="hang"), json_reply({"id": 1}))
    client = h.client(retry=FAST_RETRY, timeout=(2.0, 0.3))
    assert client.get(resource_path="/me", access_token=TOKEN).entity == {"id": 1}
    assert len(server.received) == 2


def test_create_is_not_retried_after_503(h: Harness, server: LoopbackServer) -> None:
    server.script(json_reply({"status": 503}, 503, [("Retry-After", "0")]), Reply(201))
    with pytest.raises(ServerError):
        h.client(retry=FAST_RETRY).create(resource_path="/r", entity={"a": 1}, access_token=TOKEN)
    assert len(server.received) == 1


def test_create_is_not_retried_after_a_reset(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(action="reset"), Reply(201))
    with pytest.raises(TransportError):
        h.client(retry=FAST_RETRY).create(resource_path="/r", entity={"a": 1}, access_token=TOKEN)
    assert len(server.received) == 1


def test_create_is_retried_after_429(h: Harness, server: LoopbackServer) -> None:
    server.script(
        json_reply({"status": 429}, 429, [("Retry-After", "0")]),
        Reply(201, [("X-RestLi-Id", "9")]),
    )
    response = h.client(retry=FAST_RETRY).create(
        resource_path="/r", entity={"a": 1}, access_token=TOKEN
    )
    assert response.entity_id == "9"
    assert len(server.received) == 2
    assert server.received[0].body == server.received[1].body == b'{"a":1}'


def test_refused_create_is_retried_then_raised(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    client = h.client(base_url=f"{refused_url()}/v2", retry=FAST_RETRY)
    with caplog.at_level(logging.INFO, logger="restli"), pytest.raises(TransportError) as info:
        client.create(resource_path="/r", entity={}, access_token=TOKEN)
    assert info.value.sent is False
    retries = [r for r in caplog.records if r.levelno == logging.INFO and "retrying" in r.message]
    assert len(retries) == FAST_RETRY.max_attempts - 1


def test_long_retry_after_is_not_waited_for(h: Harness, server: LoopbackServer) -> None:
    server.script(json_reply({"status": 429}, 429, [("Retry-After", "3600")]))
    with pytest.raises(RateLimitError):
        h.client(retry=FAST_RETRY).get(resource_path="/me", access_token=TOKEN)
    assert len(server.received) == 1


def test_attempts_run_out_on_the_last_response(h: Harness, server: LoopbackServer) -> None:
    server.default = lambda _r: json_reply({"status": 504}, 504)
    with pytest.raises(ServerError) as info:
        h.client(retry=FAST_RETRY).get(resource_path="/me", access_token=TOKEN)
    assert info.value.status_code == 504
    assert len(server.received) == FAST_RETRY.max_attempts


def test_426_is_never_retried(h: Harness, server: LoopbackServer) -> None:
    server.default = lambda _r: json_reply({"status": 426, "code": "NONEXISTENT_VERSION"}, 426)
    with pytest.raises(VersionNotActiveError):
        h.client(retry=FAST_RETRY).get(
            resource_path="/me", access_token=TOKEN, version_string="202001"
        )
    assert len(server.received) == 1


# ----------------------------------------------------------------------------- logging


def test_logs_never_contain_the_token(
    h: Harness, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.script(json_reply({}, 503, [("Retry-After", "0")]), json_reply({"id": 1}))
    client = h.client(retry=FAST_RETRY)
    with caplog.at_level(logging.DEBUG, logger="restli"):
        client.get(resource_path="/me", access_token=TOKEN)
        server.script(json_reply({"message": "denied"}, 403))
        with pytest.raises(ForbiddenError):
            client.get(resource_path="/x", access_token=TOKEN)
    messages = [r.getMessage() for r in caplog.records]
    assert any("503" in m and "attempt 1" in m for m in messages)  # DEBUG exchange
    assert any("retrying GET" in m for m in messages)  # INFO retry
    assert all(TOKEN not in m and "Bearer" not in m for m in messages)
    assert all(TOKEN not in str(r.args) for r in caplog.records)


# ----------------------------------------------------------------------------- async


@pytest.mark.parametrize("adapter", ["httpx-async", "aiohttp"])
def test_async_clients_handle_concurrent_calls(
    make_harness: Callable[[str], Harness], server: LoopbackServer, adapter: str
) -> None:
    h = make_harness(adapter)

    def echo(received: Received) -> Reply:
        return json_reply({"id": received.target.rsplit("/", 1)[-1]})

    server.default = echo
    client = h.client().target  # the real async client

    async def many() -> list[Any]:
        return await asyncio.gather(
            *(
                client.get(resource_path="/r/{id}", path_keys={"id": i}, access_token=TOKEN)
                for i in range(50)
            )
        )

    responses = h.run(many())
    assert [r.entity["id"] for r in responses] == [str(i) for i in range(50)]
    assert len(server.received) == 50


# ----------------------------------------------------------------------------- oauth


def test_auth_client_calls(
    h: Harness, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    auth = h.auth_client("cid", SECRET, "https://app.example/cb")
    expected = AuthRequestBuilder("cid", SECRET, "https://app.example/cb", f"{server.url}/oauth/v2")
    server.script(json_reply({"access_token": "new-token", "expires_in": 3600}))
    with caplog.at_level(logging.DEBUG, logger="restli"):
        token = auth.get_two_legged_access_token()
    assert token.access_token == "new-token" and token.expires_in == 3600
    _assert_arrived(server, expected.get_two_legged_access_token(), server.last)
    assert all(SECRET not in r.getMessage() for r in caplog.records)

    server.script(json_reply({"access_token": "t3", "expires_in": 60, "refresh_token": "r"}))
    three = auth.exchange_auth_code_for_access_token("the-code")
    assert three.access_token == "t3" and three.refresh_token == "r"
    _assert_arrived(server, expected.exchange_auth_code_for_access_token("the-code"), server.last)

    server.script(json_reply({"access_token": "t4", "expires_in": 60}))
    assert auth.exchange_refresh_token_for_access_token("r").access_token == "t4"
    _assert_arrived(server, expected.exchange_refresh_token_for_access_token("r"), server.last)

    server.script(json_reply({"active": True, "client_id": "cid", "status": "active"}))
    assert auth.introspect_access_token(TOKEN).active is True
    _assert_arrived(server, expected.introspect_access_token(TOKEN), server.last)

    url = auth.generate_member_auth_url(["r_liteprofile", "rw_ads"], "st")
    assert url.startswith(f"{server.url}/oauth/v2/authorization?")
    assert len(server.received) == 4  # no I/O for the authorization URL


def test_auth_token_call_is_retried_after_429_not_503(h: Harness, server: LoopbackServer) -> None:
    auth = h.auth_client("cid", SECRET, retry=FAST_RETRY)
    server.script(
        json_reply({}, 429, [("Retry-After", "0")]),
        json_reply({"access_token": "t", "expires_in": 1}),
    )
    assert auth.get_two_legged_access_token().access_token == "t"
    assert len(server.received) == 2
    server.script(json_reply({"error": "temporarily_unavailable"}, 503), json_reply({}))
    with pytest.raises(AuthError) as info:  # a POST is not repeated after a 5xx
        auth.get_two_legged_access_token()
    assert info.value.status_code == 503
    assert info.value.error == "temporarily_unavailable"
    assert len(server.received) == 3


# ----------------------------------------------------------------------------- arguments


@pytest.mark.parametrize("timeout", [0, -1, (1.0,), "5", (1.0, float("inf")), True])
def test_bad_timeout_is_rejected(h: Harness, timeout: Any) -> None:
    with pytest.raises(RestliUsageError):
        h.client(timeout=timeout)


def test_bad_retry_is_rejected(h: Harness) -> None:
    with pytest.raises(RestliUsageError):
        h.client(retry=3)

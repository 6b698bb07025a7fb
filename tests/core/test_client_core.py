"""The shared client layer, driven in process by restli_core.testing's MockTransport.

No sockets: the sync and async client bases run over MockTransport /
AsyncMockTransport and the in-memory RestliServer, so these tests check what the
client layer adds (builder + retries + parsing + defaults) and that the sync and
async faces are the same.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

import restli_core
from restli_core import (
    AsyncAuthClientBase,
    AsyncRestliClientBase,
    AuthError,
    BaseRestliResponse,
    CollectionResponse,
    CreateResponse,
    GetResponse,
    Headers,
    NotFoundError,
    RateLimitError,
    Request,
    Response,
    RestliEncodeError,
    RestliUsageError,
    RetryPolicy,
    ServerError,
    SyncAuthClientBase,
    SyncRestliClientBase,
)
from restli_core._client import DEFAULT_RETRY, normalize_timeout
from restli_core.testing import AsyncMockTransport, MockTransport

TOKEN = "AQV-secret-token-for-tests"
SECRET = "the-client-secret"


Client = SyncRestliClientBase  # the base takes its transport directly


AsyncClient = AsyncRestliClientBase


class Auth(SyncAuthClientBase):
    def __init__(self, transport: MockTransport, *args: Any, **options: Any) -> None:
        super().__init__(*args, transport=transport, **options)


class AsyncAuth(AsyncAuthClientBase):
    def __init__(self, transport: AsyncMockTransport, *args: Any, **options: Any) -> None:
        super().__init__(*args, transport=transport, **options)


class Driver:
    """Calls a client the same way whether it is sync or async."""

    def __init__(self, is_async: bool) -> None:
        self.is_async = is_async
        self.transport: Any = AsyncMockTransport() if is_async else MockTransport()

    def client(self, **options: Any) -> Any:
        return (AsyncClient if self.is_async else Client)(self.transport, **options)

    def call(self, client: Any, method: str, **kwargs: Any) -> Any:
        result = getattr(client, method)(**kwargs)
        return asyncio.run(result) if self.is_async else result


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def d(request: pytest.FixtureRequest) -> Driver:
    return Driver(request.param)


def test_readme_calls_run_against_the_mock_server(d: Driver) -> None:
    client = d.client()
    one = d.call(
        client, "get", resource_path="/adAccounts/{id}", path_keys={"id": 1}, access_token=TOKEN
    )
    assert isinstance(one, GetResponse)
    assert one.entity["name"] == "Ad Account 1"

    found = d.call(
        client,
        "finder",
        resource_path="/adAccounts",
        finder_name="search",
        query_params={"search": {"status": {"values": ["DRAFT"]}}, "start": 0, "count": 3},
        access_token=TOKEN,
    )
    assert isinstance(found, CollectionResponse)
    assert [e["status"] for e in found.elements] == ["DRAFT"] * 3

    created = d.call(
        client,
        "create",
        resource_path="/adAccounts",
        entity={"name": "New", "type": "BUSINESS"},
        access_token=TOKEN,
    )
    assert isinstance(created, CreateResponse) and created.status_code == 201
    back = d.call(
        client,
        "get",
        resource_path="/adAccounts/{id}",
        path_keys={"id": int(str(created.entity_id))},
        access_token=TOKEN,
    )
    assert back.entity["name"] == "New"

    deleted = d.call(
        client, "delete", resource_path="/adAccounts/{id}", path_keys={"id": 2}, access_token=TOKEN
    )
    assert isinstance(deleted, BaseRestliResponse) and deleted.status_code == 204

    echoed = d.call(
        client,
        "action",
        resource_path="/adAccounts",
        action_name="echo",
        action_params={"a": [1, ""]},
        access_token=TOKEN,
    )
    assert echoed.value == {"a": [1, ""]}


def test_throttling_is_retried_with_retry_after(d: Driver) -> None:
    d.transport.server.inject(429, times=2, retry_after=1)
    response = d.call(d.client(), "get", resource_path="/me", access_token=TOKEN)
    assert response.entity["id"] == "abc"
    assert d.transport.sleeps == [1.0, 1.0]


def test_default_policy_gives_up_after_three_attempts(d: Driver) -> None:
    client = d.client()
    assert client.retry is DEFAULT_RETRY
    d.transport.server.inject(503, times=5)
    with pytest.raises(ServerError):
        d.call(client, "get", resource_path="/me", access_token=TOKEN)
    assert len(d.transport.server.requests) == 3
    assert len(d.transport.sleeps) == 2
    assert all(0 <= s <= 1.0 for s in d.transport.sleeps)  # jittered backoff 0.5, 1.0


def test_create_is_not_repeated_after_a_server_error(d: Driver) -> None:
    d.transport.server.inject(503)
    with pytest.raises(ServerError):
        d.call(
            d.client(),
            "create",
            resource_path="/adAccounts",
            entity={"name": "x", "type": "BUSINESS"},
            access_token=TOKEN,
        )
    assert len(d.transport.server.requests) == 1


def test_retry_none_sends_once(d: Driver) -> None:
    d.transport.server.inject(429, retry_after=0)
    with pytest.raises(RateLimitError):
        d.call(d.client(retry=None), "get", resource_path="/me", access_token=TOKEN)
    assert d.transport.sleeps == []


def test_raise_for_status_false(d: Driver) -> None:
    client = d.client(raise_for_status=False)
    response = d.call(
        client, "get", resource_path="/adAccounts/{id}", path_keys={"id": 999}, access_token=TOKEN
    )
    assert isinstance(response, GetResponse)
    assert response.status_code == 404
    assert isinstance(response.error, NotFoundError)


def test_client_version_string_is_the_default(d: Driver) -> None:
    client = d.client(version_string="202401")
    d.call(client, "get", resource_path="/me", access_token=TOKEN)
    sent = d.transport.server.requests[-1]
    assert sent.headers["LinkedIn-Version"] == "202401"
    assert "/rest/me" in sent.url
    d.call(client, "get", resource_path="/me", access_token=TOKEN, version_string="202402")
    assert d.transport.server.requests[-1].headers["LinkedIn-Version"] == "202402"


def test_debug_log_has_each_exchange_and_no_token(
    d: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    d.transport.server.inject(503, retry_after=0)
    with caplog.at_level(logging.DEBUG, logger="restli"):
        d.call(d.client(), "get", resource_path="/me", access_token=TOKEN)
    messages = [r.getMessage() for r in caplog.records]
    assert any("GET" in m and "-> 503" in m and "attempt 1" in m for m in messages)
    assert any("-> 200" in m and "attempt 2" in m for m in messages)
    assert any(r.levelno == logging.INFO and "retrying" in r.getMessage() for r in caplog.records)
    assert all(TOKEN not in m for m in messages)


def test_call_flow_runs_any_parser(d: Driver) -> None:
    client = d.client()
    request = client.builder.get(resource_path="/me", access_token=TOKEN)
    flow = client.call_flow(request, lambda response: response.status_code)
    if d.is_async:
        assert asyncio.run(restli_core.run_async(flow, client.transport, client.store)) == 200
    else:
        assert restli_core.run_sync(flow, client.transport, client.store) == 200


def test_sync_and_async_faces_are_identical() -> None:
    for sync_cls, async_cls in [
        (SyncRestliClientBase, AsyncRestliClientBase),
        (SyncAuthClientBase, AsyncAuthClientBase),
    ]:
        public = {n for n in dir(sync_cls) if not n.startswith("_")} - {"close"}
        assert public == {n for n in dir(async_cls) if not n.startswith("_")} - {"aclose"}
        for name in public:
            ours = getattr(sync_cls, name)
            if not callable(ours) or isinstance(ours, property):
                continue
            theirs = getattr(async_cls, name)
            if name in ("iter_pages", "iter_elements"):
                # A Pager and an AsyncPager (for ``async for``): same parameters.
                mine = list(inspect.signature(ours).parameters.values())[1:]
                other = list(inspect.signature(theirs).parameters.values())[1:]
                assert mine == other, name
                continue
            assert inspect.signature(ours) == inspect.signature(theirs), name
            if name in _PLAIN_METHODS:
                assert ours is theirs, name  # inherited from the one core
            else:
                assert inspect.iscoroutinefunction(theirs), name
                # Both made from the same flow function: only the driver differs.
                assert ours.__wrapped__ is theirs.__wrapped__, name


_PLAIN_METHODS = {
    "batch_flow",
    "call_flow",
    "generate_member_auth_url",
    "paginator",
    "resolve_version",
    "resource_path_of",
    "restli_flow",
}


# The official linkedin-api-client 0.3.0 signatures (keyword-only parameters, in order).
_TAIL = ["path_keys", "query_params", "version_string"]
_RP, _AT = "resource_path", "access_token"
OFFICIAL = {
    "get": [_RP, _AT, *_TAIL],
    "batch_get": [_RP, "ids", _AT, *_TAIL],
    "get_all": [_RP, _AT, *_TAIL],
    "finder": [_RP, "finder_name", _AT, *_TAIL],
    "batch_finder": [_RP, "finder_name", "finder_criteria", _AT, *_TAIL],
    "create": [_RP, "entity", _AT, *_TAIL],
    "batch_create": [_RP, "entities", _AT, *_TAIL],
    "update": [_RP, "entity", _AT, *_TAIL],
    "batch_update": [_RP, "entities", "ids", _AT, *_TAIL],
    "partial_update": [_RP, "patch_set_object", _AT, *_TAIL],
    "batch_partial_update": [_RP, "ids", "patch_set_objects", _AT, *_TAIL],
    "delete": [_RP, _AT, *_TAIL],
    "batch_delete": [_RP, "ids", _AT, *_TAIL],
    "action": [_RP, "action_name", _AT, "action_params", *_TAIL],
}


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_official_keyword_arguments_are_accepted(name: str) -> None:
    params = inspect.signature(getattr(SyncRestliClientBase, name)).parameters
    kw_only = [p for p in params.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert set(OFFICIAL[name]) <= {p.name for p in kw_only}
    # Official optional arguments stay optional; required ones stay required.
    for p in kw_only:
        if p.name in ("path_keys", "query_params", "version_string", "action_params"):
            assert p.default is None
    # Arguments beyond the official ones (patch, patches, chunk_size, concurrency)
    # are optional, and their defaults change nothing on the wire.
    for p in kw_only:
        if p.name not in OFFICIAL[name]:
            assert p.default == (1 if p.name == "concurrency" else None)


# ----------------------------------------------------------------------------- oauth


def _token_server(answers: list[tuple[int, dict[str, Any]]]) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        status, body = answers.pop(0)
        return Response(
            status, Headers([("Content-Type", "application/json")]), json.dumps(body).encode()
        )

    return handler


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_auth_client_through_the_flow(is_async: bool, caplog: pytest.LogCaptureFixture) -> None:
    answers: list[tuple[int, dict[str, Any]]] = [
        (429, {}),
        (200, {"access_token": "two-legged", "expires_in": 1800}),
        (400, {"error": "invalid_grant", "error_description": "bad code"}),
    ]
    handler = _token_server(answers)
    transport: Any = (
        AsyncMockTransport(handler, record=True)
        if is_async
        else MockTransport(handler, record=True)
    )
    cls: Any = AsyncAuth if is_async else Auth
    auth = cls(transport, "cid", SECRET, "https://app.example/cb", retry=RetryPolicy(jitter=False))

    def run(result: Any) -> Any:
        return asyncio.run(result) if is_async else result

    with caplog.at_level(logging.DEBUG, logger="restli"):
        token = run(auth.get_two_legged_access_token())
        assert token.access_token == "two-legged"
        assert transport.sleeps == [0.5]  # a token POST is repeated after a 429
        with pytest.raises(AuthError) as info:
            run(auth.exchange_auth_code_for_access_token("code"))
    assert info.value.error == "invalid_grant"
    assert len(transport.exchanges) == 3  # the 400 was not repeated
    assert all(SECRET not in r.getMessage() for r in caplog.records)
    assert SECRET not in str(info.value)
    assert auth.client_id == "cid" and auth.redirect_url == "https://app.example/cb"
    url = auth.generate_member_auth_url(["r_liteprofile"], "xyz")
    assert url.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    assert "state=xyz" in url


# ----------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("value", "pair"),
    [(5, (5.0, 5.0)), (2.5, (2.5, 2.5)), ((1, 30), (1.0, 30.0)), ([3, 4], (3.0, 4.0))],
)
def test_normalize_timeout(value: Any, pair: tuple[float, float]) -> None:
    assert normalize_timeout(value) == pair


@pytest.mark.parametrize("value", [0, -1, None, "5", (1,), (1, 2, 3), (1, 0), True, float("nan")])
def test_normalize_timeout_rejects(value: Any) -> None:
    with pytest.raises(RestliUsageError):
        normalize_timeout(value)


@pytest.mark.parametrize(
    "options",
    [
        {"retry": 3},
        {"retry": "no"},
        {"version_string": 202401},
        {"base_url": "http://example.com/v2"},
    ],
)
def test_bad_client_options_are_rejected(options: dict[str, Any]) -> None:
    # base_url is checked by the builder; the others are misuses of the client.
    with pytest.raises((RestliUsageError, RestliEncodeError)):
        Client(MockTransport(), **options)


def test_context_manager_closes_the_transport() -> None:
    closed: list[bool] = []

    class Tracking(MockTransport):
        def close(self) -> None:
            closed.append(True)

    with Client(Tracking()) as client:
        client.get(resource_path="/me", access_token=TOKEN)
    assert closed == [True]

    class AsyncTracking(AsyncMockTransport):
        async def aclose(self) -> None:
            closed.append(True)

    async def use() -> None:
        async with AsyncClient(AsyncTracking()) as client:
            await client.get(resource_path="/me", access_token=TOKEN)

    asyncio.run(use())
    assert closed == [True, True]

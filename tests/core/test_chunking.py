"""Batch chunking: many ids, several requests, one merged response; failed chunks lose
nothing. Every client test runs through a sync and an async client (the ``d``
fixture) over the embedded server."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from restli_core import (
    AsyncRestliClientBase,
    BatchChunkError,
    BatchDeleteResponse,
    BatchGetResponse,
    BatchUpdateResponse,
    RateLimitError,
    RestliEncodeError,
    RestliMethod,
    RestliUsageError,
    RetryPolicy,
    ServerError,
    SyncRestliClientBase,
    TransportError,
    decode,
    merge_batch_responses,
)
from restli_core._chunking import split_batch
from restli_core.testing import AsyncMockTransport, MockTransport, RestliServer

TOKEN = "AQV-chunking-token-never-shown"
FAST = RetryPolicy(max_attempts=2, base_delay=0.01, jitter=False)


Client = SyncRestliClientBase  # the base takes its transport directly


AsyncClient = AsyncRestliClientBase


class Driver:
    def __init__(self, is_async: bool) -> None:
        self.is_async = is_async
        self.server = RestliServer()
        self.transport: Any = (AsyncMockTransport if is_async else MockTransport)(self.server)

    def client(self, **options: Any) -> Any:
        options.setdefault("retry", FAST)
        return (AsyncClient if self.is_async else Client)(self.transport, **options)

    def call(self, client: Any, method: str, **kwargs: Any) -> Any:
        result = getattr(client, method)(**kwargs)
        return asyncio.run(result) if self.is_async else result

    def ids_sent(self) -> list[list[str]]:
        out = []
        for request in self.server.requests:
            text = parse_qs(urlsplit(request.url).query)["ids"][0]
            out.append(decode(text))
        return out


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def d(request: pytest.FixtureRequest) -> Driver:
    return Driver(request.param)


# --------------------------------------------------------------------------- merging


def test_batch_get_is_split_and_merged(d: Driver) -> None:
    client = d.client()
    wanted = list(range(1, 31))  # /adAccounts holds 1..25
    response = d.call(
        client,
        "batch_get",
        resource_path="/adAccounts",
        ids=wanted,
        access_token=TOKEN,
        chunk_size=12,
    )
    assert isinstance(response, BatchGetResponse)
    assert [len(chunk) for chunk in d.ids_sent()] == [12, 12, 6]
    assert sorted(int(k) for k in response.results) == list(range(1, 26))
    assert response.results[7]["name"] == "Ad Account 7"  # lookup by the id as given
    assert response.statuses[30] == 404 and response.statuses[3] == 200
    assert sorted(int(k) for k in response.errors) == list(range(26, 31))
    assert response.status_code == 200
    assert sorted(response.data["results"], key=int) == [str(i) for i in range(1, 26)]


def test_ids_that_fit_in_one_chunk_are_one_plain_call(d: Driver) -> None:
    client = d.client()
    response = d.call(
        client,
        "batch_get",
        resource_path="/adAccounts",
        ids=[1, 2, 3],
        access_token=TOKEN,
        chunk_size=3,
    )
    assert len(d.server.requests) == 1
    assert sorted(response.results) == ["1", "2", "3"]


def test_the_client_option_sets_the_chunk_size(d: Driver) -> None:
    client = d.client()
    client.batch_chunk_size = 10
    response = d.call(
        client,
        "batch_delete",
        resource_path="/adAccounts",
        ids=list(range(1, 26)),
        access_token=TOKEN,
    )
    assert isinstance(response, BatchDeleteResponse)
    assert [len(c) for c in d.ids_sent()] == [10, 10, 5]
    assert {r.status for r in response.results.values()} == {204}
    assert len(response.results) == 25 and len(d.server.collection("/adAccounts")) == 0


def test_batch_update_splits_entities_with_their_ids(d: Driver) -> None:
    client = d.client()
    keys = list(range(1, 12))
    response = d.call(
        client,
        "batch_update",
        resource_path="/adAccounts",
        ids=keys,
        entities=[{"name": f"renamed {k}", "type": "BUSINESS"} for k in keys],
        access_token=TOKEN,
        chunk_size=4,
    )
    assert isinstance(response, BatchUpdateResponse)
    assert len(d.server.requests) == 3 and len(response.results) == 11
    accounts = d.server.collection("/adAccounts")
    assert all(accounts.get(k)["name"] == f"renamed {k}" for k in keys)  # type: ignore[index]


@pytest.mark.parametrize("argument", ["patch_set_objects", "patches"])
def test_batch_partial_update_splits_patches_with_their_ids(d: Driver, argument: str) -> None:
    client = d.client()
    keys = [5, 6, 7, 8, 9]
    given = [
        {"name": f"patched {k}"} if argument == "patch_set_objects" else {"$set": {"name": f"p{k}"}}
        for k in keys
    ]
    response = d.call(
        client,
        "batch_partial_update",
        resource_path="/adAccounts",
        ids=keys,
        access_token=TOKEN,
        chunk_size=2,
        **{argument: given},
    )
    assert len(d.server.requests) == 3 and len(response.results) == 5
    names = [d.server.collection("/adAccounts").get(k)["name"] for k in keys]  # type: ignore[index]
    expected = [f"patched {k}" if argument == "patch_set_objects" else f"p{k}" for k in keys]
    assert names == expected


# --------------------------------------------------------------------------- failures


def fail_request(d: Driver, number: int, **fault: Any) -> None:
    """Make the server's ``number``-th request (1-based) meet ``fault``."""
    original = d.server.dispatch
    calls = {"n": 0}

    def dispatch(request: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == number:
            d.server.inject(**fault)
        return original(request)

    d.server.dispatch = dispatch  # type: ignore[method-assign]


def test_a_failed_chunk_keeps_the_other_results(d: Driver) -> None:
    client = d.client(retry=None)
    fail_request(d, 2, status=503)
    with pytest.raises(BatchChunkError) as caught:
        d.call(
            client,
            "batch_get",
            resource_path="/adAccounts",
            ids=list(range(1, 16)),
            access_token=TOKEN,
            chunk_size=5,
        )
    error = caught.value
    assert len(d.server.requests) == 3  # the third chunk was still sent
    assert isinstance(error.response, BatchGetResponse)
    assert sorted(int(k) for k in error.response.results) == [1, 2, 3, 4, 5, 11, 12, 13, 14, 15]
    assert [f.ids for f in error.failures] == [(6, 7, 8, 9, 10)]
    assert isinstance(error.failures[0].error, ServerError)
    assert error.failed_ids == (6, 7, 8, 9, 10) and error.unsent_ids == ()
    assert error.__cause__ is error.failures[0].error
    assert "1 chunk(s) failed (5 of 15 ids)" in str(error)
    assert TOKEN not in str(error)


def test_a_throttled_chunk_stops_the_rest(d: Driver) -> None:
    client = d.client(retry=None)
    fail_request(d, 2, status=429)
    with pytest.raises(BatchChunkError) as caught:
        d.call(
            client,
            "batch_delete",
            resource_path="/adAccounts",
            ids=list(range(1, 13)),
            access_token=TOKEN,
            chunk_size=4,
        )
    error = caught.value
    assert len(d.server.requests) == 2  # the third chunk is not sent after a 429
    assert isinstance(error.failures[0].error, RateLimitError)
    assert error.unsent_ids == (9, 10, 11, 12)
    assert error.failed_ids == (5, 6, 7, 8, 9, 10, 11, 12)
    assert isinstance(error.response, BatchDeleteResponse) and len(error.response.results) == 4
    assert "4 ids not sent" in str(error)


def test_every_chunk_failing_gives_no_response(d: Driver) -> None:
    client = d.client(retry=None)
    d.server.inject(disconnect=True, times=2)
    with pytest.raises(BatchChunkError) as caught:
        d.call(
            client,
            "batch_get",
            resource_path="/adAccounts",
            ids=[1, 2, 3, 4],
            access_token=TOKEN,
            chunk_size=2,
        )
    assert caught.value.response is None
    assert all(isinstance(f.error, TransportError) for f in caught.value.failures)
    assert caught.value.failed_ids == (1, 2, 3, 4)


def test_chunks_are_retried_like_any_call(d: Driver) -> None:
    client = d.client()
    d.server.inject(503)
    response = d.call(
        client,
        "batch_get",
        resource_path="/adAccounts",
        ids=[1, 2, 3],
        access_token=TOKEN,
        chunk_size=2,
    )
    assert len(response.results) == 3 and d.transport.sleeps == [0.01]


def test_chunk_failures_raise_even_without_raise_for_status(d: Driver) -> None:
    client = d.client(retry=None, raise_for_status=False)
    d.server.inject(500)
    with pytest.raises(BatchChunkError):
        d.call(
            client,
            "batch_get",
            resource_path="/adAccounts",
            ids=[1, 2, 3],
            access_token=TOKEN,
            chunk_size=2,
        )


def test_a_bad_id_anywhere_fails_before_anything_is_sent(d: Driver) -> None:
    client = d.client()
    with pytest.raises(RestliEncodeError, match="ids"):
        d.call(
            client,
            "batch_get",
            resource_path="/adAccounts",
            ids=[1, 2, 3, 4, float("nan")],
            access_token=TOKEN,
            chunk_size=2,
        )
    assert d.server.requests == []


def test_mismatched_lists_get_the_builders_message(d: Driver) -> None:
    client = d.client()
    with pytest.raises(RestliUsageError, match="same length"):
        d.call(
            client,
            "batch_update",
            resource_path="/adAccounts",
            ids=[1, 2, 3],
            entities=[{"name": "x"}],
            access_token=TOKEN,
            chunk_size=1,
        )
    assert d.server.requests == []


@pytest.mark.parametrize("size", [0, -1, 2.5, True, "3"])
def test_bad_chunk_sizes(d: Driver, size: Any) -> None:
    client = d.client()
    with pytest.raises(RestliUsageError, match="chunk_size must be an int >= 1"):
        d.call(
            client,
            "batch_get",
            resource_path="/adAccounts",
            ids=[1, 2, 3],
            access_token=TOKEN,
            chunk_size=size,
        )


# --------------------------------------------------------------------------- pure parts


def test_split_batch() -> None:
    arguments = {"ids": [1, 2, 3], "patches": [{"a": 1}, {"b": 2}, {"c": 3}], "x": "same"}
    chunks = split_batch(RestliMethod.BATCH_PARTIAL_UPDATE, arguments, 2)
    assert chunks == [
        {"ids": [1, 2], "patches": [{"a": 1}, {"b": 2}], "x": "same"},
        {"ids": [3], "patches": [{"c": 3}], "x": "same"},
    ]
    assert split_batch(RestliMethod.BATCH_GET, {"ids": [1, 2]}, 2) is None
    assert split_batch(RestliMethod.BATCH_GET, {"ids": "123"}, 1) is None
    assert split_batch(RestliMethod.BATCH_GET, {"ids": [1, 2]}, None) is None
    with pytest.raises(RestliUsageError, match="not batch_create"):
        split_batch(RestliMethod.BATCH_CREATE, {"ids": [1]}, 1)


def test_merge_batch_responses_checks_its_input() -> None:
    with pytest.raises(RestliUsageError, match="at least one"):
        merge_batch_responses([])
    server = RestliServer()
    transport = MockTransport(server)
    client = Client(transport, retry=None)
    one = client.batch_get(resource_path="/adAccounts", ids=[1], access_token=TOKEN)
    other = client.batch_delete(resource_path="/adAccounts", ids=[2], access_token=TOKEN)
    mixed: list[Any] = [one, other]
    with pytest.raises(RestliUsageError, match="one type"):
        merge_batch_responses(mixed)
    assert merge_batch_responses([one]) is one

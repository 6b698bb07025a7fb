"""Async clients over ``AsyncRedisStore``: the same flows, awaited, sharing state with
sync workers through the same keys.

Many tasks of one async client on a token that expires now renew it once; a sync
client on the same Redis reads that token instead of renewing again; a DAY 429 seen
by the async client makes the sync one fail fast.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from restli_cli._serve import LoopbackServer
from restli_core import QuotaExhaustedError, RefreshTokenCredentials, StaticToken
from restli_core.testing import RestliServer, ServerClock

sys.path.insert(0, str(Path(__file__).parents[1] / "stores"))
from _redis_server import redis_server  # noqa: F401  (a fixture)

CLIENT_ID, CLIENT_SECRET = "async-app", "async-secret"


@pytest.fixture
def served() -> Iterator[tuple[RestliServer, str]]:
    server = RestliServer(check_tokens=True, clock=ServerClock())
    http = LoopbackServer(server).start()
    try:
        yield server, http.url
    finally:
        http.close()


@pytest.fixture(params=["httpx", "aiohttp"])
def async_client_class(request: pytest.FixtureRequest) -> Any:
    if request.param == "httpx":
        from restli_httpx import AsyncRestliClient
    else:
        from restli_aiohttp import AsyncRestliClient
    return AsyncRestliClient


@pytest.fixture
def redis_url(redis_server: Any) -> str:  # noqa: F811  (the imported fixture)
    import redis

    with redis.Redis.from_url(redis_server.url) as client:
        client.flushdb()
    return str(redis_server.url)


def test_async_tasks_and_a_sync_worker_share_one_renewal(
    served: tuple[RestliServer, str], redis_url: str, async_client_class: Any
) -> None:
    from restli_redis import AsyncRedisStore, RedisStore
    from restli_requests import RestliClient

    server, url = served
    refresh = server.issue_refresh_token(CLIENT_ID)
    old = server.issue_token(CLIENT_ID, expires_in=1)

    def credentials() -> RefreshTokenCredentials:
        return RefreshTokenCredentials(
            CLIENT_ID,
            CLIENT_SECRET,
            refresh,
            access_token=old,
            expires_at=time.time(),
            oauth_base_url=f"{url}/oauth/v2",
        )

    async def many() -> list[int]:
        store = AsyncRedisStore(redis_url)
        async with async_client_class(api_root=url, credentials=credentials(), store=store) as c:
            calls = [c.get(resource_path="/me") for _ in range(20)]
            answers = await asyncio.gather(*calls)
        await store.aclose()
        return [a.status_code for a in answers]

    assert asyncio.run(many()) == [200] * 20
    assert server.token_calls == 1
    with RestliClient(api_root=url, credentials=credentials(), store=RedisStore(redis_url)) as c:
        assert c.get(resource_path="/me").status_code == 200
    assert server.token_calls == 1  # the sync worker read the token the async one got


def test_a_daily_block_seen_async_stops_a_sync_worker(
    served: tuple[RestliServer, str], redis_url: str, async_client_class: Any
) -> None:
    from restli_redis import AsyncRedisStore, RedisStore
    from restli_requests import RestliClient

    server, url = served
    server.set_daily_limit("adAccounts", calls=1, scope="APPLICATION")
    token = server.issue_token(CLIENT_ID)
    credentials = StaticToken(token, client_id=CLIENT_ID)

    async def until_blocked() -> QuotaExhaustedError:
        store = AsyncRedisStore(redis_url)
        async with async_client_class(api_root=url, credentials=credentials, store=store) as c:
            await c.get_all(resource_path="/adAccounts")
            with pytest.raises(QuotaExhaustedError) as caught:
                await c.get_all(resource_path="/adAccounts")
        await store.aclose()
        return caught.value

    first = asyncio.run(until_blocked())
    assert first.sent is True
    arrived = len(server.quota_log("adAccounts"))
    sync = RestliClient(api_root=url, credentials=credentials, store=RedisStore(redis_url))
    with sync, pytest.raises(QuotaExhaustedError) as caught:
        sync.get_all(resource_path="/adAccounts")
    assert caught.value.sent is False
    assert len(server.quota_log("adAccounts")) == arrived  # nothing more reached it

"""RedisStore and AsyncRedisStore beyond the contract: clients, keys, the server's clock."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from _redis_server import SKIP_VARIABLE, RedisServer, skipped
from _store_fixtures import delete_keys, unique_prefix

from restli_core import RestliUsageError

if skipped():
    pytest.skip(f"{SKIP_VARIABLE}=1", allow_module_level=True)

# Not skipped when missing: an error, as for a missing server.
import redis
from restli_redis import DEFAULT_PREFIX, AsyncRedisStore, RedisStore


@pytest.fixture
def prefix(redis_server: RedisServer) -> Iterator[str]:
    prefix = unique_prefix()
    yield prefix
    delete_keys(redis_server.url, prefix)


@pytest.fixture
def client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    with redis.Redis.from_url(redis_server.url, decode_responses=True) as client:
        yield client


@pytest.fixture
async def async_client(redis_server: RedisServer) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    await client.aclose()


def test_a_client_passed_in_is_left_open(client: redis.Redis, prefix: str) -> None:
    with RedisStore(client, prefix=prefix) as store:
        store.put("k", "v")
        assert store.client is client
    assert client.get(f"{prefix}value:k") == "v"


def test_a_url_makes_a_client_closed_with_the_store(
    redis_server: RedisServer, client: redis.Redis
) -> None:
    def connected() -> int:
        return len(client.client_list())

    before = connected()
    store = RedisStore(redis_server.url)
    assert store.get("restli-test:never-set") is None
    assert connected() == before + 1
    store.close()
    deadline = time.monotonic() + 2
    while connected() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert connected() == before


def test_bytes_are_decoded(redis_server: RedisServer, prefix: str) -> None:
    raw = redis.Redis.from_url(redis_server.url)  # no decode_responses
    try:
        store = RedisStore(raw, prefix=prefix)
        store.put("k", "ünï")
        assert store.get("k") == "ünï"
    finally:
        raw.close()


def test_keys_are_prefixed_by_kind(client: redis.Redis, prefix: str) -> None:
    store = RedisStore(client, prefix=prefix)
    store.put("k", "v")
    assert store.lease("k", "a", 5)
    assert store.take("k", 2, 5) == 0.0
    assert sorted(client.scan_iter(match=f"{prefix}*")) == [
        f"{prefix}budget:k",
        f"{prefix}lease:k",
        f"{prefix}value:k",
    ]
    assert RedisStore(client).get("k") is None  # the default prefix is another store
    assert DEFAULT_PREFIX == "restli:"


def test_ttls_are_redis_expiries(client: redis.Redis, prefix: str) -> None:
    store = RedisStore(client, prefix=prefix)
    store.put("k", "v", ttl=30)
    assert store.lease("k", "a", 20)
    assert store.take("k", 2, 10) == 0.0
    assert 29_000 < client.pttl(f"{prefix}value:k") <= 30_000
    assert 19_000 < client.pttl(f"{prefix}lease:k") <= 20_000
    # A budget's set lives as long as its last call counts.
    assert 9_000 < client.pttl(f"{prefix}budget:k") <= 10_000
    store.put("k", "w")
    assert client.pttl(f"{prefix}value:k") == -1


def test_budgets_use_the_servers_clock(
    client: redis.Redis, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time, "time", lambda: 0.0)  # this client's clock is far off
    store = RedisStore(client, prefix=prefix)
    assert store.take("k", 1, 30) == 0.0
    calls = client.zrange(f"{prefix}budget:k", 0, -1, withscores=True)
    score = float(calls[0][1])  # microseconds
    seconds, microseconds = client.time()
    assert abs(score / 1e6 - (seconds + microseconds / 1e6)) < 5
    assert 25 < store.take("k", 1, 30) <= 30


def test_scripts_are_loaded_again_after_a_flush(client: redis.Redis, prefix: str) -> None:
    store = RedisStore(client, prefix=prefix)
    assert store.lease("k", "a", 5)
    client.script_flush()
    assert not store.lease("k", "b", 5)
    assert store.take("t", 1, 5) == 0.0


def test_repr_hides_credentials() -> None:
    store = RedisStore("redis://user:s3cret@127.0.0.1:1/2", prefix="app:")
    try:
        assert repr(store) == "RedisStore(127.0.0.1:1/2, prefix='app:')"
    finally:
        store.close()


def test_clients_of_the_wrong_kind_are_refused(redis_server: RedisServer) -> None:
    async_client = redis.asyncio.Redis.from_url(redis_server.url)
    with pytest.raises(RestliUsageError, match="AsyncRedisStore"):
        RedisStore(async_client)  # type: ignore[arg-type]
    sync_client = redis.Redis.from_url(redis_server.url)
    with pytest.raises(RestliUsageError, match="RedisStore"):
        AsyncRedisStore(sync_client)  # type: ignore[arg-type]
    sync_client.close()
    for bad in (42, None, b"redis://x"):
        with pytest.raises(RestliUsageError):
            RedisStore(bad)  # type: ignore[arg-type]
        with pytest.raises(RestliUsageError):
            AsyncRedisStore(bad)  # type: ignore[arg-type]
    with pytest.raises(RestliUsageError):
        RedisStore(redis_server.url, prefix=None)  # type: ignore[arg-type]


def test_bad_arguments_are_refused(redis_store: RedisStore) -> None:
    for call in (
        lambda: redis_store.put("k", "v", ttl=float("inf")),
        lambda: redis_store.lease("k", "a", float("inf")),
        lambda: redis_store.take("k", 1, float("inf")),
        lambda: redis_store.put("k", 1),  # type: ignore[arg-type]
        lambda: redis_store.get(1),  # type: ignore[arg-type]
        lambda: redis_store.release("k", None),  # type: ignore[arg-type]
    ):
        with pytest.raises(RestliUsageError):
            call()


async def test_async_a_client_passed_in_is_left_open(
    async_client: redis.asyncio.Redis, prefix: str
) -> None:
    async with AsyncRedisStore(async_client, prefix=prefix) as store:
        await store.put("k", "v")
        assert store.client is async_client
        assert repr(store).startswith("AsyncRedisStore(127.0.0.1:")
    assert await async_client.get(f"{prefix}value:k") == "v"


async def test_sync_and_async_stores_share_state(
    client: redis.Redis, async_client: redis.asyncio.Redis, prefix: str
) -> None:
    sync_store = RedisStore(client, prefix=prefix)
    async_store = AsyncRedisStore(async_client, prefix=prefix)
    sync_store.put("token", "t")
    assert await async_store.get("token") == "t"
    assert await async_store.lease("refresh", "async-worker", 5)
    assert not sync_store.lease("refresh", "sync-worker", 5)
    assert sync_store.take("budget", 1, 5) == 0.0
    assert await async_store.take("budget", 1, 5) > 0


def test_a_missing_redis_package_is_explained() -> None:
    code = "import sys; sys.modules['redis'] = None; import restli_redis"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 1
    assert 'pip install "restli-client[redis]"' in result.stderr

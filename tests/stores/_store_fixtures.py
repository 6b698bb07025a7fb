"""Store fixtures: one of each store, and ``store``, parametrized over all of them.

Each store is fresh: a new SQLite file, or a Redis key prefix of its own (its keys
deleted after the test). ``conftest.py`` of this folder imports them; another folder's
``conftest.py`` can too (see ``_redis_server``).

``"redis-async"`` is the :class:`~restli_redis.AsyncRedisStore` driven through
:class:`BlockingStore`, so that the synchronous checks of the contract run on it too.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from _redis_server import RedisServer, redis_server

from restli_core._store import AsyncStore, MemoryStore, Store

__all__ = [
    "STORE_KINDS",
    "BlockingStore",
    "async_redis_store",
    "blocking_redis_store",
    "delete_keys",
    "memory_store",
    "redis_server",
    "redis_store",
    "sqlite_store",
    "store",
    "unique_prefix",
]

T = TypeVar("T")

STORE_KINDS = ("memory", "sqlite", "redis", "redis-async")


def unique_prefix() -> str:
    """A key prefix no other test uses."""
    return f"restli-test:{uuid.uuid4().hex[:12]}:"


class BlockingStore:
    """An asynchronous store called like a synchronous one, on an event loop of its own
    (not for use from several threads)."""

    def __init__(self, store: AsyncStore, loop: asyncio.AbstractEventLoop) -> None:
        self.inner = store
        self._loop = loop

    def __repr__(self) -> str:
        return f"BlockingStore({self.inner!r})"

    def _run(self, awaitable: Coroutine[Any, Any, T]) -> T:
        return self._loop.run_until_complete(awaitable)

    def get(self, key: str) -> str | None:
        return self._run(self.inner.get(key))

    def put(self, key: str, value: str, ttl: float | None = None) -> None:
        self._run(self.inner.put(key, value, ttl))

    def lease(self, key: str, owner: str, seconds: float) -> bool:
        return self._run(self.inner.lease(key, owner, seconds))

    def release(self, key: str, owner: str) -> None:
        self._run(self.inner.release(key, owner))

    def take(self, key: str, limit: int, window: float) -> float:
        return self._run(self.inner.take(key, limit, window))


def delete_keys(url: str, prefix: str) -> None:
    """Delete the keys of the Redis server at ``url`` that start with ``prefix``."""
    import redis

    with redis.Redis.from_url(url) as client:
        names = list(client.scan_iter(match=f"{prefix}*"))
        if names:
            client.delete(*names)


@pytest.fixture
def memory_store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    from restli_sqlite import SqliteStore

    store = SqliteStore(tmp_path / "store.sqlite3")
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def redis_store(redis_server: RedisServer) -> Iterator[Store]:
    from restli_redis import RedisStore

    prefix = unique_prefix()
    store = RedisStore(redis_server.url, prefix=prefix)
    try:
        yield store
    finally:
        store.close()
        delete_keys(redis_server.url, prefix)


@pytest.fixture
async def async_redis_store(redis_server: RedisServer) -> AsyncIterator[AsyncStore]:
    from restli_redis import AsyncRedisStore

    prefix = unique_prefix()
    store = AsyncRedisStore(redis_server.url, prefix=prefix)
    try:
        yield store
    finally:
        await store.aclose()
        delete_keys(redis_server.url, prefix)


@pytest.fixture
def blocking_redis_store(redis_server: RedisServer) -> Iterator[Store]:
    from restli_redis import AsyncRedisStore

    prefix = unique_prefix()
    loop = asyncio.new_event_loop()
    store = AsyncRedisStore(redis_server.url, prefix=prefix)
    try:
        yield BlockingStore(store, loop)
    finally:
        loop.run_until_complete(store.aclose())
        loop.close()
        delete_keys(redis_server.url, prefix)


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Store:
    """Each store in turn (the asynchronous one through :class:`BlockingStore`)."""
    kind: str = request.param
    name = "blocking_redis_store" if kind == "redis-async" else f"{kind}_store"
    found: Store = request.getfixturevalue(name)
    return found

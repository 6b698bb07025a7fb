"""restli_redis: stores in a Redis server, shared by workers on any number of machines.

The cached token state, the single-flight refresh lease, the blocked-quota marks and
the pacing budgets of every worker connected to the server are shared::

    from restli_redis import AsyncRedisStore, RedisStore

    store = RedisStore("redis://127.0.0.1:6379/0")
    async_store = AsyncRedisStore("redis://127.0.0.1:6379/0")

Needs the ``redis`` extra: ``pip install "restli-client[redis]"``.
"""

from __future__ import annotations

from ._redis import DEFAULT_PREFIX, AsyncRedisStore, RedisStore

__all__ = ["DEFAULT_PREFIX", "AsyncRedisStore", "RedisStore"]

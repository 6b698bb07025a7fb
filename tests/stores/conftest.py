"""The stores' fixtures (``_store_fixtures``) and the ``redis-server`` they need
(``_redis_server``)."""

from __future__ import annotations

from _store_fixtures import (  # noqa: F401  (fixtures, found by name)
    async_redis_store,
    blocking_redis_store,
    memory_store,
    redis_server,
    redis_store,
    sqlite_store,
    store,
)

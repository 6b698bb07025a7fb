"""The Redis stores: shared state in a Redis server, for workers on any number of machines."""

from __future__ import annotations

import math
import uuid
from typing import Any, Union

from restli_core import RestliUsageError
from restli_core.transport import check_limit, check_seconds, check_text, missing_library

try:
    import redis
    import redis.asyncio
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the module
    raise ImportError(missing_library("redis", "redis")) from exc

__all__ = ["AsyncRedisStore", "RedisStore"]

#: The prefix of every key a store writes, unless given another.
DEFAULT_PREFIX = "restli:"

# Each operation is one command or one script, so it is atomic on the server, and
# touches a single key, so it runs on a Redis Cluster too. A value, a lease and a
# budget of the same name are three keys: "<prefix>value:<name>", "<prefix>lease:<name>"
# and "<prefix>budget:<name>".

# KEYS[1] the lease; ARGV[1] the owner, ARGV[2] milliseconds. 1: held by the owner now.
_LEASE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""

# KEYS[1] the lease; ARGV[1] the owner. Deleted only if the owner holds it.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# KEYS[1] a sorted set of the calls in the window, scored by the microsecond they were
# granted at; ARGV[1] the limit, ARGV[2] the window in microseconds, ARGV[3] a member
# unique to this call. The clock is the server's, so that clients whose clocks
# disagree share one window (calls "after" now are dropped: its clock went back).
# 0: granted; else microseconds until a call is free. Numbers are passed to Redis as
# numbers, not concatenated: Lua would print them with 14 digits only.
_TAKE = """
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[1], now + 1, '+inf')
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return 0
end
local full = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return tonumber(full[2]) + window - now
"""


def _milliseconds(value: Any, name: str) -> int:
    return max(1, math.ceil(check_seconds(value, name) * 1000))


def _microseconds(value: Any, name: str) -> int:
    return max(1, round(check_seconds(value, name) * 1_000_000))


def _decoded(value: Any) -> str | None:
    # A client made without decode_responses answers bytes.
    if value is None or isinstance(value, str):
        return value
    return bytes(value).decode("utf-8")


def _take_args(limit: int, window: float) -> list[Union[int, str]]:
    return [check_limit(limit), _microseconds(window, "window"), uuid.uuid4().hex]


def _where(client: Any) -> str:
    """Where ``client`` connects, without its credentials (for ``repr``)."""
    kwargs = getattr(getattr(client, "connection_pool", None), "connection_kwargs", {})
    if "path" in kwargs:
        return f"unix://{kwargs['path']}"
    if "host" in kwargs:
        return f"{kwargs['host']}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"
    return type(client).__name__


class _Keys:
    """The prefixed names of the keys of values, leases and budgets."""

    def __init__(self, prefix: Any) -> None:
        self.prefix = check_text(prefix, "prefix")

    def value(self, key: str) -> str:
        return f"{self.prefix}value:{check_text(key, 'key')}"

    def lease(self, key: str) -> str:
        return f"{self.prefix}lease:{check_text(key, 'key')}"

    def budget(self, key: str) -> str:
        return f"{self.prefix}budget:{check_text(key, 'key')}"


class RedisStore:
    """A :class:`~restli_core.Store` in a Redis server (5.0 or later), shared by every
    worker connected to it, on any machine.

    Values and leases are Redis keys that Redis expires; ``lease`` and ``release`` are
    Lua scripts (set-if-absent or extend the owner's; compare-and-delete). A budget is
    a sorted set of the calls granted in its window, kept by a script that reads the
    server's clock (``TIME``), so workers whose clocks disagree still share one
    window; the set expires with its last call.

    Args:
        client_or_url: a ``redis.Redis`` (or ``RedisCluster``) of your own, or the URL
            of a server (``"redis://127.0.0.1:6379/0"``, ``"rediss://..."``,
            ``"unix://..."``) for a client this store makes and closes.
        prefix: put before every key the store writes, to keep apart the stores of
            several applications sharing a server.

    Raises:
        RestliUsageError: a bad argument (an asyncio client: use
            :class:`AsyncRedisStore`).
    """

    def __init__(self, client_or_url: redis.Redis | str, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._keys = _Keys(prefix)
        if isinstance(client_or_url, str):
            self._client = redis.Redis.from_url(client_or_url, decode_responses=True)
            self._owned = True
        elif isinstance(client_or_url, (redis.asyncio.Redis, redis.asyncio.RedisCluster)):
            raise RestliUsageError("an asyncio Redis client needs AsyncRedisStore")
        elif hasattr(client_or_url, "register_script"):
            self._client = client_or_url
            self._owned = False
        else:
            raise RestliUsageError(
                f"client_or_url must be a redis.Redis or a URL, got {type(client_or_url).__name__}"
            )
        self._lease = self._client.register_script(_LEASE)
        self._release = self._client.register_script(_RELEASE)
        self._take = self._client.register_script(_TAKE)

    def __repr__(self) -> str:
        return f"RedisStore({_where(self._client)}, prefix={self._keys.prefix!r})"

    def __enter__(self) -> RedisStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def client(self) -> redis.Redis:
        """The Redis client the store uses."""
        return self._client

    def close(self) -> None:
        """Close the client, if the store made it (from a URL); a client passed in is
        left open for its owner."""
        if self._owned:
            self._client.close()

    def get(self, key: str) -> str | None:
        return _decoded(self._client.get(self._keys.value(key)))

    def put(self, key: str, value: str, ttl: float | None = None) -> None:
        name, value = self._keys.value(key), check_text(value, "value")
        px = None if ttl is None else _milliseconds(ttl, "ttl")
        self._client.set(name, value, px=px)

    def lease(self, key: str, owner: str, seconds: float) -> bool:
        name, owner = self._keys.lease(key), check_text(owner, "owner")
        ms = _milliseconds(seconds, "seconds")
        return bool(self._lease(keys=[name], args=[owner, ms]))

    def release(self, key: str, owner: str) -> None:
        self._release(keys=[self._keys.lease(key)], args=[check_text(owner, "owner")])

    def take(self, key: str, limit: int, window: float) -> float:
        wait = self._take(keys=[self._keys.budget(key)], args=_take_args(limit, window))
        return int(wait) / 1_000_000


class AsyncRedisStore:
    """The awaitable :class:`RedisStore`, over a ``redis.asyncio.Redis``: same keys,
    same scripts, so sync and async workers can share a server.

    Args:
        client_or_url: a ``redis.asyncio.Redis`` (or ``RedisCluster``) of your own, or
            the URL of a server for a client this store makes and closes.
        prefix: put before every key the store writes.

    Raises:
        RestliUsageError: a bad argument (a synchronous client: use :class:`RedisStore`).
    """

    def __init__(
        self, client_or_url: redis.asyncio.Redis | str, *, prefix: str = DEFAULT_PREFIX
    ) -> None:
        self._keys = _Keys(prefix)
        if isinstance(client_or_url, str):
            self._client = redis.asyncio.Redis.from_url(client_or_url, decode_responses=True)
            self._owned = True
        elif isinstance(client_or_url, (redis.Redis, redis.RedisCluster)):
            raise RestliUsageError("a synchronous Redis client needs RedisStore")
        elif hasattr(client_or_url, "register_script"):
            self._client = client_or_url
            self._owned = False
        else:
            raise RestliUsageError(
                "client_or_url must be a redis.asyncio.Redis or a URL, got "
                f"{type(client_or_url).__name__}"
            )
        self._lease = self._client.register_script(_LEASE)
        self._release = self._client.register_script(_RELEASE)
        self._take = self._client.register_script(_TAKE)

    def __repr__(self) -> str:
        return f"AsyncRedisStore({_where(self._client)}, prefix={self._keys.prefix!r})"

    async def __aenter__(self) -> AsyncRedisStore:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def client(self) -> redis.asyncio.Redis:
        """The Redis client the store uses."""
        return self._client

    async def aclose(self) -> None:
        """Close the client, if the store made it (from a URL); a client passed in is
        left open for its owner."""
        if self._owned:
            closing = getattr(self._client, "aclose", None)  # redis-py >= 5.0.1
            await (self._client.close() if closing is None else closing())

    async def get(self, key: str) -> str | None:
        return _decoded(await self._client.get(self._keys.value(key)))

    async def put(self, key: str, value: str, ttl: float | None = None) -> None:
        name, value = self._keys.value(key), check_text(value, "value")
        px = None if ttl is None else _milliseconds(ttl, "ttl")
        await self._client.set(name, value, px=px)

    async def lease(self, key: str, owner: str, seconds: float) -> bool:
        name, owner = self._keys.lease(key), check_text(owner, "owner")
        ms = _milliseconds(seconds, "seconds")
        return bool(await self._lease(keys=[name], args=[owner, ms]))

    async def release(self, key: str, owner: str) -> None:
        await self._release(keys=[self._keys.lease(key)], args=[check_text(owner, "owner")])

    async def take(self, key: str, limit: int, window: float) -> float:
        wait = await self._take(keys=[self._keys.budget(key)], args=_take_args(limit, window))
        return int(wait) / 1_000_000

"""Shared state: the store interface, the in-memory store, and the flow step that uses one.

What several workers must agree on (the current access token, who is refreshing it,
which quotas are spent until when, how many calls a pacing budget has left) lives in
a *store*. A store is five operations on string keys, small enough to implement
atomically on anything with transactions or scripts:

* ``get(key)`` / ``put(key, value, ttl=)``: a value, forgotten ``ttl`` seconds later;
* ``lease(key, owner, seconds)`` / ``release(key, owner)``: a lock that expires, so
  exactly one worker does a thing (refresh a token) and a worker that dies holding
  it loses it within ``seconds``;
* ``take(key, limit, window)``: one call of a budget of ``limit`` calls per sliding
  ``window`` seconds; 0 when granted (and counted), else the seconds until one is free.

Stores are adapters, like transports: the core never calls one. A flow yields a
:class:`StoreCall` and the driver runs it on the client's store (awaiting it when the
store is asynchronous), so the logic that uses shared state is written once for sync
and async clients. :class:`MemoryStore` (one process, thread-safe) is the default;
``restli_sqlite.SqliteStore`` (processes on one machine) and ``restli_redis.RedisStore``
/ ``AsyncRedisStore`` (many machines) hold the state where several processes see it.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Literal, Protocol, Union

import attrs

from ._errors import RestliError, RestliUsageError

__all__ = [
    "AsyncStore",
    "MemoryStore",
    "Store",
    "StoreCall",
    "StoreError",
    "check_limit",
    "check_seconds",
    "check_text",
]

StoreOperation = Literal["get", "put", "lease", "release", "take"]


class Store(Protocol):
    """The operations a synchronous store provides; each is atomic across every worker
    that shares the store."""

    def get(self, key: str) -> str | None:
        """The value at ``key``, or ``None`` (never set, or expired)."""
        ...

    def put(self, key: str, value: str, ttl: float | None = None) -> None:
        """Set ``key`` to ``value``, forgotten after ``ttl`` seconds (``None``: kept)."""
        ...

    def lease(self, key: str, owner: str, seconds: float) -> bool:
        """Take the lease ``key`` for ``owner`` for ``seconds``: ``True`` if it was free,
        expired, or already ``owner``'s (then it is extended); else ``False``."""
        ...

    def release(self, key: str, owner: str) -> None:
        """Give the lease ``key`` back, if ``owner`` still holds it."""
        ...

    def take(self, key: str, limit: int, window: float) -> float:
        """Use one call of the budget ``key`` (``limit`` calls per sliding ``window``
        seconds): ``0.0`` when granted, else the seconds until a call is free (then
        nothing is counted)."""
        ...


class AsyncStore(Protocol):
    """The awaitable twin of :class:`Store` (same operations, same meaning)."""

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str, ttl: float | None = None) -> None: ...

    async def lease(self, key: str, owner: str, seconds: float) -> bool: ...

    async def release(self, key: str, owner: str) -> None: ...

    async def take(self, key: str, limit: int, window: float) -> float: ...


AnyStore = Union[Store, AsyncStore]


class StoreError(RestliError):
    """The store failed (its server is unreachable, its file locked too long...).

    The store library's exception is the ``__cause__``; the message names the
    operation, never a key's value (values hold tokens).

    Attributes:
        operation: ``"get"``, ``"put"``, ``"lease"``, ``"release"`` or ``"take"``.
    """

    def __init__(self, operation: str, cause: BaseException) -> None:
        self.operation = operation
        super().__init__(f"the store failed during {operation!r}: {type(cause).__name__}: {cause}")


@attrs.frozen
class StoreCall:
    """A flow's request to run one store operation; the driver sends back its result.

    Attributes:
        operation: ``"get"``, ``"put"``, ``"lease"``, ``"release"`` or ``"take"``.
        args: its arguments, in the order of the :class:`Store` method.
    """

    operation: StoreOperation
    # The key is shown; the rest never is (a stored value holds tokens).
    args: tuple[Any, ...] = attrs.field(repr=lambda args: repr((*args[:1], "***")))

    def run(self, store: AnyStore) -> Any:
        """Call the operation on ``store`` (an awaitable, for an async store)."""
        method: Callable[..., Any | Awaitable[Any]] = getattr(store, self.operation)
        return method(*self.args)


# The argument checks every store makes, so a bad argument gets the same error from
# each of them (and not a different one, or none, depending on where state is kept).


def check_seconds(value: Any, name: str) -> float:
    """``value`` as seconds: a finite number > 0, else :class:`RestliUsageError`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RestliUsageError(f"{name} must be a number of seconds, got {value!r}")
    if not 0 < value < math.inf:
        raise RestliUsageError(f"{name} must be finite seconds > 0, got {value!r}")
    return float(value)


def check_limit(value: Any) -> int:
    """A budget's ``limit``: an int >= 1, else :class:`RestliUsageError`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RestliUsageError(f"limit must be an int >= 1, got {value!r}")
    return value


def check_text(value: Any, name: str) -> str:
    """A key, value or owner: a ``str``, else :class:`RestliUsageError`."""
    if not isinstance(value, str):
        raise RestliUsageError(f"{name} must be a str, got {type(value).__name__}")
    return value


class MemoryStore:
    """A :class:`Store` in this process's memory: the default, for one process (its
    threads share it safely). State is lost when the process ends.

    Args:
        clock: the time source of expiries and budgets (default ``time.monotonic``).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._values: dict[str, tuple[str, float | None]] = {}
        self._leases: dict[str, tuple[str, float]] = {}
        self._calls: dict[str, deque[float]] = {}

    def __repr__(self) -> str:
        return f"MemoryStore({len(self._values)} value(s), {len(self._leases)} lease(s))"

    def get(self, key: str) -> str | None:
        key = check_text(key, "key")
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            value, expires = found
            if expires is not None and expires <= self._clock():
                del self._values[key]
                return None
            return value

    def put(self, key: str, value: str, ttl: float | None = None) -> None:
        key, value = check_text(key, "key"), check_text(value, "value")
        expires = None if ttl is None else self._clock() + check_seconds(ttl, "ttl")
        with self._lock:
            self._values[key] = (value, expires)

    def lease(self, key: str, owner: str, seconds: float) -> bool:
        key, owner = check_text(key, "key"), check_text(owner, "owner")
        seconds = check_seconds(seconds, "seconds")
        with self._lock:
            now = self._clock()
            held = self._leases.get(key)
            if held is not None and held[0] != owner and held[1] > now:
                return False
            self._leases[key] = (owner, now + seconds)
            return True

    def release(self, key: str, owner: str) -> None:
        key, owner = check_text(key, "key"), check_text(owner, "owner")
        with self._lock:
            held = self._leases.get(key)
            if held is not None and held[0] == owner:
                del self._leases[key]

    def take(self, key: str, limit: int, window: float) -> float:
        key, limit = check_text(key, "key"), check_limit(limit)
        window = check_seconds(window, "window")
        with self._lock:
            now = self._clock()
            calls = self._calls.setdefault(key, deque())
            while calls and calls[0] <= now - window:
                calls.popleft()
            if len(calls) < limit:
                calls.append(now)
                return 0.0
            return calls[-limit] + window - now

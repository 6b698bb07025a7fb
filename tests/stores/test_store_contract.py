"""The store contract, checked on every store: MemoryStore (the reference), SqliteStore,
RedisStore, and AsyncRedisStore (through ``BlockingStore``, and natively at the end).

Expiries use real time: short ttls and leases (0.2-0.6 s) and sleeps well past them,
so that a loaded machine does not make a check flaky. Waits are bounded from both
sides with slack of the same order.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time

import pytest

from restli_core import RestliUsageError
from restli_core._store import AsyncStore, Store, StoreCall

# -- values ------------------------------------------------------------------------------


def test_a_missing_key_is_none(store: Store) -> None:
    assert store.get("never-set") is None


@pytest.mark.parametrize(
    "value",
    ["", "token", '{"access_token": "x", "expires_at": 1.5}', "ünï €ode ✓", "x" * 100_000],
    ids=["empty", "word", "json", "unicode", "100k"],
)
def test_put_then_get(store: Store, value: str) -> None:
    store.put("k", value)
    found = store.get("k")
    assert found == value
    assert type(found) is str


def test_put_overwrites(store: Store) -> None:
    store.put("k", "one")
    store.put("k", "two")
    assert store.get("k") == "two"


def test_keys_are_kept_apart_verbatim(store: Store) -> None:
    keys = ["a", "A", "a ", " a", "a:b", "a*", "*", "ü", "", "x" * 500]
    for number, key in enumerate(keys):
        store.put(key, str(number))
    assert [store.get(key) for key in keys] == [str(n) for n in range(len(keys))]


def test_a_value_a_lease_and_a_budget_of_one_name_are_apart(store: Store) -> None:
    store.put("same", "value")
    assert store.lease("same", "owner", 5)
    assert store.take("same", 1, 5) == 0.0
    assert store.get("same") == "value"
    assert not store.lease("same", "other", 5)
    store.release("same", "owner")
    assert store.get("same") == "value"
    assert store.take("same", 1, 5) > 0


def test_ttl_expiry(store: Store) -> None:
    store.put("short", "1", ttl=0.2)
    store.put("long", "2", ttl=30)
    store.put("kept", "3")
    store.put("renewed", "4", ttl=0.2)
    store.put("renewed", "5")  # a put without ttl keeps the new value for good
    store.put("shortened", "6")
    store.put("shortened", "7", ttl=0.2)
    assert store.get("short") == "1"
    time.sleep(0.5)
    assert store.get("short") is None
    assert store.get("long") == "2"
    assert store.get("kept") == "3"
    assert store.get("renewed") == "5"
    assert store.get("shortened") is None
    store.put("short", "again")  # an expired key is set as any other
    assert store.get("short") == "again"


# -- leases ------------------------------------------------------------------------------


def test_a_lease_is_exclusive(store: Store) -> None:
    assert store.lease("refresh", "a", 5)
    assert not store.lease("refresh", "b", 5)
    assert store.lease("refresh", "a", 5)  # its holder takes it again
    assert not store.lease("refresh", "b", 5)
    assert store.lease("other", "b", 5)  # another key is another lease


def test_the_owner_extends_a_lease(store: Store) -> None:
    assert store.lease("k", "a", 0.3)
    time.sleep(0.15)
    assert store.lease("k", "a", 0.6)  # now until ~0.75 s
    time.sleep(0.3)  # 0.45 s: the first 0.3 s are over
    assert not store.lease("k", "b", 5)
    time.sleep(0.45)  # 0.9 s: the extension is over too
    assert store.lease("k", "b", 5)


def test_a_lease_expires(store: Store) -> None:
    assert store.lease("k", "dead-worker", 0.2)
    assert not store.lease("k", "b", 5)
    time.sleep(0.4)
    assert store.lease("k", "b", 5)
    assert not store.lease("k", "dead-worker", 5)
    store.release("k", "dead-worker")  # late: its lease ended, b's stays
    assert not store.lease("k", "c", 5)


def test_only_the_owner_releases(store: Store) -> None:
    store.release("k", "nobody")  # nothing held: nothing happens
    assert store.lease("k", "a", 5)
    store.release("k", "b")
    assert not store.lease("k", "b", 5)
    store.release("k", "a")
    assert store.lease("k", "b", 5)
    store.release("k", "a")  # a no longer holds it
    assert not store.lease("k", "a", 5)


# -- budgets -----------------------------------------------------------------------------


def test_take_grants_the_limit_per_window(store: Store) -> None:
    assert [store.take("budget", 3, 1.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    waits = [store.take("budget", 3, 1.0) for _ in range(5)]
    assert all(0.5 < wait <= 1.0 for wait in waits), waits
    # Refused calls are not counted: the waits only shrink as time passes.
    assert waits == sorted(waits, reverse=True)
    assert store.take("another", 3, 1.0) == 0.0


def test_the_wait_ends_when_the_window_has_passed(store: Store) -> None:
    assert store.take("k", 1, 0.3) == 0.0
    wait = store.take("k", 1, 0.3)
    assert 0 < wait <= 0.3
    time.sleep(wait + 0.05)
    assert store.take("k", 1, 0.3) == 0.0
    assert store.take("k", 1, 0.3) > 0


def test_the_window_slides(store: Store) -> None:
    assert store.take("k", 2, 0.6) == 0.0  # t=0
    time.sleep(0.3)
    assert store.take("k", 2, 0.6) == 0.0  # t=0.3
    wait = store.take("k", 2, 0.6)  # the first call frees a place at t=0.6
    assert 0.15 < wait <= 0.3, wait
    time.sleep(wait + 0.05)
    assert store.take("k", 2, 0.6) == 0.0  # t=~0.65
    wait = store.take("k", 2, 0.6)  # full again: the call of t=0.3 frees the next one
    assert 0.1 < wait <= 0.3, wait


def test_a_lower_limit_waits_for_a_later_call(store: Store) -> None:
    assert store.take("k", 2, 2.0) == 0.0
    time.sleep(0.3)
    assert store.take("k", 2, 2.0) == 0.0
    wait_two = store.take("k", 2, 2.0)  # the first call must leave
    wait_one = store.take("k", 1, 2.0)  # the second call must leave too
    assert 1.4 < wait_two < wait_one <= 2.0


# -- arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -1, math.nan, math.inf, True, "1", None])
def test_bad_seconds_are_refused(store: Store, bad: object) -> None:
    # The same values are refused by every store (ttl=None alone means "kept").
    with pytest.raises(RestliUsageError, match="seconds"):
        store.lease("k", "a", bad)  # type: ignore[arg-type]
    with pytest.raises(RestliUsageError):
        store.take("k", 1, bad)  # type: ignore[arg-type]
    if bad is not None:
        with pytest.raises(RestliUsageError):
            store.put("k", "v", ttl=bad)  # type: ignore[arg-type]
    assert store.get("k") is None
    assert store.lease("k", "a", 5)
    assert store.take("k", 1, 5) == 0.0


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_a_bad_limit_is_refused(store: Store, bad: object) -> None:
    with pytest.raises(RestliUsageError):
        store.take("k", bad, 1.0)  # type: ignore[arg-type]
    assert store.take("k", 1, 1.0) == 0.0


@pytest.mark.parametrize("bad", [1, None, b"k"])
def test_keys_values_and_owners_must_be_text(store: Store, bad: object) -> None:
    calls = {
        "key": [
            lambda: store.get(bad),  # type: ignore[arg-type]
            lambda: store.put(bad, "v"),  # type: ignore[arg-type]
            lambda: store.lease(bad, "a", 5),  # type: ignore[arg-type]
            lambda: store.release(bad, "a"),  # type: ignore[arg-type]
            lambda: store.take(bad, 1, 5),  # type: ignore[arg-type]
        ],
        "value": [lambda: store.put("k", bad)],  # type: ignore[arg-type]
        "owner": [
            lambda: store.lease("k", bad, 5),  # type: ignore[arg-type]
            lambda: store.release("k", bad),  # type: ignore[arg-type]
        ],
    }
    for name, refused in calls.items():
        for call in refused:
            with pytest.raises(RestliUsageError, match=f"{name} must be a str"):
                call()
    assert store.get("k") is None


# -- the flows' way in, and threads ------------------------------------------------------


def test_store_calls_run_on_the_store(store: Store) -> None:
    assert StoreCall("put", ("k", "v", 30)).run(store) is None
    assert StoreCall("get", ("k",)).run(store) == "v"
    assert StoreCall("lease", ("l", "a", 5)).run(store) is True
    assert StoreCall("release", ("l", "a")).run(store) is None
    assert StoreCall("take", ("t", 1, 5)).run(store) == 0.0


@pytest.fixture(params=["memory", "sqlite", "redis"])
def threaded_store(request: pytest.FixtureRequest) -> Store:
    found: Store = request.getfixturevalue(f"{request.param}_store")
    return found


def _in_threads(count: int, target: object) -> None:
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            target(number)  # type: ignore[operator]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors


def test_threads_share_a_lease_one_at_a_time(threaded_store: Store) -> None:
    holders: list[int] = []
    entries: list[str] = []
    deadline = time.monotonic() + 0.5

    def work(number: int) -> None:
        owner = f"thread-{number}"
        while time.monotonic() < deadline:
            if threaded_store.lease("k", owner, 10):
                holders.append(number)
                entries.append(f"+{number}")
                time.sleep(0.001)
                entries.append(f"-{number}")
                threaded_store.release("k", owner)
            time.sleep(0.001)

    _in_threads(8, work)
    assert len(holders) >= 8
    assert entries[0::2] == [f"+{n}" for n in holders]
    assert entries[1::2] == [f"-{n}" for n in holders]


def test_threads_share_a_budget(threaded_store: Store) -> None:
    grants: list[int] = []

    def work(number: int) -> None:
        for _ in range(10):
            if threaded_store.take("k", 7, 30) == 0.0:
                grants.append(number)

    _in_threads(8, work)
    assert len(grants) == 7


# -- the asynchronous store, natively ----------------------------------------------------


async def test_async_concurrent_leases_have_one_winner(async_redis_store: AsyncStore) -> None:
    won = await asyncio.gather(*(async_redis_store.lease("k", f"o{n}", 5) for n in range(20)))
    assert won.count(True) == 1


async def test_async_concurrent_takes_grant_the_limit(async_redis_store: AsyncStore) -> None:
    waits = await asyncio.gather(*(async_redis_store.take("k", 4, 5) for _ in range(12)))
    assert waits.count(0.0) == 4
    assert all(0 < wait <= 5 for wait in waits if wait)


async def test_async_store_calls_are_awaited(async_redis_store: AsyncStore) -> None:
    assert await StoreCall("put", ("k", "v", 0.2)).run(async_redis_store) is None
    assert await StoreCall("get", ("k",)).run(async_redis_store) == "v"
    assert await StoreCall("lease", ("l", "a", 0.2)).run(async_redis_store) is True
    assert await StoreCall("lease", ("l", "b", 5)).run(async_redis_store) is False
    assert await StoreCall("take", ("t", 1, 0.2)).run(async_redis_store) == 0.0
    await asyncio.sleep(0.4)
    assert await async_redis_store.get("k") is None
    assert await async_redis_store.lease("l", "b", 5)
    assert await async_redis_store.take("t", 1, 0.2) == 0.0
    await async_redis_store.release("l", "b")
    assert await async_redis_store.lease("l", "c", 5)

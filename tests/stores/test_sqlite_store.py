"""SqliteStore beyond the contract: the file, the clock, connections, and misuse."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from restli_sqlite import SCHEMA_VERSION, SqliteStore

from restli_core import RestliUsageError


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


@pytest.fixture
def timed(path: Path, clock: FakeClock) -> Iterator[SqliteStore]:
    """A store on a clock the test moves."""
    with SqliteStore(path, clock=clock) as store:
        yield store


def rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        count: int = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    connection.close()
    return count


def test_the_file_is_in_wal_mode_with_a_schema_version(path: Path) -> None:
    SqliteStore(path).close()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = connection.execute(
            "SELECT value FROM restli_meta WHERE name = 'schema_version'"
        ).fetchone()
        assert version == (str(SCHEMA_VERSION),)
    finally:
        connection.close()


def test_repr_shows_the_path_only(path: Path) -> None:
    with SqliteStore(path, timeout=3) as store:
        assert repr(store) == f"SqliteStore({str(path)!r})"
        assert store.path == str(path)


def test_state_outlives_the_store_object(path: Path) -> None:
    with SqliteStore(path) as store:
        store.put("token", "abc", ttl=60)
        assert store.lease("refresh", "a", 60)
        assert store.take("budget", 1, 60) == 0.0
    with SqliteStore(str(path)) as store:
        assert store.get("token") == "abc"
        assert not store.lease("refresh", "b", 60)
        assert store.take("budget", 1, 60) > 0


def test_expiry_follows_the_clock(timed: SqliteStore, clock: FakeClock) -> None:
    timed.put("k", "v", ttl=10)
    assert timed.lease("l", "a", 10)
    clock.now += 9.999
    assert timed.get("k") == "v"
    assert not timed.lease("l", "b", 10)
    clock.now += 0.001
    assert timed.get("k") is None
    assert timed.lease("l", "b", 10)


def test_the_wait_is_the_oldest_call_in_the_window_plus_the_window(
    timed: SqliteStore, clock: FakeClock
) -> None:
    assert timed.take("k", 2, 10) == 0.0  # at 0
    clock.now += 3
    assert timed.take("k", 2, 10) == 0.0  # at 3
    clock.now += 1
    assert timed.take("k", 2, 10) == pytest.approx(6.0)  # the call at 0 leaves at 10
    assert timed.take("k", 1, 10) == pytest.approx(9.0)  # limit 1: the call at 3 must
    clock.now += 6
    assert timed.take("k", 2, 10) == 0.0  # at 10: the call at 0 is out
    assert timed.take("k", 2, 10) == pytest.approx(3.0)


def test_a_clock_gone_back_does_not_block_a_budget(timed: SqliteStore, clock: FakeClock) -> None:
    assert timed.take("k", 1, 10) == 0.0
    clock.now -= 3600
    assert timed.take("k", 1, 10) == 0.0


def test_expired_rows_are_swept(path: Path, timed: SqliteStore, clock: FakeClock) -> None:
    for number in range(5):
        timed.put(f"k{number}", "v", ttl=1)
        assert timed.lease(f"l{number}", "a", 1)
        assert timed.take(f"b{number}", 3, 1) == 0.0
    timed.put("kept", "v")
    assert (rows(path, "restli_values"), rows(path, "restli_leases")) == (6, 5)
    assert rows(path, "restli_calls") == 5
    clock.now += 120  # past the sweep interval
    timed.put("new", "v")
    assert (rows(path, "restli_values"), rows(path, "restli_leases")) == (2, 0)
    assert rows(path, "restli_calls") == 0


def test_a_take_forgets_the_calls_out_of_its_window(
    path: Path, timed: SqliteStore, clock: FakeClock
) -> None:
    for _ in range(3):
        assert timed.take("k", 3, 5) == 0.0
    clock.now += 5
    assert timed.take("k", 3, 5) == 0.0
    assert rows(path, "restli_calls") == 1


def test_every_thread_has_a_connection_closed_with_the_store(path: Path) -> None:
    store = SqliteStore(path)
    seen: list[sqlite3.Connection] = []

    def work() -> None:
        store.put(threading.current_thread().name, "v")
        seen.append(store._connection())

    for _ in range(5):  # one after the other: the connections of ended threads go
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    assert len(set(map(id, seen))) == 5
    assert len(store._connections) <= 2
    store.close()
    store.close()  # closing twice is harmless
    for connection in seen:
        with pytest.raises(sqlite3.ProgrammingError):
            connection.execute("SELECT 1")
    with pytest.raises(RestliUsageError, match="closed"):
        store.get("k")


def test_a_locked_file_fails_after_the_timeout(path: Path) -> None:
    store = SqliteStore(path, timeout=0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            store.put("k", "v")
        assert 0.15 < time.monotonic() - started < 5
        assert store.get("k") is None  # readers do not wait for the writer (WAL)
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.put("k", "v")  # the failed transaction left nothing open
    assert store.get("k") == "v"
    store.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_forked_child_opens_connections_of_its_own(path: Path) -> None:
    store = SqliteStore(path)
    store.put("parent", "1")

    def child() -> None:
        inherited = store._connections.copy()
        assert store.get("parent") == "1"
        store.put("child", "2")
        assert not set(map(id, store._connections.values())) & set(map(id, inherited.values()))

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(20)
    assert process.exitcode == 0
    assert store.get("child") == "2"
    store.put("parent", "3")
    assert store.get("parent") == "3"
    store.close()


@pytest.mark.parametrize("bad", [":memory:", "", "file:x?mode=memory"])
def test_an_in_memory_database_is_refused(bad: str) -> None:
    with pytest.raises(RestliUsageError, match="MemoryStore"):
        SqliteStore(bad)


def test_another_schema_version_is_refused(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE restli_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute("INSERT INTO restli_meta VALUES ('schema_version', '99')")
    connection.commit()
    connection.close()
    with pytest.raises(RestliUsageError, match="schema version 99"):
        SqliteStore(path)


def test_a_file_that_is_not_a_database_is_refused(path: Path) -> None:
    path.write_bytes(b"not a database" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        SqliteStore(path)


def test_bad_arguments_are_refused(path: Path) -> None:
    with SqliteStore(path) as store:
        for call in (
            lambda: store.put("k", "v", ttl=float("inf")),
            lambda: store.lease("k", "a", float("inf")),
            lambda: store.take("k", 1, float("inf")),
            lambda: store.put("k", 1),  # type: ignore[arg-type]
            lambda: store.put(1, "v"),  # type: ignore[arg-type]
            lambda: store.lease("k", None, 1),  # type: ignore[arg-type]
            lambda: store.get(b"k"),  # type: ignore[arg-type]
        ):
            with pytest.raises(RestliUsageError):
                call()
    with pytest.raises(RestliUsageError):
        SqliteStore(path, timeout=0)

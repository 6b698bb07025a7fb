"""The SQLite store: shared state in one database file, for the processes of one machine."""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Union

from restli_core import RestliUsageError
from restli_core.transport import check_limit, check_seconds, check_text

__all__ = ["SqliteStore"]

#: The layout of the tables this module writes; a file holding another one is refused.
SCHEMA_VERSION = 1

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS restli_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # expires: clock seconds after which the row is gone; NULL: kept.
    "CREATE TABLE IF NOT EXISTS restli_values"
    " (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires REAL)",
    "CREATE TABLE IF NOT EXISTS restli_leases"
    " (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires REAL NOT NULL)",
    # One row per granted call of a budget: when it was made, and when it stops
    # counting (at + window), for the sweep that does not know the windows.
    "CREATE TABLE IF NOT EXISTS restli_calls (key TEXT NOT NULL, at REAL NOT NULL,"
    " until REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS restli_calls_by_key ON restli_calls (key, at)",
)

# Expired rows are deleted by the operations that write; every key of every table is
# swept at most once per this many seconds (per store object).
_SWEEP_EVERY = 60.0
# A refused take never answers 0.0, which would read as "granted".
_MIN_WAIT = 1e-6
_BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED

PathInput = Union[str, "os.PathLike[str]"]


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)  # Python >= 3.11
    if code is not None:
        return code & 0xFF in _BUSY
    text = str(exc)
    return "locked" in text or "busy" in text


# Stores whose connections a forked child must not use (nor close: closing a copy of
# a connection the parent still uses can drop the parent's locks on the file).
_LIVE: weakref.WeakSet[SqliteStore] = weakref.WeakSet()
_INHERITED: list[sqlite3.Connection] = []


def _after_fork_in_child() -> None:
    for store in list(_LIVE):
        store._forget_connections()


if hasattr(os, "register_at_fork"):  # pragma: no branch - not on Windows
    os.register_at_fork(after_in_child=_after_fork_in_child)


class SqliteStore:
    """A :class:`~restli_core.Store` in an SQLite database file, shared by every thread
    and process (of one machine) that opens the same path.

    Each operation is one transaction; those that read and then write (``lease``,
    ``take``, and ``put`` with its clean-up) start with ``BEGIN IMMEDIATE``, so they
    run one at a time across all processes, and read the clock only once they hold the
    file's write lock. The file is put in WAL mode (readers do not wait for the
    writer). Each thread uses a connection of its own, opened on its first operation;
    a process forked from one using the store opens new ones.

    The tables (``restli_meta``, ``restli_values``, ``restli_leases``,
    ``restli_calls``) are created when missing. Expired values and leases, and calls
    out of every window, are deleted by the operations that write, at most once a
    minute; until then they are ignored.

    Args:
        path: the database file (created if missing). Not ``":memory:"``: each thread
            would see a database of its own (:class:`~restli_core.MemoryStore` is the
            store of one process).
        timeout: seconds an operation waits for another process's transaction before
            ``sqlite3.OperationalError`` ("database is locked") is raised.
        clock: the time source of expiries and budgets, in wall-clock seconds: every
            process sharing the file must agree on it (the default, ``time.time``, does
            on one machine). Should it go back, calls of a budget stamped "later"
            stop counting, so that no budget stays blocked.

    Raises:
        RestliUsageError: a bad argument, or a file holding another schema version.
        sqlite3.Error: the file cannot be opened as a database.
    """

    def __init__(
        self,
        path: PathInput,
        *,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        path = os.fspath(path)
        if not isinstance(path, str) or path in ("", ":memory:") or path.startswith("file:"):
            raise RestliUsageError(
                f"path must name a database file, got {path!r} (for a store of one "
                "process, use restli_core.MemoryStore)"
            )
        self._path = path
        self._timeout = check_seconds(timeout, "timeout")
        self._clock = clock
        self._lock = threading.Lock()
        self._local = threading.local()
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._closed = False
        self._next_sweep = -math.inf
        _LIVE.add(self)
        self._connection()  # a bad path or a foreign file fails here, not later

    def __repr__(self) -> str:
        return f"SqliteStore({self._path!r})"

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def path(self) -> str:
        """The database file."""
        return self._path

    def close(self) -> None:
        """Close the connections of every thread; the store cannot be used after. The
        file and its contents stay."""
        with self._lock:
            self._closed = True
            connections = list(self._connections.values())
            self._connections.clear()
        for connection in connections:
            connection.close()

    # The five operations.

    def get(self, key: str) -> str | None:
        key = check_text(key, "key")
        connection = self._connection()
        rows = connection.execute(
            "SELECT value FROM restli_values WHERE key = ? AND (expires IS NULL OR expires > ?)",
            (key, self._clock()),
        ).fetchall()
        return str(rows[0][0]) if rows else None

    def put(self, key: str, value: str, ttl: float | None = None) -> None:
        key, value = check_text(key, "key"), check_text(value, "value")
        seconds = None if ttl is None else check_seconds(ttl, "ttl")
        with self._write() as (connection, now):
            connection.execute(
                "INSERT OR REPLACE INTO restli_values (key, value, expires) VALUES (?, ?, ?)",
                (key, value, None if seconds is None else now + seconds),
            )

    def lease(self, key: str, owner: str, seconds: float) -> bool:
        key, owner = check_text(key, "key"), check_text(owner, "owner")
        seconds = check_seconds(seconds, "seconds")
        with self._write() as (connection, now):
            held = connection.execute(
                "SELECT owner, expires FROM restli_leases WHERE key = ?", (key,)
            ).fetchall()
            if held and held[0][0] != owner and held[0][1] > now:
                return False
            connection.execute(
                "INSERT OR REPLACE INTO restli_leases (key, owner, expires) VALUES (?, ?, ?)",
                (key, owner, now + seconds),
            )
            return True

    def release(self, key: str, owner: str) -> None:
        key, owner = check_text(key, "key"), check_text(owner, "owner")
        with self._write() as (connection, _):
            connection.execute(
                "DELETE FROM restli_leases WHERE key = ? AND owner = ?", (key, owner)
            )

    def take(self, key: str, limit: int, window: float) -> float:
        key, limit = check_text(key, "key"), check_limit(limit)
        window = check_seconds(window, "window")
        with self._write() as (connection, now):
            connection.execute(
                "DELETE FROM restli_calls WHERE key = ? AND (at <= ? OR at > ?)",
                (key, now - window, now),
            )
            # The limit-th most recent call: while it is in the window, the budget is
            # spent (the oldest one, unless the limit was lowered since).
            full = connection.execute(
                "SELECT at FROM restli_calls WHERE key = ? ORDER BY at DESC LIMIT 1 OFFSET ?",
                (key, limit - 1),
            ).fetchall()
            if full:
                return max(float(full[0][0]) + window - now, _MIN_WAIT)
            connection.execute(
                "INSERT INTO restli_calls (key, at, until) VALUES (?, ?, ?)",
                (key, now, now + window),
            )
            return 0.0

    # Connections and transactions.

    @contextlib.contextmanager
    def _write(self) -> Iterator[tuple[sqlite3.Connection, float]]:
        """A write transaction, begun holding the file's write lock, and the clock's
        time read after it was taken (so times follow the order of the transactions)."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            now = self._clock()
            if now >= self._next_sweep:
                self._sweep(connection, now)
            yield connection, now
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def _sweep(self, connection: sqlite3.Connection, now: float) -> None:
        connection.execute("DELETE FROM restli_values WHERE expires <= ?", (now,))
        connection.execute("DELETE FROM restli_leases WHERE expires <= ?", (now,))
        connection.execute("DELETE FROM restli_calls WHERE until <= ?", (now,))
        self._next_sweep = now + _SWEEP_EVERY

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise RestliUsageError(f"{self!r} is closed")
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None:
            return connection
        with self._lock:
            if self._closed:
                raise RestliUsageError(f"{self!r} is closed")
            # The connections of threads that ended are closed as new threads come.
            for thread, old in list(self._connections.items()):
                if not thread.is_alive():
                    del self._connections[thread]
                    old.close()
            connection = self._open()
            self._connections[threading.current_thread()] = connection
        self._local.connection = connection
        return connection

    def _open(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions, only the ones begun here;
        # check_same_thread=False: close() closes every thread's connection.
        connection = sqlite3.connect(
            self._path, timeout=self._timeout, isolation_level=None, check_same_thread=False
        )
        try:
            self._retry_busy(lambda: self._prepare(connection))
        except BaseException:
            connection.close()
            raise
        return connection

    def _retry_busy(self, operation: Callable[[], None]) -> None:
        # Switching a new file to WAL mode needs it to itself, which some SQLite versions
        # report at once instead of waiting: processes opening it together retry.
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                operation()
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(0.01)

    def _prepare(self, connection: sqlite3.Connection) -> None:
        connection.execute("PRAGMA journal_mode = WAL").fetchall()
        connection.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: no corruption
        try:
            found = connection.execute(
                "SELECT value FROM restli_meta WHERE name = 'schema_version'"
            ).fetchall()
        except sqlite3.OperationalError as exc:  # no such table: a new file
            if _busy(exc):
                raise
            found = []
        if not found:
            connection.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.execute(
                    "INSERT OR IGNORE INTO restli_meta (name, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
                found = connection.execute(
                    "SELECT value FROM restli_meta WHERE name = 'schema_version'"
                ).fetchall()
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        if found[0][0] != str(SCHEMA_VERSION):
            raise RestliUsageError(
                f"{self._path!r} holds a store of schema version {found[0][0]}; "
                f"this restli_sqlite reads version {SCHEMA_VERSION}"
            )

    def _forget_connections(self) -> None:
        """In a forked child: drop the parent's connections unclosed, kept referenced
        (a connection closed by the garbage collector is closed all the same)."""
        _INHERITED.extend(self._connections.values())
        self._connections = {}
        self._local = threading.local()
        self._lock = threading.Lock()  # it may have been held by another thread

"""SqliteStore and RedisStore shared by many processes at once (spawned, so that
nothing is inherited but the arguments): one lease holder at a time, a budget kept
across all of them, a lease freed when its holder dies.

The SQLite file is not made beforehand: the workers create it together.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import _store_workers
import pytest
from _store_fixtures import delete_keys, unique_prefix

Shared = tuple[str, str, str]  # kind, target (file or URL), key prefix


@pytest.fixture(params=["sqlite", "redis"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shared]:
    if request.param == "sqlite":
        yield ("sqlite", str(tmp_path / "shared.sqlite3"), "")
        return
    server = request.getfixturevalue("redis_server")
    prefix = unique_prefix()
    yield ("redis", server.url, prefix)
    delete_keys(server.url, prefix)


def run_workers(
    target: Callable[..., None], arguments: list[tuple[Any, ...]], timeout: float = 40.0
) -> None:
    """Run ``target(*arguments[n], barrier, ...)`` in one process per ``arguments``;
    each gets the same barrier as its argument after ``arguments[n]``'s first four."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(arguments))
    processes = [
        context.Process(target=target, args=(*args[:4], barrier, *args[4:]), daemon=True)
        for args in arguments
    ]
    for process in processes:
        process.start()
    deadline = time.monotonic() + timeout
    try:
        for process in processes:
            process.join(max(deadline - time.monotonic(), 0.1))
        assert all(process.exitcode is not None for process in processes), "workers hung"
        assert [process.exitcode for process in processes] == [0] * len(processes)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(5)


def test_one_lease_holder_at_a_time(shared: Shared, tmp_path: Path) -> None:
    """8 processes x 4 threads take one lease for 2 s; the holders' log never shows two
    at once."""
    log = tmp_path / "holders.log"
    workers = 8
    run_workers(
        _store_workers.lease_worker,
        [(*shared, str(log), 2.0, 4, worker) for worker in range(workers)],
    )
    lines = log.read_text().splitlines()
    assert len(lines) % 2 == 0
    for enter, leave in zip(lines[0::2], lines[1::2], strict=True):
        assert enter.startswith("+ "), (enter, leave)
        assert leave == f"- {enter[2:]}", (enter, leave)
    holders = [line[2:] for line in lines[0::2]]
    assert len(holders) >= 40
    assert len({holder.split(".")[0] for holder in holders}) >= workers // 2


def test_a_budget_is_shared_by_processes(shared: Shared, tmp_path: Path) -> None:
    """16 processes take from one budget of 6 calls per 2 s for 5 s: every 2 s window
    holds at most 6 grants, and nearly all 18 possible ones are granted."""
    limit, window, seconds, workers = 6, 2.0, 5.0, 16
    outs = [tmp_path / f"grants-{worker}.json" for worker in range(workers)]
    run_workers(
        _store_workers.take_worker,
        [(*shared, str(out), seconds, limit, window) for out in outs],
    )
    grants: list[tuple[float, float]] = sorted(
        (before, after) for out in outs for before, after in json.loads(out.read_text())
    )
    # Each grant was counted at a moment between its "before" and "after". Any limit + 1
    # grants span a window or more, so for the earliest "before" b of a set, the set's
    # last "after" is >= b + window. Checked for the tightest sets: those made of the
    # limit + 1 earliest "after"s among the grants starting at b or later.
    for start, _ in grants:
        afters = sorted(after for before, after in grants if before >= start)
        if len(afters) > limit:
            assert afters[limit] - start >= window - 0.001, (start, afters[: limit + 1])
    possible = limit * math.ceil(seconds / window)
    assert len(grants) >= math.ceil(0.9 * possible), (len(grants), possible)


def test_a_lease_is_freed_when_its_holder_dies(shared: Shared) -> None:
    """A process takes the lease for 1 s and dies holding it: refused to another until
    the second is over, granted after."""
    from _store_workers import KEY, open_store

    context = multiprocessing.get_context("spawn")
    holder = context.Process(
        target=_store_workers.hold_lease, args=(*shared, "doomed", 1.0), daemon=True
    )
    holder.start()
    holder.join(20)
    died = time.monotonic()
    assert holder.exitcode == 0
    store = open_store(*shared)
    try:
        assert not store.lease(KEY, "survivor", 5)
        time.sleep(max(1.2 - (time.monotonic() - died), 0))
        assert store.lease(KEY, "survivor", 5)
    finally:
        store.close()

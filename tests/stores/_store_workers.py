"""The worker processes of ``test_store_processes`` (a module of their own: a spawned
process imports its target by name).

Each worker opens the shared store itself, waits at a barrier so that all start
together, works for a fixed time, and writes what it saw to a file for the test.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from typing import Any

KEY = "shared"


def open_store(kind: str, target: str, prefix: str) -> Any:
    """The store ``kind`` (``"sqlite"`` or ``"redis"``) at ``target`` (a file, a URL)."""
    if kind == "sqlite":
        from restli_sqlite import SqliteStore

        return SqliteStore(target)
    from restli_redis import RedisStore

    return RedisStore(target, prefix=prefix)


def hold_lease(kind: str, target: str, prefix: str, owner: str, seconds: float) -> None:
    """Take the lease and die holding it (no release, no clean-up)."""
    store = open_store(kind, target, prefix)
    if not store.lease(KEY, owner, seconds):
        os._exit(3)
    os._exit(0)


def lease_worker(
    kind: str,
    target: str,
    prefix: str,
    log: str,
    barrier: Any,
    seconds: float,
    threads: int,
    worker: int,
) -> None:
    """``threads`` threads take the lease again and again for ``seconds``; each holder
    writes ``+ owner`` when it has it and ``- owner`` before giving it back, in one
    ``O_APPEND`` write each (atomic), to the shared ``log``."""
    store = open_store(kind, target, prefix)
    errors: list[BaseException] = []
    descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        barrier.wait(timeout=60)
        deadline = time.monotonic() + seconds

        def run(number: int) -> None:
            owner = f"{worker}.{number}"
            pause = random.Random(owner).uniform
            try:
                while time.monotonic() < deadline:
                    if store.lease(KEY, owner, 10.0):
                        os.write(descriptor, f"+ {owner}\n".encode())
                        time.sleep(0.002)  # the critical section
                        os.write(descriptor, f"- {owner}\n".encode())
                        store.release(KEY, owner)
                    time.sleep(pause(0.001, 0.004))
            except BaseException as exc:
                errors.append(exc)

        running = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
        for thread in running:
            thread.start()
        for thread in running:
            thread.join()
    finally:
        os.close(descriptor)
        store.close()
    if errors:
        raise errors[0]


def take_worker(
    kind: str,
    target: str,
    prefix: str,
    out: str,
    barrier: Any,
    seconds: float,
    limit: int,
    window: float,
) -> None:
    """Take calls of the budget for ``seconds``, sleeping the wait it answers when
    refused; write the granted calls to ``out`` as ``[before, after]`` pairs of
    ``time.time()`` (the store counted each at a moment in between)."""
    store = open_store(kind, target, prefix)
    grants: list[tuple[float, float]] = []
    try:
        barrier.wait(timeout=60)
        deadline = time.time() + seconds
        while (before := time.time()) < deadline:
            wait = store.take(KEY, limit, window)
            after = time.time()
            if wait == 0.0:
                grants.append((before, after))
            else:
                time.sleep(min(wait, max(deadline - after, 0.0)))
    finally:
        store.close()
    with open(out, "w") as file:
        json.dump(grants, file)

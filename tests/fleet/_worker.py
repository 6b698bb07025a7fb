"""One worker process of a fleet test: threads calling the API through one shared store.

Run as ``python _worker.py '<json job>'``; prints one JSON line with what happened.
The job says the API root, the store (``sqlite:PATH`` or ``redis:URL``), the
credentials, the budget, the resource, how many threads, and when to stop. A clock
file, when given, holds an offset in seconds that the worker adds to ``time.time()``
(the test moves it together with the server's clock, to cross a simulated midnight).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any

from restli_core import (
    Budget,
    QuotaExhaustedError,
    RefreshTokenCredentials,
    RestliError,
    StaticToken,
)


def _store(spec: str) -> Any:
    kind, _, where = spec.partition(":")
    if kind == "sqlite":
        from restli_sqlite import SqliteStore

        return SqliteStore(where)
    from restli_redis import RedisStore

    return RedisStore(where)


def _clock(path: str | None) -> Any:
    if not path:
        return time.time

    def now() -> float:
        with open(path, encoding="ascii") as file:
            return time.time() + float(file.read().strip() or 0)

    return now


def main(job: dict[str, Any]) -> dict[str, Any]:
    from restli_requests import RestliClient

    store = _store(job["store"])
    if job.get("refresh_token"):
        credentials: Any = RefreshTokenCredentials(
            job["client_id"],
            job["client_secret"],
            job["refresh_token"],
            access_token=job.get("access_token"),
            expires_at=job.get("expires_at"),
            oauth_base_url=job["api_root"] + "/oauth/v2",
        )
    else:
        credentials = StaticToken(job["access_token"], client_id=job["client_id"])
    budgets = None
    if job.get("budget"):
        calls, per = job["budget"]
        budgets = {job["resource"]: Budget(calls, per)}
    results: dict[str, Any] = {"ok": 0, "failed": [], "blocked_fast": 0, "quota_sent": 0}
    lock = threading.Lock()
    stop_at = job.get("stop_at")  # a time.time() to stop at, else "calls" calls each

    def work() -> None:
        client = RestliClient(
            api_root=job["api_root"],
            credentials=credentials,
            store=store,
            budgets=budgets,
            clock=_clock(job.get("clock_file")),
            retry=None,
        )
        try:
            done = 0
            while True:
                if stop_at is not None:
                    if time.time() >= stop_at:
                        return
                elif done >= job["calls"]:
                    return
                done += 1
                try:
                    client.get_all(resource_path="/" + job["resource"], query_params={"count": 1})
                except QuotaExhaustedError as exc:
                    with lock:
                        if exc.sent:
                            results["quota_sent"] += 1
                        else:
                            results["blocked_fast"] += 1
                    time.sleep(job.get("pause", 0.0))
                except RestliError as exc:
                    with lock:
                        results["failed"].append(f"{type(exc).__name__}: {exc}")
                else:
                    with lock:
                        results["ok"] += 1
                    time.sleep(job.get("pause", 0.0))
        finally:
            client.close()

    if job.get("start_at"):
        time.sleep(max(0.0, job["start_at"] - time.time()))
    threads = [threading.Thread(target=work) for _ in range(job.get("threads", 1))]
    for thread in threads:
        thread.daemon = True  # a thread still waiting for a budget slot after stop_at
        thread.start()
    for thread in threads:
        # With stop_at, a call may be waiting for its budget's next slot: what counts
        # is what was done by then (the test looks at that period only).
        thread.join(None if stop_at is None else max(0.0, stop_at + 1.0 - time.time()))
    with lock:
        return {**results, "failed": list(results["failed"])}


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))), flush=True)
    os._exit(0)  # without waiting for threads still waiting for a budget slot

"""Fleets of worker processes sharing token and quota state through a real store.

The embedded server runs in this process on a loopback socket, with tokens that
expire, a token endpoint that counts its calls, and LinkedIn's daily limits on a
clock the test moves; each worker is a separate Python process (``_worker.py``) with
threads of its own, all sharing one SQLite file or one ``redis-server``.

What must hold, with either store:
* 8 processes x 4 threads on a token that expires now: exactly one call to the token
  endpoint, no failed API call;
* the process renewing the token killed mid-renewal: the others recover within 10 s;
* after the first DAY 429, no request for that scope and resource reaches the server
  until the (simulated) midnight UTC;
* 16 processes sharing a budget of 6 calls per 10 s stay within 5% of it.
"""

from __future__ import annotations

import datetime
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from restli_cli._serve import LoopbackServer
from restli_core.testing import RestliServer, ServerClock

sys.path.insert(0, str(Path(__file__).parents[1] / "stores"))
from _redis_server import redis_server  # noqa: F401  (a fixture)

WORKER = str(Path(__file__).with_name("_worker.py"))
CLIENT_ID, CLIENT_SECRET = "fleet-app", "fleet-secret"


@pytest.fixture(params=["sqlite", "redis"])
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'shared.sqlite3'}"
    server = request.getfixturevalue("redis_server")
    # The server is shared by the session: this test starts from an empty database.
    import redis

    with redis.Redis.from_url(server.url) as client:
        client.flushdb()
    return f"redis:{server.url}"


class Fleet:
    """The server, and the worker processes started against it."""

    def __init__(self, tmp_path: Path) -> None:
        self.clock = ServerClock()
        self.server = RestliServer(
            check_tokens=True, clock=self.clock, oauth_clients={CLIENT_ID: CLIENT_SECRET}
        )
        self.http = LoopbackServer(self.server).start()
        self.api_root = self.http.url
        self.clock_file = tmp_path / "clock-offset"
        self.clock_file.write_text("0", encoding="ascii")
        self.processes: list[subprocess.Popen[str]] = []

    def move_clock_to(self, when: float) -> None:
        """Set the server's clock and the workers' to ``when`` (Unix seconds)."""
        self.clock.set(when)
        self.clock_file.write_text(repr(when - time.time()), encoding="ascii")

    def start(self, job: dict[str, Any]) -> subprocess.Popen[str]:
        job = {"api_root": self.api_root, "client_id": CLIENT_ID, **job}
        job.setdefault("clock_file", str(self.clock_file))
        process = subprocess.Popen(
            [sys.executable, WORKER, json.dumps(job)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.processes.append(process)
        return process

    @staticmethod
    def result(process: subprocess.Popen[str], timeout: float = 60) -> dict[str, Any]:
        out, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, err[-2000:]
        return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.communicate()
        self.http.close()


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[Fleet]:
    made = Fleet(tmp_path)
    try:
        yield made
    finally:
        made.close()


def _utc(text: str) -> float:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc).timestamp()


# --------------------------------------------------------------------------- tokens


def test_a_fleet_renews_an_expiring_token_once(fleet: Fleet, store_spec: str) -> None:
    refresh = fleet.server.issue_refresh_token(CLIENT_ID)
    old = fleet.server.issue_token(CLIENT_ID, expires_in=1)
    job = {
        "store": store_spec,
        "client_secret": CLIENT_SECRET,
        "refresh_token": refresh,
        "access_token": old,
        "expires_at": time.time(),  # expires now
        "resource": "adAccounts",
        "threads": 4,
        "calls": 3,
    }
    workers = [fleet.start(job) for _ in range(8)]
    results = [fleet.result(w) for w in workers]
    assert [r["failed"] for r in results] == [[]] * 8
    assert sum(r["ok"] for r in results) == 8 * 4 * 3
    assert fleet.server.token_calls == 1
    print(f"\n8 x 4 workers: {sum(r['ok'] for r in results)} calls, 1 token endpoint call")


def test_a_renewer_killed_mid_renewal_is_replaced(fleet: Fleet, store_spec: str) -> None:
    refresh = fleet.server.issue_refresh_token(CLIENT_ID)
    job = {
        "store": store_spec,
        "client_secret": CLIENT_SECRET,
        "refresh_token": refresh,
        "resource": "adAccounts",
        "threads": 1,
        "calls": 1,
    }
    fleet.server.token_delay = 60.0  # the first renewal hangs...
    doomed = fleet.start(job)
    deadline = time.monotonic() + 30
    while fleet.server.token_calls < 1:  # ... until it has reached the token endpoint
        assert time.monotonic() < deadline, "the first worker never asked for a token"
        time.sleep(0.05)
    fleet.server.token_delay = 0.0
    others = [fleet.start({**job, "threads": 2}) for _ in range(4)]
    time.sleep(1.0)  # the others are waiting for the lease now
    doomed.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    results = [fleet.result(w) for w in others]
    recovered = time.monotonic() - killed
    assert [r["failed"] for r in results] == [[]] * 4
    assert sum(r["ok"] for r in results) == 4 * 2
    assert fleet.server.token_calls == 2  # the dead one's, then one more
    print(f"\nrenewer killed: the others finished {recovered:.2f} s after the kill")
    assert recovered < 10, f"recovered {recovered:.1f} s after the kill"


# --------------------------------------------------------------------------- quotas


def test_a_daily_limit_stops_the_whole_fleet_until_midnight(fleet: Fleet, store_spec: str) -> None:
    fleet.move_clock_to(_utc("2026-12-03T23:00:00"))
    fleet.server.set_daily_limit("adAccounts", calls=10, scope="APPLICATION")
    token = fleet.server.issue_token(CLIENT_ID, expires_in=10 * 86400)
    job = {
        "store": store_spec,
        "access_token": token,
        "resource": "adAccounts",
        "threads": 2,
        "stop_at": time.time() + 4.0,
        "pause": 0.02,
    }
    workers = [fleet.start(job) for _ in range(6)]
    results = [fleet.result(w) for w in workers]
    assert [r["failed"] for r in results] == [[]] * 6
    log = fleet.server.quota_log("adAccounts")
    statuses = [entry.status for entry in log]
    assert statuses.count(200) == 10
    first_429 = next(entry.monotonic for entry in log if entry.status == 429)
    late = [entry for entry in log if entry.monotonic > first_429 + 0.5]
    assert late == [], "requests reached the server after the fleet knew of the block"
    assert statuses.count(429) <= 12  # at most one per worker thread, those in flight
    assert sum(r["blocked_fast"] for r in results) > 0
    print(
        f"\ndaily limit: {statuses.count(200)} answered, {statuses.count(429)} DAY 429(s), "
        f"{sum(r['blocked_fast'] for r in results)} calls failed fast, {len(late)} sent late"
    )

    fleet.move_clock_to(_utc("2026-12-04T00:00:01"))  # past midnight UTC
    after = fleet.result(fleet.start({**job, "stop_at": None, "calls": 1, "threads": 1}))
    assert after["ok"] == 1


# --------------------------------------------------------------------------- pacing


def test_sixteen_processes_share_one_budget(fleet: Fleet, store_spec: str) -> None:
    token = fleet.server.issue_token(CLIENT_ID, expires_in=86400)
    run = 15.0  # two windows of 10 s start in it: 12 calls at most
    start = time.time() + 3.0  # every process is up before the run begins
    job = {
        "store": store_spec,
        "access_token": token,
        "resource": "adAccounts",
        "budget": [6, 10.0],
        "threads": 1,
        "stop_at": start + run,
        "start_at": start,
    }
    workers = [fleet.start(job) for _ in range(16)]
    results = [fleet.result(w) for w in workers]
    assert [r["failed"] for r in results] == [[]] * 16
    # Calls that waited for a slot past the end of the run are not counted.
    log = fleet.server.quota_log("adAccounts")
    times = sorted(entry.monotonic for entry in log if entry.time <= start + run)
    total = len(times)
    shown = [round(t - times[0], 3) for t in times]
    busiest = max(sum(1 for t in times[i:] if t < first + 10.0) for i, first in enumerate(times))
    print(f"\nbudget 6/10 s, 16 processes, {run:g} s: {total} calls, at most {busiest} in 10 s")
    assert 0.95 * 12 <= total <= 12 * 1.05, shown
    for i, first in enumerate(times):
        # Arrivals lag the grants by a few milliseconds, unevenly: 0.1 s of slack.
        assert sum(1 for t in times[i:] if t < first + 10.0 - 0.1) <= 6, shown

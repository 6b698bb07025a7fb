"""Distant-API suite: the official client and ours against a slow, far-away server.

On loopback a request costs microseconds, so the other suites compare CPU time. A
real LinkedIn API call waits tens of milliseconds for its answer and then for its
body to arrive over a limited pipe. Here :mod:`benchmarks._distant_server` plays that
API (default: 40 ms before each answer, 8 MB/s per connection, gzip when asked for,
5,000 ad campaigns of about 2 KB each) in a child process, and every client does two
everyday jobs against it:

A. page through all campaigns, 100 per page (FINDER ``q=search``);
B. fetch 2,000 campaigns by id, 100 ids per BATCH_GET.

The official ``linkedin-api-client`` runs the loops its users write (one request
after the other). Our clients run ``iter_elements`` and one chunked ``batch_get``
with ``concurrency`` requests in flight (``--concurrency``, default 8). For each
client and job the table gives the median wall time of ``--runs`` runs, the
requests, compressed responses, new connections and body bytes the server counted
(bytes on the wire: compressed when the client asked for gzip), the official
client's time divided by this one's, and whether every campaign arrived exactly
once and in order. It ends with the fastest sync and async client of each job.

``python -m benchmarks distant`` runs it with the defaults (the suite runner passes
no options); for options run the module itself::

    python -m benchmarks.bench_distant --latency 80 --rate 2 --runs 5 --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import json
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from benchmarks._distant_server import DistantServer, Stats, campaign_ids

RESOURCE = "/adCampaigns"
FINDER = "search"
VERSION = "202411"
TOKEN = "distant-benchmark-token"
PAGE_SIZE = 100
CHUNK_SIZE = 100
BATCH_IDS = 2_000

Mode = Literal["sync", "async"]


@dataclass(frozen=True)
class Settings:
    """The knobs of one benchmark run (see ``--help``)."""

    latency_ms: float = 40.0
    connect_latency_ms: float = 0.0
    rate_mb_s: float = 8.0
    campaigns: int = 5_000
    batch_ids: int = BATCH_IDS
    runs: int = 3
    concurrency: int = 8
    only: tuple[str, ...] = ()


@dataclass
class Measurement:
    """One client doing one job: its median time and what the server saw."""

    job: str  # "A" or "B"
    scenario: str
    client: str
    mode: Mode
    seconds: float | None = None  # median of the runs; None when the job failed
    samples: list[float] = field(default_factory=list)
    requests: int | None = None  # counted by the server, last run
    body_bytes: int | None = None  # on the wire, counted by the server, last run
    compressed: int | None = None  # responses the server sent compressed, last run
    connections: int | None = None  # connections opened during the last run
    check: str = "not run"  # "OK", or "FAIL: <what went wrong>"
    speedup: float | None = None  # official client's time / this client's time

    @property
    def ok(self) -> bool:
        return self.check == "OK" and self.seconds is not None


# --------------------------------------------------------------------- the clients


@dataclass(frozen=True)
class ClientSpec:
    """One measured client: its name, sync or async, and how to make it for a server URL."""

    name: str
    mode: Mode
    make: Callable[[str], Any]
    official: bool = False


def _ours(module: str, cls: str) -> Callable[[str], Any]:
    def make(url: str) -> Any:
        client = getattr(importlib.import_module(module), cls)(api_root=url)
        # Every call names LinkedIn-Version 202411 on purpose (a fixed, comparable
        # workload): the client's "this version is old" warning is switched off
        # through its documented ``version_policy`` attribute.
        client.version_policy = None
        return client

    return make


def _official(url: str) -> Any:
    from linkedin_api.clients.restli.client import RestliClient

    return RestliClient()  # its base URLs are the constants patched by _official_base_urls


def client_specs() -> list[ClientSpec]:
    """Every client measured, the official one first (the others are compared to it)."""
    return [
        ClientSpec("official linkedin-api-client", "sync", _official, official=True),
        ClientSpec("restli_requests", "sync", _ours("restli_requests", "RestliClient")),
        ClientSpec("restli_httpx", "sync", _ours("restli_httpx", "RestliClient")),
        ClientSpec("restli_urllib3", "sync", _ours("restli_urllib3", "RestliClient")),
        ClientSpec("restli_httpx (async)", "async", _ours("restli_httpx", "AsyncRestliClient")),
        ClientSpec("restli_aiohttp (async)", "async", _ours("restli_aiohttp", "AsyncRestliClient")),
    ]


@contextlib.contextmanager
def _official_base_urls(url: str) -> Iterator[None]:
    # The official client builds every URL from two module constants, looked up at
    # call time (as benchmarks/bench_transport.py does, we point them at the server
    # for the duration of the suite and put them back afterwards).
    import linkedin_api.common.constants as constants

    saved = constants.NON_VERSIONED_BASE_URL, constants.VERSIONED_BASE_URL
    constants.NON_VERSIONED_BASE_URL = f"{url}/v2"
    constants.VERSIONED_BASE_URL = f"{url}/rest"
    try:
        yield
    finally:
        constants.NON_VERSIONED_BASE_URL, constants.VERSIONED_BASE_URL = saved


def _close_sync(client: Any) -> None:
    if hasattr(client, "close"):
        client.close()
    else:  # the official client: its requests.Session
        client.session.close()


# --------------------------------------------------------------------- the jobs


def _concurrency(settings: Settings) -> dict[str, int]:
    # Passed only when asked for: a core without the keyword still runs with 1.
    return {} if settings.concurrency == 1 else {"concurrency": settings.concurrency}


def _batch_ids(result: Any) -> list[int]:
    """The ids of a batch answer in the order it holds them; ``-1`` marks an entity whose
    ``id`` is not its key, and ids answered with an error are left out (both fail the check)."""
    return [int(key) if entity.get("id") == int(key) else -1 for key, entity in result.items()]


def official_paging(client: Any) -> list[int]:
    """Job A, written the way users of the official client write it.

    The idiom chosen: advance ``start`` until a page comes back short, rather than
    until ``start >= paging.total``: Rest.li makes ``total`` optional, so loops that
    must end whatever the finder sends stop on a short page. When the total is a
    multiple of the page size this costs one more request, for an empty page (the
    table's request count shows it).
    """
    ids: list[int] = []
    start = 0
    while True:
        response = client.finder(
            resource_path=RESOURCE,
            finder_name=FINDER,
            query_params={"start": start, "count": PAGE_SIZE},
            access_token=TOKEN,
            version_string=VERSION,
        )
        ids.extend(element["id"] for element in response.elements)
        if len(response.elements) < PAGE_SIZE:
            break
        start += PAGE_SIZE
    return ids


def official_batch(client: Any, ids: list[int]) -> list[int]:
    """Job B with the official client: one ``batch_get`` per chunk of 100 ids, in turn."""
    got: list[int] = []
    for at in range(0, len(ids), CHUNK_SIZE):
        response = client.batch_get(
            resource_path=RESOURCE,
            ids=ids[at : at + CHUNK_SIZE],
            access_token=TOKEN,
            version_string=VERSION,
        )
        got.extend(_batch_ids(response.results))
    return got


def _paging_kwargs(settings: Settings) -> dict[str, Any]:
    return {
        "resource_path": RESOURCE,
        "finder_name": FINDER,
        "access_token": TOKEN,
        "version_string": VERSION,
        "page_size": PAGE_SIZE,
        **_concurrency(settings),
    }


def _batch_kwargs(ids: list[int], settings: Settings) -> dict[str, Any]:
    return {
        "resource_path": RESOURCE,
        "ids": ids,
        "access_token": TOKEN,
        "version_string": VERSION,
        "chunk_size": CHUNK_SIZE,
        **_concurrency(settings),
    }


def ours_paging(client: Any, settings: Settings) -> list[int]:
    """Job A with a sync client of ours: ``iter_elements`` over the finder."""
    return [e["id"] for e in client.iter_elements("finder", **_paging_kwargs(settings))]


def ours_batch(client: Any, ids: list[int], settings: Settings) -> list[int]:
    """Job B with a sync client of ours: one chunked ``batch_get``."""
    return _batch_ids(client.batch_get(**_batch_kwargs(ids, settings)).results)


async def ours_paging_async(client: Any, settings: Settings) -> list[int]:
    """Job A with an async client of ours."""
    return [e["id"] async for e in client.iter_elements("finder", **_paging_kwargs(settings))]


async def ours_batch_async(client: Any, ids: list[int], settings: Settings) -> list[int]:
    """Job B with an async client of ours."""
    response = await client.batch_get(**_batch_kwargs(ids, settings))
    return _batch_ids(response.results)


def check_ids(got: list[int], expected: list[int]) -> str:
    """``"OK"`` when ``got`` is ``expected`` exactly, else ``"FAIL: ..."`` saying how not."""
    if got == expected:
        return "OK"
    counts = Counter(got)
    wanted = set(expected)
    problems = []
    missing = len(wanted - counts.keys())
    repeated = sum(1 for n in counts.values() if n > 1)
    unexpected = sum(1 for i in counts if i not in wanted)
    if missing:
        problems.append(f"{missing} missing")
    if repeated:
        problems.append(f"{repeated} repeated")
    if unexpected:
        problems.append(f"{unexpected} unexpected")
    if not problems:
        first = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
        problems.append(f"out of order from position {first}")
    return f"FAIL: {len(got)} of {len(expected)} ids; " + ", ".join(problems)


# --------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Scenario:
    """One job: its key and title, the ids it must produce, and how each kind of client
    does it (each callable takes a client and returns the ids received, in order)."""

    key: str
    title: str
    expected: list[int]
    official: Callable[[Any], list[int]]
    sync: Callable[[Any], list[int]]
    async_: Callable[[Any], Awaitable[list[int]]]


def scenarios(settings: Settings) -> list[Scenario]:
    """Jobs A and B for these settings, with the ids each must produce."""
    every = campaign_ids(settings.campaigns)
    # Ids in an order of their own (not the store's), so the check sees reordering.
    wanted = random.Random(2_000).sample(every, min(settings.batch_ids, len(every)))
    return [
        Scenario(
            "A",
            f"A: page {len(every):,} campaigns, {PAGE_SIZE} at a time",
            every,
            official_paging,
            lambda c: ours_paging(c, settings),
            lambda c: ours_paging_async(c, settings),
        ),
        Scenario(
            "B",
            f"B: batch_get {len(wanted):,} ids in chunks of {CHUNK_SIZE}",
            wanted,
            lambda c: official_batch(c, wanted),
            lambda c: ours_batch(c, wanted, settings),
            lambda c: ours_batch_async(c, wanted, settings),
        ),
    ]


def _warm_up_sync(client: Any) -> None:
    # One small request: opens a connection and finishes lazy imports outside the clock.
    client.finder(
        resource_path=RESOURCE,
        finder_name=FINDER,
        query_params={"start": 0, "count": 1},
        access_token=TOKEN,
        version_string=VERSION,
    )


def _record(measurement: Measurement, stats: Stats) -> None:
    measurement.requests = stats.requests
    measurement.body_bytes = stats.body_bytes
    measurement.compressed = stats.compressed
    measurement.connections = stats.connections


def _fail(measurement: Measurement, exc: BaseException) -> Measurement:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    measurement.check = f"FAIL: {text[:160]}"
    measurement.seconds = None
    return measurement


def _finish(measurement: Measurement, checks: list[str]) -> Measurement:
    failed = [c for c in checks if c != "OK"]
    measurement.check = failed[0] if failed else "OK"
    measurement.seconds = statistics.median(measurement.samples)
    return measurement


def measure_sync(
    spec: ClientSpec, scenario: Scenario, server: DistantServer, settings: Settings
) -> Measurement:
    """Time a sync client on one job: a warm-up request, then ``settings.runs`` runs."""
    job = scenario.official if spec.official else scenario.sync
    result = Measurement(scenario.key, scenario.title, spec.name, spec.mode)
    try:
        client = spec.make(server.url)
        try:
            _warm_up_sync(client)
            checks = []
            for _ in range(settings.runs):
                server.reset()
                gc.collect()  # each run starts without the garbage of the one before
                started = time.perf_counter()
                got = job(client)
                result.samples.append(time.perf_counter() - started)
                stats = server.stats()
                _record(result, stats)
                checks.append(check_ids(got, scenario.expected))
                del got
        finally:
            _close_sync(client)
    except Exception as exc:
        return _fail(result, exc)
    return _finish(result, checks)


def measure_async(
    spec: ClientSpec, scenario: Scenario, server: DistantServer, settings: Settings
) -> Measurement:
    """Time an async client on one job, in an event loop of its own."""
    result = Measurement(scenario.key, scenario.title, spec.name, spec.mode)

    async def runs() -> list[str]:
        checks = []
        async with spec.make(server.url) as client:  # a client belongs to one loop
            await client.finder(
                resource_path=RESOURCE,
                finder_name=FINDER,
                query_params={"start": 0, "count": 1},
                access_token=TOKEN,
                version_string=VERSION,
            )
            for _ in range(settings.runs):
                await asyncio.to_thread(server.reset)
                gc.collect()  # each run starts without the garbage of the one before
                started = time.perf_counter()
                got = await scenario.async_(client)
                result.samples.append(time.perf_counter() - started)
                stats = await asyncio.to_thread(server.stats)
                _record(result, stats)
                checks.append(check_ids(got, scenario.expected))
                del got
        return checks

    try:
        checks = asyncio.run(runs())
    except Exception as exc:
        return _fail(result, exc)
    return _finish(result, checks)


def _selected(specs: list[ClientSpec], only: tuple[str, ...]) -> list[ClientSpec]:
    if not only:
        return specs
    return [s for s in specs if any(word.lower() in s.name.lower() for word in only)]


def run_suite(settings: Settings) -> list[Measurement]:
    """Start the server, run every selected client on jobs A then B, stop the server."""
    specs = _selected(client_specs(), settings.only)
    if not specs:
        raise SystemExit(f"--only {','.join(settings.only)} matches no client")
    results: list[Measurement] = []
    server = DistantServer(
        latency=settings.latency_ms / 1000,
        connect_latency=settings.connect_latency_ms / 1000,
        rate=settings.rate_mb_s * 1e6,
        campaigns=settings.campaigns,
    )
    with server, _official_base_urls(server.url):
        for scenario in scenarios(settings):
            print(f"{scenario.title} ...", flush=True)
            baseline: float | None = None
            for spec in specs:
                measure = measure_async if spec.mode == "async" else measure_sync
                m = measure(spec, scenario, server, settings)
                if spec.official and m.ok:
                    baseline = m.seconds
                if baseline is not None and m.seconds:
                    m.speedup = baseline / m.seconds
                shown = f"{m.seconds:.3f} s" if m.seconds is not None else "-"
                print(f"  {spec.name:<30} {shown:>9}  {m.check}", flush=True)
                results.append(m)
    return results


# --------------------------------------------------------------------- reporting


def _mb(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e6:.2f} MB"


def print_table(results: list[Measurement], settings: Settings) -> None:
    """The results as one table, then the fastest sync and async client of each job."""
    print()
    print(
        f"distant API: {settings.latency_ms:g} ms before each answer "
        f"(+{settings.connect_latency_ms:g} ms on a new connection), {settings.rate_mb_s:g} MB/s "
        f"per connection, {settings.campaigns:,} campaigns; our clients with concurrency="
        f"{settings.concurrency}; wall = median of {settings.runs} run(s)"
    )
    for title in dict.fromkeys(m.scenario for m in results):
        print(f"  {title}")
    header = (
        f"{'job':<3} {'client':<30} {'mode':<5} {'wall':>9} {'requests':>8} {'gzip':>7} "
        f"{'new conns':>9} {'received':>10} {'vs official':>11}  check"
    )
    print(header)
    print("-" * len(header))
    for m in results:
        wall = f"{m.seconds:.3f} s" if m.seconds is not None else "-"
        requests = "-" if m.requests is None else str(m.requests)
        gzipped = "-" if m.compressed is None else f"{m.compressed}/{m.requests}"
        conns = "-" if m.connections is None else str(m.connections)
        speedup = f"{m.speedup:.1f}x" if m.speedup is not None else "-"
        print(
            f"{m.job:<3} {m.client:<30} {m.mode:<5} {wall:>9} {requests:>8} {gzipped:>7} "
            f"{conns:>9} {_mb(m.body_bytes):>10} {speedup:>11}  {m.check}"
        )
    print(
        "(counted by the server on the last run: requests; gzip = responses sent compressed;"
        " new conns = connections opened; received = body bytes on the wire)"
    )
    print()
    for job in dict.fromkeys(m.job for m in results):
        for mode in ("sync", "async"):
            done = [m for m in results if m.job == job and m.mode == mode and m.ok]
            if done:
                best = min(done, key=lambda m: m.seconds or 0.0)
                print(f"fastest {mode:<5} on {job}: {best.client} ({best.seconds:.3f} s)")


def parse_args(argv: list[str]) -> tuple[Settings, str | None]:
    """The settings and the ``--json`` path from the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_distant",
        description="Official client vs ours against a slow, distant-looking Rest.li API.",
    )
    parser.add_argument("--latency", type=float, default=40.0, help="ms before each answer")
    parser.add_argument(
        "--connect-latency",
        type=float,
        default=0.0,
        help="extra ms before the first answer on a new connection (handshakes)",
    )
    parser.add_argument("--rate", type=float, default=8.0, help="MB/s per connection")
    parser.add_argument("--campaigns", type=int, default=5_000, help="campaigns in the store")
    parser.add_argument("--batch-ids", type=int, default=BATCH_IDS, help="ids for job B")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per client and job")
    parser.add_argument(
        "--concurrency", type=int, default=8, help="requests in flight for our clients"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="measure only clients whose name contains NAME (repeat or comma-separate)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if (
        args.latency < 0
        or args.connect_latency < 0
        or args.rate <= 0
        or args.campaigns < 1
        or args.batch_ids < 1
    ):
        parser.error(
            "--latency >= 0, --connect-latency >= 0, --rate > 0, --campaigns >= 1, --batch-ids >= 1"
        )
    if args.runs < 1 or args.concurrency < 1:
        parser.error("--runs and --concurrency must be >= 1")
    only = tuple(w.strip() for item in args.only for w in item.split(",") if w.strip())
    settings = Settings(
        latency_ms=args.latency,
        connect_latency_ms=args.connect_latency,
        rate_mb_s=args.rate,
        campaigns=args.campaigns,
        batch_ids=args.batch_ids,
        runs=args.runs,
        concurrency=args.concurrency,
        only=only,
    )
    return settings, args.json


def main(argv: list[str] | None = None) -> int:
    """Run the suite. ``argv`` holds the options; ``None`` (as ``python -m benchmarks``
    calls it) means the defaults: the suite runner's own arguments are not ours."""
    settings, json_path = parse_args(list(argv) if argv is not None else [])
    results = run_suite(settings)
    print_table(results, settings)
    if json_path:
        with open(json_path, "w") as f:
            json.dump(
                {"settings": asdict(settings), "results": [asdict(m) for m in results]},
                f,
                indent=2,
            )
        print(f"\nwrote {json_path}")
    return 0 if all(m.ok for m in results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Paging suite: read 10,000 elements page by page over a real loopback socket.

The embedded :class:`~restli_core.testing.RestliServer` (with a 10,000-entity
collection added through its public API) is served on 127.0.0.1 by
``restli_cli._serve.LoopbackServer``; each client reads the whole collection with
``iter_elements``, by offset (``get_all``, ``start``/``count``) and by cursor (a
finder answering ``metadata.nextPageToken``), at 100 and 1,000 elements per page.
Every adapter is measured; the table gives elements per second (best of a few
runs) and names the fastest sync and async clients. A "hand loop" row reads the
same pages with ``get_all`` and a ``start``/``count`` loop written out, as
integrations do today: the difference is what the paginator costs.

The server runs in the same process (Python's ``http.server`` plus JSON encoding),
so the figures measure the whole loop, the server's share included: they compare
clients with each other, not with LinkedIn.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from restli_cli._serve import LoopbackServer
from restli_core.testing import Call, RestliServer

TOTAL = 10_000
PATH = "/benchItems"
TOKEN = "bench-token"
ROUNDS = 3
PAGE_SIZES = (100, 1000)


def make_server() -> RestliServer:
    """A seeded server plus ``/benchItems``: 10,000 entities, offset and cursor paged."""
    server = RestliServer()
    items = server.add_collection(
        PATH,
        [
            {
                "id": i,
                "name": f"Item {i}",
                "status": ("ACTIVE", "PAUSED", "DRAFT")[i % 3],
                "account": f"urn:li:sponsoredAccount:{1 + i % 25}",
                "dailyBudget": {"amount": f"{i % 90 + 10}.00", "currencyCode": "USD"},
            }
            for i in range(1, TOTAL + 1)
        ],
        key="id",
    )

    def everything(call: Call) -> list[dict[str, Any]]:
        return items.values()

    items.add_finder("all", everything, cursor=True)
    return server


@contextlib.contextmanager
def serving(app: Callable[[Any], Any]) -> Iterator[LoopbackServer]:
    """The app on a started loopback server (TCP_NODELAY set by the server itself)."""
    server = LoopbackServer(app).start()
    try:
        yield server
    finally:
        server.close()


def _read(style: str, page_size: int) -> dict[str, Any]:
    if style == "cursor":
        return {
            "method": "finder",
            "finder_name": "all",
            "paging": "cursor",
            "page_size": page_size,
        }
    return {"method": "get_all", "page_size": page_size}


def _sync_clients() -> dict[str, Callable[[str], Any]]:
    out: dict[str, Callable[[str], Any]] = {}
    try:
        import restli_requests

        out["restli_requests"] = lambda url: restli_requests.RestliClient(
            base_url=f"{url}/v2", versioned_base_url=f"{url}/rest"
        )
    except ImportError:
        pass
    try:
        import restli_urllib3

        out["restli_urllib3"] = lambda url: restli_urllib3.RestliClient(
            base_url=f"{url}/v2", versioned_base_url=f"{url}/rest"
        )
    except ImportError:
        pass
    try:
        import restli_httpx

        out["restli_httpx"] = lambda url: restli_httpx.RestliClient(
            base_url=f"{url}/v2", versioned_base_url=f"{url}/rest"
        )
    except ImportError:
        pass
    return out


def _async_clients() -> dict[str, Callable[[str], Any]]:
    out: dict[str, Callable[[str], Any]] = {}
    try:
        import restli_aiohttp

        out["restli_aiohttp (async)"] = lambda url: restli_aiohttp.AsyncRestliClient(
            base_url=f"{url}/v2", versioned_base_url=f"{url}/rest"
        )
    except ImportError:
        pass
    try:
        import restli_httpx

        out["restli_httpx (async)"] = lambda url: restli_httpx.AsyncRestliClient(
            base_url=f"{url}/v2", versioned_base_url=f"{url}/rest"
        )
    except ImportError:
        pass
    return out


def _time_sync(client: Any, read: dict[str, Any]) -> float:
    arguments = dict(read)
    method = arguments.pop("method")
    started = time.perf_counter()
    count = sum(
        1 for _ in client.iter_elements(method, resource_path=PATH, access_token=TOKEN, **arguments)
    )
    elapsed = time.perf_counter() - started
    if count != TOTAL:
        raise AssertionError(f"read {count} elements, expected {TOTAL}")
    return elapsed


def _time_hand_loop(client: Any, page_size: int) -> float:
    """What integrations write today: get_all with start/count until total."""
    started = time.perf_counter()
    count = start = 0
    while True:
        page = client.get_all(
            resource_path=PATH,
            access_token=TOKEN,
            query_params={"start": start, "count": page_size},
        )
        count += len(page.elements)
        start += page_size
        if page.paging.total is None or start >= page.paging.total:
            break
    elapsed = time.perf_counter() - started
    if count != TOTAL:
        raise AssertionError(f"read {count} elements, expected {TOTAL}")
    return elapsed


async def _time_async(make: Callable[[str], Any], url: str, read: dict[str, Any]) -> list[float]:
    arguments = dict(read)
    method = arguments.pop("method")
    times = []
    async with make(url) as client:  # an aiohttp ClientSession belongs to one event loop
        for _ in range(ROUNDS + 1):  # the first round warms the connection pool up
            started = time.perf_counter()
            count = 0
            async for _element in client.iter_elements(
                method, resource_path=PATH, access_token=TOKEN, **arguments
            ):
                count += 1
            times.append(time.perf_counter() - started)
            if count != TOTAL:
                raise AssertionError(f"read {count} elements, expected {TOTAL}")
    return times[1:]


def main() -> None:
    results: list[tuple[str, str, int, float]] = []
    with serving(make_server()) as server:
        url = server.url
        for name, make in _sync_clients().items():
            with make(url) as client:
                for style in ("offset", "cursor"):
                    for size in PAGE_SIZES:
                        read = _read(style, size)
                        _time_sync(client, read)  # warm-up: connections, imports
                        best = min(_time_sync(client, read) for _ in range(ROUNDS))
                        results.append((name, style, size, best))
                if name == "restli_urllib3":
                    for size in PAGE_SIZES:
                        _time_hand_loop(client, size)
                        best = min(_time_hand_loop(client, size) for _ in range(ROUNDS))
                        results.append((f"{name} hand loop", "offset", size, best))
        for name, make in _async_clients().items():
            for style in ("offset", "cursor"):
                for size in PAGE_SIZES:
                    times = asyncio.run(_time_async(make, url, _read(style, size)))
                    results.append((name, style, size, min(times)))

    header = (
        f"{'client':<24} {'paging':<7} {'page':>5} {'pages':>6} {'seconds':>8} {'elements/s':>11}"
    )
    print(f"{TOTAL:,} elements from the embedded server over loopback (best of {ROUNDS})")
    print(header)
    print("-" * len(header))
    for name, style, size, seconds in results:
        pages = -(-TOTAL // size)  # total / nextPageToken end the read: no empty page
        print(
            f"{name:<24} {style:<7} {size:>5} {pages:>6} {seconds:>8.3f} {TOTAL / seconds:>11,.0f}"
        )
    for kind, is_async in (("sync", False), ("async", True)):
        mine = [r for r in results if ("(async)" in r[0]) is is_async and "hand" not in r[0]]
        if mine:
            name, style, size, seconds = min(mine, key=lambda r: r[3])
            print(
                f"fastest {kind}: {name} ({style}, {size} per page): "
                f"{TOTAL / seconds:,.0f} elements/s"
            )


if __name__ == "__main__":
    main()

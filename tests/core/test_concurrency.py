"""Concurrent pages and batch chunks (``concurrency=``): one flow, two drivers.

The server here is a function of the request (a collection of campaigns, paged by
``start``/``count``, or a batch get), wrapped in a sync and an async transport that
wait a little per request and record how many requests were in flight at once.
Every test checks the same things on both drivers: each element or result arrives
exactly once and in order, at most ``concurrency`` requests overlap (and more than
one does, when asked), and errors keep their meaning.
"""

from __future__ import annotations

import asyncio
import gc
import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from restli_core import (
    AsyncRestliClientBase,
    BatchChunkError,
    Checkpoint,
    PaginationError,
    RateLimitError,
    Request,
    Response,
    RestliUsageError,
    RetryPolicy,
    ServerError,
    SyncRestliClientBase,
    TransportError,
    decode,
)
from restli_core._flow import (
    Outcome,
    Sleep,
    Window,
    run_async,
    run_sync,
    window_start,
    window_take,
)
from restli_core._paginator import READ_AHEAD

TOKEN = "AQV-concurrency"
WAIT = 0.02  # seconds each answer takes: enough for requests to overlap
Server = Callable[[Request], Response]


def _query(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def _json(request: Request, body: Any, status: int = 200) -> Response:
    return Response(
        status, {"Content-Type": "application/json"}, json.dumps(body).encode(), request.url
    )


class _Counting:
    """What both fake transports share: the server, the log, the overlap count."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.sent: list[Request] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()

    def enter(self, request: Request) -> None:
        with self._lock:
            self.sent.append(request)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1


class SyncFake(_Counting):
    def send(self, request: Request) -> Response:
        self.enter(request)
        try:
            time.sleep(WAIT)
            return self.server(request)
        finally:
            self.leave()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class AsyncFake(_Counting):
    async def send(self, request: Request) -> Response:
        self.enter(request)
        try:
            await asyncio.sleep(WAIT)
            return self.server(request)
        finally:
            self.leave()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def spawn(self, call: Any) -> Any:
        return asyncio.ensure_future(call())


def campaigns(
    total: int, *, max_count: int | None = None, fail_at: set[int] | None = None
) -> Server:
    """A finder over ``total`` campaigns with ``paging.total``; pages starting at a
    start in ``fail_at`` answer 500; ``max_count`` caps the page size used."""

    def server(request: Request) -> Response:
        query = _query(request)
        start = int(query.get("start", "0"))
        count = int(query.get("count", "10"))
        if max_count is not None:
            count = min(count, max_count)
        if fail_at and start in fail_at:
            return _json(request, {"status": 500, "message": "boom"}, 500)
        elements = [{"id": i} for i in range(start, min(start + count, total))]
        paging = {"start": start, "count": count, "total": total, "links": []}
        return _json(request, {"elements": elements, "paging": paging})

    return server


def batch(fail: Callable[[list[int]], int | None] | None = None) -> Server:
    """A batch get answering every id with ``{"id": id}``; ``fail(ids)`` may return
    a status for the whole chunk."""

    def server(request: Request) -> Response:
        ids = [int(i) for i in decode(_query(request)["ids"])]
        status = fail(ids) if fail is not None else None
        if status is not None:
            return _json(request, {"status": status, "message": "no"}, status)
        results = {str(i): {"id": i} for i in ids}
        return _json(request, {"results": results, "statuses": {}, "errors": {}})

    return server


def _clients(server: Server, **options: Any) -> tuple[SyncRestliClientBase, SyncFake]:
    transport = SyncFake(server)
    return SyncRestliClientBase(transport, **options), transport


class Driver:
    """Runs the same read or batch call on a sync or an async client."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def transport(self, server: Server) -> SyncFake | AsyncFake:
        return SyncFake(server) if self.mode == "sync" else AsyncFake(server)

    def elements(self, transport: Any, **options: Any) -> list[Any]:
        options = {
            "resource_path": "/adCampaigns",
            "finder_name": "search",
            "access_token": TOKEN,
            **options,
        }
        retry = options.pop("retry", None)
        if self.mode == "sync":
            return list(
                SyncRestliClientBase(transport, retry=retry).iter_elements("finder", **options)
            )

        async def read() -> list[Any]:
            client = AsyncRestliClientBase(transport, retry=retry)
            return [e async for e in client.iter_elements("finder", **options)]

        return asyncio.run(read())

    def pager(self, transport: Any, **options: Any) -> Any:
        """The iterator itself, with a ``next()`` that works for both modes."""
        options = {
            "resource_path": "/adCampaigns",
            "finder_name": "search",
            "access_token": TOKEN,
            **options,
        }
        if self.mode == "sync":
            return SyncRestliClientBase(transport, retry=None).iter_elements("finder", **options)
        return AsyncRestliClientBase(transport, retry=None).iter_elements("finder", **options)

    def batch_get(self, transport: Any, ids: list[int], **options: Any) -> Any:
        options = {"resource_path": "/adCampaigns", "ids": ids, "access_token": TOKEN, **options}
        retry = options.pop("retry", None)
        if self.mode == "sync":
            return SyncRestliClientBase(transport, retry=retry).batch_get(**options)

        async def call() -> Any:
            return await AsyncRestliClientBase(transport, retry=retry).batch_get(**options)

        return asyncio.run(call())


@pytest.fixture(params=["sync", "async"])
def driver(request: pytest.FixtureRequest) -> Driver:
    return Driver(request.param)


def _ids(elements: list[Any]) -> list[int]:
    return [e["id"] for e in elements]


# --------------------------------------------------------------------------- the drivers


def _slow(value: int, seconds: float) -> Any:
    yield Sleep(seconds)
    return value


def _broken() -> Any:
    yield Sleep(0)
    raise ValueError("broken flow")


class _Sleeper:
    def send(self, request: Request) -> Response:
        raise AssertionError("nothing is sent")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _AsyncSleeper:
    async def send(self, request: Request) -> Response:
        raise AssertionError("nothing is sent")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def spawn(self, call: Any) -> Any:
        return asyncio.ensure_future(call())


def _taking(limit: int) -> Any:
    # The first flows take longest: outcomes must still come back in flow order.
    window = Window(limit)
    try:
        yield from window_start(window, [_slow(i, 0.05 - 0.01 * i) for i in range(5)] + [_broken()])
        outcomes = []
        for _ in range(6):
            outcomes.append((yield from window_take(window)))
        return outcomes
    finally:
        window.close()


@pytest.mark.parametrize("limit", [1, 3, 8])
def test_both_drivers_return_outcomes_in_flow_order(limit: int) -> None:
    for outcomes in (
        run_sync(_taking(limit), _Sleeper()),
        asyncio.run(run_async(_taking(limit), _AsyncSleeper())),
    ):
        assert [o.value for o in outcomes[:5]] == [0, 1, 2, 3, 4]
        assert all(o.error is None for o in outcomes[:5])
        assert isinstance(outcomes[5].error, ValueError)
        with pytest.raises(ValueError, match="broken flow"):
            outcomes[5].unwrap()


def test_a_window_of_one_runs_each_flow_when_taken_without_threads() -> None:
    threads: list[str] = []

    def where() -> Any:
        threads.append(threading.current_thread().name)
        yield Sleep(0)
        return threads[-1]

    def flow() -> Any:
        window = Window(1)
        yield from window_start(window, [where(), where()])
        assert threads == []  # nothing runs before it is taken
        first = yield from window_take(window)
        second = yield from window_take(window)
        window.close()
        return [first.unwrap(), second.unwrap()]

    assert run_sync(flow(), _Sleeper()) == [threading.current_thread().name] * 2


def test_an_async_transport_without_spawn_runs_the_flows_one_by_one() -> None:
    class OneByOne(AsyncFake):
        spawn = None  # type: ignore[assignment]

    transport = OneByOne(campaigns(100))
    got = Driver("async").elements(transport, page_size=10, concurrency=8)
    assert _ids(got) == list(range(100))
    assert transport.most_in_flight == 1


def test_outcomes_unwrap() -> None:
    assert Outcome(value=3).unwrap() == 3
    with pytest.raises(KeyError):
        Outcome(error=KeyError("k")).unwrap()


# --------------------------------------------------------------------------- windows


class _Tally:
    """Flows that count themselves: how many started, how many ran at once."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def flow(self, value: int, seconds: float) -> Any:
        with self._lock:
            self.started.append(value)
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            yield Sleep(seconds)
        finally:
            with self._lock:
                self.running -= 1
        return value


def _taking_all(window: Window, tally: _Tally, count: int) -> Any:
    # Slowest first: outcomes still come in the order the flows were added.
    yield from window_start(window, [tally.flow(i, 0.06 - 0.01 * (i % 3)) for i in range(count)])
    taken: list[int] = []
    while len(window):
        outcome = yield from window_take(window)
        taken.append(outcome.unwrap())
    window.close()
    return taken


@pytest.mark.parametrize("limit", [1, 2, 4])
def test_a_window_hands_out_outcomes_in_order_with_at_most_limit_running(limit: int) -> None:
    for run in (
        lambda flow: run_sync(flow, _Sleeper()),
        lambda flow: asyncio.run(run_async(flow, _AsyncSleeper())),
    ):
        tally, window = _Tally(), Window(limit)
        assert run(_taking_all(window, tally, 7)) == list(range(7))
        assert tally.most == limit and tally.running == 0
        assert window.closed and len(window) == 0


def test_a_window_keeps_running_between_driver_runs() -> None:
    # The point of a window: what was started goes on while the caller does other
    # work, and a slot freed is refilled at once, not at the next take.
    tally, window = _Tally(), Window(2)

    def start() -> Any:
        yield from window_start(window, [tally.flow(i, 0.05) for i in range(4)])

    def take() -> Any:
        return (yield from window_take(window)).unwrap()

    run_sync(start(), _Sleeper())
    time.sleep(0.3)  # no driver is running: the four flows end anyway, two at a time
    assert tally.started == [0, 1, 2, 3] and tally.running == 0
    assert [run_sync(take(), _Sleeper()) for _ in range(4)] == [0, 1, 2, 3]
    window.close()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_closing_a_window_drops_what_has_not_started(mode: str) -> None:
    tally, window = _Tally(), Window(2)
    at_close: list[int] = []

    def flow() -> Any:
        yield from window_start(window, [tally.flow(i, 0.1) for i in range(6)])
        first = yield from window_take(window)
        window.close()
        at_close.extend(tally.started)
        return first

    if mode == "sync":
        got = run_sync(flow(), _Sleeper())
        time.sleep(0.3)  # a thread cannot be stopped: a running flow ends itself
    else:

        async def main() -> Any:
            got = await run_async(flow(), _AsyncSleeper())
            await asyncio.sleep(0.3)
            return got

        got = asyncio.run(main())
    assert got.value == 0
    assert tally.started == at_close  # nothing started after the close
    assert 4 not in tally.started and 5 not in tally.started
    assert tally.running == 0  # the cancelled tasks ran their cleanup
    window.close()  # idempotent


def test_a_window_is_misused_loudly() -> None:
    window = Window(2)
    with pytest.raises(RestliUsageError, match="empty window"):
        run_sync(window_take(window), _Sleeper())
    window.close()
    with pytest.raises(RestliUsageError, match="closed"):
        run_sync(window_start(window, [_slow(1, 0)]), _Sleeper())
    assert "closed" in repr(window)
    step = next(window_take(Window(1)))
    take = window_take(Window(1))
    next(take)
    with pytest.raises(TypeError, match="WindowTake"):
        take.send([])  # type: ignore[arg-type]
    assert step.window.limit == 1


def test_an_async_transport_without_spawn_runs_a_window_when_taken() -> None:
    tally, window = _Tally(), Window(4)
    transport = _AsyncSleeper()
    transport.spawn = None  # type: ignore[assignment,method-assign]
    assert asyncio.run(run_async(_taking_all(window, tally, 5), transport)) == list(range(5))
    assert tally.most == 1


# --------------------------------------------------------------------------- paging


@pytest.mark.parametrize(
    ("total", "page_size", "concurrency"),
    [(1000, 100, 8), (997, 100, 8), (55, 10, 3), (100, 100, 8), (0, 10, 4), (5, 10, 4)],
)
def test_pages_fetched_at_once_arrive_once_and_in_order(
    driver: Driver, total: int, page_size: int, concurrency: int
) -> None:
    transport = driver.transport(campaigns(total))
    got = driver.elements(transport, page_size=page_size, concurrency=concurrency)
    assert _ids(got) == list(range(total))
    pages = max(1, -(-total // page_size))
    assert len(transport.sent) == pages  # nothing fetched twice, nothing past the end
    if pages > 2:
        assert 1 < transport.most_in_flight <= concurrency


def test_concurrency_one_is_one_page_at_a_time(driver: Driver) -> None:
    transport = driver.transport(campaigns(300))
    assert _ids(driver.elements(transport, page_size=50)) == list(range(300))
    assert transport.most_in_flight == 1


def test_pages_are_read_ahead_while_the_caller_works(driver: Driver) -> None:
    # After the first page (which tells the total), up to READ_AHEAD x N pages are
    # planned and go on arriving while the caller is busy, N at a time; no more
    # than that is sent before the caller takes some.
    concurrency, pages = 2, 40
    transport = driver.transport(campaigns(pages * 10))
    pager = driver.pager(transport, page_size=10, concurrency=concurrency)
    plan = READ_AHEAD * concurrency

    def planned_all() -> bool:
        return len(transport.sent) >= 1 + plan

    async def run_async_read() -> list[int]:
        got = [await pager.__anext__() for _ in range(11)]  # into the second page
        for _ in range(250):  # the whole plan arrives with no one iterating (5 s at most)
            if planned_all():
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(WAIT * 4)  # and nothing more is sent
        sent_while_idle = len(transport.sent)
        got += [e async for e in pager]
        return [sent_while_idle, *_ids(got)]

    if driver.mode == "sync":
        got = [next(pager) for _ in range(11)]
        for _ in range(250):
            if planned_all():
                break
            time.sleep(0.02)
        time.sleep(WAIT * 4)
        sent_while_idle = len(transport.sent)
        got += list(pager)
        ids = _ids(got)
    else:
        sent_while_idle, *ids = asyncio.run(run_async_read())
    assert ids == list(range(pages * 10))
    # The first page, the pages planned with the second (it included), and those
    # planned when the second was taken with the ones ready with it (each take tops
    # the plan up again): at most N of them.
    assert 1 + plan <= sent_while_idle <= 1 + plan + concurrency
    assert len(transport.sent) == pages
    assert transport.most_in_flight == concurrency


def test_closing_a_pager_stops_its_reading_ahead(driver: Driver) -> None:
    transport = driver.transport(campaigns(400))
    pager = driver.pager(transport, page_size=10, concurrency=4)

    async def read_async() -> tuple[int, int, list[int]]:
        first = [await pager.__anext__() for _ in range(15)]
        pager.close()
        at_close = len(transport.sent)  # the running tasks are cancelled
        await asyncio.sleep(WAIT * 4)
        after = len(transport.sent)
        rest = [e async for e in pager]  # reading on picks up where it stood
        return at_close, after, _ids(first + rest)

    if driver.mode == "sync":
        first = [next(pager) for _ in range(15)]
        pager.close()
        time.sleep(WAIT * 2)  # a flow already running in a thread ends on its own
        at_close = len(transport.sent)
        time.sleep(WAIT * 4)
        after = len(transport.sent)
        ids = _ids(first + list(pager))
    else:
        at_close, after, ids = asyncio.run(read_async())
    assert after == at_close  # no page not yet started was sent after close()
    assert ids == list(range(400))


def test_a_pager_let_go_stops_its_reading_ahead() -> None:
    transport = SyncFake(campaigns(1000))
    pager = Driver("sync").pager(transport, page_size=10, concurrency=2)
    next(pager)
    next(pager)
    del pager
    gc.collect()
    time.sleep(WAIT * 2)  # the flows already running end
    at_release = len(transport.sent)
    time.sleep(WAIT * 6)
    assert len(transport.sent) == at_release < 1 + READ_AHEAD * 2 + 1


def test_a_server_using_a_smaller_page_size_loses_nothing(driver: Driver) -> None:
    # The first page says count=7: the plan follows the server's step.
    transport = driver.transport(campaigns(100, max_count=7))
    got = driver.elements(transport, page_size=20, concurrency=4)
    assert _ids(got) == list(range(100))


def test_a_page_size_that_changes_midway_drops_the_stale_plan(driver: Driver) -> None:
    # The server pages by 10 until 40, then by 5: pages planned at 50, 60... no
    # longer follow on; they are dropped and read again from where the read stands.
    def server(request: Request) -> Response:
        query = _query(request)
        start = int(query["start"])
        count = 10 if start < 40 else 5
        elements = [{"id": i} for i in range(start, min(start + count, 80))]
        paging = {"start": start, "count": count, "total": 80, "links": []}
        return _json(request, {"elements": elements, "paging": paging})

    transport = driver.transport(server)
    got = driver.elements(transport, page_size=10, concurrency=4)
    assert _ids(got) == list(range(80))


@pytest.mark.parametrize("max_items", [1, 35, 250, 999])
def test_max_items_holds_with_concurrency(driver: Driver, max_items: int) -> None:
    transport = driver.transport(campaigns(500))
    got = driver.elements(transport, page_size=50, concurrency=8, max_items=max_items)
    assert _ids(got) == list(range(min(max_items, 500)))
    # No page is asked for past what max_items needs.
    assert len(transport.sent) == -(-min(max_items, 500) // 50)


def test_max_pages_holds_with_concurrency(driver: Driver) -> None:
    transport = driver.transport(campaigns(1000))
    got = driver.elements(transport, page_size=10, concurrency=8, max_pages=5)
    assert _ids(got) == list(range(50))
    assert len(transport.sent) == 5


def test_a_failed_page_delivers_the_pages_before_it_then_raises(driver: Driver) -> None:
    transport = driver.transport(campaigns(200, fail_at={60}))
    pager = driver.pager(transport, page_size=20, concurrency=8)
    got: list[Any] = []

    def read_all() -> None:
        if driver.mode == "sync":
            got.extend(pager)
            return

        async def read() -> None:
            async for element in pager:
                got.append(element)

        asyncio.run(read())

    with pytest.raises(ServerError) as caught:
        read_all()
    assert _ids(got) == list(range(60))  # pages at 0, 20 and 40: none lost
    assert caught.value.checkpoint == Checkpoint(start=60)
    # Resuming from the checkpoint reads the rest, once.
    rest = driver.elements(
        driver.transport(campaigns(200)),
        page_size=20,
        concurrency=8,
        resume=caught.value.checkpoint,
    )
    assert _ids(got + rest) == list(range(200))


def test_retries_apply_to_each_page_fetched_at_once(driver: Driver) -> None:
    failed: set[int] = set()

    def flaky(request: Request) -> Response:
        start = int(_query(request)["start"])
        if start in (30, 50) and start not in failed:
            failed.add(start)
            return _json(request, {"status": 503}, 503)
        return campaigns(100)(request)

    transport = driver.transport(flaky)
    retry = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.001)
    got = driver.elements(transport, page_size=10, concurrency=8, retry=retry)
    assert _ids(got) == list(range(100))
    assert len(transport.sent) == 12  # ten pages, two of them twice


def test_cursor_paging_stays_sequential(driver: Driver) -> None:
    def server(request: Request) -> Response:
        token = _query(request).get("pageToken")
        page = int(token) if token else 0
        body: dict[str, Any] = {"elements": [{"id": i} for i in range(page * 5, page * 5 + 5)]}
        body["metadata"] = {"nextPageToken": str(page + 1)} if page < 5 else {}
        return _json(request, body)

    transport = driver.transport(server)
    got = driver.elements(transport, paging="cursor", page_size=5, concurrency=8)
    assert _ids(got) == list(range(30))
    assert transport.most_in_flight == 1


def test_a_server_ignoring_start_is_still_caught(driver: Driver) -> None:
    def server(request: Request) -> Response:
        elements = [{"id": i} for i in range(10)]
        paging = {"start": int(_query(request)["start"]), "count": 10, "total": 1000}
        return _json(request, {"elements": elements, "paging": paging})

    with pytest.raises(PaginationError, match="same 10 element"):
        driver.elements(driver.transport(server), page_size=10, concurrency=8)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2", None])
def test_a_bad_concurrency_is_refused_at_once(bad: Any) -> None:
    client, transport = _clients(campaigns(10))
    with pytest.raises(ValueError, match="concurrency must be an int >= 1"):
        client.iter_elements(
            "finder",
            resource_path="/adCampaigns",
            finder_name="search",
            access_token=TOKEN,
            concurrency=bad,
        )
    with pytest.raises(ValueError, match="concurrency must be an int >= 1"):
        client.batch_get(
            resource_path="/adCampaigns",
            ids=[1, 2, 3],
            access_token=TOKEN,
            chunk_size=1,
            concurrency=bad,
        )
    assert transport.sent == []


# --------------------------------------------------------------------------- batches


@pytest.mark.parametrize(("ids", "chunk", "concurrency"), [(2000, 100, 8), (95, 10, 3), (7, 3, 8)])
def test_chunks_sent_at_once_merge_in_order(
    driver: Driver, ids: int, chunk: int, concurrency: int
) -> None:
    transport = driver.transport(batch())
    wanted = list(range(ids, 0, -1))  # any order: the merged map follows the ids
    response = driver.batch_get(transport, wanted, chunk_size=chunk, concurrency=concurrency)
    assert [int(k) for k in response.results] == wanted
    assert [v["id"] for v in response.results.values()] == wanted
    assert len(transport.sent) == -(-ids // chunk)
    assert 1 < transport.most_in_flight <= concurrency


def test_a_failed_chunk_keeps_the_others(driver: Driver) -> None:
    transport = driver.transport(batch(lambda ids: 500 if 25 in ids else None))
    with pytest.raises(BatchChunkError) as caught:
        driver.batch_get(transport, list(range(60)), chunk_size=10, concurrency=4)
    error = caught.value
    assert error.failed_ids == tuple(range(20, 30))
    assert error.unsent_ids == ()
    assert error.response is not None
    assert sorted(int(k) for k in error.response.results) == [
        i for i in range(60) if not 20 <= i < 30
    ]


def test_a_429_stops_the_chunks_not_started(driver: Driver) -> None:
    transport = driver.transport(batch(lambda ids: 429 if 0 in ids else None))
    with pytest.raises(BatchChunkError) as caught:
        driver.batch_get(transport, list(range(100)), chunk_size=10, concurrency=2)
    error = caught.value
    assert isinstance(error.failures[0].error, RateLimitError)
    sent_ids = {int(i) for r in transport.sent for i in decode(_query(r)["ids"])}
    # The chunk in flight beside the throttled one finished; no other was started.
    assert len(transport.sent) <= 3
    assert set(error.unsent_ids) == set(range(100)) - sent_ids
    assert set(error.failed_ids) | sent_ids == set(range(100))


def test_a_transport_error_in_one_chunk_is_a_chunk_failure(driver: Driver) -> None:
    def server(request: Request) -> Response:
        if "5" in decode(_query(request)["ids"]):
            raise TransportError("connection reset", request_method="GET", request_url="x")
        return batch()(request)

    with pytest.raises(BatchChunkError) as caught:
        driver.batch_get(driver.transport(server), list(range(30)), chunk_size=10, concurrency=3)
    assert caught.value.failed_ids == tuple(range(10))
    assert caught.value.response is not None and len(caught.value.response.results) == 20


def test_cancelling_an_async_call_ends_every_request_in_flight() -> None:
    transport = AsyncFake(batch())

    async def main() -> None:
        client = AsyncRestliClientBase(transport, retry=None)
        task = asyncio.create_task(
            client.batch_get(
                resource_path="/adCampaigns",
                ids=list(range(100)),
                access_token=TOKEN,
                chunk_size=10,
                concurrency=4,
            )
        )
        await asyncio.sleep(WAIT / 2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert transport.in_flight == 0
        assert len(transport.sent) == 4  # the first four chunks; no other was started

    asyncio.run(main())

"""``concurrency=`` on every client, over a real socket: the embedded server in-process.

The core's tests check the ordering and error rules with fake transports; these
check that each adapter sends pages and batch chunks at once through one client
(the sync ones from a thread pool over the same session, pool or client) and that
what comes back is what a one-at-a-time read gives.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ADAPTERS, Harness

from restli_cli._demo import VERSION
from restli_cli._serve import LoopbackServer
from restli_core._paginator import READ_AHEAD
from restli_core.testing import RestliServer


class _Served:
    def __init__(self, url: str) -> None:
        self.url = url


@pytest.fixture
def served() -> Iterator[tuple[RestliServer, _Served]]:
    server = RestliServer()
    http = LoopbackServer(server).start()
    try:
        yield server, _Served(http.url)
    finally:
        http.close()


@pytest.fixture(params=ADAPTERS)
def harness(
    request: pytest.FixtureRequest, served: tuple[RestliServer, _Served]
) -> Iterator[Harness]:
    made = Harness(request.param, served[1])  # type: ignore[arg-type]
    try:
        yield made
    finally:
        made.close_all()


QUERY = {"search": {"status": {"values": ["ACTIVE", "DRAFT", "CANCELED"]}}}


def _pager(harness: Harness, **options: Any) -> Any:
    return harness.client().iter_elements(
        "finder",
        resource_path="/adAccounts",
        finder_name="search",
        query_params=QUERY,
        access_token="t",
        version_string=VERSION,
        **options,
    )


def _read(harness: Harness, **options: Any) -> list[Any]:
    pager = _pager(harness, **options)
    if not harness.is_async:
        return list(pager)

    async def collect() -> list[Any]:
        return [element async for element in pager]

    return harness.run(collect())


def test_pages_at_once_read_what_one_at_a_time_reads(
    harness: Harness, served: tuple[RestliServer, _Served], caplog: pytest.LogCaptureFixture
) -> None:
    server = served[0]
    one_by_one = _read(harness, page_size=3)
    requests = len(server.requests)
    assert len(one_by_one) > 9  # several waves of pages
    with caplog.at_level(logging.WARNING):
        at_once = _read(harness, page_size=3, concurrency=4)
    assert [a["id"] for a in at_once] == [a["id"] for a in one_by_one]
    assert len(server.requests) - requests == requests  # the same pages, no more
    # A pool too small for the threads would log "Connection pool is full".
    assert not [r for r in caplog.records if "pool" in r.getMessage().lower()]


def test_batch_chunks_at_once_merge_like_one_request(
    harness: Harness, served: tuple[RestliServer, _Served]
) -> None:
    ids = [a["id"] for a in _read(harness, page_size=100)]
    client = harness.client()
    whole = client.batch_get(
        resource_path="/adAccounts", ids=ids, access_token="t", version_string=VERSION
    )
    chunked = client.batch_get(
        resource_path="/adAccounts",
        ids=ids,
        access_token="t",
        version_string=VERSION,
        chunk_size=4,
        concurrency=4,
    )
    assert list(chunked.results) == list(whole.results)
    assert chunked.results == whole.results


def test_a_read_left_early_and_closed_sends_no_more_pages(
    harness: Harness, served: tuple[RestliServer, _Served]
) -> None:
    # Read-ahead runs in the background (threads, or tasks on the loop); close()
    # stops it: nothing not yet sent is sent afterwards.
    server = served[0]
    pager = _pager(harness, page_size=1, concurrency=2)
    before = len(server.requests)

    if harness.is_async:

        async def take_then_close() -> list[Any]:
            got = [await pager.__anext__() for _ in range(3)]
            await pager.aclose()
            await asyncio.sleep(0.2)
            return got

        got = harness.run(take_then_close())
    else:
        got = [next(pager) for _ in range(3)]
        pager.close()
        time.sleep(0.2)  # the requests on the wire end; no other starts
    sent = len(server.requests) - before
    time.sleep(0.2)
    assert len(server.requests) - before == sent
    assert len(got) == 3
    assert sent <= 1 + READ_AHEAD * 2 + 2  # the first page, one plan and its top-up

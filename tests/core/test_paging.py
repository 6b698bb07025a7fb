"""Pagination: the pure Paginator, and iter_pages / iter_elements on sync and async clients.

Every client test runs twice (the ``d`` fixture): through a sync client over
MockTransport and an async client over AsyncMockTransport, with the same
expectations, so the two drivers are held to the same results. Servers are the
embedded RestliServer, or small handler functions where a misbehaving server is
the point (one that ignores ``start``, repeats a cursor, filters its pages).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from restli_core import (
    AsyncPager,
    AsyncRestliClientBase,
    Checkpoint,
    CollectionPage,
    Pager,
    PaginationError,
    Paginator,
    RequestBuilder,
    Response,
    RestliError,
    RestliUsageError,
    RetryPolicy,
    ServerError,
    SyncRestliClientBase,
    TransportError,
)
from restli_core.testing import AsyncMockTransport, MockTransport, RestliServer

TOKEN = "AQV-paging-token-never-shown"
FAST = RetryPolicy(max_attempts=3, base_delay=0.01, jitter=False)
ACCOUNT_1 = "urn:li:sponsoredAccount:1"
ACCOUNT_2 = "urn:li:sponsoredAccount:2"


Client = SyncRestliClientBase  # the base takes its transport directly


AsyncClient = AsyncRestliClientBase


class Driver:
    """Builds a client and drains its iterators the same way, sync or async."""

    def __init__(self, is_async: bool) -> None:
        self.is_async = is_async
        self.transport: Any = None

    def client(self, handler: Callable[[Any], Response] | None = None, **options: Any) -> Any:
        options.setdefault("retry", FAST)
        if self.is_async:
            self.transport = AsyncMockTransport(handler)
            return AsyncClient(self.transport, **options)
        self.transport = MockTransport(handler)
        return Client(self.transport, **options)

    @property
    def server(self) -> RestliServer:
        server: RestliServer = self.transport.server
        return server

    def drain(self, pager: Any, stop_after: int | None = None) -> tuple[list[Any], Any]:
        """The items (at most ``stop_after``), and the error that ended the loop."""
        if not self.is_async:
            assert isinstance(pager, Pager)
            items: list[Any] = []
            try:
                for item in pager:
                    items.append(item)
                    if stop_after is not None and len(items) >= stop_after:
                        break
            except RestliError as exc:
                return items, exc
            return items, None

        async def run() -> tuple[list[Any], Any]:
            assert isinstance(pager, AsyncPager)
            items: list[Any] = []
            try:
                async for item in pager:
                    items.append(item)
                    if stop_after is not None and len(items) >= stop_after:
                        break
            except RestliError as exc:
                return items, exc
            return items, None

        return asyncio.run(run())

    def urls(self) -> list[str]:
        return [r.url for r in self.server.requests]


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def d(request: pytest.FixtureRequest) -> Driver:
    return Driver(request.param)


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def json_response(body: Any, status: int = 200) -> Response:
    return Response(status, {"Content-Type": "application/json"}, json.dumps(body).encode())


def ids(elements: list[Any]) -> list[int]:
    return [e["id"] for e in elements]


CAMPAIGN_SEARCH: dict[str, Any] = {
    "resource_path": "/adCampaigns",
    "finder_name": "search",
    "access_token": TOKEN,
}


# --------------------------------------------------------------------------- offset paging


def test_offset_paging_with_total_stops_at_total(d: Driver) -> None:
    client = d.client()
    pages, error = d.drain(
        client.iter_pages("get_all", resource_path="/adAccounts", access_token=TOKEN, page_size=10)
    )
    assert error is None
    assert [len(p.elements) for p in pages] == [10, 10, 5]
    assert [p.number for p in pages] == [0, 1, 2]
    assert [p.paging.start for p in pages] == [0, 10, 20]
    assert [p.total for p in pages] == [25, 25, 25]
    assert ids([e for p in pages for e in p.elements]) == list(range(1, 26))
    assert [p.checkpoint for p in pages] == [Checkpoint(start=s) for s in (0, 10, 20)]
    assert [p.next_start for p in pages] == [10, 20, None]
    assert pages[-1].next_checkpoint is None
    # start + count >= total ends the read: no request for an empty page.
    assert [(q["start"], q["count"]) for q in map(query, d.urls())] == [
        ("0", "10"),
        ("10", "10"),
        ("20", "10"),
    ]


def test_offset_paging_without_total_stops_at_an_empty_page_not_a_short_one(d: Driver) -> None:
    client = d.client()
    pager = client.iter_elements(
        "finder",
        resource_path="/adAccounts",
        finder_name="search",
        access_token=TOKEN,
        # The projection drops ``total`` from paging, as many LinkedIn finders do.
        query_params={"pagingFields": "start,count", "search": {"type": {"values": ["BUSINESS"]}}},
        page_size=8,
    )
    elements, error = d.drain(pager)
    assert error is None
    assert ids(elements) == [i for i in range(1, 26) if i % 5]  # 20 BUSINESS accounts
    # 8 + 8 + 4 (short) + 0 (empty: the end): the short page does not end the read.
    assert [query(u)["start"] for u in d.urls()] == ["0", "8", "16", "24"]
    assert pager.checkpoint is None


def filtering_handler(requests: list[dict[str, str]]) -> Callable[[Any], Response]:
    """30 entities; the server drops every third one after paging (as LinkedIn does
    for entities the member may not see), but answers ``total`` and ``count``."""
    items = [{"id": i} for i in range(1, 31)]

    def handler(request: Any) -> Response:
        params = query(request.url)
        requests.append(params)
        start, count = int(params.get("start", "0")), int(params.get("count", "10"))
        window = [e for e in items[start : start + count] if e["id"] % 3]
        return json_response(
            {"elements": window, "paging": {"start": start, "count": count, "total": 30}}
        )

    return handler


def test_short_pages_do_not_stop_when_total_says_more_remain(d: Driver) -> None:
    seen: list[dict[str, str]] = []
    client = d.client(filtering_handler(seen))
    pages, error = d.drain(
        client.iter_pages("get_all", resource_path="/things", access_token=TOKEN, page_size=10)
    )
    assert error is None
    assert [len(p.elements) for p in pages] == [7, 7, 6]
    assert ids([e for p in pages for e in p.elements]) == [i for i in range(1, 31) if i % 3]
    # The next start follows the server's count, not the (filtered) element count.
    assert [s["start"] for s in seen] == ["0", "10", "20"]


def test_empty_pages_inside_the_total_are_skipped_over(d: Driver) -> None:
    items = {0: [{"id": 1}], 5: [], 10: [], 15: [{"id": 16}]}

    def handler(request: Any) -> Response:
        start = int(query(request.url)["start"])
        return json_response(
            {"elements": items[start], "paging": {"start": start, "count": 5, "total": 20}}
        )

    client = d.client(handler)
    elements, error = d.drain(
        client.iter_elements("get_all", resource_path="/x", access_token=TOKEN, page_size=5)
    )
    assert error is None
    assert ids(elements) == [1, 16]


def ignoring_handler(*, echo_start: bool, total: bool) -> Callable[[Any], Response]:
    """A server that ignores ``start``: it always answers the first page."""
    items = [{"id": i} for i in range(1, 26)]

    def handler(request: Any) -> Response:
        count = int(query(request.url).get("count", "10"))
        body: dict[str, Any] = {"elements": items[:count]}
        paging: dict[str, Any] = {}
        if echo_start:
            paging.update(start=0, count=count)
        if total:
            paging["total"] = len(items)
        if paging:
            body["paging"] = paging
        return json_response(body)

    return handler


@pytest.mark.parametrize(
    ("echo_start", "total"),
    [(True, True), (True, False), (False, False), (False, True)],
    ids=["echoes-0-with-total", "echoes-0", "no-paging", "total-only"],
)
def test_a_server_ignoring_start_ends_in_pagination_error(
    d: Driver, echo_start: bool, total: bool
) -> None:
    client = d.client(ignoring_handler(echo_start=echo_start, total=total))
    pager = client.iter_elements("get_all", resource_path="/x", access_token=TOKEN, page_size=10)
    elements, error = d.drain(pager)
    # The first page is good; the second one repeats it, so the read stops there.
    assert ids(elements) == list(range(1, 11))
    assert isinstance(error, PaginationError)
    assert "ignores the start parameter" in str(error)
    assert error.checkpoint == Checkpoint(start=10)
    assert pager.checkpoint == Checkpoint(start=10)
    assert TOKEN not in str(error)
    # Nothing more is sent after the error.
    _, again = d.drain(pager)
    assert again is None
    assert len(d.transport.sleeps) == 0


def test_a_server_echoing_a_different_start_with_an_empty_page_is_the_end(d: Driver) -> None:
    def handler(request: Any) -> Response:
        start = int(query(request.url)["start"])
        if start == 0:
            return json_response({"elements": [{"id": 1}], "paging": {"start": 0, "count": 1}})
        # Past the end, this server clamps start and answers nothing.
        return json_response({"elements": [], "paging": {"start": 1, "count": 1}})

    client = d.client(handler)
    elements, error = d.drain(
        client.iter_elements("get_all", resource_path="/x", access_token=TOKEN, page_size=1)
    )
    assert (ids(elements), error) == ([1], None)


# --------------------------------------------------------------------------- cursor paging


def test_cursor_paging_follows_next_page_token(d: Driver) -> None:
    client = d.client()
    pages, error = d.drain(
        client.iter_pages(
            "finder", **CAMPAIGN_SEARCH, version_string="202406", paging="cursor", page_size=250
        )
    )
    assert error is None
    assert [len(p.elements) for p in pages] == [250, 250, 250, 250, 200]
    assert ids([e for p in pages for e in p.elements]) == list(range(1, 1201))
    sent = [query(u) for u in d.urls()]
    assert all(q["pageSize"] == "250" for q in sent)  # "the pageSize value stays the same"
    assert "pageToken" not in sent[0] and "start" not in sent[0]
    tokens = [p.metadata.get("nextPageToken") for p in pages]
    assert [q.get("pageToken") for q in sent[1:]] == tokens[:-1]
    assert tokens[-1] is None and pages[-1].next_checkpoint is None
    assert pages[1].checkpoint == Checkpoint(page_token=tokens[0])
    assert pages[0].next_page_token == tokens[0]


def test_cursor_paging_sends_the_default_page_size(d: Driver) -> None:
    client = d.client()
    elements, error = d.drain(
        client.iter_elements(
            "finder",
            **CAMPAIGN_SEARCH,
            query_params={"search": {"account": {"values": [ACCOUNT_1]}}},
            paging="cursor",
        )
    )
    assert error is None and len(elements) == 240
    assert [query(u)["pageSize"] for u in d.urls()] == ["100", "100", "100"]


def repeating_cursor_handler() -> Callable[[Any], Response]:
    def handler(request: Any) -> Response:
        token = query(request.url).get("pageToken")
        first = 1 if token is None else 3
        return json_response(
            {"elements": [{"id": first}, {"id": first + 1}], "metadata": {"nextPageToken": "T1"}}
        )

    return handler


def test_a_repeated_cursor_ends_in_pagination_error(d: Driver) -> None:
    client = d.client(repeating_cursor_handler())
    pager = client.iter_elements("get_all", resource_path="/x", access_token=TOKEN, paging="cursor")
    elements, error = d.drain(pager)
    assert ids(elements) == [1, 2]
    assert isinstance(error, PaginationError)
    assert "'T1' again" in str(error)
    assert error.checkpoint == Checkpoint(page_token="T1")
    _, again = d.drain(pager)  # the paginator stays stopped
    assert again is None


def test_a_non_string_token_is_a_pagination_error(d: Driver) -> None:
    client = d.client(lambda r: json_response({"elements": [], "metadata": {"nextPageToken": 7}}))
    _, error = d.drain(
        client.iter_pages("get_all", resource_path="/x", access_token=TOKEN, paging="cursor")
    )
    assert isinstance(error, PaginationError)
    assert "nextPageToken is a int" in str(error)


# --------------------------------------------------------------------------- limits, resuming


def test_max_items_cuts_the_last_page_and_asks_for_no_more(d: Driver) -> None:
    client = d.client()
    pager = client.iter_elements(
        "get_all", resource_path="/adAccounts", access_token=TOKEN, page_size=10, max_items=15
    )
    elements, error = d.drain(pager)
    assert (ids(elements), error) == (list(range(1, 16)), None)
    assert [query(u)["count"] for u in d.urls()] == ["10", "5"]
    assert pager.checkpoint == Checkpoint(start=15)
    rest, _ = d.drain(
        client.iter_elements(
            "get_all",
            resource_path="/adAccounts",
            access_token=TOKEN,
            page_size=10,
            resume=pager.checkpoint,
        )
    )
    assert ids(rest) == list(range(16, 26))


def test_max_pages_counts_requests(d: Driver) -> None:
    client = d.client()
    pager = client.iter_pages(
        "get_all", resource_path="/adAccounts", access_token=TOKEN, page_size=4, max_pages=2
    )
    pages, _ = d.drain(pager)
    assert len(pages) == 2 and len(d.urls()) == 2
    assert pager.checkpoint == Checkpoint(start=8) == pages[-1].next_checkpoint


def test_cursor_max_items_resumes_inside_a_page(d: Driver) -> None:
    client = d.client()
    first = client.iter_elements(
        "finder", **CAMPAIGN_SEARCH, paging="cursor", page_size=250, max_items=300
    )
    head, _ = d.drain(first)
    checkpoint = first.checkpoint
    assert checkpoint is not None and checkpoint.page_token is not None
    assert checkpoint.skip == 50
    # A checkpoint survives a trip through JSON (to resume in another process).
    restored = Checkpoint.from_dict(json.loads(json.dumps(checkpoint.to_dict())))
    assert restored == checkpoint
    tail, _ = d.drain(
        client.iter_elements(
            "finder", **CAMPAIGN_SEARCH, paging="cursor", page_size=250, resume=restored
        )
    )
    assert ids(head + tail) == list(range(1, 1201))


def test_element_checkpoint_after_breaking_out(d: Driver) -> None:
    client = d.client()
    pager = client.iter_elements(
        "get_all", resource_path="/adAccounts", access_token=TOKEN, page_size=5
    )
    head, _ = d.drain(pager, stop_after=7)
    assert ids(head) == list(range(1, 8))
    assert pager.checkpoint == Checkpoint(start=7)
    tail, _ = d.drain(pager)  # the same iterator goes on where it stopped
    assert ids(tail) == list(range(8, 26))


def test_resume_after_a_5xx_once_retries_are_spent(d: Driver) -> None:
    client = d.client(retry=RetryPolicy(max_attempts=2, base_delay=0.5, jitter=False))
    pager = client.iter_elements(
        "get_all", resource_path="/adAccounts", access_token=TOKEN, page_size=10
    )
    head, _ = d.drain(pager, stop_after=10)
    d.server.inject(503, times=2, path="/adAccounts")  # both attempts at page 2 fail
    more, error = d.drain(pager)
    assert more == []
    assert isinstance(error, ServerError) and error.status_code == 503
    assert error.checkpoint == Checkpoint(start=10) == pager.checkpoint  # type: ignore[attr-defined]
    assert d.transport.sleeps == [0.5]  # retried once per the policy, virtually
    # Resume from the checkpoint with a fresh iterator ...
    resumed, _ = d.drain(
        client.iter_elements(
            "get_all",
            resource_path="/adAccounts",
            access_token=TOKEN,
            page_size=10,
            resume=error.checkpoint,  # type: ignore[attr-defined]
        )
    )
    assert ids(head + resumed) == list(range(1, 26))
    # ... or keep iterating the old one: it sends the failed page again.
    again, error2 = d.drain(pager)
    assert error2 is None and ids(head + again) == list(range(1, 26))


def test_pages_are_retried_one_by_one(d: Driver) -> None:
    client = d.client()
    pager = client.iter_elements("get_all", resource_path="/adAccounts", access_token=TOKEN)
    d.server.inject(429, retry_after=2)
    head, _ = d.drain(pager, stop_after=10)
    d.server.inject(503)
    tail, error = d.drain(pager)
    assert error is None and ids(head + tail) == list(range(1, 26))
    # Each page is its own call: page 2's backoff starts afresh (0.01, not 0.02).
    assert d.transport.sleeps == [2.0, 0.01]
    assert len(d.urls()) == 5


def test_transport_errors_carry_the_checkpoint_too(d: Driver) -> None:
    client = d.client(retry=None)
    pager = client.iter_pages(
        "get_all", resource_path="/adAccounts", access_token=TOKEN, page_size=20
    )
    d.drain(pager, stop_after=1)
    d.server.inject(disconnect=True)
    _, error = d.drain(pager)
    assert isinstance(error, TransportError)
    assert error.checkpoint == Checkpoint(start=20)  # type: ignore[attr-defined]


def test_paging_raises_even_when_the_client_does_not(d: Driver) -> None:
    # With raise_for_status=False an error would look like an empty page and end
    # the read silently; paging raises instead.
    client = d.client(raise_for_status=False, retry=None)
    d.server.inject(500)
    _, error = d.drain(
        client.iter_elements("get_all", resource_path="/adAccounts", access_token=TOKEN)
    )
    assert isinstance(error, ServerError)


def test_an_empty_collection_is_one_empty_page(d: Driver) -> None:
    client = d.client()
    d.server.add_collection("/empty", [], key="id")
    pages, error = d.drain(client.iter_pages("get_all", resource_path="/empty", access_token=TOKEN))
    assert error is None
    assert [(p.elements, p.total, p.next_checkpoint) for p in pages] == [([], 0, None)]


def test_query_params_start_and_count_are_the_first_position(d: Driver) -> None:
    client = d.client()
    elements, _ = d.drain(
        client.iter_elements(
            "get_all",
            resource_path="/adAccounts",
            access_token=TOKEN,
            query_params={"start": 20, "count": "3", "fields": "id"},
        )
    )
    assert elements == [{"id": i} for i in range(21, 26)]
    assert [query(u)["count"] for u in d.urls()] == ["3", "3"]


def test_the_client_default_version_is_used(d: Driver) -> None:
    client = d.client(version_string="202406")
    pages, _ = d.drain(
        client.iter_pages("get_all", resource_path="/adAccounts", access_token=TOKEN)
    )
    request = d.server.requests[0]
    assert request.url.startswith("https://api.linkedin.com/rest/adAccounts?")
    assert request.headers["LinkedIn-Version"] == "202406"
    assert len(pages) == 3


# --------------------------------------------------------------------------- batch finders


def test_batch_finder_pages_each_criteria_on_its_own(d: Driver) -> None:
    client = d.client()
    criteria = [{"account": ACCOUNT_1}, {"account": ACCOUNT_2, "status": "ACTIVE"}]
    pages, error = d.drain(
        client.iter_pages(
            "batch_finder",
            **CAMPAIGN_SEARCH,
            finder_criteria=("criteria", criteria),
            page_size=100,
        )
    )
    assert error is None
    assert [(p.criteria_index, len(p.elements)) for p in pages] == [
        (0, 100),
        (1, 40),
        (0, 100),
        (0, 40),
    ]
    assert pages[1].criteria == criteria[1]
    by_criteria: dict[int, list[Any]] = {0: [], 1: []}
    for page in pages:
        assert page.criteria_index is not None
        by_criteria[page.criteria_index].extend(page.elements)
    assert {e["account"] for e in by_criteria[0]} == {ACCOUNT_1}
    assert len(set(ids(by_criteria[0]))) == 240
    assert {(e["account"], e["status"]) for e in by_criteria[1]} == {(ACCOUNT_2, "ACTIVE")}
    # A finished criteria is not asked for again.
    sent = [query(u) for u in d.urls()]
    assert [q["start"] for q in sent] == ["0", "100", "200"]
    assert ACCOUNT_2.replace(":", "%3A") in d.urls()[0]
    assert all("sponsoredAccount%3A2" not in u for u in d.urls()[1:])
    assert pages[0].checkpoint == Checkpoint(criteria_starts=((0, 0), (1, 0)))
    assert pages[0].next_checkpoint == Checkpoint(criteria_starts=((0, 100), (1, 0)))
    assert pages[1].next_checkpoint == Checkpoint(criteria_starts=((0, 100),))
    assert pages[0].next_start == 100 and pages[1].next_start is None


def test_batch_finder_resumes_criteria_at_different_starts(d: Driver) -> None:
    client = d.client()
    criteria = [{"account": ACCOUNT_1}, {"account": ACCOUNT_2, "status": "ACTIVE"}]
    elements, error = d.drain(
        client.iter_elements(
            "batch_finder",
            **CAMPAIGN_SEARCH,
            finder_criteria=("criteria", criteria),
            page_size=100,
            resume=Checkpoint(criteria_starts={0: 200, 1: 0}),
        )
    )
    assert error is None and len(elements) == 80
    assert [query(u)["start"] for u in d.urls()] == ["0", "200"]


def test_a_failed_criteria_is_a_page_with_an_error(d: Driver) -> None:
    client = d.client()
    criteria = [{"account": "urn:li:sponsoredAccount:99"}, {"account": ACCOUNT_2}]
    pages, error = d.drain(
        client.iter_pages("batch_finder", **CAMPAIGN_SEARCH, finder_criteria=("criteria", criteria))
    )
    assert error is None
    assert pages[0].is_error and pages[0].error["status"] == 404
    assert pages[0].elements == [] and pages[0].criteria_index == 0
    assert sum(len(p.elements) for p in pages if p.criteria_index == 1) == 240


def test_element_iteration_raises_for_a_failed_criteria_and_can_go_on(d: Driver) -> None:
    client = d.client()
    criteria = [{"account": ACCOUNT_2}, {"account": "urn:li:sponsoredAccount:99"}]
    pager = client.iter_elements(
        "batch_finder", **CAMPAIGN_SEARCH, finder_criteria=("criteria", criteria), page_size=200
    )
    head, error = d.drain(pager)
    assert len(head) == 200
    assert isinstance(error, PaginationError)
    assert error.criteria_index == 1 and error.error["status"] == 404
    assert error.checkpoint == Checkpoint(criteria_starts=((0, 200),))
    tail, error2 = d.drain(pager)
    assert error2 is None and len(head + tail) == 240


# --------------------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("method", "kwargs", "message"),
    [
        ("get", {}, "only 'finder', 'get_all' and 'batch_finder'"),
        ("finder", {}, "needs a finder_name"),
        ("get_all", {"finder_name": "x"}, "get_all takes no finder_name"),
        ("finder", {"finder_name": "s", "finder_criteria": ("c", [])}, "takes no finder_criteria"),
        ("batch_finder", {"finder_name": "s"}, "needs finder_criteria"),
        (
            "batch_finder",
            {"finder_name": "s", "finder_criteria": ("c", [{}]), "paging": "cursor"},
            "offset (start/count) only",
        ),
        ("get_all", {"paging": "pages"}, "paging must be 'offset' or 'cursor'"),
        ("get_all", {"page_size": 0}, "page_size must be an int >= 1"),
        ("get_all", {"max_items": -1}, "max_items must be an int >= 0"),
        ("get_all", {"max_pages": True}, "max_pages must be an int"),
        ("get_all", {"resume": {"start": 1}}, "resume must be a Checkpoint"),
        ("get_all", {"resume": Checkpoint(page_token="t")}, "resume is a cursor checkpoint"),
        (
            "get_all",
            {"paging": "cursor", "resume": Checkpoint(start=3)},
            "resume is an offset checkpoint",
        ),
        (
            "get_all",
            {"query_params": {"start": 5}, "resume": Checkpoint(start=3)},
            "not both",
        ),
        ("get_all", {"query_params": {"pageToken": "t"}}, "pass paging='cursor'"),
        ("get_all", {"query_params": {"start": 0}, "paging": "cursor"}, "offset paging parameter"),
        ("get_all", {"query_params": {"count": 5}, "page_size": 6}, "disagree"),
        ("get_all", {"query_params": {"start": "x"}}, "query_params['start'] must be an int"),
        ("get_all", {"query_params": [("a", 1)]}, "query_params must be a dict"),
        (
            "get_all",
            {"resume": Checkpoint(criteria_starts={0: 1})},
            "resume is a batch finder checkpoint",
        ),
        (
            "batch_finder",
            {
                "finder_name": "s",
                "finder_criteria": ("c", [{}]),
                "resume": Checkpoint(criteria_starts={3: 1}),
            },
            "resume names criteria 3",
        ),
        ("get_all", {"resource_path": "adAccounts"}, "must start with '/'"),
    ],
)
def test_malformed_arguments_fail_at_the_call(
    d: Driver, method: str, kwargs: dict[str, Any], message: str
) -> None:
    client = d.client()
    arguments = {"resource_path": "/adAccounts", "access_token": TOKEN, **kwargs}
    with pytest.raises(RestliUsageError, match=re.escape(message)):
        client.iter_pages(method, **arguments)
    assert d.server.requests == []


# --------------------------------------------------------------------------- parity


def test_sync_and_async_send_the_same_requests_and_get_the_same_pages() -> None:
    def scenario(driver: Driver) -> tuple[list[str], list[Any], Any]:
        client = driver.client()
        driver.server.inject(503, path="/adCampaigns")
        driver.server.inject(429, retry_after=1, path="/adCampaigns")
        pager = client.iter_pages(
            "batch_finder",
            **CAMPAIGN_SEARCH,
            finder_criteria=("criteria", [{"account": ACCOUNT_1}, {"account": ACCOUNT_2}]),
            page_size=70,
            max_items=400,
        )
        pages, error = driver.drain(pager)
        summary = [(p.number, p.criteria_index, ids(p.elements), p.next_checkpoint) for p in pages]
        return driver.urls(), summary, (error, pager.checkpoint, driver.transport.sleeps)

    sync, asynchronous = scenario(Driver(False)), scenario(Driver(True))
    assert sync == asynchronous
    # 400 items: rounds at 0, 70, 140; criteria 1 gets 50 of its third page.
    assert sync[2][1] == Checkpoint(criteria_starts=((0, 210), (1, 190)))
    assert sync[2][2] == [0.01, 1.0]


@pytest.mark.parametrize("name", ["iter_pages", "iter_elements"])
def test_sync_and_async_iterators_take_the_same_arguments(name: str) -> None:
    def parameters(cls: type) -> list[tuple[str, Any, Any]]:
        signature = inspect.signature(getattr(cls, name))
        return [(p.name, p.kind, p.default) for p in list(signature.parameters.values())[1:]]

    assert parameters(SyncRestliClientBase) == parameters(AsyncRestliClientBase)
    assert not inspect.iscoroutinefunction(getattr(AsyncRestliClientBase, name))


# --------------------------------------------------------------------------- the pure machine


def test_the_paginator_can_be_driven_by_hand() -> None:
    server = RestliServer()
    paginator = Paginator(
        RequestBuilder(),
        "get_all",
        resource_path="/adAccounts",
        access_token=TOKEN,
        page_size=20,
    )
    first = paginator.next_request()
    assert first is not None and paginator.next_request() is first  # pending until fed
    with pytest.raises(ServerError):
        paginator.feed(Response(503, {}, b""))
    assert paginator.next_request() is first  # a failed answer leaves it pending
    pages = paginator.feed(server(first))
    assert len(pages[0].elements) == 20 and paginator.checkpoint == Checkpoint(start=20)
    second = paginator.next_request()
    assert second is not None and second is not first
    paginator.feed(server(second))
    assert paginator.finished and paginator.next_request() is None
    assert paginator.pages_fetched == 2 and paginator.items == 25
    with pytest.raises(RestliUsageError, match="call next_request"):
        paginator.feed(server(second))


def test_collection_page_checkpoint_after() -> None:
    paginator = Paginator(
        RequestBuilder(), "get_all", resource_path="/adAccounts", access_token=TOKEN, page_size=10
    )
    request = paginator.next_request()
    assert request is not None
    page = paginator.feed(RestliServer()(request))[0]
    assert isinstance(page, CollectionPage)
    assert page.checkpoint_after(0) == Checkpoint(start=0)
    assert page.checkpoint_after(4) == Checkpoint(start=4)
    assert page.checkpoint_after(10) == page.next_checkpoint == Checkpoint(start=10)
    with pytest.raises(RestliUsageError, match="from 0 to 10"):
        page.checkpoint_after(11)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": -1}, "Checkpoint.start must be an int >= 0"),
        ({"skip": 1.5}, "Checkpoint.skip must be an int"),
        ({"page_token": ""}, "non-empty str"),
        ({"start": 1, "page_token": "t"}, "either offset"),
        ({"start": 1, "criteria_starts": {0: 1}}, "not both"),
        ({"criteria_starts": [(0, 1), (0, 2)]}, "repeats criteria 0"),
        ({"criteria_starts": [(0, 1, 2)]}, "is not a pair"),
        ({"criteria_starts": 5}, "must map criteria indexes"),
    ],
)
def test_malformed_checkpoints(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(RestliUsageError, match=message):
        Checkpoint(**kwargs)


def test_checkpoint_from_dict_rejects_unknown_fields() -> None:
    with pytest.raises(RestliUsageError, match="unknown checkpoint field"):
        Checkpoint.from_dict({"start": 1, "cursor": "x"})
    with pytest.raises(RestliUsageError, match="is a mapping"):
        Checkpoint.from_dict([1])  # type: ignore[arg-type]
    batch = Checkpoint(criteria_starts={1: 5, 0: 2})
    assert batch.criteria_starts == ((0, 2), (1, 5)) and batch.style == "offset"
    assert Checkpoint.from_dict(batch.to_dict()) == batch
    assert Checkpoint().style == "cursor" and Checkpoint().to_dict() == {}

"""Servers whose paging never ends: every read must stop with PaginationError, within a
bounded number of requests, and remember only small digests of what it saw."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from restli_core import PaginationError, Paginator, Request, RequestBuilder, Response
from restli_core._paginator import MAX_EMPTY_PAGES

TOKEN = "AQV-hostile-paging"
BOUND = 200  # no hostile server may keep a read going for this many requests


def _query(request: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def _answer(request: Request, body: dict[str, Any]) -> Response:
    return Response(
        200, {"Content-Type": "application/json"}, json.dumps(body).encode(), request.url
    )


def _page(
    start: int, elements: list[Any], total: int | None = None, **extra: Any
) -> dict[str, Any]:
    paging: dict[str, Any] = {"start": start, "count": 10, "links": []}
    if total is not None:
        paging["total"] = total
    return {"elements": elements, "paging": paging, **extra}


def _read(server: Callable[[Request, int], Response], **options: Any) -> tuple[int, Any, int]:
    """Drive a paginator against ``server``: (requests sent, error, elements read)."""
    options.setdefault("page_size", 10)
    paginator = Paginator(
        RequestBuilder(),
        "finder",
        resource_path="/adCampaigns",
        finder_name="search",
        access_token=TOKEN,
        **options,
    )
    sent = read = 0
    try:
        while (request := paginator.next_request()) is not None:
            assert sent < BOUND, "the read did not stop"
            sent += 1
            for page in paginator.feed(server(request, sent)):
                read += len(page.elements)
    except PaginationError as exc:
        return sent, exc, read
    return sent, None, read


def _elements(n: int, tag: str = "a") -> list[dict[str, Any]]:
    return [{"id": f"{tag}{i}"} for i in range(n)]


def test_same_page_with_start_echoed_and_total_growing() -> None:
    def server(request: Request, n: int) -> Response:
        start = int(_query(request).get("start", "0"))
        return _answer(request, _page(start, _elements(10), total=start + 100))

    sent, error, _ = _read(server)
    assert isinstance(error, PaginationError) and "same 10 element(s)" in str(error)
    assert sent == 2


def test_pages_alternating_a_b_a() -> None:
    def server(request: Request, n: int) -> Response:
        start = int(_query(request).get("start", "0"))
        return _answer(request, _page(start, _elements(10, "ab"[n % 2]), total=10**9))

    sent, error, _ = _read(server)
    assert isinstance(error, PaginationError) and sent == 3


def test_empty_pages_with_a_growing_total() -> None:
    def server(request: Request, n: int) -> Response:
        start = int(_query(request).get("start", "0"))
        return _answer(request, _page(start, [], total=start + 1000))

    sent, error, _ = _read(server)
    assert isinstance(error, PaginationError) and "empty pages in a row" in str(error)
    assert sent == MAX_EMPTY_PAGES


def test_max_items_stops_even_when_pages_are_empty() -> None:
    def server(request: Request, n: int) -> Response:
        start = int(_query(request).get("start", "0"))
        return _answer(request, _page(start, [], total=start + 1000))

    sent, error, read = _read(server, max_items=5)
    assert isinstance(error, PaginationError) and read == 0 and sent <= MAX_EMPTY_PAGES


def test_new_cursor_tokens_forever_with_the_same_page() -> None:
    def server(request: Request, n: int) -> Response:
        return _answer(request, _page(0, _elements(10), metadata={"nextPageToken": f"t{n}"}))

    sent, error, _ = _read(server, paging="cursor")
    assert isinstance(error, PaginationError) and sent == 2


def test_new_cursor_tokens_forever_with_empty_pages() -> None:
    def server(request: Request, n: int) -> Response:
        return _answer(request, _page(0, [], metadata={"nextPageToken": f"t{n}"}))

    sent, error, _ = _read(server, paging="cursor")
    assert isinstance(error, PaginationError) and sent == MAX_EMPTY_PAGES


def test_a_cursor_token_sent_again() -> None:
    def server(request: Request, n: int) -> Response:
        token = "ABC" if n % 2 else "XYZ"
        return _answer(request, _page(0, _elements(10, str(n)), metadata={"nextPageToken": token}))

    sent, error, _ = _read(server, paging="cursor")
    assert isinstance(error, PaginationError) and "again" in str(error) and sent == 3


def test_long_reads_with_real_progress_are_not_stopped() -> None:
    def server(request: Request, n: int) -> Response:
        start = int(_query(request).get("start", "0"))
        return _answer(request, _page(start, _elements(10, f"p{start}-"), total=1500))

    sent, error, read = _read(server)
    assert error is None and sent == 150 and read == 1500


@pytest.mark.parametrize("pages", [150])
def test_huge_tokens_are_remembered_as_digests(pages: int) -> None:
    # Each token is 256 KB; remembering them whole would hold pages x 256 KB.
    def server(request: Request, n: int) -> Response:
        token = f"{n:08d}" + "x" * (256 * 1024)
        if n >= pages:
            token = ""
        return _answer(request, _page(0, _elements(1, f"n{n}-"), metadata={"nextPageToken": token}))

    tracemalloc.start()
    try:
        sent, error, _ = _read(server, paging="cursor")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error is None and sent == pages
    assert peak < 20 * 1024 * 1024  # a few live pages, never all of them

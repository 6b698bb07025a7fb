"""The distant-API benchmark server does what the benchmark's figures assume.

``benchmarks/_distant_server.py`` stands in for a LinkedIn API far away: a fixed
delay before each answer (overlapping across connections), a capped body rate,
gzip only on request, and correct Rest.li finder and batch-get answers. A server
that quietly skipped a delay or serialised requests would make every client look
better or worse than it is, so these tests check each promise over a real socket.
Timing bounds are loose on purpose: the machine is shared and noisy.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

try:
    import benchmarks  # noqa: F401  (importable when pytest runs from the project root)
except ImportError:  # plain ``pytest`` from elsewhere: the project root is one level up
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._distant_server import (
    DistantServer,
    Stats,
    campaign_ids,
    choose_encoding,
    make_campaign,
)
from restli_core import RequestBuilder

HEADERS = {
    "Authorization": "Bearer test-token",
    "X-RestLi-Protocol-Version": "2.0.0",
    "LinkedIn-Version": "202411",
}
CAMPAIGNS = 250

Reply = tuple[int, dict[str, str], bytes, float]
Factory = Callable[..., DistantServer]


@pytest.fixture
def start_server() -> Iterator[Factory]:
    """Starts servers (in a thread unless asked otherwise) and stops every one of them."""
    started: list[DistantServer] = []

    def start(**options: Any) -> DistantServer:
        options.setdefault("mode", "thread")
        options.setdefault("campaigns", CAMPAIGNS)
        server = DistantServer(**options)
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.stop()


def fetch(
    server: DistantServer,
    target: str,
    *,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> Reply:
    """One exchange; returns status, headers (lower-case names), raw body and seconds."""
    conn = connection or http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        started = time.perf_counter()
        conn.request(method, target, body=body, headers=HEADERS if headers is None else headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data, elapsed
    finally:
        if connection is None:
            conn.close()


def as_json(reply: Reply) -> Any:
    _, headers, data, _ = reply
    coding = headers.get("content-encoding", "identity")
    if coding == "gzip":
        data = gzip.decompress(data)
    elif coding == "deflate":
        data = zlib.decompress(data)
    else:
        assert coding == "identity"
    return json.loads(data)


def finder_target(start: int, count: int) -> str:
    return f"/rest/adCampaigns?count={count}&q=search&start={start}"


# --------------------------------------------------------------------- timing


def test_latency_is_applied_to_each_request_and_requests_overlap(start_server: Factory) -> None:
    server = start_server(latency=0.2, rate=1e9, campaigns=20)
    status, _, _, elapsed = fetch(server, finder_target(0, 1))
    assert status == 200
    assert elapsed >= 0.18

    results: list[Reply] = []
    lock = threading.Lock()

    def one() -> None:
        reply = fetch(server, finder_target(0, 1))
        with lock:
            results.append(reply)

    threads = [threading.Thread(target=one) for _ in range(16)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    wall = time.perf_counter() - started
    assert [r[0] for r in results] == [200] * 16
    assert all(r[3] >= 0.18 for r in results)  # each one waited
    assert wall < 1.2  # one after the other would take 16 x 0.2 = 3.2 s


def test_body_rate_is_capped(start_server: Factory) -> None:
    server = start_server(latency=0.0, rate=2e6, campaigns=CAMPAIGNS)
    status, headers, data, elapsed = fetch(server, finder_target(0, 200))  # identity
    assert status == 200
    assert "content-encoding" not in headers
    assert len(data) >= 390_000  # 200 campaigns of about 2 KB
    assert elapsed >= 0.15  # at 2 MB/s, about 0.2 s
    assert elapsed < 3.0


def test_connect_latency_delays_only_the_first_answer_of_a_connection(
    start_server: Factory,
) -> None:
    server = start_server(latency=0.0, connect_latency=0.2, rate=1e9, campaigns=5)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        first = fetch(server, finder_target(0, 1), connection=conn)
        second = fetch(server, finder_target(0, 1), connection=conn)
    finally:
        conn.close()
    assert first[0] == second[0] == 200
    assert first[3] >= 0.18
    assert second[3] < first[3]
    assert server.stats().connections == 1


# --------------------------------------------------------------------- compression


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "identity"),
        ("", "identity"),
        ("identity", "identity"),
        ("gzip, deflate", "gzip"),
        ("GZIP", "gzip"),
        ("x-gzip", "gzip"),
        ("br, gzip;q=0.5", "gzip"),
        ("deflate", "deflate"),
        ("gzip;q=0, deflate", "deflate"),
        ("*", "gzip"),
        ("*;q=0", "identity"),
        ("gzip;q=0, *", "deflate"),
        ("br, zstd", "identity"),
    ],
)
def test_choose_encoding(accept: str | None, expected: str) -> None:
    assert choose_encoding(accept) == expected


def test_gzip_only_when_asked_and_every_coding_decodes_to_the_same_json(
    start_server: Factory,
) -> None:
    server = start_server(latency=0.0, rate=1e9)
    target = finder_target(10, 50)
    plain = fetch(server, target)
    assert "content-encoding" not in plain[1]
    expected = json.loads(plain[2])
    for accept, coding in [("gzip, deflate", "gzip"), ("deflate", "deflate"), ("br", None)]:
        reply = fetch(server, target, headers={**HEADERS, "Accept-Encoding": accept})
        status, headers, data, _ = reply
        assert status == 200
        assert headers.get("content-encoding") == coding
        assert int(headers["content-length"]) == len(data)
        assert as_json(reply) == expected
        if coding is not None:
            ratio = len(plain[2]) / len(data)
            assert 3 < ratio < 30  # varied data: realistic ratios, not repeated text


# --------------------------------------------------------------------- Rest.li


def test_campaigns_are_deterministic_and_shaped_like_linkedin_ones() -> None:
    first = make_campaign(7)
    assert first == make_campaign(7)
    assert first != make_campaign(8)
    assert first["id"] == campaign_ids(8)[7]
    size = len(json.dumps(first, separators=(",", ":")))
    assert 1_400 < size < 2_600
    assert first["account"].startswith("urn:li:sponsoredAccount:")
    assert first["campaignGroup"].startswith("urn:li:sponsoredCampaignGroup:")
    assert set(first["dailyBudget"]) == {"amount", "currencyCode"}
    assert first["targetingCriteria"]["include"]["and"]
    ids = campaign_ids(1_000)
    assert ids == sorted(set(ids))


def test_finder_pages_through_the_store(start_server: Factory) -> None:
    server = start_server(latency=0.0, rate=1e9)
    ids = campaign_ids(CAMPAIGNS)
    seen: list[int] = []
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:  # one keep-alive connection for every page
        for start in range(0, 300, 100):
            # An extra search parameter, as real callers send, is ignored.
            target = finder_target(start, 100) + "&search=(status:(values:List(ACTIVE)))"
            body = as_json(fetch(server, target, connection=conn))
            assert body["paging"] == {
                "start": start,
                "count": 100,
                "total": CAMPAIGNS,
                "links": [],
            }
            seen.extend(e["id"] for e in body["elements"])
    finally:
        conn.close()
    assert seen == ids
    v2 = fetch(server, "/v2/adCampaigns?q=search&start=0&count=3")
    assert [e["id"] for e in as_json(v2)["elements"]] == ids[:3]


def test_batch_get_plain_and_tunneled(start_server: Factory) -> None:
    server = start_server(latency=0.0, rate=1e9)
    all_ids = campaign_ids(CAMPAIGNS)
    wanted = [all_ids[200], all_ids[3], 1, all_ids[120]]  # 1 is no campaign

    plain = RequestBuilder(api_root=server.url).batch_get(
        resource_path="/adCampaigns", ids=wanted, access_token="t", version_string="202411"
    )
    tunneled = RequestBuilder(api_root=server.url, max_query_length=20).batch_get(
        resource_path="/adCampaigns", ids=wanted, access_token="t", version_string="202411"
    )
    assert not plain.tunneled
    assert tunneled.tunneled
    assert tunneled.method == "POST"
    assert tunneled.headers["X-HTTP-Method-Override"] == "GET"

    answers = []
    for request in (plain, tunneled):
        target = request.url[len(server.url) :]
        reply = fetch(
            server,
            target,
            method=request.method,
            body=request.body,
            headers=dict(request.headers.raw),
        )
        assert reply[0] == 200
        answers.append(as_json(reply))
    assert answers[0] == answers[1]
    body = answers[0]
    found = [i for i in wanted if i != 1]
    assert list(body["results"]) == [str(i) for i in found]  # in the order asked
    assert [body["results"][str(i)]["id"] for i in found] == found
    assert body["statuses"] == {str(i): (404 if i == 1 else 200) for i in wanted}
    assert body["errors"]["1"]["status"] == 404


def test_refusals_are_restli_errors(start_server: Factory) -> None:
    server = start_server(latency=0.0, rate=1e9)
    cases = [
        ("/rest/adCampaigns?q=search", {**HEADERS, "Authorization": ""}, 401),
        ("/rest/elsewhere?q=search", HEADERS, 404),
        ("/rest/adCampaigns?ids=List(1,", HEADERS, 400),
        ("/rest/adCampaigns?ids=List(a)", HEADERS, 400),
        ("/rest/adCampaigns?q=other", HEADERS, 400),
        ("/rest/adCampaigns?q=search", {**HEADERS, "LinkedIn-Version": ""}, 400),
    ]
    for target, headers, status in cases:
        reply = fetch(server, target, headers=headers)
        assert reply[0] == status, target
        assert reply[1]["x-restli-error-response"] == "true"
        assert as_json(reply)["status"] == status


# --------------------------------------------------------------------- counters, lifecycle


def test_counters_count_requests_and_bytes_on_the_wire(start_server: Factory) -> None:
    server = start_server(latency=0.0, rate=1e9)
    fetch(server, finder_target(0, 5))
    assert server.reset().requests == 1
    assert server.stats() == Stats(requests=0, body_bytes=0, compressed=0, connections=0)
    sizes = [
        len(fetch(server, finder_target(0, 20))[2]),
        len(fetch(server, finder_target(0, 20), headers={**HEADERS, "Accept-Encoding": "gzip"})[2]),
        len(fetch(server, "/rest/nowhere")[2]),  # errors count too
    ]
    assert sizes[1] < sizes[0]
    stats = server.stats()
    # fetch() opens a connection per request.
    assert stats == Stats(requests=3, body_bytes=sum(sizes), compressed=1, connections=3)
    assert server.stats() == stats  # reading the counters is not counted
    assert server.reset() == stats
    assert server.stats().requests == 0


def test_process_mode_serves_and_stops(start_server: Factory) -> None:
    server = start_server(mode="process", latency=0.0, rate=1e9, campaigns=10)
    reply = fetch(server, finder_target(0, 10))
    assert [e["id"] for e in as_json(reply)["elements"]] == campaign_ids(10)
    assert server.stats().requests == 1
    port = server.port
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()


def test_stop_ends_idle_keep_alive_connections(start_server: Factory) -> None:
    server = start_server(latency=0.0, rate=1e9, campaigns=5)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        assert fetch(server, finder_target(0, 1), connection=conn)[0] == 200
        started = time.perf_counter()
        server.stop()  # must not wait for the idle connection to go away
        assert time.perf_counter() - started < 5
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            fetch(server, finder_target(0, 1), connection=conn)
    finally:
        conn.close()


def test_the_benchmark_check_tells_ok_from_every_kind_of_failure() -> None:
    from benchmarks.bench_distant import check_ids

    expected = [1, 2, 3, 4]
    assert check_ids([1, 2, 3, 4], expected) == "OK"
    assert check_ids([1, 2, 3], expected) == "FAIL: 3 of 4 ids; 1 missing"
    assert check_ids([1, 2, 2, 3, 4], expected) == "FAIL: 5 of 4 ids; 1 repeated"
    assert check_ids([1, 2, 3, 4, 9], expected) == "FAIL: 5 of 4 ids; 1 unexpected"
    assert check_ids([2, 1, 3, 4], expected) == "FAIL: 4 of 4 ids; out of order from position 0"

"""The contract, end to end: every adapter against the embedded Rest.li server on a socket.

The scripted loopback server of the other contract tests checks bytes; this one
checks meaning: ``restli serve`` (a subprocess, exactly as a user starts it) decodes
what each adapter sends, runs the 14 methods over its seeded data and answers with
real Rest.li envelopes, which each adapter must turn back into typed responses.
Faults (429, 503, latency, dropped connections) are injected into the same server
code served in-process, since a subprocess cannot be told to misbehave.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ADAPTERS, Harness

from restli_cli._demo import VERSION, _steps
from restli_cli._serve import LoopbackServer
from restli_core import (
    RetryPolicy,
    ServerError,
    TransportError,
    TransportTimeout,
)
from restli_core.testing import RestliServer


class _Served:
    def __init__(self, url: str) -> None:
        self.url = url


@pytest.fixture
def restli_serve() -> Iterator[_Served]:
    """A fresh ``restli serve`` (fresh seed data) for each test, stopped after it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "restli_cli", "serve", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "serving" in line, line
        yield _Served(line.split(" on ", 1)[1].split()[0])
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=ADAPTERS)
def adapter(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _call(client: Any) -> Any:
    return lambda method, **kwargs: getattr(client, method)(**kwargs)


def test_official_examples_against_restli_serve(adapter: str, restli_serve: _Served) -> None:
    harness = Harness(adapter, restli_serve)  # type: ignore[arg-type]
    try:
        client = harness.client()
        for title, step in _steps(_call(client)):
            try:
                step()
            except Exception as exc:  # pragma: no cover - the failure report
                pytest.fail(f"{adapter}: step {title!r} failed: {type(exc).__name__}: {exc}")
    finally:
        harness.close_all()


def test_tunneled_multipart_batch_update_against_restli_serve(
    adapter: str, restli_serve: _Served
) -> None:
    harness = Harness(adapter, restli_serve)  # type: ignore[arg-type]
    try:
        client = harness.client()
        ids = list(range(1, 1201))  # ids=List(1,...,1200): a query over 4000 characters
        response = client.batch_partial_update(
            resource_path="/adCampaigns",
            ids=ids,
            patch_set_objects=[{"name": f"Renamed {i}"} for i in ids],
            access_token="token",
        )
        assert {result.status for result in response.results.values()} == {204}
        assert len(response.results) == 1200
        check = client.batch_get(resource_path="/adCampaigns", ids=[7, 1200], access_token="t")
        assert check.results[7]["name"] == "Renamed 7"
        assert check.results["1200"]["name"] == "Renamed 1200"
    finally:
        harness.close_all()


@pytest.fixture
def in_process() -> Iterator[tuple[RestliServer, _Served]]:
    server = RestliServer()
    http = LoopbackServer(server).start()
    try:
        yield server, _Served(http.url)
    finally:
        http.close()


def test_throttled_get_is_retried_after_retry_after(
    adapter: str, in_process: tuple[RestliServer, _Served]
) -> None:
    server, served = in_process
    server.inject(429, times=2, retry_after=0)
    harness = Harness(adapter, served)  # type: ignore[arg-type]
    try:
        client = harness.client(retry=RetryPolicy(max_attempts=3, base_delay=0.01))
        response = client.get(resource_path="/me", access_token="t")
        assert response.entity["id"] == "abc"
        assert len(server.requests) == 3
    finally:
        harness.close_all()


def test_create_is_not_retried_after_503(
    adapter: str, in_process: tuple[RestliServer, _Served]
) -> None:
    server, served = in_process
    server.inject(503, times=1)
    harness = Harness(adapter, served)  # type: ignore[arg-type]
    try:
        client = harness.client(retry=RetryPolicy(max_attempts=3, base_delay=0.01))
        with pytest.raises(ServerError) as info:
            client.create(
                resource_path="/adAccounts",
                entity={"name": "x", "type": "BUSINESS"},
                access_token="t",
            )
        assert info.value.status_code == 503
        assert len(server.requests) == 1
        assert len(server.collection("/adAccounts")) == 25  # nothing was created
    finally:
        harness.close_all()


def test_latency_beyond_the_read_timeout_is_a_transport_timeout(
    adapter: str, in_process: tuple[RestliServer, _Served]
) -> None:
    server, served = in_process
    server.inject(delay=1.0)
    harness = Harness(adapter, served)  # type: ignore[arg-type]
    try:
        client = harness.client(timeout=(2.0, 0.2))
        with pytest.raises(TransportTimeout):
            client.get(resource_path="/me", access_token="t")
    finally:
        harness.close_all()


def test_dropped_connection_is_a_transport_error(
    adapter: str, in_process: tuple[RestliServer, _Served]
) -> None:
    server, served = in_process
    server.inject(disconnect=True, method="create")
    harness = Harness(adapter, served)  # type: ignore[arg-type]
    try:
        client = harness.client()
        with pytest.raises(TransportError):
            client.create(
                resource_path="/adAccounts",
                entity={"name": "x", "type": "BUSINESS"},
                access_token="t",
            )
    finally:
        harness.close_all()


@pytest.mark.parametrize("name", ["httpx-async", "aiohttp"])
def test_a_thousand_concurrent_calls_on_one_async_client(
    name: str, in_process: tuple[RestliServer, _Served]
) -> None:
    # httpx queues every call in its pool, where the wait counts against the pool
    # timeout: without the transport's own limit, most of them ended in PoolTimeout.
    server, served = in_process
    harness = Harness(name, served)  # type: ignore[arg-type]
    try:
        client = harness.client().target  # the async client itself
        query = {"search": {"status": {"values": ["ACTIVE", "DRAFT"]}}, "start": 0, "count": 5}

        async def many() -> list[Any]:
            calls = [
                client.finder(
                    resource_path="/adAccounts",
                    finder_name="search",
                    query_params=query,
                    access_token="t",
                    version_string=VERSION,
                )
                for _ in range(1000)
            ]
            return await asyncio.wait_for(asyncio.gather(*calls), 60)

        started = time.monotonic()
        responses = harness.run(many())
        assert time.monotonic() - started < 30
        assert len(responses) == 1000
        assert all(r.status_code == 200 and r.paging.total is not None for r in responses)
        assert len(server.requests) == 1000
    finally:
        harness.close_all()

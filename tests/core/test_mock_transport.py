"""MockTransport / AsyncMockTransport, the flow drivers over them, and the pytest plugin."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

import restli_core
from restli_core import (
    Request,
    Response,
    RestliEncodeError,
    RestliError,
    Sleep,
    TransportError,
    TransportTimeout,
    run_async,
    run_sync,
)
from restli_core._flow import single
from restli_core.testing import AsyncMockTransport, Exchange, MockTransport, RestliServer

HEADERS = {"X-RestLi-Protocol-Version": "2.0.0", "Authorization": "Bearer tok"}
GET_ACCOUNT = Request("GET", "https://api.linkedin.com/v2/adAccounts/1?fields=id,name", HEADERS)


def retrying(request: Request, attempts: int = 5) -> Generator[Any, Any, Response]:
    """A small retry flow: on 429/5xx, wait Retry-After (or 1 s) and try again."""
    response: Response | None = None
    for _ in range(attempts):
        response = yield request
        assert response is not None
        if response.status_code != 429 and response.status_code < 500:
            return response
        yield Sleep(float(response.headers.get("Retry-After", "1")))
    assert response is not None
    return response


# --------------------------------------------------------------------------- sync


def test_default_handler_is_a_seeded_server() -> None:
    transport = MockTransport()
    assert isinstance(transport.server, RestliServer)
    response = transport.send(GET_ACCOUNT)
    assert response.status_code == 200
    assert response.json() == {"id": 1, "name": "Ad Account 1"}


def test_run_sync_with_single() -> None:
    transport = MockTransport()
    response = run_sync(single(GET_ACCOUNT), transport)
    assert response.json()["id"] == 1
    assert transport.server.requests == [GET_ACCOUNT]


def test_retry_flow_sleeps_virtually() -> None:
    transport = MockTransport()
    transport.server.inject(429, times=2, retry_after=7)
    transport.server.inject(503)
    response = run_sync(retrying(GET_ACCOUNT), transport)
    assert response.status_code == 200
    assert transport.sleeps == [7.0, 7.0, 1.0]
    assert transport.clock == 15.0
    assert len(transport.server.requests) == 4


def test_latency_advances_the_virtual_clock() -> None:
    transport = MockTransport()
    transport.server.inject(delay=2.5, times=2)
    transport.send(GET_ACCOUNT)
    transport.send(GET_ACCOUNT)
    transport.send(GET_ACCOUNT)
    assert transport.clock == 5.0
    assert transport.sleeps == []


def test_latency_beyond_the_timeout_raises_transport_timeout() -> None:
    transport = MockTransport(timeout=3.0)
    transport.server.inject(delay=10.0)
    with pytest.raises(TransportTimeout) as info:
        transport.send(GET_ACCOUNT)
    assert info.value.request_url == GET_ACCOUNT.url
    assert transport.clock == 3.0
    assert transport.send(GET_ACCOUNT).status_code == 200


def test_disconnect_raises_transport_error_into_the_flow() -> None:
    transport = MockTransport(record=True)
    transport.server.inject(disconnect=True)

    def flow() -> Generator[Any, Any, str]:
        try:
            yield GET_ACCOUNT
        except TransportError as exc:
            assert exc.sent is True
            response = yield GET_ACCOUNT
            return f"recovered {response.status_code}"
        return "no error"

    assert run_sync(flow(), transport) == "recovered 200"
    first, second = transport.exchanges
    assert first.response is None and isinstance(first.error, TransportError)
    assert second.response is not None and second.error is None


def test_record_exchanges() -> None:
    transport = MockTransport(record=True)
    response = transport.send(GET_ACCOUNT)
    assert transport.exchanges == [Exchange(GET_ACCOUNT, response)]
    quiet = MockTransport()
    quiet.send(GET_ACCOUNT)
    assert quiet.exchanges == []


def test_custom_handler() -> None:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(418, {"X-Teapot": "yes"}, b"short and stout")

    transport = MockTransport(handler)
    response = transport.send(GET_ACCOUNT)
    assert response.status_code == 418
    assert response.url == GET_ACCOUNT.url  # filled in when the handler leaves it empty
    assert seen == [GET_ACCOUNT]
    with pytest.raises(RestliError):
        _ = transport.server


def test_handler_raising_transport_error_propagates() -> None:
    refused = TransportError("refused", sent=False)

    def handler(request: Request) -> Response:
        raise refused

    transport = MockTransport(handler, record=True)
    with pytest.raises(TransportError):
        transport.send(GET_ACCOUNT)
    assert transport.exchanges == [Exchange(GET_ACCOUNT, None, refused)]


def test_timeout_pair_uses_the_read_timeout() -> None:
    transport = MockTransport(timeout=(1.0, 4.0))
    transport.server.inject(delay=3.0)
    transport.server.inject(delay=5.0)
    assert transport.send(GET_ACCOUNT).ok
    with pytest.raises(TransportTimeout):
        transport.send(GET_ACCOUNT)
    assert transport.clock == 7.0


def test_handler_returning_garbage_is_a_clear_error() -> None:
    transport = MockTransport(lambda request: "not a response")  # type: ignore[arg-type,return-value]
    with pytest.raises(RestliError, match="not a restli_core.Response"):
        transport.send(GET_ACCOUNT)


def test_sleep_validation_and_real_sleep() -> None:
    transport = MockTransport()
    with pytest.raises(RestliEncodeError):
        transport.sleep(-1)
    with pytest.raises(RestliEncodeError):
        transport.sleep(float("nan"))
    real = MockTransport(real_sleep=True)
    real.sleep(0.001)
    real.server.inject(delay=0.001)
    assert real.send(GET_ACCOUNT).status_code == 200
    assert real.sleeps == [0.001]


def test_context_manager() -> None:
    with MockTransport() as transport:
        assert transport.send(GET_ACCOUNT).ok


def test_satisfies_the_transport_protocols() -> None:
    sync_transport: restli_core.SyncTransport = MockTransport()
    async_transport: restli_core.AsyncTransport = AsyncMockTransport()
    assert callable(sync_transport.send) and callable(async_transport.send)


# --------------------------------------------------------------------------- async


async def test_run_async_with_single() -> None:
    transport = AsyncMockTransport()
    response = await run_async(single(GET_ACCOUNT), transport)
    assert response.json() == {"id": 1, "name": "Ad Account 1"}


async def test_async_retry_flow_sleeps_virtually() -> None:
    transport = AsyncMockTransport(record=True)
    transport.server.inject(429, retry_after=2)
    transport.server.inject(delay=4.0)
    response = await run_async(retrying(GET_ACCOUNT), transport)
    assert response.status_code == 200
    assert transport.sleeps == [2.0]
    assert transport.clock == 6.0
    assert [e.response.status_code for e in transport.exchanges if e.response] == [429, 200]


async def test_async_handler_may_be_a_coroutine() -> None:
    async def handler(request: Request) -> Response:
        return Response(200, {}, b"{}")

    transport = AsyncMockTransport(handler)
    assert (await transport.send(GET_ACCOUNT)).json() == {}


async def test_async_timeout_and_real_sleep() -> None:
    transport = AsyncMockTransport(timeout=1.0, real_sleep=True)
    transport.server.inject(delay=0.001)
    assert (await transport.send(GET_ACCOUNT)).ok
    await transport.sleep(0.001)
    virtual = AsyncMockTransport(timeout=1.0)
    virtual.server.inject(delay=5)
    with pytest.raises(TransportTimeout):
        await virtual.send(GET_ACCOUNT)
    async with AsyncMockTransport() as closing:
        assert (await closing.send(GET_ACCOUNT)).ok


# --------------------------------------------------------------------------- through RequestBuilder


def test_builder_requests_through_the_transport() -> None:
    builder = restli_core.RequestBuilder()
    transport = MockTransport()
    request = builder.finder(
        resource_path="/adAccounts",
        finder_name="search",
        query_params={
            "search": {
                "status": {"values": ["ACTIVE", "DRAFT"]},
                "reference": {"values": ["urn:li:organization:123"]},
                "test": True,
            }
        },
        access_token="tok",
        version_string="202401",
    )
    response = run_sync(single(request), transport)
    assert response.status_code == 200
    assert response.json()["paging"]["total"] >= 1


# --------------------------------------------------------------------------- pytest plugin


def test_plugin_fixtures_share_one_server(
    restli_server: RestliServer,
    restli_transport: MockTransport,
    restli_async_transport: AsyncMockTransport,
) -> None:
    assert restli_transport.server is restli_server
    assert restli_async_transport.server is restli_server
    restli_transport.send(GET_ACCOUNT)
    assert restli_server.requests == [GET_ACCOUNT]
    assert restli_transport.exchanges[0].request == GET_ACCOUNT


def test_plugin_server_is_fresh_per_test(restli_server: RestliServer) -> None:
    # No other test's changes (deletes, faults, requests) leak into this one.
    assert restli_server.requests == []
    assert restli_server.faults == []
    assert len(restli_server.collection("/adAccounts")) == 25


# --------------------------------------------------------------------------- purity


def _loaded_after(code: str, modules: tuple[str, ...]) -> str:
    probe = f"import sys\n{code}\nprint(','.join(m for m in {modules!r} if m in sys.modules))"
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_using_the_testing_package_loads_no_io_module() -> None:
    code = "from restli_core.testing import MockTransport\nMockTransport().send"
    assert _loaded_after(code, ("asyncio", "socket", "ssl", "http.client")) == ""


def test_importing_the_plugin_does_not_load_the_server() -> None:
    code = "import restli_core.testing.pytest_plugin"
    assert _loaded_after(code, ("restli_core.testing._server", "restli_core.testing._seed")) == ""


def test_testing_package_never_imports_asyncio() -> None:
    package = Path(restli_core.__file__).parent / "testing"
    for source in package.glob("*.py"):
        text = source.read_text()
        assert "import asyncio" not in text, source
        assert "from asyncio" not in text, source

"""Fixtures of the transport contract suite: a loopback server and one harness per adapter.

Every test that takes ``h`` runs once per adapter (requests, httpx, httpx async,
urllib3, aiohttp). The harness hides sync/async: an async client is wrapped so that
its coroutine methods run to completion on the harness's own event loop, so the
contract is written once.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from _loopback import LoopbackServer

from restli_core import Request, Response

T = TypeVar("T")

ADAPTERS = ["requests", "httpx", "httpx-async", "urllib3", "aiohttp"]


# adapter -> (package, RestliClient class, AuthClient class, transport class)
_NAMES = {
    "requests": ("restli_requests", "RestliClient", "AuthClient", "RequestsTransport"),
    "httpx": ("restli_httpx", "RestliClient", "AuthClient", "HttpxTransport"),
    "httpx-async": ("restli_httpx", "AsyncRestliClient", "AsyncAuthClient", "AsyncHttpxTransport"),
    "urllib3": ("restli_urllib3", "RestliClient", "AuthClient", "Urllib3Transport"),
    "aiohttp": ("restli_aiohttp", "AsyncRestliClient", "AsyncAuthClient", "AiohttpTransport"),
}


def _classes(name: str) -> tuple[Any, Any, Any]:
    """(RestliClient class, AuthClient class, transport class) of an adapter."""
    package, *classes = _NAMES[name]
    module = importlib.import_module(package)
    restli, auth, transport = (getattr(module, c) for c in classes)
    return restli, auth, transport


class Blocking:
    """Runs an async object's coroutine methods to completion on ``loop``."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self.target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.target, name)
        if inspect.iscoroutinefunction(attr):

            def call(*args: Any, **kwargs: Any) -> Any:
                return self._loop.run_until_complete(attr(*args, **kwargs))

            return call
        return attr


class Harness:
    """Builds clients and transports of one adapter, pointed at the loopback server."""

    def __init__(self, name: str, server: LoopbackServer) -> None:
        self.name = name
        self.server = server
        self.is_async = name in ("httpx-async", "aiohttp")
        self.restli_cls, self.auth_cls, self.transport_cls = _classes(name)
        self.loop = asyncio.new_event_loop() if self.is_async else None
        self._opened: list[Any] = []

    # The user's own session/client object, as each adapter names it.
    @property
    def session_kw(self) -> str:
        return {"requests": "session", "urllib3": "pool", "aiohttp": "session"}.get(
            self.name, "client"
        )

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        assert self.loop is not None
        return self.loop.run_until_complete(coro)

    def _wrap(self, obj: Any) -> Any:
        return Blocking(obj, self.loop) if self.loop is not None else obj

    def client(self, **options: Any) -> Any:
        """A Rest.li client; retries are off unless ``retry`` is given."""
        options.setdefault("base_url", f"{self.server.url}/v2")
        options.setdefault("versioned_base_url", f"{self.server.url}/rest")
        options.setdefault("retry", None)
        client = self.restli_cls(**options)
        self._opened.append(client)
        return self._wrap(client)

    def auth_client(self, *args: Any, **options: Any) -> Any:
        options.setdefault("oauth_base_url", f"{self.server.url}/oauth/v2")
        options.setdefault("retry", None)
        client = self.auth_cls(*args, **options)
        self._opened.append(client)
        return self._wrap(client)

    def transport(self, **options: Any) -> Any:
        transport = self.transport_cls(**{"timeout": 5.0, **options})
        self._opened.append(transport)
        return self._wrap(transport)

    def send(self, transport: Any, request: Request) -> Response:
        response: Response = transport.send(request)
        return response

    def close_all(self) -> None:
        for obj in reversed(self._opened):
            if self.loop is not None:
                self.loop.run_until_complete(obj.aclose())
            else:
                obj.close()
        if self.loop is not None:
            # Let aiohttp/httpx finish closing their transports before the loop goes.
            self.loop.run_until_complete(asyncio.sleep(0.01))
            self.loop.close()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(params=ADAPTERS)
def h(request: pytest.FixtureRequest, server: LoopbackServer) -> Iterator[Harness]:
    harness = Harness(request.param, server)
    try:
        yield harness
    finally:
        harness.close_all()


@pytest.fixture
def make_harness(server: LoopbackServer) -> Iterator[Callable[[str], Harness]]:
    made: list[Harness] = []

    def make(name: str) -> Harness:
        harness = Harness(name, server)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close_all()

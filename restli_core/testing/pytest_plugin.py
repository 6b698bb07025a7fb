"""pytest fixtures for testing code that uses restli-client (registered as a plugin).

Installing restli-client makes these fixtures available in every test suite:

* ``restli_server``: a fresh :class:`~restli_core.testing.RestliServer` with the
  seed data, one per test;
* ``restli_transport``: a :class:`~restli_core.testing.MockTransport` over that
  server (virtual sleeping, exchanges recorded);
* ``restli_async_transport``: an :class:`~restli_core.testing.AsyncMockTransport`
  over the same server;
* ``restli_client`` / ``restli_async_client``: a
  :class:`~restli_core.testing.MockRestliClient` (or its async twin) over the
  transport: the official client's 14 methods, answered in-process.

Example::

    def test_retries_when_throttled(restli_server, restli_client, restli_transport):
        restli_server.inject(429, retry_after=2)
        response = restli_client.get(resource_path="/me", access_token="t")
        assert response.entity["id"] == "abc"
        assert restli_transport.sleeps == [2.0]

This module is imported by pytest at start-up in every project that has the
library installed, so it imports nothing heavy: the server is loaded when a
fixture is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from restli_core.testing import (
        AsyncMockRestliClient,
        AsyncMockTransport,
        MockRestliClient,
        MockTransport,
        RestliServer,
    )

__all__ = [
    "restli_async_client",
    "restli_async_transport",
    "restli_client",
    "restli_server",
    "restli_transport",
]


@pytest.fixture
def restli_server() -> RestliServer:
    """A fresh in-memory Rest.li server holding the seed data."""
    from restli_core.testing import RestliServer

    return RestliServer()


@pytest.fixture
def restli_transport(restli_server: RestliServer) -> MockTransport:
    """A synchronous mock transport over ``restli_server`` (records exchanges)."""
    from restli_core.testing import MockTransport

    return MockTransport(restli_server, record=True)


@pytest.fixture
def restli_async_transport(restli_server: RestliServer) -> AsyncMockTransport:
    """An asynchronous mock transport over ``restli_server`` (records exchanges)."""
    from restli_core.testing import AsyncMockTransport

    return AsyncMockTransport(restli_server, record=True)


@pytest.fixture
def restli_client(restli_transport: MockTransport) -> MockRestliClient:
    """A Rest.li client (the 14 methods) answered by ``restli_server`` in-process."""
    from restli_core.testing import MockRestliClient

    return MockRestliClient(transport=restli_transport)


@pytest.fixture
def restli_async_client(restli_async_transport: AsyncMockTransport) -> AsyncMockRestliClient:
    """The asynchronous twin of ``restli_client``."""
    from restli_core.testing import AsyncMockRestliClient

    return AsyncMockRestliClient(transport=restli_async_transport)

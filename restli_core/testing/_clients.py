"""Ready clients over the mock transports, for tests that need no HTTP library."""

from __future__ import annotations

from typing import Any

from .._client import AsyncRestliClientBase, SyncRestliClientBase
from ._server import RestliServer
from ._transport import AsyncMockTransport, Handler, MockTransport


class MockRestliClient(SyncRestliClientBase):
    """A ``RestliClient`` whose requests are answered in-process.

    It has every method (and option) of the adapters' clients; requests go to
    ``handler`` (default: a fresh, seeded :class:`RestliServer`) through a
    :class:`MockTransport`, so retries sleep virtually and nothing touches a socket::

        client = MockRestliClient()
        client.server.inject(429, retry_after=1)
        assert client.get(resource_path="/me", access_token="t").entity["id"] == "abc"
        assert client.transport.sleeps == [1.0]

    Args:
        handler: any ``Request -> Response`` callable, or a :class:`RestliServer`.
        transport: a :class:`MockTransport` of your own (instead of ``handler``).
        **options: the client keywords (``retry``, ``raise_for_status``,
            ``version_string``, ``base_url``, ...).
    """

    def __init__(
        self,
        handler: Handler | None = None,
        *,
        transport: MockTransport | None = None,
        **options: Any,
    ) -> None:
        super().__init__(
            transport if transport is not None else MockTransport(handler, record=True), **options
        )
        self.transport: MockTransport

    @property
    def server(self) -> RestliServer:
        """The :class:`RestliServer` behind the transport."""
        return self.transport.server


class AsyncMockRestliClient(AsyncRestliClientBase):
    """The asynchronous twin of :class:`MockRestliClient` (awaitable methods)."""

    def __init__(
        self,
        handler: Handler | None = None,
        *,
        transport: AsyncMockTransport | None = None,
        **options: Any,
    ) -> None:
        super().__init__(
            transport if transport is not None else AsyncMockTransport(handler, record=True),
            **options,
        )
        self.transport: AsyncMockTransport

    @property
    def server(self) -> RestliServer:
        """The :class:`RestliServer` behind the transport."""
        return self.transport.server

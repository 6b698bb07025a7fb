"""Drive an async client from the synchronous CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


class SyncOverAsync:
    """The aiohttp client, called from plain code through its own event loop."""

    def __init__(self, options: dict[str, Any]) -> None:
        from restli_aiohttp import AsyncRestliClient

        self._loop = asyncio.new_event_loop()
        self._client = AsyncRestliClient(**options)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        def call(**kwargs: Any) -> Any:
            return self._loop.run_until_complete(method(**kwargs))

        return call

    def close(self) -> None:
        try:
            self._loop.run_until_complete(self._client.aclose())
        finally:
            self._loop.close()

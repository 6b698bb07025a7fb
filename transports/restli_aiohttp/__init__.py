"""restli_aiohttp: async LinkedIn Rest.li clients over `aiohttp <https://docs.aiohttp.org>`_.

The official client's methods, awaitable::

    from restli_aiohttp import AsyncRestliClient

    async with AsyncRestliClient() as client:
        response = await client.get(resource_path="/me", access_token=TOKEN)

Needs the ``aiohttp`` extra: ``pip install "restli-client[aiohttp]"``.
"""

from __future__ import annotations

from ._aiohttp import AiohttpTransport, AsyncAuthClient, AsyncRestliClient

__all__ = ["AiohttpTransport", "AsyncAuthClient", "AsyncRestliClient"]

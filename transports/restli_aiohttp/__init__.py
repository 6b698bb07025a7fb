"""restli_aiohttp: async LinkedIn Rest.li clients over `aiohttp <https://docs.aiohttp.org>`_.

The official client's methods, awaitable::

    from restli_aiohttp import AsyncRestliClient

    async with AsyncRestliClient() as client:
        response = await client.get(resource_path="/me", access_token=TOKEN)

With a ``ClientSession`` of your own, give it the ``send_once`` middleware, so that
aiohttp does not send a request a second time on its own::

    session = aiohttp.ClientSession(middlewares=[send_once])

Needs the ``aiohttp`` extra: ``pip install "restli-client[aiohttp]"``.
"""

from __future__ import annotations

from ._aiohttp import AiohttpTransport, AsyncAuthClient, AsyncRestliClient, send_once

__all__ = ["AiohttpTransport", "AsyncAuthClient", "AsyncRestliClient", "send_once"]

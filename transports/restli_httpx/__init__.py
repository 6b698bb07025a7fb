"""restli_httpx: LinkedIn Rest.li clients over `httpx <https://www.python-httpx.org>`_.

Sync (``RestliClient``, ``AuthClient``) and async (``AsyncRestliClient``,
``AsyncAuthClient``) clients with the official client's methods::

    from restli_httpx import AsyncRestliClient

    async with AsyncRestliClient() as client:
        response = await client.get(resource_path="/me", access_token=TOKEN)

Needs the ``httpx`` extra: ``pip install "restli-client[httpx]"``.
"""

from __future__ import annotations

from ._httpx import (
    AsyncAuthClient,
    AsyncHttpxTransport,
    AsyncRestliClient,
    AuthClient,
    HttpxTransport,
    RestliClient,
)

__all__ = [
    "AsyncAuthClient",
    "AsyncHttpxTransport",
    "AsyncRestliClient",
    "AuthClient",
    "HttpxTransport",
    "RestliClient",
]

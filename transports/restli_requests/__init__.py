"""restli_requests: LinkedIn Rest.li clients over `requests <https://requests.readthedocs.io>`_.

Drop-in for the official client: only the import line changes::

    from restli_requests import RestliClient

    client = RestliClient()
    response = client.get(resource_path="/me", access_token=TOKEN)

Needs the ``requests`` extra: ``pip install "restli-client[requests]"``.
"""

from __future__ import annotations

from ._requests import AuthClient, RequestsTransport, RestliClient

__all__ = ["AuthClient", "RequestsTransport", "RestliClient"]

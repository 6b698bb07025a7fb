"""restli_urllib3: LinkedIn Rest.li clients over `urllib3 <https://urllib3.readthedocs.io>`_.

Drop-in for the official client: only the import line changes::

    from restli_urllib3 import RestliClient

    client = RestliClient()
    response = client.get(resource_path="/me", access_token=TOKEN)

Needs the ``urllib3`` extra: ``pip install "restli-client[urllib3]"``.
"""

from __future__ import annotations

from ._urllib3 import AuthClient, RestliClient, Urllib3Transport

__all__ = ["AuthClient", "RestliClient", "Urllib3Transport"]

"""Suite "build": turning a method call into a ready-to-send request.

Ours: ``RequestBuilder.<method>(...)`` returns a :class:`restli_core.Request`.
Reference: what the official client's ``RestliClient.<method>`` does before it sends,
using its own functions (query encoding, ``build_rest_url``, the tunneling check and
``requests.Request(...).prepare()``); the send itself is left out of both.

The builder remembers nothing between calls (a call to LinkedIn takes 50-300 ms; a
request costs microseconds to build), so every row times the whole work. The "next
page" row changes ``start`` on every call, as paging does.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

from restli_core import RequestBuilder

from ._harness import Comparison

TOKEN = "AQXtoken-for-benchmarks_only"
VERSION = "202212"

# The README's "finder" example: searching ad accounts.
SEARCH_PARAMS: dict[str, Any] = {
    "search": {
        "status": {"values": ["ACTIVE", "DRAFT", "CANCELED"]},
        "reference": {"values": ["urn:li:organization:123"]},
        "test": False,
    },
    "start": 0,
    "count": 5,
}
BATCH_IDS = [123, 456, 789]
ENTITY = {"name": "Test Ad Account", "type": "BUSINESS", "test": True}


def comparisons() -> list[Comparison]:
    from linkedin_api.clients.restli.utils import api as off_api
    from linkedin_api.clients.restli.utils import encoder as off_encoder
    from linkedin_api.clients.restli.utils.query_tunneling import (
        maybe_apply_query_tunneling_get_requests,
        maybe_apply_query_tunneling_requests_with_body,
    )
    from linkedin_api.clients.restli.utils.restli import encode_query_params_for_get_requests
    from linkedin_api.common.constants import RESTLI_METHODS

    builder = RequestBuilder()

    def ours_finder() -> object:
        return builder.finder(
            resource_path="/adAccounts",
            finder_name="search",
            query_params=SEARCH_PARAMS,
            access_token=TOKEN,
            version_string=VERSION,
        )

    def official_finder() -> object:
        # RestliClient.finder up to the prepared request
        params = copy.deepcopy(SEARCH_PARAMS)
        params.update({"q": "search"})
        query = encode_query_params_for_get_requests(params)
        url = off_api.build_rest_url(
            resource_path="/adAccounts", path_keys=None, version_string=VERSION
        )
        return maybe_apply_query_tunneling_get_requests(
            encoded_query_param_string=query,
            url=url,
            original_restli_method=RESTLI_METHODS.FINDER,
            access_token=TOKEN,
            version_string=VERSION,
        )

    pages = itertools.count()

    def ours_next_page() -> object:
        return builder.finder(
            resource_path="/adAccounts",
            finder_name="search",
            query_params={**SEARCH_PARAMS, "start": next(pages)},
            access_token=TOKEN,
            version_string=VERSION,
        )

    def official_next_page() -> object:
        params = copy.deepcopy({**SEARCH_PARAMS, "start": next(pages)})
        params.update({"q": "search"})
        query = encode_query_params_for_get_requests(params)
        url = off_api.build_rest_url(
            resource_path="/adAccounts", path_keys=None, version_string=VERSION
        )
        return maybe_apply_query_tunneling_get_requests(
            encoded_query_param_string=query,
            url=url,
            original_restli_method=RESTLI_METHODS.FINDER,
            access_token=TOKEN,
            version_string=VERSION,
        )

    def ours_batch_get() -> object:
        return builder.batch_get(
            resource_path="/adCampaignGroups",
            ids=BATCH_IDS,
            access_token=TOKEN,
            version_string=VERSION,
        )

    def official_batch_get() -> object:
        params: dict[str, Any] = {}
        params.update({"ids": BATCH_IDS})
        query = encode_query_params_for_get_requests(params)
        url = off_api.build_rest_url(
            resource_path="/adCampaignGroups", path_keys=None, version_string=VERSION
        )
        return maybe_apply_query_tunneling_get_requests(
            encoded_query_param_string=query,
            url=url,
            original_restli_method=RESTLI_METHODS.BATCH_GET,
            access_token=TOKEN,
            version_string=VERSION,
        )

    def ours_create() -> object:
        return builder.create(
            resource_path="/adAccounts",
            entity=ENTITY,
            access_token=TOKEN,
            version_string=VERSION,
        )

    def official_create() -> object:
        query = off_encoder.param_encode(None)
        url = off_api.build_rest_url(
            resource_path="/adAccounts", path_keys=None, version_string=VERSION
        )
        return maybe_apply_query_tunneling_requests_with_body(
            encoded_query_param_string=query,
            url=url,
            original_restli_method=RESTLI_METHODS.CREATE,
            original_request_body=ENTITY,
            access_token=TOKEN,
            version_string=VERSION,
        )

    # Both sides must build the same request for the comparison to be fair.
    for ours, official in (
        (ours_finder, official_finder),
        (ours_batch_get, official_batch_get),
        (ours_create, official_create),
    ):
        assert getattr(ours(), "url", None) == getattr(official(), "url", None)

    return [
        Comparison(
            suite="build",
            task="finder request (README adAccounts search)",
            ours=ours_finder,
            reference=official_finder,
            target=3.0,
        ),
        Comparison(
            suite="build",
            task="finder request, next page (new start)",
            ours=ours_next_page,
            reference=official_next_page,
            target=3.0,
        ),
        Comparison(
            suite="build",
            task="batch_get request (3 ids)",
            ours=ours_batch_get,
            reference=official_batch_get,
        ),
        Comparison(
            suite="build",
            task="create request (JSON body)",
            ours=ours_create,
            reference=official_create,
        ),
    ]

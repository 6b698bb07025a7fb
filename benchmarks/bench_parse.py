"""Parse suite: typed responses cost (almost) nothing beyond ``json.loads``.

The workload is one FINDER page of 1000 ``adCampaigns`` entities (about 180 KB of
JSON, as LinkedIn sends it: paging with links, cursor metadata). ``parse_response``
must stay within 1.15x of a bare ``json.loads`` of the same bytes: it decodes once
and hands the element list over without copying or walking it. The official
client's formatter, given an equivalent ``requests.Response``, is shown for context.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from linkedin_api.clients.restli.response_formatter import CollectionResponseFormatter
from requests.structures import CaseInsensitiveDict

from restli_core import CollectionResponse, Request, Response, RestliMethod, parse_response

from ._harness import Comparison

URL = (
    "https://api.linkedin.com/rest/adAccounts/507404993/adCampaigns"
    "?q=search&search=(status:(values:List(ACTIVE,PAUSED)))&pageSize=1000"
)
HEADERS = {
    "Content-Type": "application/json",
    "x-li-uuid": "AAYbVt2B4Ls6z0yHh8lS7g==",
    "X-RestLi-Protocol-Version": "2.0.0",
}


def campaign(i: int) -> dict[str, Any]:
    """One campaign entity, shaped like LinkedIn's (about 180 bytes of JSON)."""
    return {
        "account": "urn:li:sponsoredAccount:507404993",
        "costType": "CPM",
        "dailyBudget": {"amount": f"{50 + i % 200}.00", "currencyCode": "USD"},
        "id": 180000000 + i,
        "name": f"Q3 launch campaign {i}",
        "status": "ACTIVE" if i % 7 else "PAUSED",
    }


PAGE = {
    "elements": [campaign(i) for i in range(1000)],
    "paging": {"count": 1000, "links": [], "start": 0},
    "metadata": {"nextPageToken": "DgGcyNfZtTh3zxCBAT1lOAgvA8B6hOzwJfRTZhuhvkE"},
}
BODY = json.dumps(PAGE, separators=(",", ":")).encode()

REQUEST = Request(
    "GET",
    URL,
    {"Authorization": "Bearer token", "X-RestLi-Method": "finder", "LinkedIn-Version": "202406"},
    None,
    RestliMethod.FINDER,
    False,
)
RESPONSE = Response(200, HEADERS, BODY, URL)


def _official_response() -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = BODY
    response.headers = CaseInsensitiveDict(HEADERS)
    response.url = URL
    response.encoding = "utf-8"  # as requests sets it from the JSON content type
    return response


OFFICIAL_RESPONSE = _official_response()


def _check_same_work() -> None:
    # Both sides must produce the same elements from the same bytes.
    ours = parse_response(REQUEST, RESPONSE)
    assert isinstance(ours, CollectionResponse)
    assert ours.elements == PAGE["elements"]
    assert ours.metadata == PAGE["metadata"]
    assert json.loads(BODY)["elements"] == ours.elements
    official = CollectionResponseFormatter.format_response(OFFICIAL_RESPONSE)
    assert official.elements == ours.elements


def comparisons() -> list[Comparison]:
    _check_same_work()
    size = f"{len(BODY) / 1000:.0f} KB"
    return [
        Comparison(
            "parse",
            f"parse_response: FINDER page, 1000 campaigns ({size})",
            lambda: parse_response(REQUEST, RESPONSE),
            lambda: json.loads(BODY),
            reference_label="json.loads",
            max_ratio=1.15,
            notes="one json.loads; elements handed over as decoded (no copy, no walk)",
        ),
        Comparison(
            "parse",
            f"parse_response vs official formatter ({size})",
            lambda: parse_response(REQUEST, RESPONSE),
            lambda: CollectionResponseFormatter.format_response(OFFICIAL_RESPONSE),
            notes="the official client drops metadata and never checks the status",
        ),
    ]

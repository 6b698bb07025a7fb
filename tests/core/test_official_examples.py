"""Every example of the official client's README builds the request it should.

The ``official_url`` / ``official_body`` values are what ``linkedin-api-client`` 0.3.0
actually sends for the same call (recorded from it, not imported here: the library
and its tests do not depend on it). Where it is right we send exactly that; where
PROTOCOL.md §8 (or §4) says it is wrong, the test says so and asserts our form.

Differences that hold for every example, by design (PROTOCOL.md §4):
- ``X-RestLi-Method`` is the lowercase wire name (``finder``), not ``FINDER``;
- ``Content-Type: application/json`` is sent only with a body;
- bodies are compact JSON (``{"a":1}``), not ``json.dumps`` default spacing;
- ``User-Agent`` is ``restli-client/<version>``; no ``Connection: Keep-Alive``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from restli_core import Request, RequestBuilder, RestliMethod, __version__

MY_ACCESS_TOKEN = "MY_ACCESS_TOKEN"
V2 = "https://api.linkedin.com/v2"
REST = "https://api.linkedin.com/rest"

restli_client = RequestBuilder()


# (README section, method, kwargs, official URL, our URL, verb, JSON body or None)
EXAMPLES: list[tuple[str, str, dict[str, Any], str, str, str, Any]] = [
    (
        "Simple API Request Example",
        "get",
        {"resource_path": "/me"},
        f"{V2}/me",
        f"{V2}/me",
        "GET",
        None,
    ),
    (
        "Finder Request Example",
        "finder",
        {
            "resource_path": "/adAccounts",
            "finder_name": "search",
            "query_params": {
                "search": {
                    "status": {"values": ["ACTIVE", "DRAFT"]},
                    "reference": {"values": ["urn:li:organization:123"]},
                    "test": True,
                }
            },
            "version_string": "202212",
        },
        f"{REST}/adAccounts?q=search&search=(reference:(values:List(urn%3Ali%3Aorganization%3A123)),"
        "status:(values:List(ACTIVE,DRAFT)),test:true)",
        f"{REST}/adAccounts?q=search&search=(reference:(values:List(urn%3Ali%3Aorganization%3A123)),"
        "status:(values:List(ACTIVE,DRAFT)),test:true)",
        "GET",
        None,
    ),
    (
        "get",
        "get",
        {
            "resource_path": "/adAccounts/{id}",
            "path_keys": {"id": 123},
            "query_params": {"fields": "id,name"},
            "version_string": "202212",
        },
        # The official client glues the projection on after an empty query: "?&fields=".
        f"{REST}/adAccounts/123?&fields=id,name",
        f"{REST}/adAccounts/123?fields=id,name",
        "GET",
        None,
    ),
    (
        "batch_get",
        "batch_get",
        {"resource_path": "/adCampaignGroups", "ids": [123, 456, 789], "version_string": "202212"},
        f"{REST}/adCampaignGroups?ids=List(123,456,789)",
        f"{REST}/adCampaignGroups?ids=List(123,456,789)",
        "GET",
        None,
    ),
    (
        "get_all",
        "get_all",
        {
            "resource_path": "/fieldsOfStudy",
            "query_params": {"start": 0, "count": 15},
            "version_string": "202212",
        },
        f"{REST}/fieldsOfStudy?count=15&start=0",
        f"{REST}/fieldsOfStudy?count=15&start=0",
        "GET",
        None,
    ),
    (
        "finder",
        "finder",
        {
            "resource_path": "/adAccounts",
            "finder_name": "search",
            "query_params": {
                "search": {
                    "status": {"values": ["ACTIVE", "DRAFT", "CANCELED"]},
                    "reference": {"values": ["urn:li:organization:123"]},
                    "test": False,
                },
                "start": 0,
                "count": 5,
            },
            "version_string": "202212",
        },
        f"{REST}/adAccounts?count=5&q=search&search=(reference:(values:List(urn%3Ali%3A"
        "organization%3A123)),status:(values:List(ACTIVE,DRAFT,CANCELED)),test:false)&start=0",
        f"{REST}/adAccounts?count=5&q=search&search=(reference:(values:List(urn%3Ali%3A"
        "organization%3A123)),status:(values:List(ACTIVE,DRAFT,CANCELED)),test:false)&start=0",
        "GET",
        None,
    ),
    (
        "batch_finder",
        "batch_finder",
        {
            "resource_path": "/organizationAuthorizations",
            "finder_name": "authorizationActionsAndImpersonator",
            "finder_criteria": (
                "authorizationActions",
                [
                    {"OrganizationRoleAuthorizationAction": {"actionType": "ADMINISTRATOR_READ"}},
                    {
                        "OrganizationContentAuthorizationAction": {
                            "actionType": "ORGANIC_SHARE_DELETE"
                        }
                    },
                ],
            ),
            "version_string": "202212",
        },
        f"{REST}/organizationAuthorizations?authorizationActions=List((OrganizationRole"
        "AuthorizationAction:(actionType:ADMINISTRATOR_READ)),(OrganizationContentAuthorization"
        "Action:(actionType:ORGANIC_SHARE_DELETE)))&bq=authorizationActionsAndImpersonator",
        f"{REST}/organizationAuthorizations?authorizationActions=List((OrganizationRole"
        "AuthorizationAction:(actionType:ADMINISTRATOR_READ)),(OrganizationContentAuthorization"
        "Action:(actionType:ORGANIC_SHARE_DELETE)))&bq=authorizationActionsAndImpersonator",
        "GET",
        None,
    ),
    (
        "create",
        "create",
        {
            "resource_path": "/adAccountsV2",
            "entity": {"name": "Test Ad Account", "type": "BUSINESS", "test": True},
        },
        f"{V2}/adAccountsV2",
        f"{V2}/adAccountsV2",
        "POST",
        {"name": "Test Ad Account", "type": "BUSINESS", "test": True},
    ),
    (
        "batch_create",
        "batch_create",
        {
            "resource_path": "/adCampaignGroups",
            "entities": [
                {
                    "account": "urn:li:sponsoredAccount:111",
                    "name": "CampaignGroupTest1",
                    "status": "DRAFT",
                },
                {
                    "account": "urn:li:sponsoredAccount:222",
                    "name": "CampaignGroupTest2",
                    "status": "DRAFT",
                },
            ],
            "version_string": "202212",
        },
        f"{REST}/adCampaignGroups",
        f"{REST}/adCampaignGroups",
        "POST",
        {
            "elements": [
                {
                    "account": "urn:li:sponsoredAccount:111",
                    "name": "CampaignGroupTest1",
                    "status": "DRAFT",
                },
                {
                    "account": "urn:li:sponsoredAccount:222",
                    "name": "CampaignGroupTest2",
                    "status": "DRAFT",
                },
            ]
        },
    ),
    (
        "update",
        "update",
        {
            "resource_path": "/adAccountUsers/{id}",
            "path_keys": {
                "id": {"account": "urn:li:sponsoredAccount:123", "user": "urn:li:person:foobar"}
            },
            "entity": {
                "account": "urn:li:sponsoredAccount:123",
                "user": "urn:li:person:foobar",
                "role": "VIEWER",
            },
            "version_string": "202212",
        },
        f"{REST}/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A123,"
        "user:urn%3Ali%3Aperson%3Afoobar)",
        f"{REST}/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A123,"
        "user:urn%3Ali%3Aperson%3Afoobar)",
        "PUT",
        {
            "account": "urn:li:sponsoredAccount:123",
            "user": "urn:li:person:foobar",
            "role": "VIEWER",
        },
    ),
    (
        "batch_update",
        "batch_update",
        {
            "resource_path": "/campaignConversions",
            "ids": [
                {
                    "campaign": "urn:li:sponsoredCampaign:123",
                    "conversion": "urn:lla:llaPartnerConversion:456",
                },
                {
                    "campaign": "urn:li:sponsoredCampaign:123",
                    "conversion": "urn:lla:llaPartnerConversion:789",
                },
            ],
            "entities": [
                {
                    "campaign": "urn:li:sponsoredCampaign:123",
                    "conversion": "urn:lla:llaPartnerConversion:456",
                },
                {
                    "campaign": "urn:li:sponsoredCampaign:123",
                    "conversion": "urn:lla:llaPartnerConversion:789",
                },
            ],
            "version_string": "202212",
        },
        f"{REST}/campaignConversions?ids=List((campaign:urn%3Ali%3AsponsoredCampaign%3A123,"
        "conversion:urn%3Alla%3AllaPartnerConversion%3A456),(campaign:urn%3Ali%3A"
        "sponsoredCampaign%3A123,conversion:urn%3Alla%3AllaPartnerConversion%3A789))",
        f"{REST}/campaignConversions?ids=List((campaign:urn%3Ali%3AsponsoredCampaign%3A123,"
        "conversion:urn%3Alla%3AllaPartnerConversion%3A456),(campaign:urn%3Ali%3A"
        "sponsoredCampaign%3A123,conversion:urn%3Alla%3AllaPartnerConversion%3A789))",
        "PUT",
        {
            "entities": {
                "(campaign:urn%3Ali%3AsponsoredCampaign%3A123,"
                "conversion:urn%3Alla%3AllaPartnerConversion%3A456)": {
                    "campaign": "urn:li:sponsoredCampaign:123",
                    "conversion": "urn:lla:llaPartnerConversion:456",
                },
                "(campaign:urn%3Ali%3AsponsoredCampaign%3A123,"
                "conversion:urn%3Alla%3AllaPartnerConversion%3A789)": {
                    "campaign": "urn:li:sponsoredCampaign:123",
                    "conversion": "urn:lla:llaPartnerConversion:789",
                },
            }
        },
    ),
    (
        "partial_update",
        "partial_update",
        {
            "resource_path": "/adAccounts/{id}",
            "path_keys": {"id": 123},
            "patch_set_object": {
                "name": "TestAdAccountModified",
                "reference": "urn:li:organization:456",
            },
            "version_string": "202212",
        },
        f"{REST}/adAccounts/123",
        f"{REST}/adAccounts/123",
        "POST",
        {
            "patch": {
                "$set": {"name": "TestAdAccountModified", "reference": "urn:li:organization:456"}
            }
        },
    ),
    (
        "batch_partial_update",
        "batch_partial_update",
        {
            "resource_path": "/adCampaignGroups",
            "ids": ["123", "456"],
            "patch_set_objects": [
                {"status": "ACTIVE"},
                {"runSchedule": {"start": 1678029270721, "end": 1679029270721}},
            ],
            "version_string": "202212",
        },
        f"{REST}/adCampaignGroups?ids=List(123,456)",
        f"{REST}/adCampaignGroups?ids=List(123,456)",
        "POST",
        {
            "entities": {
                "123": {"patch": {"$set": {"status": "ACTIVE"}}},
                "456": {
                    "patch": {
                        "$set": {"runSchedule": {"start": 1678029270721, "end": 1679029270721}}
                    }
                },
            }
        },
    ),
    (
        "delete",
        "delete",
        {"resource_path": "/adAccounts/{id}", "path_keys": {"id": 123}, "version_string": "202212"},
        f"{REST}/adAccounts/123",
        f"{REST}/adAccounts/123",
        "DELETE",
        None,
    ),
    (
        "batch_delete",
        "batch_delete",
        {"resource_path": "/adAccounts", "ids": ["123", "456"], "version_string": "202212"},
        f"{REST}/adAccounts?ids=List(123,456)",
        f"{REST}/adAccounts?ids=List(123,456)",
        "DELETE",
        None,
    ),
    (
        "action",
        "action",
        {
            "resource_path": "/liveAssetActions",
            "action_name": "register",
            "action_params": {
                "registerLiveEventRequest": {
                    "owner": "urn:li:person:12345",
                    "recipes": ["urn:li:digitalmediaRecipe:feedshare-live-video"],
                    "region": "WEST_US",
                }
            },
        },
        f"{V2}/liveAssetActions?action=register",
        f"{V2}/liveAssetActions?action=register",
        "POST",
        {
            "registerLiveEventRequest": {
                "owner": "urn:li:person:12345",
                "recipes": ["urn:li:digitalmediaRecipe:feedshare-live-video"],
                "region": "WEST_US",
            }
        },
    ),
]


def build(method: str, kwargs: dict[str, Any]) -> Request:
    return getattr(restli_client, method)(  # type: ignore[no-any-return]
        access_token=MY_ACCESS_TOKEN, **kwargs
    )


def test_every_api_reference_method_has_an_example() -> None:
    assert {e[1] for e in EXAMPLES} == {m.wire_name for m in RestliMethod}


@pytest.mark.parametrize(
    ("section", "method", "kwargs", "official_url", "url", "verb", "body"),
    EXAMPLES,
    ids=[e[0] for e in EXAMPLES],
)
def test_readme_example(
    section: str,
    method: str,
    kwargs: dict[str, Any],
    official_url: str,
    url: str,
    verb: str,
    body: Any,
) -> None:
    request = build(method, kwargs)
    assert request.url == url
    if section != "get":
        assert url == official_url  # the official client is right here: same bytes
    assert request.method == verb
    assert request.restli_method is RestliMethod[method.upper()]
    assert not request.tunneled
    headers = request.headers
    assert headers["X-RestLi-Protocol-Version"] == "2.0.0"
    assert headers["X-RestLi-Method"] == method  # official: method.upper()
    assert headers["Authorization"] == f"Bearer {MY_ACCESS_TOKEN}"
    assert headers["User-Agent"] == f"restli-client/{__version__}"
    if "version_string" in kwargs:
        assert headers["LinkedIn-Version"] == kwargs["version_string"]
        assert request.url.startswith(REST + "/")
    else:
        assert "LinkedIn-Version" not in headers
        assert request.url.startswith(V2 + "/")
    if body is None:
        assert request.body is None
        assert "Content-Type" not in headers  # official: always application/json
    else:
        assert request.body is not None
        assert json.loads(request.body) == body  # the official client's body, parsed
        assert request.body == json.dumps(body, separators=(",", ":")).encode()
        assert headers["Content-Type"] == "application/json"


# --------------------------------------------------------------------------- PROTOCOL.md §8
# The official client's known mistakes, on the README's own calls.


def test_empty_string_is_sent_as_two_quotes() -> None:
    # official: "" encodes as nothing, so [""] becomes List()
    request = build(
        "finder",
        {
            "resource_path": "/adAccounts",
            "finder_name": "search",
            "query_params": {"search": {"name": {"values": [""]}}},
        },
    )
    assert request.url == f"{V2}/adAccounts?q=search&search=(name:(values:List('')))"


def test_floats_are_sent_in_java_form() -> None:
    # official: 1e+16, whose "+" many servers read as a space
    request = build(
        "get_all", {"resource_path": "/fieldsOfStudy", "query_params": {"x": 1e16, "y": 0.5}}
    )
    assert request.url == f"{V2}/fieldsOfStudy?x=1.0E16&y=0.5"


def test_tunneled_delete_keeps_its_verb() -> None:
    # official: a tunneled DELETE goes out with X-HTTP-Method-Override: GET
    request = build(
        "batch_delete",
        {"resource_path": "/adAccounts", "ids": [str(i) for i in range(2000)]},
    )
    assert request.tunneled
    assert request.method == "POST"
    assert request.headers["X-HTTP-Method-Override"] == "DELETE"
    assert request.body is not None
    assert request.body.startswith(b"ids=List(0,1,2,")


def test_tunneled_request_with_a_body_is_multipart() -> None:
    # official: crashes when it must tunnel a request that has a body
    ids = [str(i) for i in range(2000)]
    request = build(
        "batch_partial_update",
        {
            "resource_path": "/adCampaignGroups",
            "ids": ids,
            "patch_set_objects": [{"status": "ACTIVE"}] * 2000,
        },
    )
    assert request.tunneled
    assert request.headers["X-HTTP-Method-Override"] == "POST"
    assert request.headers["Content-Type"].startswith("multipart/mixed; boundary=")
    assert request.body is not None
    assert b"Content-Type: application/json\r\n\r\n" in request.body

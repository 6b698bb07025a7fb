"""The in-memory Rest.li server: every method, the wire details, faults and bad input.

Requests are built by hand here (exactly as PROTOCOL.md says a Rest.li 2.0 client
sends them), so the server is checked independently of ``RequestBuilder``; the last
section also goes through ``RequestBuilder`` as a cross-check of both.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restli_core import (
    ActionResponse,
    AuthRequestBuilder,
    RateLimitError,
    Request,
    RequestBuilder,
    Response,
    RestliEncodeError,
    RestliMethod,
    RestliUsageError,
    ServerError,
    VersionNotActiveError,
    parse_access_token_2l,
    parse_access_token_3l,
    parse_introspect_token,
    parse_refresh_token_exchange,
    parse_response,
    reduced_encode,
)
from restli_core.testing import Call, Page, RestliServer, RestliServiceError, response_delay

BASE = "https://api.linkedin.com/v2"
VERSIONED = "https://api.linkedin.com/rest"
TOKEN = "s3cret-token-value"
COMMON = {"X-RestLi-Protocol-Version": "2.0.0", "Authorization": f"Bearer {TOKEN}"}
JSON_CT = {"Content-Type": "application/json"}
USER_KEY = "(account:urn%3Ali%3AsponsoredAccount%3A1,user:urn%3Ali%3Aperson%3Aabc)"
USER_WIRE = "(account:urn%3Ali%3AsponsoredAccount%3A1,user:urn%3Ali%3Aperson%3Aabc)"


def make(
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    restli: str | None = None,
    base: str = BASE,
) -> Request:
    """A request as a Rest.li 2.0 client sends it (``body`` given as JSON data or bytes)."""
    all_headers = dict(COMMON)
    if restli is not None:
        all_headers["X-RestLi-Method"] = restli
    raw = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    if raw is not None:
        all_headers.update(JSON_CT)
    all_headers.update(headers or {})
    return Request(method, base + path, all_headers, raw)


def send(server: RestliServer, method: str, path: str, body: Any = None, **kw: Any) -> Response:
    return server.handle(make(method, path, body, **kw))


def ok_json(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    return response.json()


def error_of(response: Response, status: int) -> dict[str, Any]:
    """The Rest.li error body, checked for the shape LinkedIn sends."""
    assert response.status_code == status, response.text
    assert response.headers["X-RestLi-Error-Response"] == "true"
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["serviceErrorCode"], int)
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    return dict(body)


@pytest.fixture
def server() -> RestliServer:
    return RestliServer()


# --------------------------------------------------------------------------- GET


def test_get_entity_with_projection(server: RestliServer) -> None:
    response = send(server, "GET", "/adAccounts/1?fields=id,name")
    assert ok_json(response) == {"id": 1, "name": "Ad Account 1"}
    assert response.headers["X-RestLi-Protocol-Version"] == "2.0.0"
    assert response.url == BASE + "/adAccounts/1?fields=id,name"


def test_get_entity_without_projection_has_every_field(server: RestliServer) -> None:
    entity = ok_json(send(server, "GET", "/adAccounts/3"))
    assert entity == {
        "id": 3,
        "name": "Ad Account 3",
        "status": "CANCELED",
        "type": "BUSINESS",
        "reference": "urn:li:organization:123",
        "test": True,
        "currency": "USD",
    }


def test_nested_projection(server: RestliServer) -> None:
    entity = ok_json(send(server, "GET", "/adCampaignGroups/2?fields=id,runSchedule:(start)"))
    assert set(entity) == {"id", "runSchedule"}
    assert set(entity["runSchedule"]) == {"start"}


def test_projection_in_list_form_and_unknown_fields(server: RestliServer) -> None:
    entity = ok_json(send(server, "GET", "/adAccounts/1?fields=List(id,nope)"))
    assert entity == {"id": 1}


def test_get_unknown_entity_is_404(server: RestliServer) -> None:
    body = error_of(send(server, "GET", "/adAccounts/9999"), 404)
    assert body["code"] == "NOT_FOUND"


def test_get_with_key_of_wrong_type_is_400(server: RestliServer) -> None:
    error_of(send(server, "GET", "/adAccounts/abc"), 400)


def test_get_compound_key(server: RestliServer) -> None:
    entity = ok_json(send(server, "GET", f"/adAccountUsers/{USER_KEY}"))
    assert entity == {
        "account": "urn:li:sponsoredAccount:1",
        "user": "urn:li:person:abc",
        "role": "ACCOUNT_BILLING_ADMIN",
    }


def test_compound_key_part_order_does_not_matter(server: RestliServer) -> None:
    path = "/adAccountUsers/(user:urn%3Ali%3Aperson%3Aabc,account:urn%3Ali%3AsponsoredAccount%3A1)"
    assert ok_json(send(server, "GET", path))["role"] == "ACCOUNT_BILLING_ADMIN"


def test_compound_key_missing_a_part_is_400(server: RestliServer) -> None:
    error_of(send(server, "GET", "/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A1)"), 400)


def test_get_urn_key(server: RestliServer) -> None:
    entity = ok_json(send(server, "GET", "/socialActions/urn%3Ali%3Ashare%3A4"))
    assert entity["target"] == "urn:li:share:4"
    assert entity["likesSummary"]["totalLikes"] == 12


def test_urn_key_with_unescaped_colons_is_rejected(server: RestliServer) -> None:
    # Rest.li 2.0 text: ':' is grammar, so a URN key in a path must be escaped.
    error_of(send(server, "GET", "/socialActions/urn:li:share:4"), 400)


def test_me_is_a_simple_resource(server: RestliServer) -> None:
    me = ok_json(send(server, "GET", "/me?fields=id,localizedFirstName"))
    assert me == {"id": "abc", "localizedFirstName": "Ada"}
    error_of(send(server, "GET", "/me/1"), 404)
    error_of(send(server, "DELETE", "/me"), 400)  # GET only


# --------------------------------------------------------------------------- BATCH_GET


def test_batch_get_partial_failure(server: RestliServer) -> None:
    body = ok_json(send(server, "GET", "/adCampaignGroups?ids=List(1,2,999,x)&fields=id"))
    assert body["results"] == {"1": {"id": 1}, "2": {"id": 2}}
    assert body["statuses"] == {"1": 200, "2": 200, "999": 404, "x": 400}
    assert body["errors"]["999"]["status"] == 404
    assert body["errors"]["x"]["status"] == 400


def test_batch_get_compound_keys_are_reduced_encoded(server: RestliServer) -> None:
    ids = (
        "List((account:urn%3Ali%3AsponsoredAccount%3A1,user:urn%3Ali%3Aperson%3Aabc),"
        "(account:urn%3Ali%3AsponsoredAccount%3A9,user:urn%3Ali%3Aperson%3Aghi))"
    )
    body = ok_json(send(server, "GET", f"/adAccountUsers?ids={ids}"))
    wire = reduced_encode({"account": "urn:li:sponsoredAccount:1", "user": "urn:li:person:abc"})
    assert wire == USER_WIRE
    assert set(body["results"]) == {wire}
    missing = reduced_encode({"account": "urn:li:sponsoredAccount:9", "user": "urn:li:person:ghi"})
    assert body["errors"][missing]["status"] == 404


def test_batch_get_urn_keys_are_raw(server: RestliServer) -> None:
    body = ok_json(
        send(server, "GET", "/socialActions?ids=List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)")
    )
    assert set(body["results"]) == {"urn:li:share:1", "urn:li:share:2"}
    assert body["errors"] == {}


def test_batch_get_duplicates_and_empty(server: RestliServer) -> None:
    body = ok_json(send(server, "GET", "/adAccounts?ids=List(1,1)"))
    assert list(body["results"]) == ["1"]
    body = ok_json(send(server, "GET", "/adAccounts?ids=List()"))
    assert body == {"results": {}, "statuses": {}, "errors": {}}


def test_batch_get_ids_must_be_a_list(server: RestliServer) -> None:
    error_of(send(server, "GET", "/adAccounts?ids=1"), 400)


# --------------------------------------------------------------------------- GET_ALL and paging


def test_get_all_default_page(server: RestliServer) -> None:
    body = ok_json(send(server, "GET", "/fieldsOfStudy"))
    assert [e["id"] for e in body["elements"]] == list(range(1, 11))
    paging = body["paging"]
    assert (paging["start"], paging["count"], paging["total"]) == (0, 10, 20)
    assert paging["links"] == [
        {"rel": "next", "href": "/v2/fieldsOfStudy?count=10&start=10", "type": "application/json"}
    ]


def test_get_all_last_page_has_prev_link_only(server: RestliServer) -> None:
    body = ok_json(send(server, "GET", "/fieldsOfStudy?count=15&start=15"))
    assert [e["id"] for e in body["elements"]] == [16, 17, 18, 19, 20]
    assert [link["rel"] for link in body["paging"]["links"]] == ["prev"]
    assert "start=0" in body["paging"]["links"][0]["href"]


@pytest.mark.parametrize("query", ["start=-1", "count=x", "start=1.5", "count=List(1)"])
def test_bad_paging_parameters_are_400(server: RestliServer, query: str) -> None:
    error_of(send(server, "GET", f"/fieldsOfStudy?{query}"), 400)


def test_paging_fields_projection(server: RestliServer) -> None:
    body = ok_json(send(server, "GET", "/fieldsOfStudy?count=2&pagingFields=total&fields=id"))
    assert body == {"elements": [{"id": 1}, {"id": 2}], "paging": {"total": 20}}


# --------------------------------------------------------------------------- FINDER

README_SEARCH = (
    "search=(reference:(values:List(urn%3Ali%3Aorganization%3A123)),"
    "status:(values:List(ACTIVE,DRAFT)),test:true)"
)


def test_finder_search_with_complex_criteria(server: RestliServer) -> None:
    body = ok_json(send(server, "GET", f"/adAccounts?q=search&{README_SEARCH}"))
    found = body["elements"]
    assert found, "the README's example criteria must find something"
    for account in found:
        assert account["status"] in ("ACTIVE", "DRAFT")
        assert account["reference"] == "urn:li:organization:123"
        assert account["test"] is True
    assert body["paging"]["total"] == len(found)


def test_finder_without_criteria_returns_everything_paged(server: RestliServer) -> None:
    body = ok_json(send(server, "GET", "/adAccounts?q=search&count=5"))
    assert len(body["elements"]) == 5
    assert body["paging"]["total"] == 25


def test_finder_unknown_criteria_is_400_with_input_errors(server: RestliServer) -> None:
    body = error_of(
        send(server, "GET", "/adAccounts?q=search&search=(color:(values:List(red)))"), 400
    )
    assert (
        body["errorDetails"]["inputErrors"][0]["input"]["inputPath"]["fieldPath"] == "search.color"
    )


def test_unknown_finder_is_400(server: RestliServer) -> None:
    error_of(send(server, "GET", "/adAccounts?q=nope"), 400)


def test_finder_of_compound_key_collection(server: RestliServer) -> None:
    body = ok_json(
        send(server, "GET", "/adAccountUsers?q=accounts&accounts=urn%3Ali%3AsponsoredAccount%3A2")
    )
    users = {e["user"] for e in body["elements"]}
    assert users == {"urn:li:person:abc", "urn:li:person:def", "urn:li:person:ghi"}
    body = ok_json(send(server, "GET", "/adAccountUsers?q=authenticatedUser&count=100"))
    assert body["paging"]["total"] == 25


def test_offset_paging_through_every_campaign_of_an_account(server: RestliServer) -> None:
    url = (
        "/adCampaigns?q=search&search=(account:(values:List(urn%3Ali%3AsponsoredAccount%3A1)))"
        "&count=100"
    )
    seen: list[int] = []
    pages = 0
    while url:
        body = ok_json(send(server, "GET", url))
        pages += 1
        assert body["paging"]["total"] == 240
        seen += [e["id"] for e in body["elements"]]
        nxt = [link["href"] for link in body["paging"]["links"] if link["rel"] == "next"]
        url = nxt[0].removeprefix("/v2") if nxt else ""
    assert pages == 3
    assert len(seen) == len(set(seen)) == 240


def test_cursor_paging(server: RestliServer) -> None:
    query = (
        "/adCampaigns?q=search&search=(account:(values:List(urn%3Ali%3AsponsoredAccount%3A2)))"
        "&pageSize=100&fields=id"
    )
    token: str | None = None
    sizes = []
    ids: list[int] = []
    while True:
        url = query + (f"&pageToken={token}" if token else "")
        body = ok_json(send(server, "GET", url))
        assert "total" not in body["paging"]
        sizes.append(len(body["elements"]))
        ids += [e["id"] for e in body["elements"]]
        token = body["metadata"].get("nextPageToken")
        if token is None:
            break
    assert sizes == [100, 100, 40]
    assert len(set(ids)) == 240


def test_cursor_paging_rejects_bad_tokens_and_mixed_paging(server: RestliServer) -> None:
    error_of(send(server, "GET", "/adCampaigns?q=search&pageSize=10&pageToken=garbage"), 400)
    error_of(send(server, "GET", "/adCampaigns?q=search&pageSize=10&start=10"), 400)
    error_of(send(server, "GET", "/adCampaigns?q=search&pageSize=0"), 400)


def test_whole_collection_through_cursor_pages(server: RestliServer) -> None:
    token: str | None = None
    total = 0
    while True:
        url = "/adCampaigns?q=search&pageSize=500&fields=id" + (
            f"&pageToken={token}" if token else ""
        )
        body = ok_json(send(server, "GET", url))
        total += len(body["elements"])
        token = body["metadata"].get("nextPageToken")
        if not token:
            break
    assert total == 1200


# --------------------------------------------------------------------------- BATCH_FINDER


def test_batch_finder_with_one_failing_criteria(server: RestliServer) -> None:
    criteria = (
        "criteria=List((account:urn%3Ali%3AsponsoredAccount%3A1,status:ACTIVE),"
        "(account:urn%3Ali%3AsponsoredAccount%3A99),(status:ACTIVE))"
    )
    body = ok_json(
        send(server, "GET", f"/adCampaigns?bq=search&{criteria}&count=5&fields=id,status")
    )
    first, missing, bad = body["elements"]
    assert "isError" not in first
    assert len(first["elements"]) == 5
    assert all(e["status"] == "ACTIVE" for e in first["elements"])
    assert first["paging"]["total"] == 40
    assert missing["isError"] is True and missing["error"]["status"] == 404
    assert bad["isError"] is True and bad["error"]["status"] == 400


def test_batch_finder_needs_its_criteria_list(server: RestliServer) -> None:
    error_of(send(server, "GET", "/adCampaigns?bq=search"), 400)
    error_of(send(server, "GET", "/adCampaigns?bq=nope&criteria=List()"), 400)


# --------------------------------------------------------------------------- CREATE


def test_create_answers_201_with_id_and_location(server: RestliServer) -> None:
    response = send(
        server, "POST", "/adAccounts", {"name": "New", "type": "BUSINESS"}, restli="create"
    )
    assert response.status_code == 201
    assert response.body == b""
    assert response.headers["X-RestLi-Id"] == "26"
    assert response.headers["Location"] == "/v2/adAccounts/26"
    assert ok_json(send(server, "GET", "/adAccounts/26"))["name"] == "New"


def test_create_without_restli_method_header_is_a_create(server: RestliServer) -> None:
    response = send(
        server, "POST", "/adCampaignGroups", {"account": "urn:li:sponsoredAccount:1", "name": "g"}
    )
    assert response.status_code == 201


def test_create_compound_key_id_is_reduced_form(server: RestliServer) -> None:
    entity = {"account": "urn:li:sponsoredAccount:7", "user": "urn:li:person:zz", "role": "VIEWER"}
    response = send(server, "POST", "/adAccountUsers", entity)
    assert response.status_code == 201
    assert response.headers["X-RestLi-Id"] == reduced_encode(
        {"account": "urn:li:sponsoredAccount:7", "user": "urn:li:person:zz"}
    )
    assert response.headers["Location"] == (
        "/v2/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A7,user:urn%3Ali%3Aperson%3Azz)"
    )
    assert send(server, "GET", response.headers["Location"].removeprefix("/v2")).status_code == 200
    error_of(send(server, "POST", "/adAccountUsers", entity), 409)


def test_create_validation_error(server: RestliServer) -> None:
    body = error_of(send(server, "POST", "/adAccounts", {"name": "x"}), 422)
    paths = [e["input"]["inputPath"]["fieldPath"] for e in body["errorDetails"]["inputErrors"]]
    assert paths == ["type"]


def test_create_return_entity(server: RestliServer) -> None:
    response = send(
        server,
        "POST",
        "/adAccounts?$returnEntity=true&fields=id,name",
        {"name": "R", "type": "BUSINESS"},
    )
    assert ok_json(response, 201) == {"id": 26, "name": "R"}


def test_create_on_read_only_resource_is_400(server: RestliServer) -> None:
    body = error_of(send(server, "POST", "/fieldsOfStudy", {"name": "x"}), 400)
    assert "create" in body["message"]


# --------------------------------------------------------------------------- BATCH_CREATE


def test_batch_create(server: RestliServer) -> None:
    entities = {
        "elements": [
            {"account": "urn:li:sponsoredAccount:111", "name": "G1", "status": "DRAFT"},
            {"name": "no account"},
            {"account": "urn:li:sponsoredAccount:222", "name": "G2", "status": "DRAFT"},
        ]
    }
    body = ok_json(send(server, "POST", "/adCampaignGroups", entities, restli="batch_create"))
    first, failed, third = body["elements"]
    assert first == {"status": 201, "id": "61", "location": "/v2/adCampaignGroups/61"}
    assert failed["status"] == 422 and failed["error"]["status"] == 422
    assert third["id"] == "62"
    assert ok_json(send(server, "GET", "/adCampaignGroups/62"))["name"] == "G2"


def test_batch_create_body_must_have_elements(server: RestliServer) -> None:
    error_of(
        send(server, "POST", "/adCampaignGroups", {"entities": []}, restli="batch_create"), 400
    )


# --------------------------------------------------------------------------- UPDATE


def test_update_replaces_the_entity(server: RestliServer) -> None:
    new = {"name": "Renamed", "type": "BUSINESS"}
    response = send(server, "PUT", "/adAccounts/4", new, restli="update")
    assert response.status_code == 204 and response.body == b""
    assert ok_json(send(server, "GET", "/adAccounts/4")) == {
        "id": 4,
        "name": "Renamed",
        "type": "BUSINESS",
    }


def test_update_compound_key(server: RestliServer) -> None:
    entity = {"account": "urn:li:sponsoredAccount:1", "user": "urn:li:person:abc", "role": "VIEWER"}
    assert send(server, "PUT", f"/adAccountUsers/{USER_KEY}", entity).status_code == 204
    assert ok_json(send(server, "GET", f"/adAccountUsers/{USER_KEY}"))["role"] == "VIEWER"


def test_update_missing_entity_is_404_and_invalid_is_422(server: RestliServer) -> None:
    error_of(send(server, "PUT", "/adAccounts/999", {"name": "x", "type": "BUSINESS"}), 404)
    error_of(send(server, "PUT", "/adAccounts/1", {"name": "x"}), 422)


# --------------------------------------------------------------------------- BATCH_UPDATE


def test_batch_update(server: RestliServer) -> None:
    body = {
        "entities": {
            "1": {"name": "A", "type": "BUSINESS"},
            "999": {"name": "B", "type": "BUSINESS"},
        }
    }
    answer = ok_json(
        send(server, "PUT", "/adAccounts?ids=List(1,999)", body, restli="batch_update")
    )
    assert answer["results"] == {"1": {"status": 204}}
    assert answer["errors"]["999"]["status"] == 404
    assert "statuses" not in answer
    assert ok_json(send(server, "GET", "/adAccounts/1"))["name"] == "A"


def test_batch_update_compound_body_keys_are_reduced_decoded(server: RestliServer) -> None:
    key = {"account": "urn:li:sponsoredAccount:1", "user": "urn:li:person:abc"}
    body = {"entities": {reduced_encode(key): {**key, "role": "VIEWER"}}}
    answer = ok_json(send(server, "PUT", f"/adAccountUsers?ids=List({USER_KEY})", body))
    assert answer["results"] == {USER_WIRE: {"status": 204}}


def test_batch_update_body_keys_must_match_ids(server: RestliServer) -> None:
    body = {"entities": {"2": {"name": "A", "type": "BUSINESS"}}}
    error_of(send(server, "PUT", "/adAccounts?ids=List(1)", body), 400)


# --------------------------------------------------------------------------- PARTIAL_UPDATE


def test_partial_update_set_delete_and_nested(server: RestliServer) -> None:
    patch = {
        "patch": {
            "$set": {"name": "Patched"},
            "$delete": ["test"],
            "runSchedule": {"$set": {"end": 5}},
            "totalBudget": {"$delete": ["currencyCode"]},
        }
    }
    response = send(server, "POST", "/adCampaignGroups/3", patch, restli="partial_update")
    assert response.status_code == 204
    group = ok_json(send(server, "GET", "/adCampaignGroups/3"))
    assert group["name"] == "Patched"
    assert "test" not in group
    assert group["runSchedule"]["end"] == 5 and "start" in group["runSchedule"]
    assert group["totalBudget"] == {"amount": "1000.00"}


def test_partial_update_creates_missing_nested_record(server: RestliServer) -> None:
    patch = {"patch": {"notes": {"$set": {"text": "hi"}}}}
    assert send(server, "POST", "/adAccounts/1", patch).status_code == 204
    assert ok_json(send(server, "GET", "/adAccounts/1?fields=notes")) == {"notes": {"text": "hi"}}


@pytest.mark.parametrize(
    "body",
    [
        {"patch": {"$set": {"name": "x"}, "$rename": {}}},
        {"patch": {"$set": []}},
        {"patch": {"$delete": "name"}},
        {"patch": {"status": {"$set": {"a": 1}}}},  # status is not a record
        {"$set": {"name": "x"}},  # no "patch" wrapper
        {"patch": {"$set": {"id": 77}}},  # the key cannot change
    ],
)
def test_bad_patches_are_400_and_change_nothing(server: RestliServer, body: Any) -> None:
    before = ok_json(send(server, "GET", "/adAccounts/2"))
    error_of(send(server, "POST", "/adAccounts/2", body), 400)
    assert ok_json(send(server, "GET", "/adAccounts/2")) == before


def test_partial_update_return_entity(server: RestliServer) -> None:
    response = send(
        server,
        "POST",
        "/adAccounts/2?$returnEntity=true&fields=name",
        {"patch": {"$set": {"name": "Z"}}},
    )
    assert ok_json(response) == {"name": "Z"}


# --------------------------------------------------------------------------- BATCH_PARTIAL_UPDATE


def test_batch_partial_update(server: RestliServer) -> None:
    body = {
        "entities": {
            "123": {"patch": {"$set": {"status": "ACTIVE"}}},
            "5": {"patch": {"$set": {"status": "ACTIVE"}}},
            "6": {"patch": {"$bad": {}}},
        }
    }
    answer = ok_json(
        send(
            server,
            "POST",
            "/adCampaignGroups?ids=List(123,5,6)",
            body,
            restli="batch_partial_update",
        )
    )
    assert answer["results"] == {"5": {"status": 204}}
    assert answer["errors"]["123"]["status"] == 404
    assert answer["errors"]["6"]["status"] == 400
    assert ok_json(send(server, "GET", "/adCampaignGroups/5"))["status"] == "ACTIVE"


# --------------------------------------------------------------------------- DELETE / BATCH_DELETE


def test_delete(server: RestliServer) -> None:
    response = send(server, "DELETE", "/adAccounts/7", restli="delete")
    assert response.status_code == 204 and response.body == b""
    error_of(send(server, "GET", "/adAccounts/7"), 404)
    error_of(send(server, "DELETE", "/adAccounts/7"), 404)


def test_batch_delete(server: RestliServer) -> None:
    answer = ok_json(send(server, "DELETE", "/adAccounts?ids=List(8,9,999)", restli="batch_delete"))
    assert answer["results"] == {"8": {"status": 204}, "9": {"status": 204}}
    assert answer["errors"]["999"]["status"] == 404
    assert send(server, "GET", "/adAccounts/8").status_code == 404


# --------------------------------------------------------------------------- ACTION


def test_action_returns_value(server: RestliServer) -> None:
    params = {"a": [1, 2], "nested": {"x": "y"}}
    assert ok_json(send(server, "POST", "/adAccounts?action=echo", params, restli="action")) == {
        "value": params
    }
    counts = ok_json(send(server, "POST", "/adAccounts?action=countByStatus", {}))["value"]
    assert counts["ACTIVE"] == 10 and sum(counts.values()) == 25


def test_void_action_and_empty_body(server: RestliServer) -> None:
    response = send(server, "POST", "/adAccounts?action=ping")
    assert response.status_code == 200 and response.body == b""


def test_action_errors(server: RestliServer) -> None:
    error_of(send(server, "POST", "/adAccounts?action=nope", {}), 400)
    error_of(send(server, "GET", "/adAccounts?action=echo"), 400)
    error_of(send(server, "POST", "/adAccounts?action=echo", [1, 2]), 400)


# --------------------------------------------------------------------------- routing and headers


def test_restli_method_header_must_agree_with_the_request(server: RestliServer) -> None:
    error_of(send(server, "GET", "/adAccounts/1", restli="batch_get"), 400)
    error_of(send(server, "GET", "/adAccounts/1", restli="frobnicate"), 400)
    assert send(server, "GET", "/adAccounts/1", restli="get").status_code == 200


def test_unsupported_http_method_is_405(server: RestliServer) -> None:
    error_of(send(server, "PATCH", "/adAccounts/1"), 405)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/adAccounts"),  # PUT needs a key or ids
        ("DELETE", "/adAccounts"),
        ("GET", "/adAccounts/1?q=search"),
        ("GET", "/adAccounts?q=search&ids=List(1)"),
        ("POST", "/adAccounts?q=search"),
    ],
)
def test_ambiguous_or_impossible_shapes_are_400(
    server: RestliServer, method: str, path: str
) -> None:
    body: Any = {} if method in ("PUT", "POST") else None
    error_of(send(server, method, path, body), 400)


def test_every_answer_has_protocol_version_and_a_request_id(server: RestliServer) -> None:
    responses = [send(server, "GET", "/adAccounts/1"), send(server, "GET", "/nope")]
    ids = [r.headers["x-li-uuid"] for r in responses]
    assert all(ids) and ids[0] != ids[1]
    assert all(r.headers["X-RestLi-Protocol-Version"] == "2.0.0" for r in responses)
    assert "X-RestLi-Error-Response" not in responses[0].headers


def test_missing_protocol_version_is_400(server: RestliServer) -> None:
    request = Request("GET", BASE + "/adAccounts/1", {"Authorization": f"Bearer {TOKEN}"})
    body = error_of(server.handle(request), 400)
    assert "X-RestLi-Protocol-Version" in body["message"]
    request = make("GET", "/adAccounts/1", headers={"X-RestLi-Protocol-Version": "1.0.0"})
    error_of(server.handle(request), 400)


def test_missing_token_is_401(server: RestliServer) -> None:
    request = Request("GET", BASE + "/adAccounts/1", {"X-RestLi-Protocol-Version": "2.0.0"})
    body = error_of(server.handle(request), 401)
    assert body["code"] == "EMPTY_ACCESS_TOKEN" and body["serviceErrorCode"] == 65604


def test_only_configured_tokens_are_accepted() -> None:
    server = RestliServer(tokens={"good"})
    bad = error_of(send(server, "GET", "/adAccounts/1"), 401)
    assert bad["code"] == "INVALID_ACCESS_TOKEN"
    assert TOKEN not in json.dumps(bad)
    good = send(server, "GET", "/adAccounts/1", headers={"Authorization": "Bearer good"})
    assert good.status_code == 200


def test_auth_can_be_switched_off() -> None:
    server = RestliServer(require_auth=False)
    request = Request("GET", BASE + "/adAccounts/1", {"X-RestLi-Protocol-Version": "2.0.0"})
    assert server.handle(request).status_code == 200


def test_linkedin_version_rules(server: RestliServer) -> None:
    versioned = {"LinkedIn-Version": "202401"}
    assert (
        send(server, "GET", "/adAccounts/1", base=VERSIONED, headers=versioned).status_code == 200
    )
    assert send(
        server, "GET", "/adAccounts/1", base=VERSIONED, headers={"LinkedIn-Version": "202401.01"}
    ).ok
    missing = error_of(send(server, "GET", "/adAccounts/1", base=VERSIONED), 400)
    assert missing["code"] == "VERSION_MISSING"
    for bad in ("2024-01", "202413", "20240", "202401.1"):
        error_of(
            send(server, "GET", "/adAccounts/1", base=VERSIONED, headers={"LinkedIn-Version": bad}),
            400,
        )
    retired = error_of(
        send(
            server, "GET", "/adAccounts/1", base=VERSIONED, headers={"LinkedIn-Version": "202101"}
        ),
        426,
    )
    assert retired["code"] == "NONEXISTENT_VERSION" and "202101" in retired["message"]


def test_retired_versions_are_configurable() -> None:
    server = RestliServer(retired_versions={"202401"})
    error_of(
        send(
            server, "GET", "/adAccounts/1", base=VERSIONED, headers={"LinkedIn-Version": "202401"}
        ),
        426,
    )
    server.retired_versions.clear()
    assert send(
        server, "GET", "/adAccounts/1", base=VERSIONED, headers={"LinkedIn-Version": "202401"}
    ).ok


def test_any_host_and_no_base_path(server: RestliServer) -> None:
    assert send(server, "GET", "/adAccounts/1", base="http://127.0.0.1:8123/v2").ok
    assert send(server, "GET", "/adAccounts/1", base="http://127.0.0.1:8123").ok


def test_request_log(server: RestliServer) -> None:
    first = make("GET", "/adAccounts/1")
    second = make("GET", "/nope")
    server.handle(first)
    server(second)
    assert server.requests == [first, second]
    bounded = RestliServer(seed=False, request_log_size=1)
    bounded.handle(first)
    bounded.handle(second)
    assert bounded.requests == [second]


# --------------------------------------------------------------------------- tunneling

LONG_NAMES = ",".join(f"Ad%20Account%20{i}" for i in range(1, 400))


def tunneled(
    method: str, path: str, query: str, body: Any = None, *, restli: str | None = None
) -> Request:
    """A request tunneled as PROTOCOL.md §5 says (form body, or multipart with the entity)."""
    headers = dict(COMMON)
    headers["X-HTTP-Method-Override"] = method
    if restli:
        headers["X-RestLi-Method"] = restli
    if body is None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        raw = query.encode()
    else:
        boundary = "xyzBOUNDARYzyx"
        headers["Content-Type"] = f"multipart/mixed; boundary={boundary}"
        raw = (
            f"--{boundary}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
            f"{query}\r\n"
            f"--{boundary}\r\n"
            "Content-Type: application/json\r\n\r\n"
            f"{json.dumps(body)}\r\n"
            f"--{boundary}--"
        ).encode()
    return Request("POST", BASE + path, headers, raw, tunneled=True)


def test_tunneled_finder_answers_like_the_plain_one(server: RestliServer) -> None:
    query = f"q=search&search=(name:(values:List({LONG_NAMES})))&count=50&fields=id"
    assert len(query) > 4000
    plain = send(server, "GET", f"/adAccounts?{query}")
    tunnel = server.handle(tunneled("GET", "/adAccounts", query, restli="finder"))
    assert ok_json(tunnel) == ok_json(plain)
    assert ok_json(tunnel)["paging"]["total"] == 25


def test_tunneled_batch_get(server: RestliServer) -> None:
    ids = ",".join(str(i) for i in range(1, 1200))
    body = ok_json(server.handle(tunneled("GET", "/adCampaigns", f"fields=id&ids=List({ids})")))
    assert len(body["results"]) == 1199


def test_tunneled_delete_keeps_its_verb(server: RestliServer) -> None:
    answer = ok_json(
        server.handle(tunneled("DELETE", "/adAccounts", "ids=List(10,11)", restli="batch_delete"))
    )
    assert set(answer["results"]) == {"10", "11"}
    assert send(server, "GET", "/adAccounts/10").status_code == 404


def test_tunneled_multipart_with_body(server: RestliServer) -> None:
    patches = {
        "entities": {
            "1": {"patch": {"$set": {"name": "T1"}}},
            "2": {"patch": {"$set": {"name": "T2"}}},
        }
    }
    request = tunneled(
        "POST", "/adAccounts", "ids=List(1,2)", patches, restli="batch_partial_update"
    )
    answer = ok_json(server.handle(request))
    assert answer["results"] == {"1": {"status": 204}, "2": {"status": 204}}
    assert ok_json(send(server, "GET", "/adAccounts/2"))["name"] == "T2"


def test_tunneled_put_and_action(server: RestliServer) -> None:
    request = tunneled("PUT", "/adAccounts/3", "fields=id", {"name": "P", "type": "BUSINESS"})
    assert server.handle(request).status_code == 204
    echo = server.handle(tunneled("POST", "/adAccounts", "action=echo", {"x": 1}))
    assert ok_json(echo) == {"value": {"x": 1}}


def _multipart(raw: str, boundary: str = "b1") -> Request:
    headers = {
        **COMMON,
        "X-HTTP-Method-Override": "PUT",
        "Content-Type": f'multipart/mixed; boundary="{boundary}"',
    }
    return Request("POST", BASE + "/adAccounts/1", headers, raw.encode())


FORM = "Content-Type: application/x-www-form-urlencoded\r\n\r\nfields=id"
ENTITY = 'Content-Type: application/json\r\n\r\n{"name":"M","type":"BUSINESS"}'


def test_multipart_with_quoted_boundary_preamble_and_epilogue(server: RestliServer) -> None:
    raw = f"preamble\r\n--b1\r\n{FORM}\r\n--b1\r\n{ENTITY}\r\n--b1--\r\nepilogue"
    assert server.handle(_multipart(raw)).status_code == 204


@pytest.mark.parametrize(
    "raw",
    [
        f"--b1\r\n{FORM}\r\n--b1\r\n{ENTITY}\r\n",  # no closing boundary
        f"--b1\r\n{ENTITY}\r\n--b1--",  # no form part
        f"--b1\r\n{FORM}\r\n--b1\r\n{FORM}\r\n--b1--",  # two form parts
        f"--b1\r\n{FORM}\r\n--b1\r\n{ENTITY}\r\n--b1\r\n{ENTITY}\r\n--b1--",  # two entities
        # no blank line after the headers
        "--b1\r\nContent-Type: application/x-www-form-urlencoded\r\nfields=id\r\n--b1--",
        f"--b1junk\r\n{FORM}\r\n--b1--",  # text after the boundary
        "no boundary at all",
        "--b1\r\nbad header line\r\n\r\nfields=id\r\n--b1--",
        f"--b1\r\n{FORM}\r\n--b1\r\n\r\n{{}}\r\n--b1--",  # entity without type: text/plain
    ],
)
def test_malformed_multipart_is_rejected(server: RestliServer, raw: str) -> None:
    response = server.handle(_multipart(raw))
    assert response.status_code in (400, 415)
    error_of(response, response.status_code)


def test_multipart_without_boundary_parameter(server: RestliServer) -> None:
    request = _multipart(f"--b1\r\n{FORM}\r\n--b1--")
    request = Request(
        request.method,
        request.url,
        request.headers.with_header("Content-Type", "multipart/mixed"),
        request.body,
    )
    error_of(server.handle(request), 400)


def test_tunneling_needs_form_or_multipart_and_a_known_verb(server: RestliServer) -> None:
    headers = {**COMMON, "X-HTTP-Method-Override": "GET", "Content-Type": "text/plain"}
    error_of(server.handle(Request("POST", BASE + "/adAccounts", headers, b"q=search")), 415)
    headers = {
        **COMMON,
        "X-HTTP-Method-Override": "PATCH",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    error_of(server.handle(Request("POST", BASE + "/adAccounts", headers, b"q=search")), 400)


def test_override_header_on_a_get_is_ignored(server: RestliServer) -> None:
    response = send(server, "GET", "/adAccounts/1", headers={"X-HTTP-Method-Override": "DELETE"})
    assert response.status_code == 200
    assert send(server, "GET", "/adAccounts/1").status_code == 200


# --------------------------------------------------------------------------- faults


def test_429_twice_then_normal(server: RestliServer) -> None:
    fault = server.inject(429, times=2, retry_after=3)
    assert server.faults == [fault]
    for _ in range(2):
        response = send(server, "GET", "/adAccounts/1")
        body = error_of(response, 429)
        assert body["code"] == "TOO_MANY_REQUESTS"
        assert response.headers["Retry-After"] == "3"
    assert send(server, "GET", "/adAccounts/1").status_code == 200
    assert server.faults == []
    assert len(server.requests) == 3


def test_faults_are_scoped_and_consumed_in_order(server: RestliServer) -> None:
    server.inject(503, path="/adCampaigns", method="batch_get")
    server.inject(500, method=RestliMethod.GET)
    server.inject(502)
    assert send(server, "GET", "/adCampaigns?ids=List(1)", restli="batch_get").status_code == 503
    assert send(server, "GET", "/adCampaigns?ids=List(1)", restli="batch_get").status_code == 502
    assert send(server, "GET", "/adAccounts/1", restli="get").status_code == 500
    assert send(server, "GET", "/adAccounts/1", restli="get").status_code == 200


def test_fault_scoped_by_http_verb_and_path_prefix(server: RestliServer) -> None:
    server.inject(500, method="DELETE", path="/adAccounts")
    assert send(server, "DELETE", "/adAccountUsers/" + USER_KEY).status_code == 204
    assert send(server, "GET", "/adAccounts/1").status_code == 200
    assert send(server, "DELETE", "/adAccounts/1").status_code == 500


def test_fault_scoped_by_version(server: RestliServer) -> None:
    server.inject(426, version="202402")
    ok = send(
        server, "GET", "/adAccounts/1", base=VERSIONED, headers={"LinkedIn-Version": "202401"}
    )
    assert ok.status_code == 200
    gone = send(
        server, "GET", "/adAccounts/1", base=VERSIONED, headers={"LinkedIn-Version": "202402"}
    )
    body = error_of(gone, 426)
    assert body["code"] == "NONEXISTENT_VERSION" and "202402" in body["message"]


def test_latency_fault_is_a_hint(server: RestliServer) -> None:
    server.inject(delay=2.5, times=2)
    reply = server.dispatch(make("GET", "/adAccounts/1"))
    assert reply.delay == 2.5 and not reply.disconnect
    assert reply.response.status_code == 200
    assert response_delay(reply.response) == 2.5
    assert response_delay(server.handle(make("GET", "/adAccounts/1"))) == 2.5
    assert server.dispatch(make("GET", "/adAccounts/1")).delay == 0.0
    assert response_delay(server.handle(make("GET", "/adAccounts/1"))) == 0.0


def test_gateway_html_fault(server: RestliServer) -> None:
    server.inject(502, body="<html><body>Bad Gateway</body></html>")
    response = send(server, "GET", "/adAccounts/1")
    assert response.status_code == 502
    assert response.headers["Content-Type"] == "text/html"
    assert "X-RestLi-Error-Response" not in response.headers
    assert response.body.startswith(b"<html>")


def test_disconnect_fault(server: RestliServer) -> None:
    server.inject(disconnect=True)
    reply = server.dispatch(make("GET", "/adAccounts/1"))
    assert reply.disconnect
    error_of(reply.response, 502)


def test_fault_with_custom_code_and_message(server: RestliServer) -> None:
    server.inject(
        403, code="ACCESS_DENIED", message="Not enough permissions to access: GET /adAccounts"
    )
    body = error_of(send(server, "GET", "/adAccounts/1"), 403)
    assert body["serviceErrorCode"] == 100 and body["code"] == "ACCESS_DENIED"


@pytest.mark.parametrize(
    "kwargs",
    [{"status": 200}, {"status": 429, "times": 0}, {"delay": -1.0}, {}],
)
def test_bad_faults_are_rejected(server: RestliServer, kwargs: dict[str, Any]) -> None:
    with pytest.raises(RestliEncodeError):
        server.inject(**kwargs)
    assert server.faults == []


# --------------------------------------------------------------------------- malformed requests


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        (
            "GET",
            "/adAccounts?q=search&search=(status:(values:List(ACTIVE)",
            None,
            400,
        ),  # missing ')'
        ("GET", "/adAccounts?q=search&search=(a,b)", None, 400),
        ("GET", "/adAccounts?q=search&search=%ZZ", None, 400),
        ("GET", "/adAccounts?q=", None, 400),
        ("GET", "/adAccounts?q=search&q=search", None, 400),  # repeated
        ("GET", "/adAccounts?=x", None, 400),
        ("GET", "/adAccounts/1?fields=id,(name", None, 400),
        ("GET", "/adAccounts/1?fields=a:(b", None, 400),
        ("GET", "/adAccounts/1?fields=,", None, 400),
        ("GET", "/adAccounts/(a:b", None, 400),
        ("GET", "/adAccounts/%FF", None, 400),
        ("GET", "/nope", None, 404),
        ("GET", "/adAccounts/1/2", None, 404),
        ("GET", "", None, 404),
        ("POST", "/adAccounts", b"{not json", 400),
        ("POST", "/adAccounts", b"", 400),
        ("POST", "/adAccounts", b"\xff\xfe", 400),
        ("POST", "/adAccounts", b'{"name": NaN, "type": "BUSINESS"}', 400),
        ("POST", "/adAccounts", b"[" * 200 + b"]" * 200, 400),
        ("POST", "/adAccounts", b'"just a string"', 400),
        ("PUT", "/adAccounts?ids=List(1)", b'{"entities": []}', 400),
        ("POST", "/adAccounts?ids=List(1)", b'{"entities": {"1": 5}}', 200),  # per-key error
    ],
)
def test_malformed_requests_get_rest_li_errors(
    server: RestliServer, method: str, path: str, body: bytes | None, status: int
) -> None:
    response = send(server, method, path, body)
    if status == 200:
        assert response.status_code == 200
        assert response.json()["errors"]["1"]["status"] == 400
    else:
        error_of(response, status)
    assert server.internal_errors == []


def test_non_json_content_type_is_415(server: RestliServer) -> None:
    response = send(
        server, "POST", "/adAccounts", b"name=x", headers={"Content-Type": "text/plain"}
    )
    error_of(response, 415)


def test_an_unparseable_url_cannot_be_a_request() -> None:
    with pytest.raises(RestliUsageError):
        Request("GET", "http://[::1/adAccounts", COMMON)


_METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get", "X"])
_PATHS = st.sampled_from(
    [
        "/adAccounts",
        "/adAccounts/1",
        "/adAccountUsers",
        f"/adAccountUsers/{USER_KEY}",
        "/adCampaigns",
        "/me",
        "/socialActions/urn%3Ali%3Ashare%3A1",
        "/fieldsOfStudy",
        "/nope",
    ]
)
_TEXT = st.text(alphabet=st.sampled_from("()List,:'%ab1 2=&?/$+x\u00e9%28%29"), max_size=40)
_PARAM_NAMES = st.sampled_from(
    ["q", "bq", "ids", "action", "start", "count", "fields", "search", "criteria", "pageSize",
     "pageToken", "accounts", "$returnEntity", "pagingFields", "x"]
)  # fmt: skip
_VALUES = st.one_of(
    st.sampled_from(
        ["search", "accounts", "echo", "ping", "List(1,2,x)", "List()", "5", "0", "id,name",
         "id,runSchedule:(start)", "true", "(status:(values:List(ACTIVE)))",
         "List((account:urn%3Ali%3AsponsoredAccount%3A1),(status:X))",
         "urn%3Ali%3AsponsoredAccount%3A1", USER_KEY, f"List({USER_KEY})", "''"]
    ),
    _TEXT,
)  # fmt: skip
_QUERIES = st.dictionaries(_PARAM_NAMES, _VALUES, max_size=4).map(
    lambda params: "&".join(f"{n}={v}" for n, v in params.items())
)
_HEADER_NAMES = st.sampled_from(
    ["X-RestLi-Method", "X-HTTP-Method-Override", "Content-Type", "X-RestLi-Method",
     "X-HTTP-Method-Override", "Content-Type", "LinkedIn-Version"]
)  # fmt: skip
_HEADER_VALUES = st.one_of(
    st.sampled_from(
        ["GET", "PUT", "DELETE", "batch_create", "create", "finder", "get", "batch_get",
         "application/json", "application/x-www-form-urlencoded", "multipart/mixed; boundary=b",
         "202401", "202101", "2.0.0", "Bearer x", ""]
    ),
    st.text(max_size=12),
)  # fmt: skip
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_BODIES = st.one_of(
    st.none(),
    st.binary(max_size=40),
    _JSON.map(lambda v: json.dumps(v).encode()),
    st.sampled_from(
        [
            b'{"patch": {"$set": {"name": "x"}}}',
            b'{"elements": [{"name": "a", "type": "B"}, 1]}',
            b'{"entities": {"1": {"patch": {}}}}',
            b"--b\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nids=List(1)\r\n--b--",
            b"q=search&count=2",
        ]
    ),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    method=_METHODS,
    path=_PATHS,
    query=_QUERIES,
    headers=st.dictionaries(_HEADER_NAMES, _HEADER_VALUES, max_size=3),
    body=_BODIES,
    common=st.sampled_from([COMMON] * 8 + [{}, {"X-RestLi-Protocol-Version": "2.0.0"}]),
)
def test_any_request_gets_a_valid_answer(
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
    body: bytes | None,
    common: dict[str, str],
) -> None:
    server = SHARED_SERVER
    url = BASE + path + (f"?{query}" if query else "")
    try:
        request = Request(method, url, [*common.items(), *headers.items()], body)
    except RestliUsageError:
        return  # not an HTTP request at all: it cannot reach a server
    response = server.handle(request)
    assert isinstance(response, Response)
    assert 200 <= response.status_code <= 599
    assert server.internal_errors == []
    assert response.headers["X-RestLi-Protocol-Version"] == "2.0.0"
    if response.status_code >= 400:
        assert response.json()["status"] == response.status_code
    elif response.body:
        response.json()


SHARED_SERVER = RestliServer()


@settings(max_examples=100, deadline=None)
@given(
    url=st.text(max_size=60), method=st.text(max_size=8), body=st.none() | st.binary(max_size=20)
)
def test_any_garbage_gets_an_answer(url: str, method: str, body: bytes | None) -> None:
    try:
        request = Request(method, url, COMMON, body)
    except RestliUsageError:
        return  # not an HTTP request at all: it cannot reach a server
    response = SHARED_SERVER.handle(request)
    assert 400 <= response.status_code <= 599
    assert SHARED_SERVER.internal_errors == []


# --------------------------------------------------------------------------- your own resources


def test_custom_collection_with_string_keys_finder_and_actions() -> None:
    server = RestliServer(seed=False)
    assert server.resources == {}
    widgets = server.add_collection(
        "/widgets",
        [{"name": "a,b c/d", "color": "red"}, {"name": "plain", "color": "blue"}],
        key="name",
    )
    widgets.add_finder(
        "byColor", lambda call: [w for w in widgets if w["color"] == call.params["color"]]
    )

    def spin(call: Call) -> Any:
        if call.body.get("times", 1) < 0:
            raise RestliServiceError(422, "times must be positive", code="INVALID_TIMES")
        return {"spun": call.body.get("times", 1), "key": call.key}

    widgets.add_action("spin", spin)

    entity = ok_json(send(server, "GET", "/widgets/a%2Cb%20c%2Fd"))
    assert entity["color"] == "red"
    found = ok_json(send(server, "GET", "/widgets?q=byColor&color=blue"))
    assert [w["name"] for w in found["elements"]] == ["plain"]
    batch = ok_json(send(server, "GET", "/widgets?ids=List(a%2Cb%20c/d,plain)"))
    # Simple keys are written raw in body maps (URIParamUtils.encodeKeyForBody).
    assert set(batch["results"]) == {"a,b c/d", "plain"}
    spun = ok_json(send(server, "POST", "/widgets/plain?action=spin", {"times": 3}))
    assert spun == {"value": {"spun": 3, "key": "plain"}}
    error = error_of(send(server, "POST", "/widgets?action=spin", {"times": -1}), 422)
    assert error["code"] == "INVALID_TIMES"
    response = send(server, "POST", "/widgets", {"name": "new one", "color": "green"})
    assert response.headers["X-RestLi-Id"] == "new one"
    assert response.headers["Location"] == "/v2/widgets/new%20one"
    assert widgets.get("new one") == {"name": "new one", "color": "green"}


def test_custom_finder_returning_a_page_and_method_limits() -> None:
    server = RestliServer(seed=False)
    things = server.add_collection(
        "/things", [{"id": i} for i in range(1, 4)], methods=["get", "finder"]
    )
    things.add_finder(
        "all", lambda call: Page([{"id": 1}], paging={"start": 0, "count": 1}, metadata={"m": 1})
    )
    body = ok_json(send(server, "GET", "/things?q=all"))
    assert body == {
        "elements": [{"id": 1}],
        "paging": {"start": 0, "count": 1},
        "metadata": {"m": 1},
    }
    assert send(server, "GET", "/things/2").status_code == 200
    error_of(send(server, "GET", "/things"), 400)  # get_all not allowed
    error_of(send(server, "DELETE", "/things/2"), 400)


def test_a_crashing_resource_answers_500_and_is_recorded() -> None:
    server = RestliServer(seed=False)
    things = server.add_collection("/things", [{"id": 1}])
    things.add_action("boom", lambda call: 1 / 0)
    body = error_of(send(server, "POST", "/things?action=boom", {}), 500)
    assert "ZeroDivisionError" in body["message"]
    assert isinstance(server.internal_errors[0], ZeroDivisionError)


def test_collection_api() -> None:
    server = RestliServer(seed=False)
    pairs = server.add_collection("/pairs", [], key=("a", "b"), key_type={"a": int, "b": str})
    assert pairs.put({"a": 1, "b": "x", "v": 1}) == {"a": 1, "b": "x"}
    assert pairs.get({"a": 1, "b": "x"}) == {"a": 1, "b": "x", "v": 1}
    assert pairs.get({"a": "1", "b": "x"}) is not None  # decoded text is typed by the key
    assert pairs.get({"a": 1}) is None
    assert len(pairs) == 1
    counted = server.add_collection("/counted")
    assert counted.put({"v": 1}) == 1 and counted.put({"v": 2}) == 2
    assert server.collection("/counted") is counted
    with pytest.raises(KeyError):
        server.collection("/nothing")
    for bad in ("widgets", "/a/", "/a//b", "/a/{id}"):
        with pytest.raises(RestliEncodeError):
            server.add_collection(bad)
    with pytest.raises(RestliEncodeError):
        server.add_collection("/x", [{"id": 1}], methods=["fly"])
    with pytest.raises(RestliEncodeError):
        server.add_collection("/x", [{"name": "no id"}], key="id", key_type=str)
    with pytest.raises(RestliEncodeError):
        server.add_collection("/x", [{"id": 1.5}], key="id", key_type=int)


def test_seed_data_is_the_same_every_time() -> None:
    first, second = RestliServer(), RestliServer()
    for path in ("/adAccounts", "/adCampaignGroups", "/adCampaigns", "/adAccountUsers"):
        assert first.collection(path).values() == second.collection(path).values()
    assert len(first.collection("/adCampaigns")) == 1200
    assert len(first.collection("/adAccountUsers")) == 25 + 10 + 3


# --------------------------------------------------------------------------- through RequestBuilder

# Each builder request is answered by the server, which parses it independently:
# a disagreement about the wire format shows up as a 4xx here.
BUILDER = RequestBuilder()
TINY = RequestBuilder(max_query_length=10)  # tunnels almost everything
ACCOUNT_USER = {"account": "urn:li:sponsoredAccount:1", "user": "urn:li:person:abc"}


@pytest.fixture(params=["plain", "tunneled"])
def builder(request: pytest.FixtureRequest) -> Any:
    return BUILDER if request.param == "plain" else TINY


def test_builder_get_and_batch_get(server: RestliServer, builder: Any) -> None:
    request = builder.get(
        resource_path="/adAccounts/{id}",
        path_keys={"id": 5},
        query_params={"fields": "id,name"},
        access_token=TOKEN,
        version_string="202401",
    )
    assert ok_json(server.handle(request)) == {"id": 5, "name": "Ad Account 5"}
    request = builder.batch_get(
        resource_path="/adAccountUsers",
        ids=[ACCOUNT_USER, {"account": "urn:li:sponsoredAccount:99", "user": "urn:li:person:x"}],
        access_token=TOKEN,
    )
    body = ok_json(server.handle(request))
    assert set(body["results"]) == {reduced_encode(ACCOUNT_USER)}
    assert len(body["errors"]) == 1


def test_builder_get_compound_and_urn_path_keys(server: RestliServer, builder: Any) -> None:
    request = builder.get(
        resource_path="/adAccountUsers/{key}", path_keys={"key": ACCOUNT_USER}, access_token=TOKEN
    )
    assert ok_json(server.handle(request))["role"] == "ACCOUNT_BILLING_ADMIN"
    request = builder.get(
        resource_path="/socialActions/{urn}",
        path_keys={"urn": "urn:li:share:3"},
        access_token=TOKEN,
    )
    assert ok_json(server.handle(request))["target"] == "urn:li:share:3"


def test_builder_get_all_finder_and_batch_finder(server: RestliServer, builder: Any) -> None:
    request = builder.get_all(
        resource_path="/fieldsOfStudy", query_params={"start": 0, "count": 15}, access_token=TOKEN
    )
    body = ok_json(server.handle(request))
    assert len(body["elements"]) == 15 and body["paging"]["total"] == 20
    request = builder.finder(
        resource_path="/adAccounts",
        finder_name="search",
        query_params={
            "search": {
                "status": {"values": ["ACTIVE", "DRAFT", "CANCELED"]},
                "reference": {"values": ["urn:li:organization:123"]},
                "test": False,
            },
            "start": 0,
            "count": 5,
        },
        access_token=TOKEN,
        version_string="202212",
    )
    body = ok_json(server.handle(request))
    assert len(body["elements"]) == 5
    assert all(
        a["reference"] == "urn:li:organization:123" and not a["test"] for a in body["elements"]
    )
    request = builder.batch_finder(
        resource_path="/adCampaigns",
        finder_name="search",
        finder_criteria=(
            "criteria",
            [{"account": "urn:li:sponsoredAccount:2", "status": "PAUSED"}, {"account": "nope"}],
        ),
        query_params={"count": 3},
        access_token=TOKEN,
    )
    found, failed = ok_json(server.handle(request))["elements"]
    assert len(found["elements"]) == 3 and found["paging"]["total"] == 40
    assert failed["isError"] is True


def test_builder_create_and_batch_create(server: RestliServer, builder: Any) -> None:
    request = builder.create(
        resource_path="/adAccountUsers",
        entity={
            "account": "urn:li:sponsoredAccount:9",
            "user": "urn:li:person:new",
            "role": "VIEWER",
        },
        access_token=TOKEN,
    )
    response = server.handle(request)
    assert response.status_code == 201
    assert response.headers["X-RestLi-Id"] == reduced_encode(
        {"account": "urn:li:sponsoredAccount:9", "user": "urn:li:person:new"}
    )
    request = builder.batch_create(
        resource_path="/adCampaignGroups",
        entities=[
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
        access_token=TOKEN,
        version_string="202401",
    )
    body = ok_json(server.handle(request))
    assert [e["status"] for e in body["elements"]] == [201, 201]


def test_builder_updates(server: RestliServer, builder: Any) -> None:
    request = builder.update(
        resource_path="/adAccountUsers/{id}",
        path_keys={"id": ACCOUNT_USER},
        entity={**ACCOUNT_USER, "role": "VIEWER"},
        access_token=TOKEN,
    )
    assert server.handle(request).status_code == 204
    request = builder.batch_update(
        resource_path="/adAccountUsers",
        ids=[ACCOUNT_USER],
        entities=[{**ACCOUNT_USER, "role": "CAMPAIGN_MANAGER"}],
        access_token=TOKEN,
    )
    assert ok_json(server.handle(request))["results"] == {
        reduced_encode(ACCOUNT_USER): {"status": 204}
    }
    request = builder.partial_update(
        resource_path="/adAccounts/{id}",
        path_keys={"id": 123 % 25},
        patch_set_object={"name": "TestAdAccountModified", "reference": "urn:li:organization:456"},
        access_token=TOKEN,
    )
    assert server.handle(request).status_code == 204
    request = builder.batch_partial_update(
        resource_path="/adCampaignGroups",
        ids=["12", "45"],
        patch_set_objects=[
            {"status": "ACTIVE"},
            {"runSchedule": {"start": 1678029270721, "end": 1679029270721}},
        ],
        access_token=TOKEN,
    )
    assert ok_json(server.handle(request))["results"] == {
        "12": {"status": 204},
        "45": {"status": 204},
    }
    group = ok_json(
        server.handle(builder.get(resource_path="/adCampaignGroups/45", access_token=TOKEN))
    )
    assert group["runSchedule"] == {"start": 1678029270721, "end": 1679029270721}


def test_builder_deletes_and_action(server: RestliServer, builder: Any) -> None:
    request = builder.delete(
        resource_path="/adAccounts/{id}", path_keys={"id": 20}, access_token=TOKEN
    )
    assert server.handle(request).status_code == 204
    request = builder.batch_delete(
        resource_path="/adAccounts", ids=["21", 22, 20], access_token=TOKEN
    )
    body = ok_json(server.handle(request))
    assert set(body["results"]) == {"21", "22"} and set(body["errors"]) == {"20"}
    params = {
        "registerLiveEventRequest": {
            "owner": "urn:li:person:12345",
            "region": "WEST_US",
            "list": ["", "a,b"],
        }
    }
    request = builder.action(
        resource_path="/adAccounts", action_name="echo", action_params=params, access_token=TOKEN
    )
    assert ok_json(server.handle(request)) == {"value": params}


def test_builder_tunneling_really_tunnels() -> None:
    request = TINY.batch_delete(resource_path="/adAccounts", ids=[1, 2, 3], access_token=TOKEN)
    assert request.tunneled and request.method == "POST"
    request = TINY.action(
        resource_path="/adAccounts", action_name="echo", action_params={"a": 1}, access_token=TOKEN
    )
    assert request.tunneled and request.headers["Content-Type"].startswith("multipart/mixed")


@given(
    # "." and ".." are refused as path keys (they would name another resource).
    key=st.text(min_size=1, max_size=12).filter(lambda s: "\x00" not in s and s not in (".", "..")),
    value=st.recursive(
        st.text(max_size=6),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(min_size=1, max_size=4), inner, max_size=3)
        ),
        max_leaves=6,
    ),
)
@settings(max_examples=100, deadline=None)
def test_builder_and_server_agree_on_any_string_key_and_query_value(key: str, value: Any) -> None:
    server = STRING_KEYED
    server.collection("/things").put({"name": key, "v": 1})
    request = BUILDER.get(resource_path="/things/{k}", path_keys={"k": key}, access_token=TOKEN)
    assert ok_json(server.handle(request))["name"] == key
    request = BUILDER.action(
        resource_path="/things",
        action_name="echoQuery",
        query_params={"p": value},
        access_token=TOKEN,
    )
    assert ok_json(server.handle(request)) == {"value": value}
    request = BUILDER.batch_get(resource_path="/things", ids=[key], access_token=TOKEN)
    assert list(ok_json(server.handle(request))["results"]) == [key]


STRING_KEYED = RestliServer(seed=False)
STRING_KEYED.add_collection("/things", [], key="name", key_type=str).add_action(
    "echoQuery", lambda call: call.params["p"]
)


# --------------------------------------------------------------------------- OAuth endpoints

OAUTH = "https://www.linkedin.com/oauth/v2"
FORM_CT = {"Content-Type": "application/x-www-form-urlencoded"}


def oauth(server: RestliServer, endpoint: str, form: str, method: str = "POST") -> Response:
    return server.handle(Request(method, f"{OAUTH}/{endpoint}", FORM_CT, form.encode()))


def test_oauth_code_exchange_refresh_and_introspection() -> None:
    server = RestliServer(tokens=(), oauth_clients={"cid": "csecret"})
    client = "client_id=cid&client_secret=csecret"
    form = f"grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fa%2Fcb&{client}"
    response = oauth(server, "accessToken", form)
    assert response.status_code == 200
    assert "X-RestLi-Protocol-Version" not in response.headers
    granted = response.json()
    assert set(granted) == {
        "access_token",
        "expires_in",
        "refresh_token",
        "refresh_token_expires_in",
        "scope",
    }
    token = granted["access_token"]
    me = send(server, "GET", "/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200  # an issued token is accepted by the resources
    reused = oauth(server, "accessToken", form)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"

    refresh = f"grant_type=refresh_token&refresh_token={granted['refresh_token']}&{client}"
    again = oauth(server, "accessToken", refresh).json()
    assert again["access_token"] != token and again["refresh_token"] == granted["refresh_token"]
    bad_refresh = oauth(
        server,
        "accessToken",
        "grant_type=refresh_token&refresh_token=zz&client_id=cid&client_secret=csecret",
    )
    assert bad_refresh.json()["error"] == "invalid_grant"

    info = oauth(
        server, "introspectToken", f"token={token}&client_id=cid&client_secret=csecret"
    ).json()
    assert info["active"] is True and info["status"] == "active" and info["auth_type"] == "3L"
    assert info["expires_at"] - info["created_at"] == granted["expires_in"]
    unknown = oauth(
        server, "introspectToken", "token=nope&client_id=cid&client_secret=csecret"
    ).json()
    assert unknown == {"active": False}


def test_oauth_expired_and_revoked_tokens_are_refused() -> None:
    server = RestliServer()
    token = oauth(
        server, "accessToken", "grant_type=client_credentials&client_id=a&client_secret=b"
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert send(server, "GET", "/adAccounts/1", headers=auth).status_code == 200
    server.oauth.now += 3600
    body = error_of(send(server, "GET", "/adAccounts/1", headers=auth), 401)
    assert body["code"] == "EXPIRED_ACCESS_TOKEN" and body["serviceErrorCode"] == 65602
    info = oauth(server, "introspectToken", f"token={token}&client_id=a&client_secret=b").json()
    assert info["status"] == "expired" and info["active"] is False
    fresh = oauth(
        server, "accessToken", "grant_type=client_credentials&client_id=a&client_secret=b"
    ).json()
    server.oauth.revoke(fresh["access_token"])
    revoked = error_of(
        send(
            server,
            "GET",
            "/adAccounts/1",
            headers={"Authorization": f"Bearer {fresh['access_token']}"},
        ),
        401,
    )
    assert revoked["code"] == "REVOKED_ACCESS_TOKEN"


@pytest.mark.parametrize(
    ("endpoint", "form", "method", "status", "error"),
    [
        (
            "accessToken",
            "grant_type=client_credentials&client_id=cid&client_secret=WRONG",
            "POST",
            401,
            "invalid_client",
        ),
        (
            "accessToken",
            "grant_type=client_credentials&client_id=cid",
            "POST",
            400,
            "invalid_request",
        ),
        ("accessToken", "client_id=cid&client_secret=csecret", "POST", 400, "invalid_request"),
        (
            "accessToken",
            "grant_type=password&client_id=cid&client_secret=csecret",
            "POST",
            400,
            "unsupported_grant_type",
        ),
        (
            "accessToken",
            "grant_type=authorization_code&code=x&client_id=cid&client_secret=csecret",
            "POST",
            400,
            "invalid_request",
        ),
        ("introspectToken", "client_id=cid&client_secret=csecret", "POST", 400, "invalid_request"),
        (
            "accessToken",
            "grant_type=client_credentials&client_id=cid&client_secret=csecret",
            "GET",
            405,
            "invalid_request",
        ),
        ("revoke", "", "POST", 404, "not_found"),
    ],
)
def test_oauth_errors(endpoint: str, form: str, method: str, status: int, error: str) -> None:
    server = RestliServer(oauth_clients={"cid": "csecret"})
    response = oauth(server, endpoint, form, method)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert "WRONG" not in response.text and "csecret" not in response.text


def test_oauth_needs_a_form_body() -> None:
    server = RestliServer()
    request = Request("POST", f"{OAUTH}/accessToken", JSON_CT, b"{}")
    assert server.handle(request).json()["error"] == "invalid_request"
    request = Request("POST", f"{OAUTH}/accessToken", FORM_CT, b"\xff=1")
    assert server.handle(request).status_code == 400


def test_oauth_through_the_auth_request_builder() -> None:
    server = RestliServer(oauth_clients={"cid": "csecret"})
    auth = AuthRequestBuilder(
        client_id="cid", client_secret="csecret", redirect_url="https://app.example/cb",
        oauth_base_url="http://127.0.0.1:8000/oauth/v2",
    )  # fmt: skip
    request = auth.exchange_auth_code_for_access_token("the-code")
    granted = parse_access_token_3l(server.handle(request))
    assert granted.refresh_token is not None
    request = auth.exchange_refresh_token_for_access_token(granted.refresh_token)
    refreshed = parse_refresh_token_exchange(server.handle(request))
    assert refreshed.access_token != granted.access_token
    two_legged = parse_access_token_2l(server.handle(auth.get_two_legged_access_token()))
    info = parse_introspect_token(
        server.handle(auth.introspect_access_token(two_legged.access_token))
    )
    assert info.active is True and info.auth_type == "2L"


# --------------------------------------------------------------------------- through parse_response


def test_every_method_parses_with_parse_response(server: RestliServer) -> None:
    parse = parse_response
    b, t = BUILDER, TOKEN
    other = {"account": "urn:li:sponsoredAccount:1", "user": "urn:li:person:new"}
    cases = [
        (b.get(resource_path="/adAccounts/{id}", path_keys={"id": 1}, access_token=t), "entity"),
        (
            b.batch_get(resource_path="/adAccountUsers", ids=[ACCOUNT_USER], access_token=t),
            "results",
        ),
        (b.get_all(resource_path="/fieldsOfStudy", access_token=t), "elements"),
        (
            b.finder(
                resource_path="/adCampaigns",
                finder_name="search",
                query_params={"pageSize": 2},
                access_token=t,
            ),
            "metadata",
        ),
        (
            b.batch_finder(
                resource_path="/adCampaigns",
                finder_name="search",
                finder_criteria=("criteria", [{"account": "urn:li:sponsoredAccount:1"}]),
                access_token=t,
            ),
            "results",
        ),
        (
            b.create(
                resource_path="/adAccountUsers", entity={**other, "role": "VIEWER"}, access_token=t
            ),
            "entity_id",
        ),
        (
            b.batch_create(
                resource_path="/adAccounts", entities=[{"name": "a", "type": "B"}], access_token=t
            ),
            "elements",
        ),
        (
            b.update(
                resource_path="/adAccounts/{id}",
                path_keys={"id": 2},
                entity={"name": "x", "type": "B"},
                access_token=t,
            ),
            "status_code",
        ),
        (
            b.batch_update(
                resource_path="/adAccountUsers",
                ids=[ACCOUNT_USER],
                entities=[{**ACCOUNT_USER, "role": "VIEWER"}],
                access_token=t,
            ),
            "results",
        ),
        (
            b.partial_update(
                resource_path="/adAccounts/{id}",
                path_keys={"id": 2},
                patch_set_object={"name": "y"},
                access_token=t,
            ),
            "status_code",
        ),
        (
            b.batch_partial_update(
                resource_path="/adAccounts",
                ids=[3],
                patch_set_objects=[{"name": "z"}],
                access_token=t,
            ),
            "results",
        ),
        (
            b.delete(resource_path="/adAccounts/{id}", path_keys={"id": 4}, access_token=t),
            "status_code",
        ),
        (b.batch_delete(resource_path="/adAccounts", ids=[5], access_token=t), "results"),
        (
            b.action(
                resource_path="/adAccounts",
                action_name="echo",
                action_params={"x": 1},
                access_token=t,
            ),
            "value",
        ),
    ]
    assert {request.restli_method for request, _ in cases} == set(RestliMethod)
    for request, attribute in cases:
        parsed = parse(request, server.handle(request))
        assert getattr(parsed, attribute) is not None, request.restli_method
    action = parse(cases[-1][0], server.handle(cases[-1][0]))
    assert isinstance(action, ActionResponse) and action.value == {"x": 1}


def test_injected_errors_raise_the_library_errors(server: RestliServer) -> None:
    request = BUILDER.get(
        resource_path="/adAccounts/1", access_token=TOKEN, version_string="202401"
    )
    server.inject(429, retry_after=5)
    with pytest.raises(RateLimitError) as throttled:
        parse_response(request, server.handle(request))
    assert throttled.value.retry_after == 5
    server.retired_versions.add("202401")
    with pytest.raises(VersionNotActiveError):
        parse_response(request, server.handle(request))
    server.inject(503)
    old = BUILDER.get(resource_path="/adAccounts/1", access_token=TOKEN)
    with pytest.raises(ServerError):
        parse_response(old, server.handle(old))


def test_simple_resource_methods() -> None:
    server = RestliServer(seed=False)
    settings_ = server.add_simple_resource("/settings", {"theme": "dark", "lang": "en"})
    settings_.add_action("reset", lambda call: {"was": call.key})
    assert send(server, "PUT", "/settings", {"theme": "light"}).status_code == 204
    assert ok_json(send(server, "GET", "/settings")) == {"theme": "light"}
    patch = {"patch": {"$set": {"lang": "fr"}}}
    assert send(server, "POST", "/settings", patch, restli="partial_update").status_code == 204
    assert ok_json(send(server, "GET", "/settings?fields=lang")) == {"lang": "fr"}
    assert ok_json(send(server, "POST", "/settings?action=reset", {})) == {"value": {"was": None}}
    error_of(send(server, "GET", "/settings?q=search"), 400)
    assert send(server, "DELETE", "/settings").status_code == 204
    error_of(send(server, "GET", "/settings"), 404)
    error_of(send(server, "POST", "/settings", patch), 404)


def test_metadata_fields_projection(server: RestliServer) -> None:
    url = (
        "/adCampaigns?q=search&pageSize=2&metadataFields=nextPageToken&pagingFields=count&fields=id"
    )
    body = ok_json(send(server, "GET", url))
    assert set(body["metadata"]) == {"nextPageToken"}
    assert body["paging"] == {"count": 2}
    assert body["elements"] == [{"id": 1}, {"id": 2}]


def test_collection_level_actions_and_entity_actions(server: RestliServer) -> None:
    accounts = server.collection("/adAccounts")
    accounts.add_action("whoAmI", lambda call: call.key)
    assert ok_json(send(server, "POST", "/adAccounts/3?action=whoAmI", {})) == {"value": 3}
    server.collection("/adAccountUsers").add_action("whoAmI", lambda call: call.key)
    answer = ok_json(send(server, "POST", f"/adAccountUsers/{USER_KEY}?action=whoAmI"))
    assert answer == {"value": ACCOUNT_USER}
    error_of(send(server, "POST", "/adAccountUsers/(account:x)?action=whoAmI"), 400)

"""Typed responses: one table per Rest.li method, with bodies as LinkedIn sends them
(PROTOCOL.md §6), the shape errors of a 2xx, and ``raise_for_status=False``."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import (
    ActionResponse,
    BaseRestliResponse,
    BatchCreateResponse,
    BatchCreateResult,
    BatchDeleteResponse,
    BatchDeleteResult,
    BatchFinderResponse,
    BatchFinderResult,
    BatchGetResponse,
    BatchResults,
    BatchUpdateResponse,
    BatchUpdateResult,
    CollectionResponse,
    CreateResponse,
    GetResponse,
    NotFoundError,
    Paging,
    Request,
    Response,
    ResponseDecodeError,
    RestliError,
    RestliMethod,
    RestliUsageError,
    ServerError,
    UpdateResponse,
    Urn,
    parse_response,
)

API = "https://api.linkedin.com/rest"
TOKEN = "AQXtokenVALUEthatMustNeverLeak0123456789"
JSON_HEADERS = {"Content-Type": "application/json", "x-li-uuid": "AAYabc123=="}


def make_request(method: RestliMethod | None, path: str = "/adAccounts") -> Request:
    verb = method.http_method if method is not None else "GET"
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "X-RestLi-Protocol-Version": "2.0.0",
        "LinkedIn-Version": "202406",
    }
    if method is not None:
        headers["X-RestLi-Method"] = method.wire_name
    return Request(verb, f"{API}{path}", headers, None, method, False)


def make_response(
    status: int, body: Any = None, headers: dict[str, str] | None = None, url: str = ""
) -> Response:
    if body is None:
        raw = b""
    elif isinstance(body, bytes):
        raw = body
    else:
        raw = json.dumps(body).encode()
    return Response(status, {**JSON_HEADERS, **(headers or {})}, raw, url or f"{API}/adAccounts")


def parse(method: RestliMethod | None, status: int, body: Any = None, **kw: Any) -> Any:
    headers = kw.pop("headers", None)
    return parse_response(make_request(method), make_response(status, body, headers), **kw)


# --------------------------------------------------------------------------- realistic bodies

AD_ACCOUNT = {
    "test": False,
    "notifiedOnCreativeRejection": True,
    "servingStatuses": ["RUNNABLE"],
    "type": "BUSINESS",
    "version": {"versionTag": "4"},
    "reference": "urn:li:organization:2414183",
    "changeAuditStamps": {
        "created": {"actor": "urn:li:unknown:0", "time": 1498178296000},
        "lastModified": {"actor": "urn:li:unknown:0", "time": 1614123276000},
    },
    "name": "Company A Test Ad Account",
    "currency": "USD",
    "id": 507404993,
    "status": "ACTIVE",
}


def campaign(i: int) -> dict[str, Any]:
    return {
        "account": "urn:li:sponsoredAccount:507404993",
        "campaignGroup": "urn:li:sponsoredCampaignGroup:616749083",
        "costType": "CPM",
        "dailyBudget": {"amount": "100.00", "currencyCode": "USD"},
        "format": "STANDARD_UPDATE",
        "id": 180000000 + i,
        "locale": {"country": "US", "language": "en"},
        "name": f"Spring launch {i}",
        "status": "ACTIVE",
        "type": "SPONSORED_UPDATES",
    }


CAMPAIGN_KEY = {
    "campaign": "urn:li:sponsoredCampaign:123",
    "conversion": "urn:lla:llaPartnerConversion:456",
}
CAMPAIGN_KEY_ENCODED = (
    "(campaign:urn%3Ali%3AsponsoredCampaign%3A123,"
    "conversion:urn%3Alla%3AllaPartnerConversion%3A456)"
)


# --------------------------------------------------------------------------- GET


@pytest.mark.parametrize(
    ("status", "body", "entity"),
    [
        (200, AD_ACCOUNT, AD_ACCOUNT),
        (
            200,
            {"localizedFirstName": "Ada", "id": "yrZCpj2Z12"},
            {"localizedFirstName": "Ada", "id": "yrZCpj2Z12"},
        ),
        (200, "plain text entity", "plain text entity"),
        (200, 42, 42),
        (200, True, True),
        (200, None, None),  # empty body
        (204, None, None),
    ],
)
def test_get(status: int, body: Any, entity: Any) -> None:
    r = parse(RestliMethod.GET, status, body)
    assert type(r) is GetResponse
    assert r.entity == entity
    assert r.status_code == status
    assert r.url == f"{API}/adAccounts"
    assert r.headers["X-LI-UUID"] == "AAYabc123=="  # case-insensitive
    assert r.error is None
    assert r.extra == {}  # a GET body is the entity itself, not an envelope


def test_base_properties_keep_the_core_response_and_its_raw_object() -> None:
    raw_object = object()
    response = Response(200, JSON_HEADERS, b"{}", f"{API}/me", raw=raw_object)
    r = parse_response(make_request(RestliMethod.GET, "/me"), response)
    assert r.response is raw_object  # the HTTP library's own, as the official client's
    assert r.core_response is response
    assert r.core_response.raw is raw_object
    assert isinstance(r, BaseRestliResponse)


def test_without_a_library_object_the_response_is_the_core_one() -> None:
    response = Response(200, JSON_HEADERS, b"{}", f"{API}/me")
    r = parse_response(make_request(RestliMethod.GET, "/me"), response)
    assert r.response is response and r.core_response is response


def test_url_falls_back_to_the_request_url() -> None:
    request = make_request(RestliMethod.GET, "/me")
    r = parse_response(request, Response(200, JSON_HEADERS, b"{}", ""))
    assert r.url == request.url


def test_whitespace_only_body_is_empty() -> None:
    assert parse(RestliMethod.GET, 200, b"  \r\n").entity is None


# --------------------------------------------------------------------------- FINDER / GET_ALL

FINDER_PAGE = {
    "elements": [AD_ACCOUNT, {**AD_ACCOUNT, "id": 507404994, "name": "Second"}],
    "paging": {
        "count": 2,
        "links": [
            {
                "type": "application/json",
                "rel": "next",
                "href": "/rest/adAccounts?count=2&q=search&start=2",
            }
        ],
        "start": 0,
        "total": 25,
    },
}
CURSOR_PAGE = {
    "elements": [campaign(1)],
    "paging": {"count": 1, "links": [], "start": 0},
    "metadata": {"nextPageToken": "DgGcyNfZtTh3zxCBAT1lOAgvA8B6hOzwJfRTZhuhvkE"},
}


@pytest.mark.parametrize("method", [RestliMethod.FINDER, RestliMethod.GET_ALL])
@pytest.mark.parametrize(
    ("body", "n", "paging", "metadata"),
    [
        (
            FINDER_PAGE,
            2,
            Paging(0, 2, 25, FINDER_PAGE["paging"]["links"]),  # type: ignore[index]
            None,
        ),
        (CURSOR_PAGE, 1, Paging(0, 1, None, []), CURSOR_PAGE["metadata"]),
        ({"elements": [], "paging": {"count": 10, "start": 0}}, 0, Paging(0, 10, None, []), None),
        ({"elements": []}, 0, Paging(), None),  # no paging at all
        ({}, 0, Paging(), None),  # no elements either
        (None, 0, Paging(), None),  # empty body
    ],
)
def test_collection(method: RestliMethod, body: Any, n: int, paging: Paging, metadata: Any) -> None:
    r = parse(method, 200, body)
    assert type(r) is CollectionResponse
    assert len(r.elements) == n
    assert r.paging == paging
    assert r.metadata == metadata  # the official client always dropped it


def test_collection_hands_over_the_decoded_list_without_copying() -> None:
    r = parse(RestliMethod.FINDER, 200, FINDER_PAGE)
    assert r.elements is r.data["elements"]
    assert r.elements[1]["name"] == "Second"


def test_cursor_paging_token_is_reachable() -> None:
    r = parse(RestliMethod.FINDER, 200, CURSOR_PAGE)
    assert r.metadata["nextPageToken"].startswith("DgGcy")
    assert r.paging.total is None


def test_unknown_top_level_fields_are_kept() -> None:
    body = {**FINDER_PAGE, "debugInfo": {"trace": "x"}, "warnings": ["deprecated field"]}
    r = parse(RestliMethod.FINDER, 200, body)
    assert r.extra == {"debugInfo": {"trace": "x"}, "warnings": ["deprecated field"]}
    assert r.data == body


def test_collection_repr_is_short() -> None:
    body = {"elements": [campaign(i) for i in range(500)], "paging": {"start": 0, "count": 500}}
    text = repr(parse(RestliMethod.FINDER, 200, body))
    assert "<500 items>" in text
    assert len(text) < 600
    assert TOKEN not in text


# --------------------------------------------------------------------------- BATCH_GET


def test_batch_get_with_partial_failure_does_not_raise() -> None:
    body = {
        "results": {"123": {"id": 123, "name": "Group A"}, "456": {"id": 456, "name": "Group B"}},
        "statuses": {"123": 200, "456": 200, "789": 404},
        "errors": {
            "789": {"status": 404, "message": "Not found: urn:li:sponsoredCampaignGroup:789"}
        },
    }
    r = parse(RestliMethod.BATCH_GET, 200, body)
    assert type(r) is BatchGetResponse
    assert isinstance(r.results, BatchResults)
    assert set(r.results) == {"123", "456"}  # the real keys are the encoded ones
    assert r.results["123"]["name"] == "Group A"
    assert r.results[456]["name"] == "Group B"  # looked up by the id as given
    # lookups by id are the point of BatchResults; mypy only knows the str keys
    assert 123 in r.results and 789 not in r.results  # type: ignore[comparison-overlap]
    assert r.statuses[789] == 404
    assert r.errors[789]["status"] == 404
    assert r.errors.get(123) is None


def test_batch_get_compound_keys_lookup_by_dict_and_urn() -> None:
    entity = {"campaign": CAMPAIGN_KEY["campaign"], "conversion": CAMPAIGN_KEY["conversion"]}
    body = {"results": {CAMPAIGN_KEY_ENCODED: entity}, "statuses": {CAMPAIGN_KEY_ENCODED: 200}}
    r = parse(RestliMethod.BATCH_GET, 200, body)
    assert list(r.results) == [CAMPAIGN_KEY_ENCODED]
    assert r.results[CAMPAIGN_KEY_ENCODED] == entity
    assert r.results[CAMPAIGN_KEY] == entity
    with_urns = {k: Urn.parse(v) for k, v in CAMPAIGN_KEY.items()}
    assert r.results[with_urns] == entity
    assert with_urns in r.statuses
    assert r.results.key_for(CAMPAIGN_KEY) == CAMPAIGN_KEY_ENCODED
    assert r.errors == {}  # missing map: empty


def test_batch_results_match_keys_the_server_spelled_differently() -> None:
    # Field order and escaping other than ours still find the entry.
    reordered = (
        "(conversion:urn%3Alla%3AllaPartnerConversion%3A456,"
        "campaign:urn%3Ali%3AsponsoredCampaign%3A123)"
    )
    results: BatchResults[int] = BatchResults({reordered: 1, "urn:li:sponsoredAccount:9": 2})
    assert results[CAMPAIGN_KEY] == 1
    assert results[Urn.parse("urn:li:sponsoredAccount:9")] == 2
    assert results.get("urn%3Ali%3AsponsoredAccount%3A9") == 2
    assert results.get({"campaign": "x"}, "absent") == "absent"
    with pytest.raises(KeyError):
        results[{"no": "such key"}]
    results["late"] = 3  # a change after the first miss rebuilds the index
    assert results.get(Urn.parse("urn:li:sponsoredAccount:9")) == 2


@pytest.mark.parametrize("how", ["setitem", "update", "ior", "setdefault", "constructor"])
def test_batch_results_keys_added_any_way_are_found_by_id(how: str) -> None:
    reordered = (
        "(conversion:urn%3Alla%3AllaPartnerConversion%3A456,"
        "campaign:urn%3Ali%3AsponsoredCampaign%3A123)"
    )
    results: BatchResults[int] = BatchResults({"1": 0})
    if how == "setitem":
        results[reordered] = 1
    elif how == "update":
        results.update([(reordered, 1)])
    elif how == "ior":
        results |= {reordered: 1}
    elif how == "setdefault":
        assert results.setdefault(reordered, 1) == 1
        assert results.setdefault(reordered, 2) == 1
    else:
        results = BatchResults({"1": 0}, **{reordered: 1})
    assert results[CAMPAIGN_KEY] == 1
    assert results.key_for(CAMPAIGN_KEY) == reordered
    assert results[1] == 0
    del results[reordered]
    assert CAMPAIGN_KEY not in results  # type: ignore[comparison-overlap]
    assert results.get(CAMPAIGN_KEY) is None


def test_batch_results_lookups_change_nothing() -> None:
    results: BatchResults[int] = BatchResults({"urn:li:sponsoredAccount:9": 2})
    before = pickle.dumps(results)
    assert results.get({"campaign": "x"}) is None
    assert results[Urn.parse("urn:li:sponsoredAccount:9")] == 2
    assert pickle.dumps(results) == before


def test_batch_results_survive_copy_and_pickle() -> None:
    results: BatchResults[int] = BatchResults({CAMPAIGN_KEY_ENCODED: 7})
    for clone in (pickle.loads(pickle.dumps(results)), copy.deepcopy(results), copy.copy(results)):
        assert isinstance(clone, BatchResults)
        assert clone[CAMPAIGN_KEY] == 7
        assert clone.get({"campaign": "other"}) is None  # a miss builds the index


def test_batch_results_unencodable_lookup_is_a_miss() -> None:
    results: BatchResults[int] = BatchResults({"1": 1})
    assert results.get(object()) is None
    assert {1, 2} not in results  # type: ignore[comparison-overlap]  # no Rest.li form
    assert results.get(float("nan")) is None


@pytest.mark.parametrize(
    "body",
    [{}, None, {"results": {}}, {"results": {"1": {"id": 1}}, "statuses": None}],
)
def test_batch_get_missing_maps_are_empty(body: Any) -> None:
    r = parse(RestliMethod.BATCH_GET, 200, body)
    assert isinstance(r.statuses, BatchResults) and isinstance(r.errors, BatchResults)
    assert r.statuses == {} and r.errors == {}


# --------------------------------------------------------------------------- BATCH_FINDER


def test_batch_finder_results_in_criteria_order_with_a_failed_criteria() -> None:
    body: dict[str, Any] = {
        "elements": [
            {
                "elements": [{"role": "ADMINISTRATOR", "organization": "urn:li:organization:1"}],
                "paging": {"count": 10, "start": 0, "links": []},
                "metadata": {"type": "first"},
            },
            {
                "isError": True,
                "error": {"status": 400, "code": "ILLEGAL_ARGUMENT", "message": "bad criteria"},
            },
            {"elements": []},
        ]
    }
    r = parse(RestliMethod.BATCH_FINDER, 200, body)
    assert type(r) is BatchFinderResponse
    first, failed, empty = r.results
    assert first == BatchFinderResult(
        elements=body["elements"][0]["elements"],
        paging=Paging(0, 10, None, []),
        metadata={"type": "first"},
    )
    assert failed.isError is True
    assert failed.error["code"] == "ILLEGAL_ARGUMENT"
    assert failed.elements == []
    assert empty.isError is False and empty.paging is None


def test_batch_finder_empty() -> None:
    assert parse(RestliMethod.BATCH_FINDER, 200, {"elements": []}).results == []
    assert parse(RestliMethod.BATCH_FINDER, 200, None).results == []


# --------------------------------------------------------------------------- CREATE


@pytest.mark.parametrize(
    ("headers", "entity_id", "decoded"),
    [
        ({"X-RestLi-Id": "616749083"}, "616749083", "616749083"),
        (
            {"x-restli-id": "urn:li:share:6844785523593134080"},
            "urn:li:share:6844785523593134080",
            "urn:li:share:6844785523593134080",
        ),
        # A simple id is raw text: it is never unescaped (PROTOCOL.md §6).
        ({"X-RestLi-Id": "urn%3Ali%3Ashare%3A1"}, "urn%3Ali%3Ashare%3A1", "urn%3Ali%3Ashare%3A1"),
        ({"X-RestLi-Id": "a%2Cb"}, "a%2Cb", "a%2Cb"),
        ({"X-RestLi-Id": CAMPAIGN_KEY_ENCODED}, CAMPAIGN_KEY_ENCODED, CAMPAIGN_KEY),
        ({"X-LinkedIn-Id": "4567"}, "4567", "4567"),  # Rest.li 1.0 name
        ({"X-RestLi-Id": "1", "X-LinkedIn-Id": "2"}, "1", "1"),
        ({}, None, None),
    ],
)
def test_create_ids(headers: dict[str, str], entity_id: str | None, decoded: Any) -> None:
    r = parse(RestliMethod.CREATE, 201, None, headers=headers)
    assert type(r) is CreateResponse
    assert r.entity_id == entity_id
    assert r.decoded_entity_id == decoded
    assert r.entity is None


def test_create_with_returned_entity() -> None:
    created = {"id": 616749083, "name": "New group", "status": "DRAFT"}
    r = parse(RestliMethod.CREATE, 201, created, headers={"X-RestLi-Id": "616749083"})
    assert r.entity == created


@pytest.mark.parametrize("bad", ["(a:b,c)", "(a,b)", "((((", "(a:b", "(a:b))", "(:)"])
def test_create_bad_complex_id_is_a_decode_error_not_a_hang(bad: str) -> None:
    with pytest.raises(ResponseDecodeError, match="X-RestLi-Id") as info:
        parse(RestliMethod.CREATE, 201, None, headers={"X-RestLi-Id": bad})
    assert isinstance(info.value.__cause__, RestliError)


@pytest.mark.parametrize(
    "pairs",
    [
        [("X-RestLi-Id", "1"), ("X-RestLi-Id", "2")],
        [("X-RestLi-Id", "1"), ("x-restli-id", "1")],  # even the same id twice
        [("X-RestLi-Id", "(a:1)"), ("X-RestLi-Id", "(a:2)")],
        [("X-LinkedIn-Id", "1"), ("X-LinkedIn-Id", "2")],
    ],
)
def test_create_with_two_id_headers_is_a_decode_error(pairs: list[tuple[str, str]]) -> None:
    # Headers joins repeated fields with ", ": "1, 2" must not pass for one id.
    response = Response(201, [*JSON_HEADERS.items(), *pairs], b"", f"{API}/adAccounts")
    request = make_request(RestliMethod.CREATE)
    with pytest.raises(ResponseDecodeError, match="more than once"):
        parse_response(request, response)
    error = Response(400, [*JSON_HEADERS.items(), *pairs], b"{}", f"{API}/adAccounts")
    typed = parse_response(request, error, raise_for_status=False)
    assert isinstance(typed, CreateResponse) and typed.error is not None
    assert typed.entity_id is None and typed.decoded_entity_id is None


def test_create_with_one_id_of_each_name_uses_the_2_0_one() -> None:
    pairs = [("X-LinkedIn-Id", "2"), ("X-RestLi-Id", "1"), ("X-LinkedIn-Id", "3")]
    response = Response(201, pairs, b"", f"{API}/adAccounts")
    typed = parse_response(make_request(RestliMethod.CREATE), response)
    assert isinstance(typed, CreateResponse) and typed.entity_id == "1"


# --------------------------------------------------------------------------- BATCH_CREATE


def test_batch_create_in_request_order_with_a_failure() -> None:
    body = {
        "elements": [
            {"status": 201, "id": "616749083", "location": "/adCampaignGroups/616749083"},
            {
                "status": 400,
                "error": {
                    "status": 400,
                    "message": "name is required",
                    "code": "FIELD_VALUE_MISSING",
                },
            },
        ]
    }
    r = parse(RestliMethod.BATCH_CREATE, 200, body)
    assert type(r) is BatchCreateResponse
    assert r.elements[0] == BatchCreateResult(201, "616749083", None, "/adCampaignGroups/616749083")
    assert r.elements[1].status == 400 and r.elements[1].id is None
    assert r.elements[1].error["code"] == "FIELD_VALUE_MISSING"


# --------------------------------------------------------------------------- UPDATE / DELETE


@pytest.mark.parametrize("method", [RestliMethod.UPDATE, RestliMethod.PARTIAL_UPDATE])
@pytest.mark.parametrize(
    ("status", "body", "entity"),
    [(204, None, None), (200, {"id": 1, "name": "Renamed"}, {"id": 1, "name": "Renamed"})],
)
def test_update(method: RestliMethod, status: int, body: Any, entity: Any) -> None:
    r = parse(method, status, body)
    assert type(r) is UpdateResponse
    assert r.entity == entity


def test_delete_is_a_base_response() -> None:
    r = parse(RestliMethod.DELETE, 204)
    assert type(r) is BaseRestliResponse
    assert r.status_code == 204


def test_delete_ignores_a_body_it_does_not_need() -> None:
    r = parse(RestliMethod.DELETE, 200, b"<html>ok</html>")
    assert type(r) is BaseRestliResponse and r.data is None


def test_non_restli_request_gets_a_base_response_with_data() -> None:
    r = parse(None, 200, {"anything": 1})
    assert type(r) is BaseRestliResponse
    assert r.data == {"anything": 1}


@pytest.mark.parametrize("method", [RestliMethod.BATCH_UPDATE, RestliMethod.BATCH_PARTIAL_UPDATE])
def test_batch_update_with_partial_failure(method: RestliMethod) -> None:
    body = {
        "results": {"123": {"status": 204}, CAMPAIGN_KEY_ENCODED: {"status": 204}},
        "errors": {"456": {"status": 404, "message": "Entity not found"}},
    }
    r = parse(method, 200, body)
    assert type(r) is BatchUpdateResponse
    assert r.results["123"] == BatchUpdateResult(204)
    assert r.results[123].status == 204
    assert r.results[CAMPAIGN_KEY].status == 204
    assert r.errors[456]["message"] == "Entity not found"
    assert 456 not in r.results  # type: ignore[comparison-overlap]


def test_batch_delete() -> None:
    body = {
        "results": {"123": {"status": 204}, "456": {"status": 404, "error": {"status": 404}}},
        "errors": {"456": {"status": 404, "message": "Not found"}},
    }
    r = parse(RestliMethod.BATCH_DELETE, 200, body)
    assert type(r) is BatchDeleteResponse
    assert r.results[123] == BatchDeleteResult(204)
    assert r.results["456"] == BatchDeleteResult(404, {"status": 404})
    assert r.errors["456"]["message"] == "Not found"


@pytest.mark.parametrize(
    "method",
    [RestliMethod.BATCH_UPDATE, RestliMethod.BATCH_PARTIAL_UPDATE, RestliMethod.BATCH_DELETE],
)
@pytest.mark.parametrize("body", [None, {}, {"results": {}}])
def test_batch_status_maps_may_be_missing(method: RestliMethod, body: Any) -> None:
    r = parse(method, 200, body)
    assert r.results == {} and r.errors == {}


# --------------------------------------------------------------------------- ACTION


@pytest.mark.parametrize(
    ("status", "body", "value"),
    [
        (
            200,
            {"value": {"uploadUrl": "https://example.invalid/u", "image": "urn:li:image:C4"}},
            {"uploadUrl": "https://example.invalid/u", "image": "urn:li:image:C4"},
        ),
        (200, {"value": 3}, 3),
        (200, {}, None),
        (200, None, None),  # void action
        (204, None, None),
    ],
)
def test_action(status: int, body: Any, value: Any) -> None:
    r = parse(RestliMethod.ACTION, status, body)
    assert type(r) is ActionResponse
    assert r.value == value


# --------------------------------------------------------------------------- 2xx shape errors


@pytest.mark.parametrize(
    ("method", "body", "match"),
    [
        (RestliMethod.FINDER, {"elements": "nope"}, "'elements' is a str, expected a list"),
        (RestliMethod.GET_ALL, [1, 2], "expected a JSON object, found list"),
        (RestliMethod.FINDER, {"elements": [], "paging": []}, "'paging' is a list"),
        (RestliMethod.FINDER, {"elements": [], "paging": {"total": "25"}}, "paging.total"),
        (RestliMethod.FINDER, {"elements": [], "paging": {"links": {}}}, "paging.'links'"),
        (RestliMethod.BATCH_GET, {"results": []}, "'results' is a list"),
        (RestliMethod.BATCH_GET, {"statuses": "x"}, "'statuses'"),
        (RestliMethod.BATCH_FINDER, {"elements": [1]}, r"elements\[0\] is a int"),
        (RestliMethod.BATCH_FINDER, {"elements": [{"paging": 3}]}, r"elements\[0\]\.'paging'"),
        (RestliMethod.BATCH_CREATE, {"elements": [{"status": "201"}]}, r"elements\[0\]\.'status'"),
        (RestliMethod.BATCH_CREATE, {"elements": {}}, "'elements' is a dict"),
        (RestliMethod.BATCH_UPDATE, {"results": {"1": 204}}, r"results\['1'\] is a int"),
        (RestliMethod.BATCH_DELETE, {"results": {"1": {"status": True}}}, "'status' is a bool"),
        (RestliMethod.ACTION, "value", "expected a JSON object, found str"),
    ],
)
def test_wrong_shape_is_a_decode_error(method: RestliMethod, body: Any, match: str) -> None:
    with pytest.raises(ResponseDecodeError, match=match) as info:
        parse(method, 200, body)
    assert isinstance(info.value, ValueError)
    assert info.value.response is not None and info.value.response.status_code == 200
    assert method.name in str(info.value)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b'{"elements": [{"id": 1}, {"id"', "invalid JSON"),
        (b"<html><body><h1>Sign in</h1></body></html>", "Sign in"),
        (b"\xff\xfe\x00garbage", "not"),
        (b"[" * 100_000, "nested too deeply|invalid JSON"),
    ],
)
def test_unparseable_2xx_body_is_a_decode_error(body: bytes, match: str) -> None:
    with pytest.raises(ResponseDecodeError, match=match) as info:
        parse(RestliMethod.FINDER, 200, body)
    text = str(info.value)
    assert len(text) < 400
    assert TOKEN not in text
    assert f"GET {API}/adAccounts" in text


# --------------------------------------------------------------------------- non-2xx

ERROR_404 = {"status": 404, "serviceErrorCode": 0, "code": "NOT_FOUND", "message": "Not Found"}


def test_non_2xx_raises_by_default() -> None:
    with pytest.raises(NotFoundError) as info:
        parse(RestliMethod.GET, 404, ERROR_404)
    assert info.value.code == "NOT_FOUND"


def test_raise_for_status_false_returns_the_typed_response_with_the_error() -> None:
    r = parse(RestliMethod.GET, 404, ERROR_404, raise_for_status=False)
    assert type(r) is GetResponse
    assert r.status_code == 404
    assert isinstance(r.error, NotFoundError)
    assert r.error.response is r.response
    assert r.entity == ERROR_404  # what could be parsed is kept, as the official client does


@pytest.mark.parametrize(
    ("method", "cls"),
    [
        (RestliMethod.FINDER, CollectionResponse),
        (RestliMethod.BATCH_GET, BatchGetResponse),
        (RestliMethod.BATCH_FINDER, BatchFinderResponse),
        (RestliMethod.CREATE, CreateResponse),
        (RestliMethod.BATCH_CREATE, BatchCreateResponse),
        (RestliMethod.BATCH_UPDATE, BatchUpdateResponse),
        (RestliMethod.BATCH_DELETE, BatchDeleteResponse),
        (RestliMethod.ACTION, ActionResponse),
        (RestliMethod.DELETE, BaseRestliResponse),
    ],
)
@pytest.mark.parametrize(
    "body", [b"<html><title>502 Bad Gateway</title></html>", b"", b'{"status": 500, "mess', b"[1]"]
)
def test_raise_for_status_false_never_raises_on_any_error_body(
    method: RestliMethod, cls: type[BaseRestliResponse], body: bytes
) -> None:
    r = parse(method, 502, body, headers={"X-RestLi-Id": "(bad"}, raise_for_status=False)
    assert type(r) is cls
    assert isinstance(r.error, ServerError)
    assert r.error.status_code == 502


def test_raise_for_status_false_keeps_a_matching_error_shape() -> None:
    body = {"elements": [], "paging": {"start": 0, "count": 0}, "message": "partial outage"}
    r = parse(RestliMethod.FINDER, 503, body, raise_for_status=False)
    assert r.paging == Paging(0, 0)
    assert r.error.message == "partial outage"
    assert r.extra == {"message": "partial outage"}


def test_responses_are_frozen() -> None:
    r = parse(RestliMethod.GET, 200, AD_ACCOUNT)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.entity = None


# --------------------------------------------------------------------------- property

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
_ENVELOPE_KEYS = st.sampled_from(
    [
        "elements",
        "paging",
        "metadata",
        "results",
        "statuses",
        "errors",
        "value",
        "status",
        "id",
        "isError",
        "error",
        "links",
        "start",
        "count",
        "total",
        "location",
    ]
)
_SHAPED = st.recursive(
    _JSON,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_ENVELOPE_KEYS, inner, max_size=5),
    max_leaves=20,
)
_BODIES = st.one_of(
    st.binary(max_size=300),
    _SHAPED.map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"", b"{", b"<html>", b"[" * 5000, b'{"elements": [', b"\xef\xbb\xbf{}"]),
)
_HEADER_VALUES = st.text(max_size=30) | st.sampled_from(["(a:b,c)", "(a,b)", "((", "(x:1)", "1"])
_METHODS = st.sampled_from([*RestliMethod, None])


@settings(max_examples=200, deadline=None)
@given(
    status=st.integers(100, 599),
    method=_METHODS,
    body=_BODIES,
    restli_id=st.none() | _HEADER_VALUES,
    retry_after=st.none() | _HEADER_VALUES,
    date=st.none() | _HEADER_VALUES,
    raise_=st.booleans(),
)
def test_any_body_any_status_only_raises_library_errors(
    status: int,
    method: RestliMethod | None,
    body: bytes,
    restli_id: str | None,
    retry_after: str | None,
    date: str | None,
    raise_: bool,
) -> None:
    headers = {}
    for name, value in (("X-RestLi-Id", restli_id), ("Retry-After", retry_after), ("Date", date)):
        if value is not None:
            headers[name] = value
    try:
        # A value HTTP forbids (CR, LF, NUL) is refused by Response itself.
        response = Response(status, headers, body, "")
        result = parse_response(make_request(method), response, raise_for_status=raise_)
    except RestliError as exc:
        text = str(exc) + repr(exc)
        assert TOKEN not in text
    else:
        assert isinstance(result, BaseRestliResponse)
        assert result.status_code == status
        assert (result.error is None) == (200 <= status <= 299)


def test_parse_response_of_something_else_is_a_misuse() -> None:
    request = make_request(RestliMethod.GET)
    with pytest.raises(RestliUsageError, match="takes a Request and a Response"):
        parse_response(request, {"status": 200})  # type: ignore[arg-type]
    with pytest.raises(RestliUsageError, match="takes a Request and a Response"):
        parse_response(None, Response(200))  # type: ignore[arg-type]

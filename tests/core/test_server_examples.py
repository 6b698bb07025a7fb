"""The embedded server holds and answers what the official client's README and examples use.

Requests are built by hand, as in ``test_server.py``, except where the point is the
exact request our builder makes (tunneling, the README's batch finder).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from restli_core import (
    BatchGetResponse,
    CreateResponse,
    Request,
    RequestBuilder,
    RestliEncodeError,
    RestliUsageError,
    parse_response,
    reduced_encode,
)
from restli_core.testing import RestliServer, load_resources
from restli_core.testing._http import parse_projection

BASE = "https://api.linkedin.com/v2"
VERSIONED = "https://api.linkedin.com/rest"
OAUTH = "https://www.linkedin.com/oauth/v2"
TOKEN = "readme-token"
COMMON = {"X-RestLi-Protocol-Version": "2.0.0", "Authorization": f"Bearer {TOKEN}"}
REDIRECT = "https://app.example/callback"


def send(
    server: RestliServer,
    method: str,
    path: str,
    body: Any = None,
    *,
    version: str | None = None,
    restli: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    all_headers = dict(COMMON)
    if version is not None:
        all_headers["LinkedIn-Version"] = version
    if restli is not None:
        all_headers["X-RestLi-Method"] = restli
    raw = None
    if body is not None:
        raw = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    base = VERSIONED if version is not None else BASE
    return server.handle(Request(method, base + path, all_headers, raw))


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.body else None


@pytest.fixture
def server() -> RestliServer:
    return RestliServer(official_examples=True)


# --------------------------------------------------------------------------- README data


def test_the_default_seed_keeps_its_counts_and_the_examples_add_the_readme_ids() -> None:
    plain = RestliServer()
    assert len(plain.collection("/adAccounts")) == 25
    assert plain.collection("/adAccounts").get(123) is None
    examples = RestliServer(official_examples=True)
    assert len(examples.collection("/adAccounts")) == 27
    assert len(examples.collection("/adCampaignGroups")) == 63
    assert examples.collection("/adCampaignGroups").get(789) is not None


def test_the_official_examples_need_the_seed() -> None:
    with pytest.raises(RestliUsageError, match="needs the seed"):
        RestliServer(seed=False, official_examples=True)


def test_readme_get_with_fields_projection(server: RestliServer) -> None:
    entity = ok(send(server, "GET", "/adAccounts/123?fields=id,name", version="202212"))
    assert entity == {"id": 123, "name": "Test Ad Account"}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("(status:(values:List(ACTIVE,DRAFT)),reference:(values:List(urn%3Ali%3Aorganization%3A123)),test:true)", {9, 21, 123}),  # noqa: E501
        ("(status:(values:List(ACTIVE,DRAFT,CANCELED)),reference:(values:List(urn%3Ali%3Aorganization%3A123)),test:false)", {1, 7, 11, 13, 17, 19, 23}),  # noqa: E501
    ],
)  # fmt: skip
def test_readme_finders_page_with_total(
    server: RestliServer, search: str, expected: set[int]
) -> None:
    body = ok(
        send(server, "GET", f"/adAccounts?q=search&search={search}&count=5", version="202212")
    )
    assert body["paging"]["total"] == len(expected)
    assert {e["id"] for e in body["elements"]} <= expected and len(body["elements"]) == min(
        5, len(expected)
    )


def test_readme_get_all_fields_of_study(server: RestliServer) -> None:
    body = ok(send(server, "GET", "/fieldsOfStudy?start=0&count=15", version="202212"))
    assert len(body["elements"]) == 15 and body["paging"]["total"] == 20


def test_readme_campaign_groups_batch_get_create_and_partial_update(server: RestliServer) -> None:
    body = ok(send(server, "GET", "/adCampaignGroups?ids=List(123,456,789)", version="202212"))
    assert set(body["results"]) == {"123", "456", "789"} and body["errors"] == {}
    created = ok(
        send(
            server,
            "POST",
            "/adCampaignGroups",
            {
                "elements": [
                    {"account": "urn:li:sponsoredAccount:111", "name": "G1", "status": "DRAFT"},
                    {"account": "urn:li:sponsoredAccount:222", "name": "G2", "status": "DRAFT"},
                ]
            },
            version="202212",
            restli="batch_create",
        )
    )
    assert [e["status"] for e in created["elements"]] == [201, 201]
    patches = {
        "123": {"patch": {"$set": {"status": "ACTIVE"}}},
        "456": {"patch": {"$set": {"runSchedule": {"start": 1678029270721}}}},
    }
    answer = ok(
        send(
            server,
            "POST",
            "/adCampaignGroups?ids=List(123,456)",
            {"entities": patches},
            version="202212",
            restli="batch_partial_update",
        )
    )
    assert answer["results"] == {"123": {"status": 204}, "456": {"status": 204}}


def test_unknown_ids_are_per_id_404_entries_never_a_failed_request(server: RestliServer) -> None:
    body = ok(send(server, "GET", "/adCampaignGroups?ids=List(123,4242)", version="202212"))
    assert body["statuses"] == {"123": 200, "4242": 404}
    assert body["errors"]["4242"]["status"] == 404
    answer = ok(send(server, "DELETE", "/adAccounts?ids=List(4242)", version="202212"))
    assert answer["results"] == {} and answer["errors"]["4242"]["status"] == 404


def test_ads_entities_are_deleted_as_linkedin_does(server: RestliServer) -> None:
    # A non-DRAFT account goes PENDING_DELETION and stays readable; deleting it again
    # still succeeds, so the README's delete then batch_delete of 123 both answer 204.
    assert send(server, "DELETE", "/adAccounts/123", version="202212").status_code == 204
    kept = ok(send(server, "GET", "/adAccounts/123", version="202212"))
    assert kept["status"] == "PENDING_DELETION"
    answer = ok(send(server, "DELETE", "/adAccounts?ids=List(123,456)", version="202212"))
    assert answer["results"] == {"123": {"status": 204}, "456": {"status": 204}}
    # A DRAFT one is removed.
    draft = {"name": "Draft", "type": "BUSINESS", "status": "DRAFT"}
    created = send(server, "POST", "/adAccounts", draft, version="202212")
    key = created.headers["X-RestLi-Id"]
    assert send(server, "DELETE", f"/adAccounts/{key}", version="202212").status_code == 204
    assert send(server, "GET", f"/adAccounts/{key}", version="202212").status_code == 404


def test_the_default_server_still_deletes_outright() -> None:
    plain = RestliServer()
    assert send(plain, "DELETE", "/adAccounts/8").status_code == 204
    assert send(plain, "GET", "/adAccounts/8").status_code == 404


def test_readme_create_on_the_unversioned_ad_accounts_v2(server: RestliServer) -> None:
    response = send(
        server, "POST", "/adAccountsV2", {"name": "Test Ad Account", "type": "BUSINESS"}
    )
    assert response.status_code == 201 and response.headers["X-RestLi-Id"] == "26"
    assert response.headers["Location"] == "/v2/adAccountsV2/26"


def test_readme_update_creates_an_ad_account_user(server: RestliServer) -> None:
    key = {"account": "urn:li:sponsoredAccount:123", "user": "urn:li:person:foobar"}
    path = "/adAccountUsers/" + reduced_encode(key)
    entity = {**key, "role": "VIEWER"}
    assert send(server, "PUT", path, entity, version="202212").status_code == 201
    assert ok(send(server, "GET", path, version="202212"))["role"] == "VIEWER"
    again = send(server, "PUT", path, {**entity, "role": "CAMPAIGN_MANAGER"}, version="202212")
    assert again.status_code == 204
    # Collections that do not upsert still answer 404.
    missing = send(server, "PUT", "/adAccounts/999", {"name": "x", "type": "BUSINESS"})
    assert missing.status_code == 404


def test_readme_batch_update_of_campaign_conversions(server: RestliServer) -> None:
    keys = [
        {"campaign": "urn:li:sponsoredCampaign:123", "conversion": f"urn:lla:llaPartnerConversion:{n}"}  # noqa: E501
        for n in (456, 789)
    ]  # fmt: skip
    request = RequestBuilder().batch_update(
        resource_path="/campaignConversions",
        ids=keys,
        entities=keys,
        access_token=TOKEN,
        version_string="202212",
    )
    answer = ok(server.handle(request))
    wires = [reduced_encode(k) for k in keys]
    assert answer["results"] == {wires[0]: {"status": 204}, wires[1]: {"status": 201}}
    assert len(server.collection("/campaignConversions")) == 5


def test_readme_batch_finder_of_organization_authorizations(server: RestliServer) -> None:
    request = RequestBuilder().batch_finder(
        resource_path="/organizationAuthorizations",
        finder_name="authorizationActionsAndImpersonator",
        finder_criteria=(
            "authorizationActions",
            [
                {"OrganizationRoleAuthorizationAction": {"actionType": "ADMINISTRATOR_READ"}},
                {"OrganizationContentAuthorizationAction": {"actionType": "ORGANIC_SHARE_DELETE"}},
                {"authorizationAction": {"organizationRoleAuthorizationAction": {"actionType": "ADMINISTRATOR_WRITE"}}},  # noqa: E501
                {"nonsense": 1},
            ],
        ),
        access_token=TOKEN,
        version_string="202212",
    )  # fmt: skip
    results = ok(server.handle(request))["elements"]
    assert len(results) == 4
    read, delete, write, bad = results
    assert [e["organization"] for e in read["elements"]] == [
        "urn:li:organization:123",
        "urn:li:organization:456",
    ]
    assert read["elements"][0] == {
        "organization": "urn:li:organization:123",
        "member": "urn:li:person:abc",
        "action": {"OrganizationRoleAuthorizationAction": {"actionType": "ADMINISTRATOR_READ"}},
        "status": {"approved": {}},
    }
    assert [e["status"] for e in delete["elements"]] == [
        {"approved": {}},
        {"denied": {"reason": "NOT_AUTHORIZED"}},
    ]
    assert len(write["elements"]) == 2 and "isError" not in write
    assert bad["isError"] is True and bad["error"]["status"] == 400
    narrowed = ok(
        send(
            server,
            "GET",
            "/organizationAuthorizations?bq=authorizationActionsAndImpersonator"
            "&authorizationActions=List((OrganizationRoleAuthorizationAction:"
            "(actionType:ADMINISTRATOR_READ)))&impersonator=urn%3Ali%3Aperson%3Anobody",
        )
    )
    assert narrowed["elements"][0]["elements"] == []


def test_readme_action_registers_a_live_event(server: RestliServer) -> None:
    params = {
        "registerLiveEventRequest": {
            "owner": "urn:li:person:12345",
            "recipes": ["urn:li:digitalmediaRecipe:feedshare-live-video"],
            "region": "WEST_US",
        }
    }
    value = ok(send(server, "POST", "/liveAssetActions?action=register", params))["value"]
    assert value["asset"].startswith("urn:li:digitalmediaAsset:")
    assert value["owner"] == "urn:li:person:12345"
    mechanism = value["uploadMechanism"]["com.linkedin.digitalmedia.uploading.RtmpUploadMechanism"]
    assert mechanism["ingestUrl"].startswith("rtmps://")
    second = ok(send(server, "POST", "/liveAssetActions?action=register", params))["value"]
    assert second["asset"] != value["asset"]
    bad = send(
        server, "POST", "/liveAssetActions?action=register", {"registerLiveEventRequest": {}}
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("path", "version", "entity", "prefix"),
    [
        (
            "/ugcPosts",
            None,
            {
                "author": "urn:li:person:abc",
                "lifecycleState": "PUBLISHED",
                "specificContent": {
                    "com.linkedin.ugc.ShareContent": {"shareMediaCategory": "NONE"}
                },
                "visibility": {"com.linkedin.ugc.MemberNetworkVisibility": "PUBLIC"},
            },
            "urn:li:ugcPost:",
        ),
        (
            "/posts",
            "202302",
            {
                "author": "urn:li:person:abc",
                "lifecycleState": "PUBLISHED",
                "visibility": "PUBLIC",
                "commentary": "Hello",
                "distribution": {"feedDistribution": "MAIN_FEED"},
            },
            "urn:li:share:",
        ),
    ],
)
def test_posts_are_created_with_linkedin_ids(
    server: RestliServer, path: str, version: str | None, entity: dict[str, Any], prefix: str
) -> None:
    response = send(server, "POST", path, entity, version=version)
    assert response.status_code == 201, response.text
    post_id = response.headers["x-restli-id"]
    assert post_id.startswith(prefix) and len(post_id.rpartition(":")[2]) == 19
    encoded = post_id.replace(":", "%3A")
    assert response.headers["Location"].endswith(f"{path}/{encoded}")
    stored = ok(send(server, "GET", f"{path}/{encoded}", version=version))
    assert stored["id"] == post_id and stored["author"] == "urn:li:person:abc"
    second = send(server, "POST", path, entity, version=version).headers["x-restli-id"]
    assert second != post_id
    finder = (
        "?q=author&author=urn%3Ali%3Aperson%3Aabc"
        if path == "/posts"
        else "?q=authors&authors=List(urn%3Ali%3Aperson%3Aabc)"
    )
    found = ok(send(server, "GET", path + finder, version=version))
    assert [e["id"] for e in found["elements"]] == [second, post_id]  # newest first
    incomplete = send(server, "POST", path, {"author": "urn:li:person:abc"}, version=version)
    assert incomplete.status_code == 422


def test_parse_response_reads_the_created_post_id(server: RestliServer) -> None:
    request = RequestBuilder().create(
        resource_path="/ugcPosts",
        entity={
            "author": "urn:li:person:abc",
            "lifecycleState": "PUBLISHED",
            "specificContent": {},
            "visibility": {},
        },
        access_token=TOKEN,
    )
    created = parse_response(request, server.handle(request))
    assert isinstance(created, CreateResponse)
    assert created.entity_id is not None and created.entity_id.startswith("urn:li:ugcPost:")


# --------------------------------------------------------------------------- /me, projections


@pytest.mark.parametrize("version", [None, "202302"])
def test_me_with_a_linkedin_projection(server: RestliServer, version: str | None) -> None:
    me = ok(
        send(
            server,
            "GET",
            "/me?projection=(id,localizedFirstName,localizedLastName)",
            version=version,
        )
    )
    assert me == {"id": "abc", "localizedFirstName": "Ada", "localizedLastName": "Lovelace"}


def test_me_with_a_decorated_profile_picture(server: RestliServer) -> None:
    query = "projection=(id,localizedFirstName,profilePicture(displayImage~:playableStreams))"
    me = ok(send(server, "GET", f"/me?{query}"))
    assert set(me) == {"id", "localizedFirstName", "profilePicture"}
    picture = me["profilePicture"]
    assert picture["displayImage"].startswith("urn:li:digitalmediaAsset:")
    streams = picture["displayImage~"]
    assert isinstance(streams, dict) and streams["paging"]["start"] == 0
    sizes = [
        e["data"]["com.linkedin.digitalmedia.mediaartifact.StillImage"]["storageSize"]["width"]
        for e in streams["elements"]
    ]
    assert sizes == [100, 200, 400, 800]
    narrowed = ok(
        send(
            server,
            "GET",
            "/me?projection=(profilePicture(displayImage~:playableStreams(elements*(identifiers))))",
        )
    )
    elements = narrowed["profilePicture"]["displayImage~"]["elements"]
    assert all(set(e) == {"identifiers"} for e in elements)


def test_an_undecoratable_urn_is_a_bang_entry(server: RestliServer) -> None:
    server.add_simple_resource("/thing", {"owner": "urn:li:person:nobody"})
    body = ok(send(server, "GET", "/thing?projection=(owner~)"))
    assert body["owner"] == "urn:li:person:nobody"
    assert body["owner!"]["status"] == 404
    server.add_decoration("urn:li:person:nobody", {"name": "Nobody"})
    assert ok(send(server, "GET", "/thing?projection=(owner~(name))"))["owner~"] == {
        "name": "Nobody"
    }


def test_projection_of_a_collection_envelope(server: RestliServer) -> None:
    body = ok(send(server, "GET", "/fieldsOfStudy?count=2&projection=(elements*(id),paging)"))
    assert body == {
        "elements": [{"id": 1}, {"id": 2}],
        "paging": body["paging"],
    } and set(body["paging"]) >= {"start", "count", "total"}
    per_entity = ok(send(server, "GET", "/fieldsOfStudy?count=2&projection=(id)"))
    assert per_entity["elements"] == [{"id": 1}, {"id": 2}] and "paging" in per_entity
    batch = ok(send(server, "GET", "/adAccounts?ids=List(1,2)&projection=(results*(id))"))
    assert batch == {"results": {"1": {"id": 1}, "2": {"id": 2}}}


@pytest.mark.parametrize(
    "query",
    [
        "projection=(id",
        "projection=(id))",
        "projection=(a,,b)",
        "projection=(a(b)c)",
        "projection=a~:",
        "fields=id&projection=(id)",
    ],
)
def test_bad_projections_are_400(server: RestliServer, query: str) -> None:
    response = send(server, "GET", f"/me?{query}")
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("text", "mask"),
    [
        ("(id,name)", {"id": None, "name": None}),
        ("id,name", {"id": None, "name": None}),
        ("(a(b,c(d)),e)", {"a": {"b": None, "c": {"d": None}}, "e": None}),
        ("(a:(b))", {"a": {"b": None}}),
        ("(elements*(id))", {"elements": {"id": None}}),
        ("(x~)", {"x~": None}),
        ("(x~:view(y))", {"x~:view": {"y": None}}),
        ("(p(x~:v),q)", {"p": {"x~:v": None}, "q": None}),
        ("", None),
    ],
)
def test_parse_projection(text: str, mask: Any) -> None:
    assert parse_projection(text) == mask


def test_userinfo(server: RestliServer) -> None:
    info = ok(send(server, "GET", "/userinfo"))
    assert info["sub"] == "abc" and info["email_verified"] is True
    assert {"name", "given_name", "family_name", "email", "picture", "locale"} <= set(info)


# --------------------------------------------------------------------------- tunneling, versions


def test_a_tunneled_400_id_batch_get() -> None:
    server = RestliServer(official_examples=True)
    ids = list(range(10**12, 10**12 + 400))  # 14 characters each: a 5.6 KB query
    request = RequestBuilder().batch_get(
        resource_path="/adCampaignGroups", ids=ids, access_token=TOKEN, version_string="202302"
    )
    assert request.tunneled and request.method == "POST"
    assert request.headers["X-HTTP-Method-Override"] == "GET"
    body = ok(server.handle(request))
    assert len(body["errors"]) == 400 and set(body["statuses"].values()) == {404}
    mixed = RequestBuilder().batch_get(
        resource_path="/adCampaignGroups",
        ids=[*ids[:399], 123],
        access_token=TOKEN,
        version_string="202302",
    )
    answer = parse_response(mixed, server.handle(mixed))
    assert isinstance(answer, BatchGetResponse)
    assert list(answer.results) == ["123"] and len(answer.errors) == 399


@pytest.mark.parametrize("version", ["202212", "202302", "202401", "202511", "202406.01"])
def test_readme_and_current_versions_are_served_by_default(version: str) -> None:
    server = RestliServer()
    assert send(server, "GET", "/adAccounts/1", version=version).status_code == 200


def test_retiring_versions_stays_an_option() -> None:
    server = RestliServer(retired_versions={"202212"})
    response = send(server, "GET", "/adAccounts/1", version="202212")
    assert response.status_code == 426 and response.json()["code"] == "NONEXISTENT_VERSION"
    assert send(server, "GET", "/adAccounts/1", version="202302").status_code == 200


# --------------------------------------------------------------------------- faults


def test_a_probabilistic_fault_is_seeded_and_unlimited() -> None:
    def outcomes(seed: int) -> list[int]:
        server = RestliServer(fault_seed=seed)
        server.inject(503, times=None, probability=0.3)
        return [send(server, "GET", "/adAccounts/1").status_code for _ in range(200)]

    first = outcomes(7)
    assert first == outcomes(7)  # reproducible
    failed = first.count(503)
    assert 30 < failed < 90 and first.count(200) == 200 - failed
    assert outcomes(8) != first


def test_an_unlimited_fault_stays_until_removed() -> None:
    server = RestliServer()
    fault = server.inject(429, times=None, retry_after=2)
    assert all(send(server, "GET", "/me").status_code == 429 for _ in range(5))
    server.faults.remove(fault)
    assert send(server, "GET", "/me").status_code == 200


@pytest.mark.parametrize("probability", [0.0, -0.5, 1.5])
def test_bad_probabilities_are_refused(probability: float) -> None:
    with pytest.raises(RestliEncodeError):
        RestliServer().inject(503, probability=probability)


# --------------------------------------------------------------------------- OAuth authorization


def authorize(server: RestliServer, **params: str) -> Any:
    query = urlencode(params)
    return server.handle(Request("GET", f"{OAUTH}/authorization?{query}", {}, None))


def exchange(server: RestliServer, code: str, redirect: str = REDIRECT, **extra: str) -> Any:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect,
        "client_id": "cid",
        "client_secret": "secret",
        **extra,
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return server.handle(Request("POST", f"{OAUTH}/accessToken", headers, urlencode(form).encode()))


def redirected(response: Any) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(location.query).items()}


MEMBER = {
    "response_type": "code",
    "client_id": "cid",
    "redirect_uri": REDIRECT,
    "scope": "r_liteprofile r_emailaddress w_member_social",
    "state": "123abc",
}


def test_member_authorization_code_exchange_and_me() -> None:
    server = RestliServer(tokens=["static"])
    query = redirected(authorize(server, **MEMBER))
    assert query["state"] == "123abc" and query["code"]
    granted = exchange(server, query["code"])
    assert granted.status_code == 200
    body = granted.json()
    assert body["scope"] == "r_liteprofile,r_emailaddress,w_member_social"
    token = body["access_token"]
    me = send(
        server, "GET", "/me?projection=(id)", headers={"Authorization": f"Bearer {token}"}
    )  # accepted although tokens= is set: the server issued it
    assert ok(me) == {"id": "abc"}
    again = exchange(server, query["code"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"redirect": "https://evil.example/cb"}, "another redirect_uri"),
        ({"client_id": "other"}, "another client"),
    ],
)
def test_an_issued_code_is_bound_to_its_client_and_redirect(
    change: dict[str, str], why: str
) -> None:
    server = RestliServer()
    code = redirected(authorize(server, **MEMBER))["code"]
    redirect = change.pop("redirect", REDIRECT)
    response = exchange(server, code, redirect, **change)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant", why
    assert exchange(server, code).status_code == 400  # a failed attempt used it up


def test_an_issued_code_expires() -> None:
    server = RestliServer()
    code = redirected(authorize(server, **MEMBER))["code"]
    server.oauth.now += 1801
    assert exchange(server, code).json()["error"] == "invalid_grant"


def test_pkce_is_checked_at_the_exchange() -> None:
    verifier = "a-verifier-long-enough-to-be-a-real-pkce-verifier-0123456789"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    pkce = {**MEMBER, "code_challenge": challenge.decode(), "code_challenge_method": "S256"}
    server = RestliServer()
    code = redirected(authorize(server, **pkce))["code"]
    assert exchange(server, code, code_verifier="wrong").json()["error"] == "invalid_grant"
    code = redirected(authorize(server, **pkce))["code"]
    assert exchange(server, code, code_verifier=verifier).status_code == 200
    plain = redirected(authorize(server, **{**pkce, "code_challenge_method": "plain"}))
    assert plain["error"] == "invalid_request" and plain["state"] == "123abc"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"response_type": ""}, "invalid_request"),
        ({"scope": ""}, "invalid_scope"),
    ],
)
def test_authorization_errors_are_redirected_with_the_state(
    change: dict[str, str], error: str
) -> None:
    query = redirected(authorize(RestliServer(), **{**MEMBER, **change}))
    assert query["error"] == error and query["state"] == "123abc" and "code" not in query


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"client_id": ""}, 400, "invalid_request"),
        ({"redirect_uri": ""}, 400, "invalid_request"),
        ({"redirect_uri": "not-a-url"}, 400, "invalid_request"),
        ({"client_id": "unknown"}, 400, "invalid_client"),
    ],
)
def test_authorization_without_a_usable_client_or_redirect_is_not_redirected(
    change: dict[str, str], status: int, error: str
) -> None:
    server = RestliServer(oauth_clients={"cid": "secret"})
    response = authorize(server, **{**MEMBER, **change})
    assert response.status_code == status and "Location" not in response.headers
    assert response.json()["error"] == error


def test_authorization_takes_get() -> None:
    server = RestliServer()
    response = server.handle(Request("POST", f"{OAUTH}/authorization", {}, b""))
    assert response.status_code == 405


# --------------------------------------------------------------------------- load_resources


WIDGETS = {
    "path": "/widgets",
    "entities": [
        {"id": 1, "name": "a", "color": "red", "test": True},
        {"id": 2, "name": "b", "color": "blue", "test": False},
        {"id": 3, "name": "c", "color": "red", "test": False},
    ],
    "required": ["name"],
    "finders": {
        "byColor": {"params": ["color"]},
        "byShade": {"params": {"shade": "color"}, "cursor": True},
        "search": {"search": ["name", "color"], "booleans": ["test"]},
    },
    "actions": {"spin": {"value": {"spun": True}}, "echo": {"echo": True}, "ping": {"value": None}},
}


def test_load_resources_collection_finders_and_actions() -> None:
    server = RestliServer()
    added = load_resources(server, {"resources": [WIDGETS]})
    assert [r.path for r in added] == ["/widgets"]
    assert ok(send(server, "GET", "/widgets/2"))["name"] == "b"
    found = ok(send(server, "GET", "/widgets?q=byColor&color=red"))
    assert [e["id"] for e in found["elements"]] == [1, 3] and found["paging"]["total"] == 2
    either = ok(send(server, "GET", "/widgets?q=byColor&color=List(red,blue)"))
    assert either["paging"]["total"] == 3
    shade = ok(send(server, "GET", "/widgets?q=byShade&shade=red&pageSize=1"))
    assert len(shade["elements"]) == 1 and "nextPageToken" in shade["metadata"]
    search = "(color:(values:List(red)),test:false)"
    found = ok(send(server, "GET", f"/widgets?q=search&search={search}"))
    assert [e["id"] for e in found["elements"]] == [3]
    assert ok(send(server, "POST", "/widgets?action=spin", {})) == {"value": {"spun": True}}
    assert ok(send(server, "POST", "/widgets?action=echo", {"x": 1})) == {"value": {"x": 1}}
    assert send(server, "POST", "/widgets?action=ping", {}).body == b""
    assert send(server, "POST", "/widgets", {"color": "green"}).status_code == 422
    created = send(server, "POST", "/widgets", {"name": "d"})
    assert created.status_code == 201 and created.headers["X-RestLi-Id"] == "4"


def test_load_resources_simple_compound_and_extended_seed_resources() -> None:
    server = RestliServer()
    load_resources(
        server,
        {
            "resources": [
                {"path": "/settings", "entity": {"lang": "en"}, "methods": ["get", "update"]},
                {
                    "path": "/pairs",
                    "key": ["left", "right"],
                    "key_type": "str",
                    "upsert": True,
                    "entities": [{"left": "a", "right": "b", "n": 1}],
                },
                {
                    "path": "/adAccounts",
                    "entities": [{"id": 900, "name": "Mine", "type": "BUSINESS"}],
                },
                {"path": "/me", "entity": {"id": "zed"}},
            ]
        },
    )
    assert ok(send(server, "GET", "/settings")) == {"lang": "en"}
    assert send(server, "DELETE", "/settings").status_code == 400  # not in methods
    assert ok(send(server, "GET", "/pairs/(left:a,right:b)"))["n"] == 1
    assert send(server, "PUT", "/pairs/(left:x,right:y)", {"n": 2}).status_code == 201
    assert ok(send(server, "GET", "/adAccounts/900"))["name"] == "Mine"
    assert len(server.collection("/adAccounts")) == 26
    assert ok(send(server, "GET", "/me")) == {"id": "zed"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "resources"),
        ({"resources": {}}, "list"),
        ({"resources": [{"entities": []}]}, "resources[0].path"),
        ({"resources": [{"path": "widgets"}]}, "resources[0]"),
        ({"resources": [{"path": "/w", "colour": 1}]}, "unknown field(s) 'colour'"),
        ({"resources": [{"path": "/w", "key_type": "float"}]}, "key_type"),
        ({"resources": [{"path": "/w", "methods": ["fetch"]}]}, "unknown method 'fetch'"),
        ({"resources": [{"path": "/w", "entities": [{"name": "x"}], "key_type": "str"}]}, "'id'"),
        ({"resources": [{"path": "/w", "finders": {"f": {}}}]}, "finders.f"),
        ({"resources": [{"path": "/w", "actions": {"a": {"run": 1}}}]}, "actions.a"),
        ({"resources": [{"path": "/adAccounts", "key": "name"}]}, "cannot change"),
        ({"resources": [{"path": "/adAccounts", "entities": [{"id": "x"}]}]}, "entities[0]"),
    ],
)
def test_load_resources_errors_name_the_place_and_change_nothing(data: Any, message: str) -> None:
    server = RestliServer()
    before = dict(server.resources)
    ok_first = {"path": "/fine", "entities": [{"id": 1}]}
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        data = {"resources": [ok_first, *data["resources"]]}
        message = message.replace("resources[0]", "resources[1]")
    with pytest.raises(RestliUsageError) as info:
        load_resources(server, data)
    assert message in str(info.value)
    assert server.resources == before and len(server.collection("/adAccounts")) == 25

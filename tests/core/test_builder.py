"""RequestBuilder: URL shapes, headers and bodies of the 14 Rest.li methods (PROTOCOL.md §4)."""

from __future__ import annotations

import enum
import json
import types
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import (
    Request,
    RequestBuilder,
    RestliEncodeError,
    RestliError,
    RestliMethod,
    RestliUsageError,
    Urn,
    __version__,
)

TOKEN = "AQV-token_123.x~y"
V2 = "https://api.linkedin.com/v2"
REST = "https://api.linkedin.com/rest"

builder = RequestBuilder()


def build(method: str, **kwargs: Any) -> Request:
    kwargs.setdefault("access_token", TOKEN)
    return getattr(builder, method)(**kwargs)  # type: ignore[no-any-return]


def body_json(request: Request) -> Any:
    assert request.body is not None
    return json.loads(request.body)


# --------------------------------------------------------------------------- the table

# (method, kwargs, HTTP verb, URL, JSON body or None)
CASES: list[tuple[str, dict[str, Any], str, str, Any]] = [
    ("get", {"resource_path": "/me"}, "GET", f"{V2}/me", None),
    (
        "get",
        {"resource_path": "/adAccounts/{id}", "path_keys": {"id": 123}},
        "GET",
        f"{V2}/adAccounts/123",
        None,
    ),
    (
        "get",
        {
            "resource_path": "/adAccounts/{id}",
            "path_keys": {"id": 123},
            "query_params": {"fields": "id,name"},
            "version_string": "202212",
        },
        "GET",
        f"{REST}/adAccounts/123?fields=id,name",
        None,
    ),
    (
        "batch_get",
        {"resource_path": "/adCampaignGroups", "ids": [123, 456, 789]},
        "GET",
        f"{V2}/adCampaignGroups?ids=List(123,456,789)",
        None,
    ),
    (
        "batch_get",
        {
            "resource_path": "/organizations",
            "ids": ["urn:li:organization:1", ""],
            "query_params": {"fields": ["id", "name"]},
        },
        "GET",
        f"{V2}/organizations?fields=id,name&ids=List(urn%3Ali%3Aorganization%3A1,'')",
        None,
    ),
    (
        "get_all",
        {"resource_path": "/fieldsOfStudy", "query_params": {"start": 0, "count": 15}},
        "GET",
        f"{V2}/fieldsOfStudy?count=15&start=0",
        None,
    ),
    (
        "finder",
        {
            "resource_path": "/adAccounts",
            "finder_name": "search",
            "query_params": {"search": {"test": False, "status": {"values": ["ACTIVE"]}}},
        },
        "GET",
        f"{V2}/adAccounts?q=search&search=(status:(values:List(ACTIVE)),test:false)",
        None,
    ),
    (
        "batch_finder",
        {
            "resource_path": "/organizationAuthorizations",
            "finder_name": "authorizationActionsAndImpersonator",
            "finder_criteria": ("authorizationActions", [{"a": "x y"}, {"b": 1}]),
            "query_params": {"start": 0},
        },
        "GET",
        f"{V2}/organizationAuthorizations?authorizationActions=List((a:x%20y),(b:1))"
        "&bq=authorizationActionsAndImpersonator&start=0",
        None,
    ),
    (
        "create",
        {"resource_path": "/adAccounts", "entity": {"name": "A", "test": True}},
        "POST",
        f"{V2}/adAccounts",
        {"name": "A", "test": True},
    ),
    (
        "batch_create",
        {"resource_path": "/adCampaignGroups", "entities": [{"n": 1}, {"n": 2}]},
        "POST",
        f"{V2}/adCampaignGroups",
        {"elements": [{"n": 1}, {"n": 2}]},
    ),
    (
        "update",
        {"resource_path": "/adAccounts/{id}", "path_keys": {"id": 7}, "entity": {"n": 1}},
        "PUT",
        f"{V2}/adAccounts/7",
        {"n": 1},
    ),
    (
        "batch_update",
        {"resource_path": "/adAccounts", "ids": [1, "urn:li:x:2"], "entities": [{"n": 1}, {}]},
        "PUT",
        f"{V2}/adAccounts?ids=List(1,urn%3Ali%3Ax%3A2)",
        {"entities": {"1": {"n": 1}, "urn:li:x:2": {}}},
    ),
    (
        "partial_update",
        {
            "resource_path": "/adAccounts/{id}",
            "path_keys": {"id": 123},
            "patch_set_object": {"name": "New"},
        },
        "POST",
        f"{V2}/adAccounts/123",
        {"patch": {"$set": {"name": "New"}}},
    ),
    (
        "batch_partial_update",
        {
            "resource_path": "/adCampaignGroups",
            "ids": ["123", "456"],
            "patch_set_objects": [{"status": "ACTIVE"}, {"runSchedule": {"start": 1}}],
        },
        "POST",
        f"{V2}/adCampaignGroups?ids=List(123,456)",
        {
            "entities": {
                "123": {"patch": {"$set": {"status": "ACTIVE"}}},
                "456": {"patch": {"$set": {"runSchedule": {"start": 1}}}},
            }
        },
    ),
    (
        "delete",
        {"resource_path": "/adAccounts/{id}", "path_keys": {"id": 123}},
        "DELETE",
        f"{V2}/adAccounts/123",
        None,
    ),
    (
        "batch_delete",
        {"resource_path": "/adAccounts", "ids": ["123", "456"]},
        "DELETE",
        f"{V2}/adAccounts?ids=List(123,456)",
        None,
    ),
    (
        "action",
        {"resource_path": "/liveAssetActions", "action_name": "register"},
        "POST",
        f"{V2}/liveAssetActions?action=register",
        {},
    ),
    (
        "action",
        {
            "resource_path": "/assets",
            "action_name": "registerUpload",
            "action_params": {"req": {"owner": "urn:li:person:1"}},
            "query_params": {"z": 1},
        },
        "POST",
        f"{V2}/assets?action=registerUpload&z=1",
        {"req": {"owner": "urn:li:person:1"}},
    ),
]


@pytest.mark.parametrize(
    ("method", "kwargs", "verb", "url", "body"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_method_table(method: str, kwargs: dict[str, Any], verb: str, url: str, body: Any) -> None:
    request = build(method, **kwargs)
    assert request.method == verb
    assert request.url == url
    assert request.restli_method is RestliMethod[method.upper()]
    assert request.tunneled is False
    assert request.headers["X-RestLi-Method"] == method
    assert request.headers["X-RestLi-Protocol-Version"] == "2.0.0"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    if body is None:
        assert request.body is None
        assert "Content-Type" not in request.headers
    else:
        assert body_json(request) == body
        assert request.headers["Content-Type"] == "application/json"
    assert "X-HTTP-Method-Override" not in request.headers


def test_every_method_is_covered() -> None:
    assert {c[0] for c in CASES} == {m.wire_name for m in RestliMethod}


# --------------------------------------------------------------------------- headers


def test_exact_headers_without_body_or_version() -> None:
    request = build("get", resource_path="/me")
    assert request.headers.raw == (
        ("X-RestLi-Protocol-Version", "2.0.0"),
        ("User-Agent", f"restli-client/{__version__}"),
        ("X-RestLi-Method", "get"),
        ("Authorization", f"Bearer {TOKEN}"),
    )


def test_exact_headers_with_body_and_version() -> None:
    request = build("create", resource_path="/posts", entity={"a": 1}, version_string="202401.03")
    assert request.url == f"{REST}/posts"
    assert request.headers.raw == (
        ("X-RestLi-Protocol-Version", "2.0.0"),
        ("User-Agent", f"restli-client/{__version__}"),
        ("X-RestLi-Method", "create"),
        ("Authorization", f"Bearer {TOKEN}"),
        ("LinkedIn-Version", "202401.03"),
        ("Content-Type", "application/json"),
    )


def test_user_agent_suffix() -> None:
    custom = RequestBuilder(user_agent="my-app/1.2")
    assert custom.user_agent == f"restli-client/{__version__} my-app/1.2"
    request = custom.get(resource_path="/me", access_token=TOKEN)
    assert request.headers["user-agent"] == f"restli-client/{__version__} my-app/1.2"


@pytest.mark.parametrize("agent", ["bad\r\nX-Evil: 1", "tab\there", "caf\u00e9"])
def test_user_agent_rejects_control_and_non_ascii(agent: str) -> None:
    with pytest.raises(RestliUsageError, match="user_agent"):
        RequestBuilder(user_agent=agent)


def test_request_repr_hides_token() -> None:
    request = build("create", resource_path="/a", entity={"secret": "body"})
    assert TOKEN not in repr(request)
    assert "body" not in repr(request).replace("body=<", "")


# --------------------------------------------------------------------------- bodies


def test_body_is_compact_utf8_with_non_ascii_kept() -> None:
    request = build("create", resource_path="/a", entity={"name": "Café ☕", "list": [1, 2.5]})
    assert request.body == '{"name":"Café ☕","list":[1,2.5]}'.encode()


def test_body_accepts_urn_and_enum_values() -> None:
    class Status(enum.Enum):
        ACTIVE = "ACTIVE"

    entity = {"owner": Urn.parse("urn:li:person:1"), "status": Status.ACTIVE}
    request = build("create", resource_path="/a", entity=entity)
    assert body_json(request) == {"owner": "urn:li:person:1", "status": "ACTIVE"}


@pytest.mark.parametrize(
    ("entity", "fragment"),
    [
        ({"x": {1, 2}}, "set"),
        ({"x": float("nan")}, "entity"),
        ({"x": float("inf")}, "entity"),
        ({"x": b"bytes"}, "bytes"),
        ({"x": "\ud800"}, "entity"),  # a lone surrogate is not UTF-8
        ({(1, 2): 1}, "entity"),
    ],
)
def test_unencodable_body_names_the_argument(entity: dict[Any, Any], fragment: str) -> None:
    with pytest.raises(RestliEncodeError, match="entity") as info:
        build("create", resource_path="/a", entity=entity)
    assert fragment in str(info.value)


def test_batch_body_keys_use_the_reduced_form() -> None:
    ids = [
        {"campaign": "urn:li:sponsoredCampaign:1", "name": "a b"},
        "urn:li:x:1",
        5,
        "with space",
        Urn.parse("urn:li:person:9"),
    ]
    request = build("batch_update", resource_path="/r", ids=ids, entities=[{}] * 5)
    assert list(body_json(request)["entities"]) == [
        "(campaign:urn%3Ali%3AsponsoredCampaign%3A1,name:a b)",
        "urn:li:x:1",
        "5",
        "with space",
        "urn:li:person:9",
    ]
    assert request.url == (
        f"{V2}/r?ids=List((campaign:urn%3Ali%3AsponsoredCampaign%3A1,name:a%20b),"
        "urn%3Ali%3Ax%3A1,5,with%20space,urn%3Ali%3Aperson%3A9)"
    )


def test_batch_body_repeated_key_is_an_error() -> None:
    with pytest.raises(RestliUsageError, match=r"ids\[1\] repeats"):
        build("batch_update", resource_path="/r", ids=[1, "1"], entities=[{}, {}])


def test_batch_create_keeps_order() -> None:
    entities = [{"i": i} for i in range(5)]
    request = build("batch_create", resource_path="/r", entities=entities)
    assert body_json(request) == {"elements": entities}


def test_action_none_params_is_empty_object() -> None:
    assert build("action", resource_path="/r", action_name="go").body == b"{}"


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("path_keys", "expected"),
    [
        ({"id": "a/b c?d;e"}, "/r/a%2Fb%20c%3Fd%3Be"),
        ({"id": "urn:li:share:1"}, "/r/urn%3Ali%3Ashare%3A1"),
        ({"id": ""}, "/r/''"),
        ({"id": {"b": "x=y&z", "a": 1}}, "/r/(a:1,b:x=y&z)"),
        ({"id": "é"}, "/r/%C3%A9"),
        ({"id": True}, "/r/true"),
    ],
)
def test_path_keys_use_path_encoding(path_keys: dict[str, Any], expected: str) -> None:
    assert build("get", resource_path="/r/{id}", path_keys=path_keys).url == V2 + expected


def test_several_placeholders_and_repeated_one() -> None:
    request = build(
        "get",
        resource_path="/socialActions/{actionUrn}/comments/{commentId}",
        path_keys={"actionUrn": "urn:li:share:123", "commentId": 987},
    )
    assert request.url == f"{V2}/socialActions/urn%3Ali%3Ashare%3A123/comments/987"
    again = build("get", resource_path="/a/{k}/b/{k}", path_keys={"k": 1})
    assert again.url == f"{V2}/a/1/b/1"


@pytest.mark.parametrize(
    ("resource_path", "path_keys", "pattern"),
    [
        ("/r/{id}", None, r"placeholder \{id\} has no value"),
        ("/r/{id}", {}, r"placeholder \{id\} has no value"),
        ("/r/{id}", {"key": 1}, r"placeholder \{id\} has no value"),
        ("/r/{id}", {"id": 1, "extra": 2}, r"'extra'.*no placeholder \{extra\}"),
        ("/r", {"id": 1}, r"'id'.*no placeholder \{id\}"),
        ("/r/{id}", [("id", 1)], "path_keys must be a dict"),
        ("/r/{id", {"id": 1}, "malformed placeholder"),
        ("/r/{}", {"": 1}, "malformed placeholder"),
        ("/r/id}", {"id": 1}, "'}' without '{'"),
    ],
)
def test_path_key_mismatch(resource_path: str, path_keys: Any, pattern: str) -> None:
    with pytest.raises(RestliUsageError, match=pattern):
        build("get", resource_path=resource_path, path_keys=path_keys)


@pytest.mark.parametrize(
    ("path_keys", "pattern"),
    [
        ({"id": None}, r"path_keys\['id'\]"),
        ({"id": {"a": [None]}}, r"path_keys\['id'\]\['a'\]\[0\]"),
        ({"id": float("nan")}, r"path_keys\['id'\]"),
    ],
)
def test_path_key_without_rest_li_form(path_keys: Any, pattern: str) -> None:
    with pytest.raises(RestliEncodeError, match=pattern):
        build("get", resource_path="/r/{id}", path_keys=path_keys)


@pytest.mark.parametrize(
    ("resource_path", "pattern"),
    [
        ("", "resource_path is empty"),
        ("adAccounts", "must start with '/'"),
        (None, "resource_path must be a str"),
        ("/a?b=1", "query_params"),
        ("/a#frag", "'#'"),
        ("/a b", "spaces"),
        ("/a\r\nb", "control"),
        ("/café", "non-ASCII"),
    ],
)
def test_bad_resource_path(resource_path: Any, pattern: str) -> None:
    with pytest.raises(RestliUsageError, match=pattern):
        build("get", resource_path=resource_path)


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize(
    ("method", "kwargs", "name"),
    [
        ("finder", {"finder_name": "search", "query_params": {"q": "x"}}, "q"),
        (
            "batch_finder",
            {"finder_name": "f", "finder_criteria": ("c", [{}]), "query_params": {"bq": "x"}},
            "bq",
        ),
        (
            "batch_finder",
            {"finder_name": "f", "finder_criteria": ("c", [{}]), "query_params": {"c": "x"}},
            "c",
        ),
        ("batch_get", {"ids": [1], "query_params": {"ids": [2]}}, "ids"),
        ("batch_delete", {"ids": [1], "query_params": {"ids": [2]}}, "ids"),
        ("batch_update", {"ids": [1], "entities": [{}], "query_params": {"ids": [2]}}, "ids"),
        (
            "batch_partial_update",
            {"ids": [1], "patch_set_objects": [{}], "query_params": {"ids": [2]}},
            "ids",
        ),
        ("action", {"action_name": "go", "query_params": {"action": "other"}}, "action"),
    ],
)
def test_reserved_query_param_clash(method: str, kwargs: dict[str, Any], name: str) -> None:
    with pytest.raises(RestliUsageError, match=f"query_params must not contain '{name}'"):
        build(method, resource_path="/r", **kwargs)


def test_reserved_name_is_free_where_the_method_does_not_set_it() -> None:
    assert build("get_all", resource_path="/r", query_params={"q": "x"}).url == f"{V2}/r?q=x"


def test_none_query_values_are_dropped_and_do_not_clash() -> None:
    request = build("finder", resource_path="/r", finder_name="f", query_params={"q": None})
    assert request.url == f"{V2}/r?q=f"


def test_query_is_sorted_by_encoded_name_with_reserved_names_merged() -> None:
    request = build(
        "finder",
        resource_path="/r",
        finder_name="byThing",
        query_params={"z": 1, "a": "x", "qa": 2, "p": 3, "q-x": 4},
    )
    assert request.url == f"{V2}/r?a=x&p=3&q=byThing&q-x=4&qa=2&z=1"


def test_finder_name_is_query_encoded() -> None:
    assert build("finder", resource_path="/r", finder_name="a b").url == f"{V2}/r?q=a%20b"


@pytest.mark.parametrize(
    ("query_params", "pattern"),
    [
        ({"x": {1, 2}}, "query parameter 'x'"),
        ({"x": [None]}, r"query parameter 'x'\[0\]"),
        ({"x": float("nan")}, "query parameter 'x'"),
        ({"fields": 3}, "query parameter 'fields'"),
        ({1: "a"}, "names must be strings"),
    ],
)
def test_unencodable_query_params(query_params: Any, pattern: str) -> None:
    with pytest.raises(RestliEncodeError, match=pattern):
        build("get_all", resource_path="/r", query_params=query_params)


def test_query_params_of_another_type_is_a_misuse() -> None:
    with pytest.raises(RestliUsageError, match="query_params must be a dict"):
        build("get_all", resource_path="/r", query_params=[("a", 1)])


@pytest.mark.parametrize(
    ("method", "kwargs", "pattern"),
    [
        ("batch_get", {"ids": "123"}, "ids must be a list"),
        ("batch_update", {"ids": [1, 2], "entities": [{}]}, "same length"),
        ("batch_update", {"ids": [1], "entities": ["x"]}, r"entities\[0\] must be a dict"),
        ("batch_partial_update", {"ids": [1, 2], "patch_set_objects": [{}]}, "same length"),
        ("batch_partial_update", {"ids": [1]}, "exactly one of"),
        ("batch_create", {"entities": {"a": 1}}, "entities must be a list"),
        ("create", {"entity": ["x"]}, "entity must be a dict"),
        ("finder", {"finder_name": ""}, "finder_name is empty"),
        ("finder", {"finder_name": 1}, "finder_name must be a str"),
        ("batch_finder", {"finder_name": "f", "finder_criteria": ("c",)}, "finder_criteria"),
        ("batch_finder", {"finder_name": "f", "finder_criteria": (1, [])}, r"finder_criteria\[0\]"),
        ("batch_finder", {"finder_name": "f", "finder_criteria": ("c", {})}, r"criteria\[1\]"),
        ("batch_finder", {"finder_name": "f", "finder_criteria": ("bq", [])}, "must not be 'bq'"),
        ("action", {"action_name": None}, "action_name"),
        ("action", {"action_name": "a", "action_params": [1]}, "action_params must be a dict"),
    ],
)
def test_bad_arguments(method: str, kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(RestliUsageError, match=pattern):
        build(method, resource_path="/r", **kwargs)


@pytest.mark.parametrize(
    ("method", "kwargs", "pattern"),
    [
        ("batch_get", {"ids": [1, None]}, r"ids\[1\]"),
        ("batch_get", {"ids": [{1, 2}]}, r"ids\[0\]"),
        ("batch_update", {"ids": [float("nan")], "entities": [{}]}, r"ids\[0\]"),
        ("action", {"action_name": "a", "action_params": {"x": {1}}}, "action_params"),
    ],
)
def test_arguments_without_rest_li_form(method: str, kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(RestliEncodeError, match=pattern):
        build(method, resource_path="/r", **kwargs)


# --------------------------------------------------------------------------- tokens and versions


@pytest.mark.parametrize(
    ("token", "pattern"),
    [
        ("", "access_token is empty"),
        (123, "access_token must be a str"),
        ("abc\r\nX-Injected: 1", "control character"),
        ("abc\ndef", "control character"),
        ("abc\x00", "control character"),
        ("tökén", "non-ASCII"),
        ("two words", "space"),
    ],
)
def test_bad_token(token: Any, pattern: str) -> None:
    with pytest.raises(RestliUsageError, match=pattern) as info:
        build("get", resource_path="/me", access_token=token)
    if isinstance(token, str) and token:
        assert token not in str(info.value)


def test_no_token_builds_no_authorization_header() -> None:
    # What a client with credentials= fills in when it sends.
    request = build("get", resource_path="/me", access_token=None)
    assert "Authorization" not in request.headers
    assert request.token is None
    assert request.with_access_token("AQV-new").headers["Authorization"] == "Bearer AQV-new"


@pytest.mark.parametrize("version", ["202212", "202401.01", "199901", "202412.99"])
def test_good_versions(version: str) -> None:
    request = build("get", resource_path="/me", version_string=version)
    assert request.headers["LinkedIn-Version"] == version
    assert request.url == f"{REST}/me"


@pytest.mark.parametrize(
    "version",
    [
        "",
        "2022",
        "202213",
        "202200",
        "202212.1",
        "202212.001",
        "202212.",
        "2022-12",
        "abcdef",
        " 202212",
        "202212\r\n",
        "\uff12\uff10\uff12\uff12\uff11\uff12",  # full-width "202212": str.isdigit says digits
    ],
)
def test_bad_versions(version: Any) -> None:
    with pytest.raises(RestliUsageError, match="version_string"):
        build("get", resource_path="/me", version_string=version)


def test_a_version_that_is_not_text_is_a_misuse() -> None:
    with pytest.raises(RestliUsageError, match="version_string must be a str"):
        build("get", resource_path="/me", version_string=202212)


def test_errors_are_value_errors_and_restli_errors() -> None:
    with pytest.raises(ValueError, match="version_string"):
        build("get", resource_path="/me", version_string="x")
    with pytest.raises(RestliError):
        build("get", resource_path="/me", version_string="x")


# --------------------------------------------------------------------------- construction


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://api.linkedin.com/v2", "https://api.linkedin.com/v2"),
        ("https://api.linkedin.com/v2/", "https://api.linkedin.com/v2"),
        ("https://api.linkedin.com/v2///", "https://api.linkedin.com/v2"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://127.1.2.3", "http://127.1.2.3"),
        ("http://localhost:9000/v2", "http://localhost:9000/v2"),
        ("http://LOCALHOST", "http://LOCALHOST"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_base_url_accepted(base_url: str, expected: str) -> None:
    custom = RequestBuilder(base_url=base_url, versioned_base_url=base_url)
    assert custom.base_url == expected
    assert custom.get(resource_path="/me", access_token=TOKEN).url == f"{expected}/me"
    assert custom.versioned_base_url == expected


@pytest.mark.parametrize(
    ("base_url", "pattern"),
    [
        ("http://api.linkedin.com/v2", "plain http"),
        ("http://10.0.0.1", "plain http"),
        ("http://localhost.evil.com", "plain http"),
        ("http://128.0.0.1", "plain http"),
        ("ftp://127.0.0.1", "https"),
        ("https://", "https"),
        ("api.linkedin.com/v2", "https"),
        ("https://user:pw@api.linkedin.com", "credentials"),
        ("https://api.linkedin.com/v2?x=1", "query"),
        ("https://api.linkedin.com:99999", "not a valid URL"),
        ("https://api.linkedin.com/\r\n", "control"),
        (b"https://api.linkedin.com", "must be a str"),
    ],
)
def test_base_url_rejected(base_url: Any, pattern: str) -> None:
    with pytest.raises(RestliUsageError, match=pattern):
        RequestBuilder(base_url=base_url)
    with pytest.raises(RestliUsageError, match="versioned_base_url"):
        RequestBuilder(versioned_base_url=base_url)


@pytest.mark.parametrize("value", [-1, 1.5, "4000", True, None])
def test_bad_max_query_length(value: Any) -> None:
    with pytest.raises(RestliUsageError, match="max_query_length"):
        RequestBuilder(max_query_length=value)


def test_builder_repr_and_properties() -> None:
    custom = RequestBuilder(max_query_length=10)
    assert custom.max_query_length == 10
    assert "max_query_length=10" in repr(custom)


def test_methods_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        builder.get("/me", TOKEN)  # type: ignore[call-arg]


# --------------------------------------------------------------------------- robustness

anything = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=6)
    | st.binary(max_size=3)
    | st.sets(st.integers(), max_size=2),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(
    method=st.sampled_from([m.wire_name for m in RestliMethod]),
    resource_path=st.sampled_from(["/r", "/r/{id}", "", "r", "/r/{", "/a b"]) | anything,
    access_token=st.sampled_from(["tok", "", "a\nb"]) | anything,
    path_keys=anything,
    query_params=anything,
    version_string=st.sampled_from([None, "202401", "2024"]) | anything,
    extra=anything,
)
def test_any_input_builds_or_raises_a_library_error(
    method: str,
    resource_path: Any,
    access_token: Any,
    path_keys: Any,
    query_params: Any,
    version_string: Any,
    extra: Any,
) -> None:
    """Whatever the arguments, the result is a Request, a RestliUsageError (a misuse)
    or a RestliEncodeError (a value with no Rest.li form)."""
    specific = {
        "batch_get": ["ids"],
        "finder": ["finder_name"],
        "batch_finder": ["finder_name", "finder_criteria"],
        "create": ["entity"],
        "batch_create": ["entities"],
        "update": ["entity"],
        "batch_update": ["ids", "entities"],
        "partial_update": ["patch_set_object"],
        "batch_partial_update": ["ids", "patch_set_objects"],
        "batch_delete": ["ids"],
        "action": ["action_name", "action_params"],
    }.get(method, [])
    kwargs = {name: extra for name in specific}
    try:
        request = getattr(builder, method)(
            resource_path=resource_path,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=version_string,
            **kwargs,
        )
    except (RestliUsageError, RestliEncodeError):
        return
    assert isinstance(request, Request)
    assert request.url.isascii()
    assert "\n" not in request.url
    assert " " not in request.url


def test_mapping_proxy_entities_are_json() -> None:
    entity = types.MappingProxyType({"a": types.MappingProxyType({"b": 1})})
    assert build("create", resource_path="/r", entity=entity).body == b'{"a":{"b":1}}'

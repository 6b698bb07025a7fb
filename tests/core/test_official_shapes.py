"""Responses behave like the official client's: ``response.response`` is the HTTP
library's own response object, and ``vars()`` / ``__dict__`` hold what the official
classes hold, so the official tests' serialisation works:
``json.dumps(obj, default=lambda o: o.__dict__)``.

The ``OFFICIAL`` attribute lists and the expected dicts are those of
``linkedin-api-client`` 0.3.0's classes and its own tests (recorded, not imported).
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from restli_core import (
    AccessToken2LResponse,
    AccessToken3LResponse,
    ActionResponse,
    BaseRestliResponse,
    BatchCreateResponse,
    BatchCreateResult,
    BatchDeleteResponse,
    BatchDeleteResult,
    BatchFinderResponse,
    BatchFinderResult,
    BatchGetResponse,
    BatchUpdateResponse,
    BatchUpdateResult,
    CollectionResponse,
    CreateResponse,
    GetResponse,
    IntrospectTokenResponse,
    NotFoundError,
    Paging,
    RefreshTokenExchangeResponse,
    Request,
    Response,
    ResponseDecodeError,
    RestliMethod,
    UpdateResponse,
    parse_access_token_2l,
    parse_access_token_3l,
    parse_introspect_token,
    parse_refresh_token_exchange,
    parse_response,
)
from restli_core.testing import MockRestliClient, RestliServer

TOKEN = "AQXshapes-token-never-shown"
V = "202406"


def to_dict(obj: Any) -> Any:
    """The official tests' helper, as they wrote it."""
    return json.loads(json.dumps(obj, default=lambda o: o.__dict__))


# What each official class sets in __init__, less ``headers`` and ``response``.
BASE = ["status_code", "url"]
OFFICIAL: dict[type, list[str]] = {
    BaseRestliResponse: BASE,
    GetResponse: [*BASE, "entity"],
    BatchGetResponse: [*BASE, "results", "statuses", "errors"],
    CollectionResponse: [*BASE, "elements", "paging", "metadata"],
    BatchFinderResponse: [*BASE, "results"],
    CreateResponse: [*BASE, "entity_id", "entity"],
    BatchCreateResponse: [*BASE, "elements"],
    UpdateResponse: [*BASE, "entity"],
    BatchUpdateResponse: [*BASE, "results"],
    BatchDeleteResponse: [*BASE, "results"],
    ActionResponse: [*BASE, "value"],
    Paging: ["start", "count", "total"],
    BatchFinderResult: ["elements", "paging", "metadata", "error", "isError"],
    BatchCreateResult: ["status", "id", "error"],
    BatchUpdateResult: ["status"],
    BatchDeleteResult: ["status"],
    AccessToken3LResponse: [
        *BASE,
        "access_token",
        "expires_in",
        "refresh_token",
        "refresh_token_expires_in",
        "scope",
    ],
    AccessToken2LResponse: [*BASE, "access_token", "expires_in"],
    RefreshTokenExchangeResponse: [
        *BASE,
        "access_token",
        "expires_in",
        "refresh_token",
        "refresh_token_expires_in",
    ],
    IntrospectTokenResponse: [
        *BASE,
        "active",
        "auth_type",
        "authorized_at",
        "client_id",
        "created_at",
        "expires_at",
        "scope",
        "status",
    ],
}


class LibraryResponse:
    """Stands for an HTTP library's response: it keeps the request it answered,
    ``Authorization`` header included, as ``requests.Response`` does."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.authorization = request.headers.get("Authorization")

    def __repr__(self) -> str:
        return f"LibraryResponse({self.authorization})"


def library_client(**options: Any) -> MockRestliClient:
    """A client whose transport keeps a library object, as a real adapter does."""
    server = RestliServer()

    def handler(request: Request) -> Response:
        return attrs.evolve(server.handle(request), raw=LibraryResponse(request))

    return MockRestliClient(handler, **options)


# The 14 calls, each against the embedded server's LinkedIn-like resources.
CALLS: list[tuple[str, dict[str, Any], type]] = [
    ("get", {"resource_path": "/adAccounts/{id}", "path_keys": {"id": 1}}, GetResponse),
    ("batch_get", {"resource_path": "/adAccounts", "ids": [1, 2, 999]}, BatchGetResponse),
    ("get_all", {"resource_path": "/fieldsOfStudy"}, CollectionResponse),
    (
        "finder",
        {"resource_path": "/adAccounts", "finder_name": "search", "query_params": {"count": 2}},
        CollectionResponse,
    ),
    (
        "batch_finder",
        {
            "resource_path": "/adCampaigns",
            "finder_name": "search",
            "finder_criteria": ("criteria", [{"status": "ACTIVE"}, {"status": "DRAFT"}]),
        },
        BatchFinderResponse,
    ),
    (
        "create",
        {"resource_path": "/adAccounts", "entity": {"name": "n", "type": "BUSINESS"}},
        CreateResponse,
    ),
    (
        "batch_create",
        {
            "resource_path": "/adAccounts",
            "entities": [{"name": "a", "type": "BUSINESS"}, {"name": "b"}],
        },
        BatchCreateResponse,
    ),
    (
        "update",
        {
            "resource_path": "/adAccounts/{id}",
            "path_keys": {"id": 3},
            "entity": {"name": "u", "type": "BUSINESS"},
        },
        UpdateResponse,
    ),
    (
        "batch_update",
        {
            "resource_path": "/adAccounts",
            "ids": [4, 5],
            "entities": [{"name": "x", "type": "BUSINESS"}, {"name": "y", "type": "BUSINESS"}],
        },
        BatchUpdateResponse,
    ),
    (
        "partial_update",
        {
            "resource_path": "/adAccounts/{id}",
            "path_keys": {"id": 6},
            "patch_set_object": {"name": "p"},
        },
        UpdateResponse,
    ),
    (
        "batch_partial_update",
        {
            "resource_path": "/adAccounts",
            "ids": [7, 8],
            "patch_set_objects": [{"name": "q"}, {"name": "r"}],
        },
        BatchUpdateResponse,
    ),
    ("delete", {"resource_path": "/adAccounts/{id}", "path_keys": {"id": 9}}, BaseRestliResponse),
    ("batch_delete", {"resource_path": "/adAccounts", "ids": [10, 11]}, BatchDeleteResponse),
    (
        "action",
        {"resource_path": "/adAccounts", "action_name": "echo", "action_params": {"a": 1}},
        ActionResponse,
    ),
]
IDS = [c[0] for c in CALLS]


def call(client: MockRestliClient, method: str, kwargs: dict[str, Any]) -> Any:
    return getattr(client, method)(access_token=TOKEN, version_string=V, **kwargs)


def objects_in(response: Any) -> list[Any]:
    """The response and the result objects it holds."""
    found = [response]
    for name in ("results", "elements"):
        value = getattr(response, name, None)
        items = value.values() if isinstance(value, dict) else value
        found += [v for v in items or () if attrs.has(type(v))]
    for value in [response, *found]:
        paging = getattr(value, "paging", None)
        if paging is not None:
            found.append(paging)
    return found


# ----------------------------------------------------------------------- serialisation


@pytest.mark.parametrize(("method", "kwargs", "cls"), CALLS, ids=IDS)
def test_the_official_serialisation_works_for_every_response(
    method: str, kwargs: dict[str, Any], cls: type
) -> None:
    response = call(MockRestliClient(), method, kwargs)
    assert type(response) is cls
    assert response.response is response.core_response  # no library: the core's
    data = to_dict(response)
    assert list(data) == OFFICIAL[cls]
    assert data["status_code"] == response.status_code and data["url"] == response.url
    for obj in objects_in(response):
        assert list(vars(obj)) == OFFICIAL[type(obj)]
        assert obj.__dict__ == vars(obj)
        assert list(to_dict(obj)) == OFFICIAL[type(obj)]


@pytest.mark.parametrize(("method", "kwargs", "cls"), CALLS, ids=IDS)
def test_a_library_response_is_the_response_and_is_never_serialised(
    method: str, kwargs: dict[str, Any], cls: type
) -> None:
    response = call(library_client(), method, kwargs)
    raw = response.response
    assert isinstance(raw, LibraryResponse)
    assert raw is response.core_response.raw
    assert raw.request.url.startswith("https://api.linkedin.com/rest/")
    assert TOKEN in raw.authorization  # what the library keeps, the user may read...
    shown = [repr(response), str(response), json.dumps(to_dict(response))]
    shown.append(pickle.dumps(response).decode("latin-1"))
    assert all(TOKEN not in text for text in shown)  # ...but it is never shown or pickled
    clone = pickle.loads(pickle.dumps(response))
    assert clone == response  # the library object is not compared
    assert clone.response is clone.core_response  # an unpickled response has the core's
    assert copy.copy(response).response is raw and copy.deepcopy(response).response is raw


def test_vars_is_a_view_and_the_response_stays_immutable() -> None:
    response = call(MockRestliClient(), *CALLS[0][:2])
    view = vars(response)
    view["entity"] = "changed"
    view["extra"] = 1
    assert response.entity != "changed" and "extra" not in vars(response)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        response.entity = "changed"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        response.response = None


def test_an_error_response_kept_with_raise_for_status_off_serialises_too() -> None:
    client = library_client(raise_for_status=False)
    response = call(client, "get", {"resource_path": "/adAccounts/{id}", "path_keys": {"id": 9999}})
    assert isinstance(response.error, NotFoundError)
    assert isinstance(response.response, LibraryResponse)
    # The error keeps the core response (it is pickled and logged): never the library's.
    assert response.error.response is response.core_response
    data = to_dict(response)
    assert data == {"status_code": 404, "url": response.url, "entity": response.data}
    assert data["entity"]["code"] == "NOT_FOUND"


# --------------------------------------------------------- the official tests' expectations


def parse(method: RestliMethod, body: Any, status: int = 200, **headers: str) -> Any:
    request = Request(method.http_method, "https://api.linkedin.com/v2/testResource")
    request = attrs.evolve(request, restli_method=method)
    raw = json.dumps(body).encode() if body is not None else b""
    return parse_response(request, Response(status, headers, raw, request.url))


def test_the_official_tests_expected_values() -> None:
    # linkedin-api-client's tests/clients/restli/client_test.py, response_properties.
    page = parse(
        RestliMethod.GET_ALL,
        {
            "elements": [{"name": "A"}, {"name": "B"}],
            "paging": {"start": 0, "count": 2, "total": 10},
        },
    )
    assert to_dict(page.elements) == [{"name": "A"}, {"name": "B"}]
    assert to_dict(page.paging) == {"start": 0, "count": 2, "total": 10}

    finder = parse(RestliMethod.BATCH_FINDER, {"elements": [{"elements": []}, {"elements": []}]})
    none = {"elements": [], "paging": None, "metadata": None, "error": None, "isError": False}
    assert to_dict(finder.results) == [none, none]

    created = parse(
        RestliMethod.BATCH_CREATE,
        {"elements": [{"status": 201, "id": 123}, {"status": 400, "error": "Unknown account"}]},
    )
    assert to_dict(created.elements) == [
        {"status": 201, "id": 123, "error": None},
        {"status": 400, "id": None, "error": "Unknown account"},
    ]

    statuses = {
        "urn%3Ali%3Amember%3A123": {"status": 204},
        "urn%3Ali%3Amember%3A456": {"status": 204},
    }
    for method in (RestliMethod.BATCH_DELETE, RestliMethod.BATCH_PARTIAL_UPDATE):
        assert to_dict(parse(method, {"results": statuses}).results) == statuses

    create = parse(RestliMethod.CREATE, None, 201, **{"x-restli-id": "123"})
    assert (to_dict(create.entity_id), to_dict(create.entity)) == ("123", None)
    action = parse(RestliMethod.ACTION, {"value": {"result": "I did it!"}})
    assert to_dict(action.value) == {"result": "I did it!"}
    assert to_dict(action.status_code) == 200
    get = parse(RestliMethod.GET, {"name": "TestAdAccount"})
    assert to_dict(get.entity) == {"name": "TestAdAccount"}


OAUTH: list[tuple[Callable[..., Any], dict[str, Any]]] = [
    (
        parse_access_token_3l,
        {"access_token": "AQV3l", "expires_in": 5184000, "refresh_token": "AQXr", "scope": "a,b"},
    ),
    (parse_access_token_2l, {"access_token": "AQV2l", "expires_in": 1800}),
    (
        parse_refresh_token_exchange,
        {"access_token": "AQV3l", "expires_in": 10, "refresh_token": "AQXr"},
    ),
    (parse_introspect_token, {"active": True, "auth_type": "2L", "status": "active"}),
]


@pytest.mark.parametrize(("parser", "body"), OAUTH, ids=[p.__name__ for p, _ in OAUTH])
def test_oauth_responses_too(parser: Callable[..., Any], body: dict[str, Any]) -> None:
    url = "https://www.linkedin.com/oauth/v2/accessToken"
    raw = object()
    core = Response(200, {"Content-Type": "application/json"}, json.dumps(body).encode(), url, raw)
    response = parser(core)
    assert response.response is raw and response.core_response is core
    data = to_dict(response)
    assert list(data) == OFFICIAL[type(response)]
    assert {k: data[k] for k in body} == body
    assert "AQV" not in repr(response)  # repr masks the tokens; vars() holds them
    clone = pickle.loads(pickle.dumps(response))
    assert clone == response and clone.response is clone.core_response
    without_raw = parser(attrs.evolve(core, raw=None))
    assert without_raw.response is without_raw.core_response
    assert to_dict(without_raw) == data


# ------------------------------------------------------------ where the core reads it


def test_a_chunked_batch_keeps_the_first_chunks_library_response() -> None:
    client = library_client()
    response = client.batch_get(
        resource_path="/adAccounts", ids=[1, 2, 3, 4, 5], access_token=TOKEN, chunk_size=2
    )
    assert len(response.results) == 5
    assert isinstance(response.response, LibraryResponse)
    assert response.response is response.core_response.raw
    assert "ids=List(1,2)" in response.response.request.url  # the first chunk's


def test_pages_keep_each_pages_library_response() -> None:
    client = library_client()
    pages = list(
        client.iter_pages(
            "finder",
            resource_path="/adAccounts",
            finder_name="search",
            access_token=TOKEN,
            page_size=10,
            max_pages=2,
        )
    )
    assert len(pages) == 2
    for number, page in enumerate(pages):
        assert isinstance(page.response.response, LibraryResponse)
        assert f"start={10 * number}" in page.response.response.request.url


def test_a_paging_error_keeps_the_core_response_not_the_librarys() -> None:
    def handler(request: Request) -> Response:
        body = b'{"elements": [{"elements": []}]}'  # one result for two criteria
        headers = {"Content-Type": "application/json"}
        return Response(200, headers, body, request.url, raw=LibraryResponse(request))

    client = MockRestliClient(handler)
    pages = client.iter_pages(
        "batch_finder",
        resource_path="/adCampaigns",
        finder_name="search",
        finder_criteria=("criteria", [{"status": "ACTIVE"}, {"status": "DRAFT"}]),
        access_token=TOKEN,
    )
    with pytest.raises(ResponseDecodeError) as info:
        list(pages)
    assert isinstance(info.value.response, Response)
    assert TOKEN.encode() not in pickle.dumps(info.value)

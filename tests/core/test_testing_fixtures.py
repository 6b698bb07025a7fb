"""The pytest fixtures users get from the library: used exactly as a user would."""

from __future__ import annotations

import pytest

from restli_core import NotFoundError, RetryPolicy
from restli_core.testing import AsyncMockRestliClient, MockRestliClient, RestliServer


def test_restli_client_fixture_answers_in_process(restli_client: MockRestliClient) -> None:
    response = restli_client.finder(
        resource_path="/adAccounts",
        finder_name="search",
        query_params={"search": {"status": {"values": ["ACTIVE"]}}, "count": 3},
        access_token="t",
        version_string="202401",
    )
    assert len(response.elements) == 3
    assert response.paging.total == 10
    assert all(e["status"] == "ACTIVE" for e in response.elements)


def test_retry_sleeps_are_virtual_and_recorded(
    restli_server: RestliServer, restli_client: MockRestliClient
) -> None:
    restli_server.inject(429, times=2, retry_after=7)
    response = restli_client.get(resource_path="/me", access_token="t")
    assert response.entity["id"] == "abc"
    assert restli_client.transport.sleeps == [7.0, 7.0]
    assert len(restli_server.requests) == 3


def test_errors_raise_through_the_mock_client(restli_client: MockRestliClient) -> None:
    with pytest.raises(NotFoundError):
        restli_client.get(resource_path="/adAccounts/{id}", path_keys={"id": 999}, access_token="t")


def test_mock_client_over_any_handler() -> None:
    from restli_core import Response

    seen = []

    def handler(request):  # type: ignore[no-untyped-def]
        seen.append(request)
        return Response(200, [("Content-Type", "application/json")], b'{"value": 42}', request.url)

    client = MockRestliClient(handler, retry=RetryPolicy.none())
    assert client.action(resource_path="/things", action_name="count", access_token="t").value == 42
    assert seen[0].url == "https://api.linkedin.com/v2/things?action=count"


async def test_async_fixture(restli_async_client: AsyncMockRestliClient) -> None:
    response = await restli_async_client.batch_get(
        resource_path="/adAccounts", ids=[1, 2], access_token="t"
    )
    assert set(response.results) == {"1", "2"}
    assert restli_async_client.server.requests[-1].method == "GET"

"""requests session hooks as the official client's README and examples write them."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from restli_requests import RestliClient

from restli_cli._serve import LoopbackServer
from restli_core import RetryPolicy
from restli_core.testing import RestliServer

TOKEN = "AQV-hook-token"


@pytest.fixture
def server() -> Any:
    app = RestliServer()
    with LoopbackServer(app) as running:
        running.app = app  # type: ignore[attr-defined]
        yield running


def _client(server: Any, **options: Any) -> RestliClient:
    return RestliClient(
        base_url=server.url + "/v2", versioned_base_url=server.url + "/rest", **options
    )


def test_a_hook_taking_only_the_response_runs(server: Any) -> None:
    seen: list[int] = []
    client = _client(server)
    client.session.hooks["response"].append(lambda r: seen.append(r.status_code))
    client.get(resource_path="/me", access_token=TOKEN)
    assert seen == [200]


def test_hooks_as_requests_calls_them_and_the_body_is_readable(server: Any) -> None:
    seen: list[Any] = []

    def hook(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        seen.append((response.json()["id"], "timeout" in kwargs))

    client = _client(server)
    client.session.hooks = {"response": [hook]}
    response = client.get(resource_path="/me", access_token=TOKEN)
    assert seen == [(response.entity["id"], True)]
    assert isinstance(response.response, requests.Response)
    assert response.response.json() == response.entity


def test_what_a_hook_raises_reaches_the_caller_and_is_not_retried(server: Any) -> None:
    client = _client(server, retry=RetryPolicy(max_attempts=3, base_delay=0.01))
    client.session.hooks["response"].append(lambda r: r.raise_for_status())
    before = len(server.app.requests)
    with pytest.raises(requests.HTTPError):
        client.get(resource_path="/adAccounts/{id}", path_keys={"id": 999999}, access_token=TOKEN)
    assert len(server.app.requests) == before + 1  # sent once

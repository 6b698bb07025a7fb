"""Pointing code at another server without editing it: ``api_root=`` and
``RESTLI_API_ROOT`` set the three bases (``<root>/v2``, ``<root>/rest``,
``<root>/oauth/v2``). Precedence, for each base on its own: the base URL given >
``api_root=`` > ``RESTLI_API_ROOT`` (read when the builder or client is made) >
LinkedIn's hosts."""

from __future__ import annotations

from typing import Any

import pytest

from restli_core import AuthRequestBuilder, RequestBuilder, RestliUsageError
from restli_core._client import AuthClientCore, ClientCore
from restli_core.testing import MockRestliClient, MockTransport, RestliServer

ENV = "RESTLI_API_ROOT"
V2, REST, OAUTH = (
    "https://api.linkedin.com/v2",
    "https://api.linkedin.com/rest",
    "https://www.linkedin.com/oauth/v2",
)
ARG = "https://arg.example"
ENVROOT = "https://env.example"
MINE = "https://mine.example/base"

# (base_url, versioned_base_url, oauth_base_url, api_root, environment) ->
# (unversioned, versioned, oauth)
TABLE: list[tuple[str | None, str | None, str | None, str | None, str | None, tuple[str, ...]]] = [
    (None, None, None, None, None, (V2, REST, OAUTH)),
    (None, None, None, None, ENVROOT, (f"{ENVROOT}/v2", f"{ENVROOT}/rest", f"{ENVROOT}/oauth/v2")),
    (None, None, None, ARG, None, (f"{ARG}/v2", f"{ARG}/rest", f"{ARG}/oauth/v2")),
    (None, None, None, ARG, ENVROOT, (f"{ARG}/v2", f"{ARG}/rest", f"{ARG}/oauth/v2")),
    # A base URL given wins, for its own base only.
    (MINE, None, None, None, None, (MINE, REST, OAUTH)),
    (MINE, None, None, None, ENVROOT, (MINE, f"{ENVROOT}/rest", f"{ENVROOT}/oauth/v2")),
    (MINE, None, None, ARG, ENVROOT, (MINE, f"{ARG}/rest", f"{ARG}/oauth/v2")),
    (None, MINE, None, ARG, ENVROOT, (f"{ARG}/v2", MINE, f"{ARG}/oauth/v2")),
    (None, None, MINE, ARG, ENVROOT, (f"{ARG}/v2", f"{ARG}/rest", MINE)),
    (MINE, MINE, MINE, ARG, ENVROOT, (MINE, MINE, MINE)),
    # Trailing slashes go; loopback http:// is fine; an empty variable is unset.
    (None, None, None, "http://127.0.0.1:8089/", None, (
        "http://127.0.0.1:8089/v2", "http://127.0.0.1:8089/rest", "http://127.0.0.1:8089/oauth/v2"
    )),
    (None, None, None, None, "", (V2, REST, OAUTH)),
    (None, None, None, None, "http://localhost:9/x/", (
        "http://localhost:9/x/v2", "http://localhost:9/x/rest", "http://localhost:9/x/oauth/v2"
    )),
]  # fmt: skip


def _environment(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(ENV, raising=False)
    else:
        monkeypatch.setenv(ENV, value)


@pytest.mark.parametrize(("base", "versioned", "oauth", "root", "env", "expected"), TABLE)
def test_precedence(
    monkeypatch: pytest.MonkeyPatch,
    base: str | None,
    versioned: str | None,
    oauth: str | None,
    root: str | None,
    env: str | None,
    expected: tuple[str, str, str],
) -> None:
    _environment(monkeypatch, env)
    builder = RequestBuilder(base, versioned, api_root=root)
    auth = AuthRequestBuilder("c", "s", "https://app.example/cb", oauth, api_root=root)
    assert (builder.base_url, builder.versioned_base_url, auth.oauth_base_url) == expected
    # The clients pass the keywords on; so does every adapter (ClientOptions).
    options: dict[str, Any] = {"base_url": base, "versioned_base_url": versioned, "api_root": root}
    client = ClientCore(**options)
    assert (client.builder.base_url, client.builder.versioned_base_url) == expected[:2]
    auth_client = AuthClientCore("c", "s", oauth_base_url=oauth, api_root=root)
    assert auth_client.auth.oauth_base_url == expected[2]
    # The requests go there.
    get = builder.get(resource_path="/me", access_token="t")
    versioned_get = builder.get(resource_path="/me", access_token="t", version_string="202406")
    token = auth.get_two_legged_access_token()
    assert get.url == f"{expected[0]}/me" and versioned_get.url == f"{expected[1]}/me"
    assert token.url == f"{expected[2]}/accessToken"
    assert auth.generate_member_auth_url(["r"]).startswith(f"{expected[2]}/authorization?")


def test_the_environment_is_read_when_the_client_is_made_not_at_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # restli_core was imported long before the variable is set here.
    monkeypatch.setenv(ENV, "http://127.0.0.1:2")
    assert RequestBuilder().base_url == "http://127.0.0.1:2/v2"
    made = RequestBuilder()
    monkeypatch.setenv(ENV, "http://127.0.0.1:3")
    assert made.base_url == "http://127.0.0.1:2/v2"  # a builder keeps what it was made with
    monkeypatch.delenv(ENV)
    assert RequestBuilder().base_url == V2


def test_unchanged_code_reaches_the_server_named_by_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = RestliServer()
    monkeypatch.setenv(ENV, "http://127.0.0.1:8089")
    client = MockRestliClient(server)
    client.get(resource_path="/me", access_token="t")
    client.get(resource_path="/adAccounts/{id}", path_keys={"id": 1}, access_token="t",
               version_string="202406")  # fmt: skip
    urls = [e.request.url for e in client.transport.exchanges]
    assert urls == ["http://127.0.0.1:8089/v2/me", "http://127.0.0.1:8089/rest/adAccounts/1"]
    auth = AuthClientCore("c", "s")
    assert auth.auth.oauth_base_url == "http://127.0.0.1:8089/oauth/v2"
    assert isinstance(client.transport, MockTransport)


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("http://api.example.com", "plain http"),
        ("http://10.0.0.1:8089", "plain http"),
        ("ftp://127.0.0.1", "https://"),
        ("api.linkedin.com", "https://"),
        ("https://user:pw@api.example.com", "credentials"),
        ("https://api.example.com/?x=1", "query"),
    ],
)
def test_a_bad_root_is_refused_naming_where_it_came_from(
    monkeypatch: pytest.MonkeyPatch, value: str, pattern: str
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    for make in (
        lambda: RequestBuilder(api_root=value),
        lambda: AuthRequestBuilder("c", "s", api_root=value),
        lambda: ClientCore(api_root=value),
        lambda: AuthClientCore("c", "s", api_root=value),
    ):
        with pytest.raises(RestliUsageError, match=pattern) as info:
            make()
        assert "api_root" in str(info.value)
    monkeypatch.setenv(ENV, value)
    for make in (RequestBuilder, lambda: AuthRequestBuilder("c", "s"), ClientCore):
        with pytest.raises(RestliUsageError, match=pattern) as info:
            make()
        assert ENV in str(info.value)


def test_a_root_that_is_not_text_is_a_misuse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    for value in (b"https://api.example.com", 1, ["https://a"]):
        with pytest.raises(RestliUsageError, match="api_root must be a str"):
            RequestBuilder(api_root=value)  # type: ignore[arg-type]
        with pytest.raises(RestliUsageError, match="api_root must be a str"):
            AuthRequestBuilder("c", "s", api_root=value)  # type: ignore[arg-type]


def test_a_bad_root_is_refused_even_when_every_base_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV, "http://not-loopback.example")  # unused: every base is given
    assert RequestBuilder(MINE, MINE).base_url == MINE
    assert AuthRequestBuilder("c", "s", None, MINE).oauth_base_url == MINE
    with pytest.raises(RestliUsageError, match="api_root"):
        RequestBuilder(MINE, MINE, api_root="http://not-loopback.example")
    with pytest.raises(RestliUsageError, match="api_root"):
        AuthRequestBuilder("c", "s", None, MINE, api_root="http://not-loopback.example")

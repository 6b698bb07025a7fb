"""The embedded server's clock and tokens: lifetimes, revocation, the token endpoint's
counts and delay, and a real client renewing through it over loopback HTTP."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterator

import pytest

from restli_cli._serve import LoopbackServer
from restli_core import (
    AuthError,
    AuthRequestBuilder,
    ReauthorizationRequiredError,
    RefreshTokenCredentials,
    Request,
    RequestBuilder,
    Response,
    StaticToken,
    UnauthorizedError,
    parse_access_token_2l,
    parse_introspect_token,
    parse_refresh_token_exchange,
    parse_response,
)
from restli_core.testing import OAuthState, RestliServer, ServerClock, response_delay

OAUTH = "https://www.linkedin.com/oauth/v2"
BUILDER = RequestBuilder()
AUTH = AuthRequestBuilder("app-1", "secret-1", oauth_base_url=OAUTH)
DAY = 86_400
EXPIRED = (
    b'{"status":401,"serviceErrorCode":65602,"code":"EXPIRED_ACCESS_TOKEN",'
    b'"message":"The token used in the request has expired"}'
)
REVOKED = (
    b'{"status":401,"serviceErrorCode":65601,"code":"REVOKED_ACCESS_TOKEN",'
    b'"message":"The token used in the request has been revoked by the user"}'
)


def get_account(token: str) -> Request:
    return BUILDER.get(
        resource_path="/adAccounts/{id}",
        path_keys={"id": 1},
        access_token=token,
        version_string="202401",
    )


def status_of(server: RestliServer, token: str) -> int:
    return server.handle(get_account(token)).status_code


def refresh(server: RestliServer, token: str, builder: AuthRequestBuilder = AUTH) -> Response:
    return server.handle(builder.exchange_refresh_token_for_access_token(token))


# --------------------------------------------------------------------------- the clock


def test_the_clock_follows_real_time_from_where_it_is_set() -> None:
    clock = ServerClock()
    assert abs(clock.now() - time.time()) < 1
    clock.set(datetime.datetime(2026, 12, 3, 23, 59, 50))  # naive: UTC
    assert clock.utc().isoformat(timespec="seconds") == "2026-12-03T23:59:50+00:00"
    before = clock()
    time.sleep(0.02)
    assert clock() > before  # it keeps ticking
    clock.advance(20)
    assert clock.utc().date() == datetime.date(2026, 12, 4)
    assert not clock.frozen and "running" in repr(clock)


def test_a_frozen_clock_moves_only_when_told() -> None:
    clock = ServerClock(1_800_000_000, frozen=True)
    time.sleep(0.01)
    assert clock.now() == 1_800_000_000
    clock.advance(1.5)
    clock.advance(-0.5)
    assert clock.now() == 1_800_000_001
    clock.set(5)
    assert clock() == 5.0


def test_the_clock_is_thread_safe() -> None:
    clock = ServerClock(0, frozen=True)

    def tick() -> None:
        for _ in range(1000):
            clock.advance(1)

    threads = [threading.Thread(target=tick) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert clock.now() == 8000


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "1", True, None])
def test_the_clock_refuses_what_is_not_a_time(bad: object) -> None:
    with pytest.raises(ValueError, match="finite number"):
        ServerClock().advance(bad)  # type: ignore[arg-type]


def test_the_oauth_part_reads_the_servers_clock() -> None:
    clock = ServerClock(1_900_000_000.25, frozen=True)
    server = RestliServer(clock=clock)
    assert server.clock is clock and server.oauth.clock is clock
    assert server.oauth.now == 1_900_000_000
    server.oauth.now += 3600  # what older tests do: it moves the shared clock
    assert clock.now() == 1_900_003_600.25
    assert OAuthState(now=1_700_000_000).now == 1_700_000_000  # a frozen clock of its own


# --------------------------------------------------------------------------- checked tokens


def test_check_tokens_accepts_only_issued_and_given_tokens() -> None:
    server = RestliServer(check_tokens=True, tokens=["given"])
    made_up = server.handle(get_account("made-up"))
    assert made_up.status_code == 401
    with pytest.raises(UnauthorizedError) as caught:
        parse_response(get_account("made-up"), made_up)
    assert caught.value.service_error_code == 65600 and caught.value.code == "INVALID_ACCESS_TOKEN"
    assert status_of(server, server.issue_token()) == 200
    server.clock.advance(100 * 365 * DAY)
    assert status_of(server, "given") == 200  # tokens= never expire


def test_an_issued_token_expires_with_linkedins_exact_answer() -> None:
    server = RestliServer(check_tokens=True, clock=ServerClock(frozen=True))
    token = server.issue_token("app-1", expires_in=60)
    assert status_of(server, token) == 200
    server.clock.advance(59)
    assert status_of(server, token) == 200
    server.clock.advance(1)
    response = server.handle(get_account(token))
    assert response.status_code == 401 and response.body == EXPIRED
    assert "Retry-After" not in response.headers
    with pytest.raises(UnauthorizedError) as caught:
        parse_response(get_account(token), response)
    assert caught.value.service_error_code == 65602


def test_a_revoked_token_gets_linkedins_exact_answer() -> None:
    server = RestliServer(check_tokens=True)
    token = server.issue_token()
    assert server.revoke(token) is True
    response = server.handle(get_account(token))
    assert response.status_code == 401 and response.body == REVOKED
    assert server.revoke("never-issued") is False
    introspected = server.handle(AUTH.introspect_access_token(token))
    assert parse_introspect_token(introspected).status == "revoked"


def test_without_check_tokens_any_token_passes_but_issued_ones_still_expire() -> None:
    server = RestliServer()
    assert status_of(server, "anything") == 200
    token = server.issue_token(expires_in=0)
    assert server.handle(get_account(token)).body == EXPIRED


def test_lifetimes_are_linkedins_by_default_and_configurable() -> None:
    server = RestliServer(clock=ServerClock(frozen=True))
    three = server.oauth.access_tokens[server.issue_token()]
    assert three.expires_at - three.created_at == 60 * DAY and three.auth_type == "3L"
    two = server.oauth.access_tokens[server.issue_token(member=None)]
    assert two.expires_at - two.created_at == 1800 and two.auth_type == "2L"

    short = RestliServer(
        access_token_lifetime=600, two_legged_token_lifetime=60, refresh_token_lifetime=DAY
    )
    answer = parse_refresh_token_exchange(refresh(short, short.issue_refresh_token()))
    assert answer.expires_in == 600 and answer.refresh_token_expires_in == DAY
    app = parse_access_token_2l(short.handle(AUTH.get_two_legged_access_token()))
    assert app.expires_in == 60


def test_the_refresh_token_deadline_is_fixed() -> None:
    server = RestliServer(check_tokens=True, clock=ServerClock(frozen=True))
    token = server.issue_refresh_token("app-1", expires_in=10 * DAY, member="member-7")
    first = parse_refresh_token_exchange(refresh(server, token))
    assert first.refresh_token == token and first.refresh_token_expires_in == 10 * DAY
    assert server.oauth.access_tokens[first.access_token].member == "member-7"
    assert status_of(server, first.access_token) == 200
    server.clock.advance(4 * DAY)
    second = parse_refresh_token_exchange(refresh(server, token))
    assert second.refresh_token_expires_in == 6 * DAY  # refreshing did not extend it
    assert second.access_token != first.access_token
    server.clock.advance(6 * DAY)
    with pytest.raises(AuthError) as caught:
        parse_refresh_token_exchange(refresh(server, token))
    assert caught.value.status_code == 400 and caught.value.error == "invalid_grant"


def test_the_refresh_grant_refuses_other_clients_and_revoked_tokens() -> None:
    server = RestliServer()
    token = server.issue_refresh_token("app-1")
    other = AuthRequestBuilder("app-2", "secret-2", oauth_base_url=OAUTH)
    assert refresh(server, token, other).json()["error"] == "invalid_grant"
    assert refresh(server, "made-up").json()["error"] == "invalid_grant"
    assert refresh(server, token).status_code == 200
    server.revoke(token)
    assert refresh(server, token).json()["error"] == "invalid_grant"


# --------------------------------------------------------------------------- the token endpoint


def test_the_token_endpoint_counts_its_calls_per_grant() -> None:
    server = RestliServer(oauth_clients={"app-1": "secret-1"})
    assert server.token_calls == 0 and server.token_calls_by_grant == {}
    refresh(server, server.issue_refresh_token())
    refresh(server, "made-up")  # refused: counted all the same
    server.handle(AUTH.get_two_legged_access_token())
    server.handle(Request("POST", f"{OAUTH}/accessToken", {}, b"\xff"))
    server.handle(AUTH.introspect_access_token("x"))  # not the token endpoint
    assert server.token_calls == 4
    assert server.token_calls_by_grant == {"refresh_token": 2, "client_credentials": 1, "": 1}


def test_token_delay_holds_back_only_the_token_endpoint() -> None:
    server = RestliServer()
    server.token_delay = 2.5
    request = AUTH.exchange_refresh_token_for_access_token(server.issue_refresh_token())
    reply = server.dispatch(request)
    assert reply.delay == 2.5 and response_delay(reply.response) == 2.5
    assert reply.response.status_code == 200 and server.token_calls == 1  # counted on arrival
    assert server.dispatch(get_account("t")).delay == 0.0


@pytest.fixture
def served() -> Iterator[tuple[RestliServer, str]]:
    server = RestliServer(check_tokens=True, oauth_clients={"app-1": "secret-1"})
    http = LoopbackServer(server).start()
    try:
        yield server, http.url
    finally:
        http.close()


def test_a_slow_token_endpoint_does_not_hold_up_other_requests(
    served: tuple[RestliServer, str],
) -> None:
    from restli_requests import AuthClient, RestliClient

    server, root = served
    server.token_delay = 0.6
    refresh_token = server.issue_refresh_token()
    renewing = threading.Thread(
        target=lambda: AuthClient(
            "app-1", "secret-1", oauth_base_url=f"{root}/oauth/v2"
        ).exchange_refresh_token_for_access_token(refresh_token)
    )
    renewing.start()
    try:
        deadline = time.monotonic() + 5
        while server.token_calls < 1:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        started = time.monotonic()
        with RestliClient(api_root=root) as client:
            client.get(resource_path="/me", access_token=server.issue_token())
        assert time.monotonic() - started < 0.4
        assert renewing.is_alive()  # still waiting for its answer
    finally:
        renewing.join(timeout=5)


# --------------------------------------------------------------------------- end to end


@pytest.mark.parametrize(
    ("known_expiry", "statuses"),
    [
        (False, [401, 200, 200]),  # used until refused: 65602, renewed, sent again
        (True, [200, 200]),  # the client's clock (the server's) says it is due: renewed first
    ],
)
def test_a_client_renews_an_expired_token_transparently(
    served: tuple[RestliServer, str], known_expiry: bool, statuses: list[int]
) -> None:
    from restli_requests import RestliClient

    server, root = served
    refresh_token = server.issue_refresh_token("app-1", expires_in=30 * DAY)
    stale = server.issue_token("app-1", expires_in=DAY)
    credentials = RefreshTokenCredentials(
        "app-1",
        "secret-1",
        refresh_token,
        access_token=stale,
        expires_at=server.clock.now() + DAY if known_expiry else None,
        oauth_base_url=f"{root}/oauth/v2",
    )
    server.clock.advance(DAY)
    with RestliClient(api_root=root, credentials=credentials, clock=server.clock.now) as client:
        first = client.get(resource_path="/adAccounts/{id}", path_keys={"id": 1})
        second = client.get(resource_path="/adAccounts/{id}", path_keys={"id": 2})
    assert first.entity["id"] == 1 and second.entity["id"] == 2
    assert server.token_calls == 1 and server.token_calls_by_grant == {"refresh_token": 1}
    assert [call.status for call in server.quota_log("adAccounts")] == statuses


def test_a_revoked_token_needs_reauthorization_end_to_end(
    served: tuple[RestliServer, str],
) -> None:
    from restli_requests import RestliClient

    server, root = served
    token = server.issue_token("app-1")
    server.revoke(token)
    credentials = StaticToken(token, client_id="app-1")
    client = RestliClient(api_root=root, credentials=credentials, clock=server.clock.now)
    with client, pytest.raises(ReauthorizationRequiredError) as caught:
        client.get(resource_path="/me")
    assert caught.value.reason == "revoked"
    assert server.token_calls == 0


def test_a_refresh_token_past_its_deadline_needs_reauthorization_end_to_end(
    served: tuple[RestliServer, str],
) -> None:
    from restli_requests import RestliClient

    server, root = served
    refresh_token = server.issue_refresh_token("app-1", expires_in=DAY)
    credentials = RefreshTokenCredentials(
        "app-1", "secret-1", refresh_token, oauth_base_url=f"{root}/oauth/v2"
    )
    server.clock.advance(DAY + 1)
    client = RestliClient(api_root=root, credentials=credentials, clock=server.clock.now)
    with client, pytest.raises(ReauthorizationRequiredError) as caught:
        client.get(resource_path="/me")
    assert caught.value.reason == "refresh_rejected"
    assert server.token_calls == 1

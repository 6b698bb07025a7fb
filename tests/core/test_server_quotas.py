"""The embedded server's quotas: LinkedIn's daily (and shorter) call limits per scope,
the adAnalytics data-volume limit, the log of arrivals, and a real client meeting them
over loopback HTTP."""

from __future__ import annotations

import datetime
import itertools
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from restli_cli._serve import LoopbackServer
from restli_core import (
    BadRequestError,
    CollectionResponse,
    QuotaExhaustedError,
    RateLimitError,
    Request,
    RequestBuilder,
    RestliUsageError,
    RetryPolicy,
    StaticToken,
    parse_response,
    parse_throttle,
)
from restli_core.testing import CallLimit, RestliServer, ServerClock, VolumeLimit

BUILDER = RequestBuilder()
DAY = 86_400


def _utc(text: str) -> float:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc).timestamp()


def accounts(token: str, path: str = "/adAccounts") -> Request:
    return BUILDER.get_all(resource_path=path, access_token=token, version_string="202401")


def analytics_params(campaigns: int = 2, days: int = 10, fields: str | None = None) -> Any:
    params: dict[str, Any] = {
        "pivot": "CAMPAIGN",
        "timeGranularity": "DAILY",
        "dateRange": {
            "start": {"year": 2024, "month": 1, "day": 1},
            "end": {"year": 2024, "month": 1, "day": days},
        },
        "campaigns": [f"urn:li:sponsoredCampaign:{i}" for i in range(1, campaigns + 1)],
    }
    if fields is not None:
        params["fields"] = fields
    return params


def analytics(token: str, campaigns: int = 2, days: int = 10, fields: str | None = None) -> Request:
    return BUILDER.finder(
        resource_path="/adAnalytics",
        finder_name="analytics",
        query_params=analytics_params(campaigns, days, fields),
        access_token=token,
        version_string="202401",
    )


def statuses(server: RestliServer, requests: list[Request]) -> list[int]:
    return [server.handle(r).status_code for r in requests]


def day_body(scope: str) -> bytes:
    return (
        b'{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS","message":'
        b'"Resource level throttle ' + scope.encode() + b" DAY limit for calls to this "
        b'resource is reached."}'
    )


@pytest.fixture
def server() -> RestliServer:
    return RestliServer(check_tokens=True, clock=ServerClock(_utc("2026-12-03T12:00"), frozen=True))


# --------------------------------------------------------------------------- daily limits


@pytest.mark.parametrize("scope", ["APPLICATION", "MEMBER", "APPLICATION_AND_MEMBER"])
def test_beyond_a_daily_limit_linkedins_exact_429(server: RestliServer, scope: str) -> None:
    limit = server.set_daily_limit("adAccounts", calls=2, scope=scope)
    assert limit == CallLimit("adAccounts", 2, "DAY", scope)  # type: ignore[arg-type]
    token = server.issue_token()
    assert statuses(server, [accounts(token)] * 2) == [200, 200]
    response = server.handle(accounts(token))
    assert response.status_code == 429 and response.body == day_body(scope)
    assert "Retry-After" not in response.headers
    assert response.headers["X-RestLi-Error-Response"] == "true"
    with pytest.raises(RateLimitError) as caught:
        parse_response(accounts(token), response)
    assert caught.value.throttle == parse_throttle(response.body)
    assert caught.value.throttle.scope == scope and caught.value.throttle.daily


@pytest.mark.parametrize(
    ("scope", "other_member", "other_app"),
    [
        # is a call by (app-1, member-2) / (app-2, member-1) counted with (app-1, member-1)'s?
        ("APPLICATION", True, False),
        ("MEMBER", False, True),
        ("APPLICATION_AND_MEMBER", False, False),
    ],
)
def test_calls_are_counted_per_scope_identity(
    server: RestliServer, scope: str, other_member: bool, other_app: bool
) -> None:
    server.set_daily_limit("adAccounts", calls=1, scope=scope)
    first = server.issue_token("app-1", member="member-1")
    same = server.issue_token("app-1", member="member-1")  # another token, same identity
    member_2 = server.issue_token("app-1", member="member-2")
    app_2 = server.issue_token("app-2", member="member-1")
    assert statuses(server, [accounts(first), accounts(same)]) == [200, 429]
    assert server.handle(accounts(member_2)).status_code == (429 if other_member else 200)
    assert server.handle(accounts(app_2)).status_code == (429 if other_app else 200)


def test_counts_reset_at_midnight_utc_of_the_server_clock(server: RestliServer) -> None:
    server.clock.set(_utc("2026-12-03T23:59:58"))
    server.set_daily_limit("adAccounts", calls=1)
    token = server.issue_token()
    assert statuses(server, [accounts(token)] * 2) == [200, 429]
    server.clock.advance(1.5)  # 23:59:59.5: still the same UTC day
    assert server.handle(accounts(token)).status_code == 429
    server.clock.advance(0.5)  # 00:00:00
    assert statuses(server, [accounts(token)] * 2) == [200, 429]
    assert server.quota_used("adAccounts") == 1


def test_the_resource_is_the_first_path_segment(server: RestliServer) -> None:
    server.set_daily_limit("/adAccounts/", calls=3)  # slashes are forgiven
    token = server.issue_token()
    single = BUILDER.get(
        resource_path="/adAccounts/{id}", path_keys={"id": 1}, access_token=token
    )  # /v2/adAccounts/1
    search = BUILDER.finder(
        resource_path="/adAccounts", finder_name="search", access_token=token
    )  # /v2/adAccounts?q=search
    assert statuses(server, [single, search, accounts(token)]) == [200, 200, 200]
    assert server.handle(accounts(token, "/adCampaigns")).status_code == 200  # not limited
    assert server.handle(single).status_code == 429
    assert server.quota_used("adAccounts") == 3 and server.quota_used("adCampaigns") == 0


def test_refused_calls_are_not_counted_and_limits_can_be_replaced_or_cleared(
    server: RestliServer,
) -> None:
    server.set_daily_limit("adAccounts", calls=1)
    token = server.issue_token()
    assert statuses(server, [accounts(token)] * 3) == [200, 429, 429]
    assert server.quota_used("adAccounts") == 1
    server.set_daily_limit("adAccounts", calls=2)  # replaces: today's call stays counted
    assert statuses(server, [accounts(token)] * 2) == [200, 429]
    server.clear_limits("adAccounts")
    assert server.handle(accounts(token)).status_code == 200
    assert server.quotas.limits == {}


def test_short_windows_name_themselves_and_all_limits_apply(server: RestliServer) -> None:
    server.set_limit("adAccounts", 2, window="minute", scope="member")
    server.set_daily_limit("adAccounts", calls=3)
    token = server.issue_token()
    assert statuses(server, [accounts(token)] * 2) == [200, 200]
    throttled = server.handle(accounts(token))
    assert throttled.json()["message"] == (
        "Resource level throttle MEMBER MINUTE limit for calls to this resource is reached."
    )
    throttle = parse_throttle(throttled.body)
    assert throttle is not None and throttle.window == "MINUTE" and not throttle.daily
    server.clock.advance(60)
    assert server.handle(accounts(token)).status_code == 200
    assert server.handle(accounts(token)).body == day_body("APPLICATION")  # the day's 3 spent
    server.set_limit("adCampaigns", 1, window="SECOND")
    assert statuses(server, [accounts(token, "/adCampaigns")] * 2) == [200, 429]
    server.clock.advance(1)
    assert server.handle(accounts(token, "/adCampaigns")).status_code == 200


def test_tokens_the_server_did_not_issue_count_under_one_application() -> None:
    server = RestliServer(clock=ServerClock(frozen=True))
    server.set_daily_limit("me", calls=1, scope="APPLICATION")
    me = [BUILDER.get(resource_path="/me", access_token=t) for t in ("t1", "t2")]
    assert statuses(server, me) == [200, 429]
    server.set_daily_limit("me", calls=1, scope="MEMBER")  # now also 1 per member (token)
    server.clear_limits()
    server.set_daily_limit("me", calls=1, scope="MEMBER")
    assert statuses(server, [*me, *me]) == [200, 200, 429, 429]
    log = server.quota_log("me")
    assert {(c.application, c.member) for c in log} == {("app", "t1"), ("app", "t2")}


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda s: s.set_daily_limit("adAccounts", calls=1, scope="WORLD"), "scope"),
        (lambda s: s.set_daily_limit("adAccounts", calls=-1), "calls"),
        (lambda s: s.set_daily_limit("adAccounts", calls=True), "calls"),
        (lambda s: s.set_daily_limit("a/b", calls=1), "resource"),
        (lambda s: s.set_limit("adAccounts", 1, window="WEEK"), "window"),
        (lambda s: s.set_metric_volume_limit(0), "values"),
        (lambda s: s.set_metric_volume_limit(10, window=0), "window"),
        (lambda s: s.issue_token(expires_in=1.5), "expires_in"),
        (lambda s: s.issue_refresh_token(""), "client_id"),
    ],
)
def test_bad_settings_are_refused(server: RestliServer, call: Any, match: str) -> None:
    with pytest.raises(RestliUsageError, match=match):
        call(server)


def test_counters_are_thread_safe(server: RestliServer) -> None:
    server.set_daily_limit("adAccounts", calls=100)
    token = server.issue_token()
    seen: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(30):
            status = server.dispatch(accounts(token)).response.status_code
            with lock:
                seen.append(status)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen.count(200) == 100 and seen.count(429) == 140
    assert len(server.quota_log("adAccounts")) == 240


# --------------------------------------------------------------------------- the log


def test_the_log_holds_every_api_arrival_with_both_clocks(server: RestliServer) -> None:
    token = server.issue_token("app-9", member="member-9")
    before = time.monotonic()
    server.handle(accounts(token))
    server.clock.advance(5)
    server.inject(503, path="/adAccounts")
    server.handle(accounts(token))  # a fault: logged too, before the token is read
    server.handle(accounts("made-up"))
    server.handle(BUILDER.get(resource_path="/me", access_token=token))
    server.handle(
        Request("POST", "https://www.linkedin.com/oauth/v2/accessToken", {}, b"")
    )  # OAuth: not a resource, not logged
    log = server.quota_log()
    assert [(c.resource, c.status) for c in log] == [
        ("adAccounts", 200),
        ("adAccounts", 503),
        ("adAccounts", 401),
        ("me", 200),
    ]
    first, faulted = log[0], log[1]
    assert (first.application, first.member, first.method) == ("app-9", "member-9", "GET")
    assert (faulted.application, faulted.member) == (None, None)
    assert faulted.time - first.time == 5 and first.time == _utc("2026-12-03T12:00")
    assert before <= first.monotonic <= faulted.monotonic <= time.monotonic()
    assert server.quota_log("me") == [log[3]]


def test_the_log_is_bounded_like_the_request_log() -> None:
    server = RestliServer(request_log_size=3)
    for _ in range(5):
        server.handle(accounts("t"))
    assert len(server.quota_log()) == 3 and len(server.requests) == 3


# --------------------------------------------------------------------------- adAnalytics


def test_ad_analytics_answers_one_element_per_facet_value_and_bucket(server: RestliServer) -> None:
    token = server.issue_token()
    found = parse_response(
        analytics(token, campaigns=2, days=3), server.handle(analytics(token, 2, 3))
    )
    elements = found.elements  # type: ignore[attr-defined]
    assert len(elements) == 6
    assert elements[0]["pivotValues"] == ["urn:li:sponsoredCampaign:1"]
    assert elements[0]["dateRange"]["start"] == {"year": 2024, "month": 1, "day": 1}
    assert {"impressions", "clicks", "costInLocalCurrency"} <= set(elements[0])
    again = server.handle(analytics(token, 2, 3)).json()["elements"]
    assert again == elements  # the same numbers every time
    chosen = server.handle(analytics(token, 1, 2, fields="impressions,clicks")).json()
    assert [sorted(e) for e in chosen["elements"]] == [["clicks", "impressions"]] * 2


def test_ad_analytics_checks_its_parameters(server: RestliServer) -> None:
    token = server.issue_token()
    request = BUILDER.finder(
        resource_path="/adAnalytics",
        finder_name="analytics",
        query_params={"pivot": "CAMPAIGN", "timeGranularity": "DAILY"},
        access_token=token,
        version_string="202401",
    )
    with pytest.raises(BadRequestError, match="dateRange"):
        parse_response(request, server.handle(request))
    monthly = BUILDER.finder(
        resource_path="/adAnalytics",
        finder_name="statistics",
        query_params={
            "pivots": ["CAMPAIGN"],
            "timeGranularity": "MONTHLY",
            "dateRange": {"start": {"year": 2023, "month": 12, "day": 15}},
            "accounts": ["urn:li:sponsoredAccount:1"],
        },
        access_token=token,
        version_string="202401",
    )
    answer = server.handle(monthly).json()["elements"]
    assert len(answer) == 1 and answer[0]["dateRange"]["end"]["day"] == 15


def test_the_data_volume_limit_counts_values_per_application_in_a_sliding_window(
    server: RestliServer,
) -> None:
    limit = server.set_metric_volume_limit(100, window=300)
    assert limit == VolumeLimit(100, 300.0, "adAnalytics")
    token = server.issue_token("app-1")
    other = server.issue_token("app-2")
    forty = analytics(token, campaigns=2, days=10, fields="impressions,clicks")  # 2x10x2
    assert statuses(server, [forty, forty]) == [200, 200]
    refused = server.handle(forty)
    assert refused.status_code == 429 and "Retry-After" not in refused.headers
    assert json.loads(refused.body) == {
        "status": 429,
        "serviceErrorCode": 101,
        "code": "TOO_MANY_REQUESTS",
        "message": "More than 100 metric values were requested in a 5-minute window",
    }
    throttle = parse_throttle(refused.body)
    assert throttle is not None and throttle.kind == "data_volume" and not throttle.daily
    twenty = analytics(token, campaigns=1, days=10, fields="impressions,clicks")
    assert server.handle(twenty).status_code == 200  # exactly 100: still allowed
    assert server.handle(analytics(other, fields="impressions,clicks")).status_code == 200
    assert server.handle(accounts(token)).status_code == 200  # other resources: no limit
    server.clock.advance(299)
    assert server.handle(twenty).status_code == 429
    server.clock.advance(1)  # the calls of the first instant left the window
    assert statuses(server, [forty, forty, twenty, twenty]) == [200, 200, 200, 429]
    server.set_metric_volume_limit(None)
    assert server.handle(forty).status_code == 200


def test_the_data_volume_message_is_linkedins_by_default(server: RestliServer) -> None:
    limit = server.set_metric_volume_limit()
    assert limit is not None and limit.message == (
        "More than 45 million metric values were requested in a 5-minute window"
    )
    assert VolumeLimit(1_500_000, 30).message == (
        "More than 1.5 million metric values were requested in a 30-second window"
    )


# --------------------------------------------------------------------------- end to end


@pytest.fixture
def served() -> Iterator[tuple[RestliServer, str]]:
    server = RestliServer(check_tokens=True)
    http = LoopbackServer(server).start()
    try:
        yield server, http.url
    finally:
        http.close()


def test_a_daily_limit_fails_fast_until_midnight_end_to_end(
    served: tuple[RestliServer, str],
) -> None:
    from restli_requests import RestliClient

    server, root = served
    server.clock.set(_utc("2026-12-03T23:00:00"))
    server.set_daily_limit("adAccounts", calls=2, scope="APPLICATION")
    token = server.issue_token("app-1", expires_in=10 * DAY)
    credentials = StaticToken(token, client_id="app-1")
    with RestliClient(api_root=root, credentials=credentials, clock=server.clock.now) as client:

        def call() -> CollectionResponse:
            return client.get_all(resource_path="/adAccounts", query_params={"count": 1})

        call()
        call()
        with pytest.raises(QuotaExhaustedError) as reported:
            call()
        assert reported.value.sent and reported.value.scope == "APPLICATION"
        assert reported.value.resets_at == datetime.datetime(
            2026, 12, 4, tzinfo=datetime.timezone.utc
        )
        arrived = len(server.quota_log("adAccounts"))
        for _ in range(3):
            with pytest.raises(QuotaExhaustedError) as fast:
                call()
            assert not fast.value.sent
        assert len(server.quota_log("adAccounts")) == arrived  # nothing reached the server
        assert client.get(resource_path="/me").status_code == 200  # other resources pass
        server.clock.set(_utc("2026-12-04T00:00:01"))  # past midnight UTC
        assert call().status_code == 200
    log = server.quota_log("adAccounts")
    assert [c.status for c in log] == [200, 200, 429, 200]
    assert log[-1].time >= _utc("2026-12-04T00:00:00")


def test_the_data_volume_429_is_retried_with_backoff_end_to_end(
    served: tuple[RestliServer, str],
) -> None:
    from restli_requests import RestliClient

    server, root = served
    server.set_metric_volume_limit(30, window=0.25)  # the server's clock runs in real time
    credentials = StaticToken(server.issue_token("app-1"), client_id="app-1")
    retry = RetryPolicy(max_attempts=6, base_delay=0.1, jitter=False)
    with RestliClient(
        api_root=root, credentials=credentials, retry=retry, clock=server.clock.now
    ) as client:
        answers = [
            client.finder(
                resource_path="/adAnalytics",
                finder_name="analytics",
                query_params=analytics_params(1, 10, "impressions,clicks"),  # 20 values
                version_string="202401",
            )
            for _ in range(2)
        ]
    assert [len(a.elements) for a in answers] == [10, 10]
    codes = [c.status for c in server.quota_log("adAnalytics")]
    # The second call was refused until the first one's values left the window.
    assert codes[:2] == [200, 429] and codes[-1] == 200
    assert codes.count(200) == 2 and set(codes) == {200, 429}
    arrivals = [c.monotonic for c in server.quota_log("adAnalytics")]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals[1:])]
    assert all(gap >= 0.09 for gap in gaps)  # each retry waited its backoff

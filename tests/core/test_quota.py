"""LinkedIn's 429s understood: throttle bodies, daily blocks shared through the store,
fail-fast until 00:00 UTC, and pacing budgets."""

from __future__ import annotations

import asyncio
import datetime
import json
import pickle
from typing import Any

import pytest

from restli_core import (
    AsyncRestliClientBase,
    Budget,
    MemoryStore,
    QuotaExhaustedError,
    RateLimitError,
    Request,
    Response,
    RestliUsageError,
    RetryPolicy,
    StaticToken,
    SyncRestliClientBase,
    Throttle,
    parse_throttle,
)
from restli_core._quota import next_reset, resource_of

DAY_BODY = {
    "status": 429,
    "serviceErrorCode": 101,
    "code": "TOO_MANY_REQUESTS",
    "message": "Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this "
    "resource is reached.",
}
VOLUME_BODY = {
    "status": 429,
    "message": "More than 45 million metric values were requested in a 5-minute window",
}


def _body(scope: str, window: str) -> dict[str, Any]:
    return {
        "status": 429,
        "serviceErrorCode": 101,
        "code": "TOO_MANY_REQUESTS",
        "message": f"Resource level throttle {scope} {window} limit for calls to this "
        f"resource is reached.",
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (DAY_BODY, ("APPLICATION_AND_MEMBER", "DAY", "calls")),
        (_body("APPLICATION", "MINUTE"), ("APPLICATION", "MINUTE", "calls")),
        (_body("MEMBER", "SECOND"), ("MEMBER", "SECOND", "calls")),
        (VOLUME_BODY, (None, None, "data_volume")),
        ({"status": 429, "message": "Too many requests"}, None),
        ({"status": 429}, None),
        ("not a dict", None),
        (b"\xff not json", None),
        (json.dumps(DAY_BODY).encode(), ("APPLICATION_AND_MEMBER", "DAY", "calls")),
    ],
)
def test_throttle_bodies(body: Any, expected: tuple[Any, ...] | None) -> None:
    throttle = parse_throttle(body)
    if expected is None:
        assert throttle is None
    else:
        assert throttle is not None
        assert (throttle.scope, throttle.window, throttle.kind) == expected
        assert throttle.daily == (expected[1] == "DAY")


@pytest.mark.parametrize(
    ("now", "reset"),
    [
        ("2026-12-03T18:00:00", "2026-12-04T00:00:00"),
        ("2026-12-31T23:59:59", "2027-01-01T00:00:00"),
        ("2026-12-04T00:00:00", "2026-12-05T00:00:00"),
    ],
)
def test_next_reset_is_the_next_midnight_utc(now: str, reset: str) -> None:
    utc = datetime.timezone.utc
    at = datetime.datetime.fromisoformat(now).replace(tzinfo=utc).timestamp()
    expected = datetime.datetime.fromisoformat(reset).replace(tzinfo=utc).timestamp()
    assert next_reset(at) == expected


@pytest.mark.parametrize(
    ("path", "resource"),
    [
        ("/adAccounts/123/adCampaigns", "adAccounts"),
        ("/adAnalytics", "adAnalytics"),
        ("/organizationAcls", "organizationAcls"),
        ("/posts/urn%3Ali%3Ashare%3A1", "posts"),
        ("/", "/"),
    ],
)
def test_resource_of(path: str, resource: str) -> None:
    assert resource_of(path) == resource


@pytest.mark.parametrize("bad", [(0, 10.0), (6, 0), (True, 1.0), (6, -1.0), ("6", 10.0)])
def test_bad_budgets_are_refused(bad: tuple[Any, Any]) -> None:
    with pytest.raises(RestliUsageError):
        Budget(*bad)


# --------------------------------------------------------------------------- a fake API


class Clock:
    def __init__(self, iso: str = "2026-12-03T23:00:00") -> None:
        self.now = (
            datetime.datetime.fromisoformat(iso).replace(tzinfo=datetime.timezone.utc).timestamp()
        )

    def __call__(self) -> float:
        return self.now


class Throttling:
    """Answers 200, except 429 with ``body`` for ``resource`` while ``limited``."""

    def __init__(self, body: dict[str, Any], resource: str = "adAnalytics") -> None:
        self.body = body
        self.resource = resource
        self.limited = True
        self.sent: list[Request] = []
        self.waits: list[float] = []

    def answer(self, request: Request) -> Response:
        self.sent.append(request)
        if self.limited and f"/{self.resource}" in request.url:
            status, body = 429, self.body
        else:
            status, body = 200, {"elements": [], "paging": {"start": 0, "count": 10}}
        return Response(
            status, {"Content-Type": "application/json"}, json.dumps(body).encode(), request.url
        )

    def send(self, request: Request) -> Response:
        return self.answer(request)

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


class AsyncThrottling(Throttling):
    async def send(self, request: Request) -> Response:  # type: ignore[override]
        return self.answer(request)

    async def sleep(self, seconds: float) -> None:  # type: ignore[override]
        self.waits.append(seconds)


RETRY = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.01)


def _get_all(mode: str, server: Throttling, store: MemoryStore, clock: Clock, **kw: Any) -> Any:
    resource = kw.pop("resource", "adAnalytics")
    options = {"store": store, "clock": clock, "retry": RETRY, **kw}
    call = {"resource_path": f"/{resource}", "access_token": kw.pop("token", "member-a")}
    options.pop("token", None)
    if mode == "sync":
        return SyncRestliClientBase(server, **options).get_all(**call)

    async def go() -> Any:
        return await AsyncRestliClientBase(server, **options).get_all(**call)

    return asyncio.run(go())


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _server(mode: str, body: dict[str, Any], resource: str = "adAnalytics") -> Throttling:
    return Throttling(body, resource) if mode == "sync" else AsyncThrottling(body, resource)


def test_a_daily_limit_is_not_retried_and_blocks_until_midnight(mode: str) -> None:
    server = _server(mode, DAY_BODY)
    store, clock = MemoryStore(), Clock()
    with pytest.raises(QuotaExhaustedError) as caught:
        _get_all(mode, server, store, clock)
    error = caught.value
    assert isinstance(error, RateLimitError) and error.status_code == 429
    assert (error.scope, error.window, error.resource, error.sent) == (
        "APPLICATION_AND_MEMBER",
        "DAY",
        "adAnalytics",
        True,
    )
    assert error.resets_at == datetime.datetime(2026, 12, 4, tzinfo=datetime.timezone.utc)
    assert isinstance(error.throttle, Throttle)
    assert isinstance(error.__cause__, RateLimitError)
    assert "2026-12-04 00:00 UTC" in str(error)
    assert len(server.sent) == 1 and server.waits == []  # not retried

    # Until midnight, the same resource and scope fail without being sent...
    clock.now += 3599
    with pytest.raises(QuotaExhaustedError) as again:
        _get_all(mode, server, store, clock)
    assert again.value.sent is False and len(server.sent) == 1
    # ... another resource still goes ...
    _get_all(mode, server, store, clock, resource="adCampaigns")
    assert len(server.sent) == 2
    # ... and after 00:00 UTC the resource is tried again.
    server.limited = False
    clock.now += 2
    _get_all(mode, server, store, clock)
    assert len(server.sent) == 3


@pytest.mark.parametrize(
    ("scope", "other_member_blocked"), [("APPLICATION", True), ("MEMBER", False)]
)
def test_the_scope_of_a_block(mode: str, scope: str, other_member_blocked: bool) -> None:
    server = _server(mode, _body(scope, "DAY"))
    store, clock = MemoryStore(), Clock()
    with pytest.raises(QuotaExhaustedError):
        _get_all(mode, server, store, clock, token="member-a")
    server.limited = False
    if other_member_blocked:
        with pytest.raises(QuotaExhaustedError):
            _get_all(mode, server, store, clock, token="member-b")
        assert len(server.sent) == 1
    else:
        _get_all(mode, server, store, clock, token="member-b")
        assert len(server.sent) == 2


def test_app_blocks_follow_the_credentials_client_id(mode: str) -> None:
    server = _server(mode, _body("APPLICATION", "DAY"))
    store, clock = MemoryStore(), Clock()
    ours = StaticToken("member-a", client_id="app-1")
    with pytest.raises(QuotaExhaustedError):
        _get_all(mode, server, store, clock, credentials=ours, token=None)
    server.limited = False
    theirs = StaticToken("member-b", client_id="app-2")
    _get_all(mode, server, store, clock, credentials=theirs, token=None)
    assert len(server.sent) == 2


@pytest.mark.parametrize("body", [_body("APPLICATION", "MINUTE"), VOLUME_BODY])
def test_short_windows_back_off_as_before(mode: str, body: dict[str, Any]) -> None:
    server = _server(mode, body)
    store, clock = MemoryStore(), Clock()
    with pytest.raises(RateLimitError) as caught:
        _get_all(mode, server, store, clock)
    assert not isinstance(caught.value, QuotaExhaustedError)
    assert len(server.sent) == 3 and len(server.waits) == 2
    server.limited = False
    _get_all(mode, server, store, clock)  # nothing blocked


def test_the_quota_error_pickles_without_the_token() -> None:
    server = Throttling(DAY_BODY)
    with pytest.raises(QuotaExhaustedError) as caught:
        _get_all("sync", server, MemoryStore(), Clock(), token="s3cret-token")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(copy, QuotaExhaustedError) and copy.resets_at == caught.value.resets_at
    assert "s3cret-token" not in repr(copy.__dict__) + str(copy)


# --------------------------------------------------------------------------- pacing


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Paced(Throttling):
    """Records the store clock at each send; its sleeps move that clock."""

    def __init__(self, ticks: Ticks) -> None:
        super().__init__(DAY_BODY)
        self.limited = False
        self.ticks = ticks
        self.times: list[float] = []

    def send(self, request: Request) -> Response:
        self.times.append(self.ticks.now)
        self.ticks.now += 0.01
        return self.answer(request)

    def sleep(self, seconds: float) -> None:
        self.ticks.now += seconds


def test_a_budget_paces_calls_to_its_resource_only() -> None:
    ticks = Ticks()
    server = Paced(ticks)
    client = SyncRestliClientBase(
        server, store=MemoryStore(clock=ticks), budgets={"adAnalytics": Budget(6, 10.0)}
    )
    for _ in range(20):
        client.get_all(resource_path="/adAnalytics", access_token="t")
    times = server.times
    for i, start in enumerate(times):
        assert sum(1 for t in times[i:] if t < start + 10.0) <= 6
    assert times[-1] >= 20  # 20 calls at 6 per 10 s need more than 20 s
    before = len(times)
    client.get_all(resource_path="/adCampaigns", access_token="t")
    assert len(server.times) == before + 1 and server.times[-1] - times[-1] < 1.0


# --------------------------------------------------------------------------- store failures


class BrokenStore(MemoryStore):
    def get(self, key: str) -> str | None:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


class AsyncMemoryStore:
    async def get(self, key: str) -> str | None:
        return None


def test_a_failing_store_is_a_store_error(mode: str) -> None:
    from restli_core import StoreError

    server = _server(mode, DAY_BODY)
    server.limited = False
    with pytest.raises(StoreError, match="failed during 'get': ConnectionError") as caught:
        _get_all(mode, server, BrokenStore(), Clock())
    assert isinstance(caught.value.__cause__, ConnectionError)
    assert caught.value.operation == "get"
    assert server.sent == []


def test_a_sync_client_refuses_an_async_store() -> None:
    server = Throttling(DAY_BODY)
    with pytest.raises(RestliUsageError, match="needs a sync store"):
        _get_all("sync", server, AsyncMemoryStore(), Clock())  # type: ignore[arg-type]

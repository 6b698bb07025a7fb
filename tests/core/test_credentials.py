"""Credentials that keep themselves valid, against a fake API and token endpoint.

The fake server knows which tokens it issued and when they expire (on a clock the
test moves), answers LinkedIn's 401 bodies (65602 expired, 65601 revoked), and
counts its token endpoint calls. Both drivers run the same checks.
"""

from __future__ import annotations

import asyncio
import json
import logging
import pickle
import threading
from typing import Any
from urllib.parse import parse_qs

import pytest

from restli_core import (
    AsyncRestliClientBase,
    ClientCredentials,
    MemoryStore,
    ReauthorizationRequiredError,
    RefreshTokenCredentials,
    Request,
    Response,
    RestliUsageError,
    StaticToken,
    SyncRestliClientBase,
    TokenState,
    UnauthorizedError,
)
from restli_core._credentials import LEASE_SECONDS, token_flow
from restli_core._flow import Sleep
from restli_core._store import StoreCall

DAY = 86400.0
OAUTH = "https://oauth.example.test/oauth/v2"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _json(request: Request, status: int, body: Any) -> Response:
    return Response(
        status, {"Content-Type": "application/json"}, json.dumps(body).encode(), request.url
    )


class FakeLinkedIn:
    """Issues tokens that live ``lifetime`` seconds on ``clock``; answers /me."""

    def __init__(self, clock: Clock, lifetime: float = 3600.0) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self.tokens: dict[str, float] = {}  # token -> expires at
        self.revoked: set[str] = set()
        self.token_calls = 0
        self.api_calls = 0
        self.refresh_answer: tuple[int, Any] | None = None
        self._lock = threading.Lock()

    def issue(self, name: str, expires_at: float) -> str:
        self.tokens[name] = expires_at
        return name

    def __call__(self, request: Request) -> Response:
        with self._lock:
            if request.url.startswith(OAUTH):
                return self._token(request)
            return self._api(request)

    def _token(self, request: Request) -> Response:
        self.token_calls += 1
        form = {k: v[0] for k, v in parse_qs((request.body or b"").decode()).items()}
        if self.refresh_answer is not None:
            return _json(request, *self.refresh_answer)
        token = f"token-{self.token_calls}"
        self.tokens[token] = self.clock() + self.lifetime
        body: dict[str, Any] = {"access_token": token, "expires_in": int(self.lifetime)}
        if form["grant_type"] == "refresh_token":
            body.update(refresh_token=form["refresh_token"], refresh_token_expires_in=300 * 86400)
        return _json(request, 200, body)

    def _api(self, request: Request) -> Response:
        self.api_calls += 1
        token = request.token
        if token in self.revoked:
            return _json(
                request,
                401,
                {
                    "status": 401,
                    "serviceErrorCode": 65601,
                    "code": "REVOKED_ACCESS_TOKEN",
                    "message": "The token used in the request has been revoked by the user",
                },
            )
        expires = self.tokens.get(token or "")
        if expires is None or expires <= self.clock():
            return _json(
                request,
                401,
                {
                    "status": 401,
                    "serviceErrorCode": 65602,
                    "code": "EXPIRED_ACCESS_TOKEN",
                    "message": "The token used in the request has expired",
                },
            )
        return _json(request, 200, {"id": "me", "token": "used"})


class SyncFake:
    def __init__(self, server: FakeLinkedIn) -> None:
        self.server = server
        self.sent: list[Request] = []

    def send(self, request: Request) -> Response:
        self.sent.append(request)
        return self.server(request)

    def sleep(self, seconds: float) -> None:
        pass


class AsyncFake(SyncFake):
    async def send(self, request: Request) -> Response:  # type: ignore[override]
        self.sent.append(request)
        return self.server(request)

    async def sleep(self, seconds: float) -> None:  # type: ignore[override]
        pass


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call_me(mode: str, server: FakeLinkedIn, clock: Clock, **options: Any) -> Any:
    """``client.get("/me")`` through a fresh client of ``mode``; returns (result, sent)."""
    call: dict[str, Any] = {"resource_path": "/me"}
    if "access_token" in options:
        call["access_token"] = options.pop("access_token")
    options.setdefault("retry", None)
    options.setdefault("clock", clock)
    if mode == "sync":
        transport = SyncFake(server)
        return SyncRestliClientBase(transport, **options).get(**call), transport.sent
    atransport = AsyncFake(server)

    async def go() -> Any:
        return await AsyncRestliClientBase(atransport, **options).get(**call)

    return asyncio.run(go()), atransport.sent


def refreshing(server: FakeLinkedIn, **kw: Any) -> RefreshTokenCredentials:
    return RefreshTokenCredentials("app-id", "app-secret", "refresh-1", oauth_base_url=OAUTH, **kw)


# --------------------------------------------------------------------------- tokens


def test_a_call_without_token_or_credentials_is_refused(mode: str) -> None:
    clock = Clock()
    with pytest.raises(RestliUsageError, match="no access_token"):
        call_me(mode, FakeLinkedIn(clock), clock)


def test_static_token_is_sent_and_an_explicit_token_wins(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    server.issue("static-1", clock() + DAY)
    server.issue("explicit", clock() + DAY)
    _, sent = call_me(mode, server, clock, credentials=StaticToken("static-1"))
    assert sent[0].token == "static-1"
    _, sent = call_me(
        mode, server, clock, credentials=StaticToken("static-1"), access_token="explicit"
    )
    assert sent[0].token == "explicit"
    assert server.token_calls == 0


def test_a_refresh_token_with_no_access_token_renews_first(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    result, sent = call_me(mode, server, clock, credentials=refreshing(server))
    assert result.entity["id"] == "me"
    assert server.token_calls == 1
    assert [r.url.startswith(OAUTH) for r in sent] == [True, False]
    assert sent[1].token == "token-1"


def test_the_token_is_renewed_shortly_before_it_expires(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    store = MemoryStore()
    credentials = refreshing(server)
    call_me(mode, server, clock, credentials=credentials, store=store)
    clock.now += 3600 - 400  # 400 s left: more than the margin (300-360 s)
    call_me(mode, server, clock, credentials=credentials, store=store)
    assert server.token_calls == 1
    clock.now += 200  # 200 s left: within the margin
    _, sent = call_me(mode, server, clock, credentials=credentials, store=store)
    assert server.token_calls == 2 and sent[-1].token == "token-2"


def test_an_expired_answer_renews_once_and_sends_again(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    server.issue("old", clock() + DAY)
    credentials = refreshing(server, access_token="old", expires_at=clock() + DAY)
    del server.tokens["old"]  # the server expired it early (65602)
    result, sent = call_me(mode, server, clock, credentials=credentials)
    assert result.entity["id"] == "me"
    assert [r.token for r in sent if not r.url.startswith(OAUTH)] == ["old", "token-1"]
    assert server.token_calls == 1


def test_an_expired_answer_to_a_fresh_token_is_not_a_loop(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock, lifetime=-1)  # every token it issues is already expired
    with pytest.raises(UnauthorizedError) as caught:
        call_me(mode, server, clock, credentials=refreshing(server))
    assert caught.value.service_error_code == 65602
    assert server.token_calls == 2  # the first token, then one renewal: no more
    assert server.api_calls == 2


def test_a_revoked_token_needs_reauthorization(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    server.issue("gone", clock() + DAY)
    server.revoked.add("gone")
    with pytest.raises(ReauthorizationRequiredError, match="revoked") as caught:
        call_me(mode, server, clock, credentials=StaticToken("gone"))
    assert caught.value.reason == "revoked"
    assert isinstance(caught.value.__cause__, UnauthorizedError)
    assert server.token_calls == 0


def test_a_refresh_token_past_its_deadline_needs_reauthorization(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    credentials = refreshing(server, refresh_token_expires_at=clock() - 1)
    with pytest.raises(ReauthorizationRequiredError, match="authorize the application") as c:
        call_me(mode, server, clock, credentials=credentials)
    assert c.value.reason == "refresh_token_expired"
    assert server.token_calls == 0 and server.api_calls == 0


def test_a_refused_refresh_needs_reauthorization(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    server.refresh_answer = (
        400,
        {"error": "invalid_grant", "error_description": "The provided refresh-1 is revoked"},
    )
    with pytest.raises(ReauthorizationRequiredError) as caught:
        call_me(mode, server, clock, credentials=refreshing(server))
    assert caught.value.reason == "refresh_rejected"
    chain = f"{caught.value} {caught.value.__cause__}"
    assert "refresh-1" not in chain and "app-secret" not in chain


def test_a_static_token_past_its_expiry_cannot_be_renewed(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    with pytest.raises(ReauthorizationRequiredError) as caught:
        call_me(mode, server, clock, credentials=StaticToken("t", expires_at=clock() - 5))
    assert caught.value.reason == "cannot_renew"


def test_two_legged_credentials_fetch_and_renew(mode: str) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock, lifetime=1800)
    store = MemoryStore()
    credentials = ClientCredentials("app-id", "app-secret", oauth_base_url=OAUTH)
    call_me(mode, server, clock, credentials=credentials, store=store)
    call_me(mode, server, clock, credentials=credentials, store=store)
    assert server.token_calls == 1
    clock.now += 1800
    _, sent = call_me(mode, server, clock, credentials=credentials, store=store)
    assert server.token_calls == 2 and sent[-1].token == "token-2"


@pytest.mark.parametrize(("days", "warned"), [(40, None), (29, "29.0 day"), (6.5, "6.5 day")])
def test_warnings_before_the_refresh_token_deadline(
    caplog: pytest.LogCaptureFixture, days: float, warned: str | None
) -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    # A refresh token of its own: the warnings are given once per credentials.
    credentials = RefreshTokenCredentials(
        "app-id",
        "app-secret",
        f"refresh-{days}",
        oauth_base_url=OAUTH,
        refresh_token_expires_at=clock() + days * DAY,
    )
    with caplog.at_level(logging.WARNING, logger="restli"):
        call_me("sync", server, clock, credentials=credentials)
    text = " ".join(r.getMessage() for r in caplog.records)
    if warned is None:
        assert "expires in" not in text
    else:
        assert f"expires in {warned}" in text and "authorize the application again" in text
        assert "refresh-" not in text.replace("RefreshTokenCredentials", "")


def test_secrets_never_show() -> None:
    credentials = RefreshTokenCredentials(
        "app-id", "s3cret-value", "r3fresh-value", access_token="acc3ss-value"
    )
    state = TokenState("acc3ss-value", 1.0, "r3fresh-value", 2.0)
    for shown in (repr(credentials), str(credentials), repr(state), str(state)):
        for secret in ("s3cret-value", "r3fresh-value", "acc3ss-value"):
            assert secret not in shown
    for value in (credentials, state, StaticToken("acc3ss-value"), ClientCredentials("a", "b")):
        with pytest.raises(TypeError, match="not pickled"):
            pickle.dumps(value)
    assert "acc3ss" not in repr(StaticToken("acc3ss-value"))


# --------------------------------------------------------------------------- single flight


def _drive(flow: Any, store: MemoryStore, answer: Any) -> Any:
    """Run a token flow by hand: store calls on ``store``, requests to ``answer``."""
    step = next(flow)
    try:
        while True:
            if isinstance(step, StoreCall):
                step = flow.send(step.run(store))
            elif isinstance(step, Sleep):
                step = flow.send(None)
            else:
                step = flow.send(answer(step))
    except StopIteration as stop:
        return stop.value


def test_a_worker_waits_for_the_lease_holder_and_reads_its_token() -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    store = MemoryStore()
    credentials = refreshing(server)
    key = f"restli:token:{credentials.key}"
    assert store.lease(key + ":lease", "someone-else", LEASE_SECONDS)
    waiting = token_flow(credentials, clock=clock)
    step = next(waiting)
    while not isinstance(step, Sleep):  # reads, then fails to take the lease
        step = waiting.send(step.run(store))  # type: ignore[union-attr]
    # Meanwhile the holder writes a fresh token.
    store.put(key, TokenState("fresh", clock() + 3600, "refresh-1").to_json())
    step = waiting.send(None)
    token = None
    try:
        while True:
            step = waiting.send(step.run(store))  # type: ignore[union-attr]
    except StopIteration as done:
        token = done.value
    assert token == "fresh"
    assert server.token_calls == 0


def test_a_lease_holder_that_died_is_replaced_after_the_lease_expires() -> None:
    clock = Clock()
    ticks = Clock(0.0)
    server = FakeLinkedIn(clock)
    store = MemoryStore(clock=ticks)
    credentials = refreshing(server)
    store.lease(f"restli:token:{credentials.key}:lease", "dead-worker", LEASE_SECONDS)
    flow = token_flow(credentials, clock=clock)
    step = next(flow)
    sleeps = 0
    try:
        while True:
            if isinstance(step, StoreCall):
                step = flow.send(step.run(store))
            elif isinstance(step, Sleep):
                sleeps += 1
                ticks.now += step.seconds  # the store's clock moves with the waits
                step = flow.send(None)
            else:
                step = flow.send(server(step))
    except StopIteration as stop:
        token = stop.value
    assert token == "token-1" and server.token_calls == 1
    assert ticks.now >= LEASE_SECONDS and ticks.now < LEASE_SECONDS + 1
    assert sleeps > 1


def test_threads_of_one_process_renew_once() -> None:
    clock = Clock()
    server = FakeLinkedIn(clock)
    store = MemoryStore()
    credentials = refreshing(server)
    client = SyncRestliClientBase(
        SyncFake(server), credentials=credentials, store=store, clock=clock, retry=None
    )
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                client.get(resource_path="/me")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert server.token_calls == 1
    assert server.api_calls == 40


def test_store_steps_never_show_a_stored_value() -> None:
    state = TokenState("acc3ss-value", 1.0, "r3fresh-value", 2.0)
    call = StoreCall("put", ("restli:token:abc", state.to_json(), None))
    assert "acc3ss" not in repr(call) and "r3fresh" not in repr(call)
    assert "restli:token:abc" in repr(call)

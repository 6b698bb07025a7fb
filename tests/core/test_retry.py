"""RetryPolicy (pure decisions) and the send_with_retries flow, without any socket."""

from __future__ import annotations

import asyncio
import calendar
import logging
import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import (
    Headers,
    Request,
    Response,
    RestliMethod,
    RestliUsageError,
    RetryPolicy,
    Sleep,
    TransportError,
    TransportTimeout,
    run_async,
    run_sync,
    send_with_retries,
)
from restli_core._retry import is_idempotent

TOKEN = "AQX-very-secret-token"
URL = "https://api.linkedin.com/v2/adAccounts/1"


def req(
    method: RestliMethod | None, http: str = "", *, tunneled: bool = False, **headers: str
) -> Request:
    pairs = [("Authorization", f"Bearer {TOKEN}"), *headers.items()]
    verb = http or ("POST" if tunneled else (method.http_method if method else "GET"))
    if tunneled and method is not None:
        pairs.append(("X-HTTP-Method-Override", method.http_method))
    return Request(verb, URL, Headers(pairs), None, method, tunneled)


def resp(status: int, **headers: str) -> Response:
    return Response(status, Headers(list(headers.items())), b"{}", URL)


GET = req(RestliMethod.GET)
CREATE = req(RestliMethod.CREATE)
POLICY = RetryPolicy(jitter=False)


# ----------------------------------------------------------------------------- the policy


def test_defaults() -> None:
    policy = RetryPolicy()
    assert policy.max_attempts == 3
    assert policy.base_delay == 0.5
    assert policy.max_delay == 30.0
    assert policy.retry_statuses == (429, 502, 503, 504)
    assert policy.max_retry_after == 60.0
    assert policy.jitter is True
    assert RetryPolicy.none().max_attempts == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"max_attempts": 2.5},
        {"max_attempts": True},
        {"base_delay": -1},
        {"max_delay": float("nan")},
        {"max_delay": float("inf")},
        {"max_retry_after": "5"},
        {"retry_statuses": (400,)},
        {"retry_statuses": (426,)},
        {"retry_statuses": (200,)},
        {"retry_statuses": ("503",)},
        {"retry_statuses": 503},
    ],
)
def test_impossible_values_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(RestliUsageError):
        RetryPolicy(**kwargs)


def test_backoff_doubles_up_to_the_cap_without_jitter() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=3.0, jitter=False)
    assert [policy.backoff(n) for n in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert policy.backoff(10_000) == 3.0  # no overflow however many attempts


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=2**32))
def test_full_jitter_stays_within_zero_and_the_cap(retry_index: int, seed: int) -> None:
    policy = RetryPolicy(base_delay=0.25, max_delay=8.0)
    cap = min(8.0, 0.25 * 2 ** min(retry_index, 62))
    delay = policy.backoff(retry_index, random.Random(seed))
    assert 0.0 <= delay <= cap


def test_jitter_is_drawn_from_the_given_rng() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0)
    assert policy.backoff(3, random.Random(7)) == random.Random(7).uniform(0.0, 8.0)


@pytest.mark.parametrize(
    ("request_", "idempotent"),
    [
        (req(RestliMethod.GET), True),
        (req(RestliMethod.BATCH_GET), True),
        (req(RestliMethod.GET_ALL), True),
        (req(RestliMethod.FINDER), True),
        (req(RestliMethod.BATCH_FINDER), True),
        (req(RestliMethod.UPDATE), True),
        (req(RestliMethod.BATCH_UPDATE), True),
        (req(RestliMethod.DELETE), True),
        (req(RestliMethod.BATCH_DELETE), True),
        (req(RestliMethod.CREATE), False),
        (req(RestliMethod.BATCH_CREATE), False),
        (req(RestliMethod.PARTIAL_UPDATE), False),
        (req(RestliMethod.BATCH_PARTIAL_UPDATE), False),
        (req(RestliMethod.ACTION), False),
        # A tunneled GET is sent as POST but is still a GET.
        (req(RestliMethod.FINDER, tunneled=True), True),
        (req(RestliMethod.ACTION, tunneled=True), False),
        # Non-Rest.li requests: the override header, else the verb.
        (req(None, "POST"), False),
        (req(None, "GET"), True),
        (Request("POST", URL, [("X-HTTP-Method-Override", "DELETE")]), True),
        (Request("POST", URL, [("X-HTTP-Method-Override", "post")]), False),
    ],
)
def test_idempotence(request_: Request, idempotent: bool) -> None:
    assert is_idempotent(request_) is idempotent


ERR = TransportError("boom", sent=True)
UNSENT = TransportError("refused", sent=False)
TIMEOUT = TransportTimeout("slow", sent=True)

DECISIONS = [
    # (request, response or error, retried?)
    (GET, resp(503), True),
    (GET, resp(502), True),
    (GET, resp(504), True),
    (GET, resp(429), True),
    (GET, resp(500), False),  # not in retry_statuses
    (GET, resp(400), False),
    (GET, resp(401), False),
    (GET, resp(404), False),
    (GET, resp(426), False),
    (GET, resp(200), False),
    (GET, ERR, True),
    (GET, TIMEOUT, True),
    (GET, UNSENT, True),
    (CREATE, resp(429), True),  # throttled: certainly not processed
    (CREATE, resp(503), False),
    (CREATE, resp(502), False),
    (CREATE, resp(504), False),
    (CREATE, ERR, False),
    (CREATE, TIMEOUT, False),
    (CREATE, UNSENT, True),  # never left this machine
    (req(RestliMethod.DELETE), resp(503), True),
    (req(RestliMethod.UPDATE), TIMEOUT, True),
    (req(RestliMethod.ACTION), TransportTimeout("slow", sent=False), True),
    (req(None, "POST"), resp(429), True),  # an OAuth token call
    (req(None, "POST"), resp(503), False),
]


@pytest.mark.parametrize(("request_", "outcome", "retried"), DECISIONS)
def test_retry_decisions(request_: Request, outcome: Any, retried: bool) -> None:
    if isinstance(outcome, TransportError):
        decision = POLICY.retry_delay(request_, 1, error=outcome)
    else:
        decision = POLICY.retry_delay(request_, 1, response=outcome)
    assert (decision is not None) is retried
    if decision is not None:
        assert decision[0] == 0.5  # first retry, no jitter: base_delay


def test_no_retry_once_attempts_are_spent() -> None:
    assert POLICY.retry_delay(GET, 2, response=resp(503)) is not None
    assert POLICY.retry_delay(GET, 3, response=resp(503)) is None
    assert RetryPolicy.none().retry_delay(GET, 1, response=resp(503)) is None


def test_retry_after_seconds_is_honoured() -> None:
    assert POLICY.retry_delay(GET, 1, response=resp(503, **{"Retry-After": "7"})) == (
        7.0,
        "status 503 (Retry-After: 7)",
    )
    assert POLICY.retry_delay(GET, 1, response=resp(429, **{"Retry-After": "0"}))[0] == 0.0  # type: ignore[index]


def test_retry_after_beyond_the_cap_gives_up() -> None:
    policy = RetryPolicy(max_retry_after=10)
    assert policy.retry_delay(GET, 1, response=resp(429, **{"Retry-After": "11"})) is None
    assert policy.retry_delay(GET, 1, response=resp(429, **{"Retry-After": "10"})) is not None


def test_retry_after_http_date() -> None:
    now = calendar.timegm((2024, 1, 1, 0, 0, 0, 0, 0, 0))
    decision = POLICY.retry_delay(
        GET, 1, response=resp(503, **{"Retry-After": "Mon, 01 Jan 2024 00:00:30 GMT"}), now=now
    )
    assert decision is not None and decision[0] == 30.0


def test_retry_after_http_date_is_measured_against_the_response_date() -> None:
    # The server's clock: a local clock an hour off does not change the wait.
    headers = {
        "Retry-After": "Mon, 01 Jan 2024 00:00:30 GMT",
        "Date": "Mon, 01 Jan 2024 00:00:00 GMT",
    }
    now = calendar.timegm((2024, 1, 1, 1, 0, 0, 0, 0, 0))
    decision = POLICY.retry_delay(GET, 1, response=resp(503, **headers), now=now)
    assert decision is not None and decision[0] == 30.0


def test_a_transport_that_answers_something_else_is_an_error() -> None:
    flow = send_with_retries(GET, POLICY)
    assert next(flow) is GET
    with pytest.raises(RestliUsageError, match="not a restli_core.Response"):
        flow.send("not a response")  # type: ignore[arg-type]


def test_unusable_retry_after_falls_back_to_backoff() -> None:
    decision = POLICY.retry_delay(GET, 2, response=resp(503, **{"Retry-After": "soon"}))
    assert decision == (1.0, "status 503")


# ----------------------------------------------------------------------------- the flow


class Script:
    """A sync transport answering from a list of responses / errors."""

    def __init__(self, *outcomes: Response | TransportError) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[Request] = []
        self.sleeps: list[float] = []

    def send(self, request: Request) -> Response:
        self.sent.append(request)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, TransportError):
            raise outcome
        return outcome

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


class AsyncScript(Script):
    async def send(self, request: Request) -> Response:  # type: ignore[override]
        return Script.send(self, request)

    async def sleep(self, seconds: float) -> None:  # type: ignore[override]
        Script.sleep(self, seconds)


Runner = Callable[[Any, Script], Any]


def _sync(flow: Any, transport: Script) -> Any:
    return run_sync(flow, transport)


def _async(flow: Any, transport: Script) -> Any:
    return asyncio.run(run_async(flow, transport))  # type: ignore[arg-type]


RUNNERS = [
    pytest.param((_sync, Script), id="sync"),
    pytest.param((_async, AsyncScript), id="async"),
]


@pytest.mark.parametrize("runner", RUNNERS)
def test_flow_retries_then_returns_the_success(runner: tuple[Runner, type[Script]]) -> None:
    run, cls = runner
    transport = cls(resp(503, **{"Retry-After": "2"}), TIMEOUT, resp(200))
    result = run(send_with_retries(GET, RetryPolicy(jitter=False)), transport)
    assert result.status_code == 200
    assert len(transport.sent) == 3
    assert transport.sleeps == [2.0, 1.0]  # Retry-After, then base * 2**1


@pytest.mark.parametrize("runner", RUNNERS)
def test_flow_returns_the_last_response_when_attempts_run_out(
    runner: tuple[Runner, type[Script]],
) -> None:
    run, cls = runner
    transport = cls(resp(503), resp(502), resp(504))
    result = run(send_with_retries(GET, RetryPolicy(jitter=False)), transport)
    assert result.status_code == 504
    assert transport.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("runner", RUNNERS)
def test_flow_reraises_the_last_transport_error(runner: tuple[Runner, type[Script]]) -> None:
    run, cls = runner
    last = TransportError("third", sent=True)
    transport = cls(ERR, TIMEOUT, last)
    with pytest.raises(TransportError) as info:
        run(send_with_retries(GET, RetryPolicy(jitter=False)), transport)
    assert info.value is last
    assert len(transport.sent) == 3


@pytest.mark.parametrize("runner", RUNNERS)
def test_flow_does_not_repeat_a_sent_post(runner: tuple[Runner, type[Script]]) -> None:
    run, cls = runner
    transport = cls(ERR, resp(201))
    with pytest.raises(TransportError):
        run(send_with_retries(CREATE, RetryPolicy()), transport)
    assert len(transport.sent) == 1
    transport = cls(resp(503), resp(201))
    assert run(send_with_retries(CREATE, RetryPolicy()), transport).status_code == 503
    assert len(transport.sent) == 1


def test_flow_without_policy_sends_once() -> None:
    transport = Script(resp(503), resp(200))
    assert run_sync(send_with_retries(GET, None), transport).status_code == 503
    transport = Script(ERR)
    with pytest.raises(TransportError):
        run_sync(send_with_retries(GET, None), transport)
    assert transport.sleeps == []


def test_flow_yields_requests_and_sleeps() -> None:
    flow = send_with_retries(GET, RetryPolicy(jitter=False))
    assert next(flow) is GET
    assert flow.send(resp(429, **{"Retry-After": "3"})) == Sleep(3.0)
    assert flow.send(None) is GET
    with pytest.raises(StopIteration) as stop:
        flow.send(resp(200))
    assert stop.value.value.status_code == 200


def test_flow_resolves_retry_after_dates_with_its_clock() -> None:
    now = calendar.timegm((2024, 1, 1, 0, 0, 0, 0, 0, 0))
    transport = Script(resp(503, **{"Retry-After": "Mon, 01 Jan 2024 00:00:04 GMT"}), resp(200))
    run_sync(send_with_retries(GET, RetryPolicy(), clock=lambda: now), transport)
    assert transport.sleeps == [4.0]


def test_flow_logs_retries_at_info_and_exchanges_at_debug_without_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = Request(
        "GET",
        f"{URL}?oauth2_access_token={TOKEN}&x=1",
        Headers([("Authorization", f"Bearer {TOKEN}")]),
    )
    transport = Script(resp(503), TransportError("reset", sent=True), resp(200))
    with caplog.at_level(logging.DEBUG, logger="restli"):
        run_sync(send_with_retries(request, RetryPolicy(jitter=False)), transport)
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    debugs = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert len(infos) == 2 and len(debugs) == 3
    assert "retrying GET" in infos[0] and "attempt 1 of 3" in infos[0] and "status 503" in infos[0]
    assert "0.500 s" in infos[0]
    assert "transport error" in infos[1] and "1.000 s" in infos[1]
    assert "-> 503" in debugs[0] and "attempt 1" in debugs[0] and " ms)" in debugs[0]
    assert "-> 200" in debugs[2] and "attempt 3" in debugs[2]
    for message in infos + debugs:
        assert TOKEN not in message
        assert "oauth2_access_token=***" in message
    assert all(r.name == "restli" for r in caplog.records)


def test_flow_logs_nothing_when_the_logger_is_quiet(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="restli"):
        run_sync(send_with_retries(GET, RetryPolicy(jitter=False)), Script(resp(503), resp(200)))
    assert caplog.records == []


def test_parse_gets_the_last_response_and_its_result_ends_the_flow() -> None:
    seen: list[tuple[Request, int]] = []

    def parse(request: Request, response: Response) -> str:
        seen.append((request, response.status_code))
        return f"parsed {response.status_code}"

    flow = send_with_retries(GET, POLICY, parse=parse)
    assert next(flow) is GET
    assert isinstance(flow.send(resp(503)), Sleep)  # retried: parse not called yet
    assert seen == []
    assert flow.send(None) is GET
    with pytest.raises(StopIteration) as stop:
        flow.send(resp(404))  # not retried: parsed as is
    assert stop.value.value == "parsed 404"
    assert seen == [(GET, 404)]


def test_parse_is_not_called_when_the_transport_fails_for_good() -> None:
    calls: list[Response] = []
    flow = send_with_retries(CREATE, POLICY, parse=lambda _, r: calls.append(r))
    assert next(flow) is CREATE
    with pytest.raises(TransportError):
        flow.throw(TransportError("reset", sent=True))  # a sent POST is never retried
    assert calls == []


def test_a_policy_of_another_type_is_a_misuse() -> None:
    with pytest.raises(RestliUsageError, match="RetryPolicy or None"):
        next(send_with_retries(GET, {"max_attempts": 3}))  # type: ignore[call-overload]

"""The total deadline of a call: retries and waits included, each attempt sent with the
time left, and the error that ends a call says how many attempts were made."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from restli_core import (
    Request,
    Response,
    RestliUsageError,
    RetryPolicy,
    ServerError,
    Sleep,
    TransportError,
    TransportTimeout,
    parse_response,
    send_with_retries,
)
from restli_core.testing import MockRestliClient

URL = "https://api.linkedin.com/v2/adAccounts/1"
GET = Request("GET", URL, {"Authorization": "Bearer t"})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def drive(flow: Any, clock: Clock, answer: Any) -> tuple[list[Request], Any]:
    """Run ``flow`` by hand: each request takes 1 s and gets ``answer(n)`` (a Response
    or an exception to throw); a Sleep moves the clock."""
    sent: list[Request] = []
    step = next(flow)
    try:
        while True:
            if isinstance(step, Sleep):
                clock.now += step.seconds
                step = flow.send(None)
                continue
            sent.append(step)
            clock.now += 1.0
            result = answer(len(sent))
            step = flow.throw(result) if isinstance(result, BaseException) else flow.send(result)
    except StopIteration as stop:
        return sent, stop.value
    except Exception as exc:
        return sent, exc


def refused(n: int) -> TransportError:
    return TransportError("refused", request_method="GET", request_url=URL, sent=False)


def test_each_attempt_is_sent_with_the_time_left() -> None:
    clock = Clock()
    policy = RetryPolicy(max_attempts=3, base_delay=2.0, jitter=False)
    flow = send_with_retries(GET, policy, deadline=30.0, monotonic=clock)
    sent, error = drive(flow, clock, refused)
    assert [r.timeout for r in sent] == [30.0, 27.0, 22.0]  # 1 s each, waits of 2 and 4 s
    assert all(r == GET for r in sent)  # the same request otherwise
    assert isinstance(error, TransportError) and error.attempts == 3
    assert "attempt 3 of 3; no attempts left" in str(error)


def test_no_wait_is_started_that_would_end_past_the_deadline() -> None:
    clock = Clock()
    policy = RetryPolicy(max_attempts=5, base_delay=10.0, jitter=False)
    flow = send_with_retries(GET, policy, deadline=25.0, monotonic=clock)
    sent, error = drive(flow, clock, refused)
    # attempt 1 at 0 s, wait 10 s, attempt 2 at 11 s; the next wait (20 s) would end
    # at 32 s, past the deadline: the call stops there, well before 5 attempts.
    assert len(sent) == 2
    assert isinstance(error, TransportError) and error.attempts == 2
    assert "attempt 2 of 5; the call's deadline left no time for another" in str(error)
    assert clock.now - 1000.0 < 25.0


def test_an_error_status_says_its_attempts() -> None:
    clock = Clock()
    policy = RetryPolicy(max_attempts=3, base_delay=0.1, jitter=False)
    flow = send_with_retries(GET, policy, deadline=60.0, monotonic=clock, parse=parse_response)
    sent, error = drive(flow, clock, lambda n: Response(503, {}, b"", URL))
    assert len(sent) == 3
    assert isinstance(error, ServerError) and error.attempts == 3
    assert str(error).endswith("[attempt 3 of 3; no attempts left]")
    again = pickle.loads(pickle.dumps(error))
    assert again.attempts == 3 and str(again) == str(error)


def test_a_single_attempt_adds_nothing_to_the_message() -> None:
    clock = Clock()
    flow = send_with_retries(GET, None, deadline=60.0, monotonic=clock, parse=parse_response)
    sent, error = drive(flow, clock, lambda n: Response(404, {}, b"", URL))
    assert len(sent) == 1 and error.attempts == 1 and "attempt" not in str(error)


def test_without_a_deadline_requests_carry_no_timeout() -> None:
    clock = Clock()
    flow = send_with_retries(GET, RetryPolicy(max_attempts=2, base_delay=0.1), monotonic=clock)
    sent, response = drive(flow, clock, lambda n: Response(200, {}, b"{}", URL))
    assert [r.timeout for r in sent] == [None] and response.status_code == 200


@pytest.mark.parametrize("value", [0, -1, "10", True, float("nan"), [1]])
def test_a_bad_deadline_is_misuse(value: Any) -> None:
    with pytest.raises(RestliUsageError, match="deadline"):
        MockRestliClient(deadline=value)
    with pytest.raises(RestliUsageError, match="deadline"):
        next(send_with_retries(GET, None, deadline=value))


def test_clients_have_a_finite_deadline_by_default() -> None:
    client = MockRestliClient()
    assert client.deadline is not None and client.deadline <= 300
    client.get(resource_path="/me", access_token="t")
    (exchange,) = client.transport.exchanges
    timeout = exchange.request.timeout
    assert timeout is not None and 0 < timeout <= client.deadline
    assert MockRestliClient(deadline=None).deadline is None
    huge = MockRestliClient(deadline=10**400)  # no limit to speak of, but no crash
    assert huge.deadline == float("inf")


def test_a_deadline_that_passed_during_the_last_wait_is_a_timeout() -> None:
    clock = Clock()
    policy = RetryPolicy(max_attempts=3, base_delay=1.0, jitter=False)
    flow = send_with_retries(GET, policy, deadline=10.0, monotonic=clock)
    next(flow)
    clock.now += 1.0
    step = flow.throw(refused(1))
    assert isinstance(step, Sleep)
    clock.now += 100.0  # the driver slept far longer than asked
    with pytest.raises(TransportTimeout, match="deadline passed before attempt 2") as caught:
        flow.send(None)
    assert caught.value.attempts == 1

"""Retries: a pure policy (:class:`RetryPolicy`) and the flow that applies it.

What may be retried follows RFC 9110 §9.2.2: a request whose repetition is harmless
(GET, PUT, DELETE: the idempotent methods) may be sent again after any transport
failure or a throttling/gateway status. A POST (Rest.li create, batch_create,
partial_update, batch_partial_update, action; OAuth token calls) is sent again only
when the server certainly did not process it: the connection failed before anything
was sent, or the server answered 429 (a throttled request is rejected before it is
processed). Other 4xx answers, 426 included, are final: repeating them cannot help.

Delays use exponential backoff with "full jitter" (``uniform(0, min(cap, base *
2**n))`` for the n-th retry, n from 0) unless the server sent ``Retry-After``
(RFC 9110 §10.2.3: seconds or an HTTP-date), which is honoured as given, read by
the same function as :attr:`RateLimitError.retry_after <restli_core.RateLimitError>`. A
``Retry-After`` longer than :attr:`RetryPolicy.max_retry_after` means "not soon"
(LinkedIn's daily quotas reset at midnight UTC): the flow gives up at once and the
caller sees the 429. A 429 whose body names a DAY limit is never retried, for the
same reason (see ``_quota.py``).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar, overload

import attrs

from ._errors import RestliError, RestliUsageError, TransportError, TransportTimeout
from ._flow import Flow, Sleep
from ._log import logger, redact_url
from ._messages import Request, Response, seconds_arg
from ._quota import is_daily
from ._retry_after import parse_retry_after
from ._wire import H_DATE, H_METHOD_OVERRIDE, H_RETRY_AFTER

__all__ = ["RetryPolicy", "is_idempotent", "send_with_retries"]

# RFC 9110 §9.2.2: the idempotent methods.
_IDEMPOTENT_HTTP_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})

# 2**62 * any sane base already exceeds every cap; bounding the exponent keeps the
# arithmetic in float range however large max_attempts is.
_MAX_EXPONENT = 62

_DEBUG = logging.DEBUG
_INFO = logging.INFO


def _non_negative(name: str) -> Callable[[Any, Any, Any], None]:
    def check(_instance: Any, _attribute: Any, value: Any) -> None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not value >= 0
            or value == float("inf")
        ):
            raise RestliUsageError(
                f"RetryPolicy.{name} must be a finite number >= 0, got {value!r}"
            )

    return check


def _check_attempts(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RestliUsageError(f"RetryPolicy.max_attempts must be an int >= 1, got {value!r}")


def _to_statuses(value: Iterable[int]) -> tuple[int, ...]:
    try:
        statuses = tuple(value)
    except TypeError:
        raise RestliUsageError(
            f"RetryPolicy.retry_statuses must be an iterable of ints, got {value!r}"
        ) from None
    for status in statuses:
        # Only throttling (429) and server failures (5xx) can succeed when repeated;
        # other 4xx answers (426 VersionNotActive included) are final.
        if isinstance(status, bool) or not isinstance(status, int):
            raise RestliUsageError(f"RetryPolicy.retry_statuses: {status!r} is not an int")
        if status != 429 and not 500 <= status <= 599:
            raise RestliUsageError(
                f"RetryPolicy.retry_statuses: {status} cannot be retried "
                "(only 429 and 5xx statuses may be)"
            )
    return statuses


@attrs.frozen
class RetryPolicy:
    """When and how long to wait before sending a request again.

    Attributes:
        max_attempts: total sends, the first one included (1 means no retry).
        base_delay: seconds; the n-th retry (n from 0) waits up to
            ``base_delay * 2**n``.
        max_delay: seconds; the cap of that backoff.
        retry_statuses: statuses that may be retried (only 429 and 5xx are allowed;
            a 5xx is retried only for idempotent requests).
        max_retry_after: seconds; a ``Retry-After`` longer than this is not waited
            for: the response is returned (and raised) at once.
        jitter: draw each backoff uniformly from ``[0, cap]`` ("full jitter") so
            that many clients do not retry in lockstep; ``False`` waits the cap.

    Raises:
        RestliUsageError: a field has an impossible value.
    """

    max_attempts: int = attrs.field(default=3, validator=_check_attempts)
    base_delay: float = attrs.field(default=0.5, validator=_non_negative("base_delay"))
    max_delay: float = attrs.field(default=30.0, validator=_non_negative("max_delay"))
    retry_statuses: tuple[int, ...] = attrs.field(
        default=(429, 502, 503, 504), converter=_to_statuses
    )
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative("max_retry_after"))
    jitter: bool = True

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries (the same as passing ``retry=None``)."""
        return cls(max_attempts=1)

    def backoff(self, retry_index: int, rng: random.Random | None = None) -> float:
        """The delay before retry number ``retry_index`` (0 for the first retry).

        Args:
            retry_index: how many retries came before this one.
            rng: the random source for the jitter (default: a module-level one).

        Returns:
            Seconds to wait: ``uniform(0, cap)`` with jitter, else ``cap``, where
            ``cap = min(max_delay, base_delay * 2**retry_index)``.
        """
        cap = min(self.max_delay, self.base_delay * 2 ** min(max(retry_index, 0), _MAX_EXPONENT))
        if not self.jitter or cap <= 0:
            return float(cap)
        return (rng or _rng).uniform(0.0, cap)

    def retry_delay(
        self,
        request: Request,
        attempt: int,
        *,
        response: Response | None = None,
        error: TransportError | None = None,
        rng: random.Random | None = None,
        now: float | None = None,
    ) -> tuple[float, str] | None:
        """Decide whether to send ``request`` again after ``attempt`` sends.

        Pure: the outcome depends only on the arguments (and ``rng``).

        Args:
            request: the request that was sent.
            attempt: how many times it has been sent (1 after the first send).
            response: the response received, or ``None`` ...
            error: ... the transport error raised instead.
            rng: the random source for the jitter.
            now: the current Unix time, to resolve a ``Retry-After`` HTTP-date
                when the response has no valid ``Date`` (default: ``time.time()``).

        Returns:
            ``(seconds to wait, reason)`` to retry, or ``None`` to stop.
        """
        if attempt >= self.max_attempts:
            return None
        if error is not None:
            # A POST is repeated only when it certainly never left this machine.
            if error.sent and not is_idempotent(request):
                return None
            kind = "timeout" if isinstance(error, TransportTimeout) else "transport error"
            return self.backoff(attempt - 1, rng), f"{kind}: {error}"
        if response is None:
            return None
        status = response.status_code
        if status not in self.retry_statuses:
            return None
        # A 429 is rejected before processing, so it is safe to repeat even a POST;
        # a 5xx may come after the work was done (e.g. a gateway timing out).
        if status != 429 and not is_idempotent(request):
            return None
        if status == 429 and is_daily(response):
            return None  # a daily quota: retrying only spends tomorrow's budget
        header = response.headers.get(H_RETRY_AFTER)
        if header is not None:
            # The reading RateLimitError.retry_after gives: a date is measured
            # against the response's Date, else against ``now``.
            wait = parse_retry_after(header, response.headers.get(H_DATE), now=now)
            if wait is not None:
                if wait > self.max_retry_after:
                    return None
                return wait, f"status {status} (Retry-After: {header.strip()})"
        return self.backoff(attempt - 1, rng), f"status {status}"


_rng = random.Random()
NO_RETRY = RetryPolicy.none()


def is_idempotent(request: Request) -> bool:
    """Whether repeating ``request`` is harmless (RFC 9110 §9.2.2).

    A Rest.li request answers from its method (a tunneled GET is sent as POST but
    is still a GET); any other request from ``X-HTTP-Method-Override`` if present,
    else its HTTP verb.
    """
    if request.restli_method is not None:
        return request.restli_method.idempotent
    method = request.headers.get(H_METHOD_OVERRIDE) or request.method
    return str(method).strip().upper() in _IDEMPOTENT_HTTP_METHODS


T = TypeVar("T")


@overload
def send_with_retries(
    request: Request,
    policy: RetryPolicy | None,
    *,
    rng: random.Random | None = None,
    clock: Callable[[], float] | None = None,
    deadline: float | None = None,
    monotonic: Callable[[], float] | None = None,
) -> Flow[Response]: ...


@overload
def send_with_retries(
    request: Request,
    policy: RetryPolicy | None,
    *,
    rng: random.Random | None = None,
    clock: Callable[[], float] | None = None,
    deadline: float | None = None,
    monotonic: Callable[[], float] | None = None,
    parse: Callable[[Request, Response], T],
) -> Flow[T]: ...


def send_with_retries(
    request: Request,
    policy: RetryPolicy | None,
    *,
    rng: random.Random | None = None,
    clock: Callable[[], float] | None = None,
    deadline: float | None = None,
    monotonic: Callable[[], float] | None = None,
    parse: Callable[[Request, Response], Any] | None = None,
) -> Flow[Any]:
    """A flow that sends ``request``, retrying it as ``policy`` allows.

    Each exchange is logged at DEBUG and each retry at INFO on the ``restli`` logger
    (method, redacted URL, attempt, status or reason, delay; never a header).

    Args:
        request: the request to send.
        policy: the retry policy; ``None`` sends once.
        rng: the random source for the jitter (tests pass a seeded one).
        clock: returns the current Unix time, to resolve ``Retry-After`` dates
            when the response has no valid ``Date`` (default ``time.time``).
        parse: called as ``parse(request, response)`` on the last response; the
            flow's result is what it returns (one generator per call instead of two).
        deadline: seconds the whole call may take, retries and waits included
            (``None``: no limit). Each attempt is sent with ``Request.timeout`` set
            to the time left, so the transport ends a stalled exchange; no wait is
            started that would end past it.
        monotonic: the clock of the deadline (default ``time.monotonic``).

    Returns:
        A flow whose result is the last :class:`Response` received (the caller's
        parsing turns an error status into an exception), or ``parse``'s result.

    Raises:
        TransportError: the last transport failure, once retries are exhausted or
            not allowed; a :class:`TransportTimeout` when the deadline passed.
        Any error ``parse`` raises. The error that ends the call says how many
        attempts were made (:attr:`RestliError.attempts`, and in its message).
    """
    if policy is None:
        policy = NO_RETRY
    elif not isinstance(policy, RetryPolicy):
        raise RestliUsageError(f"policy must be a RetryPolicy or None, not {policy!r}")
    if deadline is not None:
        deadline = seconds_arg(deadline, "deadline", finite=False)
    now_of = monotonic or time.monotonic
    ends = None if deadline is None else now_of() + deadline
    attempt = 0
    while True:
        attempt += 1
        sent = request if ends is None else _within(request, ends - now_of(), attempt)
        debug = logger.isEnabledFor(_DEBUG)
        started = time.perf_counter() if debug else 0.0
        try:
            response = yield sent
        except TransportError as exc:
            if debug:
                _log_exchange(request, attempt, started, f"failed: {exc}")
            decision = _in_time(
                policy.retry_delay(
                    request, attempt, error=exc, rng=rng, now=clock() if clock else None
                ),
                ends,
                now_of,
            )
            if not isinstance(decision, tuple):
                _count(exc, attempt, policy, decision)
                raise
        else:
            if not isinstance(response, Response):
                raise RestliUsageError(
                    f"the transport answered {request.method} {redact_url(request.url)} "
                    f"with a {type(response).__name__}, not a restli_core.Response"
                )
            if debug:
                _log_exchange(request, attempt, started, str(response.status_code))
            if response.status_code < 400:  # the common case: nothing to decide
                return response if parse is None else parse(request, response)
            decision = _in_time(
                policy.retry_delay(
                    request, attempt, response=response, rng=rng, now=clock() if clock else None
                ),
                ends,
                now_of,
            )
            if not isinstance(decision, tuple):
                if parse is None:
                    return response
                try:
                    return parse(request, response)
                except RestliError as exc:
                    _count(exc, attempt, policy, decision)
                    raise
        delay, reason = decision
        if logger.isEnabledFor(_INFO):
            logger.info(
                "retrying %s %s after attempt %d of %d (%s) in %.3f s",
                request.method,
                redact_url(request.url),
                attempt,
                policy.max_attempts,
                reason,
                delay,
            )
        yield Sleep(delay)


def _within(request: Request, left: float, attempt: int) -> Request:
    """``request`` with the time left of the call's deadline as its timeout."""
    if left <= 0:  # the last wait ended exactly at the deadline
        error = TransportTimeout(
            f"{request.method} {redact_url(request.url)}: the call's deadline passed "
            f"before attempt {attempt}",
            request_method=request.method,
            request_url=redact_url(request.url),
            sent=False,
        )
        _count(error, attempt - 1, None, "deadline")
        raise error
    return request.with_timeout(left)


# Why a call stopped retrying: the policy said so (None), or the deadline.
_Stop = Literal["deadline"] | None


def _in_time(
    decision: tuple[float, str] | None, ends: float | None, now_of: Callable[[], float]
) -> tuple[float, str] | _Stop:
    """The policy's decision, unless waiting would end past the deadline."""
    if decision is None or ends is None or now_of() + decision[0] < ends:
        return decision
    return "deadline"


def _count(exc: RestliError, attempts: int, policy: RetryPolicy | None, stop: _Stop) -> None:
    """Let ``exc`` say how many times the request was sent, and why no more."""
    exc.attempts = attempts
    limit = policy.max_attempts if policy is not None else attempts
    if stop == "deadline":
        why = "the call's deadline left no time for another"
    elif attempts >= limit > 1:
        why = "no attempts left"
    elif attempts > 1:
        why = "not retryable"
    else:
        return  # sent once, as the policy wanted: nothing to add
    exc.attempts_note = f"attempt {attempts} of {limit}; {why}"


def _log_exchange(request: Request, attempt: int, started: float, outcome: str) -> None:
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    logger.debug(
        "%s %s -> %s (attempt %d, %.1f ms)",
        request.method,
        redact_url(request.url),
        outcome,
        attempt,
        elapsed_ms,
    )

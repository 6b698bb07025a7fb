"""One call's exchange with the API: token, quotas, pacing, retries, in that order.

Every Rest.li call of a client (single, paged, chunked) is sent by
:func:`exchange_flow`:

1. **Token.** A request built without ``access_token`` gets the client's
   ``credentials`` token (renewed once per fleet when due, see ``_credentials.py``).
   A request with a token of its own is sent with it.
2. **Spent quotas fail fast.** If a daily quota of this resource is recorded as spent
   in the store (for the application, this member, or both), the call raises
   :class:`QuotaExhaustedError` without being sent.
3. **Pacing.** With a :class:`Budget` for the resource, the call waits for a free
   slot of the budget (shared through the store).
4. **Send**, with the retry policy and deadline (a DAY 429 is not retried).
5. **Answers that concern the fleet.** A 401 ``EXPIRED_ACCESS_TOKEN`` (65602) renews
   the token once and sends once more; 65601 (``REVOKED_ACCESS_TOKEN``) raises
   :class:`ReauthorizationRequiredError`; a DAY 429 records the block until the next
   00:00 UTC and raises :class:`QuotaExhaustedError`.

Pure: the store is reached through :class:`StoreCall` steps, time through ``clock``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

from ._credentials import Credentials, ReauthorizationRequiredError, token_flow
from ._errors import RestliUsageError, error_from_response
from ._flow import Flow, Sleep
from ._quota import (
    Budget,
    QuotaExhaustedError,
    block_key,
    identity,
    next_reset,
    resource_of,
)
from ._retry import RetryPolicy, send_with_retries
from ._store import StoreCall
from ._throttle import SCOPES, parse_throttle

if TYPE_CHECKING:
    from ._messages import Request, Response

__all__ = ["ExchangeSettings", "exchange_flow"]

T = TypeVar("T")

EXPIRED_ACCESS_TOKEN = 65602
REVOKED_ACCESS_TOKEN = 65601


class ExchangeSettings(Protocol):
    """What :func:`exchange_flow` reads from a client (``ClientCore`` has them)."""

    retry: RetryPolicy | None
    deadline: float | None
    rng: random.Random | None
    credentials: Credentials | None
    budgets: Mapping[str, Budget]
    clock: Callable[[], float]

    def resource_path_of(self, url: str) -> str: ...


class _Flagged:
    """An answer the exchange handles itself (not parsed by the caller's ``parse``)."""

    __slots__ = ("response",)

    def __init__(self, response: Response) -> None:
        self.response = response


def _service_code(request: Request, response: Response) -> int | None:
    return error_from_response(request, response).service_error_code


def exchange_flow(
    settings: ExchangeSettings,
    request: Request,
    parse: Callable[[Request, Response], T],
) -> Flow[T]:
    """The flow of one call, as the module docstring describes.

    Args:
        settings: the client's settings (retry, deadline, credentials, budgets...).
        request: the request, with or without a bearer token.
        parse: turns the final response into the result (and raises for errors).

    Raises:
        RestliUsageError: no token, and no credentials to get one.
        QuotaExhaustedError: a daily quota of the resource is spent.
        ReauthorizationRequiredError: the token is revoked or cannot be renewed.
        Whatever sending and ``parse`` raise.
    """
    credentials = settings.credentials
    token = request.token
    renewable = token is None
    if token is None:
        if credentials is None:
            raise RestliUsageError(
                f"{request.method} {urlsplit(request.url).path}: no access_token; pass "
                f"access_token= to the call, or credentials= to the client"
            )
        token = yield from _token(settings, credentials, None)
        request = request.with_access_token(token)
    app = credentials.app if credentials is not None else "app"
    member = credentials.key if renewable and credentials is not None else identity(token)
    resource = resource_of(settings.resource_path_of(request.url))

    yield from _fail_if_blocked(settings, resource, app, member)
    budget = settings.budgets.get(resource)
    if budget is not None:
        yield from _pace(settings, budget, f"restli:pace:{app}:{resource}")

    def flag(sent: Request, response: Response) -> Any:
        status = response.status_code
        if status == 401 or (status == 429 and _daily(response)):
            return _Flagged(response)
        return parse(sent, response)

    result = yield from _send(settings, request, flag)
    if not isinstance(result, _Flagged):
        return result  # type: ignore[no-any-return]
    response = result.response
    if response.status_code == 429:
        raise (yield from _record_block(settings, request, response, resource, app, member))
    code = _service_code(request, response)
    if code == REVOKED_ACCESS_TOKEN:
        raise ReauthorizationRequiredError(
            "LinkedIn says the access token was revoked (serviceErrorCode 65601): the "
            "member must authorize the application again",
            reason="revoked",
        ) from error_from_response(request, response)
    if code == EXPIRED_ACCESS_TOKEN and renewable and credentials is not None:
        token = yield from _token(settings, credentials, token)
        request = request.with_access_token(token)
        return (yield from _send(settings, request, parse))
    return parse(request, response)


def _daily(response: Response) -> bool:
    throttle = parse_throttle(response.body)
    return throttle is not None and throttle.daily


def _send(
    settings: ExchangeSettings, request: Request, parse: Callable[[Request, Response], T]
) -> Flow[T]:
    return send_with_retries(
        request, settings.retry, rng=settings.rng, deadline=settings.deadline, parse=parse
    )


def _token(settings: ExchangeSettings, credentials: Credentials, stale: str | None) -> Flow[str]:
    return token_flow(
        credentials,
        clock=settings.clock,
        retry=settings.retry,
        deadline=settings.deadline,
        rng=settings.rng,
        stale=stale,
    )


def _until(value: Any) -> float | None:
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _fail_if_blocked(
    settings: ExchangeSettings, resource: str, app: str, member: str
) -> Flow[None]:
    # One read for the common case: no block at all on this resource, whoever it is
    # for (a round trip saved per call on a Redis store across the network).
    marker = _until((yield StoreCall("get", (_marker_key(resource),))))
    if marker is None or marker <= settings.clock():
        return
    for scope in SCOPES:
        until = _until((yield StoreCall("get", (block_key(scope, app, member, resource),))))
        if until is not None and until > settings.clock():
            raise QuotaExhaustedError(
                f"{resource}: daily quota spent",
                scope=scope,
                window="DAY",
                resource=resource,
                resets_at=until,
                sent=False,
            )


def _marker_key(resource: str) -> str:
    """Where the store says that some caller has a daily block on ``resource``."""
    return f"restli:quota:blocked:{resource}"


def _record_block(
    settings: ExchangeSettings,
    request: Request,
    response: Response,
    resource: str,
    app: str,
    member: str,
) -> Flow[QuotaExhaustedError]:
    error = error_from_response(request, response)
    throttle = parse_throttle(response.body)
    scope = throttle.scope if throttle is not None and throttle.scope else "APPLICATION_AND_MEMBER"
    now = settings.clock()
    until = next_reset(now)
    # The value says until when; the ttl only lets the store forget it some day.
    ttl = max(until - now, 1.0) + 3600.0
    yield StoreCall("put", (block_key(scope, app, member, resource), repr(until), ttl))
    yield StoreCall("put", (_marker_key(resource), repr(until), ttl))
    blocked = QuotaExhaustedError(
        error.message,
        scope=scope,
        window="DAY",
        resource=resource,
        resets_at=until,
        sent=True,
        service_error_code=error.service_error_code,
        code=error.code,
        request_id=error.request_id,
        body=error.body,
        request_method=error.request_method,
        request_url=error.request_url,
        response=error.response,
        throttle=throttle,
    )
    blocked.__cause__ = error
    return blocked


def _pace(settings: ExchangeSettings, budget: Budget, key: str) -> Flow[None]:
    while True:
        wait = yield StoreCall("take", (key, budget.calls, budget.per))
        if not isinstance(wait, (int, float)) or wait <= 0:
            return
        # A little jitter, so workers woken together do not all ask at once.
        yield Sleep(float(wait) + (settings.rng or random).uniform(0.0, 0.05))

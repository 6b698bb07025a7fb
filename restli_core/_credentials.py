"""Credentials that keep themselves valid, and the flow that renews them once per fleet.

A client given ``credentials=`` fills in the bearer token of every call that has no
``access_token`` of its own (an explicit one still wins):

* :class:`StaticToken`: a token you already have; never renewed.
* :class:`RefreshTokenCredentials`: a 3-legged member token with a refresh token
  (approved apps). The access token lives 60 days; the refresh token 365 days from
  the member's first consent, and refreshing does not move that deadline.
* :class:`ClientCredentials`: a 2-legged application token (lives 30 minutes),
  fetched and renewed from the client id and secret.

The current token lives in the client's store (see ``_store.py``), so every worker
sharing the store uses the same one. :func:`token_flow` renews it shortly before
``expires_at`` (a margin of 5 minutes plus up to 1 minute of jitter, so workers do
not all notice at the same instant). Exactly one worker renews: it takes a lease in
the store (5 seconds, so a worker that dies mid-renewal loses it quickly), calls the
token endpoint, writes the new state and lets go; the others wait for the new state
and read it. A 401 with serviceErrorCode 65602 (``EXPIRED_ACCESS_TOKEN``) renews the
token once and sends the call again once. A revoked token (65601,
``REVOKED_ACCESS_TOKEN``), a refresh token past its deadline or rejected by the token
endpoint raise :class:`ReauthorizationRequiredError`: a person must sign in again.
30, 7 and 1 days before the refresh token's deadline, a warning is logged.

Secrets are never shown: credentials and token states mask them in ``repr`` and
refuse to be pickled; the store keys name a one-way digest, never a token.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from ._errors import AuthError, RestliError, RestliUsageError
from ._flow import Flow, Sleep
from ._oauth import (
    AuthRequestBuilder,
    parse_access_token_2l,
    parse_refresh_token_exchange,
)
from ._quota import identity
from ._retry import RetryPolicy, send_with_retries
from ._store import StoreCall

if TYPE_CHECKING:
    from ._messages import Request, Response

__all__ = [
    "ClientCredentials",
    "Credentials",
    "ReauthorizationRequiredError",
    "RefreshTokenCredentials",
    "StaticToken",
    "TokenState",
    "token_flow",
]

logger = logging.getLogger("restli")

#: Renew this many seconds before ``expires_at``...
REFRESH_MARGIN = 300.0
#: ... plus up to this many more, drawn per renewal check.
MARGIN_JITTER = 60.0
#: How long a renewal lease lasts: a worker that dies holding it loses it this soon.
LEASE_SECONDS = 5.0
#: The longest a worker waits for another's renewal before giving up.
WAIT_SECONDS = 30.0
#: Days before a refresh token's deadline at which a warning is logged.
WARN_DAYS = (30, 7, 1)
_DAY = 86400.0


class ReauthorizationRequiredError(RestliError):
    """A person must authorize the application again; no call can succeed until then.

    Raised when LinkedIn says the access token was revoked (401, serviceErrorCode
    65601), when the refresh token is past its deadline or rejected by the token
    endpoint, or when a token that cannot be renewed (a :class:`StaticToken`) has
    expired. The message says which, and what to do.

    Attributes:
        reason: ``"revoked"``, ``"refresh_token_expired"``, ``"refresh_rejected"``
            or ``"cannot_renew"``.
    """

    def __init__(self, message: str, *, reason: str) -> None:
        self.reason = reason
        super().__init__(message)


def _mask(value: Any) -> str:
    return "None" if value is None else "'***'"


@attrs.frozen(repr=False)
class TokenState:
    """The token state shared through a store: what a renewal produced.

    Attributes:
        access_token: the current access token.
        expires_at: its expiry, Unix time (``None``: unknown, used until refused).
        refresh_token: the refresh token (3-legged; may be rotated by a renewal).
        refresh_token_expires_at: the refresh token's fixed deadline, Unix time.
    """

    access_token: str | None = None
    expires_at: float | None = None
    refresh_token: str | None = None
    refresh_token_expires_at: float | None = None

    def __repr__(self) -> str:
        return (
            f"TokenState(access_token={_mask(self.access_token)}, "
            f"expires_at={self.expires_at!r}, refresh_token={_mask(self.refresh_token)}, "
            f"refresh_token_expires_at={self.refresh_token_expires_at!r})"
        )

    def __reduce__(self) -> NoReturn:
        raise TypeError("a TokenState holds secrets and is not pickled")

    def to_json(self) -> str:
        """The state as stored."""
        return json.dumps(attrs.asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> TokenState | None:
        """A state read from a store (``None`` for nothing, or a value that is not one)."""
        if not text:
            return None
        try:
            data = json.loads(text)
            return cls(
                access_token=_opt(data.get("access_token"), str),
                expires_at=_opt(data.get("expires_at"), (int, float)),
                refresh_token=_opt(data.get("refresh_token"), str),
                refresh_token_expires_at=_opt(data.get("refresh_token_expires_at"), (int, float)),
            )
        except (ValueError, AttributeError, TypeError):
            return None

    def usable(self, now: float, margin: float) -> bool:
        """Whether the access token may be sent now (not within ``margin`` of expiry)."""
        if not self.access_token:
            return False
        return self.expires_at is None or self.expires_at - now > margin


def _opt(value: Any, kind: Any) -> Any:
    if value is None or isinstance(value, bool) or not isinstance(value, kind):
        return None
    return value


class Credentials:
    """What a client needs to get a valid token; see the three kinds below.

    Attributes:
        key: names this token's state in the store (a digest, never a secret).
        app: the application's client id (keys the application's quotas).
    """

    key: str
    app: str

    def initial(self) -> TokenState:
        """The state to start from when the store holds none."""
        raise NotImplementedError

    def renewal(self, state: TokenState) -> Request | None:
        """The token endpoint request renewing ``state`` (``None``: cannot renew)."""
        raise NotImplementedError

    def renewed(
        self, state: TokenState, request: Request, response: Response, now: float
    ) -> TokenState:
        """The new state from the token endpoint's answer to ``request``."""
        raise NotImplementedError

    def __reduce__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} holds secrets and is not pickled")


def _secret(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value or value != value.strip():
        raise RestliUsageError(f"{name} must be a non-empty str without surrounding spaces")
    return value


def _time(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RestliUsageError(f"{name} must be a Unix time (seconds), got {value!r}")
    return float(value)


class StaticToken(Credentials):
    """A token you already have (from your own OAuth flow, or a developer portal).

    Args:
        access_token: the token.
        expires_at: when it expires (Unix time), if known; it is never renewed, so
            a call after that raises :class:`ReauthorizationRequiredError`.
        client_id: your application's client id, if you want its quotas keyed by it.
    """

    def __init__(
        self, access_token: str, *, expires_at: float | None = None, client_id: str = "app"
    ) -> None:
        self._state = TokenState(
            _secret(access_token, "access_token"), _time(expires_at, "expires_at")
        )
        self.key = "static:" + identity(access_token)
        self.app = client_id

    def __repr__(self) -> str:
        return f"StaticToken(access_token='***', expires_at={self._state.expires_at!r})"

    def initial(self) -> TokenState:
        return self._state

    def renewal(self, state: TokenState) -> Request | None:
        return None


class RefreshTokenCredentials(Credentials):
    """A 3-legged member token kept valid with its refresh token.

    Args:
        client_id, client_secret: your application's.
        refresh_token: the member's refresh token.
        access_token, expires_at: the current access token and its expiry (Unix
            time), if you have them; else the first call renews at once.
        refresh_token_expires_at: the refresh token's deadline (Unix time: the
            first consent plus ``refresh_token_expires_in``), for the warnings and
            a clear error once it has passed.
        oauth_base_url: the token endpoint's base (default: ``RESTLI_API_ROOT``'s
            ``/oauth/v2``, else LinkedIn's).
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        *,
        access_token: str | None = None,
        expires_at: float | None = None,
        refresh_token_expires_at: float | None = None,
        oauth_base_url: str | None = None,
    ) -> None:
        self._auth = AuthRequestBuilder(
            _secret(client_id, "client_id"),
            _secret(client_secret, "client_secret"),
            None,
            oauth_base_url=oauth_base_url,
        )
        self._state = TokenState(
            None if access_token is None else _secret(access_token, "access_token"),
            _time(expires_at, "expires_at"),
            _secret(refresh_token, "refresh_token"),
            _time(refresh_token_expires_at, "refresh_token_expires_at"),
        )
        self.app = client_id
        self.key = "3l:" + identity(f"{client_id}\n{refresh_token}")

    def __repr__(self) -> str:
        return (
            f"RefreshTokenCredentials(client_id={self.app!r}, client_secret='***', "
            f"refresh_token='***', refresh_token_expires_at="
            f"{self._state.refresh_token_expires_at!r})"
        )

    def initial(self) -> TokenState:
        return self._state

    def renewal(self, state: TokenState) -> Request | None:
        refresh = state.refresh_token or self._state.refresh_token
        assert refresh is not None
        return self._auth.exchange_refresh_token_for_access_token(refresh)

    def renewed(
        self, state: TokenState, request: Request, response: Response, now: float
    ) -> TokenState:
        answer = parse_refresh_token_exchange(response, request=request)
        deadline = state.refresh_token_expires_at
        if answer.refresh_token_expires_in is not None:
            deadline = now + answer.refresh_token_expires_in
        return TokenState(
            answer.access_token,
            None if answer.expires_in is None else now + answer.expires_in,
            answer.refresh_token or state.refresh_token,
            deadline,
        )


class ClientCredentials(Credentials):
    """A 2-legged application token, fetched with the client id and secret and renewed
    before it expires (LinkedIn's live 30 minutes).

    Args:
        client_id, client_secret: your application's.
        oauth_base_url: as for :class:`RefreshTokenCredentials`.
    """

    def __init__(
        self, client_id: str, client_secret: str, *, oauth_base_url: str | None = None
    ) -> None:
        self._auth = AuthRequestBuilder(
            _secret(client_id, "client_id"),
            _secret(client_secret, "client_secret"),
            None,
            oauth_base_url=oauth_base_url,
        )
        self.app = client_id
        self.key = "2l:" + identity(f"{client_id}\n{client_secret}")

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self.app!r}, client_secret='***')"

    def initial(self) -> TokenState:
        return TokenState()

    def renewal(self, state: TokenState) -> Request | None:
        return self._auth.get_two_legged_access_token()

    def renewed(
        self, state: TokenState, request: Request, response: Response, now: float
    ) -> TokenState:
        answer = parse_access_token_2l(response, request=request)
        expires = None if answer.expires_in is None else now + answer.expires_in
        return TokenState(answer.access_token, expires)


# --------------------------------------------------------------------------- the flow

_warned: set[tuple[str, int]] = set()


def _check_deadline(credentials: Credentials, state: TokenState, now: float) -> None:
    deadline = state.refresh_token_expires_at
    if deadline is None or state.refresh_token is None:
        return
    left = deadline - now
    if left <= 0:
        raise ReauthorizationRequiredError(
            f"the refresh token of {credentials!r} passed its deadline "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(deadline))}: the member "
            f"must authorize the application again (a new authorization code, then a "
            f"new refresh token); refreshing never extends that deadline",
            reason="refresh_token_expired",
        )
    for days in sorted(WARN_DAYS):
        if left <= days * _DAY:
            if (credentials.key, days) not in _warned:
                _warned.add((credentials.key, days))
                logger.warning(
                    "the refresh token of %r expires in %.1f day(s) (%s): have the "
                    "member authorize the application again before then",
                    credentials,
                    left / _DAY,
                    time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(deadline)),
                )
            break


def _read(key: str) -> Flow[TokenState | None]:
    text = yield StoreCall("get", (key,))
    return TokenState.from_json(text if isinstance(text, str) else None)


def token_flow(
    credentials: Credentials,
    *,
    clock: Callable[[], float] = time.time,
    retry: RetryPolicy | None = None,
    deadline: float | None = None,
    rng: random.Random | None = None,
    stale: str | None = None,
) -> Flow[str]:
    """The flow giving a usable access token for ``credentials``, renewing it (once per
    fleet sharing the store) when it is about to expire.

    Args:
        credentials: what to renew with.
        clock: the wall clock of ``expires_at`` (Unix seconds).
        retry, deadline, rng: for the token endpoint call.
        stale: a token the API just refused as expired (65602): renew even if its
            ``expires_at`` says it is still good, unless another worker already has.

    Raises:
        ReauthorizationRequiredError: the token cannot be renewed any more.
        AuthError, TransportError: the token endpoint failed otherwise.
        RestliError: no renewal arrived within :data:`WAIT_SECONDS` while another
            worker held the lease.
    """
    draw = rng or random
    key = f"restli:token:{credentials.key}"
    margin = REFRESH_MARGIN + draw.uniform(0.0, MARGIN_JITTER)
    state = (yield from _read(key)) or credentials.initial()
    now = clock()
    if state.access_token != stale and state.usable(now, margin):
        return _given(state)
    _check_deadline(credentials, state, now)
    owner = uuid.uuid4().hex
    waited = 0.0
    while True:
        if (yield StoreCall("lease", (key + ":lease", owner, LEASE_SECONDS))):
            try:
                token = yield from _renew(credentials, key, margin, stale, clock, retry, deadline)
            except Exception:
                yield StoreCall("release", (key + ":lease", owner))
                raise
            yield StoreCall("release", (key + ":lease", owner))
            return token
        pause = draw.uniform(0.05, 0.2)
        yield Sleep(pause)
        waited += pause
        state = (yield from _read(key)) or state
        if state.access_token != stale and state.usable(clock(), 0.0):
            return _given(state)
        if waited > WAIT_SECONDS:
            raise RestliError(
                f"no renewed token for {credentials!r} within {WAIT_SECONDS:g} s: another "
                f"worker holds the renewal lease and has not finished"
            )


def _given(state: TokenState) -> str:
    assert state.access_token is not None
    return state.access_token


def _renew(
    credentials: Credentials,
    key: str,
    margin: float,
    stale: str | None,
    clock: Callable[[], float],
    retry: RetryPolicy | None,
    deadline: float | None,
) -> Flow[str]:
    # Holding the lease: another worker may have renewed while we waited for it.
    state = (yield from _read(key)) or credentials.initial()
    if state.access_token != stale and state.usable(clock(), margin):
        return _given(state)
    request = credentials.renewal(state)
    if request is None:
        raise ReauthorizationRequiredError(
            f"the token of {credentials!r} has expired and cannot be renewed (a static "
            f"token): get a new one, or give the client RefreshTokenCredentials or "
            f"ClientCredentials",
            reason="cannot_renew",
        )
    response = yield from send_with_retries(request, retry, deadline=deadline)
    try:
        new = credentials.renewed(state, request, response, clock())
    except AuthError as exc:
        if exc.error == "invalid_grant":
            raise ReauthorizationRequiredError(
                f"the token endpoint refused to renew the token of {credentials!r} "
                f"({exc.error}): the member must authorize the "
                f"application again",
                reason="refresh_rejected",
            ) from exc
        raise
    yield StoreCall("put", (key, new.to_json(), None))
    return _given(new)

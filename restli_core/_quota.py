"""LinkedIn's quotas, understood: 429 bodies, daily blocks shared by a fleet, pacing.

LinkedIn limits calls per day (per application, per member, or both, per resource),
resets the counts at 00:00 UTC and does not publish the limits. A throttled call gets
429, usually without ``Retry-After``, with a body that names the limit::

    {"status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS",
     "message": "Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls
                 to this resource is reached."}

(windows seen: SECOND, MINUTE, DAY). ``adAnalytics`` also answers a data-volume 429
("More than 45 million metric values were requested in a 5-minute window").

* :func:`parse_throttle` reads such a body into a :class:`Throttle` (scope, window,
  kind). :class:`RateLimitError` carries it as ``throttle``.
* A DAY limit is not retried (the retry policy asks :func:`is_daily`): retrying burns
  the next day's budget and floods logs. The client records a block in its store
  until the next 00:00 UTC, for that resource and scope, and raises
  :class:`QuotaExhaustedError`; until the reset, calls to that resource under that
  scope fail at once without being sent, in every worker sharing the store.
* Shorter windows (and the data-volume limit) back off and retry as any 429.
* :class:`Budget`: an optional pace per resource (``Budget(calls=6, per=10)``), as
  read from LinkedIn's developer portal, shared through the store.

Everything here is pure; the store operations are yielded by the client's flows.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import RateLimitError, RestliUsageError
from ._throttle import Scope, parse_throttle

if TYPE_CHECKING:
    from ._messages import Response

__all__ = [
    "Budget",
    "QuotaExhaustedError",
    "is_daily",
    "next_reset",
    "resource_of",
]


def is_daily(response: Response) -> bool:
    """Whether ``response`` is a 429 for a daily limit (the retry policy's question)."""
    if response.status_code != 429:
        return False
    throttle = parse_throttle(response.body)
    return throttle is not None and throttle.daily


def next_reset(now: float) -> float:
    """The Unix time of the first 00:00 UTC after ``now`` (when daily counts reset)."""
    today = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date()
    midnight = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), datetime.timezone.utc
    )
    return midnight.timestamp()


def resource_of(path: str) -> str:
    """The resource a URL path (after the base URL) calls: its first segment, without
    keys or sub-resources (``/adAccounts/123/adCampaigns`` -> ``adAccounts``)."""
    segment = path.lstrip("/").split("/", 1)[0]
    return segment.split("?", 1)[0].split("(", 1)[0] or "/"


def identity(secret: str) -> str:
    """A short, stable, one-way name for a member's token or credentials, to key shared
    state without storing the secret in the key."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:20]


def block_key(scope: Scope, app: str, member: str, resource: str) -> str:
    """The store key of a daily block of ``resource`` under ``scope``."""
    who = {"APPLICATION": app, "MEMBER": member, "APPLICATION_AND_MEMBER": f"{app}:{member}"}
    return f"restli:quota:{scope}:{who[scope]}:{resource}"


@attrs.frozen
class Budget:
    """A pace for the calls to one resource: at most ``calls`` per ``per`` seconds
    (sliding), shared by every worker using the same store.

    Example: ``Budget(calls=6, per=10.0)``.
    """

    calls: int
    per: float

    def __attrs_post_init__(self) -> None:
        if isinstance(self.calls, bool) or not isinstance(self.calls, int) or self.calls < 1:
            raise RestliUsageError(f"Budget.calls must be an int >= 1, got {self.calls!r}")
        per = self.per
        if isinstance(per, bool) or not isinstance(per, (int, float)) or not 0 < per < 1e9:
            raise RestliUsageError(f"Budget.per must be seconds > 0, got {per!r}")


class QuotaExhaustedError(RateLimitError):
    """A daily quota is spent: calls to ``resource`` under ``scope`` fail until
    ``resets_at`` (the next 00:00 UTC).

    Raised for the 429 that reported it (``sent`` is ``True``, and the 429 is the
    ``__cause__``), and then, without sending anything, for every later call to that
    resource under that scope by any worker sharing the client's store (``sent`` is
    ``False``). Nothing is retried: waiting a few seconds cannot help.

    Attributes:
        scope, window: from the 429's body (window ``"DAY"``).
        resource: the resource whose quota is spent (``"adAnalytics"``).
        resets_at: when the quota resets, an aware UTC ``datetime``.
        sent: whether this call was sent (``False``: failed fast).
    """

    def __init__(
        self,
        message: str,
        *,
        scope: str | None,
        window: str | None,
        resource: str,
        resets_at: float,
        sent: bool,
        **kwargs: Any,
    ) -> None:
        self.scope = scope
        self.window = window
        self.resource = resource
        self.resets_at = datetime.datetime.fromtimestamp(resets_at, datetime.timezone.utc)
        self.sent = sent
        kwargs.setdefault("status_code", 429)
        super().__init__(message, **kwargs)

    def _summary(self) -> str:
        text = super()._summary()
        when = self.resets_at.strftime("%Y-%m-%d %H:%M UTC")
        verb = "reached" if self.sent else "spent earlier (not sent)"
        return (
            f"{text}; the {self.window or 'daily'} quota of {self.resource} for "
            f"{self.scope or 'this caller'} is {verb}: calls to it fail without being "
            f"sent until {when}"
        )

"""LinkedIn's rate limits, as the embedded server applies them (all off until set).

*Call limits* (:class:`CallLimit`): at most ``calls`` calls to a resource per
window (``SECOND``, ``MINUTE``, ``HOUR`` or ``DAY``), counted per scope identity:
``APPLICATION`` by the token's client id, ``MEMBER`` by its member,
``APPLICATION_AND_MEMBER`` by both. Windows are fixed and aligned on the Unix epoch
of the server's clock, so a DAY window is a UTC day and its counts reset at 00:00
UTC. Beyond the limit a call gets LinkedIn's 429, without ``Retry-After``::

    {"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS",
     "message":"Resource level throttle APPLICATION DAY limit for calls to this
                resource is reached."}

A refused call is not counted.

*The data-volume limit* (:class:`VolumeLimit`) of ``adAnalytics``: the metric
values an application requested in a sliding window (5 minutes by default) of the
server's clock. A call's values are the top-level fields of the elements it answers
(what its ``fields=`` selects, summed over the elements). A call that would take
the window's total beyond the limit gets the 429 "More than 45 million metric values
were requested in a 5-minute window" instead of its answer, and is not counted.

Everything here is plain bookkeeping: the server holds its lock around it.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Iterable
from typing import Literal, cast, get_args

import attrs

from .._errors import RestliUsageError

__all__ = [
    "CallLimit",
    "Quotas",
    "ResourceCall",
    "VolumeLimit",
    "metric_values",
    "scope_of",
    "window_of",
]

QuotaScope = Literal["APPLICATION", "MEMBER", "APPLICATION_AND_MEMBER"]
QuotaWindow = Literal["SECOND", "MINUTE", "HOUR", "DAY"]
SCOPES: tuple[str, ...] = get_args(QuotaScope)
WINDOW_SECONDS: dict[str, int] = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86400}


def _named(value: str, names: Iterable[str], what: str) -> str:
    name = str(value).strip().upper()
    if name not in names:
        raise RestliUsageError(f"{what} must be one of {', '.join(names)}, not {value!r}")
    return name


def scope_of(value: str) -> QuotaScope:
    """``value`` as a scope name (any case).

    Raises:
        RestliUsageError: for a name that is not a scope.
    """
    return cast("QuotaScope", _named(value, SCOPES, "scope"))


def window_of(value: str) -> QuotaWindow:
    """``value`` as a window name (any case).

    Raises:
        RestliUsageError: for a name that is not a window.
    """
    return cast("QuotaWindow", _named(value, WINDOW_SECONDS, "window"))


def _count(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RestliUsageError(f"{name} must be an int >= {minimum}, not {value!r}")
    return value


@attrs.frozen
class CallLimit:
    """At most :attr:`calls` calls to :attr:`resource` per :attr:`window`, per
    :attr:`scope` identity.

    Attributes:
        resource: the resource name (``"adAnalytics"``: the first path segment
            after the base path).
        calls: the calls allowed per window (0 refuses every call).
        window: ``"SECOND"``, ``"MINUTE"``, ``"HOUR"`` or ``"DAY"``.
        scope: ``"APPLICATION"``, ``"MEMBER"`` or ``"APPLICATION_AND_MEMBER"``.
    """

    resource: str
    calls: int
    window: QuotaWindow = "DAY"
    scope: QuotaScope = "APPLICATION"

    @property
    def message(self) -> str:
        """The ``message`` of the 429 this limit answers, word for word LinkedIn's."""
        return (
            f"Resource level throttle {self.scope} {self.window} limit for calls to this "
            f"resource is reached."
        )


def _amount(values: int) -> str:
    if values >= 1_000_000 and values % 100_000 == 0:
        return f"{values / 1_000_000:g} million"
    return str(values)


def _span(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g}-minute"
    return f"{seconds:g}-second"


@attrs.frozen
class VolumeLimit:
    """At most :attr:`values` metric values per application in a sliding window of
    :attr:`window` seconds, on calls to :attr:`resource`.

    Attributes:
        values: the metric values allowed in the window (LinkedIn: 45 million).
        window: the window's length in seconds (LinkedIn: 300).
        resource: the resource it applies to (``"adAnalytics"``).
    """

    values: int
    window: float = 300.0
    resource: str = "adAnalytics"

    @property
    def message(self) -> str:
        """The 429's ``message``: "More than 45 million metric values were requested in
        a 5-minute window", with this limit's numbers."""
        return (
            f"More than {_amount(self.values)} metric values were requested in a "
            f"{_span(self.window)} window"
        )


@attrs.frozen
class ResourceCall:
    """One request that arrived for a resource (see :meth:`RestliServer.quota_log`).

    Attributes:
        resource: the resource name (first path segment after the base path).
        method: the HTTP method (after un-tunneling a ``X-HTTP-Method-Override``).
        time: its arrival on the server's clock (Unix seconds).
        monotonic: its arrival on ``time.monotonic()`` (real seconds, comparable
            across the threads of this process).
        status: the status it was answered with.
        application: the client id of its token (``"app"`` for a token the server
            did not issue), or ``None`` when it was refused before that was known.
        member: the member of its token (the token itself for a token the server
            did not issue, or a 2-legged one), or ``None`` likewise.
    """

    resource: str
    method: str
    time: float
    monotonic: float
    status: int
    application: str | None = None
    member: str | None = None


def _identity(scope: str, application: str, member: str) -> str:
    if scope == "APPLICATION":
        return application
    if scope == "MEMBER":
        return member
    return f"{application}\n{member}"


class Quotas:
    """The limits set on a server, their counts, and the log of arrivals.

    Args:
        log_size: keep only the last this many :class:`ResourceCall` entries
            (``None``: all of them).
    """

    def __init__(self, log_size: int | None = None) -> None:
        self.limits: dict[tuple[str, str, str], CallLimit] = {}
        self.volume: VolumeLimit | None = None
        self.log: list[ResourceCall] = []
        self.log_size = log_size
        # (resource, window, scope, identity) -> (window number, calls counted in it)
        self._counts: dict[tuple[str, str, str, str], tuple[int, int]] = {}
        # application -> (arrival time, values) of the calls in the volume window
        self._volume: dict[str, collections.deque[tuple[float, int]]] = {}

    def set_limit(self, resource: str, calls: int, window: str, scope: str) -> CallLimit:
        """Add (or replace) the limit of ``resource`` for ``window`` and ``scope``."""
        name = str(resource).strip().strip("/")
        if not name or "/" in name:
            raise RestliUsageError(
                f"resource is a resource name such as 'adAnalytics', not {resource!r}"
            )
        limit = CallLimit(name, _count(calls, "calls", 0), window_of(window), scope_of(scope))
        self.limits[(limit.resource, limit.window, limit.scope)] = limit
        return limit

    def clear(self, resource: str | None = None) -> None:
        """Remove the call limits (of ``resource`` only, when given) and their counts."""
        for key in [k for k in self.limits if resource is None or k[0] == resource]:
            del self.limits[key]
        for count in [k for k in self._counts if resource is None or k[0] == resource]:
            del self._counts[count]

    def set_volume(self, values: int, window: float, resource: str) -> VolumeLimit:
        """Set the data-volume limit (replacing any) and forget the values counted."""
        if isinstance(window, bool) or not isinstance(window, (int, float)):
            raise RestliUsageError(f"window must be seconds > 0, not {window!r}")
        if not (math.isfinite(window) and window > 0):
            raise RestliUsageError(f"window must be seconds > 0, not {window!r}")
        self.volume = VolumeLimit(_count(values, "values", 1), float(window), resource)
        self._volume.clear()
        return self.volume

    def clear_volume(self) -> None:
        """Remove the data-volume limit."""
        self.volume = None
        self._volume.clear()

    def admit(self, resource: str, application: str, member: str, now: float) -> CallLimit | None:
        """Count a call, or return the limit it would exceed (and count nothing)."""
        applicable = [limit for key, limit in self.limits.items() if key[0] == resource]
        if not applicable:
            return None
        keys: list[tuple[tuple[str, str, str, str], int, int]] = []
        for limit in applicable:
            number = int(now // WINDOW_SECONDS[limit.window])
            who = _identity(limit.scope, application, member)
            key: tuple[str, str, str, str] = (resource, limit.window, limit.scope, who)
            seen, used = self._counts.get(key, (number, 0))
            if seen != number:  # a new window: the count starts again
                used = 0
            if used >= limit.calls:
                return limit
            keys.append((key, number, used))
        for key, number, used in keys:
            self._counts[key] = (number, used + 1)
        return None

    def used(
        self,
        resource: str,
        *,
        window: str = "DAY",
        scope: str = "APPLICATION",
        application: str,
        member: str,
        now: float,
    ) -> int:
        """The calls counted for this identity in the current ``window``."""
        size = WINDOW_SECONDS[window_of(window)]
        number = int(now // size)
        key = (resource, window_of(window), scope_of(scope), _identity(scope, application, member))
        seen, used = self._counts.get(key, (number, 0))
        return used if seen == number else 0

    def admit_volume(self, application: str, values: int, now: float) -> VolumeLimit | None:
        """Count a call's metric values, or return the limit they would exceed."""
        limit = self.volume
        if limit is None:
            return None
        window = self._volume.setdefault(application, collections.deque())
        while window and window[0][0] <= now - limit.window:
            window.popleft()
        if sum(v for _, v in window) + values > limit.values:
            return limit
        window.append((now, values))
        return None

    def record(self, call: ResourceCall) -> None:
        """Append ``call`` to the log (trimmed to :attr:`log_size`)."""
        self.log.append(call)
        size = self.log_size
        if size is not None and len(self.log) > size:
            del self.log[: len(self.log) - max(size, 0)]

    def calls(self, resource: str | None = None) -> list[ResourceCall]:
        """The logged arrivals (for ``resource`` only, when given), oldest first."""
        return [c for c in self.log if resource is None or c.resource == resource]


def metric_values(elements: Iterable[object]) -> int:
    """The metric values a data-volume limit counts for an answer's elements."""
    return sum(len(e) for e in elements if isinstance(e, dict))

"""The life cycle of a ``LinkedIn-Version``: how old it is, and a warning before it retires.

LinkedIn's versioned APIs (base URL ``https://api.linkedin.com/rest``) take a
``LinkedIn-Version: YYYYMM`` header (``YYYYMM.RR`` for a revision). A new version is
released every month and each one is supported for about a year; after that the
gateway answers ``426 NONEXISTENT_VERSION`` (raised as
:class:`~restli_core.VersionNotActiveError`, which names the version sent). An
integration pinned to one version therefore breaks about twelve months after it was
written, on the day LinkedIn sunsets that version.

:func:`check_version` gives the warning *before* that day: when a request is built
with a version older than the support window (12 months by default), it logs one
WARNING on the ``restli`` logger, once per version per process. Nothing here reads
the clock unless asked: ``today`` is a parameter, so tests pass a fixed date.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any, Union

import attrs

from ._errors import RestliUsageError
from ._log import logger

__all__ = [
    "DEFAULT_SUPPORT_MONTHS",
    "VersionPolicy",
    "check_version",
    "version_age_months",
]

#: How long LinkedIn supports a version: "each version is supported for a minimum of
#: one year" (LinkedIn's API versioning guide), after which it answers 426.
DEFAULT_SUPPORT_MONTHS = 12

Today = Union[date, Callable[[], date], None]

# Versions already warned about in this process (the warning is given once each).
_warned: set[str] = set()
_warned_lock = threading.Lock()


def _parse(version: str) -> tuple[int, int] | None:
    if len(version) not in (6, 9):
        return None
    head, revision = version[:6], version[6:]
    if not (head.isascii() and head.isdigit()):
        return None
    if revision and not (revision[0] == "." and revision[1:].isascii() and revision[1:].isdigit()):
        return None
    year, month = int(head[:4]), int(head[4:])
    return (year, month) if 1 <= month <= 12 else None


def _year_month(version: object) -> tuple[int, int]:
    """``(year, month)`` of ``YYYYMM`` or ``YYYYMM.RR``; anything else is an error."""
    found = _parse(version) if isinstance(version, str) else None
    if found is None:
        shown = repr(version[:40]) if isinstance(version, str) else type(version).__name__
        raise RestliUsageError(
            f"version {shown} is not a LinkedIn version: use 'YYYYMM' or 'YYYYMM.RR' "
            f"(e.g. '202406' or '202406.01')"
        )
    return found


def _utc_today() -> date:
    # LinkedIn's versioning calendar is not tied to the caller's time zone; UTC is
    # the neutral choice (a local date can be a day off at a month boundary).
    return datetime.now(timezone.utc).date()


def _resolve_today(today: Today) -> date:
    if today is None:
        return _utc_today()
    if isinstance(today, date):
        return today
    value = today()
    if not isinstance(value, date):
        raise RestliUsageError(f"today() must return a datetime.date, got {value!r}")
    return value


def version_age_months(version: str, today: date) -> int:
    """Whole calendar months between a version's month and ``today``'s month.

    ``202401`` is 0 months old in January 2024, 1 in February 2024 and 12 in
    January 2025; a revision (``202401.03``) is as old as its month. A version
    from the future gives a negative age.

    Args:
        version: ``"YYYYMM"`` or ``"YYYYMM.RR"``.
        today: the date to measure at (a :class:`datetime.date`; a
            :class:`datetime.datetime` is accepted too).

    Returns:
        The age in months.

    Raises:
        RestliUsageError: ``version`` is not ``YYYYMM`` / ``YYYYMM.RR``, or
            ``today`` is not a date.
    """
    year, month = _year_month(version)
    if not isinstance(today, date):
        raise RestliUsageError(f"today must be a datetime.date, got {today!r}")
    return (today.year - year) * 12 + (today.month - month)


def _suggestion(today: date) -> str:
    # Last month's version is released by now; the current month's may not be yet.
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}{month:02d}"


def check_version(
    version: str,
    *,
    today: Today = None,
    support_months: int = DEFAULT_SUPPORT_MONTHS,
) -> int:
    """Warn (once per version per process) when ``version`` is outside LinkedIn's window.

    A version ``support_months`` or more months old is about to be, or already is,
    retired: LinkedIn will answer ``426 NONEXISTENT_VERSION``. A version from the
    future is not active yet (LinkedIn answers 426 as well). Either logs one WARNING
    on the ``restli`` logger, naming the version, its age and a recent version to
    move to; further checks of the same version in this process stay silent.

    Args:
        version: the ``LinkedIn-Version`` (``YYYYMM`` or ``YYYYMM.RR``).
        today: the date to measure at, or a callable returning it; default today
            in UTC.
        support_months: the support window in months (default 12).

    Returns:
        The version's age in months (see :func:`version_age_months`).

    Raises:
        RestliUsageError: ``version`` is malformed, or ``support_months`` is not
            a positive int.
    """
    if type(support_months) is not int:
        raise RestliUsageError(f"support_months must be an int, got {support_months!r}")
    if support_months < 1:
        raise RestliUsageError(f"support_months must be >= 1, got {support_months}")
    # This runs for every versioned call: the common cases return early.
    day = _utc_today() if today is None else _resolve_today(today)
    year, month = _year_month(version)
    age = (day.year - year) * 12 + (day.month - month)
    if 0 <= age < support_months or version in _warned:
        return age
    with _warned_lock:
        if version in _warned:
            return age
        _warned.add(version)
    if age < 0:
        logger.warning(
            "LinkedIn-Version %s is %d month(s) in the future (today is %s): LinkedIn "
            "answers 426 NONEXISTENT_VERSION until it is released; use a released "
            "version such as %s",
            version,
            -age,
            day.isoformat(),
            _suggestion(day),
        )
    else:
        logger.warning(
            "LinkedIn-Version %s is %d months old (today is %s); LinkedIn supports a "
            "version for about %d months, then answers 426 NONEXISTENT_VERSION "
            "(VersionNotActiveError): move to a recent version such as %s",
            version,
            age,
            day.isoformat(),
            support_months,
            _suggestion(day),
        )
    return age


def _check_today(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, date) and not callable(value):
        raise RestliUsageError(
            f"VersionPolicy.today must be a date, a callable returning one, or None; got {value!r}"
        )


def _check_months(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RestliUsageError(f"VersionPolicy.support_months must be an int >= 1, got {value!r}")


@attrs.frozen
class VersionPolicy:
    """How a client checks the ``LinkedIn-Version`` of the requests it builds.

    A client holds one in its ``version_policy`` attribute (``None`` turns the check
    off); every request built with a version goes through :meth:`check`, which warns
    once per version per process when the version is outside the support window.

    Attributes:
        support_months: LinkedIn's support window in months (default 12).
        today: the date to measure at: a :class:`datetime.date`, a callable
            returning one (for a long-running process), or ``None`` for today in
            UTC. Tests pass a fixed date.

    Raises:
        RestliUsageError: for a field with an impossible value.
    """

    support_months: int = attrs.field(default=DEFAULT_SUPPORT_MONTHS, validator=_check_months)
    today: Today = attrs.field(default=None, validator=_check_today)

    def check(self, version: str) -> int:
        """Check ``version`` (see :func:`check_version`) and return its age in months.

        Raises:
            RestliUsageError: ``version`` is malformed.
        """
        return check_version(version, today=self.today, support_months=self.support_months)


#: The policy clients start with: a 12-month window measured at today's UTC date.
DEFAULT_VERSION_POLICY = VersionPolicy()


def _forget_warnings() -> None:
    """Forget which versions were warned about (for tests)."""
    with _warned_lock:
        _warned.clear()


def resolve_version(
    version_string: str | None, default: str | None, policy: VersionPolicy | None
) -> str | None:
    """The version a call uses (its own, else the client's ``default``), checked by
    ``policy`` (see :func:`check_version`) when there is one.

    Raises:
        RestliUsageError: the version is malformed (only checked with a policy; the
            builder rejects it anyway).
    """
    version = default if version_string is None else version_string
    if version is not None and policy is not None:
        policy.check(version)
    return version

"""``Retry-After`` (RFC 9110 §10.2.3): the one reading of it in this library.

Both the retry policy (how long to wait) and :class:`~restli_core.RateLimitError`
(``retry_after``) call :func:`parse_retry_after`, so the delay an error reports is
the delay the retry policy waits.

The header is either delay-seconds or an HTTP-date. A date is measured against the
response's own ``Date`` header when it has a valid one: both come from the server's
clock, so a local clock that is off does not change the wait (RFC 9110 §6.6.1
obliges an origin server with a clock to send ``Date``). Without one, it is measured
against the local clock.
"""

from __future__ import annotations

import calendar
import math
import re
import time

__all__ = ["parse_http_date", "parse_retry_after"]

# RFC 9110 §10.2.3: delay-seconds = 1*DIGIT. A fraction is not in the grammar but
# harmless to honour; ASCII digits only ("\d" would take any script's digits).
_DELAY_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")

# RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms that a
# recipient must also accept. Whitespace is matched loosely (one or more), and the
# day may have one digit, as lenient parsers (and some servers) do. Month names are
# matched here, not with strptime, whose names follow the process locale.
_IMF_FIXDATE = re.compile(
    r"[A-Za-z]{3},\s+([0-9]{1,2})\s+([A-Za-z]{3})\s+([0-9]{4})\s+"
    r"([0-9]{2}):([0-9]{2}):([0-9]{2})\s+GMT"
)
_RFC850_DATE = re.compile(
    r"[A-Za-z]{6,9},\s+([0-9]{1,2})-([A-Za-z]{3})-([0-9]{2})\s+"
    r"([0-9]{2}):([0-9]{2}):([0-9]{2})\s+GMT"
)
_ASCTIME_DATE = re.compile(
    r"[A-Za-z]{3}\s+([A-Za-z]{3})\s+([0-9]{1,2})\s+([0-9]{2}):([0-9]{2}):([0-9]{2})\s+([0-9]{4})"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def parse_http_date(text: str) -> float | None:
    """Seconds since the epoch for an HTTP-date (RFC 9110 §5.6.7), else ``None``.

    Never raises: text that is not a valid date in one of the three forms (a
    31 February, an hour 24, an unknown month) is ``None``.
    """
    text = text.strip()
    if match := _IMF_FIXDATE.fullmatch(text):
        day, month, year, hour, minute, second = match.groups()
        full_year = int(year)
    elif match := _RFC850_DATE.fullmatch(text):
        day, month, two_digits, hour, minute, second = match.groups()
        # §5.6.7: a two-digit year that looks more than 50 years in the future is
        # the most recent past year with those digits.
        this_year = time.gmtime().tm_year
        full_year = this_year - this_year % 100 + int(two_digits)
        if full_year > this_year + 50:
            full_year -= 100
    elif match := _ASCTIME_DATE.fullmatch(text):
        month, day, hour, minute, second, year = match.groups()
        full_year = int(year)
    else:
        return None
    month_number = _MONTHS.get(month.lower())
    d, h, m, s = int(day), int(hour), int(minute), int(second)
    # timegm would quietly roll "31 Feb" over into March: check the fields first.
    if month_number is None or not 1 <= full_year <= 9999:
        return None
    if not 1 <= d <= calendar.monthrange(full_year, month_number)[1]:
        return None
    if h > 23 or m > 59 or s > 60:  # 60: a leap second
        return None
    return float(calendar.timegm((full_year, month_number, d, h, m, s, 0, 0, 0)))


def parse_retry_after(
    value: str | None, date: str | None = None, *, now: float | None = None
) -> float | None:
    """The delay a ``Retry-After`` header asks for, in seconds (never negative).

    Args:
        value: the ``Retry-After`` header value, or ``None`` when there is none.
        date: the response's ``Date`` header: an HTTP-date ``Retry-After`` is
            measured from it when it is a valid date (the server's clock).
        now: the local time (seconds since the epoch) used instead when there is no
            valid ``Date``; default :func:`time.time`.

    Returns:
        The delay in seconds (0 for a date in the past), or ``None`` when there is
        no header or it is neither form (an unusable header counts as absent).
    """
    if value is None:
        return None
    text = value.strip()
    if _DELAY_SECONDS.fullmatch(text):
        seconds = float(text)
        return seconds if math.isfinite(seconds) else None
    when = parse_http_date(text)
    if when is None:
        return None
    base = parse_http_date(date) if date else None
    if base is None:
        base = time.time() if now is None else now
    return max(0.0, when - base)

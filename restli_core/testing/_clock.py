"""The embedded server's wall clock: real time by default, movable by tests.

One :class:`ServerClock` drives everything time-dependent in a
:class:`~restli_core.testing.RestliServer`: token lifetimes, authorization codes,
refresh-token deadlines, daily quotas (reset at 00:00 UTC of this clock) and the
sliding window of the adAnalytics data-volume limit. Give the same clock to a client
under test (``clock=server.clock.now``) and both agree on what time it is, so a test
can cross a simulated midnight in an instant.
"""

from __future__ import annotations

import datetime
import math
import threading
import time

__all__ = ["ServerClock"]

Moment = float | int | datetime.datetime


def _seconds(value: Moment, what: str) -> float:
    """``value`` as Unix seconds (a naive ``datetime`` is read as UTC)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.timestamp()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number of seconds, not {value!r}")
    return float(value)


class ServerClock:
    """A thread-safe wall clock in Unix seconds that a test can set and advance.

    By default it follows real time (``time.time()`` plus an offset that
    :meth:`set` and :meth:`advance` change), so a server on a socket keeps ticking
    between requests. A *frozen* clock stands still between moves, for tests that
    want exact, reproducible numbers.

    Args:
        start: the time to start at (Unix seconds, or a ``datetime``; naive means
            UTC); default: now.
        frozen: stand still, moving only by :meth:`set` and :meth:`advance`.

    The clock is callable: ``clock()`` is ``clock.now()``, so it can be passed
    wherever a ``Callable[[], float]`` clock is expected.
    """

    def __init__(self, start: Moment | None = None, *, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._frozen = frozen
        begin = time.time() if start is None else _seconds(start, "start")
        # Frozen: the time itself. Following real time: the offset from time.time().
        self._value = begin if frozen else begin - time.time()

    @property
    def frozen(self) -> bool:
        """Whether the clock stands still between moves."""
        return self._frozen

    def now(self) -> float:
        """The current time of this clock, in Unix seconds."""
        with self._lock:
            return self._value if self._frozen else time.time() + self._value

    __call__ = now

    def set(self, when: Moment) -> None:
        """Jump to ``when`` (Unix seconds, or a ``datetime``; naive means UTC).

        A clock that follows real time keeps ticking from there.
        """
        target = _seconds(when, "when")
        with self._lock:
            self._value = target if self._frozen else target - time.time()

    def advance(self, seconds: float) -> None:
        """Move the clock by ``seconds`` (negative moves it back)."""
        step = _seconds(seconds, "seconds")
        with self._lock:
            self._value += step

    def utc(self) -> datetime.datetime:
        """The current time as an aware UTC ``datetime``."""
        return datetime.datetime.fromtimestamp(self.now(), datetime.timezone.utc)

    def __repr__(self) -> str:
        mode = "frozen" if self._frozen else "running"
        return f"ServerClock({self.utc().isoformat(timespec='seconds')}, {mode})"

"""What a LinkedIn 429 body says about the limit that was hit (see ``_quota.py``).

Pure, and free of the library's other modules, so that the error classes can read
a 429 body without an import circle.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = ["SCOPES", "Scope", "Throttle", "parse_throttle"]

Scope = Literal["APPLICATION", "MEMBER", "APPLICATION_AND_MEMBER"]
SCOPES: tuple[Scope, ...] = ("APPLICATION", "MEMBER", "APPLICATION_AND_MEMBER")

_LIMIT = re.compile(
    r"\b(APPLICATION_AND_MEMBER|APPLICATION|MEMBER)\s+(SECOND|MINUTE|HOUR|DAY)\s+limit\b",
    re.IGNORECASE,
)
_VOLUME = re.compile(r"metric values|data volume", re.IGNORECASE)


@attrs.frozen
class Throttle:
    """What a 429 body says about the limit that was hit.

    Attributes:
        scope: ``"APPLICATION"``, ``"MEMBER"`` or ``"APPLICATION_AND_MEMBER"``
            (``None`` when the body does not say).
        window: ``"SECOND"``, ``"MINUTE"``, ``"HOUR"`` or ``"DAY"`` (``None`` when
            the body does not say).
        kind: ``"calls"``, or ``"data_volume"`` for adAnalytics' metric-value limit.
        message: the server's message.
    """

    scope: Scope | None
    window: str | None
    kind: Literal["calls", "data_volume"]
    message: str

    @property
    def daily(self) -> bool:
        """Whether the limit is a daily one (not worth retrying before 00:00 UTC)."""
        return self.window == "DAY"


def parse_throttle(body: Any) -> Throttle | None:
    """The :class:`Throttle` a 429 body describes, or ``None`` if it names no limit.

    Args:
        body: the decoded JSON body (a dict), its ``message``, or the raw bytes.
    """
    if isinstance(body, (bytes, bytearray)):
        try:
            body = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None
    message = body.get("message") if isinstance(body, Mapping) else body
    if not isinstance(message, str):
        return None
    found = _LIMIT.search(message)
    if found is not None:
        scope = found.group(1).upper()
        return Throttle(scope, found.group(2).upper(), "calls", message)  # type: ignore[arg-type]
    if _VOLUME.search(message):
        return Throttle(None, None, "data_volume", message)
    return None

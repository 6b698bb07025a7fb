"""What the ``restli`` subcommands share: the transports, the token variable, the
error for bad input, JSON arguments, and making a client."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

TRANSPORTS = ("requests", "httpx", "urllib3", "aiohttp")
TOKEN_ENV = "LINKEDIN_ACCESS_TOKEN"


class UsageError(Exception):
    """Bad input from the command line: reported in one line, exit status 2."""


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{what}: invalid JSON ({exc.msg} at column {exc.colno}): {text[:60]!r}"
            " (strings need double quotes, e.g. '\"ACTIVE\"')"
        ) from None


def _pairs(items: Sequence[str] | None, what: str) -> dict[str, Any] | None:
    if not items:
        return None
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"{what} takes NAME=JSON, got {item!r}")
        out[name] = _json(value, f"{what} {name}")
    return out


# --------------------------------------------------------------------------- restli serve


def _client(transport: str, api_root: str | None, timeout: float | None) -> Any:
    options: dict[str, Any] = {}
    if api_root:
        options["api_root"] = api_root
    if timeout is not None:
        options["timeout"] = timeout
    try:
        if transport == "requests":
            from restli_requests import RestliClient as RequestsClient

            return RequestsClient(**options)
        if transport == "httpx":
            from restli_httpx import RestliClient as HttpxClient

            return HttpxClient(**options)
        if transport == "urllib3":
            from restli_urllib3 import RestliClient as Urllib3Client

            return Urllib3Client(**options)
        from ._sync import SyncOverAsync

        return SyncOverAsync(options)
    except ImportError as exc:
        raise UsageError(str(exc)) from None

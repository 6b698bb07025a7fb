"""How the CLI shows requests and responses."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import attrs

from restli_core import Request

# Carried by every typed response but not worth printing: the raw exchange.
_HIDDEN = frozenset({"response", "headers", "data", "raw"})


def format_http(request: Request) -> str:
    """The request as it goes on the wire (HTTP/1.1 text), the token redacted."""
    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    lines = [f"{request.method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
    lines += [f"{name}: {value}" for name, value in request.headers.redacted().items()]
    if request.body is not None:
        lines.append(f"Content-Length: {len(request.body)}")
    text = "\n".join(lines) + "\n"
    if request.body:
        text += "\n" + request.body.decode("utf-8", errors="replace")
        if not text.endswith("\n"):
            text += "\n"
    if request.tunneled:
        text += "\n(query tunneled into the body: the URL was longer than the limit)\n"
    return text


def to_jsonable(value: Any) -> Any:
    """A typed response (or any value inside one) as plain JSON data."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if attrs.has(type(value)):
        out = {
            f.name: to_jsonable(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if f.name not in _HIDDEN and not f.name.startswith("_")
        }
        decoded = getattr(value, "decoded_entity_id", None)
        if decoded is not None:
            out["decoded_entity_id"] = to_jsonable(decoded)
        if out.get("error") is None:
            out.pop("error", None)
        return out
    if hasattr(value, "__dict__"):
        return {k: to_jsonable(v) for k, v in vars(value).items() if not k.startswith("_")}
    return str(value)

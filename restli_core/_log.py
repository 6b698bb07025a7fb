"""The ``restli`` logger and what may appear in it.

Everything this library logs goes to the logger named ``restli``: each exchange at
DEBUG (method, URL, status, attempt, elapsed time) and each retry at INFO. Headers
and bodies are never logged, so the bearer token and the client secret cannot
appear; URLs are passed through :func:`redact_url` first, because a few LinkedIn
endpoints still accept a token as the ``oauth2_access_token`` query parameter.
"""

from __future__ import annotations

import logging
import re

__all__ = ["logger", "redact_text", "redact_url"]

logger = logging.getLogger("restli")

# Query parameters whose value is a credential (OAuth 2.0, RFC 6749 §4.1 / §6, RFC
# 7662 §2.1, and LinkedIn's legacy ``oauth2_access_token``).
_SECRET_PARAMS = frozenset(
    {
        "access_token",
        "oauth2_access_token",
        "refresh_token",
        "client_secret",
        "code",
        "code_verifier",
        "token",
    }
)
_PARAM = re.compile(r"([^&=?#]+)=([^&#]*)")
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@")


def redact_url(url: str) -> str:
    """``url`` with credentials replaced by ``***``: userinfo and secret query values.

    Args:
        url: a URL as sent.

    Returns:
        The URL safe to log. A URL without a query or userinfo is returned as is.
    """
    if "@" in url:
        url = _USERINFO.sub(r"\1***@", url)
    base, sep, query = url.partition("?")
    if not sep:
        return url

    def _mask(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"{name}=***" if name.lower() in _SECRET_PARAMS else match.group(0)

    return base + sep + _PARAM.sub(_mask, query)


def redact_text(text: str, url: str) -> str:
    """``text`` with the credentials that ``url`` carries replaced by ``***``.

    For messages of HTTP libraries, which quote the URL they failed on as is.

    Args:
        text: the message.
        url: the URL the message may quote.

    Returns:
        The message safe to show or log.
    """
    _, sep, query = url.partition("?")
    if not sep:
        return text
    for match in _PARAM.finditer(query):
        name, value = match.groups()
        if value and name.lower() in _SECRET_PARAMS:
            text = text.replace(value, "***")
    return text

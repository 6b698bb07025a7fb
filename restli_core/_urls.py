"""Base URLs: the one rule for where a credential may be sent.

A bearer token (Rest.li calls) or a client secret (OAuth calls) travels in every
request built on a base URL, so a base URL must be ``https://``; plain ``http://`` is
accepted only towards a loopback host, so that tests and the embedded server work
while a credential never crosses a network unencrypted. :class:`RequestBuilder` and
:class:`AuthRequestBuilder` both check their base URLs with :func:`check_base_url`.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from ._errors import RestliUsageError

__all__ = ["check_base_url", "is_loopback"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a URL's host, without brackets or port) is this machine.

    ``localhost`` (RFC 6761 §6.3: it always resolves to a loopback address), any
    address in 127.0.0.0/8, ``::1``, and IPv4-mapped IPv6 forms of 127.0.0.0/8.
    Another name is not loopback, even if it resolves to one: this check does not
    look names up, so it cannot be fooled by DNS.
    """
    name = host.lower()
    if name.endswith("."):  # "localhost." is the same fully qualified name
        name = name[:-1]
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def check_base_url(url: Any, argument: str) -> str:
    """Validate a base URL and return it without trailing slashes.

    Args:
        url: the base URL given.
        argument: the argument's name, for messages.

    Returns:
        The URL without trailing ``/``.

    Raises:
        RestliUsageError: not a str; spaces, control or non-ASCII characters; not
            ``https://`` with a host (``http://`` only towards a loopback host);
            credentials in the URL; a query or a fragment.
    """
    if not isinstance(url, str):
        raise RestliUsageError(f"{argument} must be a str, not {type(url).__name__}")
    if not (url.isascii() and url.isprintable()) or " " in url:
        raise RestliUsageError(f"{argument} {url!r} contains spaces, control or non-ASCII chars")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise RestliUsageError(f"{argument} {url!r} is not a valid URL: {exc}") from None
    if parts.scheme not in ("https", "http") or not host:
        raise RestliUsageError(f"{argument} {url!r} must be an https:// URL with a host")
    if parts.username is not None or parts.password is not None:
        raise RestliUsageError(f"{argument} must not carry credentials")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise RestliUsageError(f"{argument} {url!r} must not have a query or a fragment")
    if parts.scheme == "http" and not is_loopback(host):
        raise RestliUsageError(
            f"{argument} {url!r} uses plain http:// towards a non-loopback host; use "
            f"https:// (http:// is accepted only for localhost, 127.0.0.0/8 and ::1)"
        )
    return url.rstrip("/")

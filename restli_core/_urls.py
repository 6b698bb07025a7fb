"""Base URLs: where requests go, and the one rule for where a credential may be sent.

A bearer token (Rest.li calls) or a client secret (OAuth calls) travels in every
request built on a base URL, so a base URL must be ``https://``; plain ``http://`` is
accepted only towards a loopback host, so that tests and the embedded server work
while a credential never crosses a network unencrypted. :class:`RequestBuilder` and
:class:`AuthRequestBuilder` both check their base URLs with :func:`check_base_url`.

Where requests go (:func:`rest_base_urls`, :func:`oauth_base_url`), for each of the
three bases, the first of:

1. the base URL given for it (``base_url``, ``versioned_base_url``,
   ``oauth_base_url``);
2. ``api_root=``: the API root, under which the bases are ``<root>/v2``
   (unversioned), ``<root>/rest`` (versioned) and ``<root>/oauth/v2`` (OAuth);
3. the ``RESTLI_API_ROOT`` environment variable, read when the builder (or the
   client) is made, never at import: the same API root, so that code written for
   LinkedIn runs against another server (a test server, ``restli serve``) unchanged;
4. LinkedIn's hosts: ``https://api.linkedin.com/v2``, ``https://api.linkedin.com/rest``
   and ``https://www.linkedin.com/oauth/v2``.

Each base is chosen on its own: ``base_url`` alone moves only unversioned calls
(versioned calls still follow ``api_root`` / ``RESTLI_API_ROOT`` / LinkedIn's host).
To move every call, give the API root.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ._errors import RestliUsageError
from ._wire import (
    API_ROOT_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_VERSIONED_BASE_URL,
    OAUTH_BASE_URL,
    OAUTH_PATH,
    UNVERSIONED_PATH,
    VERSIONED_PATH,
)

__all__ = [
    "API_ROOT_ENV",
    "api_root",
    "check_base_url",
    "is_loopback",
    "oauth_base_url",
    "rest_base_urls",
]


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


def api_root(given: Any = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The API root to use: ``given``, else ``RESTLI_API_ROOT``, else ``None``.

    Args:
        given: the ``api_root=`` argument (``None``: not given).
        environ: the environment to read (default ``os.environ``, read now).
            An empty ``RESTLI_API_ROOT`` counts as unset.

    Returns:
        The root checked by :func:`check_base_url` (no trailing ``/``), or ``None``
        when neither is set: LinkedIn's hosts apply.

    Raises:
        RestliUsageError: the root given, or the environment's, is not a valid base
            URL (the message names ``api_root`` or ``RESTLI_API_ROOT``).
    """
    if given is not None:
        return check_base_url(given, "api_root")
    value = (os.environ if environ is None else environ).get(API_ROOT_ENV)
    if not value:
        return None
    return check_base_url(value, f"the {API_ROOT_ENV} environment variable")


def rest_base_urls(
    base_url: Any = None,
    versioned_base_url: Any = None,
    root: Any = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[str, str]:
    """``(unversioned, versioned)`` base URLs of Rest.li calls, by the rule above.

    Args:
        base_url, versioned_base_url: the base URLs given (``None``: not given).
        root: the ``api_root=`` argument (``None``: not given).
        environ: the environment (default ``os.environ``).

    Raises:
        RestliUsageError: a URL given, or the API root used, is not a valid base URL.
    """
    unversioned = None if base_url is None else check_base_url(base_url, "base_url")
    versioned = (
        None
        if versioned_base_url is None
        else check_base_url(versioned_base_url, "versioned_base_url")
    )
    if unversioned is None or versioned is None:
        chosen = api_root(root, environ)
        if unversioned is None:
            unversioned = DEFAULT_BASE_URL if chosen is None else chosen + UNVERSIONED_PATH
        if versioned is None:
            versioned = DEFAULT_VERSIONED_BASE_URL if chosen is None else chosen + VERSIONED_PATH
    elif root is not None:
        check_base_url(root, "api_root")  # unused, but a bad one is still a mistake
    return unversioned, versioned


def oauth_base_url(
    given: Any = None, root: Any = None, environ: Mapping[str, str] | None = None
) -> str:
    """The OAuth base URL, by the rule above: ``given``, else ``<root>/oauth/v2``
    (``root``: ``api_root=``, else ``RESTLI_API_ROOT``), else LinkedIn's.

    Raises:
        RestliUsageError: the URL given, or the API root used, is not a valid base URL.
    """
    if given is not None:
        if root is not None:
            check_base_url(root, "api_root")
        return check_base_url(given, "oauth_base_url")
    chosen = api_root(root, environ)
    return OAUTH_BASE_URL if chosen is None else chosen + OAUTH_PATH

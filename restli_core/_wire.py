"""Wire names: the one source of truth for headers, content types and method names.

Every string that goes on the wire is spelled here once (the official client spells
the protocol-version header two different ways; we do not).
"""

from __future__ import annotations

import enum

PROTOCOL_VERSION = "2.0.0"

# Header names, spelled as the Rest.li reference implementation sends them
# (RestConstants.java). HTTP header names are case-insensitive; our Headers type
# compares them that way.
H_PROTOCOL_VERSION = "X-RestLi-Protocol-Version"
H_RESTLI_METHOD = "X-RestLi-Method"
H_AUTHORIZATION = "Authorization"
H_CONTENT_TYPE = "Content-Type"
H_ACCEPT = "Accept"
H_USER_AGENT = "User-Agent"
H_LINKEDIN_VERSION = "LinkedIn-Version"
H_METHOD_OVERRIDE = "X-HTTP-Method-Override"
H_RESTLI_ID = "X-RestLi-Id"
H_LINKEDIN_ID = "X-LinkedIn-Id"  # Rest.li 1.0 name of X-RestLi-Id
H_LOCATION = "Location"
H_ERROR_RESPONSE = "X-RestLi-Error-Response"
H_REQUEST_ID = "x-li-uuid"
H_RETRY_AFTER = "Retry-After"
H_DATE = "Date"

CT_JSON = "application/json"
CT_FORM = "application/x-www-form-urlencoded"
CT_MULTIPART_MIXED = "multipart/mixed"

DEFAULT_BASE_URL = "https://api.linkedin.com/v2"
DEFAULT_VERSIONED_BASE_URL = "https://api.linkedin.com/rest"
OAUTH_BASE_URL = "https://www.linkedin.com/oauth/v2"

# Where each base lives under an API root (``api_root=`` / ``RESTLI_API_ROOT``):
# ``<root>/v2``, ``<root>/rest`` and ``<root>/oauth/v2``, as on LinkedIn's hosts.
API_ROOT_ENV = "RESTLI_API_ROOT"
UNVERSIONED_PATH = "/v2"
VERSIONED_PATH = "/rest"
OAUTH_PATH = "/oauth/v2"

# Projection parameters are masks, not Rest.li values: sent as text (PROTOCOL.md §4).
# ``projection`` is the v2 APIs' mask (``(id,firstName,profilePicture(displayImage~))``).
PROJECTION_PARAMS = frozenset({"fields", "metadataFields", "pagingFields", "projection"})


class RestliMethod(enum.Enum):
    """The 14 Rest.li methods LinkedIn's APIs use.

    The value is the wire name sent in ``X-RestLi-Method`` (lowercase, as the Java
    ``ResourceMethod`` spells it); :attr:`http_method` is the HTTP verb.
    """

    GET = "get"
    BATCH_GET = "batch_get"
    GET_ALL = "get_all"
    FINDER = "finder"
    BATCH_FINDER = "batch_finder"
    CREATE = "create"
    BATCH_CREATE = "batch_create"
    UPDATE = "update"
    BATCH_UPDATE = "batch_update"
    PARTIAL_UPDATE = "partial_update"
    BATCH_PARTIAL_UPDATE = "batch_partial_update"
    DELETE = "delete"
    BATCH_DELETE = "batch_delete"
    ACTION = "action"

    # Members are singletons compared by identity, so the C identity hash is valid;
    # Enum's own __hash__ is Python code, run on every call's parser lookup.
    __hash__ = object.__hash__

    @property
    def wire_name(self) -> str:
        """The lowercase name sent in ``X-RestLi-Method``."""
        return self.value

    @property
    def http_method(self) -> str:
        """The HTTP verb this method is sent with (before any query tunneling)."""
        return _HTTP_METHODS[self]

    @property
    def idempotent(self) -> bool:
        """True for methods whose repetition is harmless (GET family, PUT, DELETE)."""
        return _HTTP_METHODS[self] != "POST"


_HTTP_METHODS: dict[RestliMethod, str] = {
    RestliMethod.GET: "GET",
    RestliMethod.BATCH_GET: "GET",
    RestliMethod.GET_ALL: "GET",
    RestliMethod.FINDER: "GET",
    RestliMethod.BATCH_FINDER: "GET",
    RestliMethod.CREATE: "POST",
    RestliMethod.BATCH_CREATE: "POST",
    RestliMethod.UPDATE: "PUT",
    RestliMethod.BATCH_UPDATE: "PUT",
    RestliMethod.PARTIAL_UPDATE: "POST",
    RestliMethod.BATCH_PARTIAL_UPDATE: "POST",
    RestliMethod.DELETE: "DELETE",
    RestliMethod.BATCH_DELETE: "DELETE",
    RestliMethod.ACTION: "POST",
}

#: This library's version (``restli_core.__version__``), sent in ``User-Agent``.
LIBRARY_VERSION = "0.1.0"

"""restli_core: a pure (sans-I/O) Rest.li 2.0 protocol core for LinkedIn's APIs.

This package has no networking code at all. It turns method calls into immutable
:class:`Request` values and raw status/headers/bytes into typed responses; the
adapter packages (``restli_requests``, ``restli_httpx``, ``restli_urllib3``,
``restli_aiohttp``) do the sending.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Loaded at once: cheap, and needed by everything.
from ._codec import decode, encode, encode_path, param_encode, reduced_decode, reduced_encode
from ._errors import (
    AuthError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitError,
    ResponseDecodeError,
    ResponseError,
    ResponseTooLargeError,
    RestliDecodeError,
    RestliEncodeError,
    RestliError,
    RestliUsageError,
    ServerError,
    TransportError,
    TransportTimeout,
    UnauthorizedError,
    UnprocessableEntityError,
    VersionNotActiveError,
    error_from_response,
    raise_for_status,
)
from ._flow import (
    AsyncTransport,
    Flow,
    Outcome,
    Sleep,
    SyncTransport,
    Window,
    WindowStart,
    WindowTake,
    run_async,
    run_sync,
    window_start,
    window_take,
)
from ._messages import Headers, Request, Response
from ._urn import Urn, UrnError
from ._wire import LIBRARY_VERSION, RestliMethod

# The rest is loaded on first use (PEP 562), so `import restli_core` stays cheap:
# the codec, messages and errors above are all a caller needs to start with.
if TYPE_CHECKING:
    from ._builder import (
        RequestBuilder,
    )
    from ._chunking import (
        BatchChunkError,
        ChunkFailure,
        merge_batch_responses,
    )
    from ._client import (
        AsyncAuthClientBase,
        AsyncRestliClientBase,
        AuthClientCore,
        ClientCore,
        SyncAuthClientBase,
        SyncRestliClientBase,
    )
    from ._credentials import (
        ClientCredentials,
        Credentials,
        ReauthorizationRequiredError,
        RefreshTokenCredentials,
        StaticToken,
        TokenState,
    )
    from ._oauth import (
        AccessToken2LResponse,
        AccessToken3LResponse,
        AuthRequestBuilder,
        BaseAuthResponse,
        IntrospectTokenResponse,
        PkcePair,
        RefreshTokenExchangeResponse,
        generate_pkce_pair,
        generate_state,
        parse_access_token_2l,
        parse_access_token_3l,
        parse_introspect_token,
        parse_refresh_token_exchange,
    )
    from ._pager import AsyncPager, Pager
    from ._pages import Checkpoint, CollectionPage, PaginationError
    from ._paginator import Paginator
    from ._patch import (
        build_patch,
    )
    from ._quota import (
        Budget,
        QuotaExhaustedError,
    )
    from ._responses import (
        ActionResponse,
        BaseRestliResponse,
        BatchCreateResponse,
        BatchCreateResult,
        BatchDeleteResponse,
        BatchDeleteResult,
        BatchFinderResponse,
        BatchFinderResult,
        BatchGetResponse,
        BatchResults,
        BatchUpdateResponse,
        BatchUpdateResult,
        CollectionResponse,
        CreateResponse,
        GetResponse,
        Paging,
        UpdateResponse,
        parse_response,
    )
    from ._retry import (
        RetryPolicy,
        send_with_retries,
    )
    from ._store import (
        AsyncStore,
        MemoryStore,
        Store,
        StoreCall,
        StoreError,
    )
    from ._throttle import (
        Throttle,
        parse_throttle,
    )
    from ._versions import (
        VersionPolicy,
        check_version,
        version_age_months,
    )

_LAZY = {
    "AccessToken2LResponse": "._oauth",
    "AccessToken3LResponse": "._oauth",
    "ActionResponse": "._responses",
    "AsyncAuthClientBase": "._client",
    "AsyncPager": "._pager",
    "AsyncRestliClientBase": "._client",
    "AsyncStore": "._store",
    "AuthClientCore": "._client",
    "AuthRequestBuilder": "._oauth",
    "BaseAuthResponse": "._oauth",
    "BaseRestliResponse": "._responses",
    "BatchChunkError": "._chunking",
    "BatchCreateResponse": "._responses",
    "BatchCreateResult": "._responses",
    "BatchDeleteResponse": "._responses",
    "BatchDeleteResult": "._responses",
    "BatchFinderResponse": "._responses",
    "BatchFinderResult": "._responses",
    "BatchGetResponse": "._responses",
    "BatchResults": "._responses",
    "BatchUpdateResponse": "._responses",
    "BatchUpdateResult": "._responses",
    "Budget": "._quota",
    "Checkpoint": "._pages",
    "ChunkFailure": "._chunking",
    "ClientCore": "._client",
    "ClientCredentials": "._credentials",
    "CollectionPage": "._pages",
    "CollectionResponse": "._responses",
    "CreateResponse": "._responses",
    "Credentials": "._credentials",
    "GetResponse": "._responses",
    "IntrospectTokenResponse": "._oauth",
    "MemoryStore": "._store",
    "Pager": "._pager",
    "PaginationError": "._pages",
    "Paginator": "._paginator",
    "Paging": "._responses",
    "PkcePair": "._oauth",
    "QuotaExhaustedError": "._quota",
    "ReauthorizationRequiredError": "._credentials",
    "RefreshTokenCredentials": "._credentials",
    "RefreshTokenExchangeResponse": "._oauth",
    "RequestBuilder": "._builder",
    "RetryPolicy": "._retry",
    "StaticToken": "._credentials",
    "Store": "._store",
    "StoreCall": "._store",
    "StoreError": "._store",
    "SyncAuthClientBase": "._client",
    "SyncRestliClientBase": "._client",
    "Throttle": "._throttle",
    "TokenState": "._credentials",
    "UpdateResponse": "._responses",
    "VersionPolicy": "._versions",
    "build_patch": "._patch",
    "check_version": "._versions",
    "generate_pkce_pair": "._oauth",
    "generate_state": "._oauth",
    "merge_batch_responses": "._chunking",
    "parse_access_token_2l": "._oauth",
    "parse_access_token_3l": "._oauth",
    "parse_introspect_token": "._oauth",
    "parse_refresh_token_exchange": "._oauth",
    "parse_response": "._responses",
    "parse_throttle": "._throttle",
    "send_with_retries": "._retry",
    "version_age_months": "._versions",
}

__version__ = LIBRARY_VERSION

__all__ = [
    "AccessToken2LResponse",
    "AccessToken3LResponse",
    "ActionResponse",
    "AsyncAuthClientBase",
    "AsyncPager",
    "AsyncRestliClientBase",
    "AsyncStore",
    "AsyncTransport",
    "AuthClientCore",
    "AuthError",
    "AuthRequestBuilder",
    "BadRequestError",
    "BaseAuthResponse",
    "BaseRestliResponse",
    "BatchChunkError",
    "BatchCreateResponse",
    "BatchCreateResult",
    "BatchDeleteResponse",
    "BatchDeleteResult",
    "BatchFinderResponse",
    "BatchFinderResult",
    "BatchGetResponse",
    "BatchResults",
    "BatchUpdateResponse",
    "BatchUpdateResult",
    "Budget",
    "Checkpoint",
    "ChunkFailure",
    "ClientCore",
    "ClientCredentials",
    "CollectionPage",
    "CollectionResponse",
    "ConflictError",
    "CreateResponse",
    "Credentials",
    "Flow",
    "ForbiddenError",
    "GetResponse",
    "Headers",
    "IntrospectTokenResponse",
    "MemoryStore",
    "NotFoundError",
    "Outcome",
    "Pager",
    "PaginationError",
    "Paginator",
    "Paging",
    "PkcePair",
    "QuotaExhaustedError",
    "RateLimitError",
    "ReauthorizationRequiredError",
    "RefreshTokenCredentials",
    "RefreshTokenExchangeResponse",
    "Request",
    "RequestBuilder",
    "Response",
    "ResponseDecodeError",
    "ResponseError",
    "ResponseTooLargeError",
    "RestliDecodeError",
    "RestliEncodeError",
    "RestliError",
    "RestliMethod",
    "RestliUsageError",
    "RetryPolicy",
    "ServerError",
    "Sleep",
    "StaticToken",
    "Store",
    "StoreCall",
    "StoreError",
    "SyncAuthClientBase",
    "SyncRestliClientBase",
    "SyncTransport",
    "Throttle",
    "TokenState",
    "TransportError",
    "TransportTimeout",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "UpdateResponse",
    "Urn",
    "UrnError",
    "VersionNotActiveError",
    "VersionPolicy",
    "Window",
    "WindowStart",
    "WindowTake",
    "build_patch",
    "check_version",
    "decode",
    "encode",
    "encode_path",
    "error_from_response",
    "generate_pkce_pair",
    "generate_state",
    "merge_batch_responses",
    "param_encode",
    "parse_access_token_2l",
    "parse_access_token_3l",
    "parse_introspect_token",
    "parse_refresh_token_exchange",
    "parse_response",
    "parse_throttle",
    "raise_for_status",
    "reduced_decode",
    "reduced_encode",
    "run_async",
    "run_sync",
    "send_with_retries",
    "version_age_months",
    "window_start",
    "window_take",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

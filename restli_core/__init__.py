"""restli_core: a pure (sans-I/O) Rest.li 2.0 protocol core for LinkedIn's APIs.

This package has no networking code at all. It turns method calls into immutable
:class:`Request` values and raw status/headers/bytes into typed responses; the
adapter packages (``restli_requests``, ``restli_httpx``, ``restli_urllib3``,
``restli_aiohttp``) do the sending.
"""

from __future__ import annotations

# --- codec (issue: foundation)
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
    RestliDecodeError,
    RestliEncodeError,
    RestliError,
    ServerError,
    TransportError,
    TransportTimeout,
    UnauthorizedError,
    UnprocessableEntityError,
    VersionNotActiveError,
)
from ._flow import AsyncTransport, Flow, Sleep, SyncTransport, run_async, run_sync
from ._messages import Headers, Request, Response
from ._urn import Urn, UrnError
from ._wire import RestliMethod

# --- request side (builder section)
# isort: split
from ._builder import RequestBuilder
from ._patch import build_patch

# --- response side (responses section)
# isort: split
from ._errors import error_from_response, raise_for_status
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

# --- oauth (oauth section)
# isort: split
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

# --- retries and pagination (flows section)
# isort: split
from ._client import (
    AsyncAuthClientBase,
    AsyncRestliClientBase,
    AuthClientCore,
    ClientCore,
    SyncAuthClientBase,
    SyncRestliClientBase,
)
from ._retry import RetryPolicy, send_with_retries

# --- workflow helpers (paging section)
# isort: split
from ._chunking import BatchChunkError, ChunkFailure, merge_batch_responses
from ._paging import (
    AsyncPager,
    Checkpoint,
    CollectionPage,
    Pager,
    PaginationError,
    Paginator,
)
from ._versions import VersionPolicy, check_version, version_age_months

__version__ = "0.1.0"

__all__ = [
    "AccessToken2LResponse",
    "AccessToken3LResponse",
    "ActionResponse",
    "AsyncAuthClientBase",
    "AsyncPager",
    "AsyncRestliClientBase",
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
    "Checkpoint",
    "ChunkFailure",
    "ClientCore",
    "CollectionPage",
    "CollectionResponse",
    "ConflictError",
    "CreateResponse",
    "Flow",
    "ForbiddenError",
    "GetResponse",
    "Headers",
    "IntrospectTokenResponse",
    "NotFoundError",
    "Pager",
    "PaginationError",
    "Paginator",
    "Paging",
    "PkcePair",
    "RateLimitError",
    "RefreshTokenExchangeResponse",
    "Request",
    "RequestBuilder",
    "Response",
    "ResponseDecodeError",
    "ResponseError",
    "RestliDecodeError",
    "RestliEncodeError",
    "RestliError",
    "RestliMethod",
    "RetryPolicy",
    "ServerError",
    "Sleep",
    "SyncAuthClientBase",
    "SyncRestliClientBase",
    "SyncTransport",
    "TransportError",
    "TransportTimeout",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "UpdateResponse",
    "Urn",
    "UrnError",
    "VersionNotActiveError",
    "VersionPolicy",
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
    "raise_for_status",
    "reduced_decode",
    "reduced_encode",
    "run_async",
    "run_sync",
    "send_with_retries",
    "version_age_months",
]

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
# --- response side (responses section)
# --- oauth (oauth section)
# --- retries and pagination (flows section)

__version__ = "0.1.0"

__all__ = [
    "AsyncTransport",
    "AuthError",
    "BadRequestError",
    "ConflictError",
    "Flow",
    "ForbiddenError",
    "Headers",
    "NotFoundError",
    "RateLimitError",
    "Request",
    "Response",
    "ResponseDecodeError",
    "ResponseError",
    "RestliDecodeError",
    "RestliEncodeError",
    "RestliError",
    "RestliMethod",
    "ServerError",
    "Sleep",
    "SyncTransport",
    "TransportError",
    "TransportTimeout",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "Urn",
    "UrnError",
    "VersionNotActiveError",
    "decode",
    "encode",
    "encode_path",
    "param_encode",
    "reduced_decode",
    "reduced_encode",
    "run_async",
    "run_sync",
]

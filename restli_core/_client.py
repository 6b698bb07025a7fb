"""The client layer shared by every transport adapter.

A client is a :class:`~restli_core.RequestBuilder` (what to send), a
:class:`~restli_core.RetryPolicy` (when to send again) and a parser (what came
back), joined into one flow per call (:meth:`ClientCore.call_flow`). The sync and
async base classes below differ only in the driver line: ``self._run(flow)`` is
:func:`run_sync` in one and ``await run_async`` in the other. An adapter package
supplies a transport (``send`` + ``sleep`` + closing) and nothing else, so it stays a
few dozen lines.

Nothing here performs I/O: the transport does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Coroutine, Mapping, Sequence
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, Union, cast

from ._builder import RequestBuilder
from ._chunking import ChunkingMixin
from ._errors import RestliEncodeError, TransportError, TransportTimeout
from ._flow import AsyncTransport, Flow, SyncTransport, run_async, run_sync
from ._messages import Request, Response
from .transport import (
    DEFAULT_TIMEOUT,
    AuthClientOptions,
    ClientOptions,
    ClosableAsyncTransport,
    ClosableSyncTransport,
    TimeoutInput,
    missing_library,
    normalize_timeout,
    transport_error,
)
from ._oauth import (
    AuthRequestBuilder,
    parse_access_token_2l,
    parse_access_token_3l,
    parse_introspect_token,
    parse_refresh_token_exchange,
)
from ._paging import AsyncPagingMixin, SyncPagingMixin
from ._responses import parse_response
from ._retry import RetryPolicy, send_with_retries
from ._versions import VersionPolicyMixin, resolve_version
from ._wire import DEFAULT_BASE_URL, DEFAULT_VERSIONED_BASE_URL, OAUTH_BASE_URL, RestliMethod

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from ._oauth import (
        AccessToken2LResponse,
        AccessToken3LResponse,
        IntrospectTokenResponse,
        RefreshTokenExchangeResponse,
    )
    from ._responses import (
        ActionResponse,
        BaseRestliResponse,
        BatchCreateResponse,
        BatchDeleteResponse,
        BatchFinderResponse,
        BatchGetResponse,
        BatchUpdateResponse,
        CollectionResponse,
        CreateResponse,
        GetResponse,
        UpdateResponse,
    )

__all__ = [
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "AsyncAuthClientBase",
    "AsyncRestliClientBase",
    "AuthClientCore",
    "ClientCore",
    "SyncAuthClientBase",
    "SyncRestliClientBase",
    "TimeoutInput",
    "missing_library",
    "normalize_timeout",
    "transport_error",
]

T = TypeVar("T")

#: Three attempts, backoff from 0.5 s, on 429/502/503/504 and transport failures.
DEFAULT_RETRY = RetryPolicy()


# --------------------------------------------------------------------- the shared cores


def _check_retry(retry: RetryPolicy | None) -> RetryPolicy | None:
    if retry is not None and not isinstance(retry, RetryPolicy):
        raise RestliEncodeError(f"retry must be a RetryPolicy or None, got {retry!r}")
    return retry


class ClientCore(VersionPolicyMixin, ChunkingMixin):
    """What a Rest.li client knows, independent of how it sends.

    Args:
        base_url: base URL of unversioned calls (default ``https://api.linkedin.com/v2``).
        versioned_base_url: base URL of versioned calls (default
            ``https://api.linkedin.com/rest``).
        retry: a :class:`RetryPolicy`, or ``None`` to send each request once.
        raise_for_status: raise a :class:`ResponseError` subclass for a non-2xx
            status (default); ``False`` returns the typed response instead.
        version_string: the ``LinkedIn-Version`` used when a call passes none.
        user_agent: text appended to the ``User-Agent`` header.

    Attributes (set them on a client):
        version_policy: a :class:`VersionPolicy` that warns once when a version
            outside LinkedIn's support window is used; ``None`` turns it off.
        batch_chunk_size: send batch calls with more ids than this as several
            requests (see ``chunk_size``); ``None`` (default) never splits.

    Raises:
        RestliEncodeError: for a malformed argument.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        versioned_base_url: str = DEFAULT_VERSIONED_BASE_URL,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        raise_for_status: bool = True,
        version_string: str | None = None,
        user_agent: str | None = None,
    ) -> None:
        self.builder = RequestBuilder(base_url, versioned_base_url, user_agent=user_agent)
        self.retry = _check_retry(retry)
        self.raise_for_status = bool(raise_for_status)
        if version_string is not None and not isinstance(version_string, str):
            raise RestliEncodeError(f"version_string must be a str, got {version_string!r}")
        self.version_string = version_string
        self.rng: random.Random | None = None  # jitter source; tests may seed one

    def _version(self, version_string: str | None) -> str | None:
        return resolve_version(version_string, self.version_string, self.version_policy)

    def call_flow(self, request: Request, parse: Callable[[Response], T]) -> Flow[T]:
        """The flow of one call: send with retries (logged), then parse.

        Args:
            request: the request to send.
            parse: turns the final response into the result (and raises for errors).

        Returns:
            A flow whose result is ``parse(response)``.
        """
        response = yield from send_with_retries(request, self.retry, rng=self.rng)
        return parse(response)

    def restli_flow(self, request: Request) -> Flow[BaseRestliResponse]:
        """The flow of one Rest.li call: send with retries, then :func:`parse_response`."""
        return send_with_retries(
            request,
            self.retry,
            rng=self.rng,
            parse=parse_response if self.raise_for_status else _parse_keeping_errors,
        )


_parse_keeping_errors = partial(parse_response, raise_for_status=False)


class AuthClientCore:
    """What an OAuth 2.0 client knows, independent of how it sends.

    Args:
        client_id: the application's client id.
        client_secret: the application's client secret (never logged or shown).
        redirect_url: the redirect URL registered for the 3-legged flow.
        oauth_base_url: the OAuth server (default ``https://www.linkedin.com/oauth/v2``).
        retry: a :class:`RetryPolicy`, or ``None``. Token calls are POSTs, so they
            are repeated only after a 429 or when the connection was refused.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        oauth_base_url: str = OAUTH_BASE_URL,
        retry: RetryPolicy | None = DEFAULT_RETRY,
    ) -> None:
        self.auth = AuthRequestBuilder(
            client_id, client_secret, redirect_url, oauth_base_url=oauth_base_url
        )
        self.retry = _check_retry(retry)
        self.rng: random.Random | None = None

    @property
    def client_id(self) -> str:
        """The application's client id."""
        return self.auth.client_id

    @property
    def client_secret(self) -> str | None:
        """The application's client secret."""
        return self.auth.client_secret

    @property
    def redirect_url(self) -> str | None:
        """The redirect URL of the 3-legged flow."""
        return self.auth.redirect_url

    def call_flow(self, request: Request, parse: Callable[[Response], T]) -> Flow[T]:
        """The flow of one call: send with retries (logged), then parse."""
        response = yield from send_with_retries(request, self.retry, rng=self.rng)
        return parse(response)

    def generate_member_auth_url(
        self,
        scopes: Sequence[str],
        state: str | None = None,
        *,
        code_challenge: str | None = None,
    ) -> str:
        """The URL to send a member to for consent (3-legged OAuth). No I/O.

        Args:
            scopes: the OAuth scopes requested.
            state: an opaque value echoed back on the redirect (CSRF protection).
            code_challenge: a PKCE S256 challenge.

        Returns:
            The authorization URL.

        Raises:
            AuthError: the client has no redirect URL.
        """
        return self.auth.generate_member_auth_url(scopes, state, code_challenge=code_challenge)


# --------------------------------------------------------------------- sync and async clients


class SyncRestliClientBase(SyncPagingMixin, ClientCore):
    """The official client's 14 methods, run by :func:`run_sync` over a transport.

    Every method takes the official ``linkedin-api-client`` keyword arguments and
    returns its typed response; see :class:`RequestBuilder` for each argument and
    :class:`ClientCore` for the constructor keywords.
    """

    def __init__(self, transport: ClosableSyncTransport, **options: Unpack[ClientOptions]) -> None:
        super().__init__(**options)
        self.transport = transport

    def _run(self, flow: Flow[T]) -> T:
        return run_sync(flow, self.transport)

    def close(self) -> None:
        """Close the transport's connections (only those the client opened itself)."""
        self.transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def get(
        self,
        *,
        resource_path: str,
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> GetResponse:
        """Rest.li GET: one entity (``response.entity``)."""
        request = self.builder.get(
            resource_path=resource_path,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("GetResponse", run_sync(self.restli_flow(request), self.transport))

    def batch_get(
        self,
        *,
        resource_path: str,
        ids: Sequence[Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        chunk_size: int | None = None,
    ) -> BatchGetResponse:
        """Rest.li BATCH_GET: several entities by id (``response.results``).

        ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
        the client's ``batch_chunk_size``: no splitting) and merges the answers; a
        failed chunk raises :class:`BatchChunkError`, which holds the merged
        results of the others.
        """
        flow = self.batch_flow(
            RestliMethod.BATCH_GET,
            chunk_size,
            resource_path=resource_path,
            ids=ids,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=version_string,
        )
        return cast("BatchGetResponse", self._run(flow))

    def get_all(
        self,
        *,
        resource_path: str,
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> CollectionResponse:
        """Rest.li GET_ALL: every entity of a collection (``response.elements``)."""
        request = self.builder.get_all(
            resource_path=resource_path,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("CollectionResponse", run_sync(self.restli_flow(request), self.transport))

    def finder(
        self,
        *,
        resource_path: str,
        finder_name: str,
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> CollectionResponse:
        """Rest.li FINDER: entities matching a finder (``response.elements``)."""
        request = self.builder.finder(
            resource_path=resource_path,
            finder_name=finder_name,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("CollectionResponse", run_sync(self.restli_flow(request), self.transport))

    def batch_finder(
        self,
        *,
        resource_path: str,
        finder_name: str,
        finder_criteria: tuple[str, Sequence[Mapping[str, Any]]],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> BatchFinderResponse:
        """Rest.li BATCH_FINDER: one result list per criteria (``response.results``)."""
        request = self.builder.batch_finder(
            resource_path=resource_path,
            finder_name=finder_name,
            finder_criteria=finder_criteria,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("BatchFinderResponse", run_sync(self.restli_flow(request), self.transport))

    def create(
        self,
        *,
        resource_path: str,
        entity: Mapping[str, Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> CreateResponse:
        """Rest.li CREATE: a new entity (``response.entity_id``)."""
        request = self.builder.create(
            resource_path=resource_path,
            entity=entity,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("CreateResponse", run_sync(self.restli_flow(request), self.transport))

    def batch_create(
        self,
        *,
        resource_path: str,
        entities: Sequence[Mapping[str, Any]],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> BatchCreateResponse:
        """Rest.li BATCH_CREATE: several new entities (``response.elements``)."""
        request = self.builder.batch_create(
            resource_path=resource_path,
            entities=entities,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("BatchCreateResponse", run_sync(self.restli_flow(request), self.transport))

    def update(
        self,
        *,
        resource_path: str,
        entity: Mapping[str, Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> UpdateResponse:
        """Rest.li UPDATE: replace an entity."""
        request = self.builder.update(
            resource_path=resource_path,
            entity=entity,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("UpdateResponse", run_sync(self.restli_flow(request), self.transport))

    def batch_update(
        self,
        *,
        resource_path: str,
        entities: Sequence[Mapping[str, Any]],
        ids: Sequence[Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        chunk_size: int | None = None,
    ) -> BatchUpdateResponse:
        """Rest.li BATCH_UPDATE: replace several entities (``response.results``).

        ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
        the client's ``batch_chunk_size``: no splitting) and merges the answers; a
        failed chunk raises :class:`BatchChunkError`, which holds the merged
        results of the others.
        """
        flow = self.batch_flow(
            RestliMethod.BATCH_UPDATE,
            chunk_size,
            resource_path=resource_path,
            entities=entities,
            ids=ids,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=version_string,
        )
        return cast("BatchUpdateResponse", self._run(flow))

    def partial_update(
        self,
        *,
        resource_path: str,
        access_token: str,
        patch_set_object: Mapping[str, Any] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        patch: Mapping[str, Any] | None = None,
    ) -> UpdateResponse:
        """Rest.li PARTIAL_UPDATE: change some fields of an entity.

        Give ``patch_set_object`` (the fields to set, as the official client) or
        ``patch`` (a ready patch tree with ``$set``/``$delete``)."""
        request = self.builder.partial_update(
            resource_path=resource_path,
            access_token=access_token,
            patch_set_object=patch_set_object,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
            patch=patch,
        )
        return cast("UpdateResponse", run_sync(self.restli_flow(request), self.transport))

    def batch_partial_update(
        self,
        *,
        resource_path: str,
        ids: Sequence[Any],
        access_token: str,
        patch_set_objects: Sequence[Mapping[str, Any]] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        patches: Sequence[Mapping[str, Any]] | None = None,
        chunk_size: int | None = None,
    ) -> BatchUpdateResponse:
        """Rest.li BATCH_PARTIAL_UPDATE: change fields of several entities.

        Give ``patch_set_objects`` (per id, the fields to set) or ``patches``
        (per id, a ready patch tree).

        ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
        the client's ``batch_chunk_size``: no splitting) and merges the answers; a
        failed chunk raises :class:`BatchChunkError`, which holds the merged
        results of the others.
        """
        flow = self.batch_flow(
            RestliMethod.BATCH_PARTIAL_UPDATE,
            chunk_size,
            resource_path=resource_path,
            ids=ids,
            access_token=access_token,
            patch_set_objects=patch_set_objects,
            path_keys=path_keys,
            query_params=query_params,
            version_string=version_string,
            patches=patches,
        )
        return cast("BatchUpdateResponse", self._run(flow))

    def delete(
        self,
        *,
        resource_path: str,
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> BaseRestliResponse:
        """Rest.li DELETE: remove an entity."""
        request = self.builder.delete(
            resource_path=resource_path,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return run_sync(self.restli_flow(request), self.transport)

    def batch_delete(
        self,
        *,
        resource_path: str,
        ids: Sequence[Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        chunk_size: int | None = None,
    ) -> BatchDeleteResponse:
        """Rest.li BATCH_DELETE: remove several entities (``response.results``).

        ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
        the client's ``batch_chunk_size``: no splitting) and merges the answers; a
        failed chunk raises :class:`BatchChunkError`, which holds the merged
        results of the others.
        """
        flow = self.batch_flow(
            RestliMethod.BATCH_DELETE,
            chunk_size,
            resource_path=resource_path,
            ids=ids,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=version_string,
        )
        return cast("BatchDeleteResponse", self._run(flow))

    def action(
        self,
        *,
        resource_path: str,
        action_name: str,
        access_token: str,
        action_params: Mapping[str, Any] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> ActionResponse:
        """Rest.li ACTION: run a named action (``response.value``)."""
        request = self.builder.action(
            resource_path=resource_path,
            action_name=action_name,
            access_token=access_token,
            action_params=action_params,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("ActionResponse", run_sync(self.restli_flow(request), self.transport))


class AsyncRestliClientBase(AsyncPagingMixin, ClientCore):
    """The official client's 14 methods, awaitable, run by :func:`run_async`.

    The same methods, arguments and typed responses as :class:`SyncRestliClientBase`;
    each call is a coroutine.
    """

    def __init__(self, transport: ClosableAsyncTransport, **options: Unpack[ClientOptions]) -> None:
        super().__init__(**options)
        self.transport = transport

    def _run(self, flow: Flow[T]) -> Coroutine[Any, Any, T]:
        return run_async(flow, self.transport)

    async def aclose(self) -> None:
        """Close the transport's connections (only those the client opened itself)."""
        await self.transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def get(
        self,
        *,
        resource_path: str,
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> GetResponse:
        """Rest.li GET: one entity (``response.entity``)."""
        request = self.builder.get(
            resource_path=resource_path,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("GetResponse", await run_async(self.restli_flow(request), self.transport))

    async def batch_get(
        self,
        *,
        resource_path: str,
        ids: Sequence[Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        chunk_size: int | None = None,
    ) -> BatchGetResponse:
        """Rest.li BATCH_GET: several entities by id (``response.results``).

        ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
        the client's ``batch_chunk_size``: no splitting) and merges the answers; a
        failed chunk raises :class:`BatchChunkError`, which holds the merged
        results of the others.
        """
        flow = self.batch_flow(
            RestliMethod.BATCH_GET,
            chunk_size,
            resource_path=resource_path,
            ids=ids,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=version_string,
        )
        return cast("BatchGetResponse", await self._run(flow))

    async def get_all(
        self,
        *,
        resource_path: str,
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> CollectionResponse:
        """Rest.li GET_ALL: every entity of a collection (``response.elements``)."""
        request = self.builder.get_all(
            resource_path=resource_path,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast(
            "CollectionResponse", await run_async(self.restli_flow(request), self.transport)
        )

    async def finder(
        self,
        *,
        resource_path: str,
        finder_name: str,
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> CollectionResponse:
        """Rest.li FINDER: entities matching a finder (``response.elements``)."""
        request = self.builder.finder(
            resource_path=resource_path,
            finder_name=finder_name,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast(
            "CollectionResponse", await run_async(self.restli_flow(request), self.transport)
        )

    async def batch_finder(
        self,
        *,
        resource_path: str,
        finder_name: str,
        finder_criteria: tuple[str, Sequence[Mapping[str, Any]]],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> BatchFinderResponse:
        """Rest.li BATCH_FINDER: one result list per criteria (``response.results``)."""
        request = self.builder.batch_finder(
            resource_path=resource_path,
            finder_name=finder_name,
            finder_criteria=finder_criteria,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast(
            "BatchFinderResponse", await run_async(self.restli_flow(request), self.transport)
        )

    async def create(
        self,
        *,
        resource_path: str,
        entity: Mapping[str, Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> CreateResponse:
        """Rest.li CREATE: a new entity (``response.entity_id``)."""
        request = self.builder.create(
            resource_path=resource_path,
            entity=entity,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("CreateResponse", await run_async(self.restli_flow(request), self.transport))

    async def batch_create(
        self,
        *,
        resource_path: str,
        entities: Sequence[Mapping[str, Any]],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> BatchCreateResponse:
        """Rest.li BATCH_CREATE: several new entities (``response.elements``)."""
        request = self.builder.batch_create(
            resource_path=resource_path,
            entities=entities,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast(
            "BatchCreateResponse", await run_async(self.restli_flow(request), self.transport)
        )

    async def update(
        self,
        *,
        resource_path: str,
        entity: Mapping[str, Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> UpdateResponse:
        """Rest.li UPDATE: replace an entity."""
        request = self.builder.update(
            resource_path=resource_path,
            entity=entity,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("UpdateResponse", await run_async(self.restli_flow(request), self.transport))

    async def batch_update(
        self,
        *,
        resource_path: str,
        entities: Sequence[Mapping[str, Any]],
        ids: Sequence[Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        chunk_size: int | None = None,
    ) -> BatchUpdateResponse:
        """Rest.li BATCH_UPDATE: replace several entities (``response.results``).

        ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
        the client's ``batch_chunk_size``: no splitting) and merges the answers; a
        failed chunk raises :class:`BatchChunkError`, which holds the merged
        results of the others.
        """
        flow = self.batch_flow(
            RestliMethod.BATCH_UPDATE,
            chunk_size,
            resource_path=resource_path,
            entities=entities,
            ids=ids,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=version_string,
        )
        return cast("BatchUpdateResponse", await self._run(flow))

    async def partial_update(
        self,
        *,
        resource_path: str,
        access_token: str,
        patch_set_object: Mapping[str, Any] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        patch: Mapping[str, Any] | None = None,
    ) -> UpdateResponse:
        """Rest.li PARTIAL_UPDATE: change some fields of an entity.

        Give ``patch_set_object`` (the fields to set, as the official client) or
        ``patch`` (a ready patch tree with ``$set``/``$delete``)."""
        request = self.builder.partial_update(
            resource_path=resource_path,
            access_token=access_token,
            patch_set_object=patch_set_object,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
            patch=patch,
        )
        return cast("UpdateResponse", await run_async(self.restli_flow(request), self.transport))

    async def batch_partial_update(
        self,
        *,
        resource_path: str,
        ids: Sequence[Any],
        access_token: str,
        patch_set_objects: Sequence[Mapping[str, Any]] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        patches: Sequence[Mapping[str, Any]] | None = None,
        chunk_size: int | None = None,
    ) -> BatchUpdateResponse:
        """Rest.li BATCH_PARTIAL_UPDATE: change fields of several entities.

        Give ``patch_set_objects`` (per id, the fields to set) or ``patches``
        (per id, a ready patch tree).

        ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
        the client's ``batch_chunk_size``: no splitting) and merges the answers; a
        failed chunk raises :class:`BatchChunkError`, which holds the merged
        results of the others.
        """
        flow = self.batch_flow(
            RestliMethod.BATCH_PARTIAL_UPDATE,
            chunk_size,
            resource_path=resource_path,
            ids=ids,
            access_token=access_token,
            patch_set_objects=patch_set_objects,
            path_keys=path_keys,
            query_params=query_params,
            version_string=version_string,
            patches=patches,
        )
        return cast("BatchUpdateResponse", await self._run(flow))

    async def delete(
        self,
        *,
        resource_path: str,
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> BaseRestliResponse:
        """Rest.li DELETE: remove an entity."""
        request = self.builder.delete(
            resource_path=resource_path,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return await run_async(self.restli_flow(request), self.transport)

    async def batch_delete(
        self,
        *,
        resource_path: str,
        ids: Sequence[Any],
        access_token: str,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        chunk_size: int | None = None,
    ) -> BatchDeleteResponse:
        """Rest.li BATCH_DELETE: remove several entities (``response.results``).

        ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
        the client's ``batch_chunk_size``: no splitting) and merges the answers; a
        failed chunk raises :class:`BatchChunkError`, which holds the merged
        results of the others.
        """
        flow = self.batch_flow(
            RestliMethod.BATCH_DELETE,
            chunk_size,
            resource_path=resource_path,
            ids=ids,
            access_token=access_token,
            path_keys=path_keys,
            query_params=query_params,
            version_string=version_string,
        )
        return cast("BatchDeleteResponse", await self._run(flow))

    async def action(
        self,
        *,
        resource_path: str,
        action_name: str,
        access_token: str,
        action_params: Mapping[str, Any] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
    ) -> ActionResponse:
        """Rest.li ACTION: run a named action (``response.value``)."""
        request = self.builder.action(
            resource_path=resource_path,
            action_name=action_name,
            access_token=access_token,
            action_params=action_params,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self._version(version_string),
        )
        return cast("ActionResponse", await run_async(self.restli_flow(request), self.transport))


class SyncAuthClientBase(AuthClientCore):
    """The official ``AuthClient``'s five methods, run by :func:`run_sync`.

    See :class:`AuthClientCore` for the constructor.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        transport: ClosableSyncTransport,
        **options: Unpack[AuthClientOptions],
    ) -> None:
        super().__init__(client_id, client_secret, redirect_url, **options)
        self.transport = transport

    def _run(self, flow: Flow[T]) -> T:
        return run_sync(flow, self.transport)

    def close(self) -> None:
        """Close the transport's connections (only those the client opened itself)."""
        self.transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def exchange_auth_code_for_access_token(
        self, code: str, *, code_verifier: str | None = None
    ) -> AccessToken3LResponse:
        """Exchange an authorization code for a 3-legged token (``response.access_token``)."""
        request = self.auth.exchange_auth_code_for_access_token(code, code_verifier=code_verifier)
        return self._run(self.call_flow(request, partial(parse_access_token_3l, request=request)))

    def exchange_refresh_token_for_access_token(
        self, refresh_token: str
    ) -> RefreshTokenExchangeResponse:
        """Exchange a refresh token for a new 3-legged token."""
        request = self.auth.exchange_refresh_token_for_access_token(refresh_token)
        return self._run(
            self.call_flow(request, partial(parse_refresh_token_exchange, request=request))
        )

    def get_two_legged_access_token(self) -> AccessToken2LResponse:
        """Get a 2-legged token (client credentials flow)."""
        request = self.auth.get_two_legged_access_token()
        return self._run(self.call_flow(request, partial(parse_access_token_2l, request=request)))

    def introspect_access_token(self, access_token: str) -> IntrospectTokenResponse:
        """Inspect a token: status, scopes, expiry (``response.expires_at``)."""
        request = self.auth.introspect_access_token(access_token)
        return self._run(self.call_flow(request, partial(parse_introspect_token, request=request)))


class AsyncAuthClientBase(AuthClientCore):
    """The official ``AuthClient``'s five methods, awaitable (run by :func:`run_async`).

    :meth:`generate_member_auth_url` does no I/O and stays a plain method.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        transport: ClosableAsyncTransport,
        **options: Unpack[AuthClientOptions],
    ) -> None:
        super().__init__(client_id, client_secret, redirect_url, **options)
        self.transport = transport

    def _run(self, flow: Flow[T]) -> Coroutine[Any, Any, T]:
        return run_async(flow, self.transport)

    async def aclose(self) -> None:
        """Close the transport's connections (only those the client opened itself)."""
        await self.transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def exchange_auth_code_for_access_token(
        self, code: str, *, code_verifier: str | None = None
    ) -> AccessToken3LResponse:
        """Exchange an authorization code for a 3-legged token (``response.access_token``)."""
        request = self.auth.exchange_auth_code_for_access_token(code, code_verifier=code_verifier)
        return await self._run(
            self.call_flow(request, partial(parse_access_token_3l, request=request))
        )

    async def exchange_refresh_token_for_access_token(
        self, refresh_token: str
    ) -> RefreshTokenExchangeResponse:
        """Exchange a refresh token for a new 3-legged token."""
        request = self.auth.exchange_refresh_token_for_access_token(refresh_token)
        return await self._run(
            self.call_flow(request, partial(parse_refresh_token_exchange, request=request))
        )

    async def get_two_legged_access_token(self) -> AccessToken2LResponse:
        """Get a 2-legged token (client credentials flow)."""
        request = self.auth.get_two_legged_access_token()
        return await self._run(
            self.call_flow(request, partial(parse_access_token_2l, request=request))
        )

    async def introspect_access_token(self, access_token: str) -> IntrospectTokenResponse:
        """Inspect a token: status, scopes, expiry (``response.expires_at``)."""
        request = self.auth.introspect_access_token(access_token)
        return await self._run(
            self.call_flow(request, partial(parse_introspect_token, request=request))
        )

"""The official client's calls, each written once as a flow.

Every Rest.li method (and every OAuth call) is a function of the client's core
settings and the call's arguments that returns a :class:`~restli_core.Flow`: build
the request, send it with the retry policy, parse the answer. The sync and async
clients make their methods from these functions with ``sync_call`` and
``async_call`` (in ``_client``), which differ only in the driver (``run_sync`` against ``await
run_async``) and keep each function's full signature for type checkers and IDEs.
A new keyword is added once: to the builder's method (the ten calls that send one
request take the builder's signature), or here (the four chunked batch calls).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar, cast

from ._builder import RequestBuilder
from ._oauth import (
    AccessToken2LResponse,
    AccessToken3LResponse,
    IntrospectTokenResponse,
    RefreshTokenExchangeResponse,
    parse_access_token_2l,
    parse_access_token_3l,
    parse_introspect_token,
    parse_refresh_token_exchange,
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
from ._wire import RestliMethod

if TYPE_CHECKING:
    from ._flow import Flow
    from ._messages import Request, Response
    from ._oauth import AuthRequestBuilder


T = TypeVar("T")
R = TypeVar("R", bound=BaseRestliResponse)
P = ParamSpec("P")


class CallCore(Protocol):
    """What the Rest.li calls need of a client (``restli_core.ClientCore`` has it)."""

    @property
    def builder(self) -> RequestBuilder: ...

    def resolve_version(self, version_string: str | None) -> str | None: ...

    def restli_flow(self, request: Request) -> Flow[BaseRestliResponse]: ...

    def batch_flow(
        self,
        method: RestliMethod,
        chunk_size: int | None,
        concurrency: int,
        /,
        **arguments: Any,
    ) -> Flow[BaseRestliResponse]: ...


class AuthCallCore(Protocol):
    """What the OAuth calls need of a client (``restli_core.AuthClientCore`` has it)."""

    @property
    def auth(self) -> AuthRequestBuilder: ...

    def call_flow(self, request: Request, parse: Callable[[Response], T]) -> Flow[T]: ...


# --------------------------------------------------------------------- the 14 Rest.li methods


# The ten methods that send one request are the builder's method of the same name,
# run as a flow: their signatures are the builder's, written once.


def _restli_call(
    build: Callable[Concatenate[RequestBuilder, P], Request], result: type[R], doc: str
) -> Callable[Concatenate[CallCore, P], Flow[R]]:
    """The flow of one Rest.li call made with ``build``: its ``version_string``
    defaults to the client's, and its answer is parsed as ``result``."""

    def call(core: CallCore, /, *args: P.args, **kwargs: P.kwargs) -> Flow[R]:
        version = cast("str | None", kwargs.get("version_string"))
        kwargs["version_string"] = core.resolve_version(version)
        return cast("Flow[R]", core.restli_flow(build(core.builder, *args, **kwargs)))

    call.__name__ = call.__qualname__ = build.__name__
    call.__doc__ = doc
    signature = inspect.signature(build)
    call.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            inspect.Parameter("core", inspect.Parameter.POSITIONAL_ONLY),
            *list(signature.parameters.values())[1:],
        ],
        return_annotation=f"Flow[{result.__name__}]",
    )
    return call


get = _restli_call(
    RequestBuilder.get, GetResponse, "Rest.li GET: one entity (``response.entity``)."
)
get_all = _restli_call(
    RequestBuilder.get_all,
    CollectionResponse,
    "Rest.li GET_ALL: every entity of a collection (``response.elements``).",
)
finder = _restli_call(
    RequestBuilder.finder,
    CollectionResponse,
    "Rest.li FINDER: entities matching a finder (``response.elements``).",
)
batch_finder = _restli_call(
    RequestBuilder.batch_finder,
    BatchFinderResponse,
    "Rest.li BATCH_FINDER: one result list per criteria (``response.results``).",
)
create = _restli_call(
    RequestBuilder.create, CreateResponse, "Rest.li CREATE: a new entity (``response.entity_id``)."
)
batch_create = _restli_call(
    RequestBuilder.batch_create,
    BatchCreateResponse,
    "Rest.li BATCH_CREATE: several new entities (``response.elements``).",
)
update = _restli_call(RequestBuilder.update, UpdateResponse, "Rest.li UPDATE: replace an entity.")
partial_update = _restli_call(
    RequestBuilder.partial_update,
    UpdateResponse,
    "Rest.li PARTIAL_UPDATE: change some fields of an entity. Give ``patch_set_object`` "
    "(the fields to set, as the official client) or ``patch`` (a ready patch tree with "
    "``$set``/``$delete``).",
)
delete = _restli_call(
    RequestBuilder.delete, BaseRestliResponse, "Rest.li DELETE: remove an entity."
)
action = _restli_call(
    RequestBuilder.action,
    ActionResponse,
    "Rest.li ACTION: run a named action (``response.value``).",
)


def batch_get(
    core: CallCore,
    *,
    resource_path: str,
    ids: Sequence[Any],
    access_token: str | None = None,
    path_keys: Mapping[str, Any] | None = None,
    query_params: Mapping[str, Any] | None = None,
    version_string: str | None = None,
    chunk_size: int | None = None,
    concurrency: int = 1,
) -> Flow[BatchGetResponse]:
    """Rest.li BATCH_GET: several entities by id (``response.results``).

    ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
    the client's ``batch_chunk_size``: no splitting) and merges the answers,
    ``concurrency`` requests in flight at once (default 1: one after the other);
    a failed chunk raises :class:`BatchChunkError`, which holds the merged
    results of the others.
    """
    flow = core.batch_flow(
        RestliMethod.BATCH_GET,
        chunk_size,
        concurrency,
        resource_path=resource_path,
        ids=ids,
        access_token=access_token,
        path_keys=path_keys,
        query_params=query_params,
        version_string=version_string,
    )
    return cast("Flow[BatchGetResponse]", flow)


def batch_update(
    core: CallCore,
    *,
    resource_path: str,
    entities: Sequence[Mapping[str, Any]],
    ids: Sequence[Any],
    access_token: str | None = None,
    path_keys: Mapping[str, Any] | None = None,
    query_params: Mapping[str, Any] | None = None,
    version_string: str | None = None,
    chunk_size: int | None = None,
    concurrency: int = 1,
) -> Flow[BatchUpdateResponse]:
    """Rest.li BATCH_UPDATE: replace several entities (``response.results``).

    ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
    the client's ``batch_chunk_size``: no splitting) and merges the answers,
    ``concurrency`` requests in flight at once (default 1: one after the other);
    a failed chunk raises :class:`BatchChunkError`, which holds the merged
    results of the others.
    """
    flow = core.batch_flow(
        RestliMethod.BATCH_UPDATE,
        chunk_size,
        concurrency,
        resource_path=resource_path,
        entities=entities,
        ids=ids,
        access_token=access_token,
        path_keys=path_keys,
        query_params=query_params,
        version_string=version_string,
    )
    return cast("Flow[BatchUpdateResponse]", flow)


def batch_partial_update(
    core: CallCore,
    *,
    resource_path: str,
    ids: Sequence[Any],
    access_token: str | None = None,
    patch_set_objects: Sequence[Mapping[str, Any]] | None = None,
    path_keys: Mapping[str, Any] | None = None,
    query_params: Mapping[str, Any] | None = None,
    version_string: str | None = None,
    patches: Sequence[Mapping[str, Any]] | None = None,
    chunk_size: int | None = None,
    concurrency: int = 1,
) -> Flow[BatchUpdateResponse]:
    """Rest.li BATCH_PARTIAL_UPDATE: change fields of several entities.

    Give ``patch_set_objects`` (per id, the fields to set) or ``patches``
    (per id, a ready patch tree).

    ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
    the client's ``batch_chunk_size``: no splitting) and merges the answers,
    ``concurrency`` requests in flight at once (default 1: one after the other);
    a failed chunk raises :class:`BatchChunkError`, which holds the merged
    results of the others.
    """
    flow = core.batch_flow(
        RestliMethod.BATCH_PARTIAL_UPDATE,
        chunk_size,
        concurrency,
        resource_path=resource_path,
        ids=ids,
        access_token=access_token,
        patch_set_objects=patch_set_objects,
        path_keys=path_keys,
        query_params=query_params,
        version_string=version_string,
        patches=patches,
    )
    return cast("Flow[BatchUpdateResponse]", flow)


def batch_delete(
    core: CallCore,
    *,
    resource_path: str,
    ids: Sequence[Any],
    access_token: str | None = None,
    path_keys: Mapping[str, Any] | None = None,
    query_params: Mapping[str, Any] | None = None,
    version_string: str | None = None,
    chunk_size: int | None = None,
    concurrency: int = 1,
) -> Flow[BatchDeleteResponse]:
    """Rest.li BATCH_DELETE: remove several entities (``response.results``).

    ``chunk_size`` sends ``ids`` as requests of at most that many ids (default:
    the client's ``batch_chunk_size``: no splitting) and merges the answers,
    ``concurrency`` requests in flight at once (default 1: one after the other);
    a failed chunk raises :class:`BatchChunkError`, which holds the merged
    results of the others.
    """
    flow = core.batch_flow(
        RestliMethod.BATCH_DELETE,
        chunk_size,
        concurrency,
        resource_path=resource_path,
        ids=ids,
        access_token=access_token,
        path_keys=path_keys,
        query_params=query_params,
        version_string=version_string,
    )
    return cast("Flow[BatchDeleteResponse]", flow)


# --------------------------------------------------------------------- OAuth 2.0


def exchange_auth_code_for_access_token(
    core: AuthCallCore, code: str, *, code_verifier: str | None = None
) -> Flow[AccessToken3LResponse]:
    """Exchange an authorization code for a 3-legged token (``response.access_token``)."""
    request = core.auth.exchange_auth_code_for_access_token(code, code_verifier=code_verifier)
    return core.call_flow(request, functools.partial(parse_access_token_3l, request=request))


def exchange_refresh_token_for_access_token(
    core: AuthCallCore, refresh_token: str
) -> Flow[RefreshTokenExchangeResponse]:
    """Exchange a refresh token for a new 3-legged token."""
    request = core.auth.exchange_refresh_token_for_access_token(refresh_token)
    return core.call_flow(request, functools.partial(parse_refresh_token_exchange, request=request))


def get_two_legged_access_token(core: AuthCallCore) -> Flow[AccessToken2LResponse]:
    """Get a 2-legged token (client credentials flow)."""
    request = core.auth.get_two_legged_access_token()
    return core.call_flow(request, functools.partial(parse_access_token_2l, request=request))


def introspect_access_token(core: AuthCallCore, access_token: str) -> Flow[IntrospectTokenResponse]:
    """Inspect a token: status, scopes, expiry (``response.expires_at``)."""
    request = core.auth.introspect_access_token(access_token)
    return core.call_flow(request, functools.partial(parse_introspect_token, request=request))

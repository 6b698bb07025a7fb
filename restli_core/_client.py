"""The client layer shared by every transport adapter.

A client is a :class:`~restli_core.RequestBuilder` (what to send), a
:class:`~restli_core.RetryPolicy` (when to send again) and a parser (what came
back), joined into one flow per call. The calls themselves are written once, as
flows, in ``_calls``; the sync and async base classes below turn each into a method
with :func:`sync_call` or :func:`async_call`, which differ only in the driver line
(``run_sync(flow, transport)`` against ``await run_async(flow, transport)``). An
adapter package supplies a transport (``send`` + ``sleep`` + closing) and nothing
else.

Nothing here performs I/O: the transport does.
"""

from __future__ import annotations

import functools
import inspect
import random
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlsplit

from . import _calls
from ._builder import RequestBuilder
from ._chunking import chunked_batch_flow
from ._credentials import Credentials
from ._errors import RestliUsageError, raise_for_status
from ._exchange import exchange_flow
from ._flow import Flow, run_async, run_sync
from ._messages import Request, Response, seconds_arg
from ._oauth import AuthRequestBuilder
from ._pager import AsyncPager, Delivery, ElementDelivery, PageDelivery, Pager
from ._pages import Checkpoint
from ._paginator import Paginator, PagingStyle
from ._quota import Budget
from ._responses import BaseRestliResponse, parse_response
from ._retry import RetryPolicy, send_with_retries
from ._store import AnyStore, MemoryStore
from ._versions import DEFAULT_VERSION_POLICY, VersionPolicy, resolve_version
from ._wire import RestliMethod
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

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

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
    "async_call",
    "missing_library",
    "normalize_timeout",
    "sync_call",
    "transport_error",
]

P = ParamSpec("P")
T = TypeVar("T")

#: Three attempts, backoff from 0.5 s, on 429/502/503/504 and transport failures.
DEFAULT_RETRY = RetryPolicy()
#: Seconds one call may take, retries and waits included: finite, so a server that
#: trickles a byte now and then cannot hold a call (and its worker) forever.
DEFAULT_DEADLINE = 120.0


def _check_deadline(deadline: float | None) -> float | None:
    return None if deadline is None else seconds_arg(deadline, "deadline", finite=False)


def _check_budgets(budgets: Mapping[str, Budget] | None) -> Mapping[str, Budget]:
    if budgets is None:
        return {}
    if not isinstance(budgets, Mapping) or not all(
        isinstance(k, str) and isinstance(v, Budget) for k, v in budgets.items()
    ):
        raise RestliUsageError(
            "budgets must map resource names to Budget values, e.g. "
            "{'adAnalytics': Budget(calls=6, per=10.0)}"
        )
    return {name.strip("/"): budget for name, budget in budgets.items()}


def _check_retry(retry: RetryPolicy | None) -> RetryPolicy | None:
    if retry is not None and not isinstance(retry, RetryPolicy):
        raise RestliUsageError(f"retry must be a RetryPolicy or None, got {retry!r}")
    return retry


# --------------------------------------------------------------------- from flow to method


def sync_call(flow: Callable[Concatenate[Any, P], Flow[T]]) -> Callable[Concatenate[Any, P], T]:
    """A client method that runs ``flow(client, ...)`` with :func:`run_sync` over the
    client's ``transport``; it keeps the flow's signature and docstring."""

    @functools.wraps(flow)
    def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return run_sync(flow(self, *args, **kwargs), self.transport, self.store)

    return _returning(call, _result_of(flow))


def async_call(
    flow: Callable[Concatenate[Any, P], Flow[T]],
) -> Callable[Concatenate[Any, P], Coroutine[Any, Any, T]]:
    """The awaitable twin of :func:`sync_call` (:func:`run_async`)."""

    @functools.wraps(flow)
    async def call(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await run_async(flow(self, *args, **kwargs), self.transport, self.store)

    return _returning(call, _result_of(flow))


def sync_reader(
    paginator: Callable[Concatenate[Any, P], Paginator],
    deliver: Callable[[Paginator], Delivery[T]],
    doc: str,
) -> Callable[Concatenate[Any, P], Pager[T]]:
    """A client method that returns a :class:`Pager` driving ``paginator(client, ...)``
    with :func:`run_sync`; it takes the paginator's arguments."""

    @functools.wraps(paginator)
    def read(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> Pager[T]:
        run = functools.partial(run_sync, transport=self.transport, store=self.store)
        return Pager(deliver(paginator(self, *args, **kwargs)), run, self.call_flow)

    read.__doc__ = doc
    return _returning(read, "Pager")


def async_reader(
    paginator: Callable[Concatenate[Any, P], Paginator],
    deliver: Callable[[Paginator], Delivery[T]],
    doc: str,
) -> Callable[Concatenate[Any, P], AsyncPager[T]]:
    """The ``async for`` twin of :func:`sync_reader` (an :class:`AsyncPager`)."""

    @functools.wraps(paginator)
    def read(self: Any, /, *args: P.args, **kwargs: P.kwargs) -> AsyncPager[T]:
        run = functools.partial(run_async, transport=self.transport, store=self.store)
        return AsyncPager(deliver(paginator(self, *args, **kwargs)), run, self.call_flow)

    read.__doc__ = doc
    return _returning(read, "AsyncPager")


def _result_of(flow: Callable[..., Any]) -> str:
    # The flows' annotations are text ("Flow[GetResponse]"): the method returns what
    # the flow returns.
    text = str(inspect.signature(flow).return_annotation)
    return text[len("Flow[") : -1] if text.startswith("Flow[") else text


def _returning(method: Callable[..., T], annotation: str) -> Callable[..., T]:
    # What help() and IDEs reading the runtime signature show: the flow's
    # parameters, the method's own result.
    signature = inspect.signature(method)
    method.__signature__ = signature.replace(return_annotation=annotation)  # type: ignore[attr-defined]
    return method


# --------------------------------------------------------------------- the shared cores


def _status_checked(request: Request, response: Response) -> Response:
    raise_for_status(request, response)
    return response


class ClientCore:
    """What a Rest.li client knows, independent of how it sends.

    Args:
        base_url: base URL of unversioned calls (default ``<api root>/v2``, else
            ``https://api.linkedin.com/v2``).
        versioned_base_url: base URL of versioned calls (default
            ``<api root>/rest``, else ``https://api.linkedin.com/rest``).
        api_root: the API root of both (``https://host`` -> ``https://host/v2`` and
            ``https://host/rest``); default: the ``RESTLI_API_ROOT`` environment
            variable, read when the client is made. A base URL given wins over it
            (so ``base_url`` alone moves only unversioned calls).
        retry: a :class:`RetryPolicy`, or ``None`` to send each request once.
        deadline: seconds one call may take, retries included (default 120);
            ``None`` for no limit beyond the transport's connect/read timeouts.
            Paged reads and chunked batches apply it to each request.
        raise_for_status: raise a :class:`ResponseError` subclass for a non-2xx
            status (default); ``False`` returns the typed response instead.
        version_string: the ``LinkedIn-Version`` used when a call passes none.
        user_agent: text appended to the ``User-Agent`` header.
        credentials: a :class:`StaticToken`, :class:`RefreshTokenCredentials` or
            :class:`ClientCredentials`: the token of every call made without
            ``access_token=`` (renewed when due, once per fleet sharing ``store``).
        store: where token and quota state is shared (a :class:`MemoryStore` of this
            client by default; ``restli_sqlite.SqliteStore`` or
            ``restli_redis.RedisStore`` to share it between processes).
        budgets: a pace per resource name, e.g. ``{"adAnalytics": Budget(6, 10.0)}``.
        clock: the wall clock of token expiries and quota resets (default
            ``time.time``; tests pass a controllable one).

    Attributes (set them on a client):
        version_policy: a :class:`VersionPolicy` that warns once when a version
            outside LinkedIn's support window is used; ``None`` turns it off.
        batch_chunk_size: send batch calls with more ids than this as several
            requests (see ``chunk_size``); ``None`` (default) never splits.

    Raises:
        RestliUsageError: for a malformed argument.
    """

    version_policy: VersionPolicy | None = DEFAULT_VERSION_POLICY
    batch_chunk_size: int | None = None

    def __init__(
        self,
        *,
        base_url: str | None = None,
        versioned_base_url: str | None = None,
        api_root: str | None = None,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        deadline: float | None = DEFAULT_DEADLINE,
        raise_for_status: bool = True,
        version_string: str | None = None,
        user_agent: str | None = None,
        credentials: Credentials | None = None,
        store: AnyStore | None = None,
        budgets: Mapping[str, Budget] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.builder = RequestBuilder(
            base_url, versioned_base_url, api_root=api_root, user_agent=user_agent
        )
        if credentials is not None and not isinstance(credentials, Credentials):
            raise RestliUsageError(
                f"credentials must be StaticToken, RefreshTokenCredentials or "
                f"ClientCredentials, got {type(credentials).__name__}"
            )
        self.credentials = credentials
        self.store: AnyStore = MemoryStore() if store is None else store
        self.budgets: Mapping[str, Budget] = _check_budgets(budgets)
        if clock is not None and not callable(clock):
            raise RestliUsageError("clock must be a function returning Unix seconds")
        self.clock: Callable[[], float] = clock or time.time
        self._base_paths = tuple(
            sorted(
                {
                    urlsplit(self.builder.base_url).path,
                    urlsplit(self.builder.versioned_base_url).path,
                },
                key=len,
                reverse=True,
            )
        )
        self.retry = _check_retry(retry)
        self.deadline = _check_deadline(deadline)
        self.raise_for_status = bool(raise_for_status)
        if version_string is not None and not isinstance(version_string, str):
            raise RestliUsageError(f"version_string must be a str, got {version_string!r}")
        self.version_string = version_string
        self.rng: random.Random | None = None  # jitter source; tests may seed one

    def resolve_version(self, version_string: str | None) -> str | None:
        """The ``LinkedIn-Version`` of a call: ``version_string``, else the client's
        default; checked against :attr:`version_policy`."""
        return resolve_version(version_string, self.version_string, self.version_policy)

    def resource_path_of(self, url: str) -> str:
        """The part of a built URL's path after the base URL (``/adAccounts/1``)."""
        path = urlsplit(url).path
        for base in self._base_paths:
            if base and path.startswith(base + "/"):
                return path[len(base) :]
        return path

    def call_flow(self, request: Request, parse: Callable[[Response], T]) -> Flow[T]:
        """The flow of one call: the exchange (token, quotas, pacing, retries; see
        :func:`exchange_flow`), then parse.

        Args:
            request: the request to send.
            parse: turns the final response into the result (and raises for errors).

        Returns:
            A flow whose result is ``parse(response)``.
        """
        return exchange_flow(self, request, lambda _sent, response: parse(response))

    def restli_flow(self, request: Request) -> Flow[BaseRestliResponse]:
        """The flow of one Rest.li call: the exchange, then :func:`parse_response`
        (raising for an error status unless ``raise_for_status`` is off)."""
        parse = functools.partial(parse_response, raise_for_status=self.raise_for_status)
        return exchange_flow(self, request, parse)

    def batch_flow(
        self,
        method: RestliMethod,
        chunk_size: int | None,
        concurrency: int,
        /,
        **arguments: Any,
    ) -> Flow[BaseRestliResponse]:
        """The flow of a batch call, split into chunks of ``chunk_size`` ids (default:
        :attr:`batch_chunk_size`) when asked, ``concurrency`` of them in flight at
        once; see :func:`chunked_batch_flow`."""
        arguments["version_string"] = self.resolve_version(arguments.get("version_string"))
        return chunked_batch_flow(
            method,
            arguments,
            build=getattr(self.builder, method.value),
            chunk_size=self.batch_chunk_size if chunk_size is None else chunk_size,
            send=self.restli_flow,
            send_chunk=self._strict_flow,
            concurrency=concurrency,
        )

    def _strict_flow(self, request: Request) -> Flow[Response]:
        # A chunk raises for an error status whatever raise_for_status says: a
        # failed chunk must be reported, not merged. Its body is parsed later, in
        # turn (see chunked_batch_flow).
        return exchange_flow(self, request, _status_checked)

    def paginator(
        self,
        method: RestliMethod | str,
        *,
        resource_path: str,
        access_token: str | None = None,
        finder_name: str | None = None,
        finder_criteria: tuple[str, Sequence[Mapping[str, Any]]] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        paging: PagingStyle = "offset",
        page_size: int | None = None,
        max_items: int | None = None,
        max_pages: int | None = None,
        resume: Checkpoint | None = None,
        concurrency: int = 1,
    ) -> Paginator:
        """A :class:`Paginator` for a paged read with this client's builder and
        default version (drive it by hand, or use ``iter_pages``/``iter_elements``,
        which take the same arguments).

        Args:
            method: ``"finder"``, ``"get_all"`` or ``"batch_finder"``.
            resource_path, access_token, finder_name, finder_criteria, path_keys,
                query_params, version_string: as for the client's method of that
                name (``version_string`` defaults to the client's).
            paging: ``"offset"`` (``start``/``count``) or ``"cursor"``
                (``pageSize``/``pageToken``, LinkedIn's ad search finders since 202401).
            page_size: elements per page (see :class:`Paginator`).
            max_items: stop after this many elements.
            max_pages: stop after this many requests.
            resume: a :class:`Checkpoint` to go on from (from a page, an iterator,
                or an error raised while paging).
            concurrency: offset pages asked for at once once the first page gave
                ``paging.total`` (default 1). Elements still come in order, exactly
                once; cursor paging and batch finders stay one page at a time.

        Raises:
            RestliUsageError, RestliEncodeError: for a malformed argument (at once).
        """
        return Paginator(
            self.builder,
            method,
            resource_path=resource_path,
            access_token=access_token,
            finder_name=finder_name,
            finder_criteria=finder_criteria,
            path_keys=path_keys,
            query_params=query_params,
            version_string=self.resolve_version(version_string),
            paging=paging,
            page_size=page_size,
            max_items=max_items,
            max_pages=max_pages,
            resume=resume,
            concurrency=concurrency,
        )


class AuthClientCore:
    """What an OAuth 2.0 client knows, independent of how it sends.

    Args:
        client_id: the application's client id.
        client_secret: the application's client secret (never logged or shown).
        redirect_url: the redirect URL registered for the 3-legged flow.
        oauth_base_url: the OAuth server (default ``<api root>/oauth/v2``, else
            ``https://www.linkedin.com/oauth/v2``).
        api_root: the API root (default: the ``RESTLI_API_ROOT`` environment
            variable, read when the client is made); ``oauth_base_url`` wins over it.
        retry: a :class:`RetryPolicy`, or ``None``. Token calls are POSTs, so they
            are repeated only after a 429 or when the connection was refused.
        deadline: seconds one call may take, retries included (default 120).
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        *,
        oauth_base_url: str | None = None,
        api_root: str | None = None,
        retry: RetryPolicy | None = DEFAULT_RETRY,
        deadline: float | None = DEFAULT_DEADLINE,
    ) -> None:
        self.auth = AuthRequestBuilder(
            client_id, client_secret, redirect_url, oauth_base_url, api_root=api_root
        )
        self.store: AnyStore | None = None  # OAuth calls share no state
        self.retry = _check_retry(retry)
        self.deadline = _check_deadline(deadline)
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
        response = yield from send_with_retries(
            request, self.retry, rng=self.rng, deadline=self.deadline
        )
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

_ITER_PAGES_DOC = """Iterate over the pages of a FINDER, GET_ALL or BATCH_FINDER result.

    Each page is fetched with the client's retry policy (a 429 or 5xx on page 7 is
    retried like any call); paging follows the rules of :class:`Paginator`. Nothing
    is sent before iteration starts::

        for page in client.iter_pages("finder", resource_path="/adCampaigns",
                                      finder_name="search", access_token=token,
                                      version_string="202406", paging="cursor"):
            print(page.number, len(page.elements), page.next_checkpoint)

    An async client returns an iterator for ``async for`` (the method itself is not
    awaited). The arguments are those of :meth:`ClientCore.paginator`.

    With ``concurrency=8``, once the first offset page gives ``paging.total`` the
    next 8 pages are asked for at once (async: as tasks; sync: from a small thread
    pool over the same transport) and handed out in order; cursor paging stays one
    page at a time, since each token comes from the page before.

    Returns:
        A :class:`Pager` (async: :class:`AsyncPager`) of :class:`CollectionPage`
        (batch finders: one page per criteria per request, with ``criteria_index``);
        its ``checkpoint`` is the resume point.

    Raises:
        RestliUsageError, RestliEncodeError: for a malformed argument (at once).
        ResponseError, TransportError: while iterating, once retries are spent; the
            error's ``checkpoint`` says where to resume.
        PaginationError: while iterating, when the server's paging is broken.
    """

_ITER_ELEMENTS_DOC = """Iterate over the elements of a paged result, page after page.

    The arguments are those of :meth:`iter_pages`. The iterator's ``checkpoint`` is
    the position just after the last element returned. For a batch finder, elements
    of every criteria come in page order, and a failed criteria raises
    :class:`PaginationError` (iterating on continues with the other criteria).

    Returns:
        A :class:`Pager` (async: :class:`AsyncPager`) of the entities.

    Raises:
        RestliUsageError, RestliEncodeError: for a malformed argument (at once).
        ResponseError, TransportError, PaginationError: as for :meth:`iter_pages`.
    """


class SyncRestliClientBase(ClientCore):
    """The official client's 14 methods, run by :func:`run_sync` over a transport.

    Every method takes the official ``linkedin-api-client`` keyword arguments and
    returns its typed response; see :class:`RequestBuilder` for each argument and
    :class:`ClientCore` for the constructor keywords.

    Args:
        transport: what sends (an adapter's transport, or a mock one).
        **options: the keywords of :class:`ClientCore`.
    """

    def __init__(self, transport: ClosableSyncTransport, **options: Unpack[ClientOptions]) -> None:
        super().__init__(**options)
        self.transport = transport

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

    get = sync_call(_calls.get)
    batch_get = sync_call(_calls.batch_get)
    get_all = sync_call(_calls.get_all)
    finder = sync_call(_calls.finder)
    batch_finder = sync_call(_calls.batch_finder)
    create = sync_call(_calls.create)
    batch_create = sync_call(_calls.batch_create)
    update = sync_call(_calls.update)
    batch_update = sync_call(_calls.batch_update)
    partial_update = sync_call(_calls.partial_update)
    batch_partial_update = sync_call(_calls.batch_partial_update)
    delete = sync_call(_calls.delete)
    batch_delete = sync_call(_calls.batch_delete)
    action = sync_call(_calls.action)
    iter_pages = sync_reader(ClientCore.paginator, PageDelivery, _ITER_PAGES_DOC)
    iter_elements = sync_reader(ClientCore.paginator, ElementDelivery, _ITER_ELEMENTS_DOC)


class AsyncRestliClientBase(ClientCore):
    """The official client's 14 methods, awaitable (run by :func:`run_async`).

    ``iter_pages`` and ``iter_elements`` are plain methods returning iterators for
    ``async for``.
    """

    def __init__(self, transport: ClosableAsyncTransport, **options: Unpack[ClientOptions]) -> None:
        super().__init__(**options)
        self.transport = transport

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

    get = async_call(_calls.get)
    batch_get = async_call(_calls.batch_get)
    get_all = async_call(_calls.get_all)
    finder = async_call(_calls.finder)
    batch_finder = async_call(_calls.batch_finder)
    create = async_call(_calls.create)
    batch_create = async_call(_calls.batch_create)
    update = async_call(_calls.update)
    batch_update = async_call(_calls.batch_update)
    partial_update = async_call(_calls.partial_update)
    batch_partial_update = async_call(_calls.batch_partial_update)
    delete = async_call(_calls.delete)
    batch_delete = async_call(_calls.batch_delete)
    action = async_call(_calls.action)
    iter_pages = async_reader(ClientCore.paginator, PageDelivery, _ITER_PAGES_DOC)
    iter_elements = async_reader(ClientCore.paginator, ElementDelivery, _ITER_ELEMENTS_DOC)


class SyncAuthClientBase(AuthClientCore):
    """The official ``AuthClient``'s five methods, run by :func:`run_sync`.

    See :class:`AuthClientCore` for the constructor; ``transport`` sends.
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

    exchange_auth_code_for_access_token = sync_call(_calls.exchange_auth_code_for_access_token)
    exchange_refresh_token_for_access_token = sync_call(
        _calls.exchange_refresh_token_for_access_token
    )
    get_two_legged_access_token = sync_call(_calls.get_two_legged_access_token)
    introspect_access_token = sync_call(_calls.introspect_access_token)


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

    exchange_auth_code_for_access_token = async_call(_calls.exchange_auth_code_for_access_token)
    exchange_refresh_token_for_access_token = async_call(
        _calls.exchange_refresh_token_for_access_token
    )
    get_two_legged_access_token = async_call(_calls.get_two_legged_access_token)
    introspect_access_token = async_call(_calls.introspect_access_token)

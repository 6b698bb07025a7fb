"""The in-memory Rest.li 2.0 server: a pure function from :class:`Request` to :class:`Response`.

It reads requests the way the reference server does (routing table of
``RestLiRouter``, un-tunneling of ``QueryTunnelUtil``, key parsing of
``ArgumentUtils``) and answers with the envelopes, headers and errors LinkedIn's
gateway sends (PROTOCOL.md §6). It never opens a socket, never starts a thread and
never sleeps: a latency fault (or :attr:`RestliServer.token_delay`) is a *hint*
(:attr:`Reply.delay`) that :class:`~restli_core.testing.MockTransport` and the
loopback server honour. Time, for token lifetimes and quotas, is read from its
:class:`~restli_core.testing.ServerClock` only.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Union

import attrs

from .._errors import RestliEncodeError, RestliUsageError
from .._messages import Request, Response
from .._wire import (
    H_AUTHORIZATION,
    H_CONTENT_TYPE,
    H_LINKEDIN_VERSION,
    H_PROTOCOL_VERSION,
    H_REQUEST_ID,
    H_RESTLI_METHOD,
    H_RETRY_AFTER,
    PROTOCOL_VERSION,
    RestliMethod,
)
from ._clock import ServerClock
from ._handlers import Answer, Headers, Served, error_answer
from ._http import (
    Incoming,
    RestliServiceError,
    accepts_gzip,
    bad_request,
    effective_method,
    is_dot_segment,
    is_json,
    read_request,
    show,
    split_url,
    unescaped_path_segment,
)
from ._oauth import (
    ACCESS_TOKEN_TTL,
    DEFAULT_MEMBER,
    OAUTH_PREFIX,
    REFRESH_TOKEN_TTL,
    TWO_LEGGED_TTL,
    OAuthState,
    oauth_answer,
)
from ._quotas import CallLimit, Quotas, ResourceCall, VolumeLimit, metric_values
from ._resources import Collection, Entity, SimpleResource

__all__ = ["DEFAULT_RETIRED_VERSIONS", "Fault", "Reply", "RestliServer", "response_delay"]

DEFAULT_RETIRED_VERSIONS: frozenset[str] = frozenset({"202001", "202010", "202101"})
"""``LinkedIn-Version`` values a fresh server answers with 426 ``NONEXISTENT_VERSION``."""

UNKNOWN_APPLICATION = "app"
"""The application quotas count a token under when the server did not issue it."""

GZIP_MIN_SIZE = 1024
"""A JSON answer larger than this many bytes is gzip-compressed for a request that accepts gzip."""

# LinkedIn-Version is YYYYMM or YYYYMM.RR (PROTOCOL.md §4).
_VERSION_FORMAT = re.compile(r"[0-9]{4}(0[1-9]|1[0-2])(\.[0-9]{2})?")


@attrs.frozen
class Reply:
    """What :meth:`RestliServer.dispatch` gives: the response and how to deliver it.

    Attributes:
        response: the response to send.
        delay: seconds the transport should wait before delivering it (a latency
            fault); the pure server never waits itself.
        disconnect: ``True`` when a fault asks the transport to drop the connection
            instead of answering (``MockTransport`` raises ``TransportError``).
    """

    response: Response
    delay: float = 0.0
    disconnect: bool = False


@attrs.frozen
class _Hints:
    """Delivery hints riding on :attr:`Response.raw` of an answer a fault hit."""

    delay: float
    disconnect: bool


def response_delay(response: Response) -> float:
    """The latency (seconds) a fault asked to add before delivering ``response``.

    For code that calls :meth:`RestliServer.handle` and still wants to honour
    latency faults (:meth:`RestliServer.dispatch` gives the same as
    :attr:`Reply.delay`); 0 for any other response.
    """
    hints = response.raw
    return hints.delay if isinstance(hints, _Hints) else 0.0


def _check_status(instance: Fault, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and not 400 <= value <= 599:
        raise RestliEncodeError(f"a fault's status is a 4xx or 5xx code, not {value!r}")


@attrs.define
class Fault:
    """A planned misbehaviour: the next matching request(s) get it instead of a normal answer.

    Faults are checked in list order; the first one that matches the request (and
    wins its :attr:`probability` draw) is used and its :attr:`times` counts down; at
    zero it leaves the list.

    Attributes:
        status: answer with this status (429, 5xx, 426, ...) instead of serving the
            request; ``None`` serves it normally (useful with :attr:`delay`).
        times: how many requests this fault hits; ``None``: every one it matches,
            for as long as it stays in :attr:`RestliServer.faults`.
        probability: the chance (0 < p <= 1) that a matching request is hit; the
            draw comes from :attr:`RestliServer.random` (seeded, so a run repeats).
        retry_after: the ``Retry-After`` header to send (seconds, or HTTP-date text).
        delay: seconds of latency to add (a hint: the transport waits, virtually or
            for real).
        disconnect: drop the connection instead of answering (the pure server's
            answer is then a 502, as from a gateway).
        method: only requests of this Rest.li method (a :class:`RestliMethod`, or a
            wire name like ``"batch_get"``) or HTTP verb (``"GET"``).
        path: only requests to this resource path (``"/adAccounts"``; also matches
            its entities ``/adAccounts/1``).
        version: only requests carrying this ``LinkedIn-Version``.
        body: a raw body to send instead of the Rest.li error JSON (e.g. a gateway's
            HTML page), with :attr:`content_type`; it gets no
            ``X-RestLi-Error-Response`` header.
        content_type: the ``Content-Type`` of :attr:`body`.
        code: the error body's ``code`` (default: one that fits the status).
        message: the error body's ``message``.
    """

    status: int | None = attrs.field(default=None, validator=_check_status)
    times: int | None = 1
    retry_after: Union[float, str, None] = None
    delay: float = 0.0
    disconnect: bool = False
    method: Union[RestliMethod, str, None] = None
    path: str | None = None
    version: str | None = None
    body: Union[bytes, str, None] = None
    content_type: str = "text/html"
    code: str | None = None
    message: str | None = None
    probability: float = 1.0

    def __attrs_post_init__(self) -> None:
        if self.times is not None and self.times < 1:
            raise RestliEncodeError(f"a fault hits at least once, not times={self.times!r}")
        if not 0 < self.probability <= 1:
            raise RestliEncodeError(f"a fault's probability is in (0, 1], not {self.probability!r}")
        if self.delay < 0:
            raise RestliEncodeError(f"delay must be >= 0, not {self.delay!r}")
        if self.status is None and not self.delay and not self.disconnect:
            raise RestliEncodeError("a fault needs a status, a delay or disconnect=True")

    def matches(
        self, http_method: str, restli_method: str | None, path: str, version: str | None
    ) -> bool:
        """True when this fault applies to a request with these properties."""
        if self.version is not None and version != self.version:
            return False
        if self.path is not None:
            scope = self.path.rstrip("/")
            if path != scope and not path.startswith(scope + "/"):
                return False
        if self.method is not None:
            if isinstance(self.method, RestliMethod):
                return restli_method == self.method.wire_name
            wanted = self.method.strip()
            return wanted.upper() == http_method or wanted.lower() == restli_method
        return True


class RestliServer:
    """An in-memory Rest.li 2.0 resource server, written as a pure function.

    ``server.handle(request)`` (or ``server(request)``) returns the
    :class:`Response` LinkedIn would send. A fresh server holds the seed data
    described in the ``restli_core.testing`` docstring; add your own resources with
    :meth:`add_collection` and :meth:`add_simple_resource`.

    Args:
        seed: register the LinkedIn-like seed resources (default ``True``).
        require_auth: answer 401 to requests without ``Authorization: Bearer <token>``.
        tokens: when given, access tokens accepted besides the ones the OAuth
            endpoints (or :meth:`issue_token`) issued, for ever (others get 401
            ``INVALID_ACCESS_TOKEN``); ``None`` accepts any token, unless
            ``check_tokens``.
        check_tokens: accept only tokens the server issued (and ``tokens``), as
            LinkedIn does: an unknown token gets 401 ``INVALID_ACCESS_TOKEN``
            (65600). Whatever this says, a token the server issued is refused once
            expired (``EXPIRED_ACCESS_TOKEN``, 65602) or revoked
            (``REVOKED_ACCESS_TOKEN``, 65601).
        clock: the :class:`ServerClock` of token lifetimes, quotas and the
            data-volume window (default: a new one following real time). Give a
            client under test the same one: ``clock=server.clock.now``.
        access_token_lifetime: seconds a 3-legged access token lives (default
            LinkedIn's 60 days).
        two_legged_token_lifetime: seconds a 2-legged token lives (default 30
            minutes).
        refresh_token_lifetime: seconds from a member's consent to the deadline
            of the refresh token (default 365 days; refreshing never moves it).
        retired_versions: ``LinkedIn-Version`` values answered with 426
            ``NONEXISTENT_VERSION``.
        base_paths: URL path prefixes the resources live under; ``/rest`` is the
            versioned one (it requires ``LinkedIn-Version``, as LinkedIn does).
        oauth_clients: ``client_id -> client_secret`` the OAuth endpoints accept;
            ``None`` accepts any non-empty pair.
        request_log_size: keep only the last this many requests in
            :attr:`requests` (``None``: all of them; a long-running server wants a
            bound).
        official_examples: also hold the entities the official client's README
            and examples address by id (ad accounts 123 and 456, campaign groups
            123, 456 and 789), and delete ads entities as LinkedIn does (a DRAFT
            one is removed; any other is set to ``PENDING_DELETION`` and stays
            readable), so the README runs top to bottom, and again, against one
            server. Off by default: the seed's counts (25 ad accounts, 60 campaign
            groups) stay exact. ``restli serve`` turns it on.
        fault_seed: the seed of :attr:`random` (the draws of faults with a
            ``probability``).
        gzip_min_size: a JSON answer larger than this many bytes (default 1024)
            is gzip-compressed (``Content-Encoding: gzip``) when the request's
            ``Accept-Encoding`` allows gzip, as HTTP libraries ask by default; a
            request without that header gets it as is. ``None``: never.

    Attributes:
        requests: every request received, in order (faulted ones included).
        clock: the :class:`ServerClock` (``server.clock.advance(86400)``).
        check_tokens: as given (changeable).
        token_delay: seconds the token endpoint (``.../accessToken``) waits
            before answering (a delivery hint, like a latency fault: the loopback
            server sleeps without blocking other requests); 0 by default.
        quotas: the call limits, data-volume limit, their counts and the log of
            arrivals (see :meth:`set_daily_limit` and :meth:`quota_log`).
        faults: the pending :class:`Fault` list (see :meth:`inject`).
        resources: resource path -> :class:`Collection` or :class:`SimpleResource`.
        internal_errors: exceptions raised by resource code, each answered with a
            500 (a test can assert this stays empty).
        oauth: the token endpoints' state (issued tokens, ``now``, the token
            call counts...). A token it issued is refused with 401 once revoked
            (:meth:`revoke`) or expired (advance :attr:`clock`, or ``oauth.now``).
        decorations: ``(urn, view) -> value``: what a ``~`` decoration in a
            ``projection`` resolves a URN to (see :meth:`add_decoration`).
        random: the random generator of probabilistic faults.
        tokens, retired_versions, require_auth, gzip_min_size: as given (and
            changeable).
    """

    def __init__(
        self,
        *,
        seed: bool = True,
        require_auth: bool = True,
        tokens: Iterable[str] | None = None,
        retired_versions: Iterable[str] = DEFAULT_RETIRED_VERSIONS,
        base_paths: Sequence[str] = ("/v2", "/rest"),
        oauth_clients: Mapping[str, str] | None = None,
        request_log_size: int | None = None,
        official_examples: bool = False,
        fault_seed: int = 0,
        gzip_min_size: int | None = GZIP_MIN_SIZE,
        check_tokens: bool = False,
        clock: ServerClock | None = None,
        access_token_lifetime: int = ACCESS_TOKEN_TTL,
        two_legged_token_lifetime: int = TWO_LEGGED_TTL,
        refresh_token_lifetime: int = REFRESH_TOKEN_TTL,
    ) -> None:
        self.require_auth = require_auth
        self.check_tokens = check_tokens
        self.clock = clock if clock is not None else ServerClock()
        self.token_delay = 0.0
        self.quotas = Quotas(request_log_size)
        self.gzip_min_size = gzip_min_size
        self.tokens: set[str] | None = set(tokens) if tokens is not None else None
        self.retired_versions: set[str] = set(retired_versions)
        self.base_paths = tuple(p.rstrip("/") for p in base_paths)
        self.resources: dict[str, Collection | SimpleResource] = {}
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self.request_log_size = request_log_size
        self.internal_errors: list[BaseException] = []
        self.oauth = OAuthState(
            dict(oauth_clients) if oauth_clients is not None else None,
            clock=self.clock,
            access_token_lifetime=access_token_lifetime,
            two_legged_lifetime=two_legged_token_lifetime,
            refresh_token_lifetime=refresh_token_lifetime,
        )
        self.decorations: dict[tuple[str, str | None], Any] = {}
        self.random = random.Random(fault_seed)
        # A loopback server may call in from several threads; state changes are
        # serialised. (A lock is not I/O: the server stays a pure function.)
        self._lock = threading.RLock()  # re-entrant: resource code may call back in
        self._served = 0
        if seed:
            from ._seed import seed as _seed

            _seed(self)
        if official_examples:
            if not seed:
                raise RestliUsageError("official_examples=True needs the seed (seed=True)")
            from ._examples import add_official_examples

            add_official_examples(self)

    def __repr__(self) -> str:
        return f"RestliServer({len(self.resources)} resources, {len(self.requests)} requests)"

    # ------------------------------------------------------------------ set-up

    def add_collection(
        self,
        path: str,
        entities: Iterable[Mapping[str, Any]] = (),
        *,
        key: str | Sequence[str] = "id",
        key_type: type | Mapping[str, type] | None = None,
        methods: Iterable[RestliMethod | str] | None = None,
        required: Iterable[str] = (),
        upsert: bool = False,
        key_factory: Callable[[int], int | str] | None = None,
        on_delete: Callable[[Entity], Entity | None] | None = None,
    ) -> Collection:
        """Serve a collection at ``path`` (e.g. ``"/widgets"``) and return it.

        Args:
            path: the resource path under the base URL.
            entities: the initial entities (copied); each holds its key field(s).
            key: the key field, or a sequence of fields for a compound key
                (``("account", "user")``, addressed as ``(account:...,user:...)``).
            key_type: ``int`` or ``str`` (or a mapping per key field); inferred
                from ``entities`` when omitted (``int`` when every key is an int).
            methods: the Rest.li methods it answers (default all; finders and
                actions also need :meth:`Collection.add_finder` /
                :meth:`Collection.add_action`).
            required: fields a created or replaced entity must have (else 422).
            upsert: an UPDATE of a missing key creates the entity (201), as
                LinkedIn's association resources do.
            key_factory: makes the key of a created entity that has none, from a
                serial number (``lambda n: f"urn:li:share:{n}"``); an int key needs
                none.
            on_delete: a soft delete: ``on_delete(entity)`` returns the entity to
                keep, or ``None`` to remove it (see :class:`Collection`).

        Raises:
            RestliEncodeError: for a malformed path, key or entity.
        """
        collection = Collection(
            path,
            entities,
            key=key,
            key_type=key_type,
            methods=methods,
            required=required,
            upsert=upsert,
            key_factory=key_factory,
            on_delete=on_delete,
        )
        with self._lock:
            self.resources[collection.path] = collection
        return collection

    def add_simple_resource(
        self,
        path: str,
        entity: Mapping[str, Any] | None,
        *,
        methods: Iterable[RestliMethod | str] | None = None,
    ) -> SimpleResource:
        """Serve a simple resource (one entity, no key, like ``/me``) and return it."""
        resource = SimpleResource(path, entity, methods=methods)
        with self._lock:
            self.resources[resource.path] = resource
        return resource

    def add_decoration(self, urn: str, value: Any, *, view: str | None = None) -> None:
        """Resolve ``urn`` to ``value`` in ``projection`` decorations.

        ``projection=(profilePicture(displayImage~))`` answers, beside the field's
        URN, ``"displayImage~": value``; ``displayImage~:playableStreams`` looks for
        the value registered with ``view="playableStreams"`` (then for the plain
        one). A URN with no value gives ``"displayImage!"``: a 404 error body.
        """
        with self._lock:
            self.decorations[(urn, view)] = value

    def decorate(self, urn: str, view: str | None = None) -> Any:
        """The value a decoration of ``urn`` (with ``view``) resolves to, or ``None``."""
        found = self.decorations.get((urn, view))
        if found is None and view is not None:
            found = self.decorations.get((urn, None))
        return found

    def collection(self, path: str) -> Collection:
        """The collection served at ``path``.

        Raises:
            KeyError: when no collection is served there.
        """
        resource = self.resources.get(path)
        if not isinstance(resource, Collection):
            raise KeyError(f"no collection at {path!r}")
        return resource

    def inject(
        self,
        status: int | None = None,
        *,
        times: int | None = 1,
        probability: float = 1.0,
        retry_after: float | str | None = None,
        delay: float = 0.0,
        disconnect: bool = False,
        method: RestliMethod | str | None = None,
        path: str | None = None,
        version: str | None = None,
        body: bytes | str | None = None,
        content_type: str = "text/html",
        code: str | None = None,
        message: str | None = None,
    ) -> Fault:
        """Plan a fault (appended to :attr:`faults`) and return it.

        ``server.inject(429, times=2, retry_after=3)`` throttles the next two
        requests; ``server.inject(503, path="/adAccounts", method="batch_get")``
        fails one batch get of ad accounts; ``server.inject(delay=2.5)`` adds 2.5 s
        of latency to the next request; ``server.inject(426)`` answers the next
        request as if its ``LinkedIn-Version`` were retired;
        ``server.inject(503, times=None, probability=0.1)`` fails one request in ten
        (drawn from :attr:`random`) until removed. See :class:`Fault`.

        Raises:
            RestliEncodeError: (a ``ValueError``) for a status outside 4xx/5xx,
                ``times < 1``, a probability outside (0, 1], a negative delay, or a
                fault that would do nothing.
        """
        fault = Fault(
            status=status,
            times=times,
            probability=probability,
            retry_after=retry_after,
            delay=delay,
            disconnect=disconnect,
            method=method,
            path=path,
            version=version,
            body=body,
            content_type=content_type,
            code=code,
            message=message,
        )
        with self._lock:
            self.faults.append(fault)
        return fault

    # ------------------------------------------------------------------ tokens

    @property
    def token_calls(self) -> int:
        """Requests the token endpoint (``.../oauth/v2/accessToken``) received, any grant."""
        return self.oauth.token_calls

    @property
    def token_calls_by_grant(self) -> dict[str, int]:
        """The same, per ``grant_type`` (``"refresh_token"``, ``"client_credentials"``...)."""
        with self._lock:
            return dict(self.oauth.token_calls_by_grant)

    def issue_token(
        self,
        client_id: str = "app-1",
        *,
        expires_in: int | None = None,
        member: str | None = DEFAULT_MEMBER,
        scope: str | None = None,
    ) -> str:
        """Issue an access token, as the token endpoint would, and return it.

        Args:
            client_id: the application it is issued to (keys ``APPLICATION``
                quotas).
            expires_in: seconds it lives from now on :attr:`clock` (0 or less: it
                is expired already); default ``access_token_lifetime`` (3-legged) or
                ``two_legged_token_lifetime`` (2-legged).
            member: the member it acts for (keys ``MEMBER`` quotas); ``None`` makes
                a 2-legged (application) token.
            scope: the scopes it grants (default: the server's 3-legged scopes).
        """
        _check_seconds(expires_in, "expires_in")
        with self._lock:
            return self.oauth.issue_access_token(
                _check_name(client_id, "client_id"),
                member=member,
                expires_in=expires_in,
                scope=scope,
            )

    def issue_refresh_token(
        self,
        client_id: str = "app-1",
        *,
        expires_in: int | None = None,
        member: str = DEFAULT_MEMBER,
        scope: str | None = None,
    ) -> str:
        """Issue a refresh token that the refresh grant accepts for ``client_id``.

        Its deadline is fixed at ``expires_in`` seconds from now (default
        ``refresh_token_lifetime``): refreshing does not extend it, each answer's
        ``refresh_token_expires_in`` counts down to it, and past it the grant
        answers 400 ``invalid_grant``. The access tokens it gets act for ``member``.
        """
        _check_seconds(expires_in, "expires_in")
        with self._lock:
            return self.oauth.issue_refresh_token(
                _check_name(client_id, "client_id"),
                member=_check_name(member, "member"),
                expires_in=expires_in,
                scope=scope,
            )

    def revoke(self, token: str) -> bool:
        """Revoke an issued access token (then refused with 401 ``REVOKED_ACCESS_TOKEN``,
        65601) or refresh token (then refused by the grant); ``False`` if unknown."""
        with self._lock:
            return self.oauth.revoke(token)

    # ------------------------------------------------------------------ quotas

    def set_daily_limit(
        self, resource: str, calls: int, *, scope: str = "APPLICATION"
    ) -> CallLimit:
        """Allow ``calls`` calls a day (UTC, on :attr:`clock`) to ``resource`` per
        ``scope`` identity; beyond them, LinkedIn's DAY 429.

        ``server.set_daily_limit("adAnalytics", calls=500, scope="MEMBER")``.
        ``scope`` is ``"APPLICATION"`` (counted per client id of the token),
        ``"MEMBER"`` (per member) or ``"APPLICATION_AND_MEMBER"`` (per both). The
        resource is the first path segment after the base path
        (``/rest/adAnalytics?q=...`` is ``adAnalytics``). Counts reset at 00:00 UTC.
        Setting a limit again for the same resource and scope replaces it (the
        calls already counted today stay counted).

        Raises:
            RestliUsageError: for a bad resource name, count or scope.
        """
        return self.set_limit(resource, calls, window="DAY", scope=scope)

    def set_limit(
        self,
        resource: str,
        calls: int,
        *,
        window: str = "MINUTE",
        scope: str = "APPLICATION",
    ) -> CallLimit:
        """Like :meth:`set_daily_limit`, for any window: ``"SECOND"``, ``"MINUTE"``,
        ``"HOUR"`` or ``"DAY"`` (fixed windows of the server's clock, aligned on the
        epoch). The 429 names the window ("... APPLICATION MINUTE limit ..."), which
        is what tells a client to back off and retry rather than wait for
        midnight."""
        with self._lock:
            return self.quotas.set_limit(resource, calls, window, scope)

    def clear_limits(self, resource: str | None = None) -> None:
        """Remove the call limits (those of ``resource`` only, when given) and their
        counts; the data-volume limit stays (see :meth:`set_metric_volume_limit`)."""
        with self._lock:
            self.quotas.clear(resource)

    def set_metric_volume_limit(
        self, values: int | None = 45_000_000, *, window: float = 300.0
    ) -> VolumeLimit | None:
        """Limit the metric values ``adAnalytics`` answers an application per sliding
        ``window`` (seconds of the server's clock), as LinkedIn does (45 million per 5
        minutes); ``values=None`` removes the limit.

        A call's metric values are the top-level fields of the elements it answers
        (so ``fields=impressions,clicks`` on 10 elements is 20). A call that would
        take the window's total beyond ``values`` gets, instead of its answer, the
        429 "More than 45 million metric values were requested in a 5-minute window"
        (with the limit's numbers), and counts for nothing; a client retries it
        after a backoff, as any 429 that is not a DAY limit.
        """
        with self._lock:
            if values is None:
                self.quotas.clear_volume()
                return None
            return self.quotas.set_volume(values, window, "adAnalytics")

    def quota_log(self, resource: str | None = None) -> list[ResourceCall]:
        """The requests that arrived for ``resource`` (for every resource, when
        ``None``), oldest first, each a :class:`ResourceCall` with its arrival time
        on :attr:`clock` and on ``time.monotonic()``, its status, application and
        member. Every API request is logged, limited or not (OAuth requests are
        not); the log keeps the last ``request_log_size`` entries."""
        with self._lock:
            return self.quotas.calls(resource)

    def quota_used(
        self,
        resource: str,
        *,
        window: str = "DAY",
        scope: str = "APPLICATION",
        application: str = "app-1",
        member: str = DEFAULT_MEMBER,
    ) -> int:
        """The calls to ``resource`` counted against a limit of this ``window`` and
        ``scope`` for this application and member, in the current window."""
        with self._lock:
            return self.quotas.used(
                resource,
                window=window,
                scope=scope,
                application=application,
                member=member,
                now=self.clock.now(),
            )

    # ------------------------------------------------------------------ serving

    def __call__(self, request: Request) -> Response:
        return self.dispatch(request).response

    def handle(self, request: Request) -> Response:
        """Answer ``request`` as a Rest.li 2.0 server would. Never raises."""
        return self.dispatch(request).response

    def dispatch(self, request: Request) -> Reply:
        """Answer ``request``, with the delivery hints of any fault that hit it.

        Never raises: a malformed request gets a 4xx Rest.li error; an exception in
        resource code gets a 500 (and is kept in :attr:`internal_errors`).
        """
        # Arrival times are read before waiting for the lock another thread holds.
        seen = _Seen(self.clock.now(), time.monotonic())
        with self._lock:
            self.requests.append(request)
            limit = self.request_log_size
            if limit is not None and len(self.requests) > limit:
                del self.requests[: len(self.requests) - max(limit, 0)]
            self._served += 1
            request_id = _request_id(self._served)
            delay = 0.0
            disconnect = False
            restli = True  # the OAuth endpoints are not Rest.li
            try:
                fault = self._take_fault(request)
                if fault is not None:
                    delay, disconnect = fault.delay, fault.disconnect
                if fault is not None and fault.status is not None:
                    status, headers, body = _fault_answer(fault, request)
                elif disconnect:
                    raise RestliServiceError(502, "the upstream connection was dropped")
                elif OAUTH_PREFIX in split_url(request.url)[0]:
                    status, headers, body = self._oauth(request)
                    restli = False
                    if self.token_delay > 0 and _is_token_endpoint(request):
                        delay = max(delay, float(self.token_delay))
                else:
                    status, headers, body = self._answer(request, seen)
            except RestliServiceError as error:
                status, headers, body = error_answer(error)
            except Exception as exc:  # resource code failed: a real server answers 500
                self.internal_errors.append(exc)
                status, headers, body = error_answer(
                    RestliServiceError(500, f"internal error ({type(exc).__name__})")
                )
            if restli:
                headers.append((H_PROTOCOL_VERSION, PROTOCOL_VERSION))
                self._log_arrival(request, seen, status)
            headers.append((H_REQUEST_ID, request_id))
            body = self._compress(request, headers, body)
            # The pure answer carries the fault's delivery hints along (see response_delay).
            hints = _Hints(delay, disconnect) if delay or disconnect else None
            response = Response(
                status_code=status, headers=headers, body=body, url=request.url, raw=hints
            )
            return Reply(response=response, delay=delay, disconnect=disconnect)

    def _compress(self, request: Request, headers: Headers, body: bytes) -> bytes:
        """``body``, gzip-compressed (its headers saying so) when it is a JSON answer
        larger than :attr:`gzip_min_size` and the request accepts gzip."""
        limit = self.gzip_min_size
        if limit is None or len(body) <= limit:
            return body
        if not accepts_gzip(request.headers.get("Accept-Encoding")):
            return body
        names = {name.lower(): value for name, value in headers}
        if "content-encoding" in names or not is_json(names.get("content-type")):
            return body
        headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        return gzip.compress(body, compresslevel=6, mtime=0)

    def _take_fault(self, request: Request) -> Fault | None:
        if not self.faults:
            return None
        http_method = effective_method(request)
        header = request.headers.get(H_RESTLI_METHOD)
        restli_method: str | None = str(header).strip().lower() if header else None
        if restli_method is None and request.restli_method is not None:
            restli_method = request.restli_method.wire_name
        try:
            path = self._relative_path(split_url(request.url)[0])[1]
        except RestliServiceError:
            path = ""
        version = request.headers.get(H_LINKEDIN_VERSION)
        for index, fault in enumerate(self.faults):
            if not fault.matches(http_method, restli_method, path, version):
                continue
            if fault.probability < 1 and self.random.random() >= fault.probability:
                continue
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    del self.faults[index]
            return fault
        return None

    def _log_arrival(self, request: Request, seen: _Seen, status: int) -> None:
        try:
            relative = self._relative_path(split_url(request.url)[0])[1]
        except RestliServiceError:
            return
        self.quotas.log_size = self.request_log_size
        self.quotas.record(
            ResourceCall(
                resource=_resource_name(relative),
                method=effective_method(request),
                time=seen.time,
                monotonic=seen.monotonic,
                status=status,
                application=seen.application,
                member=seen.member,
            )
        )

    def _oauth(self, request: Request) -> Answer:
        endpoint = split_url(request.url)[0].split(OAUTH_PREFIX, 1)[1]
        # The tokens issued are accepted by the resources whatever ``tokens`` holds
        # (see _check_auth): they need no adding there.
        answer, _issued = oauth_answer(self.oauth, request, endpoint)
        return answer

    def _relative_path(self, path: str) -> tuple[str, str]:
        """Split a URL path into its base (``/v2``, ``/rest`` or ``""``) and the rest."""
        for base in self.base_paths:
            if base and (path == base or path.startswith(base + "/")):
                return base, path[len(base) :]
        return "", path

    # ------------------------------------------------------------------ the protocol

    def _answer(self, request: Request, seen: _Seen) -> Answer:
        application, member = self._check_auth(request)
        seen.application, seen.member = application, member
        protocol = request.headers.get(H_PROTOCOL_VERSION)
        if protocol is None:
            raise bad_request(
                f"missing {H_PROTOCOL_VERSION} header: this server speaks Rest.li "
                f"{PROTOCOL_VERSION} only (without the header a Rest.li server parses the "
                "request as protocol 1.0)",
                code="PROTOCOL_VERSION_MISSING",
            )
        if str(protocol).strip() != PROTOCOL_VERSION:
            raise bad_request(
                f"unsupported {H_PROTOCOL_VERSION} {show(protocol)}: this server "
                f"speaks {PROTOCOL_VERSION} only",
                code="PROTOCOL_VERSION_UNSUPPORTED",
            )
        path, _ = split_url(request.url)
        base, relative = self._relative_path(path)
        version = self._check_version(request, base)
        name = _resource_name(relative)
        limit = self.quotas.admit(name, application, member, seen.time)
        if limit is not None:
            raise RestliServiceError(429, limit.message, code="TOO_MANY_REQUESTS")
        incoming = read_request(request)
        resource, key_segment = self._route(relative)
        method = _method_of(incoming, resource, key_segment, request)
        if method not in resource.methods:
            raise bad_request(
                f"{method.wire_name} is not supported by {resource.path}",
                code="METHOD_NOT_SUPPORTED",
            )
        served = Served(self, request, incoming, resource, method, base, version)
        if isinstance(resource, SimpleResource):
            answer = served.simple(resource)
        else:
            answer = served.collection(resource, key_segment)
        volume = self.quotas.volume
        if volume is not None and name == volume.resource and 200 <= answer[0] < 300:
            values = _answered_values(answer[2])
            if self.quotas.admit_volume(application, values, seen.time) is not None:
                raise RestliServiceError(429, volume.message, code="TOO_MANY_REQUESTS")
        return answer

    def _check_auth(self, request: Request) -> tuple[str, str]:
        """Check the bearer token; return the application and member it acts for."""
        value = request.headers.get(H_AUTHORIZATION)
        scheme, _, token = str(value or "").strip().partition(" ")
        token = token.strip()
        bearer = scheme.lower() == "bearer" and bool(token)
        if not self.require_auth:
            return UNKNOWN_APPLICATION, token if bearer else ""
        if not bearer:
            raise RestliServiceError(401, "Empty oauth2 access token", code="EMPTY_ACCESS_TOKEN")
        issued = self.oauth.access_tokens.get(token)
        if issued is None:
            if (self.tokens is not None or self.check_tokens) and token not in (self.tokens or ()):
                # The token itself never appears in the answer.
                raise RestliServiceError(401, "Invalid access token", code="INVALID_ACCESS_TOKEN")
            return UNKNOWN_APPLICATION, token
        if issued.revoked:
            raise RestliServiceError(
                401,
                "The token used in the request has been revoked by the user",
                code="REVOKED_ACCESS_TOKEN",
            )
        if issued.expires_at <= self.oauth.now:
            raise RestliServiceError(
                401, "The token used in the request has expired", code="EXPIRED_ACCESS_TOKEN"
            )
        return issued.client_id, issued.member if issued.member is not None else token

    def _check_version(self, request: Request, base: str) -> str | None:
        value = request.headers.get(H_LINKEDIN_VERSION)
        if value is None:
            if base == "/rest":
                raise bad_request(
                    "A version must be present. Please specify a version by adding the "
                    f"{H_LINKEDIN_VERSION} header.",
                    code="VERSION_MISSING",
                )
            return None
        version = str(value).strip()
        if not _VERSION_FORMAT.fullmatch(version):
            raise bad_request(
                f"{H_LINKEDIN_VERSION} must be YYYYMM or YYYYMM.RR, not {version[:40]!r}",
                code="INVALID_VERSION",
            )
        if version in self.retired_versions:
            raise RestliServiceError(426, f"Requested version {version} is not active")
        return version

    def _route(self, relative: str) -> tuple[Collection | SimpleResource, str | None]:
        if not relative.startswith("/"):
            raise RestliServiceError(404, f"no resource at {relative[:100]!r}")
        if len(relative) > 1 and relative.endswith("/"):
            relative = relative[:-1]
        segments = relative[1:].split("/")
        for segment in segments:
            # A proxy that normalises paths would have sent this elsewhere
            # (/adAccounts/5/adCampaigns/.. is /adAccounts/5): never serve it.
            if is_dot_segment(segment):
                raise bad_request(
                    f"the path holds the dot segment {segment!r}, which path normalisation "
                    f"(RFC 3986 §5.2.4) would resolve to another resource",
                    code="INVALID_PATH",
                )
        for size in range(len(segments), 0, -1):
            name = "/" + "/".join(unescaped_path_segment(s) for s in segments[:size])
            resource = self.resources.get(name)
            if resource is None:
                continue
            rest = segments[size:]
            if not rest:
                return resource, None
            if len(rest) == 1 and isinstance(resource, Collection):
                return resource, rest[0]
            break
        raise RestliServiceError(
            404,
            f"no resource at {relative[:100]!r} (this server has "
            f"{', '.join(sorted(self.resources)) or 'no resources'})",
        )


def _method_of(
    incoming: Incoming,
    resource: Collection | SimpleResource,
    key_segment: str | None,
    request: Request,
) -> RestliMethod:
    """The Rest.li method a request performs (the routing table of ``RestLiRouter``)."""
    verb = incoming.http_method
    params = incoming.params
    action = "action" in params
    finder = "q" in params
    batch_finder = "bq" in params
    batch = "ids" in params
    entity = key_segment is not None
    header = request.headers.get(H_RESTLI_METHOD)
    wanted: RestliMethod | None = None
    if header is not None:
        try:
            wanted = RestliMethod(str(header).strip().lower())
        except ValueError:
            raise bad_request(f"unknown {H_RESTLI_METHOD} {show(header)}") from None
    if verb not in ("GET", "POST", "PUT", "DELETE"):
        raise RestliServiceError(405, f"HTTP method {verb[:20]!r} is not supported")
    if action and verb != "POST":
        raise bad_request(
            "All action methods (specified via 'action' in URI) must be submitted as a POST "
            f"(was {verb})"
        )
    if sum((action, finder, batch_finder, batch)) > 1:
        raise bad_request("a request takes at most one of action=, q=, bq= and ids=")
    if isinstance(resource, SimpleResource):
        if finder or batch_finder or batch:
            raise bad_request(f"{resource.path} is a simple resource: no q=, bq= or ids=")
        inferred = {
            "GET": RestliMethod.GET,
            "PUT": RestliMethod.UPDATE,
            "DELETE": RestliMethod.DELETE,
            "POST": RestliMethod.ACTION if action else RestliMethod.PARTIAL_UPDATE,
        }[verb]
    else:
        inferred = _collection_method(verb, entity, action, finder, batch_finder, batch, wanted)
    if wanted is not None and wanted != inferred:
        raise bad_request(
            f"{verb} operation not supported for URI {incoming.path[:100]!r} with "
            f"{H_RESTLI_METHOD}: {wanted.wire_name!r} (the request has the shape of "
            f"{inferred.wire_name})"
        )
    return inferred


def _collection_method(
    verb: str,
    entity: bool,
    action: bool,
    finder: bool,
    batch_finder: bool,
    batch: bool,
    wanted: RestliMethod | None,
) -> RestliMethod:
    if entity and (finder or batch_finder or batch):
        raise bad_request("q=, bq= and ids= address the collection, not an entity")
    if verb == "GET":
        if entity:
            return RestliMethod.GET
        if batch:
            return RestliMethod.BATCH_GET
        if finder:
            return RestliMethod.FINDER
        if batch_finder:
            return RestliMethod.BATCH_FINDER
        return RestliMethod.GET_ALL
    if verb == "POST":
        if action:
            return RestliMethod.ACTION
        if entity:
            return RestliMethod.PARTIAL_UPDATE
        if batch:
            return RestliMethod.BATCH_PARTIAL_UPDATE
        if finder or batch_finder:
            raise bad_request("finders are invoked with GET")
        # Only the header tells a batch create from a create (PROTOCOL.md §4).
        return (
            RestliMethod.BATCH_CREATE
            if wanted == RestliMethod.BATCH_CREATE
            else RestliMethod.CREATE
        )
    if finder or batch_finder:
        raise bad_request("finders are invoked with GET")
    if verb == "PUT":
        if entity:
            return RestliMethod.UPDATE
        if batch:
            return RestliMethod.BATCH_UPDATE
        raise bad_request("PUT needs an entity key in the path or ids=List(...)")
    if entity:
        return RestliMethod.DELETE
    if batch:
        return RestliMethod.BATCH_DELETE
    raise bad_request("DELETE needs an entity key in the path or ids=List(...)")


# --------------------------------------------------------------------------- answering


@attrs.define
class _Seen:
    """What :meth:`RestliServer.dispatch` learns of a request on its way, for the log."""

    time: float
    monotonic: float
    application: str | None = None
    member: str | None = None


def _resource_name(relative: str) -> str:
    """The resource a path after the base path calls: its first segment, without a key
    (``/adAnalytics`` and ``/adAccounts/5/adCampaigns`` -> ``adAnalytics``, ``adAccounts``)."""
    segment = relative.lstrip("/").split("/", 1)[0]
    return unescaped_path_segment(segment).split("(", 1)[0]


def _is_token_endpoint(request: Request) -> bool:
    return split_url(request.url)[0].split(OAUTH_PREFIX, 1)[-1] == "accessToken"


def _answered_values(body: bytes) -> int:
    """The metric values of a JSON answer: its elements' fields (or the entity's)."""
    try:
        value = json.loads(body)
    except ValueError:
        return 0
    if isinstance(value, dict) and isinstance(value.get("elements"), list):
        return metric_values(value["elements"])
    return metric_values([value])


def _check_seconds(value: object, name: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise RestliUsageError(f"{name} must be whole seconds (an int), not {value!r}")


def _check_name(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise RestliUsageError(f"{name} must be a non-empty str, not {value!r}")
    return value


def _request_id(number: int) -> str:
    # Deterministic but opaque, shaped like LinkedIn's base64 x-li-uuid values.
    digest = hashlib.sha256(f"restli-testing-{number}".encode()).digest()[:16]
    return base64.b64encode(digest).decode("ascii")


def _fault_answer(fault: Fault, request: Request) -> Answer:
    assert fault.status is not None
    headers: Headers = []
    if fault.retry_after is not None:
        value = fault.retry_after
        text = value if isinstance(value, str) else f"{value:g}"
        headers.append((H_RETRY_AFTER, text))
    if fault.body is not None:
        body = fault.body.encode("utf-8") if isinstance(fault.body, str) else fault.body
        headers.append((H_CONTENT_TYPE, fault.content_type))
        return fault.status, headers, body
    message = fault.message
    if message is None:
        if fault.status == 426:
            version = request.headers.get(H_LINKEDIN_VERSION)
            message = (
                f"Requested version {version} is not active"
                if version
                else "The requested version is not active"
            )
        elif fault.status == 429:
            # A short window: retried like any 429. (A DAY limit is not retried;
            # give message= to inject one.)
            message = (
                "Resource level throttle APPLICATION MINUTE limit for calls to this "
                "resource is reached."
            )
        else:
            message = f"injected fault {fault.status}"
    error = RestliServiceError(fault.status, message, code=fault.code, headers=headers)
    return error_answer(error)

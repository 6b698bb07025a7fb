"""Test doubles for code that talks Rest.li 2.0: an in-memory server and mock transports.

:class:`RestliServer` is a Rest.li 2.0 resource server written as a pure function
``Request -> Response``: no sockets, no threads, no sleeping. It decodes queries,
path keys and tunneled requests (form and ``multipart/mixed``), serves the 14
Rest.li methods over in-memory collections, applies projections, and answers with
LinkedIn's envelopes, headers and errors. :class:`MockTransport` and
:class:`AsyncMockTransport` put it (or any ``Request -> Response`` callable) behind
the transport interface, with virtual sleeping so retry tests are instant::

    from restli_core import run_sync
    from restli_core.testing import MockTransport

    transport = MockTransport()
    transport.server.inject(429, times=2, retry_after=1)   # throttle twice
    result = run_sync(flow, transport)
    assert transport.sleeps == [1.0, 1.0]

With pytest, the fixtures ``restli_server``, ``restli_transport`` and
``restli_async_transport`` come from the plugin this package registers.

A server behind a real socket (``restli serve``) calls ``server.dispatch(request)``,
waits ``reply.delay`` seconds (a latency fault), drops the connection when
``reply.disconnect`` is set, and otherwise writes ``reply.response``. (Code that
calls ``server.handle`` gets the delay from ``response_delay(response)``.)

What the server checks
======================

* ``Authorization: Bearer <token>`` (401 ``EMPTY_ACCESS_TOKEN`` without it; with
  ``tokens=`` set or ``check_tokens=True``, 401 ``INVALID_ACCESS_TOKEN`` for tokens
  neither given nor issued; an issued token that expired or was revoked gets 401
  ``EXPIRED_ACCESS_TOKEN`` / ``REVOKED_ACCESS_TOKEN``);
* the quotas set with ``set_daily_limit``/``set_limit``/``set_metric_volume_limit``
  (429, see "Tokens, quotas and the clock" below);
* ``X-RestLi-Protocol-Version: 2.0.0`` (400 without it);
* ``LinkedIn-Version``: ``YYYYMM`` or ``YYYYMM.RR`` (400 otherwise), 426
  ``NONEXISTENT_VERSION`` for a retired one (``retired_versions``; by default
  202001, 202010 and 202101, so the official README's 202212 and 202302, and any
  current version, are served), and required under ``/rest`` (400
  ``VERSION_MISSING``);
* ``X-RestLi-Method``, when sent, must agree with the request's shape (it is needed
  only to tell ``batch_create`` from ``create``).

Every response carries ``X-RestLi-Protocol-Version`` and an ``x-li-uuid`` request
id; errors carry ``X-RestLi-Error-Response: true`` and a body
``{"status", "serviceErrorCode", "code", "message"}`` (+ ``errorDetails``).
Resources live under ``/v2`` and ``/rest`` (any host; a path without either
prefix works too).

The seed data
=============

A fresh server holds the same data every time (ids are 1-based):

``/adAccounts`` (int keys 1..25; create needs ``name`` and ``type``)
    ``{"id", "name": "Ad Account <i>", "status", "type", "reference", "test",
    "currency": "USD"}``. ``status`` cycles ACTIVE, DRAFT, CANCELED, ACTIVE,
    PENDING_DELETION (id 1 is ACTIVE, 2 DRAFT, 3 CANCELED, ...); ``type`` is
    ENTERPRISE for multiples of 5, else BUSINESS; ``reference`` is
    ``urn:li:organization:123`` for odd ids, ``...:456`` for even ones; ``test`` is
    true for multiples of 3.

    * finder ``q=search``: ``search=(status:(values:List(ACTIVE,DRAFT)),
      reference:(values:List(urn%3Ali%3Aorganization%3A123)),test:true)``; fields
      ``status, reference, name, id, type, currency`` take ``(values:List(...))``,
      ``test`` takes true/false; fields AND, values OR; offset paging
      (``start``/``count``, default count 10) with ``total`` and links.
    * actions: ``?action=echo`` answers ``{"value": <the parameters>}``;
      ``?action=ping`` is void (200, empty body); ``?action=countByStatus``
      answers ``{"value": {"ACTIVE": 10, ...}}``.

``/adCampaignGroups`` (int keys 1..60; create needs ``account`` and ``name``)
    ``{"id", "account", "name", "status", "runSchedule": {"start", "end"},
    "totalBudget", "test": false}``; groups 1-12 belong to
    ``urn:li:sponsoredAccount:1``, 13-24 to account 2, ... 49-60 to account 5.
    Finder ``q=search`` (fields ``account, status, name, id``, and ``test``).

``/adCampaigns`` (int keys 1..1200; create needs ``account``, ``campaignGroup``, ``name``)
    ``{"id", "account", "campaignGroup", "name", "status", "type", "costType",
    "dailyBudget", "unitCost", "locale", "test": false}``; campaign ``i`` is in
    group ``(i-1) % 60 + 1``, so each of accounts 1..5 has 240 campaigns.
    ``status`` cycles ACTIVE, PAUSED, DRAFT, ARCHIVED, COMPLETED, CANCELED.

    * finder ``q=search`` (fields ``account, campaignGroup, status, type, name,
      id``, and ``test``) pages by offset (``start``/``count``, with ``total``), or
      by cursor when the request has ``pageSize``: then ``pageToken`` carries the
      previous answer's ``metadata.nextPageToken``, which is absent on the last page
      (and there is no ``total``).
    * batch finder ``bq=search&criteria=List((account:urn%3Ali%3AsponsoredAccount%3A1,
      status:ACTIVE),...)``: one result per criteria, each paged by
      ``start``/``count``; a criteria naming an account that does not exist gives an
      ``isError`` entry (404), one without ``account`` or with unknown fields a 400
      entry.

``/adAccountUsers`` (compound key ``(account:<sponsoredAccount URN>,user:<person URN>)``)
    ``{"account", "user", "role"}``: ``urn:li:person:abc`` (the token's member) on
    all 25 accounts (ACCOUNT_BILLING_ADMIN on 1-5, CAMPAIGN_MANAGER on the rest),
    ``urn:li:person:def`` (VIEWER) on 1-10, ``urn:li:person:ghi``
    (CREATIVE_MANAGER) on 1-3. The path key looks like
    ``/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A1,user:urn%3Ali%3Aperson%3Aabc)``.
    Finders ``q=accounts&accounts=urn%3Ali%3AsponsoredAccount%3A1`` and
    ``q=authenticatedUser``. Create needs ``role`` (and both key fields). As on
    LinkedIn, an UPDATE (PUT) of a key that does not exist yet creates the user
    (201).

``/socialActions`` (URN keys ``urn:li:share:1`` .. ``urn:li:share:10``, no create)
    ``{"target", "likesSummary": {"totalLikes", "likedByCurrentUser"},
    "commentsSummary": {...}}``.

``/fieldsOfStudy`` (int keys 1..20; read only: get, batch_get, get_all)
    ``{"id", "name": {"localized": {"en_US": "Accounting"}, ...}}``.

``/me`` (a simple resource; GET only)
    ``{"id": "abc", "localizedFirstName": "Ada", "localizedLastName": "Lovelace",
    ..., "profilePicture": {"displayImage": "urn:li:digitalmediaAsset:..."}}``.
    Besides ``fields=``, LinkedIn's ``projection=`` syntax is read:
    ``projection=(id,localizedFirstName,profilePicture(displayImage~:playableStreams))``
    answers those fields, the decorated ``displayImage~`` as an object (``paging``
    and ``elements``, one per picture size) beside the URN; see
    :meth:`RestliServer.add_decoration`. ``(elements*(id))`` projects the elements
    of a collection answer.

``/userinfo`` (a simple resource; GET only)
    OpenID Connect's ``{"sub": "abc", "name", "given_name", "family_name",
    "picture", "locale", "email", "email_verified"}``.

``/adAccountsV2`` (int keys 1..25, like ``/adAccounts`` but its own data)
    The unversioned (``/v2``) ad accounts the README creates one in; finder
    ``q=search``.

``/organizationAuthorizations`` (batch finder only)
    ``bq=authorizationActionsAndImpersonator&authorizationActions=List(
    (OrganizationRoleAuthorizationAction:(actionType:ADMINISTRATOR_READ)),...)``
    answers one result per criteria: the member's ``{"organization", "member",
    "action", "status": {"approved": {}} | {"denied": {...}}}`` on organizations 123
    and 456 (ADMINISTRATOR_READ, ADMINISTRATOR_WRITE, ORGANIC_SHARE_DELETE,
    ORGANIC_SHARE_CREATE). LinkedIn's ``(authorizationAction:(...))`` wrapping and
    lowercase union members are read too; ``impersonator=<URN>`` narrows the member;
    a malformed criteria is a 400 ``isError`` entry.

``/campaignConversions`` (compound key ``(campaign:<URN>,conversion:<URN>)``)
    ``{"campaign", "conversion"}`` associations (campaign 123 with conversion 456,
    and a few on campaigns 1 and 2); UPDATE and BATCH_UPDATE create missing ones
    (201), as LinkedIn does.

``/liveAssetActions`` (actions only)
    ``?action=register`` with ``{"registerLiveEventRequest": {"owner", "recipes",
    "region"}}`` answers ``{"value": {"asset", "uploadMechanism": {...ingestUrl},
    ...}}``.

``/posts`` and ``/ugcPosts`` (URN keys, empty at first)
    A create answers 201 with ``X-RestLi-Id: urn:li:share:<n>`` (``/posts``) or
    ``urn:li:ugcPost:<n>`` (``/ugcPosts``), 19-digit ids as LinkedIn's; ``/posts``
    needs ``author``, ``lifecycleState``, ``visibility``, ``distribution``,
    ``/ugcPosts`` ``author``, ``lifecycleState``, ``specificContent``,
    ``visibility``. Finders ``/posts?q=author&author=<URN>`` and
    ``/ugcPosts?q=authors&authors=List(<URN>)``.

``RestliServer(official_examples=True)`` (what ``restli serve`` runs) also holds what
the official README addresses by id: ad accounts 123 (ACTIVE, ``test``) and 456
(CANCELED), campaign groups 123, 456 and 789; and it deletes ads entities
(accounts, campaign groups, campaigns) as LinkedIn does: a DRAFT one is removed, any
other is set to ``PENDING_DELETION`` and stays readable. So the README runs top to
bottom, and again, against one server. A fresh ``RestliServer()`` leaves them out,
so the counts above stay exact.

Keys in answers (``X-RestLi-Id``, batch map keys, batch create ``id``) are written
as Rest.li writes them (``URIParamUtils.encodeKeyForBody``): a simple key as its
raw text (``5``, ``urn:li:share:1``), a compound key in the reduced form
(``(account:urn%3Ali%3AsponsoredAccount%3A1,user:urn%3Ali%3Aperson%3Aabc)``).

Your own resources
==================

::

    widgets = server.add_collection("/widgets", [{"id": 1, "name": "a"}], key="id")
    widgets.add_finder(
        "byName", lambda call: [w for w in widgets if w["name"] == call.params["name"]]
    )
    widgets.add_action("spin", lambda call: {"spun": call.body.get("times", 1)})

or from data, as ``restli serve --resources FILE`` does::

    load_resources(server, {"resources": [
        {"path": "/widgets", "entities": [{"id": 1, "name": "a"}],
         "finders": {"byName": {"params": ["name"]}}},
    ]})

(the schema is in :func:`load_resources`'s docstring).

OAuth
=====

``GET .../oauth/v2/authorization?response_type=code&client_id=...&redirect_uri=...
&scope=...&state=...`` consents at once: a 302 to ``redirect_uri?code=...&state=...``
(a missing ``client_id`` or ``redirect_uri`` is a 400, not a redirect; other errors
come back as ``?error=...&error_description=...&state=...``; PKCE's S256
``code_challenge`` is checked at the exchange).
``POST .../oauth/v2/accessToken`` (``authorization_code``, ``refresh_token`` and
``client_credentials`` grants; a 2-legged token lives 1800 s) and
``POST .../oauth/v2/introspectToken`` (``active``, ``status``, ``auth_type`` "2L" or
"3L", ``expires_at``...) answer as LinkedIn's do, on any host. Codes work once (one
the authorization endpoint issued only for its client and ``redirect_uri``, within
30 minutes); refresh tokens must be ones the server issued;
``RestliServer(oauth_clients={"id": "secret"})`` restricts the clients.
Tokens it issues are accepted by the resources (also when ``tokens=`` is set) until
revoked (``server.revoke(token)``) or expired (move ``server.clock``), then refused
with 401 ``REVOKED_ACCESS_TOKEN`` / ``EXPIRED_ACCESS_TOKEN``.

Tokens, quotas and the clock
============================

All of this is off until asked for, so a plain ``RestliServer()`` accepts any token
and limits nothing.

``server.clock`` (a :class:`ServerClock`: ``now()``, ``set(t)``, ``advance(s)``;
real time by default, ``ServerClock(t, frozen=True)`` stands still) drives token
lifetimes, authorization codes, refresh-token deadlines and quotas. Give a client
under test the same clock (``clock=server.clock.now``) to cross a midnight at once.

``RestliServer(check_tokens=True)`` accepts only the tokens its OAuth endpoints issued
(and those in ``tokens=``, which never expire). ``server.issue_token("app-1",
expires_in=3600, member="member-1")`` and ``server.issue_refresh_token("app-1")``
make them for a test (``member=None``: a 2-legged token); a refresh token has a fixed
deadline that refreshing does not move (``refresh_token_expires_in`` counts down to
it; past it the grant answers ``invalid_grant``). Lifetimes: ``access_token_lifetime``
(60 days), ``two_legged_token_lifetime`` (30 minutes), ``refresh_token_lifetime``
(365 days). ``server.token_calls`` and ``server.token_calls_by_grant`` count the
requests of the token endpoint; ``server.token_delay = 5.0`` makes it answer 5 s late
(a loopback server sleeps in that request's thread only).

``server.set_daily_limit("adAnalytics", calls=500, scope="MEMBER")`` answers
LinkedIn's ``{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS",
"message":"Resource level throttle MEMBER DAY limit for calls to this resource is
reached."}`` (no ``Retry-After``) beyond 500 calls a UTC day per member; scopes
``APPLICATION`` (per client id), ``MEMBER``, ``APPLICATION_AND_MEMBER``; the resource
is the first path segment after the base path. ``set_limit(..., window="MINUTE")``
does the same per SECOND, MINUTE or HOUR. ``server.set_metric_volume_limit()`` adds
``adAnalytics``' data-volume 429 ("More than 45 million metric values were requested
in a 5-minute window"), counting the fields of the elements answered per application.
``server.quota_log("adAnalytics")`` lists the arrivals (:class:`ResourceCall`: server
time, ``time.monotonic()``, status, application, member).

``/adAnalytics`` (finders ``q=analytics`` with ``pivot``, ``q=statistics`` with ``pivots``)
    ``timeGranularity`` (ALL, DAILY, MONTHLY, YEARLY), ``dateRange=(start:(year:2024,
    month:1,day:1),end:(...))`` and facet URNs (``campaigns=List(...)``,
    ``accounts``, ``campaignGroups``, ``creatives``...): one element per URN and
    time bucket, ``{"pivotValues", "dateRange", "impressions", "clicks",
    "costInLocalCurrency", ...}``, the same numbers every time; ``fields=`` selects.

Faults
======

``server.inject(429, times=2, retry_after=1)``, ``server.inject(503)``,
``server.inject(426, version="202401")``, ``server.inject(delay=3.0)``,
``server.inject(disconnect=True)``, each optionally scoped with ``method=`` and
``path=``; ``server.inject(503, times=None, probability=0.1)`` fails one request in
ten, drawn from the seeded ``server.random``; see :class:`Fault`.
``server.requests`` lists every request received.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._clock import ServerClock
    from ._http import RestliServiceError
    from ._loader import load_resources
    from ._oauth import OAuthState
    from ._quotas import CallLimit, ResourceCall, VolumeLimit
    from ._resources import Call, Collection, Page, SimpleResource
    from ._server import DEFAULT_RETIRED_VERSIONS, Fault, Reply, RestliServer, response_delay
    from ._transport import AsyncMockTransport, Exchange, MockTransport

# Loaded on first use, so that importing the pytest plugin (which pytest does for
# every test run of every project that installs this library) costs nothing.
_EXPORTS = {
    "AsyncMockRestliClient": "._clients",
    "AsyncMockTransport": "._transport",
    "Call": "._resources",
    "CallLimit": "._quotas",
    "Collection": "._resources",
    "DEFAULT_RETIRED_VERSIONS": "._server",
    "Exchange": "._transport",
    "Fault": "._server",
    "MockRestliClient": "._clients",
    "MockTransport": "._transport",
    "OAuthState": "._oauth",
    "Page": "._resources",
    "Reply": "._server",
    "ResourceCall": "._quotas",
    "RestliServer": "._server",
    "RestliServiceError": "._http",
    "ServerClock": "._clock",
    "SimpleResource": "._resources",
    "VolumeLimit": "._quotas",
    "load_resources": "._loader",
    "response_delay": "._server",
}

__all__ = [
    "AsyncMockRestliClient",
    "AsyncMockTransport",
    "Call",
    "CallLimit",
    "Collection",
    "DEFAULT_RETIRED_VERSIONS",
    "Exchange",
    "Fault",
    "MockRestliClient",
    "MockTransport",
    "OAuthState",
    "Page",
    "Reply",
    "ResourceCall",
    "RestliServer",
    "RestliServiceError",
    "ServerClock",
    "SimpleResource",
    "VolumeLimit",
    "load_resources",
    "response_delay",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

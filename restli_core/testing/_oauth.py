"""LinkedIn's OAuth 2.0 endpoints, in memory (PROTOCOL.md §7).

``GET .../oauth/v2/authorization`` (the member's consent, given at once: a 302 to
``redirect_uri?code=...&state=...``), ``POST .../oauth/v2/accessToken`` (grant types
``authorization_code``, ``refresh_token``, ``client_credentials``) and
``POST .../oauth/v2/introspectToken``, form-encoded, answering LinkedIn's JSON and its
``{"error", "error_description"}`` errors. These are plain OAuth endpoints, not
Rest.li: no protocol header is needed. Time comes from a
:class:`~restli_core.testing.ServerClock` (the server's), so a test moves token
expiries, code lifetimes and refresh-token deadlines by moving that clock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import attrs

from .._errors import RestliUsageError
from .._messages import Request
from .._wire import CT_FORM, CT_JSON, H_CONTENT_TYPE
from ._clock import ServerClock
from ._http import dump_json, parse_content_type, split_url

__all__ = ["OAUTH_PREFIX", "OAuthState", "oauth_answer"]

OAUTH_PREFIX = "/oauth/v2/"
ACCESS_TOKEN_TTL = 5_184_000  # 60 days, as LinkedIn issues 3-legged tokens
REFRESH_TOKEN_TTL = 31_536_000  # 365 days
TWO_LEGGED_TTL = 1_800  # 30 minutes
CODE_TTL = 1_800  # LinkedIn's authorization codes live 30 minutes
DEFAULT_SCOPE = "r_liteprofile,r_emailaddress,r_ads,rw_ads"
DEFAULT_MEMBER = "member-1"  # the member of tokens issued without naming one
MAX_PENDING_CODES = 10_000  # a long-running server forgets the oldest unexchanged ones
_ENDPOINTS = ("authorization", "accessToken", "introspectToken")
_INVALID_GRANT = "The provided authorization grant or refresh token is invalid, expired or revoked."
_Answer = tuple[int, list[tuple[str, str]], bytes]


@attrs.define
class _Token:
    """An access token the server issued, and what it stands for."""

    client_id: str
    created_at: int
    expires_at: int
    scope: str
    auth_type: str
    revoked: bool = False
    member: str | None = None  # the member of a 3-legged token; None for 2-legged


@attrs.define
class _Refresh:
    """A refresh token the server issued: its client, member and fixed deadline."""

    client_id: str
    expires_at: int
    member: str | None = None
    scope: str | None = None
    revoked: bool = False


@attrs.define
class _Code:
    """An authorization code the authorization endpoint issued, and what it binds."""

    client_id: str
    redirect_uri: str
    scope: str
    expires_at: int
    challenge: str | None = None


class OAuthState:
    """What the token endpoints remember, and the clock they read.

    Args:
        clients: ``client_id -> client_secret`` accepted; ``None`` accepts any
            non-empty pair.
        scope: the scopes granted to 3-legged tokens (comma-separated).
        now: the time to start at, epoch seconds: without ``clock``, a clock of
            its own frozen there; with ``clock``, that clock is set to it.
        clock: the :class:`ServerClock` to read (a :class:`RestliServer` shares
            its own); default: a new one following real time.
        access_token_lifetime: seconds a 3-legged access token lives (LinkedIn:
            60 days).
        two_legged_lifetime: seconds a 2-legged token lives (LinkedIn: 30 minutes).
        refresh_token_lifetime: seconds from a member's consent to the refresh
            token's deadline (LinkedIn: 365 days); refreshing never moves it.
        member: the member the tokens of an authorization-code exchange belong to.
        token_seed: what the tokens and codes issued are derived from; default:
            random, so that no two servers issue the same token (a store shared by
            the tests of a session never mistakes one server's token for another's).

    Attributes:
        now: the current time in whole epoch seconds, read from :attr:`clock`;
            assigning to it moves the clock (``state.now += 3600``).
        access_tokens: every access token issued (its details by token).
        refresh_tokens: every refresh token issued: its client, member, deadline.
        used_codes: authorization codes already exchanged (each works once).
        codes: authorization codes issued by ``GET .../authorization`` and not yet
            exchanged. Such a code is bound to its client, ``redirect_uri``, scope
            and PKCE challenge, and expires after 30 minutes. A code the server did
            not issue is still accepted once (a test may make one up).
        token_calls: requests the token endpoint (``.../accessToken``) received.
        token_calls_by_grant: the same, per ``grant_type`` (``""`` when the
            request named none, or could not be read).
    """

    def __init__(
        self,
        clients: dict[str, str] | None = None,
        scope: str = DEFAULT_SCOPE,
        now: int | None = None,
        *,
        clock: ServerClock | None = None,
        access_token_lifetime: int = ACCESS_TOKEN_TTL,
        two_legged_lifetime: int = TWO_LEGGED_TTL,
        refresh_token_lifetime: int = REFRESH_TOKEN_TTL,
        member: str = DEFAULT_MEMBER,
        token_seed: str | None = None,
    ) -> None:
        self.clients = clients
        self._seed = secrets.token_hex(8) if token_seed is None else token_seed
        self.scope = scope
        if clock is None:
            clock = ServerClock(now, frozen=True) if now is not None else ServerClock()
        elif now is not None:
            clock.set(now)
        self.clock = clock
        self.access_token_lifetime = _lifetime(access_token_lifetime, "access_token_lifetime")
        self.two_legged_lifetime = _lifetime(two_legged_lifetime, "two_legged_lifetime")
        self.refresh_token_lifetime = _lifetime(refresh_token_lifetime, "refresh_token_lifetime")
        self.member = member
        self.access_tokens: dict[str, _Token] = {}
        self.refresh_tokens: dict[str, _Refresh] = {}
        self.used_codes: set[str] = set()
        self.codes: dict[str, _Code] = {}
        self.issued = 0
        self.token_calls = 0
        self.token_calls_by_grant: dict[str, int] = {}

    def __repr__(self) -> str:
        return (
            f"OAuthState({len(self.access_tokens)} access tokens, "
            f"{len(self.refresh_tokens)} refresh tokens, {self.token_calls} token calls)"
        )

    @property
    def now(self) -> int:
        """The current time, whole epoch seconds (assigning to it moves the clock)."""
        return int(self.clock.now())

    @now.setter
    def now(self, value: int) -> None:
        # An offset from what was read keeps the clock's fraction of a second.
        self.clock.advance(value - self.now)

    def new_token(self, kind: str) -> str:
        self.issued += 1
        digest = hashlib.sha256(f"{self._seed}-{kind}-{self.issued}".encode()).digest()
        return "AQ" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def issue_access_token(
        self,
        client_id: str,
        *,
        member: str | None,
        expires_in: int | None = None,
        scope: str | None = None,
    ) -> str:
        """Register and return a new access token (3-legged with a member, else 2-legged)."""
        three_legged = member is not None
        if expires_in is None:
            expires_in = self.access_token_lifetime if three_legged else self.two_legged_lifetime
        token = self.new_token("3l" if three_legged else "2l")
        now = self.now
        self.access_tokens[token] = _Token(
            client_id,
            now,
            now + expires_in,
            (self.scope if scope is None else scope) if three_legged else "",
            "3L" if three_legged else "2L",
            member=member,
        )
        return token

    def issue_refresh_token(
        self,
        client_id: str,
        *,
        member: str | None,
        expires_in: int | None = None,
        scope: str | None = None,
    ) -> str:
        """Register and return a new refresh token whose deadline is ``expires_in`` away."""
        lifetime = self.refresh_token_lifetime if expires_in is None else expires_in
        token = self.new_token("refresh")
        self.refresh_tokens[token] = _Refresh(client_id, self.now + lifetime, member, scope)
        return token

    def revoke(self, token: str) -> bool:
        """Mark an issued access or refresh token revoked; ``False`` if it is unknown.

        A revoked access token is refused by the resources (401
        ``REVOKED_ACCESS_TOKEN``) and introspects as ``revoked``; a revoked refresh
        token is refused by the refresh grant (400 ``invalid_grant``).
        """
        if token in self.access_tokens:
            self.access_tokens[token].revoked = True
            return True
        if token in self.refresh_tokens:
            self.refresh_tokens[token].revoked = True
            return True
        return False

    def count_token_call(self, grant: str) -> None:
        """Count one request to the token endpoint."""
        self.token_calls += 1
        self.token_calls_by_grant[grant] = self.token_calls_by_grant.get(grant, 0) + 1


def _lifetime(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RestliUsageError(f"{name} must be a whole number of seconds >= 1, not {value!r}")
    return value


def _oauth_error(status: int, error: str, description: str) -> _Answer:
    body = {"error": error, "error_description": description}
    return status, [(H_CONTENT_TYPE, CT_JSON)], dump_json(body)


def _ok(value: Mapping[str, Any]) -> _Answer:
    return 200, [(H_CONTENT_TYPE, CT_JSON)], dump_json(dict(value))


def oauth_answer(state: OAuthState, request: Request, endpoint: str) -> tuple[_Answer, str | None]:
    """Answer an OAuth endpoint request; also return the access token issued, if any.

    Every request to ``accessToken`` is counted (:attr:`OAuthState.token_calls`),
    whatever its answer.
    """
    if endpoint == "accessToken":
        state.count_token_call(_grant_of(request))
    if endpoint not in _ENDPOINTS:
        return _oauth_error(404, "not_found", f"no OAuth endpoint {endpoint[:40]!r}"), None
    if endpoint == "authorization":
        return _authorize(state, request), None
    if request.method.upper() != "POST":
        return _oauth_error(405, "invalid_request", f"{endpoint} takes POST"), None
    if parse_content_type(request.headers.get(H_CONTENT_TYPE))[0] != CT_FORM:
        return _oauth_error(400, "invalid_request", f"the body must be {CT_FORM}"), None
    try:
        text = (request.body or b"").decode("utf-8")
        form = dict(parse_qsl(text, keep_blank_values=True, errors="strict"))
    except (UnicodeDecodeError, ValueError):
        return _oauth_error(400, "invalid_request", "the form body cannot be decoded"), None
    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    if not client_id or not secret:
        missing = "client_id" if not client_id else "client_secret"
        return _oauth_error(
            400, "invalid_request", f'A required parameter "{missing}" is missing'
        ), None
    if state.clients is not None and state.clients.get(client_id) != secret:
        # Never echo the secret back.
        return _oauth_error(401, "invalid_client", "Client authentication failed"), None
    if endpoint == "introspectToken":
        return _introspect(state, form), None
    return _access_token(state, form, client_id)


def _grant_of(request: Request) -> str:
    """The ``grant_type`` a token request names (``""`` when it names none, or is unreadable)."""
    try:
        form = dict(parse_qsl((request.body or b"").decode("utf-8"), errors="strict"))
    except (UnicodeDecodeError, ValueError):
        return ""
    return form.get("grant_type", "")[:40]


def _missing(form: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        if not form.get(name):
            return name
    return None


def _authorize(state: OAuthState, request: Request) -> _Answer:
    """``GET .../authorization``: the member consents at once; 302 back with a code.

    As RFC 6749 §4.1.2.1 says, a request whose ``client_id`` or ``redirect_uri`` is
    missing or invalid is not redirected (a 400 here); other errors are sent to the
    redirect URI as ``?error=...&error_description=...&state=...``.
    """
    if request.method.upper() not in ("GET", "HEAD"):
        return _oauth_error(405, "invalid_request", "authorization takes GET")
    try:
        query = dict(parse_qsl(split_url(request.url)[1], keep_blank_values=True, errors="strict"))
    except (UnicodeDecodeError, ValueError):
        return _oauth_error(400, "invalid_request", "the query cannot be decoded")
    client_id, redirect_uri = query.get("client_id", ""), query.get("redirect_uri", "")
    if not client_id:
        return _oauth_error(400, "invalid_request", 'A required parameter "client_id" is missing')
    if state.clients is not None and client_id not in state.clients:
        return _oauth_error(400, "invalid_client", "The client_id is not a known application")
    if not redirect_uri:
        return _oauth_error(
            400, "invalid_request", 'A required parameter "redirect_uri" is missing'
        )
    target = urlsplit(redirect_uri)
    if target.scheme not in ("http", "https") or not target.netloc or target.fragment:
        return _oauth_error(
            400, "invalid_request", "redirect_uri must be an absolute http(s) URL without fragment"
        )
    back: dict[str, str] = {}
    response_type = query.get("response_type", "")
    scopes = [s for s in query.get("scope", "").replace(",", " ").split() if s]
    challenge = query.get("code_challenge") or None
    if response_type != "code":
        back["error"] = "unsupported_response_type" if response_type else "invalid_request"
        back["error_description"] = (
            f"response_type {response_type[:40]!r} is not supported (use code)"
            if response_type
            else 'A required parameter "response_type" is missing'
        )
    elif not scopes:
        back["error"] = "invalid_scope"
        back["error_description"] = 'A required parameter "scope" is missing'
    elif challenge is not None and query.get("code_challenge_method") != "S256":
        back["error"] = "invalid_request"
        back["error_description"] = "code_challenge_method must be S256"
    else:
        code = state.new_token("code")
        if len(state.codes) >= MAX_PENDING_CODES:
            del state.codes[next(iter(state.codes))]
        state.codes[code] = _Code(
            client_id, redirect_uri, ",".join(scopes), state.now + CODE_TTL, challenge
        )
        back["code"] = code
    if "state" in query:
        back["state"] = query["state"]
    location = f"{redirect_uri}{'&' if target.query else '?'}{urlencode(back)}"
    headers = [("Location", location), (H_CONTENT_TYPE, "text/html; charset=utf-8")]
    return 302, headers, b"<html><body>Redirecting to the application.</body></html>"


def _code_problem(state: OAuthState, form: Mapping[str, str], client_id: str) -> str | None:
    """Why an authorization code cannot be exchanged, or ``None`` when it can.

    The code is used up either way (RFC 6749 §4.1.2: a code is single-use).
    """
    code = form["code"]
    if code in state.used_codes:
        return "used already"
    state.used_codes.add(code)
    issued = state.codes.pop(code, None)
    if issued is None:
        return None  # a code the server did not issue: accepted once
    if issued.client_id != client_id or issued.redirect_uri != form["redirect_uri"]:
        return "issued to another client_id or redirect_uri"
    if issued.expires_at <= state.now:
        return "expired"
    if issued.challenge is not None:
        verifier = form.get("code_verifier", "").encode("ascii", "replace")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if not hmac.compare_digest(digest, issued.challenge.encode("ascii", "replace")):
            return "issued for another code_verifier (PKCE)"
    return None


def _access_token(
    state: OAuthState, form: Mapping[str, str], client_id: str
) -> tuple[_Answer, str | None]:
    grant = form.get("grant_type", "")
    if grant == "authorization_code":
        missing = _missing(form, "code", "redirect_uri")
        if missing:
            return _oauth_error(
                400, "invalid_request", f'A required parameter "{missing}" is missing'
            ), None
        issued = state.codes.get(form["code"])
        problem = _code_problem(state, form, client_id)
        if problem is not None:
            return _oauth_error(
                400, "invalid_grant", f"{_INVALID_GRANT} (the code was {problem})"
            ), None
        scope = issued.scope if issued is not None else state.scope
        refresh_token = state.issue_refresh_token(client_id, member=state.member, scope=scope)
        return _three_legged(state, client_id, refresh_token, state.refresh_tokens[refresh_token])
    if grant == "refresh_token":
        missing = _missing(form, "refresh_token")
        if missing:
            return _oauth_error(
                400, "invalid_request", f'A required parameter "{missing}" is missing'
            ), None
        refresh = state.refresh_tokens.get(form["refresh_token"])
        if (
            refresh is None
            or refresh.client_id != client_id
            or refresh.revoked
            or refresh.expires_at <= state.now
        ):
            return _oauth_error(400, "invalid_grant", _INVALID_GRANT), None
        return _three_legged(state, client_id, form["refresh_token"], refresh, with_scope=False)
    if grant == "client_credentials":
        token = state.issue_access_token(client_id, member=None)
        return _ok({"access_token": token, "expires_in": state.two_legged_lifetime}), token
    if not grant:
        return _oauth_error(
            400, "invalid_request", 'A required parameter "grant_type" is missing'
        ), None
    return _oauth_error(
        400, "unsupported_grant_type", f"grant_type {grant[:40]!r} is not supported"
    ), None


def _three_legged(
    state: OAuthState,
    client_id: str,
    refresh_token: str,
    refresh: _Refresh,
    *,
    with_scope: bool = True,
) -> tuple[_Answer, str | None]:
    """A 3-legged answer: a new access token, and the refresh token with the time left
    to its fixed deadline (refreshing never moves it)."""
    granted = refresh.scope if refresh.scope is not None else state.scope
    member = refresh.member if refresh.member is not None else state.member
    token = state.issue_access_token(client_id, member=member, scope=granted)
    body: dict[str, Any] = {
        "access_token": token,
        "expires_in": state.access_token_lifetime,
        "refresh_token": refresh_token,
        "refresh_token_expires_in": max(refresh.expires_at - state.now, 0),
    }
    if with_scope:
        body["scope"] = granted
    return _ok(body), token


def _introspect(state: OAuthState, form: Mapping[str, str]) -> _Answer:
    token = form.get("token", "")
    if not token:
        return _oauth_error(400, "invalid_request", 'A required parameter "token" is missing')
    info = state.access_tokens.get(token)
    if info is None:
        return _ok({"active": False})
    if info.revoked:
        status = "revoked"
    elif info.expires_at <= state.now:
        status = "expired"
    else:
        status = "active"
    body: dict[str, Any] = {
        "active": status == "active",
        "client_id": info.client_id,
        "authorized_at": info.created_at,
        "created_at": info.created_at,
        "status": status,
        "expires_at": info.expires_at,
        "auth_type": info.auth_type,
    }
    if info.scope:
        body["scope"] = info.scope
    return _ok(body)

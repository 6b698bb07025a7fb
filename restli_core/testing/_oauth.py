"""LinkedIn's OAuth 2.0 token endpoints, in memory (PROTOCOL.md §7).

``POST .../oauth/v2/accessToken`` (grant types ``authorization_code``,
``refresh_token``, ``client_credentials``) and ``POST .../oauth/v2/introspectToken``,
form-encoded, answering LinkedIn's JSON and its ``{"error", "error_description"}``
errors. These are plain OAuth endpoints, not Rest.li: no protocol header is needed.
Time is a fixed, settable number (:attr:`OAuthState.now`) so answers are reproducible.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import attrs

from .._messages import Request
from .._wire import CT_FORM, CT_JSON, H_CONTENT_TYPE
from ._http import dump_json, parse_content_type

__all__ = ["OAUTH_PREFIX", "OAuthState", "oauth_answer"]

OAUTH_PREFIX = "/oauth/v2/"
ACCESS_TOKEN_TTL = 5_184_000  # 60 days, as LinkedIn issues 3-legged tokens
REFRESH_TOKEN_TTL = 31_536_000  # 365 days
TWO_LEGGED_TTL = 1_800  # 30 minutes
_Answer = tuple[int, list[tuple[str, str]], bytes]


@attrs.define
class _Token:
    client_id: str
    created_at: int
    expires_at: int
    scope: str
    auth_type: str
    revoked: bool = False


@attrs.define
class OAuthState:
    """What the token endpoints remember.

    Attributes:
        clients: ``client_id -> client_secret`` accepted; ``None`` accepts any
            non-empty pair.
        scope: the scopes granted to 3-legged tokens (comma-separated).
        now: the current time, in epoch seconds.
        access_tokens: every access token issued (its details by token).
        refresh_tokens: refresh token -> the client it was issued to.
        used_codes: authorization codes already exchanged (each works once).
    """

    clients: dict[str, str] | None = None
    scope: str = "r_liteprofile,r_emailaddress,r_ads,rw_ads"
    now: int = 1_700_000_000
    access_tokens: dict[str, _Token] = attrs.Factory(dict)
    refresh_tokens: dict[str, str] = attrs.Factory(dict)
    used_codes: set[str] = attrs.Factory(set)
    issued: int = 0

    def new_token(self, kind: str) -> str:
        self.issued += 1
        digest = hashlib.sha256(f"{kind}-{self.issued}".encode()).digest()
        return "AQ" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def revoke(self, token: str) -> None:
        """Mark an issued access token revoked (introspection then says so)."""
        if token in self.access_tokens:
            self.access_tokens[token].revoked = True


def _oauth_error(status: int, error: str, description: str) -> _Answer:
    body = {"error": error, "error_description": description}
    return status, [(H_CONTENT_TYPE, CT_JSON)], dump_json(body)


def _ok(value: Mapping[str, Any]) -> _Answer:
    return 200, [(H_CONTENT_TYPE, CT_JSON)], dump_json(dict(value))


def oauth_answer(state: OAuthState, request: Request, endpoint: str) -> tuple[_Answer, str | None]:
    """Answer a token-endpoint request; also return the access token issued, if any."""
    if endpoint not in ("accessToken", "introspectToken"):
        return _oauth_error(404, "not_found", f"no OAuth endpoint {endpoint[:40]!r}"), None
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


def _missing(form: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        if not form.get(name):
            return name
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
        if form["code"] in state.used_codes:
            return _oauth_error(
                400,
                "invalid_grant",
                "The provided authorization grant or refresh token is invalid, expired or revoked.",
            ), None
        state.used_codes.add(form["code"])
        return _three_legged(state, client_id, refresh=state.new_token("refresh"))
    if grant == "refresh_token":
        missing = _missing(form, "refresh_token")
        if missing:
            return _oauth_error(
                400, "invalid_request", f'A required parameter "{missing}" is missing'
            ), None
        if state.refresh_tokens.get(form["refresh_token"]) != client_id:
            return _oauth_error(
                400,
                "invalid_grant",
                "The provided authorization grant or refresh token is invalid, expired or revoked.",
            ), None
        return _three_legged(state, client_id, refresh=form["refresh_token"], with_scope=False)
    if grant == "client_credentials":
        token = state.new_token("2l")
        state.access_tokens[token] = _Token(
            client_id, state.now, state.now + TWO_LEGGED_TTL, "", "2L"
        )
        return _ok({"access_token": token, "expires_in": TWO_LEGGED_TTL}), token
    if not grant:
        return _oauth_error(
            400, "invalid_request", 'A required parameter "grant_type" is missing'
        ), None
    return _oauth_error(
        400, "unsupported_grant_type", f"grant_type {grant[:40]!r} is not supported"
    ), None


def _three_legged(
    state: OAuthState, client_id: str, *, refresh: str, with_scope: bool = True
) -> tuple[_Answer, str | None]:
    token = state.new_token("3l")
    state.access_tokens[token] = _Token(
        client_id, state.now, state.now + ACCESS_TOKEN_TTL, state.scope, "3L"
    )
    state.refresh_tokens[refresh] = client_id
    body: dict[str, Any] = {
        "access_token": token,
        "expires_in": ACCESS_TOKEN_TTL,
        "refresh_token": refresh,
        "refresh_token_expires_in": REFRESH_TOKEN_TTL,
    }
    if with_scope:
        body["scope"] = state.scope
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

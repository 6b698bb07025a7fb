"""OAuth 2.0 for LinkedIn, sans I/O (PROTOCOL.md §7).

:class:`AuthRequestBuilder` builds the authorization URL and the :class:`Request`
for each of the official ``AuthClient``'s token calls; the ``parse_*`` functions
turn the answers into the official client's typed responses. Nothing here sends.

* ``GET {base}/authorization?response_type=code&client_id&redirect_uri&scope&state``:
  every value percent-encoded (RFC 3986; the official client left ``state`` raw),
  scopes joined by one space (``%20``). PKCE (RFC 7636) adds ``code_challenge`` and
  ``code_challenge_method=S256``.
* ``POST {base}/accessToken`` and ``POST {base}/introspectToken``, bodies
  ``application/x-www-form-urlencoded`` (RFC 6749 §4.1.3, §6, §4.4; RFC 7662).

Bad arguments (an empty ``client_id``, no scopes, a value holding CR or LF, a
missing ``client_secret`` or ``redirect_url``, a base URL that is not ``https://``)
raise :class:`RestliUsageError` (a ``ValueError``) before anything is built; an
error from the server raises :class:`AuthError`. Neither message ever contains a
secret or a token, and the reprs of the builder and of token responses mask them.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote, urlencode

import attrs

from . import _urls
from ._errors import (
    AuthError,
    ResponseDecodeError,
    RestliUsageError,
    describe_body,
    parse_json_body,
    redact_url,
    request_secrets,
    scrub,
    without_secrets,
)
from ._messages import Headers, Request, Response
from ._responses import _Official, library_response
from ._wire import CT_FORM, CT_JSON, H_ACCEPT, H_CONTENT_TYPE

__all__ = [
    "AccessToken2LResponse",
    "AccessToken3LResponse",
    "AuthRequestBuilder",
    "BaseAuthResponse",
    "IntrospectTokenResponse",
    "PkcePair",
    "RefreshTokenExchangeResponse",
    "generate_pkce_pair",
    "generate_state",
    "parse_access_token_2l",
    "parse_access_token_3l",
    "parse_introspect_token",
    "parse_refresh_token_exchange",
]

_LINE_BREAK = re.compile(r"[\r\n\x00]")
# RFC 7636 §4.1: code_verifier = 43*128unreserved; §4.2: S256 challenge is
# BASE64URL(SHA256(verifier)) without padding, always 43 characters.
_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
_SCOPE = re.compile(r"[^\s]+")


def _text(name: str, value: Any, *, secret: bool = False) -> str:
    """Check a text argument; messages name it but never show a secret's value."""
    if not isinstance(value, str):
        raise RestliUsageError(f"{name} must be a str, not {type(value).__name__}")
    if not value:
        raise RestliUsageError(f"{name} must not be empty")
    if _LINE_BREAK.search(value):
        shown = "" if secret else f" ({value[:40]!r})"
        raise RestliUsageError(f"{name} must not contain CR, LF or NUL{shown}")
    return value


# --------------------------------------------------------------------------- PKCE


@attrs.frozen(repr=False)
class PkcePair:
    """A PKCE (RFC 7636) verifier and its S256 challenge.

    Send ``challenge`` in the authorization URL and keep ``verifier`` (secret) for
    the code exchange. ``repr`` hides the verifier.
    """

    verifier: str
    challenge: str

    def __repr__(self) -> str:
        return f"PkcePair(verifier='***', challenge={self.challenge!r})"


def generate_pkce_pair(verifier: str | None = None) -> PkcePair:
    """Make a PKCE pair: a random verifier (or the one given) and its S256 challenge.

    Args:
        verifier: use this verifier instead of a random one (43 to 128 characters
            from ``A-Z a-z 0-9 - . _ ~``, RFC 7636 §4.1).

    Returns:
        The :class:`PkcePair`.

    Raises:
        RestliUsageError: the verifier given is not a valid RFC 7636 verifier.
    """
    if verifier is None:
        # 48 random bytes -> 64 base64url characters (all unreserved): 384 bits,
        # well above the 256 bits RFC 7636 §7.1 recommends.
        verifier = secrets.token_urlsafe(48)
    _check_verifier(verifier)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return PkcePair(verifier, challenge)


def _check_verifier(verifier: Any) -> None:
    if not isinstance(verifier, str) or not _VERIFIER.fullmatch(verifier):
        raise RestliUsageError(
            "code_verifier must be 43 to 128 characters from A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)"
        )


def generate_state() -> str:
    """A random, URL-safe ``state`` value for the authorization URL (CSRF defence)."""
    return secrets.token_urlsafe(32)


# --------------------------------------------------------------------------- builder


class AuthRequestBuilder:
    """Builds LinkedIn OAuth 2.0 requests (the official ``AuthClient``'s calls).

    Args:
        client_id: the application's client id.
        client_secret: the application's client secret; needed for every token
            call except a PKCE code exchange.
        redirect_url: the redirect URL registered for the application; needed for
            the authorization URL and the code exchange (3-legged OAuth).
        oauth_base_url: where the OAuth endpoints live (``https://``; ``http://``
            only for loopback hosts). Default ``<api root>/oauth/v2``, else
            ``https://www.linkedin.com/oauth/v2``.
        api_root: the API root (default: the ``RESTLI_API_ROOT`` environment
            variable, read now); ``oauth_base_url`` wins over it.

    Raises:
        RestliUsageError: for an empty or malformed argument.
    """

    __slots__ = ("_client_id", "_client_secret", "_oauth_base_url", "_redirect_url")

    def __init__(
        self,
        client_id: str,
        client_secret: str | None = None,
        redirect_url: str | None = None,
        oauth_base_url: str | None = None,
        *,
        api_root: str | None = None,
    ) -> None:
        self._client_id = _text("client_id", client_id)
        self._client_secret = (
            None if client_secret is None else _text("client_secret", client_secret, secret=True)
        )
        self._redirect_url = None if redirect_url is None else _text("redirect_url", redirect_url)
        self._oauth_base_url = _urls.oauth_base_url(oauth_base_url, api_root)

    @property
    def client_id(self) -> str:
        """The application's client id."""
        return self._client_id

    @property
    def client_secret(self) -> str | None:
        """The application's client secret (never shown in ``repr``)."""
        return self._client_secret

    @property
    def redirect_url(self) -> str | None:
        """The registered redirect URL, if given."""
        return self._redirect_url

    @property
    def oauth_base_url(self) -> str:
        """The OAuth endpoints' base URL."""
        return self._oauth_base_url

    def __repr__(self) -> str:
        secret = "None" if self._client_secret is None else "'***'"
        return (
            f"AuthRequestBuilder(client_id={self._client_id!r}, client_secret={secret}, "
            f"redirect_url={self._redirect_url!r}, oauth_base_url={self._oauth_base_url!r})"
        )

    # ------------------------------------------------------------------ 3-legged

    def generate_member_auth_url(
        self,
        scopes: Sequence[str],
        state: str | None = None,
        *,
        code_challenge: str | None = None,
    ) -> str:
        """The URL to send a member to for consent (authorization code flow).

        Args:
            scopes: the OAuth scopes to request (e.g. ``["r_liteprofile", "rw_ads"]``).
            state: an opaque value echoed back to the redirect URL, to check against
                CSRF (see :func:`generate_state`).
            code_challenge: a PKCE S256 challenge (:func:`generate_pkce_pair`).

        Returns:
            The authorization URL, every value percent-encoded.

        Raises:
            RestliUsageError: no redirect URL, no scopes, a scope with whitespace,
                a value with CR/LF, or a malformed challenge.
        """
        redirect = self._need_redirect("generate_member_auth_url")
        if isinstance(scopes, str) or not isinstance(scopes, Sequence):
            raise RestliUsageError(
                f"scopes must be a list of scope names, not {type(scopes).__name__}"
            )
        if not scopes:
            raise RestliUsageError("at least one scope must be requested")
        for scope in scopes:
            _text("scope", scope)
            if not _SCOPE.fullmatch(scope):
                raise RestliUsageError(f"scope {scope[:40]!r} must not contain whitespace")
        pairs = [
            ("response_type", "code"),
            ("client_id", self._client_id),
            ("redirect_uri", redirect),
            ("scope", " ".join(scopes)),
        ]
        if state is not None:
            pairs.append(("state", _text("state", state)))
        if code_challenge is not None:
            if not isinstance(code_challenge, str) or not _CHALLENGE.fullmatch(code_challenge):
                raise RestliUsageError(
                    "code_challenge must be an S256 challenge: 43 base64url characters "
                    "(use generate_pkce_pair())"
                )
            pairs += [("code_challenge", code_challenge), ("code_challenge_method", "S256")]
        # quote with safe="" (urlencode's default): '/', ':' and ' ' become %2F %3A %20.
        return f"{self._oauth_base_url}/authorization?{urlencode(pairs, quote_via=quote)}"

    def exchange_auth_code_for_access_token(
        self, code: str, *, code_verifier: str | None = None
    ) -> Request:
        """The request exchanging an authorization code for a 3-legged token.

        Args:
            code: the ``code`` LinkedIn put on the redirect URL.
            code_verifier: the PKCE verifier whose challenge was in the
                authorization URL; with it the client secret may be omitted.

        Returns:
            A form-encoded ``POST /accessToken`` :class:`Request`; parse its answer
            with :func:`parse_access_token_3l`.

        Raises:
            RestliUsageError: no redirect URL, an empty or malformed code or
                verifier, or neither a client secret nor a verifier.
        """
        redirect = self._need_redirect("exchange_auth_code_for_access_token")
        pairs = [
            ("grant_type", "authorization_code"),
            ("code", _text("code", code, secret=True)),
            ("client_id", self._client_id),
        ]
        if self._client_secret is not None:
            pairs.append(("client_secret", self._client_secret))
        elif code_verifier is None:
            raise RestliUsageError(
                "exchanging a code needs the client_secret, or a code_verifier (PKCE)"
            )
        pairs.append(("redirect_uri", redirect))
        if code_verifier is not None:
            _check_verifier(code_verifier)
            pairs.append(("code_verifier", code_verifier))
        return self._form_post("accessToken", pairs)

    def exchange_refresh_token_for_access_token(self, refresh_token: str) -> Request:
        """The request exchanging a refresh token for a new 3-legged token.

        Returns:
            A form-encoded ``POST /accessToken`` :class:`Request`; parse its answer
            with :func:`parse_refresh_token_exchange`.

        Raises:
            RestliUsageError: an empty or malformed token, or no client secret.
        """
        pairs = [
            ("grant_type", "refresh_token"),
            ("refresh_token", _text("refresh_token", refresh_token, secret=True)),
            ("client_id", self._client_id),
            ("client_secret", self._need_secret("exchange_refresh_token_for_access_token")),
        ]
        return self._form_post("accessToken", pairs)

    # ------------------------------------------------------------------ 2-legged

    def get_two_legged_access_token(self) -> Request:
        """The request for a 2-legged token (client credentials flow).

        Returns:
            A form-encoded ``POST /accessToken`` :class:`Request`; parse its answer
            with :func:`parse_access_token_2l`.

        Raises:
            RestliUsageError: no client secret.
        """
        pairs = [
            ("grant_type", "client_credentials"),
            ("client_id", self._client_id),
            ("client_secret", self._need_secret("get_two_legged_access_token")),
        ]
        return self._form_post("accessToken", pairs)

    def introspect_access_token(self, access_token: str) -> Request:
        """The request introspecting a 2-legged, 3-legged or enterprise token.

        Returns:
            A form-encoded ``POST /introspectToken`` :class:`Request`; parse its
            answer with :func:`parse_introspect_token`.

        Raises:
            RestliUsageError: an empty or malformed token, or no client secret.
        """
        pairs = [
            ("token", _text("access_token", access_token, secret=True)),
            ("client_id", self._client_id),
            ("client_secret", self._need_secret("introspect_access_token")),
        ]
        return self._form_post("introspectToken", pairs)

    # ------------------------------------------------------------------ helpers

    def _need_redirect(self, call: str) -> str:
        if self._redirect_url is None:
            raise RestliUsageError(f"{call} needs the redirect_url given to AuthRequestBuilder")
        return self._redirect_url

    def _need_secret(self, call: str) -> str:
        if self._client_secret is None:
            raise RestliUsageError(f"{call} needs the client_secret given to AuthRequestBuilder")
        return self._client_secret

    def _form_post(self, endpoint: str, pairs: list[tuple[str, str]]) -> Request:
        headers = ((H_CONTENT_TYPE, CT_FORM), (H_ACCEPT, CT_JSON))
        body = urlencode(pairs).encode("ascii")
        return Request("POST", f"{self._oauth_base_url}/{endpoint}", headers, body)


# --------------------------------------------------------------------------- responses


def _mask(value: Any) -> str:
    return "None" if value is None else "'***'"


@attrs.frozen
class BaseAuthResponse(_Official):
    """What every OAuth response has.

    Args:
        status_code, url, headers, data: the attributes below.
        response: the core :class:`~restli_core.Response` received (kept as
            :attr:`core_response`).

    Attributes:
        status_code: the HTTP status.
        url: the URL the response came from (credentials in it masked).
        headers: the response headers (case-insensitive mapping).
        response: the HTTP library's own response object, as the official
            client's (``requests.Response`` through ``restli_requests``); the core
            :class:`~restli_core.Response` when the transport kept none. Never shown
            in ``repr``, never pickled (an unpickled response has the core one).
        core_response: the core :class:`~restli_core.Response` (``.raw``: the HTTP
            library's object).
        data: the whole decoded JSON body (fields without a property included).

    As for :class:`~restli_core.BaseRestliResponse`, ``vars()`` is a new dict of what
    the official class holds less ``headers`` and ``response``: the status, URL and
    token fields (``repr`` masks the tokens; ``vars()``, like the attributes, holds
    them as they are).
    """

    _OFFICIAL: ClassVar[tuple[str, ...]] = ("status_code", "url")

    status_code: int
    url: str = attrs.field(converter=redact_url)
    headers: Headers
    _core_response: Response = attrs.field(alias="response", repr=False)
    data: dict[str, Any] = attrs.field(factory=dict, kw_only=True, repr=False)

    @property
    def response(self) -> Any:
        """The HTTP library's own response object, else the core ``Response``."""
        return library_response(self._core_response)

    @property
    def core_response(self) -> Response:
        """The core :class:`~restli_core.Response` this response was parsed from."""
        return self._core_response


@attrs.frozen
class AccessToken3LResponse(BaseAuthResponse):
    """A 3-legged token (authorization code exchange).

    Attributes:
        access_token: the access token (masked in ``repr``).
        expires_in: its lifetime in seconds.
        refresh_token: the refresh token, when refresh tokens are enabled.
        refresh_token_expires_in: its lifetime in seconds, when enabled.
        scope: the scopes granted, comma-separated (e.g. ``"r_liteprofile,r_ads"``).
    """

    _OFFICIAL = (
        "status_code",
        "url",
        "access_token",
        "expires_in",
        "refresh_token",
        "refresh_token_expires_in",
        "scope",
    )

    access_token: str = attrs.field(default="", repr=_mask)
    expires_in: int | None = None
    refresh_token: str | None = attrs.field(default=None, repr=_mask)
    refresh_token_expires_in: int | None = None
    scope: str | None = None


@attrs.frozen
class AccessToken2LResponse(BaseAuthResponse):
    """A 2-legged token (client credentials).

    Attributes:
        access_token: the access token (masked in ``repr``).
        expires_in: its lifetime in seconds.
    """

    _OFFICIAL = ("status_code", "url", "access_token", "expires_in")

    access_token: str = attrs.field(default="", repr=_mask)
    expires_in: int | None = None


@attrs.frozen
class RefreshTokenExchangeResponse(BaseAuthResponse):
    """A new 3-legged token from a refresh token.

    Attributes:
        access_token: the access token (masked in ``repr``).
        expires_in: its lifetime in seconds.
        refresh_token: the refresh token (masked in ``repr``).
        refresh_token_expires_in: its remaining lifetime in seconds.
    """

    _OFFICIAL = (
        "status_code",
        "url",
        "access_token",
        "expires_in",
        "refresh_token",
        "refresh_token_expires_in",
    )

    access_token: str = attrs.field(default="", repr=_mask)
    expires_in: int | None = None
    refresh_token: str | None = attrs.field(default=None, repr=_mask)
    refresh_token_expires_in: int | None = None


@attrs.frozen
class IntrospectTokenResponse(BaseAuthResponse):
    """Token introspection (RFC 7662 as LinkedIn answers it).

    Attributes:
        active: whether the token is valid and active.
        auth_type: ``"2L"``, ``"3L"`` or ``"Enterprise_User"``.
        authorized_at: when the token was authorized (epoch seconds).
        client_id: the application's client id.
        created_at: when the token was issued (epoch seconds).
        expires_at: when the token expires (epoch seconds).
        scope: the scopes, comma-separated (3-legged tokens only).
        status: ``"active"``, ``"expired"`` or ``"revoked"``.
    """

    _OFFICIAL = (
        "status_code",
        "url",
        "active",
        "auth_type",
        "authorized_at",
        "client_id",
        "created_at",
        "expires_at",
        "scope",
        "status",
    )

    active: bool | None = None
    auth_type: str | None = None
    authorized_at: int | None = None
    client_id: str | None = None
    created_at: int | None = None
    expires_at: int | None = None
    scope: str | None = None
    status: str | None = None


_T = TypeVar("_T")


def _auth_body(response: Response, what: str, request: Request | None) -> dict[str, Any]:
    """The JSON object of a successful answer; AuthError for an OAuth error."""
    found, data = parse_json_body(response.body)
    ok = 200 <= response.status_code <= 299
    is_object = found and isinstance(data, dict)
    if ok and is_object and "error" not in data:
        return data  # type: ignore[no-any-return]
    found_secrets = request_secrets(request) if request is not None else []
    # What the error keeps (it may be logged or pickled) holds no echoed secret.
    response = without_secrets(response, found_secrets)
    if ok and not is_object:
        detail = (
            f"expected a JSON object, found {type(data).__name__}"
            if found
            else describe_body(response.body, found_secrets)
        )
        raise ResponseDecodeError(
            f"cannot parse the {what} response ({response.status_code}): {detail}",
            response=response,
            request_url=redact_url(response.url),
        )
    error = description = None
    if is_object:
        error = data.get("error") if isinstance(data.get("error"), str) else None
        description = (
            data.get("error_description")
            if isinstance(data.get("error_description"), str)
            else (data.get("message") if isinstance(data.get("message"), str) else None)
        )
        detail = ": ".join(t for t in (error, description) if t) or "no error description"
    else:
        detail = describe_body(response.body, found_secrets)
    message = scrub(f"{what} failed ({response.status_code}): {detail}", found_secrets)
    raise AuthError(
        message,
        error=scrub(error, found_secrets) if error else None,
        error_description=scrub(description, found_secrets) if description else None,
        status_code=response.status_code,
        response=response,
    )


def _field(
    data: dict[str, Any], name: str, kind: type[_T], what: str, response: Response
) -> _T | None:
    value = data.get(name)
    if value is None:
        return None
    # bool is an int subclass in Python; JSON true is not a number of seconds.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ResponseDecodeError(
            f"cannot parse the {what} response: {name!r} is a {type(value).__name__}, "
            f"expected {kind.__name__}",
            response=response,
            request_url=redact_url(response.url),
        )
    return value


def _token(data: dict[str, Any], what: str, response: Response) -> str:
    token = _field(data, "access_token", str, what, response)
    if not token:
        raise ResponseDecodeError(
            f"cannot parse the {what} response: it has no access_token",
            response=response,
            request_url=redact_url(response.url),
        )
    return token


def _common(response: Response, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "status_code": response.status_code,
        "url": response.url,
        "headers": response.headers,
        "response": response,
        "data": data,
    }


def parse_access_token_3l(
    response: Response, *, request: Request | None = None
) -> AccessToken3LResponse:
    """Parse the answer to :meth:`AuthRequestBuilder.exchange_auth_code_for_access_token`.

    Args:
        response: the response received.
        request: the request sent, if at hand: its secrets are then also scrubbed
            from any error message quoting the server.

    Raises:
        AuthError: a non-2xx status or an OAuth error body (``error``,
            ``error_description``).
        ResponseDecodeError: a 2xx body that is not a token response.
    """
    what = "authorization code exchange"
    data = _auth_body(response, what, request)
    return AccessToken3LResponse(
        **_common(response, data),
        access_token=_token(data, what, response),
        expires_in=_field(data, "expires_in", int, what, response),
        refresh_token=_field(data, "refresh_token", str, what, response),
        refresh_token_expires_in=_field(data, "refresh_token_expires_in", int, what, response),
        scope=_field(data, "scope", str, what, response),
    )


def parse_access_token_2l(
    response: Response, *, request: Request | None = None
) -> AccessToken2LResponse:
    """Parse the answer to :meth:`AuthRequestBuilder.get_two_legged_access_token`.

    Raises:
        AuthError: a non-2xx status or an OAuth error body.
        ResponseDecodeError: a 2xx body that is not a token response.
    """
    what = "client credentials token request"
    data = _auth_body(response, what, request)
    return AccessToken2LResponse(
        **_common(response, data),
        access_token=_token(data, what, response),
        expires_in=_field(data, "expires_in", int, what, response),
    )


def parse_refresh_token_exchange(
    response: Response, *, request: Request | None = None
) -> RefreshTokenExchangeResponse:
    """Parse the answer to :meth:`AuthRequestBuilder.exchange_refresh_token_for_access_token`.

    Raises:
        AuthError: a non-2xx status or an OAuth error body.
        ResponseDecodeError: a 2xx body that is not a token response.
    """
    what = "refresh token exchange"
    data = _auth_body(response, what, request)
    return RefreshTokenExchangeResponse(
        **_common(response, data),
        access_token=_token(data, what, response),
        expires_in=_field(data, "expires_in", int, what, response),
        refresh_token=_field(data, "refresh_token", str, what, response),
        refresh_token_expires_in=_field(data, "refresh_token_expires_in", int, what, response),
    )


def parse_introspect_token(
    response: Response, *, request: Request | None = None
) -> IntrospectTokenResponse:
    """Parse the answer to :meth:`AuthRequestBuilder.introspect_access_token`.

    An inactive token is not an error: LinkedIn answers 200 with ``active: false``.

    Raises:
        AuthError: a non-2xx status or an OAuth error body.
        ResponseDecodeError: a 2xx body that is not an introspection response.
    """
    what = "token introspection"
    data = _auth_body(response, what, request)
    return IntrospectTokenResponse(
        **_common(response, data),
        active=_field(data, "active", bool, what, response),
        auth_type=_field(data, "auth_type", str, what, response),
        authorized_at=_field(data, "authorized_at", int, what, response),
        client_id=_field(data, "client_id", str, what, response),
        created_at=_field(data, "created_at", int, what, response),
        expires_at=_field(data, "expires_at", int, what, response),
        scope=_field(data, "scope", str, what, response),
        status=_field(data, "status", str, what, response),
    )

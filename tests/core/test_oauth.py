"""OAuth 2.0, sans I/O (PROTOCOL.md §7): the authorization URL, the four token
requests, their parsers, PKCE (RFC 7636) and the handling of secrets."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import (
    AccessToken2LResponse,
    AccessToken3LResponse,
    AuthError,
    AuthRequestBuilder,
    BaseAuthResponse,
    IntrospectTokenResponse,
    PkcePair,
    RefreshTokenExchangeResponse,
    Response,
    ResponseDecodeError,
    RestliError,
    RestliUsageError,
    generate_pkce_pair,
    generate_state,
    parse_access_token_2l,
    parse_access_token_3l,
    parse_introspect_token,
    parse_refresh_token_exchange,
)

BASE = "https://www.linkedin.com/oauth/v2"
CLIENT_ID = "78abcd1234efgh"
SECRET = "WPL_AP1.s3cretClientValue.Zz9=="
REDIRECT = "https://app.example.com/auth/callback?from=linkedin"
ACCESS_TOKEN = "AQUvlL_DYEzvT2wz1QJiEPeLioeA-accessTokenValue"
REFRESH_TOKEN = "AQWAft_WjYZKwuWXLC5hQlghgTam-refreshTokenValue"


@pytest.fixture
def builder() -> AuthRequestBuilder:
    return AuthRequestBuilder(CLIENT_ID, SECRET, REDIRECT)


def form(body: bytes | None) -> dict[str, str]:
    assert body is not None
    return dict(parse_qsl(body.decode("ascii"), strict_parsing=True))


def token_response(status: int, body: Any, url: str = f"{BASE}/accessToken") -> Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(status, {"Content-Type": "application/json"}, raw, url)


# --------------------------------------------------------------------------- authorization URL


def test_member_auth_url_encodes_every_value(builder: AuthRequestBuilder) -> None:
    url = builder.generate_member_auth_url(["r_liteprofile", "rw_ads"], state="a b&c=d/é+")
    assert url == (
        f"{BASE}/authorization?response_type=code&client_id={CLIENT_ID}"
        "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fauth%2Fcallback%3Ffrom%3Dlinkedin"
        "&scope=r_liteprofile%20rw_ads"
        "&state=a%20b%26c%3Dd%2F%C3%A9%2B"
    )


def test_member_auth_url_without_state(builder: AuthRequestBuilder) -> None:
    url = builder.generate_member_auth_url(["openid"])
    query = dict(parse_qsl(urlsplit(url).query))
    assert query == {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "openid",
    }


def test_member_auth_url_with_pkce(builder: AuthRequestBuilder) -> None:
    pair = generate_pkce_pair()
    state = generate_state()
    url = builder.generate_member_auth_url(
        ("openid", "profile"), state, code_challenge=pair.challenge
    )
    assert url.endswith(
        f"&scope=openid%20profile&state={state}"
        f"&code_challenge={pair.challenge}&code_challenge_method=S256"
    )


def test_scopes_are_joined_by_an_encoded_space(builder: AuthRequestBuilder) -> None:
    url = builder.generate_member_auth_url(["a", "b", "c"])
    assert "scope=a%20b%20c" in url and "+" not in url


@pytest.mark.parametrize(
    ("scopes", "state", "challenge", "match"),
    [
        ([], None, None, "at least one scope"),
        ("r_liteprofile", None, None, "list of scope names"),
        (["r_ads", ""], None, None, "scope must not be empty"),
        (["r ads"], None, None, "whitespace"),
        (["r_ads\r\n"], None, None, "CR, LF"),
        (["r_ads", 3], None, None, "scope must be a str"),
        (["r_ads"], "x\ny", None, "state must not contain CR, LF"),
        (["r_ads"], "", None, "state must not be empty"),
        (["r_ads"], None, "short", "code_challenge"),
        (["r_ads"], None, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM", "code_challenge"),
    ],
)
def test_member_auth_url_rejects_bad_input(
    builder: AuthRequestBuilder, scopes: Any, state: Any, challenge: Any, match: str
) -> None:
    with pytest.raises(RestliUsageError, match=match):
        builder.generate_member_auth_url(scopes, state, code_challenge=challenge)


def test_member_auth_url_needs_a_redirect_url() -> None:
    with pytest.raises(RestliUsageError, match="redirect_url"):
        AuthRequestBuilder(CLIENT_ID, SECRET).generate_member_auth_url(["r_ads"])


# --------------------------------------------------------------------------- token requests


def check_form_post(request: Any, endpoint: str) -> dict[str, str]:
    assert request.method == "POST"
    assert request.url == f"{BASE}/{endpoint}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.restli_method is None
    assert request.tunneled is False
    assert "Authorization" not in request.headers
    return form(request.body)


def test_exchange_auth_code(builder: AuthRequestBuilder) -> None:
    req = builder.exchange_auth_code_for_access_token("AQTQmah11lalyH65DAIivsjsAQV5P-code")
    assert check_form_post(req, "accessToken") == {
        "grant_type": "authorization_code",
        "code": "AQTQmah11lalyH65DAIivsjsAQV5P-code",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "redirect_uri": REDIRECT,
    }
    # form encoding: reserved characters escaped, so the server reads them back exactly
    assert b"client_secret=WPL_AP1.s3cretClientValue.Zz9%3D%3D" in req.body  # type: ignore[operator]
    assert SECRET not in repr(req) and SECRET not in str(req)


def test_exchange_auth_code_with_pkce_needs_no_secret() -> None:
    pair = generate_pkce_pair()
    public = AuthRequestBuilder(CLIENT_ID, redirect_url=REDIRECT)
    req = public.exchange_auth_code_for_access_token("code123", code_verifier=pair.verifier)
    assert check_form_post(req, "accessToken") == {
        "grant_type": "authorization_code",
        "code": "code123",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "code_verifier": pair.verifier,
    }


def test_exchange_auth_code_with_pkce_and_secret(builder: AuthRequestBuilder) -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    sent = form(builder.exchange_auth_code_for_access_token("c0de", code_verifier=verifier).body)
    assert sent["client_secret"] == SECRET and sent["code_verifier"] == verifier


def test_exchange_refresh_token(builder: AuthRequestBuilder) -> None:
    req = builder.exchange_refresh_token_for_access_token(REFRESH_TOKEN)
    assert check_form_post(req, "accessToken") == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH_TOKEN,
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
    }


def test_two_legged_token() -> None:
    req = AuthRequestBuilder(CLIENT_ID, SECRET).get_two_legged_access_token()
    assert check_form_post(req, "accessToken") == {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
    }


def test_introspect(builder: AuthRequestBuilder) -> None:
    req = builder.introspect_access_token(ACCESS_TOKEN)
    assert check_form_post(req, "introspectToken") == {
        "token": ACCESS_TOKEN,
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
    }


def test_other_base_url_on_loopback() -> None:
    local = AuthRequestBuilder(CLIENT_ID, SECRET, oauth_base_url="http://127.0.0.1:8123/oauth/v2/")
    assert local.get_two_legged_access_token().url == "http://127.0.0.1:8123/oauth/v2/accessToken"
    assert AuthRequestBuilder(
        CLIENT_ID, SECRET, oauth_base_url="http://localhost/o"
    ).oauth_base_url == ("http://localhost/o")


@pytest.mark.parametrize(
    "url",
    [
        "http://www.linkedin.com/oauth/v2",
        "ftp://x/y",
        "www.linkedin.com",
        "https://",
        "http://[::1",
    ],
)
def test_base_url_must_be_https_off_loopback(url: str) -> None:
    with pytest.raises(RestliUsageError, match="oauth_base_url"):
        AuthRequestBuilder(CLIENT_ID, SECRET, oauth_base_url=url)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda b: b.exchange_refresh_token_for_access_token(REFRESH_TOKEN), "client_secret"),
        (lambda b: b.get_two_legged_access_token(), "client_secret"),
        (lambda b: b.introspect_access_token(ACCESS_TOKEN), "client_secret"),
        (lambda b: b.exchange_auth_code_for_access_token("c"), "client_secret, or a code_verifier"),
    ],
)
def test_calls_that_need_the_secret(call: Any, match: str) -> None:
    with pytest.raises(RestliUsageError, match=match):
        call(AuthRequestBuilder(CLIENT_ID, redirect_url=REDIRECT))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda b: b.exchange_auth_code_for_access_token(""), "code must not be empty"),
        (lambda b: b.exchange_auth_code_for_access_token(f"{SECRET}\r\n"), "code must not contain"),
        (
            lambda b: b.exchange_auth_code_for_access_token("c", code_verifier="short"),
            "code_verifier",
        ),
        (
            lambda b: b.exchange_auth_code_for_access_token("c", code_verifier="a" * 129),
            "code_verifier",
        ),
        (
            lambda b: b.exchange_auth_code_for_access_token("c", code_verifier="é" * 43),
            "code_verifier",
        ),
        (
            lambda b: b.exchange_refresh_token_for_access_token(f"{SECRET}\n"),
            "refresh_token must not",
        ),
        (lambda b: b.introspect_access_token(None), "access_token must be a str"),
        (lambda b: b.introspect_access_token(f"{SECRET}\rX"), "access_token must not contain"),
    ],
)
def test_bad_call_arguments(builder: AuthRequestBuilder, call: Any, match: str) -> None:
    with pytest.raises(RestliUsageError, match=match) as info:
        call(builder)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("",), "client_id must not be empty"),
        ((None,), "client_id must be a str"),
        (("id\r\nX-Evil: 1",), "client_id must not contain CR, LF"),
        ((CLIENT_ID, ""), "client_secret must not be empty"),
        ((CLIENT_ID, f"{SECRET}\n"), "client_secret must not contain CR, LF or NUL$"),
        ((CLIENT_ID, SECRET, "https://x/\r\n"), "redirect_url must not contain"),
    ],
)
def test_bad_constructor_arguments(args: tuple[Any, ...], match: str) -> None:
    with pytest.raises(RestliUsageError, match=match) as info:
        AuthRequestBuilder(*args)
    assert isinstance(info.value, ValueError)
    assert SECRET not in str(info.value)


def test_builder_repr_hides_the_secret(builder: AuthRequestBuilder) -> None:
    text = repr(builder)
    assert SECRET not in text
    assert "client_secret='***'" in text and CLIENT_ID in text
    assert builder.client_secret == SECRET
    assert "client_secret=None" in repr(AuthRequestBuilder(CLIENT_ID))


# --------------------------------------------------------------------------- PKCE


def test_pkce_rfc7636_appendix_b_vector() -> None:
    pair = generate_pkce_pair("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    assert pair == PkcePair(
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_random_pkce_pairs() -> None:
    pairs = [generate_pkce_pair() for _ in range(20)]
    assert len({p.verifier for p in pairs}) == 20
    for pair in pairs:
        assert re.fullmatch(r"[A-Za-z0-9._~-]{43,128}", pair.verifier)
        digest = hashlib.sha256(pair.verifier.encode()).digest()
        assert pair.challenge == base64.urlsafe_b64encode(digest).decode().rstrip("=")
        assert len(pair.challenge) == 43
        assert pair.verifier not in repr(pair)


@pytest.mark.parametrize("verifier", ["", "a" * 42, "a" * 129, "a" * 42 + " ", "a" * 42 + "+"])
def test_pkce_rejects_a_bad_verifier(verifier: str) -> None:
    with pytest.raises(RestliUsageError, match="RFC 7636"):
        generate_pkce_pair(verifier)


def test_generate_state() -> None:
    states = {generate_state() for _ in range(50)}
    assert len(states) == 50
    for state in states:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", state)


# --------------------------------------------------------------------------- parsers


def test_parse_access_token_3l() -> None:
    body = {
        "access_token": ACCESS_TOKEN,
        "expires_in": 5183999,
        "refresh_token": REFRESH_TOKEN,
        "refresh_token_expires_in": 31535999,
        "scope": "r_basicprofile,r_emailaddress,rw_ads",
        "id_token": "eyJ...",
    }
    r = parse_access_token_3l(token_response(200, body))
    assert isinstance(r, AccessToken3LResponse) and isinstance(r, BaseAuthResponse)
    assert (r.access_token, r.expires_in, r.refresh_token, r.refresh_token_expires_in, r.scope) == (
        ACCESS_TOKEN,
        5183999,
        REFRESH_TOKEN,
        31535999,
        "r_basicprofile,r_emailaddress,rw_ads",
    )
    assert r.status_code == 200 and r.url == f"{BASE}/accessToken"
    assert r.headers["content-type"] == "application/json"
    assert r.data["id_token"] == "eyJ..."  # unknown fields are kept
    assert ACCESS_TOKEN not in repr(r) and REFRESH_TOKEN not in repr(r)


def test_parse_access_token_3l_without_refresh_tokens() -> None:
    r = parse_access_token_3l(
        token_response(200, {"access_token": ACCESS_TOKEN, "expires_in": 5184000, "scope": "r_ads"})
    )
    assert r.refresh_token is None and r.refresh_token_expires_in is None
    assert "refresh_token=None" in repr(r)


def test_parse_access_token_2l() -> None:
    r = parse_access_token_2l(
        token_response(200, {"access_token": ACCESS_TOKEN, "expires_in": 1799})
    )
    assert isinstance(r, AccessToken2LResponse)
    assert (r.access_token, r.expires_in) == (ACCESS_TOKEN, 1799)
    assert ACCESS_TOKEN not in repr(r)


def test_parse_refresh_token_exchange() -> None:
    body = {
        "access_token": ACCESS_TOKEN,
        "expires_in": 5183999,
        "refresh_token": REFRESH_TOKEN,
        "refresh_token_expires_in": 30000000,
    }
    r = parse_refresh_token_exchange(token_response(200, body))
    assert isinstance(r, RefreshTokenExchangeResponse)
    assert r.refresh_token == REFRESH_TOKEN and r.refresh_token_expires_in == 30000000


@pytest.mark.parametrize(
    "body",
    [
        {
            "active": True,
            "client_id": CLIENT_ID,
            "authorized_at": 1633030000,
            "created_at": 1633030000,
            "status": "active",
            "expires_at": 1638214000,
            "scope": "r_liteprofile,rw_ads",
            "auth_type": "3L",
        },
        {"active": False, "status": "revoked"},
    ],
)
def test_parse_introspect_token(body: dict[str, Any]) -> None:
    r = parse_introspect_token(token_response(200, body, f"{BASE}/introspectToken"))
    assert isinstance(r, IntrospectTokenResponse)
    for name, value in body.items():
        assert getattr(r, name) == value
    assert r.data == body


@pytest.mark.parametrize(
    ("status", "body", "error", "needle"),
    [
        (
            400,
            {
                "error": "invalid_request",
                "error_description": 'A required parameter "code" is missing',
            },
            "invalid_request",
            'A required parameter "code" is missing',
        ),
        (
            401,
            {"error": "invalid_client", "error_description": "Client authentication failed"},
            "invalid_client",
            "Client authentication failed",
        ),
        (
            400,
            {
                "error": "invalid_grant",
                "error_description": "The provided authorization grant is expired",
            },
            "invalid_grant",
            "expired",
        ),
        (
            200,
            {
                "error": "invalid_redirect_uri",
                "error_description": "Unable to retrieve access token",
            },
            "invalid_redirect_uri",
            "Unable to retrieve",
        ),
        (500, b"<html><h1>Internal error</h1></html>", None, "Internal error"),
        (503, b"", None, "empty body"),
        (400, b'{"error": "invalid_requ', None, "body is not JSON"),
        (
            401,
            {"serviceErrorCode": 65600, "message": "Invalid access token", "status": 401},
            None,
            "Invalid access token",
        ),
    ],
)
def test_oauth_errors_raise_auth_error(
    status: int, body: Any, error: str | None, needle: str
) -> None:
    for parser in (
        parse_access_token_3l,
        parse_access_token_2l,
        parse_refresh_token_exchange,
        parse_introspect_token,
    ):
        with pytest.raises(AuthError) as info:
            parser(token_response(status, body))
        err = info.value
        assert err.status_code == status
        assert err.error == error
        assert needle in str(err)
        assert f"({status})" in str(err)
        assert err.response is not None


def test_auth_error_scrubs_secrets_the_server_echoes(builder: AuthRequestBuilder) -> None:
    request = builder.get_two_legged_access_token()
    body = {"error": "invalid_client", "error_description": f"bad client_secret {SECRET}"}
    with pytest.raises(AuthError) as info:
        parse_access_token_2l(token_response(401, body), request=request)
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    assert SECRET not in (info.value.error_description or "")


@pytest.mark.parametrize(
    ("parser", "body", "match"),
    [
        (parse_access_token_3l, {"expires_in": 10}, "no access_token"),
        (parse_access_token_2l, {"access_token": ""}, "no access_token"),
        (parse_access_token_3l, {"access_token": 5}, "'access_token' is a int"),
        (
            parse_access_token_2l,
            {"access_token": "t", "expires_in": "1799"},
            "'expires_in' is a str",
        ),
        (
            parse_refresh_token_exchange,
            {"access_token": "t", "refresh_token_expires_in": True},
            "is a bool",
        ),
        (parse_introspect_token, {"active": "true"}, "'active' is a str, expected bool"),
        (parse_introspect_token, [1], "expected a JSON object, found list"),
        (parse_access_token_3l, b"<html>login</html>", "body is not JSON"),
        (parse_access_token_3l, b"", "empty body"),
    ],
)
def test_malformed_success_bodies(parser: Any, body: Any, match: str) -> None:
    with pytest.raises(ResponseDecodeError, match=match):
        parser(token_response(200, body))


@settings(max_examples=200, deadline=None)
@given(
    status=st.integers(100, 599),
    body=st.one_of(
        st.binary(max_size=200),
        st.dictionaries(
            st.sampled_from(
                [
                    "access_token",
                    "expires_in",
                    "error",
                    "error_description",
                    "active",
                    "scope",
                    "refresh_token",
                    "message",
                ]
            ),
            st.none()
            | st.booleans()
            | st.integers()
            | st.text(max_size=10)
            | st.lists(st.integers()),
        ).map(lambda d: json.dumps(d).encode()),
    ),
)
def test_parsers_only_raise_library_errors(status: int, body: bytes) -> None:
    for parser in (
        parse_access_token_3l,
        parse_access_token_2l,
        parse_refresh_token_exchange,
        parse_introspect_token,
    ):
        try:
            result = parser(Response(status, {}, body, f"{BASE}/accessToken"))
        except (AuthError, ResponseDecodeError):
            pass
        except RestliError as exc:  # pragma: no cover - would be a wrong class
            pytest.fail(f"unexpected {type(exc).__name__}: {exc}")
        else:
            assert 200 <= status <= 299
            assert isinstance(result, BaseAuthResponse)

"""The error model: status -> class, Rest.li and non-JSON error bodies, 426 and 429,
and the promise that no credential ever shows in an exception."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitError,
    Request,
    Response,
    ResponseError,
    RestliError,
    RestliMethod,
    ServerError,
    UnauthorizedError,
    UnprocessableEntityError,
    VersionNotActiveError,
    error_from_response,
    parse_response,
    raise_for_status,
)
from restli_core._errors import body_excerpt

TOKEN = "AQV8secretBearerTokenValue-_0123456789abcdefXYZ"
URL = "https://api.linkedin.com/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE)))"


def request(version: str | None = "202406", token: str = TOKEN) -> Request:
    headers = {
        "Authorization": f"Bearer {token}",
        "X-RestLi-Protocol-Version": "2.0.0",
        "X-RestLi-Method": "finder",
    }
    if version is not None:
        headers["LinkedIn-Version"] = version
    return Request("GET", URL, headers, None, RestliMethod.FINDER, False)


def response(status: int, body: Any = b"", headers: dict[str, str] | None = None) -> Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(status, headers or {}, raw, URL)


def error(
    status: int, body: Any = b"", headers: dict[str, str] | None = None, **kw: Any
) -> ResponseError:
    return error_from_response(request(), response(status, body, headers), **kw)


# --------------------------------------------------------------------------- status -> class


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (426, VersionNotActiveError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (599, ServerError),
        (402, ResponseError),
        (405, ResponseError),
        (410, ResponseError),
        (414, ResponseError),
        (418, ResponseError),
        (451, ResponseError),
        (302, ResponseError),
        (100, ResponseError),
    ],
)
def test_status_chooses_the_class(status: int, cls: type[ResponseError]) -> None:
    err = error(status, {"status": status, "message": "m"})
    assert type(err) is cls
    assert isinstance(err, RestliError)
    assert err.status_code == status
    with pytest.raises(cls):
        raise_for_status(request(), response(status))


@pytest.mark.parametrize("status", [200, 201, 204, 299])
def test_raise_for_status_accepts_2xx(status: int) -> None:
    raise_for_status(request(), response(status, b"not even json"))


# --------------------------------------------------------------------------- Rest.li bodies


def test_restli_error_body_fills_every_attribute() -> None:
    body = {
        "status": 403,
        "serviceErrorCode": 100,
        "code": "ACCESS_DENIED",
        "message": "Not enough permissions to access: partnerApiAdAccounts.FINDER-search.20240601",
        "requestId": "AAYbVt2B4Ls6z0yHh8lS7g==",
        "errorDetailType": "com.linkedin.common.error.BadRequest",
    }
    err = error(403, body, {"X-RestLi-Error-Response": "true", "x-li-uuid": "header-id"})
    assert isinstance(err, ForbiddenError)
    assert err.service_error_code == 100
    assert err.code == "ACCESS_DENIED"
    assert err.message.startswith("Not enough permissions")
    assert err.request_id == "AAYbVt2B4Ls6z0yHh8lS7g=="  # the body's id wins
    assert err.body == body  # unknown fields are kept
    assert err.request_method == "GET"
    assert err.request_url == URL
    assert err.response is not None and err.response.status_code == 403
    text = str(err)
    assert text.startswith("403 ACCESS_DENIED: Not enough permissions")
    assert "(serviceErrorCode 100)" in text
    assert f"[GET {URL}]" in text
    assert "AAYbVt2B4Ls6z0yHh8lS7g==" in text


def test_request_id_from_the_header_when_the_body_has_none() -> None:
    err = error(404, {"status": 404, "message": "Not Found"}, {"X-LI-UUID": "AAYheader=="})
    assert err.request_id == "AAYheader=="


def test_validation_errors_carry_input_errors() -> None:
    body = {
        "errorDetailType": "com.linkedin.common.error.BadRequest",
        "code": "VALIDATION_FAILED",
        "message": "Multiple errors occurred during the input validation.",
        "errorDetails": {
            "inputErrors": [
                {
                    "description": "Budget must be at least 10.00 USD",
                    "input": {"inputPath": {"fieldPath": "dailyBudget/amount"}},
                    "code": "FIELD_VALUE_TOO_LOW",
                }
            ]
        },
        "status": 400,
    }
    err = error(400, body)
    assert isinstance(err, BadRequestError)
    assert err.error_details["inputErrors"][0]["code"] == "FIELD_VALUE_TOO_LOW"
    assert err.input_errors[0]["input"]["inputPath"]["fieldPath"] == "dailyBudget/amount"


def test_oauth_style_error_body_on_the_api() -> None:
    err = error(401, {"error": "invalid_token", "error_description": "The token has expired"})
    assert isinstance(err, UnauthorizedError)
    assert err.code == "invalid_token"
    assert err.message == "The token has expired"


@pytest.mark.parametrize(
    "body",
    [
        {
            "status": 500,
            "serviceErrorCode": "65600",
            "code": 7,
            "message": ["x"],
            "errorDetails": [],
        },
        {"status": 500},
    ],
)
def test_fields_of_the_wrong_type_are_ignored(body: dict[str, Any]) -> None:
    err = error(500, body)
    assert err.service_error_code is None
    assert err.code is None
    assert err.message == "Internal Server Error"
    assert str(err).startswith("500: Internal Server Error [GET ")
    assert err.error_details == {}
    assert err.input_errors == []


# --------------------------------------------------------------------------- non-JSON bodies

PROXY_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title>"
    b"<style>body { font-family: sans-serif; color: #333 }</style>"
    b"<script>var trace = 'x';</script></head>\n<body><center><h1>502 Bad Gateway</h1>"
    b"</center><hr><center>nginx</center>" + b"<p>padding</p>" * 2000 + b"ENDMARKER</body></html>"
)


@pytest.mark.parametrize(
    ("status", "body", "cls", "needle"),
    [
        (502, PROXY_PAGE, ServerError, "502 Bad Gateway nginx"),
        (503, b"", ServerError, "empty body"),
        (404, b"   \n", NotFoundError, "empty body"),
        (400, b'{"status": 400, "message": "Invalid par', BadRequestError, "body is not JSON"),
        (429, b"Too Many Requests", RateLimitError, "Too Many Requests"),
        (401, b"\xff\xfe\xfd", UnauthorizedError, "body is not JSON"),
        (500, b"[" * 100_000, ServerError, "body is not JSON"),
        (500, b'"just a string"', ServerError, "just a string"),
        (403, b"{}", ForbiddenError, "empty JSON object"),
    ],
)
def test_non_json_bodies_still_give_the_status_error(
    status: int, body: bytes, cls: type[ResponseError], needle: str
) -> None:
    err = error(status, body)
    assert type(err) is cls
    assert needle in err.message
    assert "ENDMARKER" not in err.message
    assert "font-family" not in err.message and "var trace" not in err.message
    assert "\n" not in str(err)
    assert err.body == {}


def test_excerpt_is_at_most_200_characters() -> None:
    excerpt = body_excerpt(b"x" * 10_000)
    assert len(excerpt) == 200 and excerpt.endswith("...")
    err = error(500, b"y" * 10_000)
    assert "y" * 197 + "..." in err.message
    assert "y" * 198 not in err.message


def test_excerpt_masks_control_characters() -> None:
    assert body_excerpt(b"a\x00b\x1bc") == "a?b?c"


# --------------------------------------------------------------------------- 426


def test_426_names_the_version_sent_and_what_to_do() -> None:
    body = {
        "status": 426,
        "code": "NONEXISTENT_VERSION",
        "message": "Requested version 20220101 is not active",
    }
    err = error_from_response(request(version="202201"), response(426, body))
    assert isinstance(err, VersionNotActiveError)
    assert err.version == "202201"
    assert err.code == "NONEXISTENT_VERSION"
    text = str(err)
    assert "LinkedIn-Version 202201" in text
    assert "versioning calendar" in text
    assert "12 months" in text


def test_426_without_a_version_header() -> None:
    err = error_from_response(request(version=None), response(426, b""))
    assert isinstance(err, VersionNotActiveError)
    assert err.version is None
    assert "no LinkedIn-Version header" in str(err)


# --------------------------------------------------------------------------- 429


@pytest.mark.parametrize(
    ("headers", "now", "expected"),
    [
        ({"Retry-After": "120"}, None, 120.0),
        ({"Retry-After": " 0 "}, None, 0.0),
        ({"Retry-After": "1.5"}, None, 1.5),
        # HTTP date, measured from the response's Date header (server clock).
        (
            {
                "Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT",
                "Date": "Wed, 21 Oct 2015 07:28:00 GMT",
            },
            None,
            30.0,
        ),
        # ... or from now when the response has no Date header.
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"}, 1445412500.0, 10.0),
        # a date in the past means "now"
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"}, 1445412600.0, 0.0),
        # the obsolete formats RFC 9110 §5.6.7 still requires
        (
            {
                "Retry-After": "Wednesday, 21-Oct-15 07:28:45 GMT",
                "Date": "Wed, 21 Oct 2015 07:28:00 GMT",
            },
            None,
            45.0,
        ),
        (
            {"Retry-After": "Wed Oct 21 07:29:00 2015", "Date": "Wed, 21 Oct 2015 07:28:00 GMT"},
            None,
            60.0,
        ),
        ({}, None, None),  # LinkedIn's daily quotas often send no Retry-After
        ({"Retry-After": "soon"}, None, None),
        ({"Retry-After": "-5"}, None, None),
        ({"Retry-After": "9" * 400}, None, None),
        ({"Retry-After": "Wed, 31 Feb 2015 07:28:30 GMT"}, None, None),
    ],
)
def test_429_retry_after(
    headers: dict[str, str], now: float | None, expected: float | None
) -> None:
    err = error(
        429,
        {"status": 429, "message": "Resource level throttle APPLICATION DAY limit"},
        headers,
        now=now,
    )
    assert isinstance(err, RateLimitError)
    assert err.retry_after == expected
    if expected is not None:
        assert f"retry after {expected:g} seconds" in str(err)


# --------------------------------------------------------------------------- secrets


def test_no_bearer_token_in_any_exception_text() -> None:
    for status in (400, 401, 403, 404, 426, 429, 500):
        err = error(status, {"status": status, "message": "denied"})
        for text in (str(err), repr(err), str(err.args), repr(err.response)):
            assert TOKEN not in text
    with pytest.raises(UnauthorizedError) as info:
        parse_response(request(), response(401, b""))
    assert TOKEN not in str(info.value) and TOKEN not in repr(info.value)


def test_a_token_echoed_by_the_server_is_scrubbed() -> None:
    body = {"status": 401, "message": f"Invalid access token {TOKEN}", "code": TOKEN}
    err = error(401, body, {"x-li-uuid": TOKEN})
    assert TOKEN not in str(err) and TOKEN not in repr(err)
    assert "Invalid access token ***" in err.message
    html = error(502, f"<html><body>upstream said Bearer {TOKEN}</body></html>".encode())
    assert TOKEN not in str(html)


def test_a_client_secret_in_a_form_body_is_scrubbed_from_echoes() -> None:
    secret = "WPL_AP1.clientSecretValue.123"
    form = Request(
        "POST",
        "https://www.linkedin.com/oauth/v2/accessToken",
        {"Content-Type": "application/x-www-form-urlencoded"},
        f"grant_type=client_credentials&client_id=abc&client_secret={secret}".encode(),
        None,
        False,
    )
    err = error_from_response(form, response(400, f"bad secret {secret}".encode()))
    assert secret not in str(err) and secret not in repr(err)


def test_credential_query_parameters_are_masked_in_the_url() -> None:
    leaky = Request(
        "GET",
        f"https://api.linkedin.com/v2/me?oauth2_access_token={TOKEN}&x=1",
        {},
        None,
        RestliMethod.GET,
        False,
    )
    err = error_from_response(leaky, response(401, b""))
    assert TOKEN not in str(err)
    assert err.request_url == "https://api.linkedin.com/v2/me?oauth2_access_token=***&x=1"


def test_error_without_a_request_uses_the_response_url() -> None:
    err = error_from_response(None, response(404, b""))
    assert err.request_url == URL and err.request_method == ""


@pytest.mark.parametrize("status", [404, 426, 429, 500])
def test_errors_survive_pickling(status: int) -> None:
    err = error(status, {"status": status, "message": "m", "code": "C"}, {"Retry-After": "7"})
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is type(err)
    assert str(copy) == str(err)
    assert copy.status_code == status and copy.code == "C"
    assert copy.response == err.response
    assert getattr(copy, "retry_after", None) == getattr(err, "retry_after", None)
    assert getattr(copy, "version", None) == getattr(err, "version", None)


# --------------------------------------------------------------------------- property


@settings(max_examples=200, deadline=None)
@given(
    status=st.integers(100, 599),
    body=st.binary(max_size=400),
    headers=st.dictionaries(
        st.sampled_from(["Retry-After", "Date", "x-li-uuid", "Content-Type"]),
        # Any value HTTP allows (RFC 9110 §5.5: no CR, LF or NUL; Response refuses those).
        st.text(st.characters(blacklist_characters="\r\n\x00"), max_size=40),
    ),
)
def test_error_factory_total_on_any_input(
    status: int, body: bytes, headers: dict[str, str]
) -> None:
    err = error_from_response(request(), Response(status, headers, body, URL))
    assert isinstance(err, ResponseError)
    assert err.status_code == status
    assert TOKEN not in str(err)
    if isinstance(err, RateLimitError) and err.retry_after is not None:
        assert err.retry_after >= 0

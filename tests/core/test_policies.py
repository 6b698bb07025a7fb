"""One place for each policy, as tables: Retry-After, URL redaction, loopback hosts.

Each policy is one function, used by every caller; the tables pin the function and
the last tests check that the callers agree with each other.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import (
    AuthRequestBuilder,
    RateLimitError,
    Request,
    RequestBuilder,
    Response,
    RestliMethod,
    RestliUsageError,
    RetryPolicy,
    error_from_response,
)
from restli_core._errors import SECRET_PARAMS, redact_text, redact_url, request_secrets
from restli_core._log import redact_url as logged_redact_url
from restli_core._retry_after import parse_http_date, parse_retry_after
from restli_core._urls import check_base_url, is_loopback

# --------------------------------------------------------------------------- Retry-After

NOV_6_1994 = calendar.timegm((1994, 11, 6, 8, 49, 0, 0, 0, 0))  # 08:49:00 GMT
OCT_21_2015 = calendar.timegm((2015, 10, 21, 7, 28, 0, 0, 0, 0))  # 07:28:00 GMT


@pytest.mark.parametrize(
    ("text", "epoch"),
    [
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784111777.0),  # IMF-fixdate
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784111777.0),  # RFC 850
        ("Sun Nov  6 08:49:37 1994", 784111777.0),  # asctime
        ("Sun Nov 6 08:49:37 1994", 784111777.0),
        ("sun, 06 nov 1994 08:49:37 GMT", 784111777.0),  # names in any case
        ("Sun,  6 Nov 1994 08:49:37 GMT", 784111777.0),  # loose spaces, one-digit day
        ("  Sun, 06 Nov 1994 08:49:37 GMT  ", 784111777.0),
        ("Wed, 31 Dec 2014 23:59:60 GMT", 1420070400.0),  # a leap second
        ("Sun, 06 Nov 1994 08:49:37 PST", None),  # only GMT
        ("Sun, 06 Foo 1994 08:49:37 GMT", None),
        ("Sun, 31 Feb 1994 08:49:37 GMT", None),  # no such day
        ("Sun, 29 Feb 1900 08:49:37 GMT", None),  # 1900 is not a leap year
        ("Tue, 29 Feb 2000 00:00:00 GMT", 951782400.0),  # 2000 is
        ("Sun, 06 Nov 1994 24:49:37 GMT", None),
        ("Sun, 06 Nov 1994 08:60:37 GMT", None),
        ("Sun, 06 Nov 0000 08:49:37 GMT", None),
        ("Sun, 06 Nov 1994 08:49:37", None),
        ("1994-11-06T08:49:37Z", None),
        ("٠٦ Nov 1994", None),
        ("", None),
    ],
)
def test_parse_http_date(text: str, epoch: float | None) -> None:
    assert parse_http_date(text) == epoch


@pytest.mark.parametrize(
    ("value", "date", "now", "seconds"),
    [
        # delay-seconds
        ("0", None, None, 0.0),
        ("120", None, None, 120.0),
        (" 5 ", None, None, 5.0),
        ("1.5", None, None, 1.5),
        ("120", "Sun, 06 Nov 1994 08:49:00 GMT", 0.0, 120.0),  # Date plays no part
        # an HTTP-date: measured against the response's Date (the server's clock) ...
        ("Wed, 21 Oct 2015 07:28:30 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", None, 30.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 0.0, 30.0),
        ("Wednesday, 21-Oct-15 07:28:45 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", None, 45.0),
        ("Wed Oct 21 07:29:00 2015", "Wed, 21 Oct 2015 07:28:00 GMT", None, 60.0),
        # ... else against now: no Date, or one that is not a date
        ("Wed, 21 Oct 2015 07:28:30 GMT", None, OCT_21_2015 + 20, 10.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", "yesterday", OCT_21_2015 + 20, 10.0),
        ("Wed, 21 Oct 2015 07:28:30 GMT", "", OCT_21_2015 + 20, 10.0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", None, NOV_6_1994, 37.0),
        ("Sunday, 06-Nov-94 08:49:37 GMT", None, NOV_6_1994, 37.0),
        ("Sun Nov  6 08:49:37 1994", None, NOV_6_1994, 37.0),
        # a date in the past: no wait
        ("Sun, 06 Nov 1994 08:49:00 GMT", None, NOV_6_1994 + 5, 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:29:00 GMT", None, 0.0),
        # unusable: absent
        (None, None, None, None),
        ("", None, None, None),
        ("-5", None, None, None),
        ("+5", None, None, None),
        ("5s", None, None, None),
        ("١٢", None, None, None),  # digits of another script
        ("9" * 400, None, None, None),  # no finite number of seconds
        ("soon", None, None, None),
        ("Sun, 06 Foo 1994 08:49:37 GMT", None, NOV_6_1994, None),
        ("Sun, 31 Feb 1994 08:49:37 GMT", None, NOV_6_1994, None),
        ("Sun, 06 Nov 1994 24:49:37 GMT", None, NOV_6_1994, None),
    ],
)
def test_parse_retry_after(
    value: str | None, date: str | None, now: float | None, seconds: float | None
) -> None:
    assert parse_retry_after(value, date, now=now) == seconds


def test_a_date_without_date_or_now_is_measured_against_the_clock() -> None:
    seconds = parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT")
    assert seconds is not None and seconds > 365 * 24 * 3600


@settings(max_examples=200)
@given(st.text(max_size=40), st.none() | st.text(max_size=40))
def test_parse_retry_after_never_raises(value: str, date: str | None) -> None:
    result = parse_retry_after(value, date, now=0.0)
    assert result is None or result >= 0


RETRY_AFTER_VALUES = st.sampled_from(
    [
        "0",
        "7",
        "30",
        "1.5",
        "soon",
        "Wed, 21 Oct 2015 07:28:30 GMT",
        "Wednesday, 21-Oct-15 07:28:45 GMT",
        "Wed Oct 21 07:29:00 2015",
        "Wed, 21 Oct 2015 07:27:00 GMT",
    ]
)
DATES = st.sampled_from(
    [None, "Wed, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:10 GMT", "not a date"]
)
REQUEST = Request(
    "GET",
    "https://api.linkedin.com/rest/adAccounts/1",
    {"Authorization": "Bearer token-123456"},
    restli_method=RestliMethod.GET,
)


@settings(max_examples=100)
@given(RETRY_AFTER_VALUES, DATES, st.floats(OCT_21_2015 - 60, OCT_21_2015 + 60))
def test_rate_limit_error_reports_the_wait_the_retry_policy_uses(
    value: str, date: str | None, now: float
) -> None:
    headers = {"Retry-After": value}
    if date is not None:
        headers["Date"] = date
    response = Response(429, headers, b"", REQUEST.url)
    error = error_from_response(REQUEST, response, now=now)
    assert isinstance(error, RateLimitError)
    decision = RetryPolicy(max_retry_after=1e9).retry_delay(REQUEST, 1, response=response, now=now)
    assert decision is not None
    if error.retry_after is None:
        assert decision[1] == "status 429"  # no usable header: backoff
    else:
        assert decision[0] == error.retry_after


# --------------------------------------------------------------------------- redaction


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("https://api.linkedin.com/v2/me", "https://api.linkedin.com/v2/me"),
        ("https://h/v2/r?q=search&count=5", "https://h/v2/r?q=search&count=5"),
        (
            "https://h/v2/me?oauth2_access_token=abc&x=1",
            "https://h/v2/me?oauth2_access_token=***&x=1",
        ),
        ("https://h/r?access_token=abc", "https://h/r?access_token=***"),
        ("https://h/cb?code=xyz&state=s", "https://h/cb?code=***&state=s"),
        ("https://h/t?client_secret=s&client_id=c", "https://h/t?client_secret=***&client_id=c"),
        ("https://h/t?Client_Secret=s&client_id=c", "https://h/t?Client_Secret=***&client_id=c"),
        ("https://h/t?refresh_token=r&grant_type=x", "https://h/t?refresh_token=***&grant_type=x"),
        ("https://h/i?token=t", "https://h/i?token=***"),
        ("https://h/t?code_verifier=v", "https://h/t?code_verifier=***"),
        ("https://h/t?access%5Ftoken=abc", "https://h/t?access%5Ftoken=***"),  # encoded name
        ("https://h/t?tokens=abc&state=token", "https://h/t?tokens=abc&state=token"),
        ("https://h/cb#access_token=abc&x=1", "https://h/cb#access_token=***&x=1"),
        ("https://h/cb?x=1#code=abc", "https://h/cb?x=1#code=***"),
        ("https://h/r?code=", "https://h/r?code=***"),
        ("https://user:pass@h/v2/me", "https://***@h/v2/me"),
        ("https://user:pass@h/v2/me?code=c", "https://***@h/v2/me?code=***"),
        ("https://h/v2/r?q=urn%3Ali%3Ax%40y", "https://h/v2/r?q=urn%3Ali%3Ax%40y"),
        ("https://h/v2/r?q=(a:b)&ids=List(1,2)", "https://h/v2/r?q=(a:b)&ids=List(1,2)"),
        ("", ""),
    ],
)
def test_redact_url(url: str, redacted: str) -> None:
    assert redact_url(url) == redacted


def test_the_logger_and_the_errors_redact_with_the_same_function() -> None:
    assert logged_redact_url is redact_url


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        ("failed: GET https://h/cb?code=SECRETCODE", "https://h/cb?code=SECRETCODE", "***"),
        ("bad https://u:pw12345@h/x", "https://u:pw12345@h/x", "bad https://***@h/x"),
        ("no secret here", "https://h/r?q=1", "no secret here"),
    ],
)
def test_redact_text(text: str, url: str, expected: str) -> None:
    out = redact_text(text, url)
    assert "SECRETCODE" not in out and "pw12345" not in out
    assert expected in out


def test_every_secret_parameter_is_masked_in_urls_and_form_bodies() -> None:
    for name in sorted(SECRET_PARAMS):
        assert redact_url(f"https://h/p?{name}=secret-value&x=1") == f"https://h/p?{name}=***&x=1"
        form = Request(
            "POST",
            "https://h/oauth/v2/accessToken",
            {"Content-Type": "application/x-www-form-urlencoded"},
            f"{name}=secret-value&grant_type=x".encode(),
        )
        assert request_secrets(form) == ["secret-value"]


def test_an_oauth_code_in_a_url_never_shows_in_a_response_error() -> None:
    request = Request("GET", "https://h/callback?code=AUTHCODE123&state=s")
    error = error_from_response(request, Response(400, {}, b"", request.url))
    assert "AUTHCODE123" not in str(error)
    assert error.request_url == "https://h/callback?code=***&state=s"


# --------------------------------------------------------------------------- loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("localhost.", True),
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("127.255.255.254", True),
        ("::1", True),
        ("0:0:0:0:0:0:0:1", True),
        ("::ffff:127.0.0.1", True),  # IPv4-mapped
        ("localhost.evil.com", False),
        ("evil-localhost", False),
        ("128.0.0.1", False),
        ("10.0.0.1", False),
        ("0.0.0.0", False),
        ("::", False),
        ("::ffff:10.0.0.1", False),
        ("api.linkedin.com", False),
        ("127.0.0.1.nip.io", False),  # a name is not looked up
        ("", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


BASE_URLS = [
    ("https://api.linkedin.com/v2", "https://api.linkedin.com/v2"),
    ("https://api.linkedin.com/v2/", "https://api.linkedin.com/v2"),
    ("http://127.0.0.1:8080/v2", "http://127.0.0.1:8080/v2"),
    ("http://127.0.0.5/v2", "http://127.0.0.5/v2"),
    ("http://localhost/rest", "http://localhost/rest"),
    ("http://[::1]:9000/oauth/v2", "http://[::1]:9000/oauth/v2"),
    ("http://[::ffff:127.0.0.1]/v2", "http://[::ffff:127.0.0.1]/v2"),
    ("http://api.linkedin.com/v2", "plain http"),
    ("http://10.0.0.1/v2", "plain http"),
    ("http://localhost.evil.com/v2", "plain http"),
    ("ftp://127.0.0.1/v2", "must be an https:// URL"),
    ("api.linkedin.com/v2", "must be an https:// URL"),
    ("https://", "must be an https:// URL"),
    ("https://user:pw@api.linkedin.com", "credentials"),
    ("https://api.linkedin.com/v2?x=1", "query"),
    ("https://api.linkedin.com/v2#f", "query"),
    ("https://api.linkedin.com:99999", "not a valid URL"),
    ("https://api.linkedin.com/\r\n", "control"),
    ("https://api.linkedin.com/a b", "spaces"),
    (None, "must be a str"),
    (b"https://api.linkedin.com", "must be a str"),
]


@pytest.mark.parametrize(("url", "outcome"), BASE_URLS)
def test_check_base_url(url: Any, outcome: str) -> None:
    if outcome.startswith("http:") or outcome.startswith("https:"):
        assert check_base_url(url, "base_url") == outcome
    else:
        with pytest.raises(RestliUsageError, match=outcome):
            check_base_url(url, "base_url")


@pytest.mark.parametrize(("url", "outcome"), [u for u in BASE_URLS if u[0] is not None])
def test_rest_li_and_oauth_base_urls_follow_the_same_rule(url: Any, outcome: str) -> None:
    accepted = outcome.startswith("http:") or outcome.startswith("https:")
    builds: list[Callable[[], str]] = [
        lambda: RequestBuilder(base_url=url).base_url,
        lambda: RequestBuilder(versioned_base_url=url).versioned_base_url,
        lambda: AuthRequestBuilder("client", "secret", oauth_base_url=url).oauth_base_url,
        # An API root is a base URL too; the bases are under it.
        lambda: RequestBuilder(api_root=url).base_url.removesuffix("/v2"),
        lambda: RequestBuilder(api_root=url).versioned_base_url.removesuffix("/rest"),
        lambda: AuthRequestBuilder("c", "s", api_root=url).oauth_base_url.removesuffix("/oauth/v2"),
    ]
    for build in builds:
        if accepted:
            assert build() == outcome
        else:
            with pytest.raises(RestliUsageError):
                build()


@pytest.mark.parametrize(("url", "outcome"), [u for u in BASE_URLS if u[0] is not None])
def test_the_api_root_in_the_environment_follows_the_same_rule(
    url: Any, outcome: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not isinstance(url, str) or "\r" in url:
        return  # an environment variable is text without line breaks
    monkeypatch.setenv("RESTLI_API_ROOT", url)
    if outcome.startswith("http:") or outcome.startswith("https:"):
        assert RequestBuilder().base_url == f"{outcome}/v2"
        assert AuthRequestBuilder("c", "s").oauth_base_url == f"{outcome}/oauth/v2"
    else:
        for build in (RequestBuilder, lambda: AuthRequestBuilder("c", "s")):
            with pytest.raises(RestliUsageError, match="RESTLI_API_ROOT"):
                build()

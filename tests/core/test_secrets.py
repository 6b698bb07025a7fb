"""No secret in any repr, str, pickle, log line or exception chain the library makes.

Secrets are bearer tokens, client secrets, OAuth codes, refresh tokens and tokens
given as the ``oauth2_access_token`` query parameter. Each property below makes
random secrets (with characters that URL-encode), runs calls through the embedded
server (and through a hostile one that echoes everything it receives), and looks
for the secret, in any of the forms it travels in, in everything produced.

A :class:`Request` is the one exception, for pickling only: it is what is to be
sent, so a pickled request keeps its ``Authorization`` header.
"""

from __future__ import annotations

import json
import logging
import pickle
import string
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restli_core import (
    AuthError,
    BaseRestliResponse,
    NotFoundError,
    Request,
    Response,
    ResponseDecodeError,
    ResponseError,
    RestliError,
    RetryPolicy,
    ServerError,
    TransportError,
    encode,
    error_from_response,
    parse_access_token_2l,
    parse_response,
)
from restli_core._client import SyncAuthClientBase
from restli_core._errors import scrub
from restli_core.testing import MockRestliClient, MockTransport, RestliServer

# Characters that URL-encode (and JSON-escape), beside plain ones.
SPECIAL = "+/=&%?#:;'\"\\(),!*@$[]"
# A bearer token is printable ASCII without spaces (RFC 6750 b64token, loosely).
TOKENS = st.text(
    st.sampled_from(string.ascii_letters + string.digits + SPECIAL + "-._~"),
    min_size=10,
    max_size=24,
).map(lambda text: "Tk" + text)
# Other secrets may hold anything but CR, LF and NUL.
OTHER = st.text(
    st.sampled_from(string.ascii_letters + string.digits + SPECIAL + " é€😀-._~"),
    min_size=10,
    max_size=24,
).map(lambda text: "Sx" + text)


def forms(secret: str) -> set[str]:
    """The ways a secret travels: as is, URL-, form-, Rest.li- and JSON-encoded."""
    return {
        secret,
        quote(secret, safe=""),
        quote(secret, safe="/"),
        quote(secret, safe="/:@!$&'()*+,;="),
        quote_plus(secret),
        encode(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }


def chain(error: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def texts_of(value: Any, *, pickled: bool = True) -> list[str]:
    """repr, str and the pickle of ``value``; for an error, its whole chain as shown."""
    out = [repr(value), str(value)]
    if pickled:
        data = pickle.dumps(value)
        out.append(data.decode("latin-1"))
        out.append(data.decode("utf-8", errors="replace"))
        clone = pickle.loads(data)
        out += [repr(clone), str(clone)]
    if isinstance(value, BaseException):
        out.append("".join(traceback.format_exception(value)))
        for link in chain(value):
            out += [repr(link), str(link), repr(vars(link))]
    if isinstance(value, BaseRestliResponse):
        out += [value.url, repr(value.response)]
        if value.error is not None:
            out += texts_of(value.error)
    return out


def assert_clean(secrets: list[str], outputs: list[str]) -> None:
    for secret in secrets:
        for form in forms(secret):
            for text in outputs:
                assert form not in text, f"{form!r} leaked into {text[:300]!r}"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def restli_log() -> Iterator[Capture]:
    logger = logging.getLogger("restli")
    capture = Capture()
    level = logger.level
    logger.addHandler(capture)
    logger.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        logger.removeHandler(capture)
        logger.setLevel(level)


FAST_RETRY = RetryPolicy(max_attempts=2, base_delay=0.01, jitter=False)


# --------------------------------------------------------------------------- Rest.li calls


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token=TOKENS, query_token=OTHER)
def test_rest_li_calls_never_show_the_token(token: str, query_token: str) -> None:
    outputs: list[str] = []
    errors: list[RestliError] = []
    query = {"oauth2_access_token": query_token}
    with restli_log() as log:
        client = MockRestliClient(retry=FAST_RETRY)
        lenient = MockRestliClient(retry=None, raise_for_status=False)
        typed = [
            client.get(resource_path="/me", access_token=token, query_params=query),
            client.finder(
                resource_path="/adAccounts",
                finder_name="search",
                access_token=token,
                query_params={**query, "count": 2},
            ),
            client.batch_get(
                resource_path="/adAccounts", ids=[1, 99999], access_token=token, query_params=query
            ),
            client.create(
                resource_path="/adAccounts",
                entity={"name": "n", "type": "BUSINESS"},
                access_token=token,
                query_params=query,
            ),
            lenient.get(
                resource_path="/adAccounts/{id}",
                path_keys={"id": 99999},
                access_token=token,
                query_params=query,
            ),
        ]
        with pytest.raises(ResponseError) as caught:
            client.get(
                resource_path="/adAccounts/{id}",
                path_keys={"id": 99999},
                access_token=token,
                query_params=query,
            )
        errors.append(caught.value)
        client.server.inject(503, times=2)  # retried once, then raised
        with pytest.raises(ResponseError) as caught:
            client.get(resource_path="/me", access_token=token, query_params=query)
        errors.append(caught.value)
        slow = MockRestliClient(transport=MockTransport(timeout=1.0), retry=FAST_RETRY)
        slow.server.inject(delay=5.0, times=5)
        with pytest.raises(TransportError) as timed_out:
            slow.get(resource_path="/me", access_token=token, query_params=query)
        errors.append(timed_out.value)
    assert isinstance(errors[0], NotFoundError) and isinstance(errors[1], ServerError)
    assert log.lines  # the exchanges were logged
    for response in typed:
        assert isinstance(response, BaseRestliResponse)
        assert "oauth2_access_token=***" in response.url
        outputs += texts_of(response)
    for error in errors:
        outputs += texts_of(error)
        assert "oauth2_access_token=***" in getattr(error, "request_url", "")
    for exchange in [*client.transport.exchanges, *lenient.transport.exchanges]:
        outputs += [repr(exchange.request), str(exchange.request)]
        if exchange.response is not None:
            outputs += texts_of(exchange.response)
    outputs += log.lines
    assert_clean([token, query_token], outputs)


def echo_everything(request: Request) -> Response:
    """A hostile server: its error page quotes the URL, the headers and the body."""
    quoted = [request.url, *request.headers.values(), (request.body or b"").decode("latin-1")]
    page = "<html><body><pre>" + "\n".join(quoted) + "</pre></body></html>"
    return Response(
        400,
        [("Content-Type", "text/html"), ("X-Echo", quote(request.url, safe=""))],
        page.encode("utf-8", errors="surrogatepass"),
        request.url,
        raw={"request": request},  # like an HTTP library's response, which keeps it
    )


def echo_broken_json(request: Request) -> Response:
    """A hostile server answering 200 with broken JSON that quotes the request."""
    quoted = [request.url, *request.headers.values(), quote(request.url, safe="")]
    body = ('{"value": "' + " ".join(quoted)).encode("utf-8", errors="surrogatepass")
    return Response(200, {"Content-Type": "application/json"}, body, request.url)


def echo_json(request: Request) -> Response:
    """A hostile server answering JSON that quotes the request, URL-encoded and not."""
    body = {
        "status": 401,
        "code": request.headers.get("Authorization", ""),
        "message": f"bad request {request.url} {quote(request.url, safe='')}",
        "requestId": quote(request.headers.get("Authorization", ""), safe=""),
        "error_description": (request.body or b"").decode("utf-8", errors="replace"),
    }
    return Response(401, {"Content-Type": "application/json"}, json.dumps(body).encode(), "")


@settings(max_examples=60, deadline=None)
@given(token=TOKENS, query_token=OTHER, handler=st.sampled_from([echo_everything, echo_json]))
def test_an_echoing_server_does_not_make_the_library_show_the_token(
    token: str, query_token: str, handler: Any
) -> None:
    outputs: list[str] = []
    with restli_log() as log:
        client = MockRestliClient(handler, retry=None)
        with pytest.raises(ResponseError) as caught:
            client.get(
                resource_path="/me",
                access_token=token,
                query_params={"oauth2_access_token": query_token},
            )
        lenient = MockRestliClient(handler, retry=None, raise_for_status=False)
        typed = lenient.create(
            resource_path="/adAccounts",
            entity={"a": 1},
            access_token=token,
            query_params={"oauth2_access_token": query_token},
        )
    outputs += texts_of(caught.value)
    outputs += texts_of(typed.error)
    outputs += [repr(typed), str(typed), typed.url]
    outputs += log.lines
    assert_clean([token, query_token], outputs)
    assert caught.value.response is not None and caught.value.response.raw is None


@settings(max_examples=30, deadline=None)
@given(token=TOKENS, query_token=OTHER)
def test_an_unparseable_answer_echoing_the_token_does_not_show_it(
    token: str, query_token: str
) -> None:
    client = MockRestliClient(echo_broken_json, retry=None)
    with pytest.raises(ResponseDecodeError) as caught:
        client.action(
            resource_path="/adAccounts",
            action_name="echo",
            access_token=token,
            query_params={"oauth2_access_token": query_token},
        )
    assert_clean([token, query_token], texts_of(caught.value))


# --------------------------------------------------------------------------- OAuth


def oauth_client(handler: Any, client_secret: str) -> SyncAuthClientBase:
    return SyncAuthClientBase(
        "my-client",
        client_secret,
        "https://app.example/callback",
        transport=MockTransport(handler),
        retry=None,
    )


@settings(max_examples=60, deadline=None)
@given(
    client_secret=OTHER,
    code=OTHER,
    refresh_token=OTHER,
    handler=st.sampled_from([echo_everything, echo_json, "server"]),
)
def test_oauth_calls_never_show_a_secret_or_code(
    client_secret: str, code: str, refresh_token: str, handler: Any
) -> None:
    if handler == "server":
        server = RestliServer(oauth_clients={"my-client": "something-else"})
        handler = server
    outputs: list[str] = []
    with restli_log() as log:
        client = oauth_client(handler, client_secret)
        outputs.append(repr(client.auth))
        for call in (
            lambda: client.exchange_auth_code_for_access_token(code),
            lambda: client.exchange_refresh_token_for_access_token(refresh_token),
            lambda: client.get_two_legged_access_token(),
            lambda: client.introspect_access_token(refresh_token),
        ):
            with pytest.raises(AuthError) as caught:
                call()
            outputs += texts_of(caught.value)
            assert caught.value.response is None or caught.value.response.raw is None
    outputs += log.lines
    assert_clean([client_secret, code, refresh_token], outputs)


def test_the_url_encoded_client_secret_is_scrubbed_from_auth_errors() -> None:
    secret = "s3cr+t/with=sp ce&é"
    client = oauth_client(echo_everything, secret)
    with pytest.raises(AuthError) as caught:
        client.get_two_legged_access_token()
    message = str(caught.value)
    assert "***" in message
    for form in forms(secret):
        assert form not in message
    assert "client_secret=***" in message


def test_scrub_finds_every_encoding_of_a_secret() -> None:
    secret = "ab+c/d=e&f g%hé"
    encoded = [
        secret,
        quote(secret, safe=""),
        quote(secret, safe="").lower(),
        quote_plus(secret),
        "ab%2Bc/d=e&f+g%25h%C3%A9",  # partly encoded, as HTTP libraries do
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    ]
    for text in encoded:
        assert scrub(f"<{text}>", [secret]) == "<***>", text
    assert scrub("nothing here", [secret]) == "nothing here"
    assert scrub("short", ["abc"]) == "short"  # too short to be scrubbed safely


# --------------------------------------------------------------------------- pickling


def test_a_pickled_error_holds_no_library_object_and_no_token() -> None:
    token = "AQVtokenThatMustNotLeak12345"
    request = Request(
        "GET",
        "https://api.linkedin.com/v2/adAccounts/9?oauth2_access_token=qtok-123456",
        {"Authorization": f"Bearer {token}"},
    )
    # What requests' Response keeps: the prepared request, headers included.
    raw = {"request": {"headers": {"Authorization": f"Bearer {token}"}}}
    response = Response(404, {"Content-Type": "application/json"}, b"{}", request.url, raw)
    error = error_from_response(request, response)
    assert isinstance(error, NotFoundError)
    data = pickle.dumps(error)
    assert f"Bearer {token}".encode() not in data and b"qtok-123456" not in data
    clone = pickle.loads(data)
    assert type(clone) is NotFoundError
    assert (clone.status_code, clone.message) == (404, "Not Found (empty JSON object)")
    assert clone.request_url == "https://api.linkedin.com/v2/adAccounts/9?oauth2_access_token=***"
    assert clone.response is not None and clone.response.raw is None
    assert clone.response.status_code == 404 and clone.response.body == b"{}"
    assert str(clone) == str(error)
    # The error itself (not pickled) still has the library's object for debugging.
    assert error.response is response and error.response.raw is raw


def test_a_pickled_response_drops_raw_and_masks_its_url() -> None:
    url = "https://api.linkedin.com/v2/me?oauth2_access_token=qtok-123456&x=1"
    response = Response(200, {"A": "b"}, b"{}", url, raw=object())
    clone = pickle.loads(pickle.dumps(response))
    assert clone.url == "https://api.linkedin.com/v2/me?oauth2_access_token=***&x=1"
    assert clone.raw is None and clone.body == b"{}" and clone.headers == response.headers
    typed = parse_response(Request("GET", url), response)
    assert typed.url == "https://api.linkedin.com/v2/me?oauth2_access_token=***&x=1"
    assert typed.core_response.url == url  # the core response keeps what it was given
    assert b"qtok-123456" not in pickle.dumps(typed)


def test_an_error_kept_attribute_holding_a_request_is_not_pickled() -> None:
    token = "AQVtokenThatMustNotLeak12345"
    error = RestliError("boom")
    error.request = Request("GET", "https://x.example/", {"Authorization": f"Bearer {token}"})  # type: ignore[attr-defined]
    data = pickle.dumps(error)
    assert token.encode() not in data
    assert pickle.loads(data).request is None


def test_oauth_token_responses_mask_tokens_in_repr() -> None:
    server = RestliServer()
    client = oauth_client(server, "secret-123456")
    token = client.get_two_legged_access_token()
    assert token.access_token not in repr(token)
    response = server.handle(client.auth.get_two_legged_access_token())
    assert parse_access_token_2l(response).access_token not in repr(parse_access_token_2l(response))

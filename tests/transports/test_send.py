"""Contract: every adapter's transport sends a core Request exactly as built.

Raw sending only (no builder, no parser): the target, headers and body bytes the
server receives, the Response built from the answer, and the mapping of failures to
TransportError / TransportTimeout.
"""

from __future__ import annotations

import pytest
from _loopback import LoopbackServer, Reply, refused_url
from conftest import Harness

from restli_core import Headers, Request, TransportError, TransportTimeout

TOKEN = "tok-SECRET-123"

# Targets as the core writes them (escapes upper-case) that an HTTP library is
# tempted to "fix" (PROTOCOL.md §8): the Rest.li empty string and quotes, escaped and
# literal grammar characters, %2F and %25, escaped UTF-8, dot segments literal and
# escaped, every sub-delimiter, and a query far longer than a URL line usually is.
TARGETS = [
    "/v2/r/''?ids=List(%2C,'',a%27b)",
    "/v2/r/(a:1,b:%27x%27)?q=search&search=(name:(values:List(%2C%20,'')))",
    "/v2/a/./b/../c?x=%7E&y=~!$*;@/?&z=%25",
    "/v2/urn%3Ali%3Aorganization%3A1?fields=id,name",
    "/v2/r/'%27'?q=''&x='%20'&y=%22quoted%22",
    "/v2/r/(a:%2C,b:%3A,c:List(%28%29,:))?x=(k:urn%3Ali%3Ax%3A1,v:List(a,b))",
    "/v2/files/a%2Fb%2F..%2Fc?path=/a/b/../c&p=%2F",
    "/v2/r/100%25?x=%2525&y=%25%25&z=%2541",
    "/v2/r/caf%C3%A9/%E2%82%AC?q=%F0%9F%98%80%20na%C3%AFve",
    "/v2/r/%2E%2E/%2E/x/..%2F?y=..%2F..&z=%2E",
    "/v2/r/../../x/./.?y=./..",
    "/v2/r/a!$&'()*+,;=:@b?c=!$'()*,;:@/?&d=%3D%26%2B%23",
    "/v2/r?q=search&" + "&".join(f"p{i}=List(v{i},%27x%27,%2C)" for i in range(200)),
]


def _request(h: Harness, target: str, **kwargs: object) -> Request:
    headers = kwargs.pop("headers", None) or [
        ("X-RestLi-Protocol-Version", "2.0.0"),
        ("Authorization", f"Bearer {TOKEN}"),
    ]
    return Request(kwargs.pop("method", "GET"), h.server.url + target, Headers(headers), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("target", TARGETS)
def test_target_arrives_byte_for_byte(h: Harness, server: LoopbackServer, target: str) -> None:
    transport = h.transport()
    response = h.send(transport, _request(h, target))
    assert response.status_code == 200
    assert server.last.target == target
    assert server.last.method == "GET"


def test_lower_case_escapes_written_by_hand(h: Harness, server: LoopbackServer) -> None:
    # The core writes escapes upper-case; a lower-case one can only come from a
    # resource_path or base_url written so. urllib3's urlopen, which requests sends
    # through too, upper-cases every %xx of the target and has no option not to: an
    # equivalent URL (RFC 3986 §6.2.2.1), but not the same bytes.
    target = "/v2/a%2fb/caf%c3%a9?x=%2c%7e"
    h.send(h.transport(), _request(h, target))
    if h.name in ("requests", "urllib3"):
        assert server.last.target == "/v2/a%2Fb/caf%C3%A9?x=%2C%7E"
    else:
        assert server.last.target == target


def test_urls_the_core_builds_arrive_byte_for_byte(h: Harness, server: LoopbackServer) -> None:
    # End to end: whatever the builder makes of awkward keys and values is what the
    # server reads on the request line.
    client = h.client()
    calls: list[dict[str, object]] = [
        {"resource_path": "/r/{k}", "path_keys": {"k": ""}, "query_params": {"x": ""}},
        {"resource_path": "/r/{k}", "path_keys": {"k": "..."}, "query_params": {"x": ".."}},
        {"resource_path": "/r/{k}", "path_keys": {"k": "a/b?c#d"}, "query_params": {"x": "/?#"}},
        {"resource_path": "/r/{k}", "path_keys": {"k": "100%"}, "query_params": {"x": "%25"}},
        {
            "resource_path": "/r/{k}",
            "path_keys": {"k": {"a": "it's", "b": ["(", ")", ",", ":"]}},
            "query_params": {"q": "café €", "u": "urn:li:organization:1", "e": ["", "''"]},
        },
        {"resource_path": "/r", "query_params": {"ids": [f"id,{i}'" for i in range(300)]}},
    ]
    for call in calls:
        client.get(**call, access_token=TOKEN)
        built = client.builder.get(**call, access_token=TOKEN)
        assert server.url + server.last.target == built.url


def test_body_and_headers_arrive_as_given(h: Harness, server: LoopbackServer) -> None:
    body = b'{"a": "\\u00e9"}\r\n--x\r\n\x00\xff binary'
    request = _request(
        h,
        "/v2/r",
        method="POST",
        body=body,
        headers=[
            ("X-RestLi-Method", "create"),
            ("Content-Type", "application/json"),
            ("X-Custom", "a b,c"),
        ],
    )
    h.send(h.transport(), request)
    got = server.last
    assert got.method == "POST"
    assert got.body == body
    assert got.header("X-RestLi-Method") == "create"
    assert got.header("Content-Type") == "application/json"
    assert got.header("X-Custom") == "a b,c"


def test_no_content_type_is_added(h: Harness, server: LoopbackServer) -> None:
    # A body without a declared type must go out without one (aiohttp would add
    # application/octet-stream; a request without a body never gets one).
    h.send(h.transport(), _request(h, "/v2/r", method="POST", body=b"q=1"))
    assert server.last.body == b"q=1"
    assert "content-type" not in server.last.header_names()
    h.send(h.transport(), _request(h, "/v2/r/1", method="DELETE"))
    assert server.last.method == "DELETE"
    assert "content-type" not in server.last.header_names()
    assert server.last.body == b""


def test_response_keeps_status_every_header_pair_and_body(
    h: Harness, server: LoopbackServer
) -> None:
    server.script(
        Reply(
            201,
            [("X-RestLi-Id", "urn%3Ali%3Ax%3A1"), ("X-Multi", "one"), ("X-Multi", "two")],
            b"\x00raw bytes\xff",
        )
    )
    request = _request(h, "/v2/r?x=1")
    response = h.send(h.transport(), request)
    assert response.status_code == 201
    assert response.body == b"\x00raw bytes\xff"
    assert response.headers["x-restli-id"] == "urn%3Ali%3Ax%3A1"
    multi = [v for n, v in response.headers.raw if n.lower() == "x-multi"]
    assert multi == ["one", "two"]
    assert response.url == request.url
    assert response.raw is not None


def test_header_bytes_read_alike_by_every_adapter(h: Harness, server: LoopbackServer) -> None:
    # RFC 9110 §5.5: bytes 0x80-0xFF in a value are opaque data. Every adapter hands
    # the core the same text for them (one character per byte, as http.client reads
    # them), whatever its library would guess.
    utf8 = "café €".encode().decode("latin-1")  # the UTF-8 bytes, one char per byte
    server.script(Reply(200, [("X-Name", utf8), ("X-Latin", "caf\xe9")], b"{}"))
    response = h.send(h.transport(), _request(h, "/v2/r"))
    assert response.headers["X-Name"] == utf8
    assert response.headers["x-latin"] == "caf\xe9"


def test_read_timeout_raises_transport_timeout(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(action="hang"))
    transport = h.transport(timeout=(2.0, 0.3))
    with pytest.raises(TransportTimeout) as info:
        h.send(transport, _request(h, "/v2/slow"))
    assert info.value.sent is True
    assert info.value.request_method == "GET"
    assert isinstance(info.value.__cause__, BaseException)  # raised "from" the library's
    assert TOKEN not in str(info.value)


def test_connection_reset_raises_transport_error(h: Harness, server: LoopbackServer) -> None:
    # A POST: libraries may silently resend an idempotent request once on a dropped
    # connection (aiohttp does), never a POST.
    server.script(Reply(action="reset"))
    with pytest.raises(TransportError) as info:
        h.send(h.transport(), _request(h, "/v2/r", method="POST", body=b"{}"))
    assert not isinstance(info.value, TransportTimeout)
    assert info.value.sent is True  # the request went out: a POST must not be repeated
    assert info.value.__cause__ is not None
    assert len(server.received) == 1


def test_closed_without_answer_raises_transport_error(h: Harness, server: LoopbackServer) -> None:
    server.script(Reply(action="close"))
    with pytest.raises(TransportError) as info:
        h.send(h.transport(), _request(h, "/v2/r", method="POST", body=b"{}"))
    assert info.value.sent is True
    assert len(server.received) == 1


def test_connection_refused_is_not_sent(h: Harness) -> None:
    request = Request("POST", refused_url() + "/v2/r", Headers(), b"{}")
    with pytest.raises(TransportError) as info:
        h.send(h.transport(), request)
    assert info.value.sent is False
    assert not isinstance(info.value, TransportTimeout)
    assert info.value.request_url == request.url


def test_connection_is_reused(h: Harness, server: LoopbackServer) -> None:
    transport = h.transport()
    for i in range(3):
        h.send(transport, _request(h, f"/v2/r/{i}"))
    assert [r.target for r in server.received] == ["/v2/r/0", "/v2/r/1", "/v2/r/2"]
    assert server.accepted == 1  # one pooled keep-alive connection


def test_redirects_are_not_followed(h: Harness, server: LoopbackServer) -> None:
    # Following a redirect would replay the bearer token to wherever Location points.
    server.script(Reply(302, [("Location", f"{server.url}/elsewhere")]))
    response = h.send(h.transport(), _request(h, "/v2/r"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"{server.url}/elsewhere"
    assert [r.target for r in server.received] == ["/v2/r"]


def test_transport_errors_scrub_a_token_carried_in_the_url(h: Harness) -> None:
    # Some LinkedIn endpoints accept oauth2_access_token as a query parameter; HTTP
    # libraries quote the failing URL in their messages.
    request = Request("GET", f"{refused_url()}/v2/me?oauth2_access_token={TOKEN}&x=1")
    with pytest.raises(TransportError) as info:
        h.send(h.transport(), request)
    assert TOKEN not in str(info.value)
    assert TOKEN not in info.value.request_url
    assert "oauth2_access_token=***" in str(info.value)

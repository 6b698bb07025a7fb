"""Contract: connections over their life, for every adapter.

Connections go back to the pool after errors, a server that closes a connection
(after a reply, or while it is idle) costs no call, a full pool ends in an error
instead of a hang, and HTTPS works with the user's own trust settings.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
import requests
import trustme
import urllib3
from _loopback import ConnectProxy, LoopbackServer, Reply, json_reply
from conftest import ADAPTERS, Harness

from restli_core import (
    Headers,
    Request,
    ResponseDecodeError,
    RestliUsageError,
    ServerError,
    TransportError,
)

TOKEN = "AQX-secret-token-0123456789"


def _wait_until_closed(h: Harness, server: LoopbackServer) -> None:
    """Wait until the server has closed every connection, and the client has seen it."""
    deadline = time.monotonic() + 5
    while server._connections and time.monotonic() < deadline:
        time.sleep(0.005)
    assert not server._connections
    # Loopback delivers the FIN within microseconds. An async client learns of it
    # when its event loop runs, as an application's loop does while it is idle.
    if h.loop is not None:
        h.run(asyncio.sleep(0.05))
    else:
        time.sleep(0.05)


def test_connections_go_back_to_the_pool_after_error_replies(
    h: Harness, server: LoopbackServer
) -> None:
    # An error status and an undecodable body are read to the end, so their
    # connection is reused; only the reset one is replaced.
    client = h.client()
    server.script(
        json_reply({"message": "boom"}, status=500),
        Reply(200, [("Content-Type", "application/json")], b"{not json"),
        json_reply({"ok": 1}),
        Reply(action="reset"),
        json_reply({"ok": 2}),
    )
    with pytest.raises(ServerError):
        client.get(resource_path="/me", access_token=TOKEN)
    with pytest.raises(ResponseDecodeError):
        client.get(resource_path="/me", access_token=TOKEN)
    assert client.get(resource_path="/me", access_token=TOKEN).entity == {"ok": 1}
    assert server.accepted == 1
    with pytest.raises(TransportError):
        client.create(resource_path="/r", entity={"a": 1}, access_token=TOKEN)
    assert client.get(resource_path="/me", access_token=TOKEN).entity == {"ok": 2}
    assert server.accepted == 2


def test_a_connection_closed_after_its_reply_is_replaced(
    h: Harness, server: LoopbackServer
) -> None:
    client = h.client()
    server.script(
        Reply(200, [("Connection", "close")], b'{"n": 1}', action="reply_close"),
        json_reply({"n": 2}),
        json_reply({"n": 3}),
    )
    for n in (1, 2, 3):
        assert client.get(resource_path="/me", access_token=TOKEN).entity == {"n": n}
    assert server.accepted == 2
    assert len(server.received) == 3


def test_a_connection_the_server_closed_while_idle_is_not_used(
    h: Harness, server: LoopbackServer
) -> None:
    # A keep-alive timeout on the server: the reply says nothing, the socket closes
    # after it. The next call must notice and connect again, even for a POST, which
    # no library may re-send.
    client = h.client()
    server.script(Reply(200, [], b'{"n": 1}', action="reply_close"))
    assert client.get(resource_path="/me", access_token=TOKEN).entity == {"n": 1}
    _wait_until_closed(h, server)
    server.script(json_reply({}, status=201, headers=[("X-RestLi-Id", "7")]))
    assert client.create(resource_path="/r", entity={"a": 1}, access_token=TOKEN).entity_id == "7"
    assert server.accepted == 2
    assert [r.method for r in server.received] == ["GET", "POST"]


def test_urllib3_waits_for_a_free_connection_no_longer_than_the_connect_timeout(
    make_harness: Any, server: LoopbackServer
) -> None:
    h = make_harness("urllib3")
    pool = urllib3.PoolManager(maxsize=1, block=True)
    client = h.client(pool=pool, timeout=(0.3, 5.0))
    assert client.get(resource_path="/me", access_token=TOKEN).status_code == 200
    # A response left unread holds the only connection.
    held = pool.urlopen("GET", f"{server.url}/held", preload_content=False)
    start = time.monotonic()
    with pytest.raises(TransportError) as info:
        client.get(resource_path="/me", access_token=TOKEN)
    assert time.monotonic() - start < 3
    assert info.value.sent is False
    assert "EmptyPoolError" in str(info.value)
    held.drain_conn()
    held.release_conn()
    assert client.get(resource_path="/me", access_token=TOKEN).status_code == 200
    assert server.accepted == 1
    pool.clear()


# -- HTTPS ---------------------------------------------------------------------------


def test_httpx_async_waits_for_a_slot_not_in_the_pool(
    make_harness: Any, server: LoopbackServer
) -> None:
    # A thousand calls at once over five connections, with a pool timeout of 1 s:
    # queued in httpx's pool (max_in_flight=1000), every one ends in PoolTimeout.
    h = make_harness("httpx-async")
    own = httpx.AsyncClient(limits=httpx.Limits(max_connections=5))
    try:
        client = h.client(client=own, max_in_flight=5, timeout=(1.0, 5.0)).target

        async def many() -> list[Any]:
            calls = [client.get(resource_path="/me", access_token=TOKEN) for _ in range(1000)]
            return await asyncio.wait_for(asyncio.gather(*calls), 30)

        assert [r.entity for r in h.run(many())] == [{}] * 1000
        assert server.accepted == 5
    finally:
        h.run(own.aclose())


@pytest.mark.parametrize("value", [0, -1, True, 1.5, None])
def test_httpx_async_max_in_flight_is_checked(value: Any) -> None:
    import restli_httpx

    with pytest.raises(RestliUsageError):
        restli_httpx.AsyncHttpxTransport(max_in_flight=value)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[LoopbackServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    srv = LoopbackServer(ssl_context=context)
    try:
        yield srv
    finally:
        srv.stop()


def _trusting_session(h: Harness, ca: trustme.CA, tmp_path: Path) -> Any:
    """The user's own session/client/pool, trusting only the test CA."""
    context = ssl.create_default_context()
    ca.configure_trust(context)
    if h.name == "requests":
        session = requests.Session()
        bundle = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(bundle))
        session.verify = str(bundle)
        return session
    if h.name == "httpx":
        return httpx.Client(verify=context)
    if h.name == "httpx-async":
        return httpx.AsyncClient(verify=context)
    if h.name == "urllib3":
        return urllib3.PoolManager(ssl_context=context)

    async def make() -> aiohttp.ClientSession:
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context))

    return h.run(make())


def _close_own(h: Harness, own: Any) -> None:
    if h.name == "urllib3":
        own.clear()
    elif h.name == "httpx-async":
        h.run(own.aclose())
    elif h.name == "aiohttp":
        h.run(own.close())
    else:
        own.close()


@pytest.mark.parametrize("name", ADAPTERS)
def test_https_uses_the_users_trust_settings_and_refuses_an_unknown_certificate(
    name: str, tls_server: LoopbackServer, ca: trustme.CA, tmp_path: Path
) -> None:
    h = Harness(name, tls_server)
    try:
        own = _trusting_session(h, ca, tmp_path)
        try:
            client = h.client(**{h.session_kw: own})
            for n in range(2):  # the second call reuses the TLS connection
                response = client.finder(
                    resource_path="/adAccounts",
                    finder_name="search",
                    query_params={"search": {"name": "a b"}, "start": n},
                    access_token=TOKEN,
                    version_string="202406",
                )
                assert response.status_code == 200
            assert [r.target for r in tls_server.received] == [
                f"/rest/adAccounts?q=search&search=(name:a%20b)&start={n}" for n in range(2)
            ]
            assert tls_server.accepted == 1
        finally:
            _close_own(h, own)
        # A client with default trust settings does not know the test CA.
        with pytest.raises(TransportError) as info:
            h.client().get(resource_path="/me", access_token=TOKEN)
        assert info.value.sent is False
        assert TOKEN not in str(info.value)
        assert len(tls_server.received) == 2  # nothing reached the server
    finally:
        h.close_all()


def test_requests_session_verify_wins_over_the_ca_bundle_environment(
    tls_server: LoopbackServer, ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # requests itself lets REQUESTS_CA_BUNDLE replace the session's own setting.
    stranger = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(stranger))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(stranger))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(stranger))
    h = Harness("requests", tls_server)
    try:
        own = _trusting_session(h, ca, tmp_path)
        client = h.client(session=own)
        assert client.get(resource_path="/me", access_token=TOKEN).status_code == 200
        own.verify = False
        with pytest.warns(urllib3.exceptions.InsecureRequestWarning):
            assert client.get(resource_path="/me", access_token=TOKEN).status_code == 200
        own.close()
        # Without a setting of the session's own, the environment's bundle applies.
        with pytest.raises(TransportError) as info:
            h.client().get(resource_path="/me", access_token=TOKEN)
        assert "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    finally:
        h.close_all()


# -- proxies -------------------------------------------------------------------------


@pytest.fixture
def connect_proxy() -> Iterator[ConnectProxy]:
    proxy = ConnectProxy()
    try:
        yield proxy
    finally:
        proxy.stop()


def _proxied_session(h: Harness, ca: trustme.CA, tmp_path: Path, proxy: str) -> Any:
    """The user's own session/client/pool, through ``proxy`` and trusting the test CA."""
    own = _trusting_session(h, ca, tmp_path)
    if h.name == "requests":
        own.proxies = {"https": proxy}
        return own
    context = ssl.create_default_context()
    ca.configure_trust(context)
    _close_own(h, own)
    if h.name == "httpx":
        return httpx.Client(verify=context, proxy=proxy)
    if h.name == "httpx-async":
        return httpx.AsyncClient(verify=context, proxy=proxy)
    if h.name == "urllib3":
        return urllib3.ProxyManager(proxy, ssl_context=context)

    async def make() -> aiohttp.ClientSession:
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context), proxy=proxy)

    return h.run(make())


@pytest.mark.parametrize("name", ADAPTERS)
def test_https_through_a_proxy_tunnel_keeps_the_target_byte_for_byte(
    name: str,
    tls_server: LoopbackServer,
    connect_proxy: ConnectProxy,
    ca: trustme.CA,
    tmp_path: Path,
) -> None:
    h = Harness(name, tls_server)
    try:
        own = _proxied_session(h, ca, tmp_path, connect_proxy.url)
        try:
            transport = h.transport(**{h.session_kw: own})
            targets = ["/v2/%2E%2E/a%2Fb/''?q=''&x=..%2F&z=%2C", "/v2/r/../x/./y?q=./.."]
            if h.name.startswith("httpx"):
                # httpx drops dot segments unless given the target whole, and
                # httpcore 1.0 then sends that target in the CONNECT too.
                dotted = targets.pop()
                with pytest.raises(TransportError):
                    h.send(transport, Request("GET", tls_server.url + dotted))
                assert connect_proxy.tunnels.pop() == dotted  # "CONNECT /v2/r/../x/..."
            for target in targets:
                request = Request("GET", tls_server.url + target, Headers())
                assert h.send(transport, request).status_code == 200
            assert [r.target for r in tls_server.received] == targets
            assert connect_proxy.tunnels == [f"127.0.0.1:{tls_server.port}"]
        finally:
            _close_own(h, own)
    finally:
        h.close_all()


def test_urllib3_through_a_proxy_manager_sends_the_absolute_url_to_the_proxy(
    make_harness: Any, server: LoopbackServer
) -> None:
    # The loopback server plays the proxy: a plain-HTTP request through a proxy
    # carries the absolute URL as its target.
    h = make_harness("urllib3")
    proxy = urllib3.ProxyManager(server.url)
    client = h.client(pool=proxy, base_url="http://localhost:9/v2")  # never dialled
    response = client.finder(
        resource_path="/r",
        finder_name="search",
        query_params={"name": "", "ids": [","]},
        access_token=TOKEN,
    )
    assert response.status_code == 200
    assert server.last.target == "http://localhost:9/v2/r?ids=List(%2C)&name=''&q=search"
    # The absolute form is urllib3's to write, and it removes dot segments (plain
    # http, so loopback only: the core refuses http:// for any other host).
    h.send(h.transport(pool=proxy), Request("GET", "http://localhost:9/v2/a/../b/./c"))
    assert server.last.target == "http://localhost:9/v2/b/c"
    proxy.clear()


# -- urllib3: the manager's pools ----------------------------------------------------


def test_urllib3_uses_the_pools_of_the_users_manager(
    make_harness: Any, server: LoopbackServer
) -> None:
    # A manager of one pool closes the pool of one origin to open the other's:
    # the transport takes the manager's new pool each time.
    other = LoopbackServer()
    try:
        h = make_harness("urllib3")
        pool = urllib3.PoolManager(num_pools=1)
        transport = h.transport(pool=pool)
        for url in (server.url, other.url, server.url, other.url):
            assert h.send(transport, Request("POST", f"{url}/v2/r", Headers(), b"{}")).ok
        assert len(server.received) == len(other.received) == 2
        assert len(pool.pools) == 1
        pool.clear()
    finally:
        other.stop()

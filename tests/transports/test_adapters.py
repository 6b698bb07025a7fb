"""Each adapter package: its exports, session ownership, and the missing-library message."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
import requests
import urllib3
from _loopback import LoopbackServer, Reply, json_reply
from conftest import Harness

from restli_core import ResponseDecodeError, ServerError, TransportError
from restli_core.transport import split_url

TOKEN = "AQX-secret-token-0123456789"

EXPORTS = {
    "restli_requests": ["AuthClient", "RequestsTransport", "RestliClient"],
    "restli_httpx": [
        "AsyncAuthClient",
        "AsyncHttpxTransport",
        "AsyncRestliClient",
        "AuthClient",
        "HttpxTransport",
        "RestliClient",
    ],
    "restli_urllib3": ["AuthClient", "RestliClient", "Urllib3Transport"],
    "restli_aiohttp": ["AiohttpTransport", "AsyncAuthClient", "AsyncRestliClient", "send_once"],
}
LIBRARY = {
    "restli_requests": ("requests", "requests"),
    "restli_httpx": ("httpx", "httpx"),
    "restli_urllib3": ("urllib3", "urllib3"),
    "restli_aiohttp": ("aiohttp", "aiohttp"),
}


@pytest.mark.parametrize("package", sorted(EXPORTS))
def test_exports(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__all__ == EXPORTS[package]
    for name in module.__all__:
        assert getattr(module, name).__module__.startswith(package)


@pytest.mark.parametrize("package", sorted(LIBRARY))
def test_missing_library_names_the_extra(package: str, monkeypatch: pytest.MonkeyPatch) -> None:
    library, extra = LIBRARY[package]
    for name in list(sys.modules):
        if name == package or name.startswith(f"{package}."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, library, None)  # "import <library>" now fails
    with pytest.raises(ImportError) as info:
        importlib.import_module(package)
    assert f'pip install "restli-client[{extra}]"' in str(info.value)
    assert isinstance(info.value.__cause__, ImportError)


@pytest.mark.parametrize("package", sorted(EXPORTS))
def test_adapters_use_only_public_names(package: str) -> None:
    # DESIGN.md, Transports: the public names of the core (restli_core and
    # restli_core.transport) and the public API of the HTTP library, nothing else.
    folder = Path(importlib.import_module(package).__file__ or "").parent
    for source in folder.glob("*.py"):
        tree = ast.parse(source.read_text(), str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith("restli_core"):
                    assert node.module in ("restli_core", "restli_core.transport"), source
                for alias in node.names:
                    assert not alias.name.startswith("_"), (source, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not any(p.startswith("_") for p in alias.name.split(".")), source
            elif isinstance(node, ast.Attribute) and node.attr[:1] == "_" != node.attr[-1:]:
                # Private attributes of our own objects only (self._x; dunders are fine).
                assert isinstance(node.value, ast.Name) and node.value.id == "self", (
                    source,
                    node.lineno,
                    node.attr,
                )
            elif isinstance(node, ast.Name):
                assert node.id not in ("exec", "eval"), source


@pytest.mark.parametrize(
    ("url", "origin", "target"),
    [
        ("https://api.linkedin.com/v2/me", "https://api.linkedin.com", "/v2/me"),
        ("http://127.0.0.1:8080/v2/a/../b?x=''", "http://127.0.0.1:8080", "/v2/a/../b?x=''"),
        ("http://h:1/v2/a%2fb/./?q=/a?b#frag", "http://h:1", "/v2/a%2fb/./?q=/a?b"),
        ("http://h:1?q=/x", "http://h:1", "/?q=/x"),
        ("http://h:1", "http://h:1", "/"),
    ],
)
def test_split_url_keeps_the_target_as_written(url: str, origin: str, target: str) -> None:
    assert split_url(url) == (origin, target)


def test_importing_an_adapter_imports_only_its_library() -> None:
    code = (
        "import sys, restli_urllib3\n"
        "print(','.join(m for m in ('httpx', 'aiohttp') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


# ----------------------------------------------------------------------------- ownership


class TrackingSession(requests.Session):
    closed = False

    def close(self) -> None:
        self.closed = True
        super().close()


class TrackingPool(urllib3.PoolManager):
    cleared = False

    def clear(self) -> None:
        self.cleared = True
        super().clear()


def _own(h: Harness) -> Any:
    if h.name == "requests":
        return TrackingSession()
    if h.name == "urllib3":
        return TrackingPool()
    if h.name == "httpx":
        return httpx.Client()
    if h.name == "httpx-async":
        return httpx.AsyncClient()
    return h.run(_aiohttp_session())


async def _aiohttp_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()


def _is_closed(h: Harness, obj: Any) -> bool:
    if h.name == "requests":
        return bool(obj.closed)
    if h.name == "urllib3":
        return bool(obj.cleared)
    if h.name in ("httpx", "httpx-async"):
        return bool(obj.is_closed)
    return bool(obj.closed)


def _close(h: Harness, obj: Any) -> None:
    if h.name in ("httpx-async", "aiohttp"):
        h.run(obj.aclose() if h.name == "httpx-async" else obj.close())
    elif h.name == "urllib3":
        obj.clear()
    else:
        obj.close()


def test_users_session_is_used_and_never_closed(h: Harness, server: LoopbackServer) -> None:
    own = _own(h)
    try:
        client = h.client(**{h.session_kw: own})
        assert getattr(client.target if h.is_async else client, h.session_kw) is own
        client.get(resource_path="/me", access_token=TOKEN)
        assert server.last.target == "/v2/me"
        if h.is_async:
            h.run(client.target.aclose())
        else:
            client.close()
        assert not _is_closed(h, own)
    finally:
        _close(h, own)


def test_own_session_is_closed(h: Harness, server: LoopbackServer) -> None:
    client = h.client()
    client.get(resource_path="/me", access_token=TOKEN)
    real = client.target if h.is_async else client
    session = getattr(real, h.session_kw)
    if h.name == "requests":
        closed: list[bool] = []
        adapter = session.get_adapter(server.url)
        original = adapter.close

        def close() -> None:
            closed.append(True)
            original()

        adapter.close = close
        client.close()
        assert closed == [True]
    elif h.name == "urllib3":
        assert len(session.pools) == 1
        client.close()
        assert len(session.pools) == 0
    else:
        if h.is_async:
            h.run(real.aclose())
        else:
            client.close()
        assert _is_closed(h, session)


def test_requests_session_hooks_are_honoured(make_harness: Any, server: LoopbackServer) -> None:
    # The official client documents session hooks but bypasses them (PROTOCOL.md §8).
    h = make_harness("requests")
    client = h.client()
    seen: list[int] = []
    client.session.hooks["response"].append(lambda r, *a, **k: seen.append(r.status_code))
    client.get(resource_path="/me", access_token=TOKEN)
    assert seen == [200]


def test_requests_hook_that_reads_the_body(make_harness: Any, server: LoopbackServer) -> None:
    # A response hook runs before the adapter reads the body; one that reads it
    # itself (r.text, r.json()) leaves the adapter the body it read.
    h = make_harness("requests")
    client = h.client()
    seen: list[str] = []
    client.session.hooks["response"].append(lambda r, *a, **k: seen.append(r.text))
    server.script(json_reply({"a": 1}), Reply(200, [("Content-Type", "application/json")], b""))
    assert client.get(resource_path="/me", access_token=TOKEN).entity == {"a": 1}
    assert client.get(resource_path="/me", access_token=TOKEN).status_code == 200
    assert seen == ['{"a": 1}', ""]
    assert server.accepted == 1


def test_requests_netrc_does_not_replace_the_bearer_token(
    make_harness: Any, server: LoopbackServer, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login someone password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    h = make_harness("requests")
    h.client().get(resource_path="/me", access_token=TOKEN)
    assert server.last.header("Authorization") == f"Bearer {TOKEN}"


def test_aiohttp_session_is_created_inside_the_loop(
    make_harness: Any, server: LoopbackServer
) -> None:
    h = make_harness("aiohttp")
    client = h.client()
    assert client.target.session is None  # nothing created outside the event loop
    client.get(resource_path="/me", access_token=TOKEN)
    assert isinstance(client.target.session, aiohttp.ClientSession)


def test_sync_clients_are_context_managers(make_harness: Any, server: LoopbackServer) -> None:
    import restli_httpx
    import restli_requests
    import restli_urllib3

    for module in (restli_requests, restli_httpx, restli_urllib3):
        with module.RestliClient(base_url=f"{server.url}/v2", retry=None) as client:
            client.get(resource_path="/me", access_token=TOKEN)
        with module.AuthClient("cid", "secret") as auth:
            assert auth.client_id == "cid"
    assert len(server.received) == 3


def test_async_clients_are_async_context_managers(server: LoopbackServer) -> None:
    import asyncio

    import restli_aiohttp
    import restli_httpx

    async def use() -> None:
        for module in (restli_aiohttp, restli_httpx):
            async with module.AsyncRestliClient(base_url=f"{server.url}/v2") as client:
                await client.get(resource_path="/me", access_token=TOKEN)
            async with module.AsyncAuthClient("cid", "secret") as auth:
                assert auth.client_id == "cid"

    asyncio.run(use())
    assert len(server.received) == 2


def test_a_closed_session_gives_a_transport_error_not_a_crash(
    h: Harness, server: LoopbackServer
) -> None:
    own = _own(h)
    client = h.client(**{h.session_kw: own})
    _close(h, own)
    try:
        response = client.get(resource_path="/me", access_token=TOKEN)
    except TransportError as exc:
        assert exc.sent is False
        assert h.name in ("httpx", "httpx-async", "aiohttp")
    else:  # requests and urllib3 reopen their pools on demand
        assert response.status_code == 200
        assert h.name in ("requests", "urllib3")


def test_aiohttp_gives_every_connection_back_after_errors_and_bad_bodies(
    make_harness: Any, server: LoopbackServer
) -> None:
    # One connection in the pool: a response the adapter failed to release would
    # make the next call wait for a connection until its timeout.
    h = make_harness("aiohttp")

    async def one_connection() -> aiohttp.ClientSession:
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1))

    session = h.run(one_connection())
    client = h.client(session=session, timeout=2.0)
    server.script(
        json_reply({"message": "boom"}, status=500),
        Reply(200, [("Content-Type", "application/json")], b"{not json"),
        Reply(action="reset"),
        json_reply({"ok": 1}),
        json_reply({"ok": 2}),
    )
    with pytest.raises(ServerError):
        client.get(resource_path="/me", access_token=TOKEN)
    with pytest.raises(ResponseDecodeError):
        client.get(resource_path="/me", access_token=TOKEN)
    with pytest.raises(TransportError):  # a POST: a session without send_once re-sends a GET
        client.create(resource_path="/r", entity={"a": 1}, access_token=TOKEN)
    assert client.get(resource_path="/me", access_token=TOKEN).entity == {"ok": 1}
    assert client.get(resource_path="/me", access_token=TOKEN).entity == {"ok": 2}
    h.run(session.close())


def test_aiohttp_session_of_your_own_sends_once_with_send_once(
    make_harness: Any, server: LoopbackServer
) -> None:
    import restli_aiohttp

    h = make_harness("aiohttp")

    async def session() -> aiohttp.ClientSession:
        return aiohttp.ClientSession(middlewares=[restli_aiohttp.send_once])

    own = h.run(session())
    try:
        client = h.client(session=own)
        server.script(Reply(action="reset"), json_reply({"resent": True}))
        with pytest.raises(TransportError) as info:
            client.get(resource_path="/me", access_token=TOKEN)
        assert info.value.sent is True
        assert "ClientOSError" in str(info.value)  # aiohttp's own error, unwrapped
        assert len(server.received) == 1
    finally:
        h.run(own.close())

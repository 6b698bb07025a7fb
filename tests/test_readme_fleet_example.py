"""The README's fleet example runs as written, with the values only a user has filled in.

The block (the one naming ``REFRESH_DEADLINE``) is left out of the in-order run of
the README examples; here it runs against an embedded server that checks tokens,
with a refresh token that server issued, and two "workers" (clients with stores of
their own over the same SQLite file) must share one renewal.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from restli_cli._serve import LoopbackServer
from restli_core.testing import RestliServer

README = Path(__file__).parent.parent / "README.md"


@pytest.fixture
def served() -> Iterator[tuple[RestliServer, str]]:
    server = RestliServer(check_tokens=True)
    http = LoopbackServer(server).start()
    try:
        yield server, http.url
    finally:
        http.close()


def test_the_fleet_example_shares_one_renewal(
    served: tuple[RestliServer, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, url = served
    monkeypatch.setenv("RESTLI_API_ROOT", url)
    (block,) = [
        b
        for b in re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
        if "REFRESH_DEADLINE" in b
    ]
    from restli_requests import RestliClient

    clients = []
    for _ in range(2):  # two workers, each with its own store object on one file
        namespace = {
            "RestliClient": RestliClient,
            "CLIENT_ID": "app-1",
            "CLIENT_SECRET": "secret-1",
            "REFRESH_TOKEN": None,
            "REFRESH_DEADLINE": time.time() + 300 * 86400,
            "STATE_FILE": str(tmp_path / "restli-state.sqlite3"),
        }
        if not clients:
            refresh = server.issue_refresh_token("app-1")
        namespace["REFRESH_TOKEN"] = refresh
        exec(compile(block, "README fleet block", "exec"), namespace)
        clients.append(namespace["client"])
    for client in clients:
        assert client.get(resource_path="/me").status_code == 200
    assert server.token_calls == 1
    for client in clients:
        client.close()

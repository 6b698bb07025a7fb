"""``restli serve`` as a test double from the command line: its output and every option.

Each test starts ``python -m restli_cli serve --port 0`` as a subprocess (bounded by
timeouts, stopped by the test) and talks plain HTTP to it with the standard library,
so what is checked is the server, not a client.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from restli_cli._main import parse_fault

HEADERS = {"X-RestLi-Protocol-Version": "2.0.0", "Authorization": "Bearer t"}


class Served:
    def __init__(self, root: str, lines: list[str]) -> None:
        self.root = root
        self.lines = lines
        parts = urlsplit(root)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def call(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers={**HEADERS, **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def json(self, method: str, path: str, **kw: Any) -> tuple[int, Any]:
        status, _, body = self.call(method, path, **kw)
        return status, json.loads(body) if body else None


@contextmanager
def serve(*args: str) -> Iterator[Served]:
    """``restli serve --port 0 --quiet ARGS``, stopped on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "restli_cli", "serve", "--port", "0", "--quiet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        found = re.search(r"RESTLI_API_ROOT=(\S+)", lines[1])
        assert found, [*lines, process.stderr.read()]
        yield Served(found.group(1), lines)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait(timeout=10)


def run_serve(*args: str) -> subprocess.CompletedProcess[str]:
    """``restli serve ARGS`` expected to stop by itself (bad input)."""
    return subprocess.run(
        [sys.executable, "-m", "restli_cli", "serve", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


def assert_usage_error(result: subprocess.CompletedProcess[str], text: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert text in result.stderr, result.stderr


# --------------------------------------------------------------------------- output


def test_it_prints_where_it_serves_and_the_line_to_export() -> None:
    with serve() as served:
        first, second = served.lines
        assert first.startswith("restli: serving the embedded Rest.li server on http://127.0.0.1:")
        url = first.split(" on ", 1)[1].split()[0]
        assert second == f"export RESTLI_API_ROOT={url}\n"
        status, me = served.json("GET", "/v2/me")
        assert status == 200 and me["id"] == "abc"
        status, _ = served.json("GET", "/rest/me", headers={"LinkedIn-Version": "202302"})
        assert status == 200


def test_the_official_examples_are_served_unless_left_out() -> None:
    with serve() as served:
        assert served.json("GET", "/v2/adAccounts/123")[0] == 200
    with serve("--no-official-examples") as served:
        assert served.json("GET", "/v2/adAccounts/123")[0] == 404
        status, page = served.json("GET", "/v2/adAccounts?q=search")
        assert status == 200 and page["paging"]["total"] == 25


def test_help_documents_the_fault_syntax_and_the_resources_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "restli_cli", "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    for text in ("--fault SPEC", "429:retry-after=2", "probability=P", "--token TOKEN"):
        assert text in result.stdout, text
    for text in ("--resources FILE", '"finders"', "RESTLI_API_ROOT"):
        assert text in result.stdout, text


# --------------------------------------------------------------------------- --token


def test_only_the_given_tokens_are_accepted() -> None:
    with serve("--token", "alpha", "--token", "beta") as served:
        for token in ("alpha", "beta"):
            status, _ = served.json("GET", "/v2/me", headers={"Authorization": f"Bearer {token}"})
            assert status == 200
        status, error = served.json("GET", "/v2/me", headers={"Authorization": "Bearer gamma"})
        assert status == 401 and error["code"] == "INVALID_ACCESS_TOKEN"
        assert "gamma" not in json.dumps(error)
        # A token the OAuth endpoints issue is accepted too.
        form = b"grant_type=client_credentials&client_id=a&client_secret=b"
        _, _, body = served.call(
            "POST",
            "/oauth/v2/accessToken",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        issued = json.loads(body)["access_token"]
        status, _ = served.json("GET", "/v2/me", headers={"Authorization": f"Bearer {issued}"})
        assert status == 200


def test_any_token_is_accepted_by_default() -> None:
    with serve() as served:
        status, _ = served.json("GET", "/v2/me", headers={"Authorization": "Bearer whatever"})
        assert status == 200


# --------------------------------------------------------------------------- --fault


def test_a_throttle_with_retry_after_then_normal_answers() -> None:
    with serve("--fault", "429:retry-after=2") as served:
        status, headers, body = served.call("GET", "/v2/me")
        assert status == 429 and headers["Retry-After"] == "2"
        assert json.loads(body)["code"] == "TOO_MANY_REQUESTS"
        assert served.call("GET", "/v2/me")[0] == 200


def test_faults_with_a_count_a_scope_and_in_order() -> None:
    with serve(
        "--fault", "503:times=2,path=/adAccounts", "--fault", "426:version=202212"
    ) as served:
        assert served.call("GET", "/v2/me")[0] == 200  # outside the first fault's path
        assert [served.call("GET", "/v2/adAccounts/1")[0] for _ in range(3)] == [503, 503, 200]
        versioned = {"LinkedIn-Version": "202212"}
        status, error = served.json("GET", "/rest/adAccounts/1", headers=versioned)
        assert status == 426 and error["code"] == "NONEXISTENT_VERSION"
        assert served.call("GET", "/rest/adAccounts/1", headers=versioned)[0] == 200


def test_a_probabilistic_fault_hits_some_requests_for_ever() -> None:
    with serve("--fault", "503:probability=0.5") as served:
        statuses = [served.call("GET", "/v2/me")[0] for _ in range(60)]
        assert set(statuses) == {200, 503}
        assert 10 < statuses.count(503) < 50


def test_latency_and_disconnect_faults() -> None:
    with serve("--fault", "delay=0.4", "--fault", "disconnect") as served:
        started = time.monotonic()
        assert served.call("GET", "/v2/me")[0] == 200
        assert time.monotonic() - started >= 0.4
        with pytest.raises((http.client.HTTPException, ConnectionError)):
            served.call("GET", "/v2/me")
        assert served.call("GET", "/v2/me")[0] == 200


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("200", "4xx or 5xx"),
        ("abc:times=1", "not a status code"),
        ("503:often=1", "unknown option"),
        ("503:times=0", "at least once"),
        ("503:times=many", "times takes"),
        ("503:probability=2", "probability"),
        ("503:delay=soon", "takes a number"),
        ("times=2", "a status, a delay or disconnect"),
        ("503:path=", "needs a value"),
    ],
)
def test_bad_fault_specs_are_one_line_and_exit_2(spec: str, message: str) -> None:
    assert_usage_error(run_serve("--fault", spec), message)


@pytest.mark.parametrize(
    ("spec", "kwargs"),
    [
        ("503", {"status": 503, "times": 1}),
        ("429:retry-after=2", {"status": 429, "retry_after": 2, "times": 1}),
        ("429:retry-after=1.5,times=3", {"status": 429, "retry_after": 1.5, "times": 3}),
        ("503:probability=0.25", {"status": 503, "probability": 0.25, "times": None}),
        ("503:probability=0.25,times=4", {"status": 503, "probability": 0.25, "times": 4}),
        ("500:times=always", {"status": 500, "times": None}),
        ("426:version=202212", {"status": 426, "version": "202212", "times": 1}),
        (
            "500:path=/adAccounts,method=batch_get",
            {"status": 500, "path": "/adAccounts", "method": "batch_get", "times": 1},
        ),
        ("delay=2.5,times=5", {"delay": 2.5, "times": 5}),
        ("disconnect", {"disconnect": True, "times": 1}),
        ("503:message=down: for a bit", {"status": 503, "message": "down: for a bit", "times": 1}),
    ],
)
def test_parse_fault(spec: str, kwargs: dict[str, Any]) -> None:
    assert parse_fault(spec) == kwargs


def test_parse_fault_errors_are_argparse_errors() -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_fault("nonsense")


# --------------------------------------------------------------------------- --resources


def test_extra_resources_and_entities_from_a_file(tmp_path: Path) -> None:
    spec = {
        "resources": [
            {
                "path": "/widgets",
                "entities": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}],
                "finders": {"byName": {"params": ["name"]}},
            },
            {"path": "/settings", "entity": {"lang": "en"}},
            {"path": "/adAccounts", "entities": [{"id": 900, "name": "Mine", "type": "BUSINESS"}]},
        ]
    }
    first = tmp_path / "widgets.json"
    first.write_text(json.dumps(spec))
    second = tmp_path / "more.json"
    second.write_text(json.dumps({"resources": [{"path": "/widgets", "entities": [{"id": 3}]}]}))
    with serve("--resources", str(first), "--resources", str(second)) as served:
        status, page = served.json("GET", "/v2/widgets?q=byName&name=b")
        assert status == 200 and [e["id"] for e in page["elements"]] == [2]
        assert served.json("GET", "/v2/widgets/3")[0] == 200
        assert served.json("GET", "/v2/settings") == (200, {"lang": "en"})
        status, account = served.json(
            "GET", "/rest/adAccounts/900", headers={"LinkedIn-Version": "202302"}
        )
        assert status == 200 and account["name"] == "Mine"
        assert served.json("GET", "/v2/adAccounts/123")[0] == 200  # the seed is still there


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "No such file"),
        ("{not json", "not valid JSON"),
        ('{"resources": [{"path": "/w", "colour": 1}]}', "resources[0]: unknown field(s)"),
        ('{"widgets": []}', '{"resources": [...]}'),
    ],
)
def test_a_bad_resources_file_is_one_line_and_exit_2(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "resources.json"
    if content is not None:
        path.write_text(content)
    result = run_serve("--resources", str(path))
    assert_usage_error(result, message)
    assert str(path) in result.stderr

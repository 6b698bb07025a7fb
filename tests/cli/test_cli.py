"""The ``restli`` command, run as a user runs it: as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

RESTLI = [sys.executable, "-m", "restli_cli"]
ENV = {k: v for k, v in os.environ.items() if k != "LINKEDIN_ACCESS_TOKEN"}


def restli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RESTLI, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env if env is not None else ENV,
        stdin=subprocess.DEVNULL,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("restli: ")
    assert text in lines[0]
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- encode / decode


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("query", "(k:List(%2F,%3D,''))".replace("%2F", "/")),
        ("path", "(k:List(%2F,=,''))"),
        ("reduced", "(k:List(/,=,''))"),
    ],
)
def test_encode_contexts(context: str, expected: str) -> None:
    result = restli("encode", '{"k": ["/", "=", ""]}', "--context", context)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_decode_prints_json() -> None:
    result = restli("decode", "(a:List('',x%20y),b:urn%3Ali%3Aperson%3A1)")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"a": ["", "x y"], "b": "urn:li:person:1"}


def test_decode_error_names_the_column() -> None:
    assert_one_line_error(restli("decode", "(a:b,c)"), 2, "column 7")


def test_invalid_json_exits_2() -> None:
    assert_one_line_error(restli("encode", "{bad"), 2, "invalid JSON")


def test_unencodable_json_value_exits_2() -> None:
    assert_one_line_error(restli("encode", "[1, null]"), 2, "None is not allowed in a list")


# --------------------------------------------------------------------------- request --dry-run


def test_dry_run_prints_the_exact_request_with_the_token_redacted() -> None:
    result = restli(
        "request",
        "finder",
        "/adAccounts",
        "--name",
        "search",
        "--param",
        'search={"status": {"values": ["ACTIVE"]}, "name": {"values": [""]}}',
        "--version",
        "202401",
        "--token",
        "SECRET-TOKEN-123",
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "GET /rest/adAccounts?q=search&search=(name:(values:List(''))"
        ",status:(values:List(ACTIVE))) HTTP/1.1\n"
    )
    assert "Host: api.linkedin.com" in out
    assert "LinkedIn-Version: 202401" in out
    assert "X-RestLi-Method: finder" in out
    assert "Authorization: Bearer ***" in out
    assert "SECRET-TOKEN-123" not in out + result.stderr


def test_dry_run_shows_the_tunneled_form() -> None:
    id_args = [arg for i in range(1500) for arg in ("--id", str(i))]
    result = restli("request", "batch_delete", "/adCampaigns", *id_args, "--dry-run")
    assert result.returncode == 0, result.stderr
    first, _, rest = result.stdout.partition("\n")
    assert first == "POST /v2/adCampaigns HTTP/1.1"
    assert "X-HTTP-Method-Override: DELETE" in rest
    assert "Content-Type: application/x-www-form-urlencoded" in rest
    assert "\nids=List(0,1,2," in rest
    assert "tunneled" in rest


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["request", "frobnicate", "/x", "--dry-run"], "unknown method 'frobnicate'"),
        (["request", "get", "/me"], "no access token"),
        (["request", "get", "/x/{id}", "--path-key", "id=nope", "--dry-run"], "invalid JSON"),
        (["request", "get", "/x/{id}", "--path-key", "id", "--dry-run"], "NAME=JSON"),
        (["request", "get", "/x/{id}", "--dry-run"], "path_keys"),
        (["request", "finder", "/x", "--dry-run"], "needs --name"),
        (["request", "batch_get", "/x", "--dry-run"], "needs at least one --id"),
        (["request", "get", "me", "--dry-run"], "resource_path"),
        (["request", "get", "/me", "--version", "2024-01", "--dry-run"], "version_string"),
        (["request", "get", "/me", "--transport", "carrier-pigeon"], "invalid choice"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    assert_one_line_error(restli(*args), 2, message)


# --------------------------------------------------------------------------- serve + request


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """``restli serve`` on a free port, stopped at the end."""
    process = subprocess.Popen(
        [*RESTLI, "serve", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "serving" in line, line + (process.stderr.read() if process.stderr else "")
        url = line.split(" on ", 1)[1].split()[0]
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()


@pytest.mark.parametrize("transport", ["requests", "httpx", "urllib3", "aiohttp"])
def test_request_against_restli_serve(served: str, transport: str) -> None:
    env = {**ENV, "LINKEDIN_ACCESS_TOKEN": "cli-token"}
    result = restli(
        "request",
        "get",
        "/adAccounts/{id}",
        "--path-key",
        "id=3",
        "--base-url",
        served,
        "--transport",
        transport,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status_code"] == 200
    assert data["entity"]["id"] == 3
    assert data["entity"]["status"] == "CANCELED"


def test_finder_against_restli_serve_prints_elements_and_paging(served: str) -> None:
    result = restli(
        "request",
        "finder",
        "/adAccounts",
        "--name",
        "search",
        "--param",
        'search={"status": {"values": ["ACTIVE"]}}',
        "--param",
        "count=2",
        "--base-url",
        served,
        "--token",
        "t",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["elements"]) == 2
    assert data["paging"]["count"] == 2
    # The seed's 10 ACTIVE accounts and the README's account 123 (restli serve holds
    # what the official README addresses by id).
    assert data["paging"]["total"] == 11


def test_create_against_restli_serve_prints_the_id(served: str) -> None:
    result = restli(
        "request",
        "create",
        "/adAccounts",
        "--entity",
        '{"name": "From the CLI", "type": "BUSINESS"}',
        "--base-url",
        served,
        "--token",
        "t",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status_code"] == 201
    assert int(data["entity_id"]) > 25


def test_error_status_exits_1_with_one_line(served: str) -> None:
    result = restli(
        "request",
        "get",
        "/adAccounts/{id}",
        "--path-key",
        "id=9999",
        "--base-url",
        served,
        "--token",
        "secret-token-xyz",
    )
    assert_one_line_error(result, 1, "NotFoundError")
    assert "secret-token-xyz" not in result.stderr


def test_connection_refused_exits_1(served: str) -> None:
    result = restli("request", "get", "/me", "--base-url", "http://127.0.0.1:9", "--token", "t")
    assert_one_line_error(result, 1, "TransportError")


# --------------------------------------------------------------------------- demo


def test_demo_passes_with_every_transport() -> None:
    result = restli("demo", timeout=240)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "FAIL" not in result.stdout
    for client in ("requests", "httpx", "httpx (async)", "urllib3", "aiohttp"):
        assert f"== {client}: embedded Rest.li server" in result.stdout
    assert "[tunneled GET" in result.stdout
    assert " 0 failed" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["decode", "(a:" * 5000 + "b" + ")" * 5000],
        ["decode", "List(" * 5000 + ")" * 5000],
        ["encode", "[" * 50_000 + "]" * 50_000],
    ],
    ids=["deep-map", "deep-list", "deep-json"],
)
def test_deep_input_is_one_line_and_status_2(args: list[str]) -> None:
    result = restli(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_closed_pipe_is_not_a_traceback() -> None:
    # `restli decode ... | head -c 1`: the reader leaves after one byte.
    text = "(a:List(" + ",".join(["x"] * 50_000) + "))"
    with subprocess.Popen(
        [sys.executable, "-m", "restli_cli", "decode", text],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(1)
        process.stdout.close()
        error = process.stderr.read().decode()
        process.wait(timeout=30)
    assert "Traceback" not in error and "BrokenPipe" not in error

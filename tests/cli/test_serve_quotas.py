"""``restli serve``'s options for tokens, quotas and the clock, and its ``--control``
endpoints: parsed in process, and once for real as a subprocess."""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from restli_cli._main import (
    _build_parser,
    main,
    parse_limit,
    parse_start_time,
    parse_volume_limit,
)
from restli_cli._serve import ControlApp, LoopbackServer, build_server
from restli_core.testing import CallLimit, RestliServer, ServerClock, VolumeLimit

DAY_429 = (
    b'{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS","message":'
    b'"Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}'
)


def _utc(text: str) -> float:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc).timestamp()


def serve_args(*options: str) -> argparse.Namespace:
    return _build_parser().parse_args(["serve", *options])


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("spec", "daily", "expected"),
    [
        ("adAnalytics=500", True, ("adAnalytics", 500, "DAY", "APPLICATION")),
        ("adAnalytics=500:member", True, ("adAnalytics", 500, "DAY", "MEMBER")),
        (
            "/adAccounts=0:APPLICATION_AND_MEMBER",
            True,
            ("adAccounts", 0, "DAY", "APPLICATION_AND_MEMBER"),
        ),
        ("adAnalytics=100/minute", False, ("adAnalytics", 100, "MINUTE", "APPLICATION")),
        ("me=5/SECOND:MEMBER", False, ("me", 5, "SECOND", "MEMBER")),
    ],
)
def test_limit_specs(spec: str, daily: bool, expected: tuple[Any, ...]) -> None:
    parsed = parse_limit(spec, daily=daily)
    assert (parsed["resource"], parsed["calls"], parsed["window"], parsed["scope"]) == expected


@pytest.mark.parametrize(
    ("option", "spec", "why"),
    [
        ("--daily-limit", "adAnalytics", "RESOURCE=N"),
        ("--daily-limit", "adAnalytics=many", "whole number"),
        ("--daily-limit", "adAnalytics=5:WORLD", "SCOPE"),
        ("--daily-limit", "a/b=5", "RESOURCE=N"),
        ("--limit", "adAnalytics=5", "WINDOW"),
        ("--limit", "adAnalytics=5/WEEK", "WINDOW"),
        ("--metric-volume-limit", "lots", "N[/SECONDS]"),
        ("--metric-volume-limit", "10/0", "SECONDS > 0"),
        ("--start-time", "yesterday", "ISO 8601"),
        ("--start-time", "nan", "finite"),
        ("--token-lifetime", "0", ">= 1"),
        ("--clock-offset", "inf", "seconds"),
    ],
)
def test_bad_option_values_exit_2_naming_the_problem(
    option: str, spec: str, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", option, spec]) == 2
    err = capsys.readouterr().err
    assert err.startswith("restli: ") and why in err and err.count("\n") == 1


def test_volume_and_start_time_values() -> None:
    assert parse_volume_limit("45_000_000") == (45_000_000, 300.0)
    assert parse_volume_limit("100/60") == (100, 60.0)
    assert parse_start_time("2026-12-03T23:59:50") == _utc("2026-12-03T23:59:50")
    assert parse_start_time("2026-12-03T23:59:50Z") == _utc("2026-12-03T23:59:50")
    assert parse_start_time("2026-12-04T00:59:50+01:00") == _utc("2026-12-03T23:59:50")
    assert parse_start_time("1800000000") == 1_800_000_000.0


def test_the_options_build_the_server() -> None:
    server = build_server(
        serve_args(
            "--check-tokens",
            "--token-lifetime",
            "600",
            "--app-token-lifetime",
            "60",
            "--refresh-token-lifetime",
            "86400",
            "--daily-limit",
            "adAccounts=2:MEMBER",
            "--limit",
            "adCampaigns=1/MINUTE",
            "--metric-volume-limit",
            "100/60",
            "--start-time",
            "2026-12-03T23:59:50",
            "--clock-offset",
            "5",
            "--freeze-clock",
        )
    )
    assert server.check_tokens and server.clock.frozen
    assert server.clock.now() == _utc("2026-12-03T23:59:55")
    assert server.oauth.access_token_lifetime == 600
    assert server.oauth.two_legged_lifetime == 60
    assert server.oauth.refresh_token_lifetime == 86_400
    assert sorted(server.quotas.limits.values(), key=lambda x: x.resource) == [
        CallLimit("adAccounts", 2, "DAY", "MEMBER"),
        CallLimit("adCampaigns", 1, "MINUTE", "APPLICATION"),
    ]
    assert server.quotas.volume == VolumeLimit(100, 60.0)


def test_by_default_nothing_changes() -> None:
    server = build_server(serve_args())
    assert not server.check_tokens and not server.clock.frozen
    assert abs(server.clock.now() - datetime.datetime.now().timestamp()) < 5
    assert server.quotas.limits == {} and server.quotas.volume is None
    assert server.oauth.access_token_lifetime == 60 * 86_400


def test_the_help_describes_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    for text in (
        "--check-tokens",
        "--daily-limit",
        "--limit",
        "--metric-volume-limit",
        "--start-time",
        "--control",
        "/_restli/clock",
        "EXPIRED_ACCESS_TOKEN",
    ):
        assert text in out


# --------------------------------------------------------------------------- --control


def _call(root: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    parts = urlsplit(root)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        connection.request(method, path, body=data)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


@pytest.fixture
def controlled() -> Iterator[tuple[RestliServer, str]]:
    server = RestliServer(clock=ServerClock(_utc("2026-12-03T23:59:50"), frozen=True))
    with LoopbackServer(ControlApp(server)) as http:
        yield server, http.url


def test_the_control_endpoints_move_the_clock_and_report(
    controlled: tuple[RestliServer, str],
) -> None:
    server, root = controlled
    assert _call(root, "GET", "/_restli/clock")[1] == {
        "now": _utc("2026-12-03T23:59:50"),
        "utc": "2026-12-03T23:59:50+00:00",
        "frozen": True,
    }
    status, state = _call(root, "POST", "/_restli/clock", {"advance": 15})
    assert status == 200 and state["utc"] == "2026-12-04T00:00:05+00:00"
    assert server.clock.now() == _utc("2026-12-04T00:00:05")
    _call(root, "POST", "/_restli/clock", {"set": "2027-01-01T00:00:00Z"})
    assert server.clock.now() == _utc("2027-01-01T00:00:00")
    _call(root, "POST", "/_restli/clock", {"set": 1_800_000_000})
    assert server.clock.now() == 1_800_000_000
    stats = _call(root, "GET", "/_restli/stats")[1]
    assert stats == {
        "now": 1_800_000_000,
        "token_calls": 0,
        "token_calls_by_grant": {},
        "calls": {},
    }


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/_restli/clock", {"advance": "soon"}, 400),
        ("POST", "/_restli/clock", {"advance": 1, "set": 2}, 400),
        ("POST", "/_restli/clock", {"set": "tomorrow"}, 400),
        ("POST", "/_restli/clock", b"\xff", 400),
        ("DELETE", "/_restli/clock", None, 405),
        ("POST", "/_restli/stats", None, 405),
        ("GET", "/_restli/nothing", None, 404),
    ],
)
def test_bad_control_requests_are_refused(
    controlled: tuple[RestliServer, str], method: str, path: str, body: Any, status: int
) -> None:
    server, root = controlled
    before = server.clock.now()
    answer = _call(root, method, path, body)
    assert answer[0] == status and "error" in answer[1]
    assert server.clock.now() == before


def test_without_control_the_paths_are_the_servers() -> None:
    server = RestliServer()
    with LoopbackServer(server) as http:
        status, body = _call(http.url, "GET", "/_restli/clock")
    assert status in (400, 401, 404) and body.get("serviceErrorCode") is not None


# --------------------------------------------------------------------------- for real


@pytest.fixture
def running() -> Iterator[tuple[str, list[str]]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "restli_cli",
            "serve",
            "--port",
            "0",
            "--quiet",
            "--check-tokens",
            "--daily-limit",
            "adAccounts=1",
            "--start-time",
            "2026-12-03T23:59:50",
            "--freeze-clock",
            "--control",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        found = re.search(r"RESTLI_API_ROOT=(\S+)", lines[1])
        assert found, lines
        yield found.group(1), lines
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_restli_serve_with_tokens_quotas_and_control(running: tuple[str, list[str]]) -> None:
    root, lines = running
    token = re.fullmatch(r"export LINKEDIN_ACCESS_TOKEN=(\S+)\n", lines[2])
    assert token, lines
    assert "refresh token" in lines[3] and "2026-12-03 23:59:50 UTC" in lines[4]
    parts = urlsplit(root)

    def accounts(bearer: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        try:
            connection.request(
                "GET",
                "/rest/adAccounts?count=1",
                headers={
                    "Authorization": f"Bearer {bearer}",
                    "X-RestLi-Protocol-Version": "2.0.0",
                    "LinkedIn-Version": "202401",
                },
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    assert accounts("made-up")[0] == 401
    assert accounts(token.group(1))[0] == 200
    assert accounts(token.group(1)) == (429, DAY_429)
    assert _call(root, "POST", "/_restli/clock", {"advance": 10})[0] == 200  # midnight UTC
    assert accounts(token.group(1))[0] == 200
    stats = _call(root, "GET", "/_restli/stats")[1]
    assert stats["calls"] == {"adAccounts": {"401": 1, "200": 2, "429": 1}}


def test_a_client_gone_before_its_answer_is_no_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    http = LoopbackServer(RestliServer())
    try:
        for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")):
            try:
                raise gone
            except ConnectionError:
                http._server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a real problem")
        except ValueError:
            http._server.handle_error(None, ("127.0.0.1", 1))
        assert "a real problem" in capsys.readouterr().err
    finally:
        http.close()

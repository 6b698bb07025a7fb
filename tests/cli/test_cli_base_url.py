"""``restli request --base-url URL`` is the API root: unversioned calls go to URL/v2,
versioned ones to URL/rest; without it, ``RESTLI_API_ROOT`` applies."""

from __future__ import annotations

import pytest

from restli_cli._main import main

ROOT = "http://127.0.0.1:8089"


def dry_run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["request", "get", "/me", "--dry-run", "--token", "t", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("flag", ["--base-url", "--api-root"])
def test_the_base_url_is_the_api_root(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, flag: str
) -> None:
    monkeypatch.setenv("RESTLI_API_ROOT", "https://ignored.example")  # the flag wins
    status, out, _ = dry_run(capsys, flag, ROOT)
    assert status == 0
    assert out.startswith("GET /v2/me HTTP/1.1\nHost: 127.0.0.1:8089\n")
    status, out, _ = dry_run(capsys, flag, f"{ROOT}/", "--version", "202406")
    assert status == 0
    assert out.startswith("GET /rest/me HTTP/1.1\nHost: 127.0.0.1:8089\n")


def test_without_the_flag_the_environment_then_linkedin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESTLI_API_ROOT", ROOT)
    assert dry_run(capsys)[1].startswith("GET /v2/me HTTP/1.1\nHost: 127.0.0.1:8089\n")
    monkeypatch.delenv("RESTLI_API_ROOT")
    assert dry_run(capsys)[1].startswith("GET /v2/me HTTP/1.1\nHost: api.linkedin.com\n")


def test_a_bad_root_is_bad_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESTLI_API_ROOT", raising=False)
    status, _, err = dry_run(capsys, "--base-url", "http://api.example.com")
    assert status == 2
    assert err.startswith("restli: api_root ") and "plain http" in err
    monkeypatch.setenv("RESTLI_API_ROOT", "http://api.example.com")
    status, _, err = dry_run(capsys)
    assert status == 2 and "RESTLI_API_ROOT" in err


def test_the_help_says_what_the_base_url_is(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["request", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--base-url URL, --api-root URL" in text
    assert "URL/v2" in text and "URL/rest" in text and "RESTLI_API_ROOT" in text

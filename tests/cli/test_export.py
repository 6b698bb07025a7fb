"""``restli export`` against real servers: ``restli serve`` (the ``api_root`` fixture and
a ``--fault`` one) and in-process ``RestliServer`` instances on loopback that fail on
cue. Most runs call ``main([...])`` in-process (capsys); the terminal checks run
the command as a subprocess, as a user does."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from restli_requests import RestliClient

from restli_cli._export import parse_id, split_ids
from restli_cli._main import main
from restli_cli._serve import LoopbackServer
from restli_core import Request
from restli_core.testing import Reply, RestliServer

TOKEN = "export-test-token"
RESTLI = [sys.executable, "-m", "restli_cli"]


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKEDIN_ACCESS_TOKEN", TOKEN)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    """``restli export ARGS`` in-process: (status, the JSON lines, stderr)."""
    status = main(["export", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert out == "" or out.endswith("\n")
    return status, [json.loads(line) for line in out.splitlines()], err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("restli: ")
    return lines[0]


def total_of(root: str, path: str, finder: str | None = None) -> int:
    """What the server says the collection holds (``paging.total``)."""
    with RestliClient(api_root=root) as client:
        if finder is None:
            response = client.get_all(
                resource_path=path, access_token=TOKEN, query_params={"count": 1}
            )
        else:
            response = client.finder(
                resource_path=path,
                finder_name=finder,
                access_token=TOKEN,
                query_params={"count": 1},
            )
    total = response.paging.total
    assert isinstance(total, int)
    return total


class FailsFrom(RestliServer):
    """The embedded server, answering every request from the ``n``-th on with a 500
    (a status the default retry policy does not repeat)."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.fail_from = n
        self.seen = 0

    def dispatch(self, request: Request) -> Reply:
        self.seen += 1
        if self.seen == self.fail_from:
            self.inject(500, times=None, code="BOOM", message="the disk is on fire")
        return super().dispatch(request)


@contextmanager
def loopback(server: RestliServer) -> Iterator[str]:
    with LoopbackServer(server) as running:
        yield running.url


@contextmanager
def restli_serve(*args: str) -> Iterator[str]:
    """``restli serve --port 0 --quiet ARGS``; yields its API root."""
    process = subprocess.Popen(
        [*RESTLI, "serve", "--port", "0", "--quiet", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        found = None
        for _ in range(5):
            found = re.search(r"RESTLI_API_ROOT=(\S+)", process.stdout.readline())
            if found:
                break
        assert found, "restli serve did not print its API root"
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


# --------------------------------------------------------------------------- paging


def test_a_finder_goes_to_stdout_every_element_once_in_order(
    api_root: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, rows, err = run(
        capsys, "/adAccounts", "--finder", "search", "--page-size", "4", "--base-url", api_root
    )
    assert status == 0, err
    assert err == ""
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == total_of(api_root, "/adAccounts", "search")
    assert ids == sorted(ids)  # the server's order, page after page
    assert rows[0] == {
        "id": 1,
        "name": "Ad Account 1",
        "status": "ACTIVE",
        "type": "BUSINESS",
        "reference": "urn:li:organization:123",
        "test": False,
        "currency": "USD",
    }


def test_lines_are_compact_utf8_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = RestliServer()
    server.add_collection(
        "/notes", [{"id": 1, "text": "héllo ✓"}, {"id": 2, "text": "a\nb"}], key="id"
    )
    out = tmp_path / "notes.jsonl"
    with loopback(server) as root:
        assert main(["export", "/notes", "--get-all", "--base-url", root, "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data == (
        '{"id":1,"text":"héllo ✓"}\n{"id":2,"text":"a\\nb"}\n'.encode()  # one line each
    )


def test_finder_params_and_max_items(api_root: str, capsys: pytest.CaptureFixture[str]) -> None:
    search = (
        '{"status": {"values": ["ACTIVE"]}, "reference": {"values": ["urn:li:organization:123"]}}'
    )
    status, rows, err = run(
        capsys, "/adAccounts", "--finder", "search", "--param", f"search={search}",
        "--page-size", "2", "--base-url", api_root,
    )  # fmt: skip
    assert status == 0, err
    assert rows
    assert {(r["status"], r["reference"]) for r in rows} == {("ACTIVE", "urn:li:organization:123")}

    status, rows, err = run(
        capsys, "/adAccounts", "--finder", "search", "--max-items", "7", "--page-size", "3",
        "--base-url", api_root,
    )  # fmt: skip
    assert status == 0, err
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5, 6, 7]


def test_get_all(api_root: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, rows, err = run(capsys, "/fieldsOfStudy", "--get-all", "--page-size", "6",
                            "--base-url", api_root)  # fmt: skip
    assert status == 0, err
    assert [r["id"] for r in rows] == list(range(1, total_of(api_root, "/fieldsOfStudy") + 1))
    assert rows[0]["name"]["localized"]["en_US"] == "Accounting"


def test_cursor_paging_and_the_api_root_from_the_environment(
    api_root: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESTLI_API_ROOT", api_root)
    search = '{"account": {"values": ["urn:li:sponsoredAccount:2"]}}'
    status, rows, err = run(
        capsys, "/adCampaigns", "--finder", "search", "--param", f"search={search}",
        "--paging", "cursor", "--page-size", "50", "--version", "202610",
    )  # fmt: skip
    assert status == 0, err
    assert len(rows) == 240  # each account has 240 campaigns
    assert len({r["id"] for r in rows}) == 240
    assert {r["account"] for r in rows} == {"urn:li:sponsoredAccount:2"}


@pytest.mark.parametrize("transport", ["httpx", "urllib3", "aiohttp"])
def test_every_transport(api_root: str, capsys: pytest.CaptureFixture[str], transport: str) -> None:
    status, rows, err = run(
        capsys, "/fieldsOfStudy", "--get-all", "--page-size", "7", "--transport", transport,
        "--base-url", api_root,
    )  # fmt: skip
    assert status == 0, err
    assert [r["id"] for r in rows] == list(range(1, 21))
    status, rows, err = run(
        capsys, "/adAccounts", "--ids", "3,1", "--transport", transport, "--base-url", api_root
    )
    assert status == 0, err
    assert [r["id"] for r in rows] == [3, 1]


def test_concurrency_gives_the_same_lines(
    api_root: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["/adAccounts", "--finder", "search", "--page-size", "3", "--base-url", api_root]
    _, sequential, _ = run(capsys, *args)
    status, concurrent, err = run(capsys, *args, "--concurrency", "4")
    assert status == 0, err
    assert concurrent == sequential


# --------------------------------------------------------------------------- -o FILE


def test_output_file_is_written_whole(
    api_root: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "accounts.jsonl"
    out.write_text("old content\n")
    status, rows, err = run(capsys, "/adAccounts", "--finder", "search", "--base-url", api_root,
                            "-o", str(out))  # fmt: skip
    assert (status, rows, err) == (0, [], "")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == total_of(api_root, "/adAccounts", "search")
    assert [json.loads(line)["id"] for line in lines][:3] == [1, 2, 3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.jsonl"]  # no temp left


def test_output_file_in_a_missing_directory_is_bad_input(
    api_root: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "/adAccounts", "--get-all", "--base-url", api_root,
                         "-o", str(tmp_path / "nowhere" / "x.jsonl"))  # fmt: skip
    assert status == 2
    assert "cannot write there" in one_line(err)


# --------------------------------------------------------------------------- ids


def test_ids_in_the_order_given(api_root: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, rows, err = run(capsys, "/adAccounts", "--ids", "5,2", "--ids", "9,2",
                            "--chunk-size", "2", "--base-url", api_root)  # fmt: skip
    assert status == 0, err
    assert err == ""
    assert [r["id"] for r in rows] == [5, 2, 9]  # a repeated id is fetched once


def test_ids_file(
    api_root: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("12\n3\n\n  7  \n1\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    status, _, err = run(capsys, "/adAccounts", "--ids-file", str(ids), "--chunk-size", "3",
                         "--base-url", api_root, "-o", str(out))  # fmt: skip
    assert status == 0, err
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [12, 3, 7, 1]

    monkeypatch.setattr(sys, "stdin", io.StringIO("urn:li:share:2\nurn:li:share:1\n"))
    status, rows, err = run(capsys, "/socialActions", "--ids-file", "-", "--base-url", api_root)
    assert status == 0, err
    assert [r["target"] for r in rows] == ["urn:li:share:2", "urn:li:share:1"]


def test_missing_ids_are_summed_up_on_stderr(
    api_root: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    status, _, err = run(capsys, "/adAccounts", "--ids", "1,9999,2,8888", "--base-url", api_root,
                         "-o", str(out))  # fmt: skip
    assert status == 1
    line = one_line(err)
    assert "warning: 2 of 4 ids have no result" in line
    assert "9999 (404 NOT_FOUND)" in line
    assert "8888 (404 NOT_FOUND)" in line
    # Every id was answered: the file is complete, if shorter than the id list.
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == [1, 2]


def test_a_failed_batch_request_keeps_the_other_results() -> None:
    # A real `restli serve --fault`: the first batch_get (ids 1 and 2) gets a 500.
    with restli_serve("--fault", "500:method=batch_get") as root:
        result = subprocess.run(
            [*RESTLI, "export", "/adAccounts", "--ids", "1,2,3,4,5", "--chunk-size", "2",
             "--base-url", root],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
            env={**os.environ, "LINKEDIN_ACCESS_TOKEN": TOKEN},
        )  # fmt: skip
    assert result.returncode == 1
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [3, 4, 5]
    assert "Traceback" not in result.stderr
    first, kept, warning = result.stderr.strip().splitlines()
    assert first.startswith("restli: ServerError: ")
    assert kept == "restli: 3 results written to stdout"
    assert warning == (
        "restli: warning: 2 of 5 ids have no result: 1 (ServerError), 2 (ServerError)"
    )


def test_split_and_parse_ids() -> None:
    assert split_ids("1, 2,,urn:li:sponsoredCreative:(urn:li:sponsoredCampaign:1,2)") == [
        "1",
        "2",
        "urn:li:sponsoredCreative:(urn:li:sponsoredCampaign:1,2)",
    ]
    assert split_ids('{"a": 1, "b": "x,y"},"p,q"') == ['{"a": 1, "b": "x,y"}', '"p,q"']
    assert [parse_id(t) for t in ("7", '"7"', "urn:li:share:1", '{"a": 1}')] == [
        7,
        "7",
        "urn:li:share:1",
        {"a": 1},
    ]


# --------------------------------------------------------------------------- progress


def test_no_progress_output_when_stderr_is_not_a_terminal(api_root: str) -> None:
    result = subprocess.run(
        [*RESTLI, "export", "/adAccounts", "--finder", "search", "--page-size", "5",
         "--base-url", api_root],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        env={**os.environ, "LINKEDIN_ACCESS_TOKEN": TOKEN},
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == total_of(api_root, "/adAccounts", "search")


def test_a_bar_when_forced(api_root: str, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    total = total_of(api_root, "/adAccounts", "search")
    status, rows, err = run(capsys, "/adAccounts", "--finder", "search", "--page-size", "5",
                            "--progress", "--base-url", api_root)  # fmt: skip
    assert status == 0
    assert len(rows) == total
    assert f"{total}/{total}" in err  # tqdm's "n/total", total from the first page
    assert "100%" in err


def test_a_bar_for_ids_counts_the_ids(api_root: str, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    status, rows, err = run(capsys, "/adAccounts", "--ids", "1,2,3,4,5", "--chunk-size", "2",
                            "--progress", "--base-url", api_root)  # fmt: skip
    assert status == 0
    assert len(rows) == 5
    assert "5/5" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_follows_the_terminal_by_default(
    api_root: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("tqdm")
    args = ["export", "/fieldsOfStudy", "--get-all", "--base-url", api_root]
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([*args, "-o", str(tmp_path / "a.jsonl")]) == 0
    assert "20/20" in terminal.getvalue()  # stderr is a terminal: a bar

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert main(args) == 0
    assert terminal.getvalue() == ""  # the lines go to that terminal: no bar over them

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([*args, "-o", str(tmp_path / "b.jsonl"), "--no-progress"]) == 0
    assert terminal.getvalue() == ""


def test_without_tqdm(
    api_root: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # `import tqdm` now fails
    status, _, err = run(
        capsys, "/fieldsOfStudy", "--get-all", "--progress", "--base-url", api_root
    )
    assert status == 2
    assert "--progress needs tqdm" in one_line(err)

    # A bar that was only wanted (stderr is a terminal): the export goes on without it.
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out = tmp_path / "out.jsonl"
    assert main(["export", "/fieldsOfStudy", "--get-all", "--base-url", api_root,
                 "-o", str(out)]) == 0  # fmt: skip
    assert terminal.getvalue() == ""
    assert len(out.read_text().splitlines()) == 20


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--finder", "search", "--get-all"], "not allowed with argument"),
        (["--get-all", "--ids", "1"], "not allowed with argument"),
        ([], "one of the arguments --finder --get-all --ids --ids-file is required"),
        (["--finder", "search", "--page-size", "0"], "--page-size: must be 1 or more"),
        (["--finder", "search", "--page-size", "ten"], "--page-size: expected a whole number"),
        (["--finder", "search", "--concurrency", "0"], "--concurrency: must be 1 or more"),
        (["--ids", "1", "--page-size", "5"], "--page-size is for --finder and --get-all"),
        (["--ids", "1", "--paging", "cursor"], "--paging is for --finder and --get-all"),
        (["--get-all", "--chunk-size", "5"], "--chunk-size is for --ids"),
        (["--get-all", "--resume-token", "abc"], "are for --paging cursor"),
        (["--get-all", "--paging", "cursor", "--resume-start", "5"], "for offset paging"),
        (["--finder", "search", "--param", "count"], "--param takes NAME=JSON"),
        (["--finder", "search", "--param", "count=x"], "invalid JSON"),
        (["--finder", "search", "--param", "count=5", "--page-size", "3"], "disagree"),
        (["--ids", ",,"], "--ids: no ids"),
        (["--ids", "null"], "has no Rest.li form"),
        (["--ids-file", "/nonexistent/ids.txt"], "--ids-file /nonexistent/ids.txt"),
        (["--get-all", "--transport", "carrier-pigeon"], "invalid choice"),
        (["--get-all", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    # Nothing listens on this root: bad input must be refused before any request.
    status, rows, err = run(capsys, "/adAccounts", *args, "--base-url", "http://127.0.0.1:9")
    assert status == 2
    assert rows == []
    assert message in one_line(err)


def test_no_token_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN")
    status, _, err = run(capsys, "/adAccounts", "--get-all", "--base-url", "http://127.0.0.1:9")
    assert status == 2
    assert "no access token" in one_line(err)


def test_a_token_from_the_option(api_root: str, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN")
    status, rows, err = run(capsys, "/fieldsOfStudy", "--get-all", "--token", "t",
                            "--base-url", api_root)  # fmt: skip
    assert status == 0, err
    assert len(rows) == 20


# --------------------------------------------------------------------------- failures


def test_a_failure_midway_keeps_what_came_and_says_how_to_resume(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with loopback(FailsFrom(3)) as root:  # pages 1 and 2 answer, page 3 gets a 500
        status, first_part, err = run(capsys, "/adAccounts", "--finder", "search",
                                      "--page-size", "10", "--base-url", root)  # fmt: skip
    assert status == 1
    assert [r["id"] for r in first_part] == list(range(1, 21))
    error, hint = err.strip().splitlines()
    assert error.startswith("restli: ServerError: ")
    assert "the disk is on fire" in error
    assert hint == (
        "restli: 20 elements written to stdout; to resume, run the same command with "
        "--resume-start 20 (append its output: >>)"
    )

    with loopback(RestliServer()) as root:
        status, rest, err = run(capsys, "/adAccounts", "--finder", "search", "--page-size", "10",
                                "--resume-start", "20", "--base-url", root)  # fmt: skip
    assert status == 0, err
    assert [r["id"] for r in first_part + rest] == list(range(1, 26))


def test_a_failure_midway_with_output_file_leaves_a_partial_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "accounts.jsonl"
    with loopback(FailsFrom(2)) as root:
        status, _, err = run(capsys, "/adAccounts", "--finder", "search", "--page-size", "10",
                             "--max-items", "22", "--base-url", root, "-o", str(out))  # fmt: skip
    assert status == 1
    assert not out.exists()  # never a half file under the real name
    partial = tmp_path / "accounts.jsonl.partial"
    assert [json.loads(x)["id"] for x in partial.read_text().splitlines()] == list(range(1, 11))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.jsonl.partial"]
    hint = err.strip().splitlines()[-1]
    assert f"the 10 elements received are in {partial}" in hint
    assert "--resume-start 10 --max-items 12" in hint


def test_a_failure_on_the_first_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "accounts.jsonl"
    with loopback(FailsFrom(1)) as root:
        status, _, err = run(capsys, "/adAccounts", "--get-all", "--base-url", root,
                             "-o", str(out))  # fmt: skip
    assert status == 1
    assert list(tmp_path.iterdir()) == []
    assert err.strip().splitlines()[-1] == (
        f"restli: nothing written ({out} left as it was); run the same command again to start over"
    )


def test_a_cursor_failure_says_which_token_resumes(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["/adCampaigns", "--finder", "search", "--paging", "cursor", "--page-size", "100",
            "--param", 'search={"account": {"values": ["urn:li:sponsoredAccount:1"]}}']  # fmt: skip
    with loopback(FailsFrom(2)) as root:
        status, first_part, err = run(capsys, *args, "--base-url", root)
    assert status == 1
    assert len(first_part) == 100
    found = re.search(r"--resume-token (\S+)", err)
    assert found, err
    with loopback(RestliServer()) as root:
        status, rest, err = run(capsys, *args, "--resume-token", found.group(1), "--base-url", root)
    assert status == 0, err
    ids = [r["id"] for r in first_part + rest]
    assert len(ids) == len(set(ids)) == 240


def test_a_server_that_is_gone_is_a_failed_call(capsys: pytest.CaptureFixture[str]) -> None:
    with loopback(RestliServer()) as root:
        pass  # stopped: the port refuses connections now
    status, _, err = run(capsys, "/adAccounts", "--get-all", "--base-url", root)
    assert status == 1
    assert err.startswith("restli: Transport")


def test_a_refusal_every_request_would_meet_stops_the_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = RestliServer()
    server.inject(403, method="batch_get", code="ACCESS_DENIED", message="not your accounts")
    with loopback(server) as root:
        status, rows, err = run(capsys, "/adAccounts", "--ids", "1,2,3,4,5,6", "--chunk-size",
                                "2", "--base-url", root)  # fmt: skip
    assert status == 1
    assert rows == []
    assert len([r for r in server.requests if "ids=" in r.url]) == 1  # the rest not sent
    first, kept, warning = err.strip().splitlines()
    assert first.startswith("restli: ForbiddenError: ")
    assert kept == "restli: 0 results written to stdout"
    assert warning.startswith(
        "restli: warning: 6 of 6 ids have no result: 1 (ForbiddenError), 2 (ForbiddenError), "
        "3 (not sent)"
    )


def test_an_interrupted_export_keeps_what_it_wrote(
    api_root: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from restli_cli import _export

    write = _export.Sink.write
    calls = []

    def interrupted_on_the_third_page(self: _export.Sink, elements: Any) -> None:
        calls.append(len(elements))
        if len(calls) == 3:
            raise KeyboardInterrupt
        write(self, elements)

    monkeypatch.setattr(_export.Sink, "write", interrupted_on_the_third_page)
    out = tmp_path / "accounts.jsonl"
    status, _, err = run(capsys, "/adAccounts", "--finder", "search", "--page-size", "4",
                         "--base-url", api_root, "-o", str(out))  # fmt: skip
    assert status == 130
    assert not out.exists()
    partial = tmp_path / "accounts.jsonl.partial"
    assert [json.loads(x)["id"] for x in partial.read_text().splitlines()] == list(range(1, 9))
    assert one_line(err).startswith("restli: interrupted; the 8 elements received are in ")
    assert "--resume-start 8" in err


def test_dash_is_stdout(api_root: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    status, rows, err = run(capsys, "/fieldsOfStudy", "--get-all", "-o", "-",
                            "--base-url", api_root)  # fmt: skip
    assert status == 0, err
    assert len(rows) == 20
    assert list(tmp_path.iterdir()) == []

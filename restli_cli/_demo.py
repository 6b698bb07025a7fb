"""``restli demo``: the official client's README examples, end to end, offline.

It starts the embedded Rest.li server on a free loopback port and runs every Rest.li
method (plus a tunneled finder, a paged finder and error cases) through each
installed transport, printing the request line the server received and a short
result. Any failed step makes the exit status 1.
"""

from __future__ import annotations

import asyncio
import datetime
import importlib.util
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from restli_core import (
    NotFoundError,
    Request,
    RestliError,
    VersionNotActiveError,
)
from restli_core.testing import RestliServer

from ._serve import LoopbackServer

TOKEN = "demo-access-token"


def _recent_version() -> str:
    # The official README's examples say "202212"; LinkedIn retires a version after
    # about a year, so the demo sends last month's, as a current integration would.
    today = datetime.date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}{month:02d}"


VERSION = _recent_version()

Call = Callable[..., Any]


class StepFailed(Exception):
    """A demo step did not give the expected result."""


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def _steps(call: Call) -> Iterator[tuple[str, Callable[[], str]]]:
    """The examples, as (title, run) pairs; ``run`` returns a one-line result."""

    def get_me() -> str:
        r = call("get", resource_path="/me", access_token=TOKEN)
        _expect(r.status_code == 200 and r.entity["id"] == "abc", f"unexpected {r.entity!r}")
        return f"{r.status_code} {r.entity['localizedFirstName']} {r.entity['localizedLastName']}"

    def get_projected() -> str:
        r = call(
            "get",
            resource_path="/adAccounts/{id}",
            path_keys={"id": 1},
            query_params={"fields": "id,name"},
            version_string=VERSION,
            access_token=TOKEN,
        )
        _expect(set(r.entity) == {"id", "name"}, f"projection not applied: {r.entity!r}")
        return f"{r.status_code} {r.entity}"

    def batch_get() -> str:
        r = call(
            "batch_get",
            resource_path="/adAccounts",
            ids=[1, 2, 999],
            version_string=VERSION,
            access_token=TOKEN,
        )
        _expect(set(r.results) == {"1", "2"}, f"results {sorted(r.results)}")
        _expect("999" in r.errors, "the unknown id should be a per-key error")
        return (
            f"{r.status_code} results for 1, 2; per-key error for 999 ({r.errors['999']['status']})"
        )

    def get_all() -> str:
        r = call(
            "get_all",
            resource_path="/fieldsOfStudy",
            query_params={"start": 0, "count": 5},
            access_token=TOKEN,
        )
        _expect(len(r.elements) == 5 and r.paging.total == 20, f"paging {r.paging}")
        return f"{r.status_code} {len(r.elements)} of {r.paging.total} fields of study"

    def finder() -> str:
        r = call(
            "finder",
            resource_path="/adAccounts",
            finder_name="search",
            query_params={
                "search": {
                    "status": {"values": ["ACTIVE", "DRAFT", "CANCELED"]},
                    "reference": {"values": ["urn:li:organization:123"]},
                    "test": False,
                },
                "start": 0,
                "count": 5,
            },
            access_token=TOKEN,
            version_string=VERSION,
        )
        _expect(r.paging.total is not None and len(r.elements) <= 5, f"paging {r.paging}")
        return f"{r.status_code} {len(r.elements)} ad accounts, total {r.paging.total}"

    def paged_finder() -> str:
        seen: list[int] = []
        start, pages = 0, 0
        while True:  # what the paging helpers do for you; shown by hand here
            r = call(
                "finder",
                resource_path="/adCampaigns",
                finder_name="search",
                query_params={
                    "search": {"account": {"values": ["urn:li:sponsoredAccount:1"]}},
                    "start": start,
                    "count": 100,
                },
                access_token=TOKEN,
                version_string=VERSION,
            )
            pages += 1
            seen += [e["id"] for e in r.elements]
            start += len(r.elements)
            if not r.elements or start >= r.paging.total:
                break
        _expect(len(seen) == len(set(seen)) == 240, f"{len(seen)} campaigns")
        return f"{pages} pages, {len(seen)} campaigns of account 1"

    def tunneled_finder() -> str:
        ids = list(range(1, 1201))
        r = call(
            "finder",
            resource_path="/adCampaigns",
            finder_name="search",
            query_params={"search": {"id": {"values": ids}}, "count": 1000},
            access_token=TOKEN,
            version_string=VERSION,
        )
        _expect(len(r.elements) == 1000, f"{len(r.elements)} elements")
        return f"{r.status_code} {len(r.elements)} campaigns found by 1200 ids (query tunneled)"

    def batch_finder() -> str:
        r = call(
            "batch_finder",
            resource_path="/adCampaigns",
            finder_name="search",
            finder_criteria=(
                "criteria",
                [
                    {"account": "urn:li:sponsoredAccount:1", "status": "ACTIVE"},
                    {"account": "urn:li:sponsoredAccount:2", "status": "PAUSED"},
                ],
            ),
            access_token=TOKEN,
            version_string=VERSION,
        )
        counts = [len(result.elements) for result in r.results]
        _expect(len(counts) == 2 and not any(x.isError for x in r.results), f"{r.results!r}")
        return f"{r.status_code} {len(counts)} result lists ({counts[0]}, {counts[1]} campaigns)"

    created: dict[str, Any] = {}

    def create() -> str:
        r = call(
            "create",
            resource_path="/adAccounts",
            entity={"name": "Test Ad Account", "type": "BUSINESS", "test": True},
            access_token=TOKEN,
            version_string=VERSION,
        )
        _expect(r.status_code == 201 and r.entity_id, "no created id")
        created["id"] = int(r.entity_id)
        return f"{r.status_code} created ad account {r.entity_id}"

    def batch_create() -> str:
        r = call(
            "batch_create",
            resource_path="/adCampaignGroups",
            entities=[
                {"account": "urn:li:sponsoredAccount:1", "name": "Group A", "status": "DRAFT"},
                {"account": "urn:li:sponsoredAccount:2", "name": "Group B", "status": "DRAFT"},
            ],
            access_token=TOKEN,
            version_string=VERSION,
        )
        ids = [e.id for e in r.elements]
        _expect([e.status for e in r.elements] == [201, 201], f"{r.elements!r}")
        return f"{r.status_code} created campaign groups {', '.join(map(str, ids))}"

    def update() -> str:
        r = call(
            "update",
            resource_path="/adAccounts/{id}",
            path_keys={"id": created["id"]},
            entity={"name": "Renamed Account", "type": "BUSINESS", "status": "ACTIVE"},
            access_token=TOKEN,
            version_string=VERSION,
        )
        _expect(r.status_code == 204, f"status {r.status_code}")
        return f"{r.status_code} replaced ad account {created['id']}"

    def batch_update() -> str:
        r = call(
            "batch_update",
            resource_path="/adAccounts",
            ids=[3, 4],
            entities=[
                {"name": "Account three", "type": "BUSINESS"},
                {"name": "Account four", "type": "BUSINESS"},
            ],
            access_token=TOKEN,
            version_string=VERSION,
        )
        statuses = {k: v.status for k, v in r.results.items()}
        _expect(statuses == {"3": 204, "4": 204}, f"{statuses}")
        return f"{r.status_code} statuses {statuses}"

    def partial_update() -> str:
        r = call(
            "partial_update",
            resource_path="/adAccounts/{id}",
            path_keys={"id": 1},
            patch_set_object={
                "name": "TestAdAccountModified",
                "reference": "urn:li:organization:456",
            },
            access_token=TOKEN,
            version_string=VERSION,
        )
        check = call(
            "get",
            resource_path="/adAccounts/{id}",
            path_keys={"id": 1},
            access_token=TOKEN,
            version_string=VERSION,
        )
        _expect(check.entity["name"] == "TestAdAccountModified", f"{check.entity!r}")
        return f"{r.status_code} patched; name is now {check.entity['name']!r}"

    def batch_partial_update() -> str:
        r = call(
            "batch_partial_update",
            resource_path="/adCampaignGroups",
            ids=[1, 2],
            patch_set_objects=[{"status": "ACTIVE"}, {"name": "Group two"}],
            access_token=TOKEN,
            version_string=VERSION,
        )
        statuses = {k: v.status for k, v in r.results.items()}
        _expect(set(statuses.values()) == {204}, f"{statuses}")
        return f"{r.status_code} statuses {statuses}"

    def delete() -> str:
        r = call(
            "delete",
            resource_path="/adAccounts/{id}",
            path_keys={"id": created["id"]},
            access_token=TOKEN,
            version_string=VERSION,
        )
        _expect(r.status_code == 204, f"status {r.status_code}")
        return f"{r.status_code} deleted ad account {created['id']}"

    def batch_delete() -> str:
        r = call(
            "batch_delete",
            resource_path="/adCampaignGroups",
            ids=[59, 60],
            access_token=TOKEN,
            version_string=VERSION,
        )
        statuses = {k: v.status for k, v in r.results.items()}
        _expect(statuses == {"59": 204, "60": 204}, f"{statuses}")
        return f"{r.status_code} statuses {statuses}"

    def action() -> str:
        r = call(
            "action",
            resource_path="/adAccounts",
            action_name="echo",
            action_params={
                "registerRequest": {"owner": "urn:li:person:12345", "region": "WEST_US"}
            },
            access_token=TOKEN,
            version_string=VERSION,
        )
        _expect(
            r.value == {"registerRequest": {"owner": "urn:li:person:12345", "region": "WEST_US"}},
            f"{r.value!r}",
        )
        return f"{r.status_code} value {r.value}"

    def not_found() -> str:
        try:
            call(
                "get",
                resource_path="/adAccounts/{id}",
                path_keys={"id": 424242},
                access_token=TOKEN,
                version_string=VERSION,
            )
        except NotFoundError as exc:
            return f"NotFoundError raised as expected: {exc.status_code} {exc.code}"
        raise StepFailed("no NotFoundError for a missing ad account")

    def retired_version() -> str:
        try:
            call(
                "get",
                resource_path="/adAccounts/{id}",
                path_keys={"id": 1},
                access_token=TOKEN,
                version_string="202001",
            )
        except VersionNotActiveError as exc:
            return f"VersionNotActiveError raised as expected: {exc.status_code} {exc.code}"
        raise StepFailed("no VersionNotActiveError for a retired LinkedIn-Version")

    yield "get", get_me
    yield "get (projection)", get_projected
    yield "batch_get", batch_get
    yield "get_all", get_all
    yield "finder", finder
    yield "finder (paged)", paged_finder
    yield "finder (tunneled)", tunneled_finder
    yield "batch_finder", batch_finder
    yield "create", create
    yield "batch_create", batch_create
    yield "update", update
    yield "batch_update", batch_update
    yield "partial_update", partial_update
    yield "batch_partial_update", batch_partial_update
    yield "delete", delete
    yield "batch_delete", batch_delete
    yield "action", action
    yield "error: 404", not_found
    yield "error: 426", retired_version


def _request_line(request: Request | None, width: int = 96) -> str:
    if request is None:
        return "(no request reached the server)"
    target = request.url.split("://", 1)[-1].partition("/")[2]
    line = f"{request.method} /{target}"
    override = request.headers.get("X-HTTP-Method-Override")
    if override:
        line += f"  [tunneled {override}, body {len(request.body or b'')} bytes]"
    return line if len(line) <= width else line[: width - 3] + "..."


@contextmanager
def _client(name: str, base: str) -> Iterator[Call]:
    options: dict[str, Any] = {"base_url": f"{base}/v2", "versioned_base_url": f"{base}/rest"}
    if name in ("httpx (async)", "aiohttp"):
        if name == "aiohttp":
            from restli_aiohttp import AsyncRestliClient
        else:
            from restli_httpx import AsyncRestliClient as AsyncRestliClient  # type: ignore[assignment]
        loop = asyncio.new_event_loop()
        client: Any = AsyncRestliClient(**options)
        try:
            yield lambda method, **kw: loop.run_until_complete(getattr(client, method)(**kw))
        finally:
            loop.run_until_complete(client.aclose())
            loop.close()
        return
    module = {"requests": "restli_requests", "httpx": "restli_httpx", "urllib3": "restli_urllib3"}
    client = importlib.import_module(module[name]).RestliClient(**options)
    try:
        yield lambda method, **kw: getattr(client, method)(**kw)
    finally:
        client.close()


_TRANSPORTS = {
    "requests": ("requests", ["requests"]),
    "httpx": ("httpx", ["httpx", "httpx (async)"]),
    "urllib3": ("urllib3", ["urllib3"]),
    "aiohttp": ("aiohttp", ["aiohttp"]),
}


def run_demo(only: Sequence[str] | None = None) -> int:
    """Run the demo; returns the exit status (0 when every step passed)."""
    chosen = list(only) if only else list(_TRANSPORTS)
    clients: list[str] = []
    for name in chosen:
        library, names = _TRANSPORTS[name]
        if importlib.util.find_spec(library) is None:
            print(f"- {name}: not installed (pip install 'restli-client[{name}]'), skipped")
            continue
        clients += names
    if not clients:
        print("restli demo: no transport library is installed (pip install 'restli-client[all]')")
        return 1
    failures = 0
    total = 0
    started = time.perf_counter()
    for client_name in clients:
        server = RestliServer()  # fresh data for every client
        with LoopbackServer(server) as http, _client(client_name, http.url) as call:
            print(f"\n== {client_name}: embedded Rest.li server at {http.url} ==")
            for title, step in _steps(call):
                total += 1
                before = len(server.requests)
                try:
                    outcome = step()
                    mark = "ok  "
                except (StepFailed, RestliError, KeyError, TypeError, AttributeError) as exc:
                    failures += 1
                    outcome = f"FAILED: {type(exc).__name__}: {exc}"
                    mark = "FAIL"
                request = server.requests[before] if len(server.requests) > before else None
                print(f"{mark} {title:<22} {_request_line(request)}")
                print(f"     {'':<22} -> {outcome}")
    elapsed = time.perf_counter() - started
    print(
        f"\n{total - failures} passed, {failures} failed "
        f"({len(clients)} clients, {total} steps, {elapsed:.1f} s)"
    )
    return 1 if failures else 0

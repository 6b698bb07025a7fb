"""The LinkedIn-Version life cycle: age in months, a warning once per retiring version,
the client-wide default, and 426 NONEXISTENT_VERSION as VersionNotActiveError."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest

from restli_core import (
    AsyncRestliClientBase,
    RestliUsageError,
    RetryPolicy,
    SyncRestliClientBase,
    VersionNotActiveError,
    VersionPolicy,
    check_version,
    version_age_months,
)
from restli_core._versions import DEFAULT_SUPPORT_MONTHS, _forget_warnings
from restli_core.testing import AsyncMockTransport, MockTransport, RestliServer

TOKEN = "AQV-version-token-never-shown"
JUNE_2025 = date(2025, 6, 15)


@pytest.fixture(autouse=True)
def fresh_warnings() -> Iterator[None]:
    _forget_warnings()
    yield
    _forget_warnings()


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "restli" and r.levelno == logging.WARNING
    ]


# --------------------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("version", "today", "age"),
    [
        ("202401", date(2024, 1, 1), 0),
        ("202401", date(2024, 1, 31), 0),
        ("202401", date(2024, 2, 1), 1),
        ("202401", date(2025, 1, 10), 12),
        ("202412", date(2025, 1, 10), 1),
        ("202406.03", date(2025, 6, 15), 12),
        ("202507", date(2025, 6, 15), -1),
        ("202401", datetime(2024, 3, 1, 23, 59), 2),
    ],
)
def test_version_age_months(version: str, today: date, age: int) -> None:
    assert version_age_months(version, today) == age


@pytest.mark.parametrize(
    "version",
    [
        "2024",
        "202413",
        "202400",
        "2024-01",
        "202401.1",
        "202401.ab",
        "\uff12\uff10\uff12\uff14\uff10\uff11",
        202401,
    ],
)
def test_malformed_versions(version: Any) -> None:
    with pytest.raises(RestliUsageError, match="is not a LinkedIn version"):
        version_age_months(version, JUNE_2025)


def test_today_must_be_a_date() -> None:
    with pytest.raises(RestliUsageError, match="today must be a datetime.date"):
        version_age_months("202401", "2025-06-15")  # type: ignore[arg-type]
    with pytest.raises(RestliUsageError, match="must return a datetime.date"):
        check_version("202401", today=lambda: "2025-06-15")  # type: ignore[arg-type,return-value]


def test_a_recent_version_is_silent(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="restli")
    assert check_version("202407", today=JUNE_2025) == 11
    assert check_version("202506", today=JUNE_2025) == 0
    assert warnings_of(caplog) == []


def test_an_old_version_warns_once_per_version(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="restli")
    assert check_version("202406", today=JUNE_2025) == 12
    assert check_version("202406", today=JUNE_2025) == 12
    check_version("202301", today=JUNE_2025)
    check_version("202406", today=date(2026, 1, 1))
    messages = warnings_of(caplog)
    assert len(messages) == 2
    assert messages[0].startswith("LinkedIn-Version 202406 is 12 months old (today is 2025-06-15)")
    assert "426 NONEXISTENT_VERSION" in messages[0]
    assert "such as 202505" in messages[0]
    assert "LinkedIn-Version 202301 is 29 months old" in messages[1]


def test_a_future_version_warns(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="restli")
    assert check_version("202601", today=JUNE_2025) == -7
    assert warnings_of(caplog) == [
        "LinkedIn-Version 202601 is 7 month(s) in the future (today is 2025-06-15): LinkedIn "
        "answers 426 NONEXISTENT_VERSION until it is released; use a released version such "
        "as 202505"
    ]


def test_the_window_is_configurable(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="restli")
    check_version("202501", today=JUNE_2025, support_months=6)
    check_version("202412", today=JUNE_2025, support_months=6)
    assert len(warnings_of(caplog)) == 1 and "202412" in warnings_of(caplog)[0]
    assert DEFAULT_SUPPORT_MONTHS == 12
    with pytest.raises(RestliUsageError, match="support_months must be >= 1"):
        check_version("202412", today=JUNE_2025, support_months=0)
    with pytest.raises(RestliUsageError, match="support_months must be an int"):
        check_version("202412", today=JUNE_2025, support_months=1.5)  # type: ignore[arg-type]


def test_version_policy() -> None:
    assert VersionPolicy(today=JUNE_2025).check("202501") == 5
    assert VersionPolicy(today=lambda: date(2025, 12, 1)).check("202501") == 11
    with pytest.raises(RestliUsageError, match="support_months must be an int >= 1"):
        VersionPolicy(support_months=0)
    with pytest.raises(RestliUsageError, match="VersionPolicy.today must be a date"):
        VersionPolicy(today="2025-06-15")  # type: ignore[arg-type]


def test_without_a_date_the_check_uses_today() -> None:
    this_month = date.today().strftime("%Y%m")
    # Measured at today's UTC date: at most a month boundary away from the local one.
    assert check_version(this_month) in (-1, 0, 1)


# --------------------------------------------------------------------------- clients


Client = SyncRestliClientBase  # the base takes its transport directly


AsyncClient = AsyncRestliClientBase


class Driver:
    def __init__(self, is_async: bool) -> None:
        self.is_async = is_async
        self.server = RestliServer()
        self.transport: Any = (AsyncMockTransport if is_async else MockTransport)(self.server)

    def client(self, **options: Any) -> Any:
        options.setdefault("retry", RetryPolicy(max_attempts=3, base_delay=0.01))
        return (AsyncClient if self.is_async else Client)(self.transport, **options)

    def call(self, client: Any, method: str, **kwargs: Any) -> Any:
        result = getattr(client, method)(**kwargs)
        return asyncio.run(result) if self.is_async else result

    def count(self, pager: Any) -> int:
        if not self.is_async:
            return sum(1 for _ in pager)

        async def run() -> int:
            return len([x async for x in pager])

        return asyncio.run(run())


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def d(request: pytest.FixtureRequest) -> Driver:
    return Driver(request.param)


def test_a_retired_version_raises_version_not_active(d: Driver) -> None:
    client = d.client()
    with pytest.raises(VersionNotActiveError) as caught:
        d.call(
            client,
            "get",
            resource_path="/adAccounts/{id}",
            path_keys={"id": 1},
            access_token=TOKEN,
            version_string="202001",  # retired on the embedded server, as on LinkedIn
        )
    error = caught.value
    assert error.status_code == 426 and error.version == "202001"
    text = str(error)
    assert "the request sent LinkedIn-Version 202001" in text
    assert "update the version string" in text
    assert TOKEN not in text
    assert len(d.server.requests) == 1  # a 426 is final: never retried


def test_a_retired_client_default_raises_while_paging(d: Driver) -> None:
    client = d.client(version_string="202010")
    pager = client.iter_elements("get_all", resource_path="/adAccounts", access_token=TOKEN)
    with pytest.raises(VersionNotActiveError) as caught:
        d.count(pager)
    assert caught.value.version == "202010"


def test_the_client_default_version_goes_on_every_request(d: Driver) -> None:
    client = d.client(version_string="202406")
    d.call(client, "get", resource_path="/adAccounts/{id}", path_keys={"id": 1}, access_token=TOKEN)
    d.call(
        client,
        "get",
        resource_path="/me",
        access_token=TOKEN,
        version_string="202501",
    )
    first, second = d.server.requests
    assert first.headers["LinkedIn-Version"] == "202406"
    assert first.url.startswith("https://api.linkedin.com/rest/")
    assert second.headers["LinkedIn-Version"] == "202501"


def test_every_call_warns_once_for_an_old_default(
    d: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="restli")
    client = d.client(version_string="202406")
    client.version_policy = VersionPolicy(today=date(2025, 9, 1))
    fields = {"resource_path": "/fieldsOfStudy", "access_token": TOKEN}
    assert d.count(client.iter_elements("get_all", **fields)) == 20
    assert d.count(client.iter_pages("get_all", **fields, page_size=10)) == 2
    assert len(d.call(client, "batch_get", **fields, ids=[1, 2, 3], chunk_size=2).results) == 3
    d.call(client, "get", resource_path="/me", access_token=TOKEN)
    messages = warnings_of(caplog)
    assert len(messages) == 1
    assert messages[0].startswith("LinkedIn-Version 202406 is 15 months old (today is 2025-09-01)")
    # Another old version is warned about too, once.
    for _ in range(2):
        d.call(client, "get", resource_path="/me", access_token=TOKEN, version_string="202405")
    assert len(warnings_of(caplog)) == 2


def test_a_policy_of_none_turns_the_check_off(d: Driver, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="restli")
    client = d.client(version_string="202301")
    client.version_policy = None
    assert (
        d.count(client.iter_elements("get_all", resource_path="/fieldsOfStudy", access_token=TOKEN))
        == 20
    )
    assert warnings_of(caplog) == []

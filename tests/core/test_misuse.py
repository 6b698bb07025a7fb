"""Misuse is the library's own error: absurd timeouts, a version that is not text.

Each entry point that takes the argument is tried: the builder, the client (both the
client-wide default and the per-call value), the version policy, ``Request`` and the
transports' timeout normalisation, the mock transport.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from typing import Any

import pytest

from restli_core import (
    Request,
    RequestBuilder,
    RestliUsageError,
    TransportTimeout,
    VersionPolicy,
    check_version,
    version_age_months,
)
from restli_core.testing import MockRestliClient, MockTransport
from restli_core.transport import normalize_timeout

URL = "https://api.linkedin.com/v2/me"
TOKEN = "tok-123456"
TODAY = datetime.date(2025, 1, 15)

NOT_VERSIONS: list[Any] = [[], {}, (), 202406, 2024.06, b"202406", object()]


# --------------------------------------------------------------------------- version_string


@pytest.mark.parametrize("version", NOT_VERSIONS)
def test_a_version_string_that_is_not_text_is_a_misuse_everywhere(version: Any) -> None:
    with pytest.raises(RestliUsageError, match="version"):
        RequestBuilder().get(resource_path="/me", access_token=TOKEN, version_string=version)
    with pytest.raises(RestliUsageError, match="version"):
        MockRestliClient(version_string=version)
    client = MockRestliClient()
    calls: tuple[Callable[[], object], ...] = (
        lambda: client.get(resource_path="/me", access_token=TOKEN, version_string=version),
        lambda: client.batch_get(
            resource_path="/adAccounts", ids=[1, 2], access_token=TOKEN, version_string=version
        ),
        lambda: client.finder(
            resource_path="/adAccounts",
            finder_name="search",
            access_token=TOKEN,
            version_string=version,
        ),
    )
    for call in calls:
        with pytest.raises(RestliUsageError, match="version"):
            call()
    assert client.transport.exchanges == []
    with pytest.raises(RestliUsageError, match="version"):
        check_version(version, today=TODAY)
    with pytest.raises(RestliUsageError, match="version"):
        version_age_months(version, TODAY)
    with pytest.raises(RestliUsageError, match="version"):
        VersionPolicy(today=TODAY).check(version)


# --------------------------------------------------------------------------- timeouts

BAD_TIMEOUTS: list[Any] = [10**400, -(10**400), math.inf, -math.inf, math.nan, 0, -1, 0.0]


@pytest.mark.parametrize("timeout", BAD_TIMEOUTS)
def test_a_request_timeout_is_finite_seconds(timeout: Any) -> None:
    with pytest.raises(RestliUsageError, match="timeout"):
        Request("GET", URL, timeout=timeout)


@pytest.mark.parametrize("timeout", ["10", True, [1], None.__class__])
def test_a_request_timeout_of_another_type_is_a_misuse(timeout: Any) -> None:
    with pytest.raises(RestliUsageError, match="timeout must be seconds"):
        Request("GET", URL, timeout=timeout)


def test_a_huge_timeout_is_refused_without_printing_the_number() -> None:
    with pytest.raises(RestliUsageError, match="an int of 16610 bits"):
        Request("GET", URL, timeout=10**5000)  # repr would exceed Python's digit limit


def test_with_timeout_treats_an_infinite_time_left_as_no_limit() -> None:
    # The retry flow's deadline may be infinite (deadline=10**400 is accepted there).
    request = Request("GET", URL)
    assert request.with_timeout(2.5).timeout == 2.5
    assert request.with_timeout(10**400).timeout is None
    assert request.with_timeout(math.inf).timeout is None
    assert request.with_timeout(None).timeout is None
    bad_values: list[Any] = [0, -1, math.nan, -(10**400), "1"]
    for bad in bad_values:
        with pytest.raises(RestliUsageError, match="timeout"):
            request.with_timeout(bad)


@pytest.mark.parametrize("timeout", [10**400, math.inf, (1, 10**400), (math.nan, 1), 0])
def test_transport_timeouts_are_finite_seconds(timeout: Any) -> None:
    with pytest.raises(RestliUsageError, match="timeout"):
        normalize_timeout(timeout)
    with pytest.raises(RestliUsageError, match="timeout"):
        MockTransport(timeout=timeout)


def test_the_mock_transport_honours_the_request_timeout() -> None:
    transport = MockTransport(timeout=30.0)
    transport.server.inject(delay=10.0, times=2)
    headers = {"X-RestLi-Protocol-Version": "2.0.0", "Authorization": f"Bearer {TOKEN}"}
    request = Request("GET", URL, headers)
    with pytest.raises(TransportTimeout, match="2 s request's timeout"):
        transport.send(request.with_timeout(2.0))
    assert transport.clock == 2.0
    assert transport.send(request.with_timeout(20.0)).status_code == 200  # 10 s < 20 s
    assert transport.clock == 12.0

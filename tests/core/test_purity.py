"""The core stays pure: importing it loads no networking or async library."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = [
    "requests",
    "httpx",
    "urllib3",
    "aiohttp",
    "socket",
    "asyncio",
    "ssl",
    "http.client",
    "sqlite3",  # the stores are adapters too
    "redis",
]


def test_import_restli_core_loads_no_io_module() -> None:
    # Using the clients' credentials, quotas and stores loads none either.
    code = (
        "import sys, restli_core\n"
        "restli_core.RefreshTokenCredentials, restli_core.MemoryStore, restli_core.Budget\n"
        "restli_core.SyncRestliClientBase, restli_core.QuotaExhaustedError\n"
        f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"import restli_core loaded: {out}"


def test_import_restli_core_loads_only_the_light_modules() -> None:
    # The builder, parser, OAuth and flow modules load on first use (PEP 562), so a
    # program that only encodes or decodes does not pay for them.
    code = (
        "import sys, restli_core\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('restli_core.'))\n"
        "print(','.join(loaded))\n"
        "restli_core.RequestBuilder\n"
        "print('restli_core._builder' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(out[0].split(",")) <= {
        "restli_core._codec",
        "restli_core._errors",
        "restli_core._flow",
        "restli_core._messages",
        "restli_core._store",
        "restli_core._urn",
        "restli_core._wire",
    }
    assert out[1] == "True"

"""The core stays pure: importing it loads no networking or async library."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ["requests", "httpx", "urllib3", "aiohttp", "socket", "asyncio", "ssl", "http.client"]


def test_import_restli_core_loads_no_io_module() -> None:
    code = (
        "import sys, restli_core\n"
        f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"import restli_core loaded: {out}"

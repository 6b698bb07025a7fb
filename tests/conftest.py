"""Suite-wide setup.

``RESTLI_API_ROOT`` moves every client that is given no base URL to another server
(``export RESTLI_API_ROOT=...`` is what ``restli serve`` suggests). The tests assert
LinkedIn's default hosts, so a value left in the shell that runs them is dropped here,
before any test module copies the environment for its subprocesses; tests of the
variable set it themselves (``monkeypatch.setenv``, or a subprocess's ``env``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

os.environ.pop("RESTLI_API_ROOT", None)


@pytest.fixture(scope="module")
def api_root() -> Iterator[str]:
    """A ``restli serve`` process on a free port, as a user starts it; its API root is
    read from the ``export RESTLI_API_ROOT=...`` line it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "restli_cli", "serve", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        root = ""
        for _ in range(5):  # the first lines say where it serves and what to export
            found = re.search(r"RESTLI_API_ROOT=(\S+)", process.stdout.readline())
            if found:
                root = found.group(1)
                break
        assert root, "restli serve did not print the API root to export"
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)

"""Suite-wide setup.

``RESTLI_API_ROOT`` moves every client that is given no base URL to another server
(``export RESTLI_API_ROOT=...`` is what ``restli serve`` suggests). The tests assert
LinkedIn's default hosts, so a value left in the shell that runs them is dropped here,
before any test module copies the environment for its subprocesses; tests of the
variable set it themselves (``monkeypatch.setenv``, or a subprocess's ``env``).
"""

from __future__ import annotations

import os

os.environ.pop("RESTLI_API_ROOT", None)

"""The ``restli`` command line: ``serve``, ``request`` (with ``--dry-run``),
``encode``/``decode`` and ``demo``. See ``restli --help``."""

from __future__ import annotations

from ._main import main

__all__ = ["main"]

"""``python -m restli_cli`` and the ``restli`` console script."""

from __future__ import annotations

import sys

from ._main import main as _main


def main() -> None:
    """Console-script entry point."""
    sys.exit(_main())


if __name__ == "__main__":
    main()

"""Run the benchmark suites: ``python -m benchmarks [suite ...]``.

Suites: codec, build, parse (pure, in-process), transport, paging (over loopback).
Needs the ``bench`` extra (it installs the official client for side-by-side runs).
"""

from __future__ import annotations

import importlib
import sys

from ._harness import run

SUITES = ["codec", "build", "parse", "transport", "paging", "distant"]


def main(argv: list[str]) -> int:
    wanted = argv or SUITES
    unknown = [s for s in wanted if s not in SUITES]
    if unknown:
        print(f"unknown suite(s): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
        return 2
    for name in wanted:
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.bench_{name}":
                continue
            raise
        print(f"\n== {name} ==")
        if hasattr(module, "main"):
            module.main()
        else:
            run(module.comparisons())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

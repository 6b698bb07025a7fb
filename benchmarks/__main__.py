"""Run the benchmark suites: ``python -m benchmarks [suite ...]``.

Suites: codec, build, parse (pure, in-process), transport, paging (over loopback),
distant (a server 40 ms away at 8 MB/s: bulk reads, ours against the official client;
options after the suite name, e.g. ``python -m benchmarks distant --runs 5``).
Needs the ``bench`` extra (it installs the official client for side-by-side runs).
"""

from __future__ import annotations

import importlib
import inspect
import sys

from ._harness import run

SUITES = ["codec", "build", "parse", "transport", "paging", "distant"]


def main(argv: list[str]) -> int:
    # Suite names, then options for the suites that take them
    # (``python -m benchmarks distant --latency 100``).
    split = next((i for i, arg in enumerate(argv) if arg.startswith("-")), len(argv))
    argv, options = argv[:split], argv[split:]
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
            if options and inspect.signature(module.main).parameters:
                module.main(options)
            else:
                module.main()
        else:
            run(module.comparisons())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""A small timing harness: medians of repeated runs, printed side by side as ratios.

Every suite module (``benchmarks/bench_*.py``) defines ``comparisons()`` returning a
list of :class:`Comparison`; ``python -m benchmarks`` runs them all in one process
and prints one table. Timing lives here only: unit tests never assert on time.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Comparison:
    """One measured task: ours against a reference implementation of the same work.

    ``target`` is the ratio (reference time / our time) the issue asks for, if any;
    a ratio below 1 means we are slower. For "at most X times a baseline" targets,
    give ``max_ratio`` instead: then ours / reference must stay at or under it.
    """

    suite: str
    task: str
    ours: Callable[[], object]
    reference: Callable[[], object] | None = None
    reference_label: str = "official client"
    target: float | None = None
    max_ratio: float | None = None
    notes: str = ""
    results: dict[str, float] = field(default_factory=dict)


def median_seconds(fn: Callable[[], object], *, budget: float = 0.4, rounds: int = 9) -> float:
    """Median time of one call of ``fn``, from ``rounds`` timed batches."""
    fn()  # warm up (imports, caches)
    number = 1
    while True:  # size a batch to about budget / rounds seconds
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= budget / rounds / 4 or number >= 1 << 20:
            break
        number *= 2
    number = max(1, int(number * (budget / rounds) / max(elapsed, 1e-9)))
    samples = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples.append((time.perf_counter() - start) / number)
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(samples)


def _fmt(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds * 1e6:8.2f} µs"


def run(comparisons: list[Comparison]) -> list[Comparison]:
    """Measure every comparison and print one table; returns them with results."""
    header = f"{'suite':<10} {'task':<44} {'ours':>11} {'reference':>11} {'ratio':>8}  target"
    print(header)
    print("-" * len(header))
    for c in comparisons:
        ours = median_seconds(c.ours)
        c.results["ours"] = ours
        ref_text = ratio_text = "-"
        verdict = ""
        if c.reference is not None:
            ref = median_seconds(c.reference)
            c.results["reference"] = ref
            if c.max_ratio is not None:
                ratio = ours / ref
                ratio_text = f"{ratio:6.2f}x"
                verdict = f"<= {c.max_ratio}x of {c.reference_label}: " + (
                    "met" if ratio <= c.max_ratio else "MISSED"
                )
            else:
                ratio = ref / ours
                ratio_text = f"{ratio:6.2f}x"
                if c.target is not None:
                    verdict = f">= {c.target}x faster than {c.reference_label}: " + (
                        "met" if ratio >= c.target else "MISSED"
                    )
                else:
                    verdict = f"vs {c.reference_label}"
            c.results["ratio"] = ratio
            ref_text = _fmt(ref)
        print(
            f"{c.suite:<10} {c.task:<44} {_fmt(ours):>11} {ref_text:>11} {ratio_text:>8}  {verdict}"
        )
        if c.notes:
            print(f"{'':<10} {c.notes}")
    return comparisons

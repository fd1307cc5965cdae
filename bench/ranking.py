"""Benchmark: rank_candidates for 10 marked regions over the full catalogue, with and without
symptoms and factors, as ratios to the naive lookup (bench/presentations.naive) timed in the
same run.

Run with `make bench` (it migrates and loads the catalogue into the SQLite database first), or
`.venv/bin/python bench/ranking.py [--runs N]`. Prints figures; asserts nothing.
"""

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from presentations import naive  # noqa: E402

from triggerpoints.ranking import load_catalogue, rank_candidates  # noqa: E402


def measure(label: str, runs: int, call: Callable[[], object], baseline: float = 0) -> float:
    call()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    median = statistics.median(times)
    ratio = f"   {median / baseline:5.1f}x the naive lookup" if baseline else ""
    print(
        f"{label:<52} median {median:6.2f} ms   p95 {p95:6.2f} ms   "
        f"max {times[-1]:6.2f} ms{ratio}   ({runs} runs)"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    catalogue = load_catalogue()
    if not catalogue.patterns:
        sys.exit("The catalogue is empty: run `make setup` (or manage.py load_catalogue) first.")
    rng = random.Random(2026)
    codes = sorted(catalogue.region_codes)
    drawings = [rng.sample(codes, 10) for _ in range(50)]
    cycle = itertools.cycle(drawings)
    print(
        f"Catalogue: {len(catalogue.patterns)} trigger-point patterns, "
        f"{len(catalogue.region_codes)} region codes; 10 marked regions per drawing."
    )
    symptoms = sorted(catalogue.symptoms)[:3]
    factors = sorted(catalogue.factor_keys)[:3]
    base = measure(
        "naive lookup (baseline: any overlap, catalogue order)",
        args.runs,
        lambda: naive(catalogue, next(cycle)),
    )
    measure(
        "ranking, regions only (catalogue in memory)",
        args.runs,
        lambda: rank_candidates(next(cycle), catalogue=catalogue),
        base,
    )
    measure(
        "ranking with 3 symptoms and 3 factors",
        args.runs,
        lambda: rank_candidates(
            next(cycle), symptoms=symptoms, factors=factors, catalogue=catalogue
        ),
        base,
    )
    measure(
        "ranking incl. reading the catalogue (6 queries)",
        args.runs,
        lambda: rank_candidates(next(cycle), symptoms=symptoms, factors=factors),
        base,
    )


if __name__ == "__main__":
    main()

"""Measure the ranking against textbook presentations (bench/presentations.toml).

For each presentation: does the ranking put the specialist's first muscle first (top-1), in the
first three (first-in-top-3), and how many of the muscles a specialist would check are in its
first five (recall@5)? The same figures for the naive lookup (any trigger point of the muscle
refers to any marked region, muscles in catalogue order) are measured in the same run, and the
ranking's are printed as ratios to them. Also the ranking on the regions alone, to show what the
symptoms and factors add. Prints figures; asserts nothing.

Run with `make bench`, or `.venv/bin/python bench/presentations.py [--misses]`.
"""

import argparse
import os
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from triggerpoints.ranking import Catalogue, expand, load_catalogue, rank_candidates  # noqa: E402

SET = Path(__file__).with_name("presentations.toml")


def naive(catalogue: Catalogue, regions: list[str], **_: object) -> list[str]:
    """Every muscle with a trigger point whose zones touch a marked region, catalogue order."""
    marked = set(regions)
    found: list[str] = []
    for pattern in catalogue.patterns:
        zones = pattern.essential + pattern.spillover
        codes = {c for z in zones for side in ("l", "r") for c in expand(z, side)}
        if codes & marked and pattern.muscle not in found:
            found.append(pattern.muscle)
    return found


def ours(catalogue: Catalogue, regions: list[str], symptoms: list, factors: list) -> list[str]:
    ranked = rank_candidates(
        regions, symptoms=symptoms, factors=factors, limit=10, catalogue=catalogue
    )
    return [c.muscle for c in ranked]


def regions_only(catalogue: Catalogue, regions: list[str], **_: object) -> list[str]:
    return [c.muscle for c in rank_candidates(regions, limit=10, catalogue=catalogue)]


def score(
    method: Callable[..., list[str]], catalogue: Catalogue, presentations: list[dict]
) -> tuple[dict[str, float], list[tuple[dict, list[str]]]]:
    top1 = top3 = recall = 0.0
    misses = []
    for p in presentations:
        muscles = method(
            catalogue, p["regions"], symptoms=p.get("symptoms", []), factors=p.get("factors", [])
        )
        expected = [p["first"], *p.get("also", [])]
        top1 += muscles[:1] == [p["first"]]
        top3 += p["first"] in muscles[:3]
        recall += len(set(expected) & set(muscles[:5])) / len(expected)
        if muscles[:1] != [p["first"]]:
            misses.append((p, muscles[:3]))
    n = len(presentations)
    return {"top-1": top1 / n, "first in top 3": top3 / n, "recall@5": recall / n}, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="List where top-1 missed.")
    args = parser.parse_args()
    catalogue = load_catalogue()
    if not catalogue.patterns:
        sys.exit("The catalogue is empty: run `make setup` (or manage.py load_catalogue) first.")
    presentations = tomllib.loads(SET.read_text())["presentation"]
    names = {p.muscle for p in catalogue.patterns}
    for p in presentations:
        unknown = {p["first"], *p.get("also", [])} - names
        if unknown:
            sys.exit(f"{p['id']}: muscles not in the catalogue: {sorted(unknown)}")
    baseline, _ = score(naive, catalogue, presentations)
    results = {
        "naive lookup (baseline)": baseline,
        "ranking, regions only": score(regions_only, catalogue, presentations)[0],
    }
    full, misses = score(ours, catalogue, presentations)
    results["ranking, whole presentation"] = full
    print(f"{len(presentations)} presentations (bench/presentations.toml)\n")
    print(f"{'method':<30}{'top-1':>16}{'first in top 3':>22}{'recall@5':>18}")
    for label, figures in results.items():
        cells = []
        for metric in ("top-1", "first in top 3", "recall@5"):
            value = figures[metric]
            ratio = value / baseline[metric] if baseline[metric] else float("inf")
            cells.append(f"{value:6.0%} ({ratio:4.1f}x)")
        print(f"{label:<30}{cells[0]:>16}{cells[1]:>22}{cells[2]:>18}")
    print("\n(x: ratio to the naive lookup measured in the same run)")
    if args.misses:
        print("\nWhere the first muscle was not the specialist's first:")
        for p, top in misses:
            print(f"  {p['id']:<28} expected {p['first']:<26} got {', '.join(top)}")


if __name__ == "__main__":
    main()

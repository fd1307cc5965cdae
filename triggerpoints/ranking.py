"""Referral lookup: "pain here → which trigger points refer here".

`rank_candidates(regions)` takes the sided region codes a patient marked and returns the trigger
points whose referral patterns best explain them. The result is a list of hypotheses for the
examiner to palpate, never a diagnosis.

Scoring, for one trigger point on one side (its zones expanded to that side):

* Each marked region the pattern explains counts once: 1.0 when it lies in an essential zone
  (where nearly everyone with an active trigger point feels it), 0.4 when it lies only in a
  spillover zone (felt by some, when the point is more irritable). So one essential match
  outweighs two spillover matches, and explaining more of the marked regions scores higher.
* That sum is multiplied by a fit factor between 0.75 and 1.0: 0.75 + 0.25 × the share of the
  pattern's essential zones that the patient marked. Among patterns that explain the same
  regions, the one whose essential zones the patient actually reports ranks higher; a pattern
  with essential zones the patient did not mark is penalised, but never by more than a quarter,
  so the fit never outweighs explaining one more region.
* Ties (equal scores) break, in order, on: more essential matches; higher confidence of the
  catalogue entry (H, M, U); muscles most often involved in clinical series first; then muscle
  name, trigger-point label and side alphabetically, so the order is always the same.

Patterns whose zones are all bilateral or midline (e.g. rectus abdominis' back band) are the
same whichever side the trigger point is on; they appear once, with side None.
"""

from collections.abc import Iterable
from dataclasses import dataclass

ESSENTIAL_WEIGHT = 1.0
SPILLOVER_WEIGHT = 0.4
MIN_FIT_FACTOR = 0.75
CONFIDENCE_ORDER = {"H": 0, "M": 1, "U": 2}
SIDES = ("l", "r")


class UnknownRegionError(ValueError):
    """A region code that is not in the body-region vocabulary."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = sorted(codes)
        super().__init__(f"Unknown body-region code(s): {', '.join(self.codes)}")


@dataclass(frozen=True)
class Zone:
    area: str  # area code, e.g. "lat.head.temple"
    laterality: str  # "same", "both" or "midline"


@dataclass(frozen=True)
class Pattern:
    """One trigger point's referral pattern, written relative to its side."""

    trigger_point_id: int
    muscle: str
    muscle_slug: str
    label: str
    confidence: str
    commonly_involved: bool
    essential: tuple[Zone, ...]
    spillover: tuple[Zone, ...]

    @property
    def sided(self) -> bool:
        return any(z.laterality == "same" for z in self.essential + self.spillover)


@dataclass(frozen=True)
class Catalogue:
    """What the ranking needs: the region vocabulary and every pattern."""

    region_codes: frozenset[str]
    patterns: tuple[Pattern, ...]


@dataclass(frozen=True)
class Candidate:
    trigger_point_id: int
    muscle: str
    muscle_slug: str
    trigger_point: str
    side: str | None  # "l", "r", or None when the pattern is the same on both sides
    score: float
    explains_essential: tuple[str, ...]  # marked regions in the essential zones
    explains_spillover: tuple[str, ...]  # marked regions in spillover zones only
    unmarked_essential: tuple[str, ...]  # essential regions the patient did not mark
    confidence: str
    commonly_involved: bool

    @property
    def explained(self) -> tuple[str, ...]:
        return self.explains_essential + self.explains_spillover


def expand(zone: Zone, side: str) -> tuple[str, ...]:
    """The region codes a side-relative zone covers for a trigger point on `side`."""
    if zone.laterality == "midline":
        return (zone.area,)
    if zone.laterality == "both":
        return (f"{zone.area}.l", f"{zone.area}.r")
    return (f"{zone.area}.{side}",)


def _expand_all(zones: tuple[Zone, ...], side: str) -> list[str]:
    return list(dict.fromkeys(code for zone in zones for code in expand(zone, side)))


def score_pattern(
    pattern: Pattern, side: str | None, marked: frozenset[str], order: dict[str, int]
) -> Candidate | None:
    """Score one pattern on one side against the marked regions; None if it explains none."""
    expand_side = side or "l"  # a side-independent pattern expands the same either way
    essential = _expand_all(pattern.essential, expand_side)
    spillover = [c for c in _expand_all(pattern.spillover, expand_side) if c not in essential]
    by_order = order.__getitem__
    explains_essential = tuple(sorted((c for c in essential if c in marked), key=by_order))
    explains_spillover = tuple(sorted((c for c in spillover if c in marked), key=by_order))
    if not explains_essential and not explains_spillover:
        return None
    unmarked = tuple(c for c in essential if c not in marked)
    fit = len(explains_essential) / len(essential) if essential else 0.0
    explained = ESSENTIAL_WEIGHT * len(explains_essential) + SPILLOVER_WEIGHT * len(
        explains_spillover
    )
    score = explained * (MIN_FIT_FACTOR + (1 - MIN_FIT_FACTOR) * fit)
    return Candidate(
        trigger_point_id=pattern.trigger_point_id,
        muscle=pattern.muscle,
        muscle_slug=pattern.muscle_slug,
        trigger_point=pattern.label,
        side=side,
        score=round(score, 4),
        explains_essential=explains_essential,
        explains_spillover=explains_spillover,
        unmarked_essential=unmarked,
        confidence=pattern.confidence,
        commonly_involved=pattern.commonly_involved,
    )


def _sort_key(c: Candidate) -> tuple:
    return (
        -c.score,
        -len(c.explains_essential),
        CONFIDENCE_ORDER.get(c.confidence, len(CONFIDENCE_ORDER)),
        not c.commonly_involved,
        c.muscle,
        c.trigger_point,
        c.side or "",
    )


def rank_candidates(
    regions: Iterable[str], *, limit: int = 10, catalogue: Catalogue | None = None
) -> list[Candidate]:
    """Rank the trigger points that could explain pain in `regions` (sided region codes such as
    "lat.head.temple.l"). Raises UnknownRegionError for codes outside the vocabulary.

    `catalogue` defaults to the one in the database (three queries); pass one to rank many
    drawings without touching the database.
    """
    if catalogue is None:
        catalogue = load_catalogue()
    marked = frozenset(regions)
    unknown = marked - catalogue.region_codes
    if unknown:
        raise UnknownRegionError(unknown)
    if not marked or limit <= 0:
        return []
    order = {code: i for i, code in enumerate(sorted(catalogue.region_codes))}
    candidates = []
    for pattern in catalogue.patterns:
        for side in SIDES if pattern.sided else (None,):
            candidate = score_pattern(pattern, side, marked, order)
            if candidate is not None:
                candidates.append(candidate)
    candidates.sort(key=_sort_key)
    return candidates[:limit]


def load_catalogue() -> Catalogue:
    """Read the region vocabulary and every referral pattern from the database."""
    from .models import BodyRegion, ReferralZone, TriggerPoint

    zones: dict[int, dict[str, list[Zone]]] = {}
    for tp_id, area, laterality, kind in ReferralZone.objects.values_list(
        "trigger_point_id", "area__code", "laterality", "kind"
    ):
        zones.setdefault(tp_id, {"essential": [], "spillover": []})[kind].append(
            Zone(area, laterality)
        )
    patterns = tuple(
        Pattern(
            trigger_point_id=tp_id,
            muscle=muscle,
            muscle_slug=slug,
            label=label,
            confidence=confidence,
            commonly_involved=common,
            essential=tuple(zones.get(tp_id, {}).get("essential", ())),
            spillover=tuple(zones.get(tp_id, {}).get("spillover", ())),
        )
        for tp_id, muscle, slug, label, confidence, common in TriggerPoint.objects.values_list(
            "id",
            "muscle__name",
            "muscle__slug",
            "label",
            "confidence",
            "muscle__commonly_involved",
        )
    )
    codes = frozenset(BodyRegion.objects.values_list("code", flat=True))
    return Catalogue(region_codes=codes, patterns=patterns)

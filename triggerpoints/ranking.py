"""Referral lookup: "pain here → which muscles", weighing the whole presentation.

`rank_candidates(regions, *, symptoms=(), factors=(), limit=10)` takes the sided region codes a
patient marked, optionally the associated symptoms they report (keys of the symptom vocabulary,
facts §11) and the perpetuating factors present (keys of perpetuating_factors.toml), and
returns the muscles whose trigger points could explain the presentation, best first. The list is
a set of hypotheses for the examiner to palpate, never a diagnosis.

The score is the weight of evidence for one muscle on one side, added up from five parts; each
candidate lists its parts in plain words with their weights so a therapist can disagree:

1. **Referral fit.** Each marked region the muscle's trigger points refer to counts once, at
   its best: 1.0 when it lies in an essential zone of one of them (where nearly everyone with an
   active trigger point feels it), 0.4 when only in a spillover zone (felt by some). The sum is
   multiplied by 0.75–1.0: 0.75 + 0.25 × the share of the best-fitting point's essential zones
   the patient marked, so a pattern whose essential zones the patient does not report is
   penalised, never by more than a quarter.
2. **Local pain.** A marked region where one of the muscle's trigger points lies counts 1.0, as
   an essential zone does (Travell & Simons draw the trigger point's own site inside the
   essential zone of nearly every pattern: pain is felt there too), whatever the fit
   of the referral pattern. A region already counted by the referral fit counts at the higher of
   the two weights, not twice.
3. **How often the muscle is involved** (a prior, not a tie-break): +0.3 for the muscles most
   often involved in clinical series (facts §2.10).
4. **Associated symptoms** the muscle's entry names (facts §11): +0.5 for each one reported.
5. **Perpetuating factors** linked to the muscle's trigger points: +0.25 for each one present.
   At most three symptoms and three factors count for one muscle (the rest are listed with no
   weight), so what surrounds the pain re-orders muscles without outweighing the pain itself.

A muscle is listed only when the marked regions give it evidence (referral or local pain):
symptoms and factors re-order the candidates, they never bring in a muscle the pain does not
fit. One row per muscle: on the side whose trigger points explain the pain; when the pain is
marked on both sides and each side explains regions the other does not, one "both sides" row
scored over both; when only bilateral or midline zones fit, "either side". Each row lists the
trigger points of the muscle that fit, best first.
Equal scores break on more essential matches, higher confidence (H, M, U), then name.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

ESSENTIAL_WEIGHT = 1.0
SPILLOVER_WEIGHT = 0.4
LOCAL_WEIGHT = 1.0
MIN_FIT_FACTOR = 0.75
PRIOR_WEIGHT = 0.3
SYMPTOM_WEIGHT = 0.5
FACTOR_WEIGHT = 0.25
SYMPTOM_CAP = FACTOR_CAP = 3  # at most three of each count, so context never outweighs the pain
CONFIDENCE_ORDER = {"H": 0, "M": 1, "U": 2}
SIDES = ("l", "r")
BOTH = "both"
SIDE_WORDS = {"l": "left", "r": "right", BOTH: "both sides", None: "either side"}


class UnknownKeyError(ValueError):
    """A key that is not in its vocabulary (regions, symptoms or factors)."""

    kind = "key"

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = sorted(codes)
        super().__init__(f"Unknown {self.kind}(s): {', '.join(self.codes)}")


class UnknownRegionError(UnknownKeyError):
    kind = "body-region code"


class UnknownSymptomError(UnknownKeyError):
    kind = "symptom key"


class UnknownFactorError(UnknownKeyError):
    kind = "perpetuating-factor key"


@dataclass(frozen=True)
class Zone:
    area: str  # area code, e.g. "lat.head.temple"
    laterality: str  # "same", "both" or "midline"


@dataclass(frozen=True)
class Pattern:
    """One trigger point: its referral pattern (relative to its side), where it lies, and the
    perpetuating factors its entry links to."""

    trigger_point_id: int
    muscle: str
    muscle_slug: str
    label: str
    confidence: str
    commonly_involved: bool
    essential: tuple[Zone, ...]
    spillover: tuple[Zone, ...]
    location: Zone | None = None
    factors: frozenset[str] = frozenset()

    @property
    def sided(self) -> bool:
        zones = self.essential + self.spillover + ((self.location,) if self.location else ())
        return any(z.laterality == "same" for z in zones)


@dataclass(frozen=True)
class Catalogue:
    """What the ranking needs: the vocabularies and every pattern."""

    region_codes: frozenset[str]
    patterns: tuple[Pattern, ...]
    symptoms: dict[str, frozenset[str]] = field(default_factory=dict)  # key → muscle names
    factor_keys: frozenset[str] = frozenset()
    labels: dict[str, str] = field(default_factory=dict)  # symptom and factor key → words


@dataclass(frozen=True)
class Evidence:
    kind: str  # "referral", "local", "prior", "symptom", "factor"
    text: str
    weight: float


@dataclass(frozen=True)
class PointFit:
    """How one trigger point of the muscle fits the marked regions."""

    trigger_point_id: int
    label: str
    explains_essential: tuple[str, ...]
    explains_spillover: tuple[str, ...]
    local: tuple[str, ...]  # marked regions where the trigger point lies
    unmarked_essential: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Candidate:
    """One muscle on one side (or both sides), with the evidence that put it there."""

    muscle: str
    muscle_slug: str
    side: str | None  # "l", "r", "both", or None when its patterns are the same either side
    score: float
    points: tuple[PointFit, ...]  # the muscle's trigger points that fit, best first
    evidence: tuple[Evidence, ...]
    confidence: str
    commonly_involved: bool

    @property
    def best(self) -> PointFit:
        return self.points[0]

    @property
    def trigger_point_id(self) -> int:
        return self.best.trigger_point_id

    @property
    def trigger_point(self) -> str:
        return self.best.label

    @property
    def explains_essential(self) -> tuple[str, ...]:
        return _union(p.explains_essential for p in self.points)

    @property
    def explains_spillover(self) -> tuple[str, ...]:
        essential = set(self.explains_essential)
        spillover = _union(p.explains_spillover for p in self.points)
        return tuple(c for c in spillover if c not in essential)

    @property
    def local(self) -> tuple[str, ...]:
        return _union(p.local for p in self.points)

    @property
    def unmarked_essential(self) -> tuple[str, ...]:
        return self.best.unmarked_essential

    @property
    def explained(self) -> tuple[str, ...]:
        return _union([self.explains_essential, self.explains_spillover, self.local])

    @property
    def side_words(self) -> str:
        return SIDE_WORDS[self.side]


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(code for group in groups for code in group))


def expand(zone: Zone, side: str) -> tuple[str, ...]:
    """The region codes a side-relative zone covers for a trigger point on `side`."""
    if zone.laterality == "midline":
        return (zone.area,)
    if zone.laterality == "both":
        return (f"{zone.area}.l", f"{zone.area}.r")
    return (f"{zone.area}.{side}",)


def _expand_all(zones: Iterable[Zone], side: str) -> list[str]:
    return list(dict.fromkeys(code for zone in zones for code in expand(zone, side)))


def _fit(pattern: Pattern, side: str, marked: frozenset[str], order: dict[str, int]) -> PointFit:
    essential = _expand_all(pattern.essential, side)
    spillover = [c for c in _expand_all(pattern.spillover, side) if c not in essential]
    by_order = order.__getitem__
    explains_essential = tuple(sorted((c for c in essential if c in marked), key=by_order))
    explains_spillover = tuple(sorted((c for c in spillover if c in marked), key=by_order))
    location = _expand_all((pattern.location,), side) if pattern.location else []
    local = tuple(sorted((c for c in location if c in marked), key=by_order))
    share = len(explains_essential) / len(essential) if essential else 0.0
    referral = {c: SPILLOVER_WEIGHT for c in explains_spillover}
    referral |= dict.fromkeys(explains_essential, ESSENTIAL_WEIGHT)
    local_only = [c for c in local if referral.get(c, 0) < LOCAL_WEIGHT]
    factor = MIN_FIT_FACTOR + (1 - MIN_FIT_FACTOR) * share
    score = sum(w for c, w in referral.items() if c not in local_only) * factor
    score += LOCAL_WEIGHT * len(local_only)
    return PointFit(
        trigger_point_id=pattern.trigger_point_id,
        label=pattern.label,
        explains_essential=explains_essential,
        explains_spillover=explains_spillover,
        local=local,
        unmarked_essential=tuple(c for c in essential if c not in marked),
        score=round(score, 4),
    )


def _region_evidence(fits: list[PointFit], words: dict[str, str]) -> tuple[float, list[Evidence]]:
    """Referral fit and local pain over the fitting points of one muscle on one side."""
    best_weight: dict[str, tuple[float, str]] = {}
    for fit in fits:
        for code in fit.explains_spillover:
            best_weight.setdefault(code, (SPILLOVER_WEIGHT, "spillover"))
        for code in fit.local:
            if best_weight.get(code, (0, ""))[0] < LOCAL_WEIGHT:
                best_weight[code] = (LOCAL_WEIGHT, "local")
        for code in fit.explains_essential:
            best_weight[code] = (ESSENTIAL_WEIGHT, "essential")
    best = max(fits, key=lambda f: f.score)
    essential_zones = len(best.explains_essential) + len(best.unmarked_essential)
    share = len(best.explains_essential) / essential_zones if essential_zones else 0.0
    factor = MIN_FIT_FACTOR + (1 - MIN_FIT_FACTOR) * share
    evidence = []
    referral = [(c, w, k) for c, (w, k) in best_weight.items() if k != "local"]
    if referral:
        parts = [f"{words.get(c, c)} ({k})" for c, _, k in referral]
        weight = sum(w for _, w, _ in referral) * factor
        text = f"Refers to {', '.join(parts)}"
        if share < 1:
            text += f"; {round(share * 100)}% of its essential zones marked"
        evidence.append(Evidence("referral", text, round(weight, 2)))
    local = [c for c, (_, k) in best_weight.items() if k == "local"]
    if local:
        weight = LOCAL_WEIGHT * len(local)
        text = f"Pain where the trigger point lies: {', '.join(words.get(c, c) for c in local)}"
        evidence.append(Evidence("local", text, round(weight, 2)))
    return sum(e.weight for e in evidence), evidence


@dataclass
class _Muscle:
    name: str
    slug: str
    commonly_involved: bool
    patterns: list[Pattern] = field(default_factory=list)

    @property
    def sided(self) -> bool:
        return any(p.sided for p in self.patterns)

    @property
    def confidence(self) -> str:
        return min((p.confidence for p in self.patterns), key=lambda c: CONFIDENCE_ORDER.get(c, 9))


def _side_fits(
    muscle: _Muscle, sides: tuple[str, ...], marked: frozenset[str], order: dict[str, int]
) -> list[PointFit]:
    fits = []
    for pattern in muscle.patterns:
        for side in sides:
            fit = _fit(pattern, side, marked, order)
            if fit.explains_essential or fit.explains_spillover or fit.local:
                fits.append(fit)
    # One entry per trigger point: its best side.
    best: dict[int, PointFit] = {}
    for fit in fits:
        if fit.trigger_point_id not in best or fit.score > best[fit.trigger_point_id].score:
            best[fit.trigger_point_id] = fit
    return sorted(best.values(), key=lambda f: (-f.score, f.label))


def _explained(fits: list[PointFit]) -> set[str]:
    return {c for f in fits for c in f.explains_essential + f.explains_spillover + f.local}


def _choose_side(
    muscle: _Muscle, marked: frozenset[str], order: dict[str, int]
) -> tuple[str | None, list[PointFit]]:
    if not muscle.sided:
        return None, _side_fits(muscle, ("l",), marked, order)
    left = _side_fits(muscle, ("l",), marked, order)
    right = _side_fits(muscle, ("r",), marked, order)
    explained_left, explained_right = _explained(left), _explained(right)
    if (
        explained_left
        and explained_right
        and not (explained_left <= explained_right or explained_right <= explained_left)
    ):
        return BOTH, _both(left, right)
    if explained_left and explained_left == explained_right:
        return None, left  # only bilateral or midline zones fit: the same either side
    if len(explained_right) > len(explained_left) or (
        explained_right and explained_right == explained_left and _total(right) > _total(left)
    ):
        return "r", right
    return ("l", left) if explained_left else ("r", right)


def _total(fits: list[PointFit]) -> float:
    return sum(f.score for f in fits)


def _both(left: list[PointFit], right: list[PointFit]) -> list[PointFit]:
    """Both sides' fits of each trigger point merged into one, for a "both sides" row."""
    merged: dict[int, PointFit] = {}
    for fit in left + right:
        other = merged.get(fit.trigger_point_id)
        if other is None:
            merged[fit.trigger_point_id] = fit
            continue
        merged[fit.trigger_point_id] = PointFit(
            trigger_point_id=fit.trigger_point_id,
            label=fit.label,
            explains_essential=_union([other.explains_essential, fit.explains_essential]),
            explains_spillover=_union([other.explains_spillover, fit.explains_spillover]),
            local=_union([other.local, fit.local]),
            unmarked_essential=_union([other.unmarked_essential, fit.unmarked_essential]),
            score=round(other.score + fit.score, 4),
        )
    return sorted(merged.values(), key=lambda f: (-f.score, f.label))


def _check(keys: frozenset[str], known: Iterable[str], error: type[UnknownKeyError]) -> None:
    unknown = keys - set(known)
    if unknown:
        raise error(unknown)


def rank_candidates(
    regions: Iterable[str],
    *,
    symptoms: Iterable[str] = (),
    factors: Iterable[str] = (),
    limit: int = 10,
    catalogue: Catalogue | None = None,
    region_words: dict[str, str] | None = None,
) -> list[Candidate]:
    """Rank the muscles that could explain pain in `regions` (sided region codes such as
    "lat.head.temple.l"), weighing the `symptoms` reported and the perpetuating `factors`
    present. Raises UnknownRegionError, UnknownSymptomError or UnknownFactorError for keys
    outside their vocabularies.

    `catalogue` defaults to the one in the database; pass one to rank many presentations
    without touching the database. `region_words` names regions in the evidence text (codes
    otherwise).
    """
    if catalogue is None:
        catalogue = load_catalogue()
    marked = frozenset(regions)
    reported, present = frozenset(symptoms), frozenset(factors)
    _check(marked, catalogue.region_codes, UnknownRegionError)
    _check(reported, catalogue.symptoms, UnknownSymptomError)
    _check(present, catalogue.factor_keys, UnknownFactorError)
    if not marked or limit <= 0:
        return []
    words = region_words or {}
    order = {code: i for i, code in enumerate(sorted(catalogue.region_codes))}
    muscles: dict[str, _Muscle] = {}
    for pattern in catalogue.patterns:
        muscle = muscles.setdefault(
            pattern.muscle, _Muscle(pattern.muscle, pattern.muscle_slug, pattern.commonly_involved)
        )
        muscle.patterns.append(pattern)
    candidates = []
    for muscle in muscles.values():
        side, fits = _choose_side(muscle, marked, order)
        if not fits:
            continue
        score, evidence = _region_evidence(fits, words)
        if muscle.commonly_involved:
            text = "One of the muscles most often involved"
            evidence.append(Evidence("prior", text, PRIOR_WEIGHT))
        matched = [k for k in sorted(reported) if muscle.name in catalogue.symptoms.get(k, ())]
        evidence += _capped("symptom", "Reported", matched, SYMPTOM_WEIGHT, SYMPTOM_CAP, catalogue)
        linked = sorted(set().union(*(p.factors for p in muscle.patterns)) & present)
        evidence += _capped(
            "factor", "Keeps it going", linked, FACTOR_WEIGHT, FACTOR_CAP, catalogue
        )
        total = sum(e.weight for e in evidence)
        candidates.append(
            Candidate(
                muscle=muscle.name,
                muscle_slug=muscle.slug,
                side=side,
                score=round(total, 2),
                points=tuple(fits),
                evidence=tuple(evidence),
                confidence=muscle.confidence,
                commonly_involved=muscle.commonly_involved,
            )
        )
    candidates.sort(key=_sort_key)
    return candidates[:limit]


def _capped(
    kind: str, words: str, keys: list[str], weight: float, cap: int, catalogue: Catalogue
) -> list[Evidence]:
    """One line per key up to `cap`, each with `weight`; the rest named on one line, weightless."""
    labels = [catalogue.labels.get(key, key) for key in keys]
    lines = [Evidence(kind, f"{words}: {label}", weight) for label in labels[:cap]]
    if labels[cap:]:
        rest = ", ".join(labels[cap:])
        lines.append(Evidence(kind, f"Also {words.lower()}: {rest} (at most {cap} count)", 0.0))
    return lines


def _sort_key(c: Candidate) -> tuple:
    return (
        -c.score,
        -len(c.explains_essential),
        CONFIDENCE_ORDER.get(c.confidence, len(CONFIDENCE_ORDER)),
        c.muscle,
        c.side or "",
    )


def load_catalogue() -> Catalogue:
    """The region vocabulary, every referral pattern with its location and perpetuating
    factors, and the symptom vocabulary: read from the database once per process and kept
    until the catalogue changes (triggerpoints.cache)."""
    from .cache import cached

    return cached("ranking", read_catalogue)


def read_catalogue() -> Catalogue:
    """Read the catalogue the ranking uses from the database (five queries)."""
    from .models import BodyRegion, PerpetuatingFactor, ReferralZone, TriggerPoint

    zones: dict[int, dict[str, list[Zone]]] = {}
    for tp_id, area, laterality, kind in ReferralZone.objects.filter(
        trigger_point__retired=False
    ).values_list("trigger_point_id", "area__code", "laterality", "kind"):
        zones.setdefault(tp_id, {"essential": [], "spillover": []})[kind].append(
            Zone(area, laterality)
        )
    factor_links: dict[int, set[str]] = {}
    for tp_id, key in TriggerPoint.perpetuating_factors.through.objects.values_list(
        "triggerpoint_id", "perpetuatingfactor__key"
    ):
        factor_links.setdefault(tp_id, set()).add(key)
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
            location=Zone(area, "same" if sided else "midline") if area else None,
            factors=frozenset(factor_links.get(tp_id, ())),
        )
        for tp_id, muscle, slug, label, confidence, common, area, sided in (
            TriggerPoint.objects.filter(retired=False).values_list(
                "id",
                "muscle__name",
                "muscle__slug",
                "label",
                "confidence",
                "muscle__commonly_involved",
                "location_area__code",
                "location_area__sided",
            )
        )
    )
    factors = dict(PerpetuatingFactor.objects.values_list("key", "name"))
    codes = frozenset(BodyRegion.objects.values_list("code", flat=True))
    symptoms, symptom_labels = _symptoms()
    return Catalogue(
        region_codes=codes,
        patterns=patterns,
        symptoms=symptoms,
        factor_keys=frozenset(factors),
        labels={**factors, **symptom_labels},
    )


def _symptoms() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """The symptom vocabulary (facts §11) and the muscles each symptom points to."""
    from .models import Symptom

    links: dict[str, set[str]] = {}
    labels = {}
    for key, label, muscle in Symptom.objects.values_list("key", "label", "muscles__name"):
        labels[key] = label
        links.setdefault(key, set())
        if muscle:
            links[key].add(muscle)
    return {key: frozenset(names) for key, names in links.items()}, labels

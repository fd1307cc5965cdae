"""The plan rules: pure functions from plain data to the items of a draft plan.

`plans.inputs.plan_inputs(assessment)` reads the assessment, the patient's history and the
catalogue into a `PlanInputs`; `draft_items(inputs)` turns it into `DraftItem`s in plan order
(local release, postural retraining, breathing retraining, self-care and education), and
`recurrence_note(inputs)` says why the global strands were raised. Nothing here queries the
database. What links a finding to a drill, a technique or advice is catalogue data curated in
admin (drills of findings and factors, `ReleaseTechnique.plan_priority`,
`BreathingFinding.plan_cues`, `PerpetuatingFactor.intake_cues`); these rules only weigh it.

Every item's `rationale` names the findings that put it there, in plain words a patient can read.

1. Local release: one item per trigger point and side.
   - Every palpated ACTIVE trigger point, and every LATENT one whose referred pain the patient
     recognised as their complaint. A latent point they did not recognise gets no item.
   - Order: active and recognised, then active, then latent and recognised; within each, a point
     that keeps coming back first, then more palpation criteria met (taut band, tender spot,
     referred pain reproduced), then examination order. Cap: 6.
   - Technique: of the trigger point's catalogue techniques that are not clinician-only, the one
     with the lowest `plan_priority` (then name); pressure release when it lists none. Dosage is
     the technique's; frequency follows who performs it. Instructions: how the technique is done,
     then the trigger point's self-stretch for home (the self-release technique when it has none).
2. Postural retraining: postural drills of the observed postural findings, then those reached
   through the perpetuating factors of the local-release trigger points (the factor's own drills
   and the drills of its postural findings). Cap: 4.
3. Breathing retraining: drills of every catalogue breathing finding whose plan cue fires:
   `pattern:upper-chest`, `pattern:paradoxical` (observed pattern), `mouth-breathing`,
   `nijmegen:positive` (23 or more), `bolt:low` (under 20 s), `rate:high` (over 16 a minute),
   `accessory-trigger-point` (an active trigger point in one of the finding's muscles). A
   breathing drill of an observed postural finding joins here too: a drill always sits in the
   strand of its kind. Cap: 3.
   Drills are ranked, in both strands, by their strongest source (tier), then by how many
   sources reach them, then by the order they were first reached:
     postural tiers  0 marked or moderate finding · 1 mild finding · 2 a local-release point's
                     factor · 3 a recurring point's factor (no local item)
     breathing tiers 0 a measure or the observed pattern · 1 an active accessory-muscle point ·
                     2 an observed postural finding · 3 a recurring accessory-muscle point
4. Self-care and education: perpetuating factors whose intake cues fire (`activity:<activity>`,
   `stress:high` at Assessment.HIGH_STRESS or more, `self-care:<concern>`), then factors of the
   local-release trigger points in the categories sleep, psychological, systemic, work, habit and
   environment that have advice. What the patient told us about themselves comes first (a
   self-care concern ticked at intake, or stress at the threshold), then other intake-driven
   factors (daily activities); then by how many reasons (intake answers + trigger points) bring
   them, then first reached. Cap: 5.
5. Nothing twice: a drill or factor reached for two reasons is one item whose rationale names both.
6. Recurrence: when any trigger point keeps coming back (treated in two or more sessions, or
   found on two or more separate days: patients.progress), release alone has not held, so the
   global strands are raised: postural and breathing caps +2; each of their drills is stepped
   up to its catalogue progression (otherwise the progression is offered as "When this is
   easy: …") and the rationale says why; the recurring
   points' factors (tier 3 above) and accessory muscles also bring drills. This holds for a
   recurring point that is no longer palpated. `recurrence_note` is the explanation.
7. An assessment with no findings gives no local items (and no postural or breathing ones unless
   a trigger point keeps coming back), but still any intake-driven self-care.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from patients.measures import BOLT_LOW, NIJMEGEN_THRESHOLD, RESTING_RATE_HIGH
from patients.models import Assessment, Patient

from .models import Strand

# --- Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TechniqueInfo:
    id: int
    key: str
    name: str
    how: str
    dosage: str
    performed_by: str  # "clinician", "self" or "either"
    clinician_only: bool = False
    plan_priority: int = 50


@dataclass(frozen=True)
class DrillInfo:
    id: int
    key: str
    name: str
    kind: str  # "postural" or "breathing"
    instructions: str
    dosage: str
    progression: str = ""
    cautions: str = ""


@dataclass(frozen=True)
class PosturalFindingInfo:
    id: int
    key: str
    name: str
    drills: tuple[DrillInfo, ...] = ()


@dataclass(frozen=True)
class BreathingFindingInfo:
    id: int
    key: str
    name: str
    muscles: frozenset[str] = frozenset()  # canonical muscle names
    drills: tuple[DrillInfo, ...] = ()
    plan_cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactorInfo:
    id: int
    key: str
    name: str
    category: str
    advice: str = ""
    drills: tuple[DrillInfo, ...] = ()
    postural_findings: tuple[PosturalFindingInfo, ...] = ()
    intake_cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class PointInfo:
    """A catalogue trigger point."""

    id: int
    muscle: str  # canonical muscle name
    label: str
    self_stretch: str = ""
    techniques: tuple[TechniqueInfo, ...] = ()
    factors: tuple[FactorInfo, ...] = ()  # its perpetuating factors


@dataclass(frozen=True)
class PalpatedPoint:
    point: PointInfo
    side: str  # "l", "r" or "m"
    active: bool
    referral_recognised: bool = False
    criteria: int = 0  # palpation criteria met: taut band, tender spot, referral reproduced


@dataclass(frozen=True)
class ObservedPosture:
    finding: PosturalFindingInfo
    severity: str  # "mild", "moderate" or "marked"


@dataclass(frozen=True)
class BreathingSigns:
    """The breathing measures of the assessment; thresholds from patients.measures."""

    pattern: str = ""  # "", "diaphragmatic", "upper-chest" or "paradoxical"
    mouth_breathing: bool = False
    nijmegen_score: int | None = None
    bolt_seconds: int | None = None
    breathing_rate: int | None = None

    @property
    def nijmegen_positive(self) -> bool:
        return self.nijmegen_score is not None and self.nijmegen_score >= NIJMEGEN_THRESHOLD

    @property
    def bolt_low(self) -> bool:
        return self.bolt_seconds is not None and self.bolt_seconds < BOLT_LOW

    @property
    def breathing_rate_high(self) -> bool:
        return self.breathing_rate is not None and self.breathing_rate > RESTING_RATE_HIGH


@dataclass(frozen=True)
class Intake:
    activities: tuple[str, ...] = ()  # Patient.Activity values
    stress: int | None = None  # 0–10
    self_care: tuple[str, ...] = ()  # Assessment.SelfCare values


@dataclass(frozen=True)
class RecurringPoint:
    point: PointInfo
    side: str
    sessions_treated: int
    visits: int  # distinct days it was treated or palpated


@dataclass(frozen=True)
class Caps:
    local: int = 6
    postural: int = 4
    breathing: int = 3
    self_care: int = 5


RECURRENCE_RAISE = 2  # extra postural and breathing items when a trigger point keeps coming back


@dataclass(frozen=True)
class PlanInputs:
    palpated: tuple[PalpatedPoint, ...] = ()
    postural: tuple[ObservedPosture, ...] = ()
    breathing_findings: tuple[BreathingFindingInfo, ...] = ()  # the catalogue's, with cues
    measures: BreathingSigns | None = None
    intake: Intake = field(default_factory=Intake)
    intake_factors: tuple[FactorInfo, ...] = ()  # the catalogue's factors that have intake cues
    recurring: tuple[RecurringPoint, ...] = ()
    fallback_technique: TechniqueInfo | None = None  # pressure release
    self_release: TechniqueInfo | None = None
    caps: Caps = field(default_factory=Caps)


# --- Output -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftItem:
    strand: str
    key: str
    title: str
    instructions: str = ""
    dosage: str = ""
    frequency: str = ""
    rationale: str = ""
    trigger_point_id: int | None = None
    side: str = ""
    technique_id: int | None = None
    drill_id: int | None = None
    factor_id: int | None = None


def draft_items(inputs: PlanInputs) -> list[DraftItem]:
    """The draft plan's items in order: local, postural, breathing, self-care."""
    caps = inputs.caps
    if inputs.recurring:
        caps = Caps(
            local=caps.local,
            postural=caps.postural + RECURRENCE_RAISE,
            breathing=caps.breathing + RECURRENCE_RAISE,
            self_care=caps.self_care,
        )
    points = local_release_points(inputs)
    drills = _Drills()
    _postural_sources(inputs, points, drills)
    _breathing_sources(inputs, drills)
    stepped_up = _stepped_up_sentence(inputs)
    return [
        *(_local_item(p, inputs) for p in points[: caps.local]),
        *drills.items(Strand.POSTURAL, caps.postural, stepped_up),
        *drills.items(Strand.BREATHING, caps.breathing, stepped_up),
        *_self_care_items(inputs, points)[: caps.self_care],
    ]


def recurrence_note(inputs: PlanInputs) -> str:
    """Why the postural and breathing strands were raised; "" when nothing recurred."""
    return _stepped_up_sentence(inputs)


# --- Words --------------------------------------------------------------------------------------

SIDE_WORDS = {"l": "left", "r": "right"}
SEVERITY_ORDER = {"marked": 0, "moderate": 0, "mild": 1}


def _lower_first(text: str) -> str:
    """'Forward head posture' -> 'forward head posture' (but 'BOLT' stays)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def where(muscle: str, side: str) -> str:
    """'upper trapezius (left)'; a midline muscle has no side."""
    side_word = SIDE_WORDS.get(side)
    name = _lower_first(muscle)
    return f"{name} ({side_word})" if side_word else name


def _points_phrase(places: list[str]) -> str:
    noun = "trigger point" if len(places) == 1 else "trigger points"
    return f"the {noun} in your {_join(places)}"


def _came_back(r: RecurringPoint) -> str:
    if r.sessions_treated >= 2:
        return f"came back in {r.sessions_treated} sessions"
    return f"was found again on {r.visits} separate days"


def _stepped_up_sentence(inputs: PlanInputs) -> str:
    if not inputs.recurring:
        return ""
    shown = inputs.recurring[:3]
    parts = [f"{where(r.point.muscle, r.side)} {_came_back(r)}" for r in shown]
    more = len(inputs.recurring) - len(shown)
    if more:
        parts.append(
            f"{more} other trigger points also keep coming back"
            if more > 1
            else "1 other trigger point also keeps coming back"
        )
    return (
        f"{_upper_first(_join(parts))}: release alone has not held, so the posture and "
        "breathing work is stepped up."
    )


# --- 1. Local release ---------------------------------------------------------------------------

FREQUENCY = {
    "either": "At each visit; at home every other day",
    "clinician": "At each visit",
    "self": "At home every other day",
}


def local_release_points(inputs: PlanInputs) -> list[PalpatedPoint]:
    """The palpated points that get a local-release item, best first (before the cap)."""
    recurring = {(r.point.id, r.side) for r in inputs.recurring}
    chosen = [p for p in inputs.palpated if p.active or p.referral_recognised]

    def rank(indexed: tuple[int, PalpatedPoint]) -> tuple[int, int, int, int]:
        index, p = indexed
        tier = 0 if p.active and p.referral_recognised else 1 if p.active else 2
        return (tier, (p.point.id, p.side) not in recurring, -p.criteria, index)

    return [p for _, p in sorted(enumerate(chosen), key=rank)]


def choose_technique(
    point: PointInfo, fallback: TechniqueInfo | None = None
) -> TechniqueInfo | None:
    """The trigger point's technique with the lowest plan priority, never a clinician-only one;
    `fallback` (pressure release) when it lists none."""
    usable = [t for t in point.techniques if not t.clinician_only]
    if not usable:
        return fallback
    return min(usable, key=lambda t: (t.plan_priority, t.name))


def _local_item(p: PalpatedPoint, inputs: PlanInputs) -> DraftItem:
    technique = choose_technique(p.point, inputs.fallback_technique)
    place = where(p.point.muscle, p.side)
    twins = [o for o in inputs.palpated if o.point.muscle == p.point.muscle and o.side == p.side]
    name = _upper_first(place)
    if len(twins) > 1:
        name = f"{name}, {_lower_first(p.point.label)}"
    title = f"{name}: {technique.name}" if technique else f"{name}: release"

    home = p.point.self_stretch
    if not home and inputs.self_release is not None:
        home = inputs.self_release.how
    instructions = [technique.how] if technique else []
    if home and home not in instructions:
        instructions.append(f"At home: {home}")

    if p.active and p.referral_recognised:
        why = (
            f"The examination found an active trigger point in your {place} that reproduced "
            "your familiar pain when pressed."
        )
    elif p.active:
        why = (
            f"The examination found an active trigger point in your {place}: a tender spot in "
            "a tight band of muscle that is part of your current pain."
        )
    else:
        why = (
            f"The examination found a trigger point in your {place} whose referred pain you "
            "recognised as your familiar pain."
        )
    reasons = [why]
    for r in inputs.recurring:
        if (r.point.id, r.side) == (p.point.id, p.side):
            reasons.append(f"It {_came_back(r)}.")

    return DraftItem(
        strand=Strand.LOCAL,
        key=f"point:{p.point.id}:{p.side}",
        title=title[:200],
        instructions="\n\n".join(instructions),
        dosage=technique.dosage if technique else "",
        frequency=FREQUENCY.get(technique.performed_by, "") if technique else "",
        rationale=" ".join(reasons),
        trigger_point_id=p.point.id,
        side=p.side,
        technique_id=technique.id if technique else None,
    )


# --- 2 and 3. Postural and breathing drills -----------------------------------------------------


@dataclass
class _Candidate:
    drill: DrillInfo
    tier: int
    order: int
    sources: set[str] = field(default_factory=set)
    reasons: list[tuple[int, str]] = field(default_factory=list)  # (tier, sentence)
    # "the trigger point in your upper trapezius (left)" -> factor names that keep it going
    factor_links: dict[str, list[str]] = field(default_factory=dict)

    def rationale(self) -> list[str]:
        sentences = [text for _, text in sorted(self.reasons, key=lambda r: r[0])]
        for phrase, names in self.factor_links.items():
            named = _join([names[0], *(_lower_first(n) for n in names[1:])])
            sentences.append(f"{named} can keep {phrase} going.")
        return sentences


class _Drills:
    """Every drill reached, once, with all the reasons that reached it."""

    def __init__(self) -> None:
        self.found: dict[str, _Candidate] = {}

    def _get(self, drill: DrillInfo, tier: int, source: str) -> _Candidate:
        candidate = self.found.get(drill.key)
        if candidate is None:
            candidate = self.found[drill.key] = _Candidate(drill, tier, len(self.found))
        candidate.tier = min(candidate.tier, tier)
        candidate.sources.add(source)
        return candidate

    def add(self, drill: DrillInfo, *, tier: int, source: str, reason: str) -> None:
        candidate = self._get(drill, tier, source)
        if reason not in [text for _, text in candidate.reasons]:
            candidate.reasons.append((tier, reason))

    def add_factor(self, drill: DrillInfo, *, tier: int, factor: FactorInfo, phrase: str) -> None:
        candidate = self._get(drill, tier, f"factor:{factor.key}")
        names = candidate.factor_links.setdefault(phrase, [])
        if factor.name not in names:
            names.append(factor.name)

    def items(self, strand: str, cap: int, stepped_up: str) -> list[DraftItem]:
        kind = "postural" if strand == Strand.POSTURAL else "breathing"
        chosen = sorted(
            (c for c in self.found.values() if c.drill.kind == kind),
            key=lambda c: (c.tier, -len(c.sources), c.order),
        )[:cap]
        return [_drill_item(c, strand, stepped_up) for c in chosen]


def _drill_item(candidate: _Candidate, strand: str, stepped_up: str) -> DraftItem:
    drill = candidate.drill
    instructions = [drill.instructions]
    if drill.progression and stepped_up:
        instructions.append(
            "Stepped up: once the starting dose feels comfortable, usually within a week, "
            f"move on: {drill.progression}"
        )
    elif drill.progression:
        instructions.append(f"When this is easy: {drill.progression}")
    if drill.cautions:
        instructions.append(f"Take care: {drill.cautions}")
    reasons = candidate.rationale()
    if stepped_up:
        reasons.append(stepped_up)
    return DraftItem(
        strand=strand,
        key=f"drill:{drill.key}",
        title=drill.name,
        instructions="\n\n".join(instructions),
        dosage=drill.dosage,
        rationale=" ".join(reasons),
        drill_id=drill.id,
    )


def _observed_reason(observation: ObservedPosture) -> str:
    name = _lower_first(observation.finding.name)
    return f"Seen on examination: {name} ({observation.severity})."


def _factor_drills(factor: FactorInfo) -> list[DrillInfo]:
    """A factor's own drills, then those of its postural findings."""
    drills = list(factor.drills)
    for finding in factor.postural_findings:
        drills.extend(finding.drills)
    return drills


@dataclass
class _FactorReach:
    factor: FactorInfo
    tier: int  # 2: keeps a local-release point going; 3: only a recurring point
    places: list[str] = field(default_factory=list)


def _factor_points(inputs: PlanInputs, points: list[PalpatedPoint]) -> list[_FactorReach]:
    """Each perpetuating factor of the local-release points and of the recurring points, with
    the places where it keeps trigger points going."""
    found: dict[str, _FactorReach] = {}
    seen = set()
    sources = [(p.point, p.side, 2) for p in points]
    sources += [(r.point, r.side, 3) for r in inputs.recurring]
    for point, side, tier in sources:
        if (point.id, side) in seen:
            continue
        seen.add((point.id, side))
        for factor in point.factors:
            reach = found.setdefault(factor.key, _FactorReach(factor, tier))
            reach.tier = min(reach.tier, tier)
            reach.places.append(where(point.muscle, side))
    return list(found.values())


def _postural_sources(inputs: PlanInputs, points: list[PalpatedPoint], drills: _Drills) -> None:
    observed = sorted(
        enumerate(inputs.postural), key=lambda o: (SEVERITY_ORDER.get(o[1].severity, 1), o[0])
    )
    for _, observation in observed:
        tier = SEVERITY_ORDER.get(observation.severity, 1)
        for drill in observation.finding.drills:
            # A breathing drill of a postural finding joins the breathing strand (tier 2).
            drills.add(
                drill,
                tier=tier if drill.kind == "postural" else 2,
                source=f"posture:{observation.finding.key}",
                reason=_observed_reason(observation),
            )
    for reach in _factor_points(inputs, points):
        phrase = _points_phrase(reach.places)
        for drill in _factor_drills(reach.factor):
            if drill.kind == "postural":
                drills.add_factor(drill, tier=reach.tier, factor=reach.factor, phrase=phrase)


def _cue_reason(cue: str, signs: BreathingSigns | None) -> str | None:
    """The sentence saying why a measure cue fires; None when it does not."""
    if signs is None:
        return None
    if cue == "pattern:upper-chest" and signs.pattern == "upper-chest":
        return "On examination you breathed mostly into the upper chest."
    if cue == "pattern:paradoxical" and signs.pattern == "paradoxical":
        return (
            "On examination your belly drew in as you breathed in (paradoxical breathing), "
            "the reverse of relaxed breathing."
        )
    if cue == "mouth-breathing" and signs.mouth_breathing:
        return "You breathed through your mouth at rest."
    if cue == "nijmegen:positive" and signs.nijmegen_positive:
        return (
            f"Your breathing questionnaire (Nijmegen) score was {signs.nijmegen_score}; "
            f"{NIJMEGEN_THRESHOLD} or more suggests breathing retraining may help."
        )
    if cue == "bolt:low" and signs.bolt_low:
        return (
            f"You held your breath comfortably for {signs.bolt_seconds} seconds (BOLT); under "
            f"{BOLT_LOW} seconds suggests you tend to over-breathe."
        )
    if cue == "rate:high" and signs.breathing_rate_high:
        return (
            f"You took {signs.breathing_rate} breaths a minute at rest; more than "
            f"{RESTING_RATE_HIGH} suggests over-breathing."
        )
    return None


MEASURE_CUES = (
    "pattern:upper-chest",
    "pattern:paradoxical",
    "mouth-breathing",
    "nijmegen:positive",
    "bolt:low",
    "rate:high",
)
ACCESSORY_CUE = "accessory-trigger-point"
KNOWN_PLAN_CUES = (*MEASURE_CUES, ACCESSORY_CUE)  # = triggerpoints.catalogue_files.PLAN_CUES


def _breathing_sources(inputs: PlanInputs, drills: _Drills) -> None:
    active = [p for p in inputs.palpated if p.active]
    for finding in inputs.breathing_findings:
        measured = [
            reason
            for cue in finding.plan_cues
            if cue in MEASURE_CUES and (reason := _cue_reason(cue, inputs.measures))
        ]
        reasons = [(0, reason) for reason in measured]
        accessory: list[str] = []
        recurring_accessory: list[str] = []
        if ACCESSORY_CUE in finding.plan_cues:
            accessory = _unique(
                where(p.point.muscle, p.side) for p in active if p.point.muscle in finding.muscles
            )
            recurring_accessory = [
                place
                for place in _unique(
                    where(r.point.muscle, r.side)
                    for r in inputs.recurring
                    if r.point.muscle in finding.muscles
                )
                if place not in accessory
            ]
        pattern = _lower_first(finding.name)
        if accessory:
            if len(accessory) == 1:
                what = "There is an active trigger point"
                overworked = "a muscle that works too hard"
            else:
                what = "There are active trigger points"
                overworked = "muscles that work too hard"
            reasons.append((1, f"{what} in your {_join(accessory)}: {overworked} in {pattern}."))
        if recurring_accessory:
            phrase = _upper_first(_points_phrase(recurring_accessory))
            verb = "keeps" if len(recurring_accessory) == 1 else "keep"
            reasons.append(
                (3, f"{phrase} {verb} coming back; these muscles work too hard in {pattern}.")
            )
        if not reasons:
            continue
        for drill in finding.drills:
            for tier, reason in reasons:
                drills.add(drill, tier=tier, source=f"breathing:{finding.key}", reason=reason)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


# --- 4. Self-care and education -----------------------------------------------------------------

POINT_FACTOR_CATEGORIES = {"sleep", "psychological", "systemic", "work", "habit", "environment"}

SELF_CARE_WORDS = {
    # Assessment.SelfCare values, in words a patient reads.
    "poor-sleep": "You told us your sleep is poor or broken.",
    "low-fluids": "You told us you drink little water, or a lot of coffee, tea or alcohol.",
    "diet": "You told us your diet is restricted, or that a low iron, vitamin D or B12 is known.",
}


def intake_cues(intake: Intake) -> list[str]:
    """The intake cues the patient's answers fire (vocabulary: catalogue_files.INTAKE_CUES)."""
    cues = [f"activity:{activity}" for activity in intake.activities]
    if intake.stress is not None and intake.stress >= Assessment.HIGH_STRESS:
        cues.append("stress:high")
    cues += [f"self-care:{concern}" for concern in intake.self_care]
    return _unique(cues)


def _intake_reasons(cues: list[str], intake: Intake) -> list[str]:
    """'Your daily activities include desk or computer work and driving.' and the like."""
    activity_labels = dict(Patient.Activity.choices)
    care_labels = dict(Assessment.SelfCare.choices)
    activities: list[str] = []
    reasons: list[str] = []
    for cue in cues:
        kind, _, value = cue.partition(":")
        if kind == "activity":
            activities.append(_lower_first(activity_labels.get(value, value.replace("_", " "))))
        elif kind == "stress":
            reasons.append(f"You rated your stress at {intake.stress} out of 10.")
        elif value in SELF_CARE_WORDS:
            reasons.append(SELF_CARE_WORDS[value])
        else:
            reasons.append(f"You told us: {_lower_first(care_labels.get(value, value))}.")
    if activities:
        reasons.insert(0, f"Your daily activities include {_join(activities)}.")
    return reasons


@dataclass
class _Advice:
    factor: FactorInfo
    order: int
    cues: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


def _self_care_items(inputs: PlanInputs, points: list[PalpatedPoint]) -> list[DraftItem]:
    fired = intake_cues(inputs.intake)
    found: dict[str, _Advice] = {}
    for factor in inputs.intake_factors:
        cues = [cue for cue in factor.intake_cues if cue in fired]
        if cues and factor.advice:
            found.setdefault(factor.key, _Advice(factor, len(found))).cues.extend(cues)
    for p in points:
        place = where(p.point.muscle, p.side)
        for factor in p.point.factors:
            if factor.category in POINT_FACTOR_CATEGORIES and factor.advice:
                advice = found.setdefault(factor.key, _Advice(factor, len(found)))
                if place not in advice.places:
                    advice.places.append(place)

    def told_us(advice: _Advice) -> bool:
        return any(cue.startswith(("self-care:", "stress:")) for cue in advice.cues)

    ranked = sorted(
        found.values(),
        key=lambda a: (not a.cues, not told_us(a), -(len(a.cues) + len(a.places)), a.order),
    )
    items = []
    for advice in ranked:
        reasons = _intake_reasons(advice.cues, inputs.intake)
        if advice.places:
            reasons.append(f"{advice.factor.name} can keep {_points_phrase(advice.places)} going.")
        items.append(
            DraftItem(
                strand=Strand.SELF_CARE,
                key=f"factor:{advice.factor.key}",
                title=advice.factor.name,
                instructions=advice.factor.advice,
                rationale=" ".join(reasons),
                factor_id=advice.factor.id,
            )
        )
    return items

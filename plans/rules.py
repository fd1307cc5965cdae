"""The plan rules: pure functions from plain data to the items of a draft plan.

`plans.inputs.plan_inputs(assessment)` reads the assessment, the patient's precautions and
history and the catalogue into a `PlanInputs`; `build_plan(inputs)` turns it into `DraftItem`s in
plan order (local release, postural retraining, breathing retraining, self-care and education)
plus `PlanNotes` for the therapist (what was left out and why, what to screen for, the evidence
for stepping up). Nothing here queries the database. What links a finding to a drill, a technique
or advice, and which precaution rules a technique or drill out, is catalogue data curated in
admin; these rules only weigh it. Precaution and site-caution keys: triggerpoints.precautions.

Every item's `rationale` names the findings that put it there, in plain words a patient can read;
`precaution_note` (clinician copy) names every precaution that changed it.

0. Safety first. A patient feverish or unwell today (`infection-or-fever`) gets no items: the
   plan is built at a later visit. No technique is ever invented: a trigger point whose catalogue
   entry lists no usable technique gets no item, and the plan says so.
1. Local release: one item per trigger point and side.
   - Every palpated ACTIVE trigger point, and every LATENT one whose referred pain the patient
     recognised. Order: active and recognised, then active, then latent and recognised; within
     each, a recurring point first, then more palpation criteria met, then examination order.
   - Left out: a point in the area of a recent surgery or fracture; a point whose techniques are
     all clinician-only or ruled out by a precaution (a technique's `excluded_by`).
   - Home or clinic: of the usable techniques, the lowest `plan_priority` one that is safe at
     home makes a home item. A technique is safe at home when the patient may do it
     (`performed_by` self or either), no precaution keeps it in the clinic (`clinic_only_with`),
     and, when it presses on the point (`applies_pressure`), no site caution of the point forbids
     home pressure and no pressure-place precaution (pregnancy, osteoporosis, DVT history by
     muscle or site; lymphoedema by limb quadrant) covers the point. Otherwise the lowest-priority
     technique a clinician performs makes a clinic-only item ("At each visit"), with gentle pressure
     named where a pressure-place precaution applies. Otherwise the point is left out with why.
   - A precaution in the technique's `softened_by` replaces its instructions by `safer_variant`.
   - The point's site cautions are printed on the item (`cautions`); implanted-device and
     inflammatory-flare add their "no pressure over …" caution to every local item.
   - A home item adds the trigger point's own self-stretch; a clinic-only item tells the patient
     it is done at visits (no how-to, no self-stretch).
2. Measured findings first (issue 17): a movement test whose latest result (a re-test at a
   session, else the assessment's) is abnormal brings the drills the catalogue links to it, ahead
   of every observation, and the item names the result ("Single-leg bridge hold: left 12 s
   (normal 30 s or more)"). A test that was abnormal and is normal now keeps its drills only at a
   maintenance dose, unless something still abnormal or observed also brings them; a strand
   whose measured tests have all normalised steps down, and the notes say so.
   Postural retraining: then drills of the observed postural findings (marked or moderate first,
   then mild). A perpetuating factor of a treated point that nobody examined is not a patient
   item: it becomes a *screen for* prompt (rule 6).
3. Breathing retraining: drills of every catalogue breathing finding whose measure cue fires
   (`pattern:upper-chest`, `pattern:paradoxical`, `mouth-breathing`, `nijmegen:positive`,
   `bolt:low`, `rate:high`); an active accessory-muscle trigger point adds its reason to a drill
   that a measure brought in. When breathing was not assessed (no measures, or none of pattern,
   Nijmegen, BOLT and rate recorded) the strand stays empty and `breathing_not_assessed` says so;
   accessory-muscle points then become screen-for prompts.
4. Drills and precautions: a drill whose `excluded_by` names a precaution of the patient is left
   out with why; a `supine` drill from 20 weeks of pregnancy uses its `safer_variant` (side-lying
   or seated) or is left out; a precaution in `softened_by` switches it to `safer_variant`. A
   changed drill offers no progression (a progression may bring back what was changed). With a
   precaution that rules out breath-holds (pregnancy, cardiovascular disease, panic or
   epilepsy) a recorded BOLT brings nothing, and the notes say not to repeat it.
5. Self-care and education: only what the patient told us: perpetuating factors whose intake cues
   fire (`activity:<activity>`, `stress:high`, `self-care:<concern>`); self-care concerns and
   stress first, then daily activities; then by how many cues bring them. Each carries its sources.
6. Screen for: the perpetuating factors of the local-release (and recurring) points that no intake
   answer brought in and no observed finding covers (nor, for a breathing factor, the breathing
   measures), most-linked first, cap 8: prompts for the therapist (plan page and clinician
   copy), never patient items. Precautions that leave something to find out (cancer, recent
   surgery, an implanted device, DVT history) come first (`PRECAUTION_PROMPTS`).
7. A short plan: home items get priorities 1, 2, … taken in turn from each strand (the best local
   item, the best postural drill, the best breathing drill, the best self-care item, then the
   second of each …) up to the cap: 6 for a first plan, 8 for a later one, 4 when adherence was
   poor. Clinic-only items have no priority and do not count. What the cap leaves out is listed.
8. Recurrence (patients.course): a point that had become latent or resolved and is active again,
   or one still active at 3 or more visits over 4 weeks or more while pain (NPRS) fell by less than
   2 (unless the home programme was poorly done at one of those visits: no evidence it failed).
   Only then are the drills stepped up to their progression, and the note names the evidence.
   Poor home-programme adherence at the last visit (not done, or some days; prefilled from the
   patient's diary when they keep one, portal.diary) is named as such: no step-up, and the
   shorter cap. A patient who felt worse at the last visit gets no step-up
   either, and the note says to review the dose.
9. Nothing twice: a drill or factor reached for two reasons is one item whose rationale names both.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from patients import course, measures
from patients.measures import BOLT_LOW, NIJMEGEN_THRESHOLD, RESTING_RATE_HIGH
from patients.models import Assessment, Patient
from patients.movement import Reading, TestSpec, finding_text, normal_rule, score, with_unit
from triggerpoints.precautions import (
    LIMB_QUADRANTS,
    NO_BREATH_HOLDS,
    PRECAUTION_KEYS,
    PREGNANCY_SUPINE_WEEKS,
    PRESSURE_PLACES,
    precautions_by_key,
    site_cautions_by_key,
)

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
    applies_pressure: bool = False
    excluded_by: frozenset[str] = frozenset()
    softened_by: frozenset[str] = frozenset()
    clinic_only_with: frozenset[str] = frozenset()
    safer_variant: str = ""
    sources: tuple[str, ...] = ()


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
    supine: bool = False
    excluded_by: frozenset[str] = frozenset()
    softened_by: frozenset[str] = frozenset()
    safer_variant: str = ""
    sources: tuple[str, ...] = ()


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
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class PointInfo:
    """A catalogue trigger point."""

    id: int
    muscle: str  # canonical muscle name
    label: str
    self_stretch: str = ""
    techniques: tuple[TechniqueInfo, ...] = ()
    factors: tuple[FactorInfo, ...] = ()  # its perpetuating factors
    group: str = ""  # the muscle's body group (triggerpoints.models.BodyGroup)
    site_cautions: tuple[str, ...] = ()  # triggerpoints.precautions.SITE_CAUTION_KEYS


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
class MeasuredTest:
    """A movement test (patients.movement) measured at the plan's assessment, with the drills the
    catalogue links to it and its latest re-test since (None: not re-tested)."""

    spec: TestSpec
    first: Reading
    drills: tuple[DrillInfo, ...] = ()
    latest: Reading | None = None

    @property
    def now(self) -> Reading:
        return self.latest if self.latest is not None else self.first


@dataclass(frozen=True)
class BreathingSigns(measures.BreathingThresholds):
    """The breathing measures of the assessment; thresholds from patients.measures."""

    pattern: str = ""  # "", "diaphragmatic", "upper-chest" or "paradoxical"
    mouth_breathing: bool = False
    nijmegen_score: int | None = None
    bolt_seconds: int | None = None
    breathing_rate: int | None = None


@dataclass(frozen=True)
class Intake:
    activities: tuple[str, ...] = ()  # Patient.Activity values
    stress: int | None = None  # 0–10
    self_care: tuple[str, ...] = ()  # Assessment.SelfCare values
    yellow_flags: tuple[str, ...] = ()  # psychosocial screening keys answered yes


@dataclass(frozen=True)
class RecurringPoint:
    """A trigger point that recurs (patients.course.recurrence), with the evidence in words."""

    point: PointInfo
    side: str
    evidence: str  # "was latent on 3 Nov 2026 and active again on 24 Nov 2026"


@dataclass(frozen=True)
class Precautions:
    """The patient's current precaution profile (patients.PrecautionProfile)."""

    keys: frozenset[str] = frozenset()
    pregnancy_weeks: int | None = None
    surgery_area: str = ""  # a body group
    lymphoedema_limb: str = ""  # "arm-l", "arm-r", "leg-l", "leg-r"

    def has(self, key: str) -> bool:
        return key in self.keys


@dataclass(frozen=True)
class Caps:
    local: int = 6  # local-release points considered (home and clinic-only items)
    patient_items: int = 6  # home items in a first plan
    later_patient_items: int = 8  # home items once a plan has been issued before
    poor_adherence_items: int = 4
    screen_for: int = 8


# patients.TreatmentSession.Adherence values; one home, patients.course (it gates recurrence).
POOR_ADHERENCE = course.POOR_ADHERENCE


@dataclass(frozen=True)
class PlanInputs:
    palpated: tuple[PalpatedPoint, ...] = ()
    postural: tuple[ObservedPosture, ...] = ()
    movement: tuple[MeasuredTest, ...] = ()  # the movement and loading screen (issue 17)
    breathing_findings: tuple[BreathingFindingInfo, ...] = ()  # the catalogue's, with cues
    measures: BreathingSigns | None = None
    intake: Intake = field(default_factory=Intake)
    intake_factors: tuple[FactorInfo, ...] = ()  # the catalogue's factors that have intake cues
    recurring: tuple[RecurringPoint, ...] = ()
    precautions: Precautions = field(default_factory=Precautions)
    adherence: str = ""  # the last session's home-programme adherence, "" when none
    response: str = ""  # the last session's response: "better", "same", "worse" or ""
    first_plan: bool = True
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
    priority: int | None = None
    clinic_only: bool = False
    cautions: str = ""
    precaution_note: str = ""
    sources: str = ""


@dataclass(frozen=True)
class PlanNotes:
    """What the therapist sees beside the items (plan page and clinician copy)."""

    recurrence_note: str = ""  # the evidence for stepping up, or why not (adherence)
    precautions: str = ""  # the precautions the plan was built with
    screen_for: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()  # "Levator ani (midline): no technique … "
    breathing_not_assessed: bool = False
    stepped_down: str = ""  # the strands whose measured tests have normalised (issue 17)


@dataclass(frozen=True)
class DraftPlan:
    items: list[DraftItem]
    notes: PlanNotes


def build_plan(inputs: PlanInputs) -> DraftPlan:
    """The draft plan: items in strand order, home items numbered by priority, and the notes."""
    left_out: list[str] = []
    if inputs.precautions.has("infection-or-fever"):
        left_out.append(
            "Everything: feverish or unwell today (infection-or-fever), so no treatment today. "
            "Check the red flags and build the plan at the next visit."
        )
        return DraftPlan([], _notes(inputs, [], left_out, breathing_not_assessed=False))
    points = local_release_points(inputs)[: inputs.caps.local]
    local = [item for p in points if (item := _local_item(p, inputs, left_out)) is not None]
    drills = _Drills()
    _measured_sources(inputs, drills)
    _postural_sources(inputs, drills)
    not_assessed = breathing_not_assessed(inputs.measures) and not any(
        m.spec.strand == "breathing" for m in inputs.movement
    )
    if not not_assessed:
        _breathing_sources(inputs, drills, left_out)
    stepped_up = _stepped_up_sentence(inputs) if not holds_back(inputs) else ""
    postural = drills.items(Strand.POSTURAL, stepped_up, inputs.precautions, left_out)
    breathing = drills.items(Strand.BREATHING, stepped_up, inputs.precautions, left_out)
    self_care = _self_care_items(inputs)
    items = _prioritise([local, postural, breathing, self_care], patient_cap(inputs), left_out)
    screen = screen_for(inputs, points, drills)
    notes = _notes(inputs, screen, left_out, breathing_not_assessed=not_assessed)
    return DraftPlan(items, replace(notes, stepped_down=stepped_down_note(inputs.movement)))


def draft_items(inputs: PlanInputs) -> list[DraftItem]:
    """The draft plan's items in order: local, postural, breathing, self-care."""
    return build_plan(inputs).items


def recurrence_note(inputs: PlanInputs) -> str:
    """Why the postural and breathing drills were stepped up, or why not; "" otherwise."""
    return build_plan(inputs).notes.recurrence_note


def poor_adherence(inputs: PlanInputs) -> bool:
    return inputs.adherence in POOR_ADHERENCE


def holds_back(inputs: PlanInputs) -> bool:
    """No stepping up while the programme is not being done, the patient got worse, or yellow
    flags (fear of movement, expecting the worst, low mood, work worries) call for pacing."""
    return poor_adherence(inputs) or inputs.response == "worse" or bool(inputs.intake.yellow_flags)


def patient_cap(inputs: PlanInputs) -> int:
    """Yellow flags pace the programme as poor adherence does: fewer items, done well."""
    if poor_adherence(inputs) or inputs.intake.yellow_flags:
        return inputs.caps.poor_adherence_items
    return inputs.caps.patient_items if inputs.first_plan else inputs.caps.later_patient_items


def breathing_not_assessed(signs: BreathingSigns | None) -> bool:
    """No breathing measure at all: the strand can't be built from what was examined."""
    return signs is None or (
        not signs.pattern
        and not signs.mouth_breathing
        and signs.nijmegen_score is None
        and signs.bolt_seconds is None
        and signs.breathing_rate is None
    )


ADHERENCE_WORDS = {"none": "not done", "some": "done on some days"}


def _notes(
    inputs: PlanInputs, screen: list[str], left_out: list[str], *, breathing_not_assessed: bool
) -> PlanNotes:
    note = _stepped_up_sentence(inputs)
    if poor_adherence(inputs):
        done = ADHERENCE_WORDS[inputs.adherence]
        simpler = (
            f"At the last visit the home programme was {done}: poor adherence, so this plan is "
            f"simpler (at most {inputs.caps.poor_adherence_items} home items) rather than harder."
        )
        if note:
            note = note.replace(", so the posture and breathing work is stepped up.", ".")
            simpler += " The drills are not stepped up until the programme is being done."
        note = f"{note} {simpler}".strip()
    elif inputs.response == "worse":
        note = note.replace(", so the posture and breathing work is stepped up.", ".")
        note = (
            f"{note} At the last visit the patient felt worse, so nothing is stepped up: review "
            "the dose before progressing."
        ).strip()
    return PlanNotes(
        recurrence_note=note,
        precautions=precautions_summary(inputs.precautions),
        screen_for=tuple(screen),
        left_out=tuple(left_out),
        breathing_not_assessed=breathing_not_assessed,
    )


def precautions_summary(precautions: Precautions) -> str:
    """'pregnancy (24 weeks), anticoagulants'; "" when none."""
    words = []
    for key in PRECAUTION_KEYS:
        if not precautions.has(key):
            continue
        if key == "pregnancy" and precautions.pregnancy_weeks is not None:
            words.append(f"pregnancy ({precautions.pregnancy_weeks} weeks)")
        elif key == "recent-surgery-or-fracture" and precautions.surgery_area:
            words.append(f"{key} ({precautions.surgery_area})")
        elif key == "lymphoedema" and precautions.lymphoedema_limb:
            words.append(f"lymphoedema ({precautions.lymphoedema_limb})")
        else:
            words.append(key)
    return ", ".join(words)


def _prioritise(strands: list[list[DraftItem]], cap: int, left_out: list[str]) -> list[DraftItem]:
    """Number the home items 1, 2, … taking the best of each strand in turn, up to `cap`;
    clinic-only items keep no number. Returns the kept items in strand order."""
    queues = [[i for i in items if not i.clinic_only] for items in strands]
    chosen: dict[str, int] = {}
    while len(chosen) < cap and any(queues):
        for queue in queues:
            if queue and len(chosen) < cap:
                chosen[queue.pop(0).key] = len(chosen) + 1
    for queue in queues:
        for item in queue:
            left_out.append(
                f"{item.title}: beyond this plan's {cap} home items; add it later if needed."
            )
    return [
        replace(item, priority=chosen.get(item.key))
        for items in strands
        for item in items
        if item.clinic_only or item.key in chosen
    ]


# --- Words --------------------------------------------------------------------------------------

SIDE_WORDS = {"l": "left", "r": "right"}
PRECAUTION_BY_KEY = precautions_by_key()
SITE_BY_KEY = site_cautions_by_key()
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


def _stepped_up_sentence(inputs: PlanInputs) -> str:
    if not inputs.recurring:
        return ""
    shown = inputs.recurring[:3]
    parts = [
        f"The trigger point in your {where(r.point.muscle, r.side)} {r.evidence}" for r in shown
    ]
    more = len(inputs.recurring) - len(shown)
    if more:
        parts.append(
            f"{more} other trigger points also keep coming back"
            if more > 1
            else "1 other trigger point also keeps coming back"
        )
    return (
        f"{_join(parts)}: release alone has not held, so the posture and "
        "breathing work is stepped up."
    )


# --- 1. Local release ---------------------------------------------------------------------------

HOME_FREQUENCY = {
    "either": "At home every other day, and at each visit",
    "self": "At home every other day",
}
CLINIC_FREQUENCY = "At each visit"
CLINIC_ONLY_WORDS = (
    "Your therapist treats this trigger point at your visits. Please don't press on it "
    "yourself at home."
)


def local_release_points(inputs: PlanInputs) -> list[PalpatedPoint]:
    """The palpated points that get a local-release item, best first (before the cap)."""
    recurring = {(r.point.id, r.side) for r in inputs.recurring}
    chosen = [p for p in inputs.palpated if p.active or p.referral_recognised]

    def rank(indexed: tuple[int, PalpatedPoint]) -> tuple[int, int, int, int]:
        index, p = indexed
        tier = 0 if p.active and p.referral_recognised else 1 if p.active else 2
        return (tier, (p.point.id, p.side) not in recurring, -p.criteria, index)

    return [p for _, p in sorted(enumerate(chosen), key=rank)]


def _in_limb_quadrant(point: PointInfo, side: str, limb: str) -> bool:
    kind, _, limb_side = limb.partition("-")
    return point.group in LIMB_QUADRANTS.get(kind, frozenset()) and side == limb_side


def pressure_places(point: PointInfo, side: str, precautions: Precautions) -> list[str]:
    """The precautions that allow only gentle pressure, in the clinic, on this point."""
    found = []
    for key, (muscles, sites) in PRESSURE_PLACES.items():
        if precautions.has(key) and (point.muscle in muscles or sites & set(point.site_cautions)):
            found.append(key)
    if precautions.has("lymphoedema") and _in_limb_quadrant(
        point, side, precautions.lymphoedema_limb
    ):
        found.append("lymphoedema")
    return found


@dataclass(frozen=True)
class Treatment:
    """How a trigger point is treated for this patient, or why it is not (`technique` None)."""

    technique: TechniqueInfo | None
    home: bool = False
    softened_by: tuple[str, ...] = ()  # precautions that switched it to its safer variant
    gentle_by: tuple[str, ...] = ()  # pressure-place precautions: gentle, in the clinic
    why_not: str = ""  # when there is no technique, or no home one
    why_clinic: str = ""


def _home_blocker(
    t: TechniqueInfo, point: PointInfo, places: list[str], precautions: Precautions
) -> str:
    """Why `t` can't be done at home on this point; "" when it can."""
    if t.performed_by not in HOME_FREQUENCY:
        return f"{t.name.split(' (')[0]} is done by the clinician"
    kept = sorted(t.clinic_only_with & precautions.keys)
    if kept:
        return f"{', '.join(kept)}: {_lower_first(PRECAUTION_BY_KEY[kept[0]].changes)}"
    if t.applies_pressure:
        sites = [s for s in point.site_cautions if not SITE_BY_KEY[s].home_pressure]
        if sites:
            return f"site caution {', '.join(sites)}: no pressure here at home"
        if places:
            return f"{', '.join(places)}: gentle pressure only, in the clinic"
    return ""


def choose_treatment(point: PointInfo, side: str, precautions: Precautions) -> Treatment:
    """The best usable technique, at home where that is safe, else in the clinic; never one the
    catalogue does not list for the point (facts §12.2: "a home item exists only where the
    catalogue names a self-treatment that is safe for this person and this site")."""
    listed = [t for t in point.techniques if not t.clinician_only]
    if not listed:
        return Treatment(None, why_not="the catalogue lists no technique the plan may instruct")
    usable = [t for t in listed if not (t.excluded_by & precautions.keys)]
    if not usable:
        ruled = sorted({k for t in listed for k in t.excluded_by & precautions.keys})
        return Treatment(None, why_not=f"every listed technique is ruled out by {', '.join(ruled)}")
    usable.sort(key=lambda t: (t.plan_priority, t.name))
    places = pressure_places(point, side, precautions)
    blockers = {t.key: _home_blocker(t, point, places, precautions) for t in usable}

    def treatment(t: TechniqueInfo, home: bool) -> Treatment:
        return Treatment(
            t,
            home=home,
            softened_by=tuple(sorted(t.softened_by & precautions.keys)),
            gentle_by=tuple(places) if t.applies_pressure else (),
            why_clinic="" if home else blockers[usable[0].key] or blockers[t.key],
        )

    for t in usable:
        if not blockers[t.key]:
            return treatment(t, home=True)
    for t in usable:
        if t.performed_by in ("clinician", "either"):
            return treatment(t, home=False)
    return Treatment(
        None, why_not=f"no safe home technique ({blockers[usable[0].key]}) and none for the clinic"
    )


def _local_item(p: PalpatedPoint, inputs: PlanInputs, left_out: list[str]) -> DraftItem | None:
    precautions = inputs.precautions
    place = where(p.point.muscle, p.side)
    twins = [o for o in inputs.palpated if o.point.muscle == p.point.muscle and o.side == p.side]
    name = _upper_first(place)
    if len(twins) > 1:
        name = f"{name}, {_lower_first(p.point.label)}"
    if precautions.has("recent-surgery-or-fracture") and (
        p.point.group == precautions.surgery_area
    ):
        left_out.append(
            f"{name}: recent-surgery-or-fracture ({precautions.surgery_area}): no local work on "
            "that area until cleared."
        )
        return None
    chosen = choose_treatment(p.point, p.side, precautions)
    technique = chosen.technique
    if technique is None:
        left_out.append(f"{name}: left out, {chosen.why_not}.")
        return None

    notes: list[str] = []
    how = technique.how
    if chosen.softened_by:
        how = technique.safer_variant
        notes.append(
            f"{', '.join(chosen.softened_by)}: {technique.name} softened to its safer variant"
        )
    if chosen.gentle_by:
        notes.append(f"{', '.join(chosen.gentle_by)}: gentle pressure only, in the clinic")
    if not chosen.home:
        notes.append(f"clinic only ({chosen.why_clinic})")
    if chosen.home:
        instructions = [how]
        if p.point.self_stretch and p.point.self_stretch != how:
            instructions.append(f"At home: {p.point.self_stretch}")
            if precautions.has("hypermobility"):
                instructions.append(HYPERMOBILE_STRETCH)
                notes.append("hypermobility: the self-stretch stops short of end range")
    else:
        # A clinic-only item tells the patient what happens at visits, never how to do it.
        instructions = [CLINIC_ONLY_WORDS]
    if chosen.gentle_by:
        instructions.append("Your therapist will use gentle pressure only here.")

    cautions = [SITE_BY_KEY[s].rule for s in p.point.site_cautions if s in SITE_BY_KEY]
    for key, caution in ANY_POINT_CAUTIONS.items():
        if precautions.has(key):
            cautions.append(caution)
            notes.append(f"{key}: {_lower_first(PRECAUTION_BY_KEY[key].changes)}")

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
            reasons.append(f"It {r.evidence}.")

    label = technique.name if chosen.home else f"{technique.name}, in the clinic"
    return DraftItem(
        strand=Strand.LOCAL,
        key=f"point:{p.point.id}:{p.side}",
        title=f"{name}: {label}"[:200],
        instructions="\n\n".join(instructions),
        dosage=technique.dosage,
        frequency=HOME_FREQUENCY[technique.performed_by] if chosen.home else CLINIC_FREQUENCY,
        rationale=" ".join(reasons),
        trigger_point_id=p.point.id,
        side=p.side,
        technique_id=technique.id,
        clinic_only=not chosen.home,
        cautions="\n".join(cautions),
        precaution_note="; ".join(notes)[:500],
        sources="\n".join(technique.sources),
    )


HYPERMOBILE_STRETCH = (
    "Because your joints are very flexible, stretch only to where you first feel it, never to "
    "the end of the movement."
)
# Precautions that add a caution to every local item, whatever the point (facts §12.1).
ANY_POINT_CAUTIONS = {
    "implanted-device": "Never press over your implanted device (pacemaker, pump or stimulator).",
    "inflammatory-flare": "Don't press over a joint that is hot or swollen.",
}


# --- 2, 3 and 4. Postural and breathing drills, and their precautions -----------------------------


@dataclass
class _Candidate:
    drill: DrillInfo
    tier: int
    order: int
    sources: set[str] = field(default_factory=set)
    reasons: list[tuple[int, str]] = field(default_factory=list)  # (tier, sentence)
    active: bool = False  # False: only normalised tests brought it (a maintenance dose)

    def rationale(self) -> list[str]:
        return [text for _, text in sorted(self.reasons, key=lambda r: r[0])]


class _Drills:
    """Every drill reached, once, with all the reasons that reached it."""

    def __init__(self) -> None:
        self.found: dict[str, _Candidate] = {}

    def add(
        self, drill: DrillInfo, *, tier: int, source: str, reason: str, normalised: bool = False
    ) -> None:
        candidate = self.found.get(drill.key)
        if candidate is None:
            candidate = self.found[drill.key] = _Candidate(drill, tier, len(self.found))
        if not normalised:  # a normalised test never changes the rank of a live drill
            candidate.tier = min(candidate.tier, tier) if candidate.active else tier
            candidate.active = True
        candidate.sources.add(source)
        if reason not in [text for _, text in candidate.reasons]:
            candidate.reasons.append((tier, reason))

    def items(
        self, strand: str, stepped_up: str, precautions: Precautions, left_out: list[str]
    ) -> list[DraftItem]:
        kind = "postural" if strand == Strand.POSTURAL else "breathing"
        ranked = sorted(
            (c for c in self.found.values() if c.drill.kind == kind),
            key=lambda c: (c.tier, -len(c.sources), c.order),
        )
        items = []
        for candidate in ranked:
            item = _drill_item(candidate, strand, stepped_up, precautions, left_out)
            if item is not None:
                items.append(item)
        return items


@dataclass(frozen=True)
class DrillVersion:
    """The drill as this patient does it: as written, its safer variant, or not at all."""

    use_variant: bool = False
    why: str = ""  # the precautions that changed or excluded it, in words
    excluded: bool = False


def drill_version(drill: DrillInfo, precautions: Precautions) -> DrillVersion:
    excluded = sorted(drill.excluded_by & precautions.keys)
    if excluded:
        return DrillVersion(excluded=True, why=f"{', '.join(excluded)} rules it out")
    reasons = []
    weeks = precautions.pregnancy_weeks
    if (
        drill.supine
        and precautions.has("pregnancy")
        and (weeks is None or weeks >= PREGNANCY_SUPINE_WEEKS)
    ):
        if not drill.safer_variant:
            return DrillVersion(
                excluded=True,
                why=f"pregnancy ({weeks} weeks): no lying flat on the back, and it has no "
                "side-lying or seated version",
            )
        reasons.append(f"pregnancy ({weeks} weeks): side-lying or seated instead of on the back")
    softened = sorted(drill.softened_by & precautions.keys)
    if softened:
        reasons.append(f"{', '.join(softened)}: the safer variant")
    return DrillVersion(use_variant=bool(reasons), why="; ".join(reasons))


def _drill_item(
    candidate: _Candidate,
    strand: str,
    stepped_up: str,
    precautions: Precautions,
    left_out: list[str],
) -> DraftItem | None:
    drill = candidate.drill
    version = drill_version(drill, precautions)
    if version.excluded:
        left_out.append(f"{drill.name}: left out, {version.why}.")
        return None
    instructions = [drill.safer_variant if version.use_variant else drill.instructions]
    maintenance = not candidate.active
    if maintenance:
        instructions.append(MAINTENANCE_WORDS)
    elif version.use_variant:
        pass  # a changed drill offers no progression: it may bring back what was changed
    elif drill.progression and stepped_up:
        instructions.append(
            "Stepped up: once the starting dose feels comfortable, usually within a week, "
            f"move on: {drill.progression}"
        )
    elif drill.progression:
        instructions.append(f"When this is easy: {drill.progression}")
    if drill.cautions:
        instructions.append(f"Take care: {drill.cautions}")
    reasons = candidate.rationale()
    if stepped_up and not version.use_variant and not maintenance:
        reasons.append(stepped_up)
    return DraftItem(
        strand=strand,
        key=f"drill:{drill.key}",
        title=drill.name,
        instructions="\n\n".join(instructions),
        dosage=MAINTENANCE_DOSAGE if maintenance else drill.dosage,
        rationale=" ".join(reasons),
        drill_id=drill.id,
        precaution_note=version.why[:500],
        sources="\n".join(drill.sources),
    )


CHOSEN = "Chosen by your therapist."


def hand_added_drill(drill: DrillInfo, precautions: Precautions) -> tuple[DraftItem | None, str]:
    """A drill the therapist adds by hand becomes the item the rules would write for it: its
    safer variant where a precaution asks for one, its progression, cautions and sources. A drill
    the patient's precautions rule out gives no item and the reason instead."""
    left_out: list[str] = []
    candidate = _Candidate(drill, tier=0, order=0, reasons=[(0, CHOSEN)], active=True)
    item = _drill_item(candidate, drill.kind, "", precautions, left_out)
    return item, (left_out[0] if left_out else "")


def technique_ruled_out(technique: TechniqueInfo, precautions: Precautions) -> str:
    """Why the patient's precautions rule the technique out, or "" (facts §12.1)."""
    if technique.clinician_only:
        return f"{technique.name} is for the clinician only and is never a plan item"
    ruled = sorted(technique.excluded_by & precautions.keys)
    if ruled:
        return f"{technique.name}: {', '.join(ruled)} rules it out for this patient"
    return ""


MEASURED_TIER = -1  # measured findings come before every observation and measure cue
NORMALISED_TIER = 3  # a maintenance dose comes after everything live
MAINTENANCE_DOSAGE = "Twice a week, to keep what you have gained"
MAINTENANCE_WORDS = (
    "Your test for this is normal now, so keep it going at a lower dose to hold the gain; "
    "tell your therapist if it slips."
)


def measured_state(test: MeasuredTest) -> str:
    """ "abnormal" (the latest result), "normalised" (abnormal at first, normal now), or
    "normal"/"incomplete" (nothing for the plan to act on)."""
    now = score(test.spec, test.now)
    if now.abnormal:
        return "abnormal"
    if test.latest is not None and now.status == "normal" and score(test.spec, test.first).abnormal:
        return "normalised"
    return now.status


def _sides_moved(test: MeasuredTest, sides: tuple[str, ...] | None = None) -> str:
    """'left 12 s → 18 s' (the sides given, or all), from the first result to the latest."""
    first = dict(test.first.sides())
    words = {"l": "left ", "r": "right ", "": ""}
    parts = []
    for side, value in test.now.sides():
        if sides is not None and side not in sides:
            continue
        now = with_unit(test.spec, value)
        if side not in first:
            parts.append(f"{words[side]}{now}")
        elif first[side] == value:
            parts.append(f"{words[side]}{now} (unchanged)")
        else:
            parts.append(f"{words[side]}{with_unit(test.spec, first[side])} → {now}")
    return ", ".join(parts)


def measured_reason(test: MeasuredTest) -> str:
    """The sentence an item carries: the test result behind it."""
    state = measured_state(test)
    if state == "normalised":
        return (
            f"{test.spec.name} is normal now: {_sides_moved(test)} "
            f"({normal_rule(test.spec)}), so this is kept at a maintenance dose."
        )
    if test.latest is None:
        return f"Measured: {finding_text(test.spec, test.now)}."
    result = score(test.spec, test.now)
    if result.out_of_range:
        moved = _sides_moved(test, result.out_of_range)
        return f"Measured: {test.spec.name}: {moved} ({normal_rule(test.spec)})."
    return f"Measured at the last re-test: {finding_text(test.spec, test.now)}."


def _measured_sources(inputs: PlanInputs, drills: _Drills) -> None:
    """Drills of the abnormal movement tests first; a normalised test's drills at maintenance."""
    for test in inputs.movement:
        state = measured_state(test)
        if state not in ("abnormal", "normalised"):
            continue
        for drill in test.drills:
            drills.add(
                drill,
                tier=MEASURED_TIER if state == "abnormal" else NORMALISED_TIER,
                source=f"test:{test.spec.key}",
                reason=measured_reason(test),
                normalised=state == "normalised",
            )


STRAND_WORDS = {"postural": "postural", "breathing": "breathing"}


def stepped_down_note(movement: Iterable[MeasuredTest]) -> str:
    """'The postural strand steps down: …' for each strand whose measured tests that were
    abnormal are all normal now (and none is abnormal); "" otherwise."""
    sentences = []
    for strand in ("postural", "breathing"):
        states = [(m, measured_state(m)) for m in movement if m.spec.strand == strand]
        normalised = [m for m, state in states if state == "normalised"]
        if normalised and not any(state == "abnormal" for _, state in states):
            names = _join([_lower_first(m.spec.name) for m in normalised])
            sentences.append(
                f"The {STRAND_WORDS[strand]} strand steps down: {names} "
                f"{'is' if len(normalised) == 1 else 'are'} normal now, so their drills are "
                "kept at a maintenance dose."
            )
    return " ".join(sentences)


def _observed_reason(observation: ObservedPosture) -> str:
    name = _lower_first(observation.finding.name)
    return f"Seen on examination: {name} ({observation.severity})."


def _postural_sources(inputs: PlanInputs, drills: _Drills) -> None:
    """Drills of the observed postural findings only; a breathing drill of a postural finding
    joins the breathing strand (tier 2)."""
    observed = sorted(
        enumerate(inputs.postural), key=lambda o: (SEVERITY_ORDER.get(o[1].severity, 1), o[0])
    )
    for _, observation in observed:
        tier = SEVERITY_ORDER.get(observation.severity, 1)
        for drill in observation.finding.drills:
            drills.add(
                drill,
                tier=tier if drill.kind == "postural" else 2,
                source=f"posture:{observation.finding.key}",
                reason=_observed_reason(observation),
            )


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
KNOWN_PLAN_CUES = (*MEASURE_CUES, ACCESSORY_CUE)  # = triggerpoints.vocabulary.PLAN_CUES


def _accessory_places(inputs: PlanInputs, finding: BreathingFindingInfo) -> list[str]:
    """Active (or recurring) trigger points in the finding's overloaded muscles."""
    if ACCESSORY_CUE not in finding.plan_cues:
        return []
    return _unique(
        [
            *(
                where(p.point.muscle, p.side)
                for p in inputs.palpated
                if p.active and p.point.muscle in finding.muscles
            ),
            *(
                where(r.point.muscle, r.side)
                for r in inputs.recurring
                if r.point.muscle in finding.muscles
            ),
        ]
    )


def _breathing_sources(inputs: PlanInputs, drills: _Drills, left_out: list[str]) -> None:
    """Drills of the breathing findings whose measure cues fire; an accessory-muscle trigger point
    adds its reason to a finding the measures brought in, never a finding on its own. A BOLT
    result is not used for a patient who should not do breath-holds (facts §5, §12.1)."""
    no_holds = sorted(NO_BREATH_HOLDS & inputs.precautions.keys)
    signs = inputs.measures
    if no_holds and signs is not None and signs.bolt_seconds is not None:
        left_out.append(
            f"BOLT result not used: {', '.join(no_holds)} rules out breath-hold tests; "
            "don't repeat it."
        )
        signs = replace(signs, bolt_seconds=None)
    for finding in inputs.breathing_findings:
        measured = [
            reason
            for cue in finding.plan_cues
            if cue in MEASURE_CUES and (reason := _cue_reason(cue, signs))
        ]
        if not measured:
            continue
        reasons = [(0, reason) for reason in measured]
        accessory = _accessory_places(inputs, finding)
        if accessory:
            pattern = _lower_first(finding.name)
            what = "a trigger point" if len(accessory) == 1 else "trigger points"
            reasons.append(
                (
                    1,
                    f"There is {what} in your {_join(accessory)}: muscles that work too hard "
                    f"in {pattern}.",
                )
            )
        for drill in finding.drills:
            for tier, reason in reasons:
                drills.add(drill, tier=tier, source=f"breathing:{finding.key}", reason=reason)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


# Precautions that leave the therapist something to find out (facts §12.1).
PRECAUTION_PROMPTS = {
    "cancer": "Cancer: get medical clearance first while it is active, and find out where any "
    "tumour or bone metastasis lies; no deep pressure there.",
    "recent-surgery-or-fracture": "Recent surgery or fracture: ask for clearance before local "
    "work on that area.",
    "implanted-device": "Implanted device: find out where it lies; no pressure over it.",
    "dvt-history": "Blood clot history: check the calves at each visit; a swollen, hot calf is "
    "a red flag.",
}


# --- 6. Screen for ------------------------------------------------------------------------------


def screen_for(inputs: PlanInputs, points: list[PalpatedPoint], drills: _Drills) -> list[str]:
    """Prompts for the therapist: what the catalogue links to the treated (and recurring) points
    that nobody examined or asked about. Never patient items."""
    fired = set(intake_cues(inputs.intake))
    observed = {o.finding.key for o in inputs.postural}
    breathing_assessed = not breathing_not_assessed(inputs.measures)
    found: dict[str, tuple[FactorInfo, list[str]]] = {}
    sources = [(p.point, p.side) for p in points] + [(r.point, r.side) for r in inputs.recurring]
    for point, side in dict.fromkeys(sources):
        for factor in point.factors:
            if set(factor.intake_cues) & fired:
                continue  # the patient told us: a self-care item covers it
            if {f.key for f in factor.postural_findings} & observed:
                continue  # examined and found: its drills are in the plan
            if factor.category == "breathing" and breathing_assessed:
                continue  # the breathing measures answer it
            places = found.setdefault(factor.key, (factor, []))[1]
            places.append(where(point.muscle, side))
    ranked = sorted(found.values(), key=lambda pair: -len(pair[1]))
    prompts = [prompt for key, prompt in PRECAUTION_PROMPTS.items() if inputs.precautions.has(key)]
    for factor, places in ranked[: inputs.caps.screen_for]:
        where_ = _unique(places)
        noun = "trigger point" if len(where_) == 1 else "trigger points"
        prompts.append(
            f"{factor.name}: can keep the {noun} in the {_join(where_)} going; check for it."
        )
    if breathing_not_assessed(inputs.measures):
        for finding in inputs.breathing_findings:
            places = _accessory_places(inputs, finding)
            if places:
                prompts.append(
                    f"{finding.name}: trigger points in the {_join(places)} are in muscles "
                    "it overloads; assess the breathing pattern and measures."
                )
    return prompts


# --- 4. Self-care and education -----------------------------------------------------------------

SELF_CARE_WORDS = {
    # Assessment.SelfCare values, in words a patient reads.
    "poor-sleep": "You told us your sleep is poor or broken.",
    "low-fluids": "You told us you drink little water, or a lot of coffee, tea or alcohol.",
    "diet": "You told us your diet is restricted, or that a low iron, vitamin D or B12 is known.",
}


def intake_cues(intake: Intake) -> list[str]:
    """The intake cues the patient's answers fire (triggerpoints.vocabulary.INTAKE_CUES)."""
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


YELLOW_FLAG_WORDS = {
    # patients/data/red_flags.toml yellow-flag keys, in words the patient reads.
    "fear-avoidance": "you worry that moving will do harm",
    "catastrophising": "you fear the pain may never get better",
    "low-mood": "your mood has been low",
    "work-worries": "work, sick leave or a claim is a worry",
}
PACING_SOURCES = (
    "Kendall NAS, Linton SJ, Main CJ. Guide to assessing psychosocial yellow flags in acute low "
    "back pain (1997)",
    "NICE NG59 Low back pain and sciatica in over 16s: exercise with a psychological approach "
    "(2016, updated 2020)",
)


def pacing_item(intake: Intake) -> DraftItem | None:
    """Yellow flags change the plan's pacing and education, never block it: one self-care item
    that explains the pain and sets small steps, first among the self-care advice."""
    told = [YELLOW_FLAG_WORDS[key] for key in intake.yellow_flags if key in YELLOW_FLAG_WORDS]
    if not told:
        return None
    instructions = (
        "Trigger-point pain is real, but it is a sign of sore, overworked muscle, not of damage: "
        "moving within comfort is safe and helps it settle. Start small and build up a little "
        "each week, at a pace you can keep on a bad day as well as a good one. If it flares, do "
        "less for a day or two rather than stopping, then build up again."
    )
    if "low-mood" in intake.yellow_flags:
        instructions += " Low mood and pain feed each other: your GP can help with both."
    return DraftItem(
        strand=Strand.SELF_CARE,
        key="pacing:yellow-flags",
        title="Pacing and understanding your pain",
        instructions=instructions,
        dosage="A little every day; add one small step a week",
        frequency="Daily",
        rationale=f"You told us {_join(told)}. The programme is kept short on purpose.",
        sources="\n".join(PACING_SOURCES),
    )


def _self_care_items(inputs: PlanInputs) -> list[DraftItem]:
    """Advice for what the patient told us at intake, never for factors nobody asked about.
    Pacing and education come first when the screening found yellow flags."""
    fired = intake_cues(inputs.intake)
    found: dict[str, _Advice] = {}
    for factor in inputs.intake_factors:
        cues = [cue for cue in factor.intake_cues if cue in fired]
        if cues and factor.advice:
            found.setdefault(factor.key, _Advice(factor, len(found))).cues.extend(cues)

    def told_us(advice: _Advice) -> bool:
        return any(cue.startswith(("self-care:", "stress:")) for cue in advice.cues)

    ranked = sorted(found.values(), key=lambda a: (not told_us(a), -len(a.cues), a.order))
    pacing = pacing_item(inputs.intake)
    return ([pacing] if pacing else []) + [
        DraftItem(
            strand=Strand.SELF_CARE,
            key=f"factor:{advice.factor.key}",
            title=advice.factor.name,
            instructions=advice.factor.advice,
            rationale=" ".join(_intake_reasons(advice.cues, inputs.intake)),
            factor_id=advice.factor.id,
            sources="\n".join(advice.factor.sources),
        )
        for advice in ranked
    ]


# --- 10. When to seek help ----------------------------------------------------------------------
# Facts §9 (red flags) in the patient's words; the "see your GP" reasons follow the suspected
# cancer, infection and failure-to-improve flags (weight loss, fever, night pain, spreading
# numbness, no better in about 4–6 weeks). Sources: Gloucestershire NHS spinal red flags; eTG
# back and neck alerting features; SNNOOP10 (Do et al., Neurology 2019;92:134).

EMERGENCY_ALWAYS = (
    "chest pain or pressure, especially with sweating, sickness or breathlessness, or spreading "
    "to the jaw or arm",
    "sudden breathlessness, or coughing up blood",
    "new weakness, a drooping face, trouble speaking or swallowing, or double vision",
)
EMERGENCY_BY_GROUP = {
    "head-jaw": "a sudden, severe headache, or a headache with fever and a stiff neck",
    "neck": "a sudden, severe headache, or a headache with fever and a stiff neck",
    "back-pelvic-floor": "numbness around the buttocks or genitals, or losing control of your "
    "bladder or bowels",
    "hip-buttock": "numbness around the buttocks or genitals, or losing control of your bladder "
    "or bowels",
    "thigh": "a calf or thigh that is painful, swollen, warm or red",
    "leg-foot": "a calf that is painful, swollen, warm or red",
}
GP_ALWAYS = (
    "you lose weight without trying",
    "you have a fever, chills or night sweats, or feel generally unwell",
    "the pain wakes you at night or is there even at rest, whatever position you are in",
    "numbness, pins and needles or weakness spreads or gets worse",
    "you are no better after 4–6 weeks of following this plan",
)
GP_BY_GROUP = {
    "head-jaw": "you are over 50 and have a new headache with a tender scalp, jaw pain when "
    "chewing or changes in your sight (see your GP the same day)",
    "neck": "dizziness, blackouts or new headaches come with the neck pain",
    "upper-limb": "your hand or arm becomes weak, numb or clumsy",
    "chest-trunk": "the pain comes with effort and eases with rest, or comes with a cough, "
    "fever or urinary symptoms",
    "back-pelvic-floor": "back pain comes with a fever, or you have had cancer in the past",
    "leg-foot": "your leg or foot becomes weak, numb or you start to trip",
}


@dataclass(frozen=True)
class SeekHelp:
    emergency: tuple[str, ...]
    see_gp: tuple[str, ...]


def seek_help(groups: Iterable[str]) -> SeekHelp:
    """When to get urgent help and when to see the GP, tailored to the body groups treated."""
    treated = [g for g in GROUP_ORDER if g in set(groups)]
    emergency = _unique([*EMERGENCY_ALWAYS, *(EMERGENCY_BY_GROUP.get(g, "") for g in treated)])
    see_gp = _unique([*GP_ALWAYS, *(GP_BY_GROUP.get(g, "") for g in treated)])
    return SeekHelp(tuple(e for e in emergency if e), tuple(g for g in see_gp if g))


GROUP_ORDER = (
    "head-jaw",
    "neck",
    "shoulder-upper-back",
    "chest-trunk",
    "upper-limb",
    "back-pelvic-floor",
    "hip-buttock",
    "thigh",
    "leg-foot",
)

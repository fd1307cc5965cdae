"""The whole presentation the ranking weighs, from what the assessment recorded.

Beside the marked regions the ranking takes associated symptoms (facts §11 keys) and
perpetuating factors (catalogue keys). From an assessment:

- symptoms: those ticked at intake or later (`Assessment.symptoms`);
- factors, each with the reason it counts:
  - ticked as reported (`Assessment.factors`);
  - fired by the intake answers through the catalogue's intake cues (daily activities, stress of
    6 or more, self-care concerns), as the plan's self-care does;
  - a recorded postural finding: the posture and body-structure factors the catalogue links to
    it (a finding of forward head posture is the factor "forward head posture"; it does not
    prove phone use or a poor workstation, which are only asked about);
  - the breathing measures: the breathing factors linked to the breathing findings whose cues
    the measures fire (pattern, mouth breathing, Nijmegen 23 or more, BOLT under 20, rate over
    16).

`presentation_factors` is a pure function over plain data; `assessment_presentation` reads what
it needs in two queries.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .models import Assessment, Measures

OBSERVED_CATEGORIES = frozenset({"posture", "structural"})
BREATHING_CATEGORY = "breathing"


@dataclass(frozen=True)
class FactorLinks:
    """What the catalogue says about one perpetuating factor, for deriving it."""

    key: str
    category: str
    intake_cues: frozenset[str] = frozenset()
    postural_findings: frozenset[str] = frozenset()
    breathing_findings: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Presentation:
    symptoms: tuple[str, ...]
    factors: tuple[str, ...]
    why: Mapping[str, str] = field(default_factory=dict)  # factor key → where it came from


def intake_cues(
    *, activities: Iterable[str], stress: int | None, self_care: Iterable[str]
) -> set[str]:
    cues = {f"activity:{a}" for a in activities} | {f"self-care:{c}" for c in self_care}
    if stress is not None and stress >= Assessment.HIGH_STRESS:
        cues.add("stress:high")
    return cues


def breathing_cues(measures: Measures | None) -> set[str]:
    """The breathing findings' cues (breathing_findings.toml `plan_cues`) the measures fire."""
    if measures is None:
        return set()
    cues = set()
    if measures.breathing_pattern:
        cues.add(f"pattern:{measures.breathing_pattern}")
    if measures.mouth_breathing:
        cues.add("mouth-breathing")
    if measures.nijmegen_positive:
        cues.add("nijmegen:positive")
    if measures.bolt_low:
        cues.add("bolt:low")
    if measures.breathing_rate_high:
        cues.add("rate:high")
    return cues


def presentation_factors(
    *,
    reported: Iterable[str],
    cues: set[str],
    postural: Iterable[str],
    breathing: Iterable[str],
    links: Iterable[FactorLinks],
) -> dict[str, str]:
    """Factor key → why it counts, from what was reported, asked and examined."""
    why: dict[str, str] = {key: "reported" for key in reported}
    postural, breathing = set(postural), set(breathing)
    for factor in links:
        if factor.key in why:
            continue
        if factor.intake_cues & cues:
            why[factor.key] = "intake answers"
        elif factor.category in OBSERVED_CATEGORIES and factor.postural_findings & postural:
            why[factor.key] = "postural finding"
        elif factor.category == BREATHING_CATEGORY and factor.breathing_findings & breathing:
            why[factor.key] = "breathing measures"
    return why


def factor_links() -> list[FactorLinks]:
    """The catalogue's factors with their cues and finding links: three queries, then kept
    until the catalogue changes (triggerpoints.cache)."""
    from triggerpoints.cache import cached

    return list(cached("factor_links", _read_factor_links))


def _read_factor_links() -> tuple[FactorLinks, ...]:
    from triggerpoints.models import PerpetuatingFactor

    factors = PerpetuatingFactor.objects.prefetch_related("postural_findings", "breathing_findings")
    return tuple(
        FactorLinks(
            key=f.key,
            category=f.category,
            intake_cues=frozenset(f.intake_cues or ()),
            postural_findings=frozenset(p.key for p in f.postural_findings.all()),
            breathing_findings=frozenset(b.key for b in f.breathing_findings.all()),
        )
        for f in factors
    )


def breathing_findings_present(measures: Measures | None) -> set[str]:
    """Breathing-finding keys whose plan cues the measures fire (the findings' cues are kept
    until the catalogue changes)."""
    from triggerpoints.cache import cached

    cues = breathing_cues(measures)
    if not cues:
        return set()
    return {
        key for key, finding_cues in cached("breathing_cues", _read_cues) if finding_cues & cues
    }


def _read_cues() -> tuple[tuple[str, frozenset[str]], ...]:
    from triggerpoints.models import BreathingFinding

    rows = BreathingFinding.objects.values_list("key", "plan_cues")
    return tuple((key, frozenset(cues or ())) for key, cues in rows)


def assessment_presentation(
    assessment: Assessment, *, postural: Iterable[str], measures: Measures | None
) -> Presentation:
    """The symptoms and factors of the assessment for the ranking. `postural` are the keys of
    the recorded postural findings; the caller has them loaded already."""
    patient = assessment.patient
    why = presentation_factors(
        reported=assessment.factors,
        cues=intake_cues(
            activities=patient.activities,
            stress=assessment.stress,
            self_care=assessment.self_care,
        ),
        postural=postural,
        breathing=breathing_findings_present(measures),
        links=factor_links(),
    )
    return Presentation(symptoms=tuple(assessment.symptoms), factors=tuple(why), why=why)

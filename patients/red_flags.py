"""Red-flag screening: the checklist in `data/red_flags.toml` and the triage rules over it.

The rules are pure functions over plain data (answers as {key: yes/no}, an age, region codes):

- Each question is one criterion with its own triage level (`LEVELS`, most serious first).
  `context` questions are not flags on their own; they count only inside a combination.
- A combination is a finding when all of its `all_of` and (if it has any) one of its `any_of`
  are present. `age-over-50` and `age-under-40` are worked out from the date of birth.
- A question that is part of a more serious matched combination is listed through it only.
- Only the highest level present decides what the page says. Emergency, urgent and soon hold
  back myofascial explanations and plan changes until a decision is recorded; monitor and
  yellow flags never do (yellow flags change the plan's pacing and education instead).
- Re-screening at a session asks the questions marked `always`, those whose regions the patient
  has marked, and the partners (in a combination) of anything answered yes before.
- Cross-checks compare the screening with the rest of the record (`cross_checks`).

The file is validated on first use: unknown levels, groups, sources or keys, and combinations
naming questions that do not exist, raise CheckListError.
"""

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "red_flags.toml"

# Most serious first. The first three hold back myofascial explanations until a decision.
LEVELS: dict[str, str] = {
    "emergency": "Emergency now",
    "urgent": "Urgent: medical review today or tomorrow",
    "soon": "Soon: GP within a week",
    "monitor": "Note and monitor",
    "yellow": "Yellow flag: pace and explain",
}
HOLDING = frozenset({"emergency", "urgent", "soon"})
CONTEXT = "context"
RANK = {level: rank for rank, level in enumerate(reversed(LEVELS))}  # yellow 0 … emergency 4

GROUPS: dict[str, str] = {
    "spine": "Spine and general",
    "head": "Head and neck",
    "chest": "Chest and breathing",
    "limbs": "Limbs",
    "psychosocial": "Mood and outlook",
}
RESCREEN = ("always", "regions", "never")
DERIVED = ("age-over-50", "age-under-40")

HEADLINES = {
    "emergency": "Emergency: arrange emergency care now. Do not treat.",
    "urgent": "Urgent: the patient needs a medical review today or tomorrow before treatment.",
    "soon": "The patient should see their GP within a week before myofascial treatment.",
    "monitor": "Nothing holds treatment back. Keep an eye on what is noted below.",
    "yellow": "No red flags. Yellow flags: pace the programme and explain the pain.",
}


class CheckListError(ValueError):
    """red_flags.toml is not valid."""


@dataclass(frozen=True)
class Item:
    key: str
    group: str
    question: str
    level: str
    action: str
    sources: tuple[str, ...] = ()
    confidence: str = ""
    rescreen: str = "never"
    regions: tuple[str, ...] = ()
    retired: bool = False

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.level, "Counts only with other answers")

    @property
    def blocks(self) -> bool:
        return self.level in HOLDING


@dataclass(frozen=True)
class Combination:
    key: str
    title: str
    all_of: tuple[str, ...]
    level: str
    action: str
    any_of: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    confidence: str = ""

    @property
    def members(self) -> tuple[str, ...]:
        return self.all_of + self.any_of

    def matches(self, present: frozenset[str]) -> bool:
        return set(self.all_of) <= present and (
            not self.any_of or bool(present.intersection(self.any_of))
        )


@dataclass(frozen=True)
class CheckList:
    items: tuple[Item, ...]
    combinations: tuple[Combination, ...]
    sources: Mapping[str, str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {item.key: item for item in self.items})

    def item(self, key: str) -> Item | None:
        return self._by_key.get(key)

    def asked(self) -> tuple[Item, ...]:
        """The questions of today's checklist, in order (retired ones are never asked)."""
        return tuple(item for item in self.items if not item.retired)

    def source_texts(self, keys: Iterable[str]) -> list[str]:
        return [self.sources[key] for key in keys]


@dataclass(frozen=True)
class Finding:
    """A positive question or a matched combination, with what to do about it."""

    key: str
    title: str
    level: str
    action: str
    sources: tuple[str, ...]
    because: tuple[str, ...]  # the question keys that made it
    retired: bool = False

    @property
    def level_label(self) -> str:
        return LEVELS[self.level]

    @property
    def holds_back(self) -> bool:
        return self.level in HOLDING


@dataclass(frozen=True)
class Triage:
    findings: tuple[Finding, ...]  # most serious first
    noted: tuple[str, ...]  # context questions answered yes that matched nothing

    @property
    def level(self) -> str | None:
        return self.findings[0].level if self.findings else None

    @property
    def holds_back(self) -> bool:
        return self.level in HOLDING

    @property
    def headline(self) -> str:
        return HEADLINES[self.level] if self.level else "No red flags reported."

    @property
    def yellow_flags(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "yellow")


def derived_facts(*, born: date | None, on: date) -> frozenset[str]:
    """Facts worked out from the record rather than asked."""
    if born is None:
        return frozenset()
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    facts = set()
    if age > 50:
        facts.add("age-over-50")
    if age < 40:
        facts.add("age-under-40")
    return frozenset(facts)


def triage(
    answers: Mapping[str, bool],
    *,
    facts: Iterable[str] = (),
    checklist: CheckList | None = None,
) -> Triage:
    """The findings of one screening: each positive flag question, each matched combination.

    `answers` maps question keys to yes (True) or no (False); unknown keys raise KeyError, so a
    typo can never hide an answer. `facts` are derived facts (DERIVED).
    """
    checklist = checklist or load()
    present = set(facts)
    for key, yes in answers.items():
        if checklist.item(key) is None:
            raise KeyError(f"Unknown red-flag question {key!r}.")
        if yes:
            present.add(key)
    present_frozen = frozenset(present)
    findings: list[Finding] = []
    for key in sorted(present_frozen - set(DERIVED)):
        item = checklist.item(key)
        if item.level == CONTEXT:
            continue
        findings.append(
            Finding(
                key=item.key,
                title=item.question,
                level=item.level,
                action=item.action,
                sources=item.sources,
                because=(item.key,),
                retired=item.retired,
            )
        )
    for combination in checklist.combinations:
        if combination.matches(present_frozen):
            findings.append(
                Finding(
                    key=combination.key,
                    title=combination.title,
                    level=combination.level,
                    action=combination.action,
                    sources=combination.sources,
                    because=tuple(k for k in combination.members if k in present_frozen),
                )
            )
    # A question already told by a more serious combination it is part of is not listed again.
    covered = {
        key: max(RANK[f.level] for f in findings if key in f.because and len(f.because) > 1)
        for f in findings
        if len(f.because) > 1
        for key in f.because
    }
    used = {key for f in findings for key in f.because}
    findings = [
        f for f in findings if len(f.because) > 1 or covered.get(f.key, -1) <= RANK[f.level]
    ]
    findings.sort(key=lambda f: (-RANK[f.level], f.key))
    noted = tuple(
        sorted(
            key
            for key in present_frozen - used - set(DERIVED)
            if checklist.item(key).level == CONTEXT
        )
    )
    return Triage(findings=tuple(findings), noted=noted)


def new_findings(now: Triage, *, new_yes: Iterable[str]) -> tuple[Finding, ...]:
    """The findings of a re-screening that rest on something answered yes this time."""
    fresh = set(new_yes)
    return tuple(f for f in now.findings if fresh.intersection(f.because))


def rescreen_items(
    *,
    regions: Iterable[str],
    earlier_yes: Iterable[str],
    checklist: CheckList | None = None,
) -> tuple[Item, ...]:
    """The "anything new since last time?" questions for a patient: those asked every visit,
    those about a region the patient has marked, and the partners of anything answered yes
    before (so a history of cancer brings back weight loss and night pain)."""
    checklist = checklist or load()
    regions = tuple(regions)
    earlier = set(earlier_yes)
    partners = {
        key
        for combination in checklist.combinations
        if earlier.intersection(combination.members)
        for key in combination.members
    }
    chosen = []
    for item in checklist.asked():
        if item.rescreen == "never":
            continue
        if (
            item.rescreen == "always"
            or item.key in partners
            or any(code.startswith(prefix) for code in regions for prefix in item.regions)
        ):
            chosen.append(item)
    return tuple(chosen)


# Cross-checks: answers elsewhere in the record that contradict or qualify the screening.


@dataclass(frozen=True)
class CrossCheck:
    key: str
    message: str
    asks: tuple[str, ...]  # the screening questions to look at again

    @property
    def title(self) -> str:
        return CROSS_CHECK_TITLES[self.key]


CROSS_CHECK_TITLES = {
    "nijmegen-chest": "Chest symptoms on the Nijmegen questionnaire",
    "tingling-no-neuro-check": "Tingling or numbness without a neurological check",
    "older-new-temple-headache": "Over 50 with a new headache at the temple",
}
NIJMEGEN_CHEST_ITEMS = {0: "chest pain", 6: "short of breath", 7: "tight feelings in the chest"}
NIJMEGEN_CHEST_SCORE = 3  # "often" or "very often"
NEW_PAIN_DAYS = 92  # about 3 months, as the recent-onset question asks
TEMPLE = "lat.head.temple"


def cross_checks(
    *,
    nijmegen: Sequence[int],
    pain_marks: Iterable[tuple[str, str]],
    neuro_check_recorded: bool,
    facts: Iterable[str],
    answers: Mapping[str, bool],
    onset_date: date | None,
    assessed_on: date,
    labels: Mapping[str, str] | None = None,
) -> list[CrossCheck]:
    """Prompts for the therapist where the record and the screening do not sit together.

    - Nijmegen items chest pain, short of breath or tight chest scored 3 (often) or more: ask
      the chest questions again, whatever was answered.
    - A pain mark with quality tingling or numb and no neurological check recorded.
    - Over 50 with a temple headache that is new (the recent-onset or new-headache question
      answered yes, or an onset date in the last 3 months): giant-cell arteritis must be
      considered.
    """
    checks = []
    high = [name for index, name in NIJMEGEN_CHEST_ITEMS.items() if _score(nijmegen, index)]
    if high:
        checks.append(
            CrossCheck(
                key="nijmegen-chest",
                message=(
                    f"The Nijmegen questionnaire scores {', '.join(high)} at 3 (often) or more. "
                    "Ask the chest and breathing questions again and record what you found."
                ),
                asks=("cardiac-chest-pain", "exertional-chest-pain", "breathlessness-new"),
            )
        )
    marks = list(pain_marks)
    labels = labels or {}
    altered = sorted(
        {labels.get(region, region) for region, quality in marks if quality in ("tingling", "numb")}
    )
    if altered and not neuro_check_recorded:
        checks.append(
            CrossCheck(
                key="tingling-no-neuro-check",
                message=(
                    f"Tingling or numbness is marked at {'; '.join(altered)} but no neurological "
                    "check is recorded. Check sensation, power and reflexes (Measures) before "
                    "putting it down to trigger points."
                ),
                asks=("nerve-pattern", "spreading-numbness", "progressive-weakness"),
            )
        )
    new = answers.get("recent-onset") or answers.get("new-headache")
    if onset_date is not None and assessed_on - onset_date <= timedelta(days=NEW_PAIN_DAYS):
        new = True
    temple = any(region.startswith(TEMPLE) for region, _ in marks)
    if "age-over-50" in set(facts) and temple and new:
        checks.append(
            CrossCheck(
                key="older-new-temple-headache",
                message=(
                    "Over 50 with a new pain at the temple: ask about scalp tenderness, jaw pain "
                    "on chewing and visual change (giant-cell arteritis) before treating "
                    "temporalis."
                ),
                asks=("scalp-tenderness", "jaw-claudication", "visual-disturbance"),
            )
        )
    return checks


def _score(nijmegen: Sequence[int], index: int) -> bool:
    return len(nijmegen) > index and nijmegen[index] >= NIJMEGEN_CHEST_SCORE


# Loading and validation


ITEM_FIELDS = {f for f in Item.__dataclass_fields__} - {"retired"}
COMBINATION_FIELDS = set(Combination.__dataclass_fields__)


def parse(data: Mapping) -> CheckList:
    """Build and validate a checklist from the TOML's data."""
    sources = dict(data.get("sources", {}))
    items: list[Item] = []
    problems: list[str] = []
    for table, retired in (("item", False), ("retired", True)):
        for entry in data.get(table, []):
            unknown = set(entry) - ITEM_FIELDS
            if unknown:
                problems.append(f"{entry.get('key')}: unknown fields {sorted(unknown)}")
                continue
            entry = {**entry, "retired": retired}
            for name in ("sources", "regions"):
                entry[name] = tuple(entry.get(name, ()))
            items.append(Item(**entry))
    keys = [item.key for item in items]
    duplicates = sorted({key for key in keys if keys.count(key) > 1} | (set(keys) & set(DERIVED)))
    if duplicates:
        problems.append(f"duplicate keys: {', '.join(duplicates)}")
    known = set(keys) | set(DERIVED)
    for item in items:
        if item.level not in LEVELS and item.level != CONTEXT:
            problems.append(f"{item.key}: unknown level {item.level!r}")
        if item.group not in GROUPS:
            problems.append(f"{item.key}: unknown group {item.group!r}")
        if not item.retired:
            if item.rescreen not in RESCREEN:
                problems.append(f"{item.key}: rescreen must be one of {', '.join(RESCREEN)}")
            if (item.rescreen == "regions") != bool(item.regions):
                problems.append(f"{item.key}: regions go with rescreen = 'regions'")
            if not item.sources:
                problems.append(f"{item.key}: no sources")
            if item.level != CONTEXT and not item.action:
                problems.append(f"{item.key}: no action")
        problems += [f"{item.key}: unknown source {s!r}" for s in item.sources if s not in sources]
    combinations = []
    for entry in data.get("combination", []):
        unknown = set(entry) - COMBINATION_FIELDS
        if unknown:
            problems.append(f"{entry.get('key')}: unknown fields {sorted(unknown)}")
            continue
        entry = {**entry}
        for name in ("all_of", "any_of", "sources"):
            entry[name] = tuple(entry.get(name, ()))
        combination = Combination(**entry)
        if combination.level not in LEVELS:
            problems.append(f"{combination.key}: unknown level {combination.level!r}")
        missing = [k for k in combination.members if k not in known]
        if missing:
            problems.append(f"{combination.key}: unknown questions {', '.join(missing)}")
        if not combination.all_of or not combination.sources:
            problems.append(f"{combination.key}: needs all_of and sources")
        problems += [
            f"{combination.key}: unknown source {s!r}"
            for s in combination.sources
            if s not in sources
        ]
        if combination.key in known:
            problems.append(f"{combination.key}: a combination can't share a question's key")
        combinations.append(combination)
    if problems:
        raise CheckListError("red_flags.toml: " + "; ".join(problems))
    return CheckList(items=tuple(items), combinations=tuple(combinations), sources=sources)


@cache
def load() -> CheckList:
    with PATH.open("rb") as handle:
        return parse(tomllib.load(handle))

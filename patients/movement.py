"""The movement and loading screen, scored: pure functions over plain data, no database.

A test (triggerpoints.MovementTest, from data/movement_tests.toml) is read into a `TestSpec`;
a result is a `Reading` (one value, or a left and a right). The rules:

- Numeric tests: a value inside [normal_min, normal_max] (either bound may be absent) is normal.
- Ordinal tests: scores run 0 (best) to the last anchor; a score up to normal_max is normal.
- Sided tests: each side is scored on its own; then the side-to-side rule: a difference above
  `asymmetry_max` (in units or score points) or above `asymmetry_percent` of the larger side is
  abnormal even when both sides are in range.
- A result is "abnormal" when a side (or the value) is out of range or the sides differ too much,
  "normal" when everything recorded is in range, "incomplete" when nothing (or only one side of a
  sided test) was recorded.
- Precautions (facts §12.1) exclude a test: feverish or unwell today excludes every test; a
  test's own `excluded_by`; lying face down (prone) from 20 weeks of pregnancy.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from triggerpoints.precautions import PREGNANCY_SUPINE_WEEKS

SIDE_WORDS = {"l": "left", "r": "right"}
NORMAL, ABNORMAL, INCOMPLETE = "normal", "abnormal", "incomplete"


@dataclass(frozen=True)
class TestSpec:
    key: str
    name: str
    strand: str = "postural"  # "postural" or "breathing"
    position: str = "standing"
    sided: bool = False
    scoring: str = "numeric"  # "numeric" or "ordinal"
    unit: str = ""
    anchors: tuple[str, ...] = ()
    value_min: float = 0
    value_max: float = 1000
    normal_min: float | None = None
    normal_max: float | None = None
    asymmetry_max: float | None = None
    asymmetry_percent: float | None = None
    meaningful_change: float | None = None
    excluded_by: frozenset[str] = frozenset()

    __test__ = False  # not a pytest test class

    @property
    def ordinal(self) -> bool:
        return self.scoring == "ordinal"

    def in_range(self, value: float) -> bool:
        if self.normal_min is not None and value < self.normal_min:
            return False
        return not (self.normal_max is not None and value > self.normal_max)


@dataclass(frozen=True)
class Reading:
    """One result: `value` for a test without sides, `left` and `right` for a sided test."""

    value: float | None = None
    left: float | None = None
    right: float | None = None

    def sides(self) -> list[tuple[str, float]]:
        """[("l", 12.0), ("r", 25.0)] or [("", 22.0)]: what was recorded."""
        if self.value is not None:
            return [("", self.value)]
        return [(s, v) for s, v in (("l", self.left), ("r", self.right)) if v is not None]

    @property
    def is_empty(self) -> bool:
        return not self.sides()


@dataclass(frozen=True)
class Score:
    status: str  # NORMAL, ABNORMAL or INCOMPLETE
    out_of_range: tuple[str, ...] = ()  # "l", "r" or "" (no sides) outside the normal range
    asymmetric: bool = False
    difference: float | None = None  # |left - right|, in units or score points
    difference_percent: float | None = None

    @property
    def abnormal(self) -> bool:
        return self.status == ABNORMAL


def score(spec: TestSpec, reading: Reading) -> Score:
    """Normal, abnormal (out of range, or the sides too different) or incomplete."""
    sides = reading.sides()
    if not sides:
        return Score(INCOMPLETE)
    out = tuple(side for side, value in sides if not spec.in_range(value))
    difference = percent = None
    asymmetric = False
    if spec.sided and reading.left is not None and reading.right is not None:
        difference = abs(reading.left - reading.right)
        larger = max(abs(reading.left), abs(reading.right))
        percent = 100 * difference / larger if larger else 0.0
        asymmetric = (spec.asymmetry_max is not None and difference > spec.asymmetry_max) or (
            spec.asymmetry_percent is not None and percent > spec.asymmetry_percent
        )
    if out or asymmetric:
        return Score(ABNORMAL, out, asymmetric, difference, percent)
    if spec.sided and len(sides) < 2:
        return Score(INCOMPLETE, (), False, None, None)
    return Score(NORMAL, (), False, difference, percent)


# --- Words --------------------------------------------------------------------------------------


def number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def with_unit(spec: TestSpec, value: float) -> str:
    """'12 s', '42°', '2.8 cm'; an ordinal score as 'score 1'."""
    if spec.ordinal:
        return f"score {number(value)}"
    if not spec.unit or spec.unit == "°":
        return f"{number(value)}{spec.unit}"
    return f"{number(value)} {spec.unit}"


def normal_rule(spec: TestSpec) -> str:
    """'normal 30 s or more', 'normal 2.5 cm or less', 'normal score 0'."""
    low, high = spec.normal_min, spec.normal_max
    if spec.ordinal and high is not None and (low is None or low <= 0):
        return f"normal {with_unit(spec, high)}" if high == 0 else f"normal score 0-{number(high)}"
    if low is not None and high is not None:
        return f"normal {number(low)}-{with_unit(spec, high)}"
    if low is not None:
        return f"normal {with_unit(spec, low)} or more"
    if high is not None:
        return f"normal {with_unit(spec, high)} or less"
    return ""


def asymmetry_rule(spec: TestSpec) -> str:
    if spec.asymmetry_percent is not None:
        return f"sides within {number(spec.asymmetry_percent)}%"
    if spec.asymmetry_max is not None:
        if spec.asymmetry_max == 0:
            return "the same on both sides"
        return f"sides within {with_unit(spec, spec.asymmetry_max).removeprefix('score ')}"
    return ""


def reading_text(spec: TestSpec, reading: Reading, *, sides: Iterable[str] | None = None) -> str:
    """'left 12 s, right 25 s' or '22 mmHg' (only `sides` when given)."""
    wanted = set(sides) if sides is not None else None
    parts = []
    for side, value in reading.sides():
        if wanted is not None and side not in wanted:
            continue
        word = SIDE_WORDS.get(side)
        parts.append(f"{word} {with_unit(spec, value)}" if word else with_unit(spec, value))
    return ", ".join(parts)


def finding_text(spec: TestSpec, reading: Reading, result: Score | None = None) -> str:
    """What the plan item names: 'Single-leg bridge hold: left 12 s (normal 30 s or more)'.
    An abnormal result shows the sides out of range; the sides too different show both."""
    result = result or score(spec, reading)
    rules = [normal_rule(spec)]
    if result.asymmetric and not result.out_of_range:  # a side out of range says it already
        shown = reading_text(spec, reading)
        diff = (
            f"{number(result.difference_percent or 0)}%"
            if spec.asymmetry_percent is not None
            else with_unit(spec, result.difference or 0).removeprefix("score ")
        )
        rules = [f"sides differ by {diff}", asymmetry_rule(spec)]
    elif result.abnormal:
        shown = reading_text(spec, reading, sides=result.out_of_range)
    else:
        shown = reading_text(spec, reading)
    rule = "; ".join(r for r in rules if r)
    return f"{spec.name}: {shown} ({rule})" if rule else f"{spec.name}: {shown}"


def change_text(spec: TestSpec, before: Reading, now: Reading) -> str:
    """'left 12 s → 35 s, right 25 s → 38 s': each side recorded both times."""
    old = dict(before.sides())
    parts = []
    for side, value in now.sides():
        if side not in old:
            continue
        word = SIDE_WORDS.get(side)
        moved = f"{with_unit(spec, old[side])} → {with_unit(spec, value)}"
        parts.append(f"{word} {moved}" if word else moved)
    return ", ".join(parts)


def meaningful(spec: TestSpec, before: Reading, now: Reading) -> bool | None:
    """Whether any side changed by at least the meaningful change; None when the sources give
    none."""
    if spec.meaningful_change is None:
        return None
    old = dict(before.sides())
    return any(
        abs(value - old[side]) >= spec.meaningful_change
        for side, value in now.sides()
        if side in old
    )


# --- Precautions --------------------------------------------------------------------------------


def why_excluded(spec: TestSpec, keys: Iterable[str], pregnancy_weeks: int | None = None) -> str:
    """Why this test must not be done for this patient now; "" when it may."""
    keys = set(keys)
    if "infection-or-fever" in keys:
        return "infection-or-fever: feverish or unwell today, so no testing today"
    ruled = sorted(spec.excluded_by & keys)
    if ruled:
        return f"{', '.join(ruled)} rules it out"
    if (
        spec.position == "prone"
        and "pregnancy" in keys
        and (pregnancy_weeks is None or pregnancy_weeks >= PREGNANCY_SUPINE_WEEKS)
    ):
        weeks = f"{pregnancy_weeks} weeks" if pregnancy_weeks is not None else "weeks not given"
        return f"pregnancy ({weeks}): no lying face down for testing"
    return ""


def reading_errors(spec: TestSpec, reading: Reading) -> list[str]:
    """Why a reading does not fit its test (bounds, whole scores, sides); [] when it fits."""
    errors = []
    if spec.sided and reading.value is not None:
        errors.append(f"{spec.name} is recorded per side.")
    if not spec.sided and (reading.left is not None or reading.right is not None):
        errors.append(f"{spec.name} has no sides: record one value.")
    for _, value in reading.sides():
        if spec.ordinal and not float(value).is_integer():
            errors.append(f"{spec.name} is scored in whole numbers.")
        elif not spec.value_min <= value <= spec.value_max:
            errors.append(
                f"{spec.name}: {number(value)} is outside "
                f"{number(spec.value_min)}-{number(spec.value_max)}."
            )
    return list(dict.fromkeys(errors))

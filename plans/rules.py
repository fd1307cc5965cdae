"""The plan rules: pure functions from plain data (plans.inputs builds it) to draft items.
(Being written: see the issue.)"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanInputs:
    pass


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
    return []


def recurrence_note(inputs: PlanInputs) -> str:
    return ""

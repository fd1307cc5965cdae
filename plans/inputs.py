"""Reads what the plan rules need from the database into plain data. (Being written.)"""

from patients.models import Assessment

from .rules import PlanInputs


def plan_inputs(assessment: Assessment) -> PlanInputs:
    return PlanInputs()

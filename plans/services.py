"""Writes to plans: generation, editing, issuing and completing. Views call these.

Every edit names the plan version the therapist saw (`expected_version`): a save over someone
else's newer one raises StaleEditError and changes nothing. Editing an issued plan turns it into
a draft of the next version; the issued one stays frozen in `PlanVersion`.
"""

from dataclasses import fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from common.models import model_update
from patients.models import Assessment, User
from patients.services import StaleEditError, claim_version, versioned_write

from . import rules
from .content import plan_content
from .inputs import plan_inputs
from .models import Plan, PlanItem, PlanVersion

__all__ = ["StaleEditError"]


class PlanBlockedError(Exception):
    """The plan can't be generated or issued yet; the message says why."""


MAX_PLAN_ITEMS = 30


class DraftExistsError(Exception):
    """The assessment has an open draft already (a second "Build a plan", or a double click)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        super().__init__("A draft plan from this assessment exists already.")


class NotEditableError(Exception):
    """A completed plan is closed."""


def red_flag_blockers(assessment: Assessment, doing: str) -> list[str]:
    """Why red flags stop the therapist from `doing` (build or issue a plan) now: the
    assessment's intake screening not done, or any screening of the patient (an assessment's,
    or a later session's re-screening) holding explanations back until a decision. One query
    beyond the assessment's own screening. The one wording for the plan page and the services.
    """
    if assessment.red_flag_status == Assessment.RedFlagStatus.NOT_SCREENED:
        return [
            f"Can't {doing}: this assessment's red flags are not screened yet. Screen them first."
        ]
    return [
        f"Can't {doing}: a red flag from {screening.describe()} is waiting for a decision."
        for screening in assessment.held_back_by
    ]


def _refuse_over_red_flags(assessment: Assessment, doing: str) -> None:
    blockers = red_flag_blockers(assessment, doing)
    if blockers:
        raise PlanBlockedError(" ".join(blockers))


def issue_blockers(plan: Plan, *, has_items: bool) -> list[str]:
    """Why `plan` can't be issued now (empty when it can): the one wording for the plan page,
    which shows it before the therapist tries, and for `plan_issue`, which refuses with it."""
    if plan.status != Plan.Status.DRAFT:
        return ["Only a draft is issued; this version was issued already."]
    reasons = red_flag_blockers(plan.assessment, "issue the plan")
    if not has_items:
        reasons.append("The plan is empty: add at least one item before issuing it.")
    return reasons


def _item_values(draft: rules.DraftItem) -> dict[str, Any]:
    return {f.name: getattr(draft, f.name) for f in fields(draft)}


@transaction.atomic
def plan_generate(*, assessment: Assessment, by: User) -> Plan:
    """A draft plan from the assessment's findings and the patient's history (plans.rules).

    One open draft per assessment: building again (a double click, two therapists at once)
    raises DraftExistsError with the draft there is. The assessment row is locked while the
    check and the build run, so two requests cannot both pass the check."""
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    existing = Plan.objects.filter(assessment=assessment, status=Plan.Status.DRAFT).first()
    if existing is not None:
        raise DraftExistsError(existing)
    _refuse_over_red_flags(assessment, "build a plan")
    draft_plan = rules.build_plan(plan_inputs(assessment))
    notes = draft_plan.notes
    plan = Plan.objects.create(
        patient=assessment.patient,
        assessment=assessment,
        created_by=by,
        recurrence_note=" ".join(n for n in (notes.recurrence_note, notes.stepped_down) if n),
        precautions=notes.precautions[:500],
        screen_for=list(notes.screen_for),
        left_out=list(notes.left_out),
        breathing_not_assessed=notes.breathing_not_assessed,
    )
    for position, draft in enumerate(draft_plan.items):
        item = PlanItem(plan=plan, position=position, **_item_values(draft))
        item.full_clean()
        item.save()
    return plan


def _start_edit(plan: Plan, expected_version: int) -> None:
    """Claim the plan's version for an edit; an issued plan becomes the next version's draft."""
    if not plan.is_editable:
        raise NotEditableError("This plan is completed; start a new plan to change it.")
    claim_version(plan, expected_version)
    # `plan` may be a copy loaded before the claim: change the row as it stands now, through
    # save() so the history records the issued plan going back to draft, with who did it.
    fresh = Plan.objects.get(pk=plan.pk)
    if fresh.status == Plan.Status.ISSUED:
        fresh.status = Plan.Status.DRAFT
        fresh.save(update_fields=["status", "updated_at"])
    plan.status = fresh.status


@versioned_write
def plan_update(*, plan: Plan, data: dict[str, Any], expected_version: int) -> Plan:
    """The review date and the note to the patient."""
    _start_edit(plan, expected_version)
    return model_update(instance=plan, data=data)


@versioned_write
def plan_item_update(*, item: PlanItem, data: dict[str, Any], expected_version: int) -> PlanItem:
    _start_edit(item.plan, expected_version)
    return model_update(instance=item, data=data)


@versioned_write
def plan_item_add(*, plan: Plan, draft: rules.DraftItem, expected_version: int) -> PlanItem:
    """Add an item (e.g. a catalogue drill or technique found by search) at the end of its
    strand. The same drill or trigger point twice is refused."""
    _start_edit(plan, expected_version)
    if plan.items.filter(key=draft.key).exists():
        raise ValidationError(f"{draft.title} is already in the plan.")
    if plan.items.count() >= MAX_PLAN_ITEMS:
        raise ValidationError(
            f"A plan holds at most {MAX_PLAN_ITEMS} items: a programme longer than that is not "
            "one a patient can follow. Remove one first."
        )
    last = plan.items.filter(strand=draft.strand).aggregate(last=Max("position"))["last"]
    item = PlanItem(plan=plan, position=(last or 0) + 1, **_item_values(draft))
    item.full_clean()
    item.save()
    _renumber(plan)
    return item


@versioned_write
def plan_item_remove(*, item: PlanItem, expected_version: int) -> None:
    """Removed from the draft; the change log and any issued version keep it."""
    plan = item.plan
    _start_edit(plan, expected_version)
    item.delete()
    _renumber(plan)


@versioned_write
def plan_item_move(*, item: PlanItem, up: bool, expected_version: int) -> None:
    """Move an item one place up or down within its strand."""
    plan = item.plan
    _start_edit(plan, expected_version)
    _renumber(plan)
    siblings = list(plan.items.filter(strand=item.strand).order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        a, b = siblings[index], siblings[other]
        a.position, b.position = b.position, a.position
        for moved in (a, b):  # one by one, so the history records the reorder and who did it
            moved.save(update_fields=["position"])


def _renumber(plan: Plan) -> None:
    for position, item in enumerate(plan.items.order_by("position", "pk")):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@versioned_write
def plan_issue(*, plan: Plan, by: User, expected_version: int) -> PlanVersion:
    """Freeze what the patient receives as the next numbered version."""
    blockers = issue_blockers(plan, has_items=plan.items.exists())
    if blockers:
        raise PlanBlockedError(" ".join(blockers))
    claim_version(plan, expected_version)
    number = plan.issued_number + 1
    plan.issued_number = number
    plan.status = Plan.Status.ISSUED
    plan.save()
    content = plan_content(plan, number=number)
    return PlanVersion.objects.create(
        plan=plan, number=number, issued_by=by, content=content.to_json()
    )


@versioned_write
def plan_complete(*, plan: Plan, expected_version: int) -> Plan:
    """The patient finished the plan (or it was superseded). Only an issued plan completes."""
    if plan.status != Plan.Status.ISSUED:
        raise PlanBlockedError("Issue the plan before marking it completed.")
    claim_version(plan, expected_version)
    plan.status = Plan.Status.COMPLETED
    plan.completed_at = timezone.now()
    plan.save()
    return plan

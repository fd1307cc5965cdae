"""The one way plan views load a plan: scoped to the user's clinic (404 otherwise), read-only
while the patient is archived."""

from django.db.models import F
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from patients.loaders import refuse_changes_if_archived

from .models import Plan, PlanVersion

# What plan pages show with the plan: its patient and clinic, assessment and screening, author.
WITH_PAGE = (
    "patient__clinic",
    "patient__stamp",
    "assessment__screening__decided_by",
    "created_by",
)


def get_plan(
    request: HttpRequest, pk: int, *, read_only: bool = False, related: tuple[str, ...] = WITH_PAGE
) -> Plan:
    """The plan, for a change unless `read_only` (an archived patient's plan only reads), with
    the rows in `related` (a download of a stored PDF needs only the patient)."""
    plan = get_object_or_404(
        Plan.objects.for_clinic(request.user.clinic).select_related(*related), pk=pk
    )
    if not read_only:
        refuse_changes_if_archived(plan.patient)
    return plan


def get_issued_version(request: HttpRequest, pk: int, number: int | None) -> PlanVersion | None:
    """Issued version `number` of the plan (the latest while the plan is not a draft when
    `number` is None), with its plan and its patient's name but not its frozen content, in one
    query scoped like get_plan; None when there is none (get_plan then says 404 or gives the
    draft)."""
    clinic = request.user.clinic
    if clinic is None:
        return None
    versions = PlanVersion.objects.filter(plan_id=pk, plan__patient__clinic=clinic)
    if number is None:
        versions = versions.filter(number=F("plan__issued_number")).exclude(
            plan__status=Plan.Status.DRAFT
        )
    else:
        versions = versions.filter(number=number)
    # Only what a download of the stored file reads; the rest loads if the PDF is rendered.
    found = versions.select_related("plan__patient").only(
        *("number", "issued_at", "patient_pdf", "clinician_pdf", "plan"),
        *("plan__status", "plan__issued_number", "plan__patient"),
        *("plan__patient__first_name", "plan__patient__last_name"),
    )
    return next(iter(found.order_by()[:1]), None)  # one at most (plan, number): no sorting

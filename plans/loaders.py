"""The one way plan views load a plan: scoped to the user's clinic (404 otherwise), read-only
while the patient is archived."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from patients.loaders import refuse_changes_if_archived

from .models import Plan

# What plan pages show with the plan: its patient and clinic, assessment and screening, author.
WITH_PAGE = ("patient__clinic", "assessment__screening__decided_by", "created_by")


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

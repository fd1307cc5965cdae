"""The one way plan views load a plan: scoped to the user's clinic (404 otherwise), read-only
while the patient is archived."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from patients.views.base import refuse_changes_if_archived

from ..models import Plan

READ_ONLY_PAGES = {"detail", "version", "pdf"}


def get_plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(
        Plan.objects.for_clinic(request.user.clinic).select_related(
            "patient__clinic", "assessment__screening__decided_by", "created_by"
        ),
        pk=pk,
    )
    refuse_changes_if_archived(request, plan.patient, READ_ONLY_PAGES)
    return plan

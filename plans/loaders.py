"""The one way plan views load a plan: scoped to the user's clinic (404 otherwise), read-only
while the patient is archived."""

from typing import Any

from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from patients.loaders import refuse_changes_if_archived
from patients.models import Patient

from .models import Plan, PlanVersion

# What plan pages show with the plan: its patient and clinic, assessment and screening, author.
WITH_PAGE = (
    "patient__clinic",
    "patient__stamp",
    "assessment__screening__decided_by",
    "created_by",
)


# What the plan page shows around its kept record part: the patient's name and stamp, the
# assessment's date; the part reads the rest when drawn (plans.views.plans._plan_record).
AROUND_RECORD = (
    *("patient", "assessment"),
    *("patient__first_name", "patient__last_name", "patient__archived_at", "patient__stamp"),
    *("assessment__patient", "assessment__assessed_on"),
)


def get_plan(
    request: HttpRequest,
    pk: int,
    *,
    read_only: bool = False,
    related: tuple[str, ...] = WITH_PAGE,
    only: tuple[str, ...] = (),
) -> Plan:
    """The plan, for a change unless `read_only` (an archived patient's plan only reads), with
    the rows in `related` (a download of a stored PDF needs only the patient); with `only`,
    just those columns."""
    plans = Plan.objects.for_clinic(request.user.clinic).select_related(*related)
    plan = get_object_or_404(plans.only(*only) if only else plans, pk=pk)
    if not read_only:
        refuse_changes_if_archived(plan.patient)
    return plan


# get_issued_version's query, written out (Manager.raw): a stored PDF's download does little
# else, and compiling the same query with the ORM cost more than half of the view's CPU (about
# 1 ms a download; bench/profile_pages.py). tests/plans/test_issued_version_lookup.py holds it
# to the ORM query it replaces, case by case.
_ISSUED_VERSION_SQL = """
    SELECT v.id, v.plan_id, v.number, v.issued_at, v.patient_pdf, v.clinician_pdf,
           p.status AS plan_status, p.issued_number AS plan_issued_number,
           p.patient_id AS plan_patient_id,
           pt.first_name AS patient_first_name, pt.last_name AS patient_last_name
    FROM plans_planversion v
    JOIN plans_plan p ON p.id = v.plan_id
    JOIN patients_patient pt ON pt.id = p.patient_id
    WHERE v.plan_id = %s AND pt.clinic_id = %s
      AND v.number = COALESCE(%s, CASE WHEN p.status <> %s THEN p.issued_number END)
"""


def get_issued_version(request: HttpRequest, pk: int, number: int | None) -> PlanVersion | None:
    """Issued version `number` of the plan (the latest while the plan is not a draft when
    `number` is None), with its plan and its patient's name but not its frozen content, in one
    query scoped like get_plan; None when there is none (get_plan then says 404 or gives the
    draft). Fields not read here load if used (the frozen content, when the PDF is rendered)."""
    clinic_id = request.user.clinic_id
    if clinic_id is None:
        return None
    params = [pk, clinic_id, number, Plan.Status.DRAFT.value]
    # One row at most: (plan, number) is unique.
    version = next(iter(PlanVersion.objects.raw(_ISSUED_VERSION_SQL, params)), None)
    if version is None:
        return None
    version.plan = _loaded(
        Plan,
        id=version.plan_id,
        status=version.plan_status,
        issued_number=version.plan_issued_number,
        patient_id=version.plan_patient_id,
    )
    version.plan.patient = _loaded(
        Patient,
        id=version.plan_patient_id,
        first_name=version.patient_first_name,
        last_name=version.patient_last_name,
    )
    return version


def _loaded(model: type[Model], **values: Any) -> Any:  # noqa: ANN401
    """An instance of `model` as the ORM loads one with only these columns, the others
    deferred (Model.from_db takes the values in the model's field order)."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, fields, [values[name] for name in fields])

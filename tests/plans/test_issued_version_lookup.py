"""plans.loaders.get_issued_version runs its query as written-out SQL (a stored PDF's download
does little else). Here it is held to the ORM query it replaced, in every case a download can
meet: each status of the plan, each version asked for, the user's clinic or another or none."""

import pytest
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone

from patients.models import User
from plans import services
from plans.loaders import get_issued_version
from plans.models import Plan, PlanVersion

from ..factories import AssessmentFactory, ClinicFactory, PlanFactory, PlanItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def orm_lookup(user: User, pk: int, number: int | None) -> PlanVersion | None:
    """The specification: the ORM query get_issued_version used to run."""
    if user.clinic is None:
        return None
    versions = PlanVersion.objects.filter(plan_id=pk, plan__patient__clinic=user.clinic)
    if number is None:
        versions = versions.filter(number=F("plan__issued_number")).exclude(
            plan__status=Plan.Status.DRAFT
        )
    else:
        versions = versions.filter(number=number)
    return versions.select_related("plan__patient").first()


@pytest.fixture
def twice_issued(patient, therapist: User) -> Plan:  # noqa: ANN001
    assessment = AssessmentFactory(
        patient=patient, therapist=therapist, red_flags_screened_at=timezone.now()
    )
    plan = PlanFactory(assessment=assessment)
    PlanItemFactory(plan=plan)
    for _ in range(2):  # issued, changed (a draft again), issued again
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
        plan.refresh_from_db()
        services.plan_issue(plan=plan, by=therapist, expected_version=plan.version)
    PlanVersion.objects.filter(plan=plan, number=1).update(patient_pdf="plans/stored-v1.pdf")
    return plan


def as_request(user: User):  # noqa: ANN201
    request = RequestFactory().get("/")
    request.user = User.objects.select_related("clinic").get(pk=user.pk)
    return request


@pytest.mark.parametrize("status", [s.value for s in Plan.Status])
@pytest.mark.parametrize("asked", [None, 1, 2, 3])
@pytest.mark.parametrize("who", ["therapist", "stranger", "no clinic"])
def test_the_written_out_query_finds_what_the_orm_query_finds(
    twice_issued: Plan, therapist: User, stranger: User, status: str, asked: int | None, who: str
) -> None:
    Plan.objects.filter(pk=twice_issued.pk).update(status=status)
    user = {
        "therapist": therapist,
        "stranger": stranger,
        "no clinic": UserFactory(username="nobody", clinic=None),
    }[who]
    expected = orm_lookup(user, twice_issued.pk, asked)
    found = get_issued_version(as_request(user), twice_issued.pk, asked)
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert (found.pk, found.number, found.issued_at) == (
        expected.pk,
        expected.number,
        expected.issued_at,
    )
    assert found.issued_at.tzinfo is not None  # aware, as the ORM gives it (Last-Modified)
    assert found.patient_pdf.name == expected.patient_pdf.name
    assert found.clinician_pdf.name == expected.clinician_pdf.name
    plan, patient = found.plan, found.plan.patient
    assert (plan.pk, plan.status, plan.issued_number) == (
        expected.plan.pk,
        expected.plan.status,
        expected.plan.issued_number,
    )
    assert (patient.pk, patient.first_name, patient.last_name) == (
        expected.plan.patient.pk,
        expected.plan.patient.first_name,
        expected.plan.patient.last_name,
    )
    # The frozen content is not read up front, and loads when the PDF has to be rendered.
    assert "content" in found.get_deferred_fields()
    assert found.content == expected.content


def test_a_plan_of_another_clinic_with_the_same_number_is_not_found(
    twice_issued: Plan, therapist: User
) -> None:
    other = ClinicFactory(name="Other Clinic")
    Plan.objects.filter(pk=twice_issued.pk).update(status=Plan.Status.ISSUED)
    outsider = UserFactory(username="olga", clinic=other)
    assert get_issued_version(as_request(outsider), twice_issued.pk, None) is None
    assert get_issued_version(as_request(therapist), twice_issued.pk, None).number == 2

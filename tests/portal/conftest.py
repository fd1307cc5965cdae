"""A patient with an issued plan and a link to it, for the portal tests."""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.models import Clinic, Patient, User
from plans import services as plan_services
from plans.models import Plan, Strand
from portal import services
from portal.models import PatientLink

from ..factories import AssessmentFactory, PatientFactory, PlanFactory, PlanItemFactory

BORN = datetime.date(1978, 5, 17)


def issue(plan: Plan, by: User) -> Plan:
    plan = Plan.objects.select_related("patient__clinic", "assessment", "created_by").get(
        pk=plan.pk
    )
    plan_services.plan_issue(plan=plan, by=by, expected_version=plan.version)
    plan.refresh_from_db()
    return plan


def issued_plan(patient: Patient, therapist: User, *, marker: str = "") -> Plan:
    """Three home items (two postural, one breathing) and one clinic-only item, issued."""
    assessment = AssessmentFactory(
        patient=patient, therapist=therapist, red_flags_screened_at=timezone.now()
    )
    plan = PlanFactory(assessment=assessment, notes=f"Little and often {marker}")
    PlanItemFactory(
        plan=plan,
        strand=Strand.POSTURAL,
        key="drill:chin-nod",
        title=f"Chin nods {marker}",
        cautions="Stop if you feel dizzy.",
        sources="NHS: neck pain https://www.nhs.uk/conditions/neck-pain/",
    )
    PlanItemFactory(plan=plan, strand=Strand.POSTURAL, key="drill:wall-angel", title="Wall angels")
    PlanItemFactory(plan=plan, strand=Strand.BREATHING, key="drill:nasal", title="Nasal breathing")
    PlanItemFactory(
        plan=plan,
        strand=Strand.LOCAL,
        key="point:1:l",
        title="Dry needling",
        clinic_only=True,
    )
    return issue(plan, therapist)


@dataclass
class Linked:
    clinic: Clinic
    therapist: User
    patient: Patient
    plan: Plan
    link: PatientLink
    token: str

    @property
    def url(self) -> str:
        return reverse("portal:open", args=[self.token])

    @property
    def diary_url(self) -> str:
        return reverse("portal:diary", args=[self.token])


def make_link(clinic: Clinic, therapist: User, *, marker: str = "", born=BORN) -> Linked:  # noqa: ANN001
    clinic.phone = "01632 960 123"
    clinic.save()
    patient = PatientFactory(clinic=clinic, date_of_birth=born, email="maria@example.org")
    plan = issued_plan(patient, therapist, marker=marker)
    link, token = services.link_create(plan=plan, by=therapist)
    return Linked(clinic, therapist, patient, plan, link, token)


@pytest.fixture
def linked(clinic: Clinic, therapist: User) -> Linked:
    return make_link(clinic, therapist, marker="MARKER-1")


def verified_client(linked: Linked, client: Client | None = None) -> Client:
    """A browser that has confirmed the year of birth for this link."""
    client = client or Client()
    response = client.post(linked.url, {"year": linked.patient.date_of_birth.year})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def phone(linked: Linked) -> Client:
    return verified_client(linked)

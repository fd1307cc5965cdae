"""A plan built from measured findings (issue 17), through the database: each postural item
names the test result behind it, a normalised strand steps down, and the PDF shows the tests
before → now (read back with pypdf)."""

import datetime

import pytest
from django.utils import timezone

from patients.models import MovementResult
from plans.content import PlanContent, plan_content
from plans.models import Plan, Strand
from plans.pdf import render_plan_pdf
from plans.services import plan_generate
from triggerpoints.models import MovementTest

from ..factories import AssessmentFactory, RedFlagAnswerFactory, TreatmentSessionFactory
from .test_pdf import pdf_text

pytestmark = pytest.mark.django_db


def _test(key: str) -> MovementTest:
    return MovementTest.objects.get(key=key)


@pytest.fixture
def assessment(therapist):  # noqa: ANN001, ANN201
    assessment = AssessmentFactory(
        therapist=therapist,
        patient__clinic=therapist.clinic,
        red_flags_screened_at=timezone.now(),
        assessed_on=timezone.localdate() - datetime.timedelta(days=28),
    )
    RedFlagAnswerFactory(assessment=assessment, flag="cancer", present=False)
    MovementResult.objects.create(
        assessment=assessment, test=_test("single-leg-bridge"), left=12, right=35
    )
    MovementResult.objects.create(
        assessment=assessment, test=_test("craniocervical-flexion"), value=22
    )
    MovementResult.objects.create(
        assessment=assessment, test=_test("pec-minor-length"), left=3.5, right=2.2
    )
    return assessment


def _retest(assessment, days: int, **values: dict) -> None:  # noqa: ANN001
    session = TreatmentSessionFactory(
        patient=assessment.patient,
        therapist=assessment.therapist,
        session_date=assessment.assessed_on + datetime.timedelta(days=days),
    )
    for key, reading in values.items():
        MovementResult.objects.create(session=session, test=_test(key.replace("_", "-")), **reading)


def test_each_postural_item_names_a_measured_finding(assessment, therapist):  # noqa: ANN001
    plan = plan_generate(assessment=assessment, by=therapist)
    postural = list(plan.items.filter(strand=Strand.POSTURAL))
    assert {i.key for i in postural} >= {"drill:glute-bridge", "drill:chin-nod"}
    assert all(i.rationale.startswith("Measured: ") for i in postural)
    bridge = next(i for i in postural if i.key == "drill:glute-bridge")
    assert "Single-leg bridge hold: left 12 s (normal 30 s or more)" in bridge.rationale


def test_pdf_shows_the_tests_before_and_now(assessment, therapist):  # noqa: ANN001
    _retest(
        assessment,
        14,
        single_leg_bridge={"left": 35, "right": 38},
        craniocervical_flexion={"value": 24},
    )
    plan = plan_generate(assessment=assessment, by=therapist)
    plan = Plan.objects.select_related("patient__clinic", "created_by", "assessment").get(
        pk=plan.pk
    )
    content = plan_content(plan)
    assert content.tests[:2] == [
        "Single-leg bridge hold, left: 12 s → 35 s (aim: 30 s or more)",
        "Craniocervical flexion (pressure biofeedback stage): 22 mmHg → 24 mmHg "
        "(aim: 26 mmHg or more)",
    ]
    text = pdf_text(render_plan_pdf(content))
    assert "Your tests: where you were and where you are now" in text
    assert "Single-leg bridge hold, left: 12 s → 35 s (aim: 30 s or more)" in text
    # the frozen copy of an issued version keeps the lines
    assert PlanContent.from_json(content.to_json()).tests == content.tests


def test_normalised_bridge_goes_to_maintenance_and_notes_it(assessment, therapist):  # noqa: ANN001
    _retest(
        assessment,
        14,
        single_leg_bridge={"left": 35, "right": 38},
        craniocervical_flexion={"value": 26},
        pec_minor_length={"left": 2.4, "right": 2.2},
    )
    plan = plan_generate(assessment=assessment, by=therapist)
    bridge = plan.items.get(key="drill:glute-bridge")
    assert bridge.dosage == "Twice a week, to keep what you have gained"
    assert "The postural strand steps down" in plan.recurrence_note


def test_plan_page_shows_the_tests_it_targets(assessment, therapist_client):  # noqa: ANN001
    from django.urls import reverse

    _retest(assessment, 14, craniocervical_flexion={"value": 24})
    plan = plan_generate(assessment=assessment, by=assessment.therapist)
    page = therapist_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Tests the plan targets" in page
    assert "Craniocervical flexion (pressure biofeedback stage): 22 mmHg → 24 mmHg" in page

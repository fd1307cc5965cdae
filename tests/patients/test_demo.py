from io import StringIO

import pytest
from django.core.management import call_command

from patients.models import Patient, SessionAmendment, TreatmentSession

pytestmark = pytest.mark.django_db


def test_setup_demo_creates_a_complete_demo_record_once(settings) -> None:  # noqa: ANN001
    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    out = StringIO()
    call_command("setup_demo", stdout=out)  # a second run adds nothing
    assert "demo patient" not in out.getvalue()
    maria = Patient.objects.get(clinic__name="Demo Clinic")
    assessment = maria.assessments.get()
    assert assessment.shows_myofascial_explanations
    assert assessment.pain_marks.count() == 4
    assert assessment.palpated_points.filter(status="active").count() == 1
    assert maria.sessions.first().treated_points.get(status="active").retest_after == 2
    assert assessment.measures.nijmegen_score == 26 and assessment.measures.nijmegen_positive
    sessions = TreatmentSession.objects.filter(patient=maria)
    assert sessions.count() == 4 and sessions.filter(signed_at__isnull=False).count() == 3
    amendment = SessionAmendment.objects.get(session__patient=maria)
    assert {c["field"] for c in amendment.changes} == {"post_nprs", "notes"}
    plan = assessment.plans.get()
    assert plan.status == "issued" and plan.versions.count() == 1
    assert {item.strand for item in plan.items.all()} == {
        "local",
        "postural",
        "breathing",
        "self_care",
    }
    # Pain fell from 6 to 3: normal progress, not recurrence (issue 9).
    assert plan.recurrence_note == ""
    assert plan.precautions == "hypermobility"
    scm = plan.items.get(trigger_point__muscle__name="Sternocleidomastoid")
    assert "main neck artery" in scm.cautions and "hypermobility" in scm.precaution_note
    assert 1 <= plan.items.exclude(priority=None).count() <= 6
    assert maria.clinic.phone
    assert maria.precautions.filter(unchanged=True).count() == 4


def test_demo_record_shows_a_cross_check_answered_and_sessions_rescreened(settings) -> None:  # noqa: ANN001
    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    maria = Patient.objects.get(clinic__name="Demo Clinic")
    assessment = maria.assessments.get()
    response = assessment.cross_check_responses.get()
    assert (response.key, response.response) == ("nijmegen-chest", "acted")
    assert all(s.screening.answers.exists() for s in maria.sessions.all())
    assert not maria.screenings.unresolved().exists()


def test_demo_plan_postural_items_each_name_a_measured_finding(settings) -> None:  # noqa: ANN001
    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    maria = Patient.objects.get(clinic__name="Demo Clinic")
    assessment = maria.assessments.get()
    assert assessment.movement_results.count() == 8
    assert sum(s.movement_results.count() for s in maria.sessions.all()) == 11
    plan = assessment.plans.get()
    postural = list(plan.items.filter(strand="postural"))
    assert postural and all(item.rationale.startswith("Measured: ") for item in postural)
    version = plan.versions.get().content
    assert "Single-leg bridge hold, left: 18 s → 31 s (aim: 30 s or more)" in version["tests"]

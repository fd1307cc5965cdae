"""Intake and red-flag screening: red flags come before any myofascial explanation."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients import services
from patients.models import Assessment, CrossCheckResponse, Screening, TreatmentSession
from patients.red_flags import load

from ..factories import (
    MeasuresFactory,
    PainMarkFactory,
    PatientFactory,
    screen_red_flags,
)

pytestmark = pytest.mark.django_db

ALL_NO = {item.key: "no" for item in load().asked()}


def url(name: str, a: Assessment) -> str:
    return reverse(f"patients:{name}", args=[a.patient_id, a.pk])


def fresh(a: Assessment) -> Assessment:
    return Assessment.objects.select_related("screening").get(pk=a.pk)


def screen_post(version: int = 0, reason: str = "", **yes: str) -> dict:
    return {**ALL_NO, **yes, "version": version, "reason": reason}


def test_create_assessment_then_go_to_screening(therapist_client: Client, patient) -> None:  # noqa: ANN001
    response = therapist_client.post(
        reverse("patients:assessment_create", args=[patient.pk]),
        {
            "assessed_on": "2026-11-20",
            "chief_complaint": "Neck ache",
            "onset": "sudden",
            "onset_date": "2026-11-01",
            "stress": 6,
        },
    )
    assessment = patient.assessments.get()
    assert response.url == url("red_flags", assessment)
    assert assessment.red_flag_status == "not_screened"
    assert not assessment.shows_myofascial_explanations


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("stress", "11", "Stress is scored from 0 to 10."),
        ("assessed_on", "2999-01-01", "The assessment date can&#x27;t be in the future."),
        ("onset_date", "2999-01-01", "The onset date can&#x27;t be in the future."),
        ("chief_complaint", "", "This field is required."),
    ],
)
def test_invalid_intake_is_shown_at_the_field(
    therapist_client: Client,
    patient,
    field: str,
    value: str,
    message: str,  # noqa: ANN001
) -> None:
    data = {
        "assessed_on": "2026-11-20",
        "chief_complaint": "Neck ache",
        "onset": "gradual",
        field: value,
    }
    response = therapist_client.post(reverse("patients:assessment_create", args=[patient.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not patient.assessments.exists()


def test_screening_with_no_flags_allows_explanations(
    therapist_client: Client, assessment: Assessment
) -> None:
    response = therapist_client.post(url("red_flags", assessment), screen_post())
    assert response.status_code == HTTPStatus.FOUND
    a = fresh(assessment)
    assert a.screening.answers.count() == len(ALL_NO)
    assert a.red_flag_status == "clear" and a.shows_myofascial_explanations


def test_unanswered_question_is_refused_and_nothing_saved(
    therapist_client: Client, assessment: Assessment
) -> None:
    data = {k: v for k, v in screen_post().items() if k != "cardiac-chest-pain"}
    response = therapist_client.post(url("red_flags", assessment), data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["cardiac-chest-pain"] == ["Answer yes or no."]
    assert not Screening.objects.exists()


def test_positive_flag_warns_and_holds_back_explanations_until_decided(
    therapist_client: Client,
    therapist,
    assessment: Assessment,  # noqa: ANN001
) -> None:
    therapist_client.post(url("red_flags", assessment), screen_post(**{"calf-swelling": "yes"}))
    a = fresh(assessment)
    assert a.red_flag_status == "unresolved" and not a.shows_myofascial_explanations
    page = therapist_client.get(url("assessment", assessment)).content.decode()
    assert "Emergency: arrange emergency care now." in page
    assert "What to do: Possible deep-vein thrombosis" in page
    assert "Record your decision" in page
    decide = reverse("patients:screening_decision", args=[a.patient_id, a.screening.pk])

    # A decision needs a note.
    response = therapist_client.post(decide, {"decision": "cleared", "note": "", "version": 1})
    assert "Write a note that explains the decision." in response.content.decode()
    assert not fresh(assessment).shows_myofascial_explanations

    therapist_client.post(
        decide, {"decision": "referred_out", "note": "Sent to ED by ambulance.", "version": 1}
    )
    a = fresh(assessment)
    assert a.red_flag_status == "resolved" and a.shows_myofascial_explanations
    assert a.screening.decided_by == therapist
    assert a.screening.history.first().decision == "referred_out"  # who decided is recorded


@pytest.mark.parametrize(
    ("yes", "holds"),
    [
        ({"heart-disease": "yes"}, False),  # note and monitor
        ({"low-mood": "yes", "work-worries": "yes"}, False),  # yellow flags
        ({"weight-loss": "yes"}, True),  # soon
        ({"fever": "yes"}, True),  # urgent
    ],
)
def test_only_emergency_urgent_and_soon_hold_back(
    therapist_client: Client, assessment: Assessment, yes: dict, holds: bool
) -> None:
    therapist_client.post(url("red_flags", assessment), screen_post(**yes))
    assert fresh(assessment).shows_myofascial_explanations is not holds


def test_new_holding_finding_after_a_decision_needs_a_new_decision(
    therapist: object, assessment: Assessment
) -> None:
    screening = screen_red_flags(assessment, yes=("calf-swelling",))
    screening = services.screening_decide(
        screening=screening,
        decision="referred_out",
        note="Sent to ED.",
        by=therapist,
        expected_version=screening.version,
    )
    assert fresh(assessment).shows_myofascial_explanations
    screening = screen_red_flags(fresh(assessment), yes=("calf-swelling", "fever"))
    assert screening.status == "unresolved" and screening.decision == ""


def test_second_of_two_open_forms_is_refused_and_the_positive_answer_kept(
    therapist_client: Client, colleague_client: Client, assessment: Assessment
) -> None:
    """The lost update of the review: two forms opened on the same screening."""
    form_a = therapist_client.get(url("red_flags", assessment)).context["form"]
    form_b = colleague_client.get(url("red_flags", assessment)).context["form"]
    assert form_a["version"].value() == form_b["version"].value() == 0
    therapist_client.post(url("red_flags", assessment), screen_post(**{"saddle-numbness": "yes"}))
    response = colleague_client.post(url("red_flags", assessment), screen_post())
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this screening after you opened it" in response.content.decode()
    assert response.context["form"]["saddle-numbness"].value() == "no"  # the typing is kept
    a = fresh(assessment)
    assert a.screening.answers.get(flag="saddle-numbness").present
    assert a.red_flag_status == "unresolved" and not a.shows_myofascial_explanations


def test_second_of_two_open_decision_forms_is_refused(
    therapist_client: Client, colleague_client: Client, assessment: Assessment, therapist
) -> None:  # noqa: ANN001
    screening = screen_red_flags(assessment, yes=("fever",))
    decide = reverse("patients:screening_decision", args=[assessment.patient_id, screening.pk])
    version = screening.version
    therapist_client.post(
        decide, {"decision": "referred_out", "note": "GP seeing her today.", "version": version}
    )
    response = colleague_client.post(
        decide, {"decision": "cleared", "note": "Looks fine to me.", "version": version}
    )
    assert "Read the red flags again before deciding" in response.content.decode()
    assert "Looks fine to me." in response.content.decode()
    screening.refresh_from_db()
    assert (screening.decision, screening.decided_by) == ("referred_out", therapist)


def test_a_decision_on_answers_changed_since_is_refused(
    therapist_client: Client, assessment: Assessment
) -> None:
    screening = screen_red_flags(assessment, yes=("fever",))
    opened = screening.version
    screen_red_flags(fresh(assessment), yes=("fever", "calf-swelling"))
    decide = reverse("patients:screening_decision", args=[assessment.patient_id, screening.pk])
    therapist_client.post(decide, {"decision": "cleared", "note": "Fine.", "version": opened})
    assert fresh(assessment).red_flag_status == "unresolved"


def test_changing_a_yes_to_no_needs_a_reason_kept_in_the_history(
    therapist_client: Client, assessment: Assessment
) -> None:
    therapist_client.post(url("red_flags", assessment), screen_post(**{"fever": "yes"}))
    response = therapist_client.post(url("red_flags", assessment), screen_post(version=1))
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["reason"]
    assert fresh(assessment).screening.answers.get(flag="fever").present

    reason = "Misheard: the fever was last month, none since."
    therapist_client.post(url("red_flags", assessment), screen_post(version=1, reason=reason))
    answer = fresh(assessment).screening.answers.get(flag="fever")
    assert not answer.present
    latest = answer.history.first()
    assert latest.history_change_reason == reason and latest.history_user is not None
    page = therapist_client.get(url("red_flags", assessment)).content.decode()
    assert reason in page


def test_session_rescreen_with_a_new_positive_holds_back_again(
    therapist_client: Client, assessment: Assessment, therapist
) -> None:  # noqa: ANN001
    screen_red_flags(assessment)
    PainMarkFactory(assessment=assessment, region_id="post.back.low.l")
    assert fresh(assessment).shows_myofascial_explanations
    create = reverse("patients:session_create", args=[assessment.patient_id])
    form = therapist_client.get(create).context["rescreen"]
    asked = {item.key for item in form.items}
    assert "saddle-numbness" in asked  # low back pain brings the cauda equina questions
    assert "cancer-history" not in asked  # history is not asked again
    data = {f"rescreen-{key}": "yes" if key == "bladder-change" else "no" for key in asked}
    data.update(
        {
            "session_date": "2026-11-16",
            "pre_nprs": "5",
            "adherence": "not_set",
            "precautions-confirm": "unchanged",
            "treated-TOTAL_FORMS": "0",
            "treated-INITIAL_FORMS": "0",
            "treated-MIN_NUM_FORMS": "0",
            "treated-MAX_NUM_FORMS": "40",
        }
    )
    response = therapist_client.post(create, data)
    session = TreatmentSession.objects.get()
    assert response.url == session.get_absolute_url()
    screening = session.screening
    assert screening.answers.count() == len(asked) and screening.holds_back
    assert not fresh(assessment).shows_myofascial_explanations
    page = therapist_client.get(url("assessment", assessment)).content.decode()
    assert "is waiting for a decision" in page and "Candidate trigger points" in page
    again = therapist_client.get(url("assessment", assessment)).content.decode()
    assert "hypotheses to confirm by palpation" not in again  # no ranking while a flag waits

    services.screening_decide(
        screening=screening,
        decision="referred_out",
        note="ED today.",
        by=therapist,
        expected_version=screening.version,
    )
    assert fresh(assessment).shows_myofascial_explanations


def test_session_rescreen_question_left_unanswered_saves_nothing(
    therapist_client: Client, assessment: Assessment
) -> None:
    screen_red_flags(assessment)
    create = reverse("patients:session_create", args=[assessment.patient_id])
    response = therapist_client.post(
        create,
        {
            "session_date": "2026-11-16",
            "pre_nprs": "5",
            "adherence": "not_set",
            "treated-TOTAL_FORMS": "0",
            "treated-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["rescreen"].errors["fever"] == ["Answer yes or no."]
    assert not TreatmentSession.objects.exists()


def test_cross_check_prompts_and_records_the_response(
    therapist_client: Client, assessment: Assessment, therapist
) -> None:  # noqa: ANN001
    screen_red_flags(assessment)
    MeasuresFactory(assessment=assessment, nijmegen=[3] + [0] * 15)
    page = therapist_client.get(url("assessment", assessment)).content.decode()
    assert "Chest symptoms on the Nijmegen questionnaire" in page
    post = reverse(
        "patients:cross_check", args=[assessment.patient_id, assessment.pk, "nijmegen-chest"]
    )
    response = therapist_client.post(post, {"response": "acted", "note": ""})
    assert "Write what you did" in response.content.decode()
    note = "Asked again: chest pain only when pressing the pectoral trigger point."
    therapist_client.post(post, {"response": "acted", "note": note})
    therapist_client.post(post, {"response": "acknowledged", "note": "double submit"})
    row = CrossCheckResponse.objects.get()
    assert (row.response, row.note, row.by) == ("acted", note, therapist)
    page = therapist_client.get(url("assessment", assessment)).content.decode()
    assert note in page


@pytest.mark.parametrize("name", ["assessment", "red_flags"])
def test_assessment_pages_are_404_for_other_clinic(
    stranger_client: Client, assessment: Assessment, name: str
) -> None:
    assert stranger_client.get(url(name, assessment)).status_code == HTTPStatus.NOT_FOUND


def test_decision_is_404_for_other_clinic(stranger_client: Client, assessment) -> None:  # noqa: ANN001
    screening = screen_red_flags(assessment, yes=("fever",))
    response = stranger_client.post(
        reverse("patients:screening_decision", args=[assessment.patient_id, screening.pk]),
        {"decision": "cleared", "note": "x", "version": 1},
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert fresh(assessment).red_flag_status == "unresolved"


@pytest.mark.parametrize("name", ["assessment", "red_flags"])
def test_assessment_pages_need_login(client: Client, assessment: Assessment, name: str) -> None:
    assert client.get(url(name, assessment)).url.startswith(reverse("login"))


def test_assessment_detail_refuses_post_and_decision_refuses_get(
    therapist_client: Client, assessment: Assessment
) -> None:
    screening = screen_red_flags(assessment, yes=("fever",))
    decide = reverse("patients:screening_decision", args=[assessment.patient_id, screening.pk])
    assert therapist_client.post(url("assessment", assessment)).status_code == 405
    assert therapist_client.get(decide).status_code == 405


def test_assessment_of_another_patient_path_is_404(
    therapist_client: Client,
    assessment: Assessment,
    clinic,  # noqa: ANN001
) -> None:
    other = PatientFactory(clinic=clinic)
    response = therapist_client.get(reverse("patients:assessment", args=[other.pk, assessment.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("positives", [1, 20])
def test_assessment_detail_query_count(
    therapist_client: Client,
    assessment: Assessment,
    positives: int,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    yes = tuple(item.key for item in load().asked())[:positives]
    screen_red_flags(assessment, yes=yes)
    MeasuresFactory(assessment=assessment, nijmegen=[4] * 16)
    PainMarkFactory(assessment=assessment, region_id="lat.hand.l", quality="tingling")
    # session, user, assessment (patient, therapist), the catalogue's version token; drawing
    # the record part: the assessment again (screening), answers; screenings holding back;
    # pain marks, region labels (no ranking over an unresolved flag); palpated points,
    # postural observations, measures, PSFS activities; plans; cross-check responses; the
    # movement screen: tests, results, precautions
    with django_assert_max_num_queries(19):  # + the access-log row
        response = therapist_client.get(url("assessment", assessment))
    with django_assert_max_num_queries(5):  # again: the record part is kept
        therapist_client.get(url("assessment", assessment))
    page = response.content.decode()
    assert "hypotheses to confirm by palpation" not in page  # no ranking over the flag
    assert page.count('id="cross-checks"') == 1 and page.count("card-body py-2") == 2

"""Record stamps (patients.stamps): every write to any part of a patient's record gives the
record a new stamp, made by database triggers so no way of writing can miss it, and the parts
of record pages kept under the stamp are never shown after the record changed."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AccessEvent
from patients import stamps
from patients.models import (
    Assessment,
    Patient,
    RecordStamp,
    RedFlagAnswer,
    Screening,
    TreatmentSession,
    User,
)
from plans.models import PlanItem

from ..factories import (
    AssessmentFactory,
    PainMarkFactory,
    PatientFactory,
    PlanFactory,
    PlanItemFactory,
    TreatmentSessionFactory,
    intake_screening,
)

pytestmark = pytest.mark.django_db


def stamp_of(patient: Patient) -> str:
    return RecordStamp.objects.get(patient=patient).stamp


def test_every_table_of_a_record_has_its_trigger_in_the_database() -> None:
    tables = {s.table for s in stamps.stamped()}
    # The tables record pages draw from, one, two and three steps from the patient.
    assert {
        "patients_patient",
        "patients_assessment",
        "patients_treatmentsession",
        "patients_palpatedtriggerpoint",
        "patients_treatedpoint",
        "patients_redflaganswer",
        "patients_precautionprofile",
        "plans_plan",
        "plans_planitem",
        "portal_diaryday",
        "portal_diarytick",
    } <= tables
    assert "audit_accessevent" not in tables  # every view writes one
    assert not any("historical" in t for t in tables)  # written with the row they copy
    assert stamps.trigger_names(connection.vendor) <= stamps.installed_triggers()


def test_the_check_names_a_missing_trigger() -> None:
    from patients.apps import _check_stamps

    assert _check_stamps(databases=["default"]) == []
    name = sorted(stamps.trigger_names(connection.vendor))[0]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = next(s.table for s in stamps.stamped() if s.name == name)
            cursor.execute(f"DROP TRIGGER {name} ON {table}")
        else:
            cursor.execute(f"DROP TRIGGER {name}")
    [warning] = _check_stamps(databases=["default"])
    assert name in warning.msg
    stamps.install()
    stamps.immediately()
    assert _check_stamps(databases=["default"]) == []


def test_a_new_patient_gets_a_stamp(patient: Patient) -> None:
    assert len(stamp_of(patient)) == 32


def _create_assessment(patient: Patient, therapist: User) -> None:
    AssessmentFactory(patient=patient, therapist=therapist)


def _update_without_save(patient: Patient, therapist: User) -> None:
    TreatmentSession.objects.filter(patient=patient).update(pre_nprs=1)


def _raw_sql(patient: Patient, therapist: User) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE patients_treatmentsession SET post_nprs = 0 WHERE patient_id = %s",
            [patient.pk],
        )


def _delete_a_pain_mark(patient: Patient, therapist: User) -> None:
    patient.assessments.first().pain_marks.all().delete()


def _answer_a_red_flag(patient: Patient, therapist: User) -> None:  # two steps: screening
    screening = Screening.objects.get(patient=patient)
    RedFlagAnswer.objects.create(screening=screening, flag="cancer", present=False)


def _change_a_plan_item(patient: Patient, therapist: User) -> None:  # two steps: plan
    PlanItem.objects.filter(plan__patient=patient).update(dosage="3 × 30 s, twice a day")


def _edit_the_patient(patient: Patient, therapist: User) -> None:
    Patient.objects.filter(pk=patient.pk).update(phone="01234 567890")


@pytest.mark.parametrize(
    "write",
    [
        _create_assessment,
        _update_without_save,
        _raw_sql,
        _delete_a_pain_mark,
        _answer_a_red_flag,
        _change_a_plan_item,
        _edit_the_patient,
    ],
)
def test_any_write_to_the_record_changes_its_stamp(
    write: Callable[[Patient, User], None], patient: Patient, therapist: User
) -> None:
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    PainMarkFactory(assessment=assessment)
    intake_screening(assessment)
    TreatmentSessionFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=PlanFactory(patient=patient, assessment=assessment))
    other = PatientFactory(clinic=patient.clinic)
    before, other_before = stamp_of(patient), stamp_of(other)
    write(patient, therapist)
    assert stamp_of(patient) != before
    assert stamp_of(other) == other_before  # only this patient's record changed


def test_viewing_a_record_does_not_change_its_stamp(
    patient: Patient, therapist_client: Client
) -> None:
    before = stamp_of(patient)
    therapist_client.get(patient.get_absolute_url())
    assert AccessEvent.objects.filter(patient=patient).exists()  # the view was recorded
    assert stamp_of(patient) == before


def test_a_therapists_new_name_changes_their_clinics_stamps_and_a_login_does_not(
    patient: Patient, therapist: User
) -> None:
    before = stamp_of(patient)
    User.objects.filter(pk=therapist.pk).update(last_login=timezone.now())
    assert stamp_of(patient) == before
    therapist.last_name = "Renamed"
    therapist.save()
    assert stamp_of(patient) != before


def _page(client: Client, patient: Patient) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(patient.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_patient_page_is_drawn_once_and_again_after_any_change(
    patient: Patient, therapist: User, therapist_client: Client
) -> None:
    TreatmentSessionFactory(patient=patient, therapist=therapist, pre_nprs=6)
    first, drawn = _page(therapist_client, patient)
    assert "pain 6" in first
    again, kept = _page(therapist_client, patient)
    assert again == first.replace(_csrf(first), _csrf(again))
    assert kept <= drawn - 5  # the record's lists and course were not read again
    # A change that no service made (a bulk update) is on the next view.
    TreatmentSession.objects.filter(patient=patient).update(pre_nprs=2)
    changed, drawn_again = _page(therapist_client, patient)
    assert "pain 2" in changed and "pain 6" not in changed
    assert drawn_again == drawn


def _csrf(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_what_is_kept_holds_nothing_of_the_user(
    patient: Patient, therapist: User, colleague: User, colleague_client: Client
) -> None:
    """The colleague's view is served what the therapist's drew: it has no CSRF token, name
    or permission of either in it, only the forms outside it."""
    therapist_client = Client()
    therapist_client.force_login(therapist)
    TreatmentSessionFactory(patient=patient, therapist=therapist)
    first, _ = _page(therapist_client, patient)
    key = stamps.record_key(Patient.objects.select_related("stamp").get(pk=patient.pk))
    kept, _ = stamps._fragments.get(("patient", *key), lambda: pytest.fail("not kept"))
    assert "csrfmiddlewaretoken" not in kept and "<form" not in kept
    second, _ = _page(colleague_client, patient)
    assert kept in first and kept in second


def test_a_stamp_not_read_with_the_patient_keeps_nothing(patient: Patient) -> None:
    """Read after the patient's row, a stamp could be newer than what was drawn from it."""
    loaded = Patient.objects.get(pk=patient.pk)
    assert stamps.record_key(loaded) is None
    calls = []
    stamps.record_fragment(loaded, "patient", lambda: calls.append(1) or "")
    stamps.record_fragment(loaded, "patient", lambda: calls.append(1) or "")
    assert calls == [1, 1]


def test_a_patient_without_a_stamp_is_drawn_every_time(patient: Patient) -> None:
    RecordStamp.objects.filter(patient=patient).delete()
    loaded = Patient.objects.select_related("stamp").get(pk=patient.pk)
    assert stamps.record_key(loaded) is None
    stamps.install()  # migrate gives every patient without one a stamp
    stamps.immediately()
    assert len(stamp_of(patient)) == 32


def test_assessment_rows_carry_their_patient_stamp_path() -> None:
    [assessment] = [s for s in stamps.stamped() if s.table == Assessment._meta.db_table]
    assert assessment.patient_id("NEW") == "NEW.patient_id"
    [item] = [s for s in stamps.stamped() if s.table == PlanItem._meta.db_table]
    assert "plans_plan" in item.patient_id("OLD") and "OLD.plan_id" in item.patient_id("OLD")


def test_forms_in_a_kept_part_carry_each_users_own_csrf_token(
    assessment: Assessment, therapist: User, colleague: User
) -> None:
    """The assessment page's record part has forms (the screening decision, findings'
    remove buttons): kept with a placeholder, sent with the token of the user who asked."""
    from common.kept import CSRF_PLACEHOLDER

    intake_screening(assessment)
    pages = []
    for user in (therapist, colleague):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        response = client.get(assessment.get_absolute_url())
        page = response.content.decode()
        assert CSRF_PLACEHOLDER not in page
        pages.append((page, response.cookies["csrftoken"].value))
    key = stamps.record_key(Patient.objects.select_related("stamp").get(pk=assessment.patient_id))
    kept, _ = stamps._fragments.get((f"assessment {assessment.pk}", *key), lambda: ("", None))
    assert CSRF_PLACEHOLDER in kept  # the colleague was served the therapist's drawing
    assert _csrf(pages[0][0]) != _csrf(pages[1][0])


def test_the_assessment_and_plan_pages_show_a_change_at_once(
    assessment: Assessment, therapist: User, therapist_client: Client
) -> None:
    plan = PlanFactory(patient=assessment.patient, assessment=assessment)
    item = PlanItemFactory(plan=plan, dosage="2 × 30 s")
    assert "2 × 30 s" in therapist_client.get(plan.get_absolute_url()).content.decode()
    PlanItem.objects.filter(pk=item.pk).update(dosage="5 × 90 s")
    page = therapist_client.get(plan.get_absolute_url()).content.decode()
    assert "5 × 90 s" in page and "2 × 30 s" not in page
    therapist_client.get(assessment.get_absolute_url())
    Assessment.objects.filter(pk=assessment.pk).update(chief_complaint="Jaw ache on waking")
    page = therapist_client.get(assessment.get_absolute_url()).content.decode()
    assert "Jaw ache on waking" in page


def test_a_session_re_test_changes_the_stamp_through_its_session(
    patient: Patient, therapist: User
) -> None:
    """A movement result belongs to an assessment or (a re-test) to a session: the trigger
    follows whichever is set."""
    from patients.models import MovementResult
    from triggerpoints.models import MovementTest

    session = TreatmentSessionFactory(patient=patient, therapist=therapist)
    test = MovementTest.objects.filter(sided=False).first()
    before = stamp_of(patient)
    MovementResult.objects.create(session=session, test=test, value=test.value_min)
    assert stamp_of(patient) != before


def test_a_row_moved_to_another_record_changes_both_stamps(
    patient: Patient, therapist: User
) -> None:
    other = PatientFactory(clinic=patient.clinic)
    session = TreatmentSessionFactory(patient=patient, therapist=therapist)
    before, other_before = stamp_of(patient), stamp_of(other)
    TreatmentSession.objects.filter(pk=session.pk).update(patient=other)
    assert stamp_of(patient) != before  # it no longer shows the session
    assert stamp_of(other) != other_before


def test_a_rename_changes_every_record_the_person_may_appear_on(
    patient: Patient, therapist: User, stranger: User
) -> None:
    elsewhere = PatientFactory(clinic=stranger.clinic)
    before = stamp_of(elsewhere)
    therapist.first_name = "Teresa"
    therapist.save()
    assert stamp_of(elsewhere) != before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers wait for commit there")
def test_nothing_drawn_inside_a_transaction_is_kept_while_its_stamps_wait_for_commit(
    patient: Patient,
) -> None:
    loaded = Patient.objects.select_related("stamp").get(pk=patient.pk)
    assert stamps.record_key(loaded) is not None
    connection.stamps_immediate = False  # as outside tests: triggers at commit
    try:
        assert stamps.record_key(loaded) is None
    finally:
        connection.stamps_immediate = True


def test_only_our_triggers_are_taken_for_stamp_triggers() -> None:
    """Another trigger whose name merely starts like ours is neither counted nor dropped."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION stampede() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ BEGIN RETURN NULL; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER stampede AFTER INSERT ON patients_clinic "
                "FOR EACH ROW EXECUTE FUNCTION stampede()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER stampede AFTER INSERT ON patients_clinic BEGIN SELECT 1; END"
            )
    assert "stampede" not in stamps.installed_triggers()
    stamps.install()
    stamps.immediately()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'stampede'")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'stampede'")
        assert cursor.fetchone()[0] == 1

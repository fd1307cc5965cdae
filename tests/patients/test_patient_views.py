"""The patient record: clinic scoping, archive instead of delete, history, edit conflicts."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient

from ..factories import (
    AssessmentFactory,
    ClinicFactory,
    PalpatedTriggerPointFactory,
    PatientFactory,
    PlanVersionFactory,
    RedFlagAnswerFactory,
    SessionAmendmentFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]

VALID = {
    "first_name": "Maria",
    "last_name": "Keane",
    "date_of_birth": "1979-03-14",
    "sex": "female",
    "email": "maria@example.org",
    "phone": "",
    "address": "",
    "occupation": "Bookkeeper",
    "activities": ["desk_work", "phone"],
    "activities_notes": "",
    "consent_treatment": "on",
    "consent_treatment_date": "2026-11-02",
    "consent_data": "on",
    "consent_data_date": "2026-11-02",
}


def current_version(patient: Patient) -> int:
    return Patient.objects.get(pk=patient.pk).version


def urls(patient: Patient) -> dict[str, str]:
    return {
        "detail": reverse("patients:detail", args=[patient.pk]),
        "edit": reverse("patients:edit", args=[patient.pk]),
        "archive": reverse("patients:archive", args=[patient.pk]),
        "restore": reverse("patients:restore", args=[patient.pk]),
    }


@pytest.mark.parametrize("name", ["detail", "edit", "archive", "restore"])
def test_other_clinic_gets_404(stranger_client: Client, patient: Patient, name: str) -> None:
    url = urls(patient)[name]
    response = (
        stranger_client.get(url) if name in {"detail", "edit"} else (stranger_client.post(url))
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    patient.refresh_from_db()
    assert not patient.is_archived


def test_list_shows_only_own_clinic(therapist_client: Client, patient: Patient) -> None:
    PatientFactory(first_name="Other", last_name="Clinic")
    response = therapist_client.get(reverse("patients:list"))
    assert [p.pk for p in response.context["page"].object_list] == [patient.pk]


def test_colleague_in_same_clinic_sees_patient(colleague, patient: Patient) -> None:  # noqa: ANN001
    client = Client()
    client.force_login(colleague)
    assert client.get(urls(patient)["detail"]).status_code == HTTPStatus.OK


def test_user_without_clinic_sees_no_patients(editor_client: Client, patient: Patient) -> None:
    assert editor_client.get(urls(patient)["detail"]).status_code == HTTPStatus.NOT_FOUND
    assert not editor_client.get(reverse("patients:list")).context["page"].object_list


def test_list_search_by_name_and_pagination(therapist_client: Client, clinic) -> None:  # noqa: ANN001
    PatientFactory.create_batch(30, clinic=clinic, last_name="Smith")
    PatientFactory(clinic=clinic, first_name="Aoife", last_name="Byrne")
    response = therapist_client.get(reverse("patients:list"), {"q": "aoife byr"})
    assert [p.full_name for p in response.context["page"].object_list] == ["Aoife Byrne"]
    first = therapist_client.get(reverse("patients:list"))
    assert len(first.context["page"].object_list) == 25
    second = therapist_client.get(reverse("patients:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 6


def test_list_query_count_does_not_grow(
    therapist_client: Client,
    clinic,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    PatientFactory.create_batch(40, clinic=clinic)
    # session, user (with clinic), the page of patients (no count), the access-log row
    with django_assert_max_num_queries(4):
        therapist_client.get(reverse("patients:list"))


def test_detail_query_count(
    therapist_client: Client,
    therapist,  # noqa: ANN001
    patient: Patient,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    for _ in range(4):
        assessment = AssessmentFactory(patient=patient)
        RedFlagAnswerFactory(assessment=assessment)
        session = TreatmentSessionFactory(
            patient=patient, signed_at=timezone.now(), signed_by=therapist
        )
        SessionAmendmentFactory(session=session)
        PlanVersionFactory(plan__assessment=assessment)
        PalpatedTriggerPointFactory(assessment=assessment)
        TreatedPointFactory(session=session, status="latent")
    # session, user (with clinic), patient (with clinic and creator), assessments, answers,
    # treatment sessions (with therapist and amendment count), plans (with assessment); each
    # point's course: palpated points, treated points, sessions, assessment NPRS; the current
    # precaution profile
    with django_assert_max_num_queries(13):  # + the access-log row
        response = therapist_client.get(urls(patient)["detail"])
    page = response.content.decode()
    assert page.count("version 1 issued") == 4
    assert "Maria Keane" in page
    assert len(response.context["assessments"]) == 4
    assert len(response.context["sessions"]) == 4
    assert page.count("Signed, 1 amendment") == 4
    assert "Trigger points across visits" in page


def test_create_patient(therapist_client: Client, therapist) -> None:  # noqa: ANN001
    response = therapist_client.post(reverse("patients:create"), VALID)
    patient = Patient.objects.get(last_name="Keane")
    assert response.status_code == HTTPStatus.FOUND and response.url == urls(patient)["detail"]
    assert patient.clinic == therapist.clinic and patient.created_by == therapist
    assert patient.activities == ["desk_work", "phone"]
    assert patient.history.get().history_user == therapist


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2999-01-01", "The date of birth can&#x27;t be in the future."),
        ("consent_treatment_date", "", "Give the date consent was given."),
        ("consent_data_date", "2999-01-01", "A consent date can&#x27;t be in the future."),
        ("activities", ["flying"], "Select a valid choice. flying is not one of the"),
        ("first_name", "", "This field is required."),
    ],
)
def test_invalid_patient_is_shown_at_the_field_and_not_saved(
    therapist_client: Client, field: str, value: object, message: str
) -> None:
    response = therapist_client.post(reverse("patients:create"), {**VALID, field: value})
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert not Patient.objects.exists()


def test_edit_records_who_changed_what(therapist_client: Client, therapist, patient) -> None:  # noqa: ANN001
    form = therapist_client.get(urls(patient)["edit"]).context["form"]
    data = {**VALID, "occupation": "Nurse", "version": form["version"].value()}
    response = therapist_client.post(urls(patient)["edit"], data)
    assert response.status_code == HTTPStatus.FOUND
    patient.refresh_from_db()
    assert patient.occupation == "Nurse" and patient.version == 2
    latest = patient.history.first()
    assert latest.history_user == therapist and latest.occupation == "Nurse"
    assert latest.prev_record.occupation == "Accountant"


def test_later_save_over_newer_version_is_refused_and_nothing_lost(
    therapist_client: Client,
    colleague,
    patient: Patient,  # noqa: ANN001
) -> None:
    opened = therapist_client.get(urls(patient)["edit"]).context["form"]["version"].value()
    other = Client()
    other.force_login(colleague)
    other.post(urls(patient)["edit"], {**VALID, "phone": "0871234567", "version": opened})
    response = therapist_client.post(
        urls(patient)["edit"], {**VALID, "occupation": "Nurse", "version": opened}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this patient" in response.content.decode()
    assert response.context["form"]["occupation"].value() == "Nurse"  # the typing survives
    patient.refresh_from_db()
    # The colleague's save stands; the refused one changed nothing.
    assert (patient.phone, patient.occupation, patient.version) == ("0871234567", "Bookkeeper", 2)


def test_archive_keeps_the_record(therapist_client: Client, patient: Patient) -> None:
    response = therapist_client.post(
        urls(patient)["archive"], {"version": current_version(patient)}
    )
    assert response.status_code == HTTPStatus.FOUND
    patient.refresh_from_db()
    assert patient.is_archived
    active = therapist_client.get(reverse("patients:list")).context["page"].object_list
    assert patient not in active
    archived = therapist_client.get(reverse("patients:list"), {"archived": "on"})
    assert patient in archived.context["page"].object_list
    therapist_client.post(urls(patient)["restore"], {"version": current_version(patient)})
    patient.refresh_from_db()
    assert not patient.is_archived


@pytest.mark.parametrize("name", ["archive", "restore"])
def test_archive_and_restore_need_post(therapist_client: Client, patient, name) -> None:  # noqa: ANN001
    response = therapist_client.get(urls(patient)[name])
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_detail_refuses_post(therapist_client: Client, patient: Patient) -> None:
    assert therapist_client.post(urls(patient)["detail"]).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )


def test_nobody_can_delete_a_patient_in_admin(admin_client: Client, patient: Patient) -> None:
    url = reverse("admin:patients_patient_delete", args=[patient.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert Patient.objects.filter(pk=patient.pk).exists()


def test_age_counts_birthdays() -> None:
    patient = Patient(date_of_birth=datetime.date(1980, 6, 15))
    assert patient.age(on=datetime.date(2026, 6, 14)) == 45
    assert patient.age(on=datetime.date(2026, 6, 15)) == 46


def test_edit_form_shows_saved_dates_to_the_browser_date_picker(
    therapist_client: Client, patient: Patient
) -> None:
    # <input type="date"> only accepts ISO values; a localised 02/03/1984 would show as empty.
    page = therapist_client.get(urls(patient)["edit"]).content.decode()
    assert f'value="{patient.date_of_birth.isoformat()}"' in page
    assert 'name="consent_treatment_date" value="2026-01-05"' in page


def test_archived_record_is_read_only_until_restored(
    therapist_client: Client, patient: Patient
) -> None:
    assessment = AssessmentFactory(patient=patient)
    session = TreatmentSessionFactory(patient=patient)
    therapist_client.post(urls(patient)["archive"], {"version": current_version(patient)})
    for page in (
        urls(patient)["detail"],
        assessment.get_absolute_url(),
        session.get_absolute_url(),
        reverse("patients:progress", args=[patient.pk]),
    ):
        assert therapist_client.get(page).status_code == HTTPStatus.OK, page
    # ... and offer no way to change anything.
    page = therapist_client.get(assessment.get_absolute_url()).content.decode()
    assert "archived: read-only" in page
    for name in ("pain", "red_flags", "palpation_create", "posture_create", "measures"):
        assert reverse(f"patients:{name}", args=[patient.pk, assessment.pk]) not in page, name
    page = therapist_client.get(session.get_absolute_url()).content.decode()
    assert reverse("patients:session_edit", args=[patient.pk, session.pk]) not in page
    for form in (
        urls(patient)["edit"],
        reverse("patients:assessment_create", args=[patient.pk]),
        reverse("patients:pain", args=[patient.pk, assessment.pk]),
        reverse("patients:session_edit", args=[patient.pk, session.pk]),
    ):
        response = therapist_client.get(form)
        assert response.status_code == HTTPStatus.FORBIDDEN, form
        assert "archived and read-only" in response.content.decode()
    response = therapist_client.post(
        reverse("patients:assessment_create", args=[patient.pk]),
        {"assessed_on": "2026-11-02", "chief_complaint": "Neck", "onset": "gradual"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert patient.assessments.count() == 1
    therapist_client.post(urls(patient)["restore"], {"version": current_version(patient)})
    assert therapist_client.get(urls(patient)["edit"]).status_code == HTTPStatus.OK


def test_clinic_admin_sees_the_clinic_patients_and_editor_sees_none(
    clinic_admin_client: Client, editor_client: Client, patient: Patient
) -> None:
    assert clinic_admin_client.get(urls(patient)["detail"]).status_code == HTTPStatus.OK
    assert "Keane" in clinic_admin_client.get(reverse("patients:list")).content.decode()
    assert editor_client.get(urls(patient)["detail"]).status_code == HTTPStatus.NOT_FOUND
    assert "Keane" not in editor_client.get(reverse("patients:list")).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/patients/99999999999999999999/",
        "/patients/9223372036854775808/assessments/1/",
        "/plans/18446744073709551616/",
    ],
)
def test_an_id_beyond_64_bits_is_404_not_a_server_error(
    therapist_client: Client, path: str
) -> None:
    assert therapist_client.get(path).status_code == HTTPStatus.NOT_FOUND


def test_superuser_reads_patients_in_admin_but_cannot_change_or_revert(
    superuser,
    patient,  # noqa: ANN001
) -> None:
    client = Client()
    client.force_login(superuser)
    change = reverse("admin:patients_patient_change", args=[patient.pk])
    assert client.get(change).status_code == HTTPStatus.OK  # read
    other = ClinicFactory(name="Moved To")
    response = client.post(change, {"first_name": "Changed", "clinic": other.pk})
    assert response.status_code == HTTPStatus.FORBIDDEN
    history = patient.history.earliest()
    revert = reverse("admin:patients_patient_simple_history", args=[patient.pk, history.history_id])
    rows = patient.history.count()
    client.post(revert, {"first_name": "Reverted", "clinic": other.pk})
    patient.refresh_from_db()
    assert patient.first_name == "Maria" and patient.clinic != other
    assert patient.history.count() == rows
    assert client.get(reverse("admin:patients_patient_add")).status_code == HTTPStatus.FORBIDDEN


def test_an_edit_opened_before_archiving_cannot_undo_it(
    therapist_client: Client, colleague_client: Client, patient: Patient
) -> None:
    form = therapist_client.get(urls(patient)["edit"]).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["occupation"] = "Changed after the archive"
    colleague_client.post(urls(patient)["archive"], {"version": current_version(patient)})
    response = therapist_client.post(urls(patient)["edit"], data)
    assert response.status_code == HTTPStatus.FORBIDDEN  # archived: read-only
    patient.refresh_from_db()
    assert patient.is_archived and patient.occupation != "Changed after the archive"


def test_a_stale_archive_does_nothing(therapist_client: Client, patient: Patient) -> None:
    response = therapist_client.post(urls(patient)["archive"], {"version": 0}, follow=True)
    assert "so it was not done" in response.content.decode()
    assert not Patient.objects.get(pk=patient.pk).is_archived


def test_oversized_free_text_is_refused_at_the_field(therapist_client: Client, clinic) -> None:  # noqa: ANN001
    response = therapist_client.post(
        reverse("patients:create"),
        {
            "first_name": "Long",
            "last_name": "Address",
            "date_of_birth": "1980-01-01",
            "sex": "female",
            "address": "x" * 301,
            "activities_notes": "y" * 1001,
        },
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors
    assert "at most 300 characters" in errors["address"][0]
    assert "at most 1000 characters" in errors["activities_notes"][0]
    assert not Patient.objects.filter(last_name="Address").exists()


def test_a_double_submitted_new_patient_is_saved_once(therapist_client: Client) -> None:
    form = therapist_client.get(reverse("patients:create")).context["form"]
    token = form["submission"].value()
    data = {
        "first_name": "Ines",
        "last_name": "Twice",
        "date_of_birth": "1979-05-05",
        "sex": "female",
        "submission": token,
    }
    first = therapist_client.post(reverse("patients:create"), data)
    second = therapist_client.post(reverse("patients:create"), data, follow=True)
    assert Patient.objects.filter(last_name="Twice").count() == 1
    assert second.redirect_chain[-1][0] == first.url
    assert "submitted already" in second.content.decode()


def test_a_write_that_fails_after_its_claim_leaves_the_record_as_loaded(patient: Patient) -> None:
    """claim_version bumps the version in memory for the save that follows; when the write then
    fails (here, full_clean), the transaction rolls back and so does the in-memory record, so
    the form shown again carries the version the database still has."""
    from patients import services

    opened = patient.version
    with pytest.raises(ValidationError):
        services.patient_update(
            patient=patient, data={"first_name": "x" * 500}, expected_version=opened
        )
    assert patient.version == opened and patient.first_name != "x" * 500
    patient.refresh_from_db()
    assert patient.version == opened
    services.patient_update(
        patient=patient, data={"first_name": "Ada"}, expected_version=patient.version
    )  # the next save with the version shown is accepted
    assert Patient.objects.get(pk=patient.pk).version == opened + 1


def test_a_plan_edit_that_fails_after_its_claim_leaves_the_plan_as_loaded() -> None:
    """Editing an issued plan claims its version and turns it back into a draft; if the edit
    then fails, the database and the in-memory plan both keep the issued state and version."""
    from plans import services as plan_services
    from plans.models import Plan

    from ..factories import PlanFactory

    plan = PlanFactory(status=Plan.Status.ISSUED, issued_number=1)
    opened = plan.version
    with pytest.raises(ValidationError):
        plan_services.plan_update(plan=plan, data={"notes": "x" * 5000}, expected_version=opened)
    assert (plan.version, plan.status, plan.notes) == (opened, Plan.Status.ISSUED, "")
    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.version, stored.status) == (opened, Plan.Status.ISSUED)


def test_a_reassessment_starts_from_the_history_given_last_time(
    therapist_client: Client,
    clinic,  # noqa: ANN001
) -> None:
    patient = PatientFactory(clinic=clinic)
    first = therapist_client.get(reverse("patients:assessment_create", args=[patient.pk]))
    assert first.context["earlier"] is None
    assert not first.context["form"]["chief_complaint"].value()
    AssessmentFactory(
        patient=patient,
        medications="Ibuprofen as needed",
        sleep="Wakes at 3 am",
        symptoms=["dizziness"],
    )
    response = therapist_client.get(reverse("patients:assessment_create", args=[patient.pk]))
    form = response.context["form"]
    assert form["chief_complaint"].value().startswith("Headache at the left temple")
    assert form["medications"].value() == "Ibuprofen as needed"
    assert form["symptoms"].value() == ["dizziness"]
    assert not form["sleep"].value()  # changes from visit to visit: asked afresh
    assert "filled in from the assessment of 2 Nov 2026" in response.content.decode()


def test_ticking_a_consent_can_fill_its_date_with_the_clinics_today(
    therapist_client: Client,
) -> None:
    body = therapist_client.get(reverse("patients:create")).content.decode()
    today = timezone.localdate().isoformat()
    assert f'data-fills-date="id_consent_treatment_date" data-today="{today}"' in body
    assert "js/consent_date.js" in body


def test_new_forms_start_in_their_first_field_to_type_and_a_form_with_errors_does_not(
    therapist_client: Client, patient: Patient
) -> None:
    """Keyboard users type at once instead of tabbing past the menu; a form sent back with
    errors leaves the focus to its error summary."""
    fresh = therapist_client.get(reverse("patients:create")).content.decode()
    assert fresh.count("autofocus") == 1
    assert 'name="first_name"' in fresh.split("autofocus")[0].rsplit("<input", 1)[1]
    assessment = therapist_client.get(
        reverse("patients:assessment_create", args=[patient.pk])
    ).content.decode()
    assert assessment.count("autofocus") == 1
    assert 'name="chief_complaint"' in assessment.split("autofocus")[0].rsplit("<textarea", 1)[1]
    # Optional symptoms and factors are folded away (closed) on a fresh intake.
    assert '<details class="mb-3 context-pickers">' in assessment
    sent_back = therapist_client.post(reverse("patients:create"), {"first_name": ""})
    assert "autofocus" not in sent_back.content.decode()


def test_the_list_pages_without_counting(
    therapist_client: Client,
    clinic,  # noqa: ANN001
    django_assert_num_queries,  # noqa: ANN001
) -> None:
    """A page reads one row more than it shows to know whether a next page exists: no count,
    which would read every match of a search at any clinic size."""
    for n in range(51):
        PatientFactory(clinic=clinic, last_name=f"Name{n:02d}")
    # session, user, the page (26 rows), the access-log row: no count
    with django_assert_num_queries(4):
        first = therapist_client.get(reverse("patients:list")).content.decode()
    assert "Name00" in first and "Name24" in first and "Name25" not in first
    assert "Page 1</span>" in first and "Next</a>" in first and "Previous" not in first
    second = therapist_client.get(reverse("patients:list"), {"page": 2}).content.decode()
    assert "Name25" in second and "Name49" in second and "Name50" not in second
    assert "Previous</a>" in second and "Next</a>" in second
    third = therapist_client.get(reverse("patients:list"), {"page": 3}).content.decode()
    assert "Name50" in third and "Next" not in third and "Page 3</span>" in third
    # A page past the end, or not a page number, gives the first page.
    for page in ("4", "400", "99999999999999999999", "x", "-1"):
        again = therapist_client.get(reverse("patients:list"), {"page": page}).content.decode()
        assert "Name00" in again and "Page 1</span>" in again, page
    # Exactly one page: no page links at all.
    found = therapist_client.get(reverse("patients:list"), {"q": "Name3"}).content.decode()
    assert "Name30" in found and "Name39" in found and 'aria-label="Patient pages"' not in found


def test_list_rows_link_each_patient_and_escape_what_was_typed(
    therapist_client: Client,
    clinic,  # noqa: ANN001
) -> None:
    typed = PatientFactory(
        clinic=clinic,
        first_name="Ann",
        last_name="O'Brien <b>",
        date_of_birth=datetime.date(1980, 3, 4),
        occupation="Chef & baker",
    )
    page = therapist_client.get(reverse("patients:list")).content.decode()
    assert (
        f'<tr><td><a href="{typed.get_absolute_url()}">O&#x27;Brien &lt;b&gt;, Ann</a></td>'
        "<td>4 Mar 1980</td><td>Chef &amp; baker</td></tr>"
    ) in page
    assert "<b>" not in page.split("<tbody>")[1]


def test_the_last_page_there_is_says_to_search_instead_of_offering_next(
    therapist_client: Client,
    clinic,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from common import paging

    monkeypatch.setattr(paging, "LAST_PAGE", 2)
    for n in range(60):
        PatientFactory(clinic=clinic, last_name=f"Name{n:02d}")
    last = therapist_client.get(reverse("patients:list"), {"page": 2}).content.decode()
    assert "Name25" in last and "Next" not in last
    assert "The list stops at page 2. Search by name to find anyone else." in last
    beyond = therapist_client.get(reverse("patients:list"), {"page": 3}).content.decode()
    assert "Name25" in beyond and "Page 2</span>" in beyond  # read as the last page there is
    first = therapist_client.get(reverse("patients:list")).content.decode()
    assert "Next</a>" in first and "The list stops" not in first

"""Export of a patient's whole record, anonymisation past retention, and the history guards."""

import csv
import datetime
import io
import json
import uuid
import zipfile
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from audit.models import AccessEvent
from patients.models import Patient, User
from plans.content import PlanContent
from plans.models import Plan
from records import services
from records.models import RecordEvent

from ..factories import ClinicAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(settings) -> Patient:  # noqa: ANN001
    """The demo record: assessment, screening, drawing, findings, four sessions (signed, one
    amended), an issued plan."""
    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    return Patient.objects.get(first_name="Maria")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def export(client: Client, patient: Patient):  # noqa: ANN201
    return client.post(reverse("records:export", args=[patient.pk]))


def test_treating_therapist_exports_the_whole_record_as_a_valid_fhir_bundle(
    maria: Patient,
) -> None:
    therapist = User.objects.get(username="therapist")
    response = export(client_for(therapist), maria)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())

    bundle = Bundle.model_validate_json(archive.read("bundle.json"))
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds.count("Patient") == 1
    assert kinds.count("ClinicalImpression") == 1
    assert kinds.count("CarePlan") == 1
    assert kinds.count("Observation") >= 4 + 6 + 4  # pain marks, measures, session pain
    assert kinds.count("DocumentReference") == 4 + 1  # four notes, one plan PDF
    patient = next(e.resource for e in bundle.entry if e.resource.get_resource_type() == "Patient")
    assert patient.name[0].family == "Keane" and patient.gender == "female"
    impression = next(
        e.resource for e in bundle.entry if e.resource.get_resource_type() == "ClinicalImpression"
    )
    assert "Red flags: none reported." in impression.summary
    documents = [
        e.resource.content[0].attachment.url
        for e in bundle.entry
        if e.resource.get_resource_type() == "DocumentReference"
    ]
    assert set(documents) <= names  # every document the Bundle names is in the ZIP

    [pdf] = [n for n in names if n.startswith("plans/")]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(pdf))).pages)
    assert "Maria Keane" in text
    notes = sorted(n for n in names if n.startswith("notes/"))
    assert len(notes) == 4
    amended = "".join(archive.read(n).decode() for n in notes)
    assert "Post-session pain was re-scored at the door" in amended  # the amendment's reason
    assert "Not signed." in amended  # the fourth note
    history = list(csv.DictReader(io.StringIO(archive.read("history/patient.csv").decode())))
    assert history and history[0]["first_name"] == "Maria"
    assert "history/screenings.csv" in names and "history/plan_items.csv" in names
    # Issue 17: the movement screen and its re-tests, in the history and the impression.
    movement = list(
        csv.DictReader(io.StringIO(archive.read("history/movement_results.csv").decode()))
    )
    assert len(movement) == 8 + 11
    assert (
        "Test: Single-leg bridge hold: left 18 s (normal 30 s or more)"
        in archive.read("bundle.json").decode()
    )

    event = RecordEvent.objects.get()
    assert (event.kind, event.by, event.patient) == ("export", therapist, maria)
    logged = AccessEvent.objects.get(view_name="records:export")
    assert (logged.kind, logged.user, logged.patient_id) == ("export", therapist, maria.pk)


def test_the_export_holds_the_stored_plan_pdf_byte_for_byte_and_renders_it_once(
    maria: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    therapist = User.objects.get(username="therapist")
    client = client_for(therapist)
    plan = Plan.objects.get(patient=maria)
    downloaded = client.get(reverse("plans:pdf", args=[plan.pk])).getvalue()
    renders = []
    real = services.render_plan_pdf
    monkeypatch.setattr(services, "render_plan_pdf", lambda c: renders.append(1) or real(c))
    archive = zipfile.ZipFile(io.BytesIO(export(client, maria).content))
    [pdf] = [n for n in archive.namelist() if n.startswith("plans/")]
    assert archive.read(pdf) == downloaded  # the very file the patient was sent
    assert renders == []


def test_an_export_stores_a_plan_pdf_not_downloaded_yet(maria: Patient) -> None:
    therapist = User.objects.get(username="therapist")
    client = client_for(therapist)
    version = Plan.objects.get(patient=maria).versions.get()
    version.patient_pdf = ""
    version.save(update_fields=["patient_pdf"])
    archive = zipfile.ZipFile(io.BytesIO(export(client, maria).content))
    [pdf] = [n for n in archive.namelist() if n.startswith("plans/")]
    version.refresh_from_db()
    assert version.patient_pdf.name
    downloaded = client.get(reverse("plans:pdf", args=[version.plan_id])).getvalue()
    assert archive.read(pdf) == downloaded


def test_a_colleague_who_has_not_treated_the_patient_may_not_export(maria: Patient) -> None:
    colleague = UserFactory(clinic=maria.clinic)
    assert export(client_for(colleague), maria).status_code == HTTPStatus.FORBIDDEN
    assert not RecordEvent.objects.exists()


def test_the_clinic_admin_may_export(maria: Patient) -> None:
    admin = ClinicAdminFactory(clinic=maria.clinic)
    assert export(client_for(admin), maria).status_code == HTTPStatus.OK


def test_another_clinic_gets_404_and_get_is_405(maria: Patient) -> None:
    stranger = ClinicAdminFactory()
    assert export(client_for(stranger), maria).status_code == HTTPStatus.NOT_FOUND
    admin = client_for(ClinicAdminFactory(clinic=maria.clinic))
    assert admin.get(reverse("records:export", args=[maria.pk])).status_code == 405


def _archive_and_age(patient: Patient, years: int) -> None:
    moment = timezone.now() - datetime.timedelta(days=round(365.25 * years) + 1)
    Patient.objects.filter(pk=patient.pk).update(archived_at=moment, created_at=moment)
    patient.assessments.update(assessed_on=moment.date())
    patient.sessions.update(session_date=moment.date())
    patient.refresh_from_db()


def test_anonymise_refuses_an_open_plan_an_active_record_and_within_retention(
    maria: Patient,
) -> None:
    admin = ClinicAdminFactory(clinic=maria.clinic)
    with pytest.raises(ValidationError) as refused:
        services.record_anonymise(patient=maria, by=admin)
    text = " ".join(refused.value.messages)
    assert "Archive the record first" in text
    assert "must be kept until" in text
    assert "A plan is still open" in text
    assert Patient.objects.get(pk=maria.pk).first_name == "Maria"


def test_anonymise_removes_identity_everywhere_and_keeps_the_clinical_record(
    maria: Patient,
) -> None:
    admin = ClinicAdminFactory(clinic=maria.clinic)
    maria.plans.update(status=Plan.Status.COMPLETED)
    _archive_and_age(maria, 9)
    response = client_for(admin).post(reverse("records:anonymise", args=[maria.pk]))
    assert response.status_code == HTTPStatus.FOUND
    patient = Patient.objects.get(pk=maria.pk)
    assert (patient.first_name, patient.email, patient.occupation) == ("Anonymised", "", "")
    assert (patient.date_of_birth.month, patient.date_of_birth.day) == (1, 1)
    assert not Patient.history.filter(id=maria.pk, first_name="Maria").exists()
    assert not Patient.history.filter(id=maria.pk, last_name="Keane").exists()
    assert patient.assessments.get().pain_marks.count() == 4  # the clinical record stays
    assert RecordEvent.objects.filter(kind="anonymise", by=admin).exists()


def test_a_therapist_may_not_anonymise(maria: Patient) -> None:
    maria.plans.update(status=Plan.Status.COMPLETED)
    _archive_and_age(maria, 9)
    therapist = User.objects.get(username="therapist")
    response = client_for(therapist).post(reverse("records:anonymise", args=[maria.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Patient.objects.get(pk=maria.pk).first_name == "Maria"


@pytest.mark.parametrize(
    "args",
    [("--auto", "--days", "0"), ("patients.Patient", "--days", "0"), ("plans.Plan",)],
)
def test_history_of_clinical_records_cannot_be_cleaned(maria: Patient, args: tuple) -> None:
    rows = Patient.history.count()
    with pytest.raises(CommandError, match="Refused"):
        call_command("clean_old_history", *args, stdout=StringIO())
    with pytest.raises(CommandError, match="Refused"):
        call_command("clean_duplicate_history", *args[:1], stdout=StringIO())
    assert Patient.history.count() == rows


def test_readme_in_the_export_says_what_each_part_is(maria: Patient) -> None:
    therapist = User.objects.get(username="therapist")
    data = services.record_export(patient=maria, by=therapist)
    readme = zipfile.ZipFile(io.BytesIO(data)).read("README.txt").decode()
    assert "FHIR R4 Bundle" in readme and "Maria Keane" in readme
    assert json.loads(zipfile.ZipFile(io.BytesIO(data)).read("bundle.json"))["type"] == "collection"


def _diary(maria: Patient) -> None:
    """Two diary days: yesterday's pain, and today's kept on the phone with a note and a home
    item that made it worse."""
    from portal import services as portal
    from portal.diary import home_items
    from portal.models import DiaryDay

    plan = maria.plans.get(status=Plan.Status.ISSUED)
    link, _ = portal.link_create(plan=plan, by=User.objects.get(username="therapist"))
    today = timezone.localdate()
    DiaryDay.objects.create(
        link=link, patient=maria, day=today - datetime.timedelta(days=1), pain=5
    )
    [(item, _), *_] = home_items(PlanContent.from_json(plan.versions.get().content))
    entries = [
        portal.Entry(uuid.uuid4(), today, pain=3, note="Stiff after gardening, Tom helped"),
        portal.Entry(uuid.uuid4(), today, item=item, done=True, worse=True),
    ]
    result = portal.diary_sync(link=link, entries=entries)
    assert not result.refused, result.refused


def test_the_export_holds_the_patients_diary(maria: Patient) -> None:
    _diary(maria)
    therapist = User.objects.get(username="therapist")
    archive = zipfile.ZipFile(io.BytesIO(services.record_export(patient=maria, by=therapist)))
    days = list(csv.DictReader(io.StringIO(archive.read("diary/days.csv").decode())))
    assert [(d["pain"], d["note"]) for d in days] == [
        ("5", ""),
        ("3", "Stiff after gardening, Tom helped"),
    ]
    [tick] = csv.DictReader(io.StringIO(archive.read("diary/home_items.csv").decode()))
    assert (tick["done"], tick["worse"]) == ("True", "True")
    assert "history/diary_days.csv" in archive.namelist()
    bundle = Bundle.model_validate_json(archive.read("bundle.json"))
    diary = [
        e.resource
        for e in bundle.entry
        if e.resource.get_resource_type() == "Observation" and e.resource.id.startswith("diary-")
    ]
    assert sorted(o.valueInteger for o in diary) == [3, 5]
    assert any(n.text == "Stiff after gardening, Tom helped" for o in diary for n in o.note or [])
    assert "diary/" in archive.read("README.txt").decode()


def test_anonymise_blanks_the_diary_notes_and_keeps_the_pain(maria: Patient) -> None:
    from portal.models import DiaryDay

    _diary(maria)
    maria.plans.update(status=Plan.Status.COMPLETED)
    _archive_and_age(maria, 9)
    services.record_anonymise(patient=maria, by=ClinicAdminFactory(clinic=maria.clinic))
    assert sorted(DiaryDay.objects.filter(patient=maria).values_list("pain", "note")) == [
        (3, ""),
        (5, ""),
    ]
    assert not DiaryDay.history.filter(patient_id=maria.pk).exclude(note="").exists()

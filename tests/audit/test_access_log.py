"""The access log: a row for every read of patient data, append-only, for the clinic admin."""

import csv
import io
from http import HTTPStatus

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AccessEvent, AppendOnlyError
from patients.models import Patient, User

from ..factories import (
    AssessmentFactory,
    PatientFactory,
    PlanFactory,
    PlanItemFactory,
    PlanVersionFactory,
    TreatmentSessionFactory,
)

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
EXPORT = reverse("audit:export")


@pytest.fixture
def patient(clinic) -> Patient:  # noqa: ANN001
    return PatientFactory(clinic=clinic, first_name="Maeve", last_name="Quarry")


@pytest.fixture
def record(patient: Patient, therapist: User) -> dict[str, object]:
    assessment = AssessmentFactory(patient=patient, therapist=therapist)
    session = TreatmentSessionFactory(patient=patient, therapist=therapist)
    plan = PlanFactory(assessment=assessment)
    PlanItemFactory(plan=plan)
    return {"assessment": assessment, "session": session, "plan": plan}


def reads(patient: Patient, record: dict) -> list[tuple[str, str]]:
    a, s, p = record["assessment"], record["session"], record["plan"]
    return [
        (reverse("patients:list"), AccessEvent.Kind.LIST),
        (reverse("patients:detail", args=[patient.pk]), AccessEvent.Kind.RECORD),
        (reverse("patients:edit", args=[patient.pk]), AccessEvent.Kind.RECORD),
        (reverse("patients:progress", args=[patient.pk]), AccessEvent.Kind.PROGRESS),
        (reverse("patients:assessment", args=[patient.pk, a.pk]), AccessEvent.Kind.ASSESSMENT),
        (reverse("patients:session", args=[patient.pk, s.pk]), AccessEvent.Kind.NOTE),
        (reverse("plans:detail", args=[p.pk]), AccessEvent.Kind.PLAN),
        (reverse("plans:pdf", args=[p.pk]), AccessEvent.Kind.PDF),
    ]


def test_every_kind_of_read_adds_a_row(
    therapist_client: Client, therapist: User, patient: Patient, record: dict
) -> None:
    for url, kind in reads(patient, record):
        before = AccessEvent.objects.count()
        response = therapist_client.get(url, REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox")
        assert response.status_code == HTTPStatus.OK, url
        assert AccessEvent.objects.count() == before + 1, url
        event = AccessEvent.objects.first()
        assert (event.kind, event.path, event.user, event.clinic) == (
            kind,
            url,
            therapist,
            therapist.clinic,
        )
        assert event.ip_address == "192.0.2.7" and event.user_agent == "Firefox"
        if kind != AccessEvent.Kind.LIST:
            assert event.patient == patient, url


def test_refused_reads_and_writes_add_no_row(
    stranger_client: Client, patient: Patient, record: dict
) -> None:
    for url, _ in reads(patient, record)[1:]:
        assert stranger_client.get(url).status_code == HTTPStatus.NOT_FOUND
    stranger_client.post(reverse("patients:edit", args=[patient.pk]), {})
    assert not AccessEvent.objects.exists()


def test_a_form_sent_back_with_errors_is_a_read_too(
    therapist_client: Client, patient: Patient
) -> None:
    response = therapist_client.post(reverse("patients:edit", args=[patient.pk]), {})
    assert response.status_code == HTTPStatus.OK
    event = AccessEvent.objects.get()
    assert (event.kind, event.patient) == (AccessEvent.Kind.RECORD, patient)


def test_export_download_is_logged(clinic_admin_client: Client, clinic_admin: User) -> None:
    clinic_admin_client.get(EXPORT)
    event = AccessEvent.objects.get()
    assert event.kind == AccessEvent.Kind.EXPORT and event.user == clinic_admin


def test_superuser_admin_reads_are_logged_with_the_patients_clinic(
    superuser: User, patient: Patient, record: dict
) -> None:
    version = PlanVersionFactory(plan=record["plan"])
    client = Client()
    client.force_login(superuser)
    for name, args in [
        ("admin:patients_patient_changelist", []),
        ("admin:patients_patient_change", [patient.pk]),
        ("admin:patients_patient_history", [patient.pk]),
        ("admin:plans_plan_change", [record["plan"].pk]),
        ("admin:plans_planversion_change", [version.pk]),  # two steps: version → plan → patient
    ]:
        assert client.get(reverse(name, args=args)).status_code == HTTPStatus.OK, name
    events = list(AccessEvent.objects.order_by("pk"))
    assert [e.kind for e in events] == [AccessEvent.Kind.ADMIN] * 5
    assert all(e.user == superuser for e in events)
    assert [e.patient for e in events] == [None] + [patient] * 4
    assert [e.clinic for e in events] == [None] + [patient.clinic] * 4
    # ...so the clinic's admin sees that the superuser opened the record.
    assert AccessEvent.objects.for_clinic(patient.clinic).count() == 4


def test_catalogue_pages_are_not_logged(therapist_client: Client) -> None:
    therapist_client.get(reverse("triggerpoints:muscles"))
    therapist_client.get(reverse("accounts:account"))
    assert not AccessEvent.objects.exists()


# Reading the log


def test_clinic_admin_reads_only_their_clinics_log(
    clinic_admin_client: Client,
    therapist_client: Client,
    stranger_client: Client,
    patient: Patient,
) -> None:
    therapist_client.get(reverse("patients:detail", args=[patient.pk]))
    other = PatientFactory(clinic=User.objects.get(username="stan").clinic, last_name="Zephyr")
    stranger_client.get(reverse("patients:detail", args=[other.pk]))
    page = clinic_admin_client.get(LOG).content.decode()
    assert "Quarry" in page and "Zephyr" not in page
    rows = list(csv.reader(io.StringIO(clinic_admin_client.get(EXPORT).content.decode())))
    assert rows[0][:4] == ["when", "who", "username", "what"]
    assert [r[2] for r in rows[1:]] == ["tess"]
    assert "Zephyr" not in str(rows)


@pytest.mark.parametrize("who", ["therapist_client", "editor_client", "colleague_client"])
@pytest.mark.parametrize("url", [LOG, EXPORT])
def test_only_clinic_admins_read_the_log(
    request: pytest.FixtureRequest, who: str, url: str
) -> None:
    assert request.getfixturevalue(who).get(url).status_code == HTTPStatus.FORBIDDEN


def test_log_filters_by_who_what_patient_and_date(
    clinic_admin_client: Client,
    therapist_client: Client,
    colleague_client: Client,
    therapist: User,
    patient: Patient,
    record: dict,
) -> None:
    other = PatientFactory(clinic=patient.clinic, first_name="Ivo", last_name="Brennan")
    therapist_client.get(reverse("patients:detail", args=[patient.pk]))
    colleague_client.get(reverse("patients:detail", args=[other.pk]))
    therapist_client.get(reverse("plans:pdf", args=[record["plan"].pk]))

    def paths(**query: object) -> list[str]:
        response = clinic_admin_client.get(LOG, query)
        return [e.path for e in response.context["page"]]

    assert len(paths()) == 3
    assert len(paths(user=therapist.pk)) == 2
    assert paths(kind="pdf") == [reverse("plans:pdf", args=[record["plan"].pk])]
    assert paths(patient="brennan") == [reverse("patients:detail", args=[other.pk])]
    assert len(paths(date_from="2000-01-01", date_to="2999-12-31")) == 3
    assert paths(date_to="2000-01-01") == []
    csv_rows = clinic_admin_client.get(EXPORT, {"kind": "pdf"}).content.decode().splitlines()
    assert len(csv_rows) == 2


def test_log_page_query_count_does_not_grow(
    clinic_admin_client: Client,
    therapist_client: Client,
    patient: Patient,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    for _ in range(12):
        therapist_client.get(reverse("patients:detail", args=[patient.pk]))
    # session, user, count, staff for the filter, the page of events with users and patients
    with django_assert_max_num_queries(5):
        response = clinic_admin_client.get(LOG)
    assert response.context["page"].paginator.count == 12


def test_csv_neutralises_formulas(
    clinic_admin_client: Client, therapist_client: Client, clinic
) -> None:  # noqa: ANN001
    evil = PatientFactory(clinic=clinic, first_name="=HYPERLINK(1)", last_name="X")
    therapist_client.get(reverse("patients:detail", args=[evil.pk]))
    body = clinic_admin_client.get(EXPORT).content.decode()
    assert "'=HYPERLINK(1) X" in body


# Append-only


def test_rows_cannot_be_changed_or_deleted(therapist_client: Client, patient: Patient) -> None:
    therapist_client.get(reverse("patients:detail", args=[patient.pk]))
    event = AccessEvent.objects.get()
    event.path = "/elsewhere/"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.update(path="/x/")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()


def test_database_refuses_changes_even_in_raw_sql(
    therapist_client: Client, patient: Patient
) -> None:
    therapist_client.get(reverse("patients:detail", args=[patient.pk]))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accessevent SET path = '/x/'")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_accessevent")
    assert AccessEvent.objects.get().path != "/x/"


def test_admin_offers_no_add_change_or_delete(superuser: User, patient: Patient) -> None:
    client = Client()
    client.force_login(superuser)
    client.get(reverse("patients:list"))  # superuser has no clinic: a 200 with none listed
    client.get(reverse("admin:patients_patient_change", args=[patient.pk]))
    event = AccessEvent.objects.first()
    assert client.get(reverse("admin:audit_accessevent_changelist")).status_code == HTTPStatus.OK
    assert client.get(reverse("admin:audit_accessevent_add")).status_code == HTTPStatus.FORBIDDEN
    url = reverse("admin:audit_accessevent_change", args=[event.pk])
    assert client.post(url, {"path": "/x/"}).status_code == HTTPStatus.FORBIDDEN
    delete = reverse("admin:audit_accessevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_every_patient_data_model_leads_to_its_patient() -> None:
    """Admin reads of any patients/plans model registered now or later find their patient."""
    from django.apps import apps

    from audit.middleware import patient_lookup

    expected = {
        "patients.Patient": "pk",
        "patients.TreatmentSession": "patient_id",
        "patients.SessionAmendment": "session__patient_id",
        "patients.PainMark": "assessment__patient_id",
        "plans.PlanItem": "plan__patient_id",
        "plans.PlanVersion": "plan__patient_id",
        "patients.Clinic": None,
    }
    for label, lookup in expected.items():
        assert patient_lookup(apps.get_model(label)) == lookup, label


def test_a_row_holds_each_value_as_the_orm_would_write_it(
    therapist_client: Client, therapist: User, patient: Patient, record: dict
) -> None:
    """The middleware writes its INSERT out (audit.middleware._insert): each value is the
    field's own, as AccessEvent.objects.create would store it."""
    from django.utils import timezone

    before = timezone.now()
    long_path = "x" * 600
    therapist_client.get(
        reverse("plans:detail", args=[record["plan"].pk]),
        {"q": long_path},
        REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001",
        HTTP_USER_AGENT="U" * 400,
    )
    event = AccessEvent.objects.get()
    expected = AccessEvent.objects.create(
        at=event.at,
        user=therapist,
        clinic=patient.clinic,
        patient=patient,
        kind=AccessEvent.Kind.PLAN,
        view_name="plans:detail",
        object_id=str(record["plan"].pk),
        path=(reverse("plans:detail", args=[record["plan"].pk]) + "?q=" + long_path)[:500],
        ip_address="2001:0db8:0000:0000:0000:0000:0000:0001",
        user_agent="U" * 300,
    )
    expected.refresh_from_db()
    fields = [f.attname for f in AccessEvent._meta.concrete_fields if f.name != "id"]
    assert [getattr(event, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert event.ip_address == "2001:db8::1"  # normalised, as the field does
    assert before <= event.at <= timezone.now() and event.at.tzinfo is not None

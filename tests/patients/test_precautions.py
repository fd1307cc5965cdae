"""The precaution profile (facts §12.1): asked at intake with the assessment, in its own
fieldset; the latest record is the patient's current profile."""

import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from patients.models import Patient, PrecautionProfile, User

from ..factories import PrecautionProfileFactory

pytestmark = pytest.mark.django_db

INTAKE = {
    "assessed_on": "2026-11-20",
    "chief_complaint": "Low back ache",
    "onset": "gradual",
}


def create(client: Client, patient: Patient, **precautions: object):  # noqa: ANN201
    data = {**INTAKE, **{f"precautions-{k}": v for k, v in precautions.items()}}
    return client.post(reverse("patients:assessment_create", args=[patient.pk]), data)


def test_intake_asks_every_precaution(therapist_client: Client, patient: Patient) -> None:
    page = therapist_client.get(
        reverse("patients:assessment_create", args=[patient.pk])
    ).content.decode()
    assert "Pregnant now? How many weeks?" in page
    assert "Takes warfarin, a DOAC, heparin, or has a bleeding disorder?" in page
    assert page.count('name="precautions-keys"') == 15


def test_intake_records_the_precautions_with_the_assessment(
    therapist_client: Client, therapist: User, patient: Patient
) -> None:
    response = create(
        therapist_client,
        patient,
        keys=["pregnancy", "anticoagulants", "lymphoedema"],
        pregnancy_weeks="24",
        lymphoedema_limb="arm-l",
    )
    assessment = patient.assessments.get()
    assert response.status_code == HTTPStatus.FOUND
    profile = PrecautionProfile.objects.get()
    assert (profile.assessment, profile.recorded_by, profile.recorded_on) == (
        assessment,
        therapist,
        assessment.assessed_on,
    )
    assert profile.labels() == [
        "Pregnant (24 weeks)",
        "Anticoagulants or a bleeding disorder",
        "Lymphoedema (left arm)",
    ]


def test_no_precautions_is_recorded_as_asked(therapist_client: Client, patient: Patient) -> None:
    create(therapist_client, patient)
    assert PrecautionProfile.objects.get().keys == []


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"keys": ["pregnancy"]}, "Give the weeks of pregnancy."),
        ({"keys": ["recent-surgery-or-fracture"]}, "Say where the surgery or fracture was."),
        ({"keys": ["lymphoedema"]}, "Say which limb."),
        ({"keys": ["pregnancy"], "pregnancy_weeks": "50"}, "Weeks of pregnancy run from 0 to 45."),
        ({"keys": ["telepathy"]}, "Select a valid choice."),
    ],
)
def test_incomplete_precautions_save_nothing(
    therapist_client: Client, patient: Patient, answers: dict, message: str
) -> None:
    response = create(therapist_client, patient, **answers)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not patient.assessments.exists() and not PrecautionProfile.objects.exists()


def test_latest_record_is_the_current_profile(patient: Patient) -> None:
    PrecautionProfileFactory(patient=patient, keys=["osteoporosis"])
    newer = PrecautionProfileFactory(
        patient=patient, keys=["cancer"], recorded_on=datetime.date(2026, 11, 30)
    )
    assert PrecautionProfile.objects.filter(patient=patient).first() == newer


def test_patient_page_shows_the_current_precautions(
    therapist_client: Client, patient: Patient
) -> None:
    url = reverse("patients:detail", args=[patient.pk])
    assert "Not asked yet" in therapist_client.get(url).content.decode()
    PrecautionProfileFactory(patient=patient, keys=["pregnancy"], pregnancy_weeks=24)
    assert "Pregnant (24 weeks)" in therapist_client.get(url).content.decode()

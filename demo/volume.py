"""A busy clinic's volume for load tests and demos (`manage.py seed_volume`).

Ten therapists share 10,000 patients with about 30,000 assessments, 100,000 sessions and 10,000
plans, written with bulk_create from one seeded random generator, so two runs give the same
records. The bulk rows are plain (no drawing, findings or history rows). Beside them, four
patients are written through the services exactly as a therapist would, with a full assessment
and 2, 10, 50 and 300 sessions, and an issued plan: the pages that list a patient's history are
measured on them.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from demo.patients import catalogue_point, screen_and_draw
from patients import services
from patients.models import Assessment, Clinic, Patient, TreatmentSession, User
from plans.models import Plan
from plans.services import plan_generate, plan_issue
from triggerpoints.models import PosturalFinding, ReleaseTechnique, Side

CLINIC = "Load Test Clinic"
PASSWORD = "load-test-password"  # published: seed_volume refuses to run unless asked to
THERAPISTS = 10
HISTORY_SIZES = (2, 10, 50, 300)
DRAFT_PLAN_SESSIONS = 50  # this history patient's plan stays a draft (rendered on each download)

FIRST = [
    "Aoife",
    "Ben",
    "Chloe",
    "Dara",
    "Eamon",
    "Fiona",
    "Gareth",
    "Hana",
    "Ivan",
    "Jana",
    "Kofi",
    "Lena",
    "Mateo",
    "Niamh",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomas",
    "Una",
    "Viktor",
    "Wen",
    "Xavier",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Adams",
    "Byrne",
    "Costa",
    "Doyle",
    "Evans",
    "Farrell",
    "Garcia",
    "Hughes",
    "Ivanova",
    "Jensen",
    "Kelly",
    "Lopez",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
    "Quigley",
    "Reilly",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhang",
]
COMPLAINTS = (
    "Neck ache by the end of the working day.",
    "Headache at the temple, worse after long drives.",
    "Low back pain when standing for long.",
    "Shoulder pain reaching overhead.",
    "Jaw ache and clicking in the morning.",
)


@dataclass(frozen=True)
class Volume:
    patients: int = 10_000
    assessments_per_patient: int = 3
    sessions_per_patient: int = 10
    plans_per_patient: int = 1


def username(n: int) -> str:
    return f"load-therapist-{n}"


def history_name(sessions: int) -> str:
    """The last name of the patient with `sessions` sessions (bench/loadtest.py finds it)."""
    return f"History{sessions}"


def _batched(model: type, rows: list, size: int = 5000) -> None:
    model.objects.bulk_create(rows, batch_size=size)


@transaction.atomic
def volume_create(*, volume: Volume = Volume(), seed: int = 14) -> Clinic:
    """The clinic, its therapists and the bulk records; then the history patients."""
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    clinic = Clinic.objects.create(name=CLINIC, phone="01 555 0199")
    password = make_password(PASSWORD)  # hashed once, shared by every therapist
    User.objects.bulk_create(
        User(
            username=username(n),
            password=password,
            first_name=FIRST[n % len(FIRST)],
            last_name=f"Therapist{n}",
            clinic=clinic,
            role=User.Role.CLINIC_ADMIN if n == 1 else User.Role.THERAPIST,
        )
        for n in range(1, THERAPISTS + 1)
    )
    therapists = list(User.objects.filter(clinic=clinic).order_by("pk"))

    Patient.objects.bulk_create(
        (
            Patient(
                clinic=clinic,
                first_name=rng.choice(FIRST),
                last_name=f"{rng.choice(LAST)}{rng.choice(LAST).lower()}",
                date_of_birth=date(1940 + rng.randrange(65), 1 + rng.randrange(12), 1),
                sex=rng.choice(["female", "male"]),
                email=f"patient{n}@example.org",
                consent_treatment=True,
                consent_treatment_date=today - timedelta(days=400),
                consent_data=True,
                consent_data_date=today - timedelta(days=400),
                created_by=therapists[n % THERAPISTS],
            )
            for n in range(volume.patients)
        ),
        batch_size=5000,
    )
    patient_ids = list(Patient.objects.filter(clinic=clinic).values_list("pk", flat=True))

    assessments = []
    for pk in patient_ids:
        for k in range(volume.assessments_per_patient):
            assessments.append(
                Assessment(
                    patient_id=pk,
                    therapist=rng.choice(therapists),
                    assessed_on=today - timedelta(days=360 - 120 * k + rng.randrange(30)),
                    chief_complaint=rng.choice(COMPLAINTS),
                    onset=Assessment.Onset.GRADUAL,
                )
            )
    _batched(Assessment, assessments)
    sessions = []
    for pk in patient_ids:
        for k in range(volume.sessions_per_patient):
            signed = k < volume.sessions_per_patient - 1
            therapist = rng.choice(therapists)
            sessions.append(
                TreatmentSession(
                    patient_id=pk,
                    therapist=therapist,
                    session_date=today - timedelta(days=350 - 30 * k),
                    pre_nprs=rng.randrange(3, 9),
                    post_nprs=rng.randrange(0, 6),
                    notes="Pressure release; home programme reviewed.",
                    signed_at=now if signed else None,
                    signed_by=therapist if signed else None,
                )
            )
    _batched(TreatmentSession, sessions)
    first_assessment = dict(
        Assessment.objects.filter(patient__clinic=clinic)
        .order_by("patient_id", "-pk")
        .values_list("patient_id", "pk")
    )
    _batched(
        Plan,
        [
            Plan(
                patient_id=pk,
                assessment_id=first_assessment[pk],
                created_by=rng.choice(therapists),
                notes="Home programme as shown.",
            )
            for pk in patient_ids
            for _ in range(volume.plans_per_patient)
        ],
    )
    for size in HISTORY_SIZES:
        history_patient_create(clinic=clinic, therapist=therapists[0], sessions=size)
    return clinic


def history_patient_create(*, clinic: Clinic, therapist: User, sessions: int) -> Patient:
    """A patient with a full assessment (drawing, findings, measures), `sessions` sessions
    (one every four days up to today, all but the last signed) and a plan, issued unless
    `sessions` is DRAFT_PLAN_SESSIONS."""
    today = timezone.localdate()
    start = today - timedelta(days=4 * sessions + 7)
    patient = services.patient_create(
        clinic_user=therapist,
        data={
            "first_name": "Sam",
            "last_name": history_name(sessions),
            "date_of_birth": date(1980, 5, 17),
            "sex": Patient.Sex.FEMALE,
            "occupation": "Accountant",
            "activities": ["desk_work", "driving"],
            "consent_treatment": True,
            "consent_treatment_date": start,
            "consent_data": True,
            "consent_data_date": start,
        },
    )
    assessment = services.assessment_create(
        patient=patient,
        therapist=therapist,
        data={
            "assessed_on": start,
            "chief_complaint": "Headache at the left temple and neck ache by the evening.",
            "onset": Assessment.Onset.GRADUAL,
            "course": Assessment.Course.WORSENING,
            "stress": 6,
        },
    )
    screen_and_draw(assessment, therapist)
    trapezius, scm = catalogue_point("Upper trapezius"), catalogue_point("Sternocleidomastoid")
    for point, status in ((trapezius, "active"), (scm, "latent")):
        services.palpated_point_record(
            assessment=assessment,
            data={
                "trigger_point": point,
                "side": Side.LEFT,
                "status": status,
                "taut_band": True,
                "spot_tenderness": True,
                "referral_reproduced": True,
                "referral_recognised": True,
            },
        )
    services.postural_observation_record(
        assessment=assessment,
        data={"finding": PosturalFinding.objects.get(key="forward-head"), "severity": "moderate"},
    )
    services.measures_record(
        assessment=assessment,
        data={"breathing_pattern": "upper-chest", "breathing_rate": 18, "nprs": 6, "ndi": 14},
        psfs=[("An hour at the computer", 4)],
        expected_version=0,
    )
    pressure = ReleaseTechnique.objects.get(key="pressure-release")
    pir = ReleaseTechnique.objects.get(key="pir")
    for n in range(1, sessions + 1):
        pre = max(1, 7 - n * 5 // max(sessions, 1) - n % 2)
        treated = [
            services.TreatedEntry(
                trapezius.pk,
                Side.LEFT,
                pressure.pk,
                status="active" if n % 5 else "latent",
                retest="tenderness",
                retest_before=min(10, pre + 1),
                retest_after=max(0, pre - 2),
            )
        ]
        if n % 2 == 0:
            treated.append(services.TreatedEntry(scm.pk, Side.LEFT, pir.pk, status="latent"))
        session = services.session_record(
            patient=patient,
            therapist=therapist,
            data={
                "session_date": start + timedelta(days=4 * n),
                "pre_nprs": pre,
                "post_nprs": max(0, pre - 2),
                "response": "better" if n > 1 else "",
                "adherence": "most" if n > 1 else "not_set",
                "notes": "Pressure release and chin nods; home programme reviewed.",
            },
            treated=treated,
        )
        if n < sessions:
            services.session_sign(session=session, by=therapist, expected_version=session.version)
    plan = plan_generate(assessment=assessment, by=therapist)
    if sessions != DRAFT_PLAN_SESSIONS:
        plan_issue(plan=plan, by=therapist, expected_version=plan.version)
    return patient

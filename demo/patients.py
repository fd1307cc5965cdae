"""Demo patients for `manage.py setup_demo`: a record with every part filled in, so a fresh
`make run` shows the pain drawing, findings, sessions and the progress charts. Written through
the services, like a therapist would. Only ever used with DEBUG on."""

from datetime import timedelta

from django.utils import timezone

from patients import services
from patients.models import Assessment, Clinic, Patient, TreatmentSession, User
from patients.movement_records import ResultEntry, movement_results_record
from patients.red_flags import load as red_flag_checklist
from plans.services import plan_generate, plan_issue
from triggerpoints.models import MovementTest, PosturalFinding, ReleaseTechnique, Side, TriggerPoint


def catalogue_point(muscle: str) -> TriggerPoint:
    points = TriggerPoint.objects.filter(muscle__name=muscle, retired=False)
    return points.order_by("sort_order").first()


# Maria's movement and loading screen (issue 17): at the assessment, then re-tested at the
# second and fourth sessions. Values: (value,) or (left, right).
DEMO_TESTS = {
    "craniocervical-flexion": ((22,), {2: (24,), 4: (24,)}),
    "cervical-flexion-rotation": ((28, 42), {2: (33, 42), 4: (36, 43)}),
    "pec-minor-length": ((3.4, 2.9), {2: (3.1, 2.7), 4: (2.9, 2.6)}),
    "upper-trap-levator-length": ((1, 0), {4: (1, 0)}),
    "thoracic-rotation": ((38, 46), {4: (42, 48)}),
    "single-leg-bridge": ((18, 34), {2: (24, 36), 4: (31, 38)}),
    "hip-hinge": ((0,), {}),
    "breath-under-load": ((1,), {4: (1,)}),
}


def _entries(values: dict[str, tuple[float, ...]]) -> list[ResultEntry]:
    tests = {t.key: t for t in MovementTest.objects.filter(key__in=values)}
    entries = []
    for key, reading in values.items():
        test = tests[key]
        if test.sided:
            entries.append(ResultEntry(test.pk, left=reading[0], right=reading[1]))
        else:
            entries.append(ResultEntry(test.pk, value=reading[0]))
    return entries


def _retests(session: TreatmentSession, week: int) -> None:
    values = {key: later[week] for key, (_, later) in DEMO_TESTS.items() if week in later}
    if values:
        movement_results_record(session=session, entries=_entries(values))


def screen_and_draw(assessment: Assessment, therapist: User) -> None:
    """The demo headache: red flags screened clear, and the temple, neck, shoulder and eye
    drawing of an upper-trapezius pattern (also the load test's history patients)."""
    answers = {item.key: False for item in red_flag_checklist().asked()}
    services.red_flags_record(
        assessment=assessment, answers=answers, by=therapist, expected_version=0
    )
    services.pain_drawing_record(
        assessment=assessment,
        entries=[
            services.PainEntry("lat.head.temple.l", 6, "aching", "intermittent"),
            services.PainEntry("post.neck.upper.l", 5, "aching", "constant"),
            services.PainEntry("post.shoulder.top.l", 4, "aching", "constant"),
            services.PainEntry("ant.head.eye.l", 3, "aching", "intermittent"),
        ],
        expected_version=assessment.version,
    )


def demo_patients_create(*, clinic: Clinic, therapist: User) -> list[Patient]:
    """Create the demo patients unless the clinic already has patients. Returns those created."""
    if Patient.objects.filter(clinic=clinic).exists():
        return []
    today = timezone.localdate()
    maria = services.patient_create(
        clinic_user=therapist,
        data={
            "first_name": "Maria",
            "last_name": "Keane",
            "date_of_birth": today.replace(year=today.year - 41),
            "sex": Patient.Sex.FEMALE,
            "email": "maria.keane@example.org",
            "occupation": "Accountant",
            "activities": ["desk_work", "driving", "phone"],
            "consent_treatment": True,
            "consent_treatment_date": today - timedelta(days=42),
            "consent_data": True,
            "consent_data_date": today - timedelta(days=42),
        },
    )
    assessment = services.assessment_create(
        patient=maria,
        therapist=therapist,
        data={
            "assessed_on": today - timedelta(days=42),
            "chief_complaint": "Headache at the left temple and neck ache by the end of the "
            "working day.",
            "onset": Assessment.Onset.GRADUAL,
            "onset_date": today - timedelta(days=150),
            "course": Assessment.Course.WORSENING,
            "aggravating": "Long spreadsheet days, driving, reading on the phone.",
            "easing": "Heat on the neck, walking at lunch.",
            "sleep": "Wakes once or twice; sleeps on her front.",
            "stress": 7,
            "self_care": ["poor-sleep", "low-fluids"],
        },
    )
    services.precautions_record(
        patient=maria,
        by=therapist,
        assessment=assessment,
        data={
            "keys": ["hypermobility"],
            "notes": "Very flexible joints; a shoulder slipped out once as a teenager.",
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
    for key, severity in (("forward-head", "moderate"), ("rounded-shoulders", "mild")):
        services.postural_observation_record(
            assessment=assessment,
            data={"finding": PosturalFinding.objects.get(key=key), "severity": severity},
        )
    services.measures_record(
        assessment=assessment,
        data={
            "breathing_pattern": "upper-chest",
            "breathing_rate": 18,
            "bolt_seconds": 16,
            "nijmegen": [2, 2, 1, 1, 1, 2, 2, 3, 1, 2, 2, 1, 1, 2, 1, 2],
            "nprs": 6,
            "ndi": 14,
        },
        psfs=[("An hour at the computer", 4), ("Driving more than 30 minutes", 5)],
        expected_version=0,
    )
    movement_results_record(
        assessment=assessment,
        entries=_entries({key: first for key, (first, _) in DEMO_TESTS.items()}),
    )
    services.cross_check_respond(
        assessment=assessment,
        key="nijmegen-chest",
        response="acted",
        note="Asked the chest questions again: the tightness comes at the desk when stressed, "
        "never on exertion or at rest with sweating. Her GP checked her heart in the spring.",
        by=therapist,
    )
    pressure = ReleaseTechnique.objects.get(key="pressure-release")
    rescreen_keys = [item.key for item in maria.rescreen_questions()]
    pir = ReleaseTechnique.objects.get(key="pir")
    tenderness = ((7, 4), (6, 3), (5, 3), (4, 2))  # the trapezius point, re-tested each visit
    for week, (pre, post) in enumerate(((6, 4), (5, 3), (4, 2), (3, 2)), start=1):
        before, after = tenderness[week - 1]
        treated = [
            services.TreatedEntry(
                trapezius.pk,
                Side.LEFT,
                pressure.pk,
                status="active",
                retest="tenderness",
                retest_before=before,
                retest_after=after,
                referral_reproduced=week < 3,
            )
        ]
        if week in (2, 4):
            treated.append(services.TreatedEntry(scm.pk, Side.LEFT, pir.pk, status="latent"))
        session = services.session_record(
            patient=maria,
            therapist=therapist,
            data={
                "session_date": assessment.assessed_on + timedelta(days=7 * week),
                "pre_nprs": pre,
                "post_nprs": post,
                "response": "better" if week > 1 else "",
                "adherence": "not_set" if week == 1 else "most",
                "notes": "Pressure release and chin nods; home programme reviewed.",
            },
            treated=treated,
            rescreen=dict.fromkeys(rescreen_keys, False),
        )
        services.precautions_record(
            patient=maria, by=therapist, session=session, data={}, unchanged=True
        )
        _retests(session, week)
        if week < 4:
            session = services.session_sign(
                session=session, by=therapist, expected_version=session.version
            )
        if week == 2:
            services.session_amend(
                session=session,
                by=therapist,
                data={"post_nprs": 2, "notes": session.notes + " Added heat advice."},
                treated=treated,
                reason="Post-session pain was re-scored at the door; heat advice was missing.",
                expected_version=session.version,
            )
    plan = plan_generate(assessment=assessment, by=therapist)
    plan_issue(plan=plan, by=therapist, expected_version=plan.version)
    return [maria]

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from patients.models import (
    Assessment,
    Clinic,
    Measures,
    PainMark,
    PalpatedTriggerPoint,
    Patient,
    PosturalObservation,
    PrecautionProfile,
    PsfsActivity,
    RedFlagAnswer,
    Screening,
    SessionAmendment,
    TreatedPoint,
    TreatmentSession,
    User,
)
from patients.movement import TestSpec
from plans.models import Plan, PlanItem, PlanVersion, Strand
from triggerpoints.models import (
    BodyArea,
    Muscle,
    PosturalFinding,
    ReferralZone,
    ReleaseTechnique,
    Side,
    TriggerPoint,
)
from triggerpoints.roles import CATALOGUE_EDITORS

PASSWORD = "correct horse battery staple"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Clinic {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A therapist of a clinic, by default."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    clinic = factory.SubFactory(ClinicFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class CatalogueEditorFactory(UserFactory):
    clinic = None
    is_staff = True

    @factory.post_generation
    def editor_group(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.groups.add(Group.objects.get(name=CATALOGUE_EDITORS))


class MuscleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Muscle

    name = factory.Sequence(lambda n: f"Test muscle {n}")
    slug = factory.Sequence(lambda n: f"test-muscle-{n}")
    group = "neck"
    sort_order = 1000


class TriggerPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TriggerPoint

    muscle = factory.SubFactory(MuscleFactory)
    label = factory.Sequence(lambda n: f"Trigger point {n}")
    location = "Mid-belly."
    location_area = factory.LazyFunction(lambda: BodyArea.objects.get(code="post.neck.lower"))
    confidence = "M"
    sources = "Travell & Simons Vol 1"


class ReferralZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralZone

    trigger_point = factory.SubFactory(TriggerPointFactory)
    area = factory.LazyFunction(lambda: BodyArea.objects.get(code="lat.head.temple"))
    laterality = ReferralZone.Laterality.SAME
    kind = ReferralZone.Kind.ESSENTIAL


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=90)
    sex = Patient.Sex.FEMALE
    occupation = "Accountant"
    activities = factory.LazyFunction(lambda: ["desk_work", "driving"])
    consent_treatment = True
    consent_treatment_date = factory.LazyFunction(lambda: datetime.date(2026, 1, 5))
    consent_data = True
    consent_data_date = factory.LazyFunction(lambda: datetime.date(2026, 1, 5))


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(UserFactory, clinic=factory.SelfAttribute("..patient.clinic"))
    assessed_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 2))
    chief_complaint = "Headache at the left temple after long days at the computer."
    onset = Assessment.Onset.GRADUAL
    onset_date = factory.LazyFunction(lambda: datetime.date(2026, 9, 1))

    @factory.post_generation
    def red_flags_screened_at(self, create: bool, value: object, **kwargs: object) -> None:
        """`AssessmentFactory(red_flags_screened_at=when)`: screened with nothing positive."""
        if create and value:
            intake_screening(self, screened_at=value)


def intake_screening(assessment: Assessment, **fields: object) -> Screening:
    """The assessment's intake screening, made if there is none yet."""
    screening, _ = Screening.objects.get_or_create(
        assessment=assessment,
        defaults={
            "patient": assessment.patient,
            "screened_on": assessment.assessed_on,
            "screened_by": assessment.therapist,
            **fields,
        },
    )
    return screening


class RedFlagAnswerFactory(factory.django.DjangoModelFactory):
    """An answer on the intake screening of `assessment` (made when needed). The screening's
    stored triage is worked out again, as the services do."""

    class Meta:
        model = RedFlagAnswer
        skip_postgeneration_save = True

    class Params:
        assessment = factory.SubFactory(AssessmentFactory)

    screening = factory.LazyAttribute(lambda o: intake_screening(o.assessment))
    flag = "cancer"
    present = False

    @factory.post_generation
    def triaged(self, create: bool, value: object, **kwargs: object) -> None:
        if create:
            findings = Screening.objects.prefetch_related("answers").get(pk=self.screening_id)
            findings = findings.findings()
            Screening.objects.filter(pk=self.screening_id).update(
                level=findings[0].level if findings else "",
                holds_back=any(f.holds_back for f in findings),
            )


class ClinicAdminFactory(UserFactory):
    role = User.Role.CLINIC_ADMIN


def _shipped_point(muscle: str = "Upper trapezius") -> TriggerPoint:
    return TriggerPoint.objects.filter(muscle__name=muscle).order_by("sort_order").first()


class PainMarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PainMark

    assessment = factory.SubFactory(AssessmentFactory)
    region_id = "lat.head.temple.l"
    intensity = 6
    quality = PainMark.Quality.ACHING
    pattern = PainMark.Pattern.INTERMITTENT


class PalpatedTriggerPointFactory(factory.django.DjangoModelFactory):
    """An active upper-trapezius trigger point meeting the criteria (taut band, tender spot)."""

    class Meta:
        model = PalpatedTriggerPoint

    assessment = factory.SubFactory(AssessmentFactory)
    trigger_point = factory.LazyFunction(_shipped_point)
    side = Side.LEFT
    status = PalpatedTriggerPoint.Status.ACTIVE
    taut_band = True
    spot_tenderness = True
    referral_reproduced = False


class PosturalObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PosturalObservation

    assessment = factory.SubFactory(AssessmentFactory)
    finding = factory.LazyFunction(lambda: PosturalFinding.objects.get(key="forward-head"))
    severity = PosturalObservation.Severity.MODERATE


class MeasuresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measures

    assessment = factory.SubFactory(AssessmentFactory)
    breathing_pattern = Measures.BreathingPattern.UPPER_CHEST
    breathing_rate = 18
    bolt_seconds = 15
    nijmegen = factory.LazyFunction(lambda: [2] * 16)  # 32: flagged
    nprs = 6


class PsfsActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PsfsActivity

    assessment = factory.SubFactory(AssessmentFactory)
    activity = "Working at the computer for an hour"
    score = 4


class TreatmentSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TreatmentSession

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(UserFactory, clinic=factory.SelfAttribute("..patient.clinic"))
    session_date = factory.LazyFunction(lambda: datetime.date(2026, 11, 9))
    pre_nprs = 6
    post_nprs = 3
    response = TreatmentSession.Response.BETTER
    adherence = TreatmentSession.Adherence.MOST
    notes = "Pressure release to the left upper trapezius; chin nods taught."


class TreatedPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TreatedPoint

    session = factory.SubFactory(TreatmentSessionFactory)
    trigger_point = factory.LazyFunction(_shipped_point)
    side = Side.LEFT
    technique = factory.LazyFunction(lambda: ReleaseTechnique.objects.get(key="pressure-release"))


class SessionAmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionAmendment

    session = factory.SubFactory(TreatmentSessionFactory)
    amended_by = factory.SelfAttribute("session.therapist")
    reason = "Post-session pain was recorded wrongly."
    changes = factory.LazyFunction(
        lambda: [{"field": "post_nprs", "label": "Pain after (NPRS)", "before": "3", "after": "4"}]
    )


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft plan with no items; add PlanItemFactory rows."""

    class Meta:
        model = Plan

    assessment = factory.SubFactory(AssessmentFactory)
    patient = factory.SelfAttribute("assessment.patient")
    created_by = factory.SelfAttribute("assessment.therapist")
    review_date = factory.LazyFunction(lambda: datetime.date(2026, 12, 7))


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(PlanFactory)
    strand = Strand.POSTURAL
    position = factory.Sequence(lambda n: n)
    key = factory.Sequence(lambda n: f"test:{n}")
    title = factory.Sequence(lambda n: f"Chin nods {n}")
    instructions = "Lie on your back and nod gently, as if saying yes."
    dosage = "10 holds of 10 seconds"
    frequency = "Daily"
    rationale = "Forward head posture (moderate) seen on examination."


class PlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanVersion

    plan = factory.SubFactory(PlanFactory, status=Plan.Status.ISSUED, issued_number=1)
    number = 1
    issued_by = factory.SelfAttribute("plan.created_by")
    content = factory.LazyFunction(dict)


class PrecautionProfileFactory(factory.django.DjangoModelFactory):
    """No precautions by default: the patient was asked and none apply."""

    class Meta:
        model = PrecautionProfile

    patient = factory.SubFactory(PatientFactory)
    recorded_by = factory.SubFactory(UserFactory, clinic=factory.SelfAttribute("..patient.clinic"))
    recorded_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 2))
    keys = factory.LazyFunction(list)


def screened_assessment(**kwargs: object) -> Assessment:
    """An assessment whose red-flag screening came back clear (one answer recorded: quick)."""
    assessment = AssessmentFactory(red_flags_screened_at=timezone.now(), **kwargs)
    RedFlagAnswerFactory(assessment=assessment, flag="cancer", present=False)
    return assessment


def screen_red_flags(assessment: Assessment, *, yes: tuple[str, ...] = (), by: User | None = None):  # noqa: ANN201
    """Screen the assessment through the service: every question answered, `yes` positive."""
    from patients import services
    from patients.red_flags import load

    answers = {item.key: item.key in yes for item in load().asked()}
    screening = assessment.intake_screening
    return services.red_flags_record(
        assessment=assessment,
        answers=answers,
        by=by or assessment.therapist,
        expected_version=screening.version if screening else 0,
    )


# Movement tests as the pure scoring and plan rules read them (patients.movement.TestSpec).
CCFT = TestSpec(
    key="craniocervical-flexion",
    name="Craniocervical flexion",
    unit="mmHg",
    value_min=20,
    value_max=30,
    normal_min=26,
)
PEC_MINOR = TestSpec(
    key="pec-minor-length", name="Pectoralis minor length", sided=True, unit="cm", normal_max=2.5
)

# A new staff member as the staff form is filled in (without the username).
NEW_STAFF = {
    "first_name": "Nora",
    "last_name": "Quinn",
    "email": "nora@example.org",
    "role": "therapist",
    "password1": "kelp-lantern-orbit-41",
    "password2": "kelp-lantern-orbit-41",
}

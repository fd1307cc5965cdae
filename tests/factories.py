import datetime

import factory
from django.contrib.auth.models import Group

from patients.models import Assessment, Clinic, Patient, User
from triggerpoints.models import BodyArea, Muscle, ReferralZone, TriggerPoint
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

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(UserFactory, clinic=factory.SelfAttribute("..patient.clinic"))
    assessed_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 2))
    chief_complaint = "Headache at the left temple after long days at the computer."
    onset = Assessment.Onset.GRADUAL
    onset_date = factory.LazyFunction(lambda: datetime.date(2026, 9, 1))

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Clinic(models.Model):
    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Therapists and clinic admins belong to exactly one clinic;
    catalogue editors and superusers may belong to none."""

    class Role(models.TextChoices):
        THERAPIST = "therapist", "Therapist"
        CLINIC_ADMIN = "clinic_admin", "Clinic admin"

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.THERAPIST)

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_clinic_admin(self) -> bool:
        return self.clinic_id is not None and self.role == self.Role.CLINIC_ADMIN


class PatientQuerySet(models.QuerySet):
    def for_clinic(self, clinic: Clinic | None) -> "PatientQuerySet":
        """Patients of one clinic; none at all for a user without a clinic."""
        return self.filter(clinic=clinic) if clinic is not None else self.none()

    def active(self) -> "PatientQuerySet":
        return self.filter(archived_at__isnull=True)

    def archived(self) -> "PatientQuerySet":
        return self.filter(archived_at__isnull=False)

    def search(self, query: str) -> "PatientQuerySet":
        for word in query.split():
            self = self.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return self


class Patient(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        UNDISCLOSED = "undisclosed", "Prefers not to say"

    class Activity(models.TextChoices):
        DESK_WORK = "desk_work", "Desk or computer work"
        DRIVING = "driving", "Driving"
        LIFTING = "lifting", "Lifting or carrying"
        MANUAL_WORK = "manual_work", "Manual or physical work"
        STANDING = "standing", "Prolonged standing"
        SPORT = "sport", "Sport or training"
        PHONE = "phone", "Phone or tablet use"
        INSTRUMENT = "instrument", "Playing an instrument"
        CHILDCARE = "childcare", "Childcare"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=12, choices=Sex.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    occupation = models.CharField(max_length=120, blank=True)
    activities = models.JSONField(default=list, blank=True, help_text="Daily activities.")
    activities_notes = models.TextField(blank=True, help_text="Other activities, hours, sports.")
    consent_treatment = models.BooleanField(default=False)
    consent_treatment_date = models.DateField(null=True, blank=True)
    consent_data = models.BooleanField(default=False, help_text="Consent to keep their data.")
    consent_data_date = models.DateField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["clinic", "last_name", "first_name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_treatment=False) | Q(consent_treatment_date__isnull=False),
                name="patient_treatment_consent_dated",
            ),
            models.CheckConstraint(
                condition=Q(consent_data=False) | Q(consent_data_date__isnull=False),
                name="patient_data_consent_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("patients:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def age(self, on: date | None = None) -> int:
        on = on or timezone.localdate()
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def activity_labels(self) -> list[str]:
        labels = dict(self.Activity.choices)
        return [labels[a] for a in self.activities if a in labels]

    def clean(self) -> None:
        today = timezone.localdate()
        errors = {}
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = "The date of birth can't be in the future."
        for flag, field in (
            ("consent_treatment", "consent_treatment_date"),
            ("consent_data", "consent_data_date"),
        ):
            value = getattr(self, field)
            if value and value > today:
                errors[field] = "A consent date can't be in the future."
            if getattr(self, flag) and not value:
                errors[field] = "Give the date consent was given."
        if errors:
            raise ValidationError(errors)

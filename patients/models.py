from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .red_flags import RedFlag, flags_by_key


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


class Assessment(models.Model):
    """A dated intake: history, red-flag screening, and (next) the pain drawing and findings."""

    class Onset(models.TextChoices):
        SUDDEN = "sudden", "Sudden"
        GRADUAL = "gradual", "Gradual"

    class Course(models.TextChoices):
        IMPROVING = "improving", "Improving"
        STABLE = "stable", "Staying the same"
        WORSENING = "worsening", "Getting worse"
        FLUCTUATING = "fluctuating", "Comes and goes"

    class Decision(models.TextChoices):
        REFERRED_OUT = "referred_out", "Referred out for medical assessment"
        CLEARED = "cleared", "Cleared after review"

    class RedFlagStatus(models.TextChoices):
        NOT_SCREENED = "not_screened", "Not screened yet"
        CLEAR = "clear", "No red flags"
        UNRESOLVED = "unresolved", "Red flag: decision needed"
        RESOLVED = "resolved", "Red flag: decision recorded"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(default=timezone.localdate)
    chief_complaint = models.TextField()
    onset = models.CharField(max_length=10, choices=Onset.choices)
    onset_date = models.DateField(null=True, blank=True)
    course = models.CharField(max_length=12, choices=Course.choices, blank=True)
    aggravating = models.TextField("Aggravating activities", blank=True)
    easing = models.TextField("Easing activities", blank=True)
    earlier_treatment = models.TextField(blank=True)
    medications = models.TextField(blank=True)
    sleep = models.TextField(blank=True, help_text="Quality, hours, position, waking with pain.")
    stress = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Stress from 0 (none) to 10 (extreme)."
    )
    red_flags_screened_at = models.DateTimeField(null=True, blank=True, editable=False)
    red_flag_decision = models.CharField(max_length=15, choices=Decision.choices, blank=True)
    red_flag_decision_note = models.TextField(blank=True)
    red_flag_decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    red_flag_decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stress__lte=10), name="assessment_stress_0_10"),
            models.CheckConstraint(
                condition=Q(red_flag_decision="")
                | (~Q(red_flag_decision_note="") & Q(red_flag_decided_by__isnull=False)),
                name="assessment_decision_has_note_and_author",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.patient} on {self.assessed_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("patients:assessment", args=[self.patient_id, self.pk])

    def clean(self) -> None:
        today = timezone.localdate()
        errors = {}
        if self.assessed_on and self.assessed_on > today:
            errors["assessed_on"] = "The assessment date can't be in the future."
        if self.onset_date and self.onset_date > today:
            errors["onset_date"] = "The onset date can't be in the future."
        if self.stress is not None and self.stress > 10:
            errors["stress"] = "Stress is scored from 0 to 10."
        if errors:
            raise ValidationError(errors)

    # Red flags. Views prefetch `red_flag_answers`; these read that cache.

    def positive_red_flags(self) -> list[RedFlag]:
        flags = flags_by_key()
        present = {a.flag for a in self.red_flag_answers.all() if a.present}
        return [flag for key, flag in flags.items() if key in present]

    def blocking_red_flags(self) -> list[RedFlag]:
        return [flag for flag in self.positive_red_flags() if flag.blocks]

    def get_red_flag_status_display(self) -> str:
        return self.RedFlagStatus(self.red_flag_status).label

    @property
    def red_flag_status(self) -> str:
        if self.red_flags_screened_at is None:
            return self.RedFlagStatus.NOT_SCREENED
        if not self.blocking_red_flags():
            return self.RedFlagStatus.CLEAR
        if self.red_flag_decision:
            return self.RedFlagStatus.RESOLVED
        return self.RedFlagStatus.UNRESOLVED

    @property
    def shows_myofascial_explanations(self) -> bool:
        """Red flags come first: no ranking until screened, and none over an unresolved flag."""
        return self.red_flag_status in {self.RedFlagStatus.CLEAR, self.RedFlagStatus.RESOLVED}


class RedFlagAnswer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="red_flag_answers"
    )
    flag = models.CharField(max_length=40, help_text="Key from patients/data/red_flags.toml.")
    present = models.BooleanField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "flag"], name="red_flag_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.flag}: {'yes' if self.present else 'no'}"

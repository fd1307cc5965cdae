from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from triggerpoints.models import Side
from triggerpoints.precautions import (
    LIMBS,
    PRECAUTION_KEYS,
    SURGERY_AREAS,
    precautions_by_key,
)

from . import measures, red_flags
from .measures import NIJMEGEN_ITEMS

# Free text is bounded everywhere (forms show the limit; full_clean enforces it).
LONG_TEXT = MaxLengthValidator(2000)


class Versioned(models.Model):
    """A record users change: it carries a version, and every change claims it through
    `patients.services.claim_version`, so a save over a newer one is refused (one message:
    patients.editing) instead of silently overwriting it."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Clinic(models.Model):
    name = models.CharField(max_length=200, unique=True)
    # Printed on the patient's copy of a plan ("when to seek help").
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(max_length=300, blank=True)
    email = models.EmailField(blank=True)
    require_two_factor = models.BooleanField(
        "Require two-factor authentication",
        default=False,
        help_text="Everyone at the clinic must sign in with a code from an authenticator app.",
    )
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

    # Who added, deactivated or changed the role of whom. Never the password hash.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

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


class Patient(Versioned):
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
    address = models.TextField(blank=True, max_length=300, validators=[MaxLengthValidator(300)])
    occupation = models.CharField(max_length=120, blank=True)
    activities = models.JSONField(default=list, blank=True, help_text="Daily activities.")
    activities_notes = models.TextField(
        blank=True,
        max_length=1000,
        validators=[MaxLengthValidator(1000)],
        help_text="Other activities, hours, sports.",
    )
    consent_treatment = models.BooleanField(default=False)
    consent_treatment_date = models.DateField(null=True, blank=True)
    consent_data = models.BooleanField(default=False, help_text="Consent to keep their data.")
    consent_data_date = models.DateField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["clinic", "last_name", "first_name"]),
            # The patient list (active patients, in its order) and its count, from the index
            # alone rather than every row of the clinic
            models.Index(
                fields=["clinic", "last_name", "first_name", "id"],
                condition=Q(archived_at__isnull=True),
                name="patient_active_list",
            ),
        ]
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

    def red_flags_answered_yes(self) -> list[str]:
        """Every red-flag question answered yes at any screening of the patient so far."""
        answers = RedFlagAnswer.objects.filter(screening__patient=self, present=True)
        return sorted(set(answers.values_list("flag", flat=True)))

    def rescreen_questions(self) -> tuple[red_flags.Item, ...]:
        """The patient's "anything new since last time?" questions, by the regions marked at
        any assessment and what they answered yes to before. Two queries."""
        regions = PainMark.objects.filter(assessment__patient=self).values_list(
            "region_id", flat=True
        )
        return red_flags.rescreen_items(
            regions=set(regions), earlier_yes=self.red_flags_answered_yes()
        )

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


class Assessment(Versioned):
    """A dated intake: history, red-flag screening, and (next) the pain drawing and findings."""

    class Onset(models.TextChoices):
        SUDDEN = "sudden", "Sudden"
        GRADUAL = "gradual", "Gradual"

    class Course(models.TextChoices):
        IMPROVING = "improving", "Improving"
        STABLE = "stable", "Staying the same"
        WORSENING = "worsening", "Getting worse"
        FLUCTUATING = "fluctuating", "Comes and goes"

    class SelfCare(models.TextChoices):
        # Values are the catalogue's intake cues "self-care:<value>".
        POOR_SLEEP = "poor-sleep", "Poor or broken sleep"
        LOW_FLUIDS = "low-fluids", "Drinks little water, or much coffee, tea or alcohol"
        DIET = "diet", "Restricted diet, or a known low iron, vitamin D or B12"

    HIGH_STRESS = 6  # stress at or above this brings the stress advice into a plan

    class RedFlagStatus(models.TextChoices):
        NOT_SCREENED = "not_screened", "Not screened yet"
        CLEAR = "clear", "No red flags"
        UNRESOLVED = "unresolved", "Red flag: decision needed"
        RESOLVED = "resolved", "Red flag: decision recorded"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(default=timezone.localdate)
    chief_complaint = models.TextField(max_length=1000, validators=[MaxLengthValidator(1000)])
    onset = models.CharField(max_length=10, choices=Onset.choices)
    onset_date = models.DateField(null=True, blank=True)
    course = models.CharField(max_length=12, choices=Course.choices, blank=True)
    aggravating = models.TextField(
        "Aggravating activities", blank=True, max_length=2000, validators=[LONG_TEXT]
    )
    easing = models.TextField(
        "Easing activities", blank=True, max_length=2000, validators=[LONG_TEXT]
    )
    earlier_treatment = models.TextField(blank=True, max_length=2000, validators=[LONG_TEXT])
    medications = models.TextField(blank=True, max_length=2000, validators=[LONG_TEXT])
    sleep = models.TextField(
        blank=True,
        max_length=2000,
        validators=[LONG_TEXT],
        help_text="Quality, hours, position, waking with pain.",
    )
    stress = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Stress from 0 (none) to 10 (extreme)."
    )
    self_care = models.JSONField(
        "Self-care concerns",
        default=list,
        blank=True,
        help_text="What the patient reports about sleep, fluids and diet.",
    )
    symptoms = models.JSONField(
        "Associated symptoms",
        default=list,
        blank=True,
        help_text="What the patient reports besides where it hurts (symptom keys, facts §11).",
    )
    factors = models.JSONField(
        "Habits and other factors",
        default=list,
        blank=True,
        help_text="What keeps the pain going, as reported (perpetuating-factor keys).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stress__lte=10), name="assessment_stress_0_10"),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.patient} on {self.assessed_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("patients:assessment", args=[self.patient_id, self.pk])

    def self_care_labels(self) -> list[str]:
        labels = dict(self.SelfCare.choices)
        return [labels[value] for value in self.self_care if value in labels]

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

    # Red flags. The intake screening is `self.screening` (loaders select it and prefetch its
    # answers); later sessions re-screen with their own Screening.

    @property
    def intake_screening(self) -> "Screening | None":
        try:
            return self.screening
        except Screening.DoesNotExist:
            return None

    def get_red_flag_status_display(self) -> str:
        return self.RedFlagStatus(self.red_flag_status).label

    @property
    def red_flag_status(self) -> str:
        screening = self.intake_screening
        return screening.status if screening else self.RedFlagStatus.NOT_SCREENED

    @cached_property
    def held_back_by(self) -> list["Screening"]:
        """Screenings of this patient, this one's or a later session's, that hold myofascial
        explanations back until someone records a decision. One query."""
        return list(
            Screening.objects.filter(patient_id=self.patient_id)
            .unresolved()
            .select_related("assessment", "session")
        )

    @property
    def shows_myofascial_explanations(self) -> bool:
        """Red flags come first: no ranking until screened, and none while any screening of the
        patient holds them back."""
        return self.red_flag_status != self.RedFlagStatus.NOT_SCREENED and not self.held_back_by


class ScreeningQuerySet(models.QuerySet):
    def unresolved(self) -> "ScreeningQuerySet":
        return self.filter(holds_back=True, decision="")


class Screening(Versioned):
    """One red-flag screening: the intake screening of an assessment, or the "anything new since
    last time?" check at a session. The answers are its RedFlagAnswer rows; the triage rules
    are in patients/red_flags.py. `level` and `holds_back` keep the triage as it was worked out
    when the answers were saved, so "what holds this patient back" is one indexed query."""

    class Decision(models.TextChoices):
        REFERRED_OUT = "referred_out", "Referred out for medical assessment"
        CLEARED = "cleared", "Cleared after review"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="screening"
    )
    session = models.OneToOneField(
        "TreatmentSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screening",
    )
    screened_on = models.DateField(help_text="The visit's date; ages are worked out on it.")
    screened_at = models.DateTimeField(default=timezone.now)
    screened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    carried_yes = models.JSONField(
        default=list,
        blank=True,
        help_text="Questions answered yes at earlier screenings, read with a session's answers.",
    )
    level = models.CharField(max_length=10, blank=True)
    holds_back = models.BooleanField(default=False)
    decision = models.CharField(max_length=15, choices=Decision.choices, blank=True)
    decision_note = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["screened_on", "pk"]
        indexes = [models.Index(fields=["patient", "holds_back", "decision"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(assessment__isnull=True) ^ Q(session__isnull=True),
                name="screening_of_an_assessment_or_a_session",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | (~Q(decision_note="") & Q(decided_by__isnull=False)),
                name="screening_decision_has_note_and_author",
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def get_absolute_url(self) -> str:
        if self.assessment_id:
            return reverse("patients:assessment", args=[self.patient_id, self.assessment_id])
        return reverse("patients:session", args=[self.patient_id, self.session_id])

    def describe(self) -> str:
        when = f"{self.screened_on.day} {self.screened_on:%b %Y}"
        if self.assessment_id:
            return f"the intake screening of {when}"
        return f"the re-screening at the session of {when}"

    # Views prefetch `answers`; these read that cache.

    def answers_map(self) -> dict[str, bool]:
        return {answer.flag: answer.present for answer in self.answers.all()}

    def triage(self) -> red_flags.Triage:
        born = self.patient.date_of_birth
        answers = {key: True for key in self.carried_yes} | self.answers_map()
        facts = red_flags.derived_facts(born=born, on=self.screened_on)
        return red_flags.triage(answers, facts=facts)

    def findings(self) -> tuple[red_flags.Finding, ...]:
        """What this screening found: at intake everything; at a session only what rests on
        something answered yes at that session (the rest was found, and decided, before)."""
        result = self.triage()
        if self.assessment_id:
            return result.findings
        new_yes = [key for key, yes in self.answers_map().items() if yes]
        return red_flags.new_findings(result, new_yes=new_yes)

    @property
    def status(self) -> str:
        if not self.holds_back:
            return Assessment.RedFlagStatus.CLEAR
        if self.decision:
            return Assessment.RedFlagStatus.RESOLVED
        return Assessment.RedFlagStatus.UNRESOLVED

    def get_status_display(self) -> str:
        return Assessment.RedFlagStatus(self.status).label

    @property
    def level_label(self) -> str:
        return red_flags.LEVELS.get(self.level, "No red flags")


class RedFlagAnswer(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="answers")
    flag = models.CharField(max_length=40, help_text="Key from patients/data/red_flags.toml.")
    present = models.BooleanField()

    # A "yes" changed to "no" carries its reason in the history (history_change_reason).
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "flag"], name="red_flag_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.flag}: {'yes' if self.present else 'no'}"

    @property
    def item(self) -> red_flags.Item | None:
        return red_flags.load().item(self.flag)


class CrossCheckResponse(models.Model):
    """What the therapist did about a cross-check prompt (patients.red_flags.cross_checks)."""

    class Response(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", "Acknowledged: not a concern, and why"
        ACTED = "acted", "Acted: asked again, examined or referred"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="cross_check_responses"
    )
    key = models.CharField(max_length=40)
    response = models.CharField(max_length=12, choices=Response.choices)
    note = models.TextField(max_length=1000)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="cross_check_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.response}"


# The examination: pain drawing, palpated trigger points, postural and breathing findings and the
# outcome measures, all recorded against one assessment.


class PainMark(models.Model):
    """One region of the pain drawing. The drawing is saved whole (services.pain_drawing_record)."""

    class Quality(models.TextChoices):
        ACHING = "aching", "Aching"
        BURNING = "burning", "Burning"
        SHARP = "sharp", "Sharp"
        STABBING = "stabbing", "Stabbing"
        TINGLING = "tingling", "Tingling"
        NUMB = "numb", "Numb"

    class Pattern(models.TextChoices):
        CONSTANT = "constant", "Constant"
        INTERMITTENT = "intermittent", "Comes and goes"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="pain_marks")
    region = models.ForeignKey(
        "triggerpoints.BodyRegion", on_delete=models.PROTECT, to_field="code", related_name="+"
    )
    intensity = models.PositiveSmallIntegerField(help_text="0 (no pain) to 10 (worst imaginable).")
    quality = models.CharField(max_length=10, choices=Quality.choices)
    pattern = models.CharField(max_length=12, choices=Pattern.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__area__sort_order", "region__side"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "region"], name="pain_mark_once"),
            models.CheckConstraint(condition=Q(intensity__lte=10), name="pain_mark_intensity_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}: {self.intensity}/10 {self.quality}"


class PalpatedTriggerPoint(Versioned):
    """A trigger point examined by palpation. The common criteria for a trigger point: at least
    two of a taut band, a tender spot in it, and referred pain (facts §0, Fernández-de-las-Peñas
    & Dommerholt 2018 Delphi)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active (reproduces the patient's pain)"
        LATENT = "latent", "Latent (tender, not the familiar pain)"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="palpated_points"
    )
    trigger_point = models.ForeignKey(
        "triggerpoints.TriggerPoint", on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(max_length=1, choices=Side.choices)
    status = models.CharField(max_length=6, choices=Status.choices)
    taut_band = models.BooleanField(default=False)
    spot_tenderness = models.BooleanField("Tender spot", default=False)
    referral_reproduced = models.BooleanField("Referred pain reproduced", default=False)
    referral_recognised = models.BooleanField(
        "Patient recognises the pain", default=False, help_text="The familiar complaint."
    )
    twitch_response = models.BooleanField("Local twitch response", default=False)
    jump_sign = models.BooleanField(default=False)
    notes = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "trigger_point", "side"], name="palpated_point_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trigger_point} ({self.get_side_display()}, {self.status})"

    CRITERIA = ("taut_band", "spot_tenderness", "referral_reproduced")

    @property
    def criteria_count(self) -> int:
        return sum(bool(getattr(self, name)) for name in self.CRITERIA)

    @property
    def meets_criteria(self) -> bool:
        return self.criteria_count >= 2

    @property
    def summary(self) -> str:
        """One line for the clinician's copy of a plan and the record export."""
        point = self.trigger_point
        return (
            f"{self.status.capitalize()} trigger point: {point.muscle.name}, {point.label} "
            f"({self.get_side_display().lower()}); {self.criteria_count} of 3 criteria"
        )


class PosturalObservation(Versioned):
    class Severity(models.TextChoices):
        MILD = "mild", "Mild"
        MODERATE = "moderate", "Moderate"
        MARKED = "marked", "Marked"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="postural_observations"
    )
    finding = models.ForeignKey(
        "triggerpoints.PosturalFinding", on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(max_length=8, choices=Severity.choices)
    notes = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "finding"], name="postural_finding_once"),
        ]

    def __str__(self) -> str:
        return f"{self.finding} ({self.severity})"


class Measures(Versioned, measures.BreathingThresholds):
    """Breathing and outcome measures of one assessment. One row per assessment, created on the
    first save; `version` guards against two therapists saving over each other."""

    class BreathingPattern(models.TextChoices):
        # Values match the catalogue's breathing-finding keys where there is one.
        DIAPHRAGMATIC = "diaphragmatic", "Diaphragmatic (low and slow)"
        UPPER_CHEST = "upper-chest", "Upper-chest (apical)"
        PARADOXICAL = "paradoxical", "Paradoxical"

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="measures")
    breathing_pattern = models.CharField(
        max_length=15, choices=BreathingPattern.choices, blank=True
    )
    mouth_breathing = models.BooleanField("Breathes through the mouth at rest", default=False)
    breathing_rate = models.PositiveSmallIntegerField(
        "Resting breathing rate", null=True, blank=True, help_text="Breaths per minute."
    )
    bolt_seconds = models.PositiveSmallIntegerField(
        "BOLT", null=True, blank=True, help_text="Seconds to the first definite urge to breathe."
    )
    nijmegen = models.JSONField(
        default=list, blank=True, help_text="16 answers, 0 (never) to 4 (very often)."
    )
    neuro_check = models.CharField(
        "Neurological check",
        max_length=8,
        choices=[("", "Not done"), ("normal", "Normal"), ("abnormal", "Abnormal")],
        blank=True,
        help_text="Sensation, power and reflexes in the painful limb or region.",
    )
    neuro_check_note = models.CharField(max_length=300, blank=True)
    nprs = models.PositiveSmallIntegerField(
        "Pain now (NPRS)", null=True, blank=True, help_text="0 (no pain) to 10 (worst imaginable)."
    )
    ndi = models.PositiveSmallIntegerField(
        "Neck Disability Index", null=True, blank=True, help_text="Total, 0 to 50."
    )
    odi = models.PositiveSmallIntegerField(
        "Oswestry Disability Index", null=True, blank=True, help_text="Percent, 0 to 100."
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "measures"
        constraints = [
            models.CheckConstraint(condition=Q(nprs__lte=10), name="measures_nprs_0_10"),
            models.CheckConstraint(condition=Q(ndi__lte=50), name="measures_ndi_0_50"),
            models.CheckConstraint(condition=Q(odi__lte=100), name="measures_odi_0_100"),
            models.CheckConstraint(
                condition=Q(breathing_rate__gte=4, breathing_rate__lte=60),
                name="measures_breathing_rate_4_60",
            ),
            models.CheckConstraint(condition=Q(bolt_seconds__lte=180), name="measures_bolt_0_180"),
        ]

    def __str__(self) -> str:
        return f"Measures of {self.assessment}"

    @property
    def nijmegen_score(self) -> int | None:
        return sum(self.nijmegen) if self.nijmegen else None

    def clean(self) -> None:
        errors = {}
        if self.nijmegen and (
            len(self.nijmegen) != len(NIJMEGEN_ITEMS)
            or any(not isinstance(v, int) or not 0 <= v <= 4 for v in self.nijmegen)
        ):
            errors["nijmegen"] = "Answer all 16 Nijmegen items from 0 (never) to 4 (very often)."
        if errors:
            raise ValidationError(errors)


class PsfsActivity(models.Model):
    """Patient-Specific Functional Scale: an activity the patient finds hard, scored 0 (unable)
    to 10 (as before the problem)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="psfs_activities"
    )
    activity = models.CharField(max_length=120)
    score = models.PositiveSmallIntegerField(help_text="0 (unable) to 10 (as before).")

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = "PSFS activity"
        verbose_name_plural = "PSFS activities"
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=10), name="psfs_score_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.score}/10"


# Sessions


class TreatmentSession(Versioned):
    """One treatment visit. Editable until signed; after that every change is an amendment that
    keeps the signed text (`signed_content`) visible with who changed what and when."""

    class Response(models.TextChoices):
        BETTER = "better", "Better"
        SAME = "same", "No change"
        WORSE = "worse", "Worse"

    class Adherence(models.TextChoices):
        NOT_SET = "not_set", "No home programme yet"
        NONE = "none", "Not done"
        SOME = "some", "Some days"
        MOST = "most", "Most days"
        ALL = "all", "Every day"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sessions")
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sessions")
    session_date = models.DateField(default=timezone.localdate)
    pre_nprs = models.PositiveSmallIntegerField("Pain before (NPRS)", help_text="0 to 10.")
    post_nprs = models.PositiveSmallIntegerField(
        "Pain after (NPRS)", null=True, blank=True, help_text="0 to 10."
    )
    response = models.CharField(
        "Response since last visit", max_length=6, choices=Response.choices, blank=True
    )
    adherence = models.CharField(
        "Home-programme adherence",
        max_length=8,
        choices=Adherence.choices,
        default=Adherence.NOT_SET,
    )
    notes = models.TextField(blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    signed_content = models.JSONField(
        default=dict, blank=True, editable=False, help_text="The note as signed."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-session_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(pre_nprs__lte=10), name="session_pre_nprs_0_10"),
            models.CheckConstraint(condition=Q(post_nprs__lte=10), name="session_post_nprs_0_10"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(signed_by__isnull=False),
                name="session_signature_has_author",
            ),
        ]

    def __str__(self) -> str:
        return f"Session with {self.patient} on {self.session_date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("patients:session", args=[self.patient_id, self.pk])

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def screening_or_none(self) -> "Screening | None":
        try:
            return self.screening
        except Screening.DoesNotExist:
            return None

    def clean(self) -> None:
        errors = {}
        if self.session_date and self.session_date > timezone.localdate():
            errors["session_date"] = "The session date can't be in the future."
        for name in ("pre_nprs", "post_nprs"):
            value = getattr(self, name)
            if value is not None and value > 10:
                errors[name] = "Pain is scored from 0 to 10."
        if errors:
            raise ValidationError(errors)


class TreatedPoint(models.Model):
    """A trigger point treated in a session, with its status at the visit and the re-test after
    treatment (tenderness 0–10 or pressure-pain threshold in kPa, before and after)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LATENT = "latent", "Latent"
        RESOLVED = "resolved", "Resolved"

    class Retest(models.TextChoices):
        TENDERNESS = "tenderness", "Tenderness (0–10)"
        PPT = "ppt", "Pressure-pain threshold (kPa)"

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="treated_points"
    )
    trigger_point = models.ForeignKey(
        "triggerpoints.TriggerPoint", on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(max_length=1, choices=Side.choices)
    technique = models.ForeignKey(
        "triggerpoints.ReleaseTechnique", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "Status at this visit", max_length=8, choices=Status.choices, blank=True
    )
    retest = models.CharField("Re-test by", max_length=10, choices=Retest.choices, blank=True)
    retest_before = models.PositiveSmallIntegerField(null=True, blank=True)
    retest_after = models.PositiveSmallIntegerField(null=True, blank=True)
    referral_reproduced = models.BooleanField(
        "Referred pain reproduced", null=True, blank=True, help_text="Before treatment."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trigger_point", "side", "technique"], name="treated_point_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trigger_point} ({self.get_side_display()}): {self.technique}"

    def course_text(self) -> str:
        """' · active · tenderness 7 → 3 · referral reproduced'; "" when none was recorded."""
        parts = []
        if self.status:
            parts.append(self.get_status_display().lower())
        if self.retest and self.retest_before is not None:
            after = f" → {self.retest_after}" if self.retest_after is not None else ""
            unit = " kPa" if self.retest == self.Retest.PPT else ""
            name = "PPT" if self.retest == self.Retest.PPT else "tenderness"
            parts.append(f"{name} {self.retest_before}{after}{unit}")
        if self.referral_reproduced is not None:
            parts.append(
                "referral reproduced" if self.referral_reproduced else "referral not reproduced"
            )
        return "".join(f" · {p}" for p in parts)

    def clean(self) -> None:
        if self.retest == self.Retest.TENDERNESS:
            for name in ("retest_before", "retest_after"):
                value = getattr(self, name)
                if value is not None and value > 10:
                    raise ValidationError({name: "Tenderness is scored from 0 to 10."})
        if self.retest_before is not None and not self.retest:
            raise ValidationError({"retest": "Say what the re-test measured."})


class SessionAmendment(models.Model):
    """A change to a signed session: what changed (field, before, after), why, who and when."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="amendments"
    )
    amended_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=1000, validators=[MaxLengthValidator(1000)])
    changes = models.JSONField(help_text='[{"field", "label", "before", "after"}, ...]')

    class Meta:
        ordering = ["amended_at", "pk"]

    def __str__(self) -> str:
        return (
            f"Amendment to {self.session} by {self.amended_by} at {self.amended_at:%Y-%m-%d %H:%M}"
        )


class PrecautionProfile(models.Model):
    """The patient's precautions (facts §12.1, keys in triggerpoints.precautions), asked at intake
    (with the assessment) and confirmed or updated at each visit (with the session). The latest
    row is the patient's current profile; earlier rows stay as the record of what was known."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="precautions")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="precautions"
    )
    session = models.OneToOneField(
        TreatmentSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="precaution_check",
    )
    recorded_on = models.DateField(default=timezone.localdate)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    keys = models.JSONField("Precautions", default=list, blank=True)
    pregnancy_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    surgery_area = models.CharField(
        "Area of the surgery or fracture", max_length=30, choices=SURGERY_AREAS, blank=True
    )
    lymphoedema_limb = models.CharField(max_length=5, choices=LIMBS, blank=True)
    unchanged = models.BooleanField(
        default=False, help_text="Confirmed at a visit as unchanged since the last record."
    )
    notes = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pregnancy_weeks__isnull=True) | Q(pregnancy_weeks__lte=45),
                name="precaution_pregnancy_weeks_0_45",
            ),
        ]

    def __str__(self) -> str:
        return f"Precautions of {self.patient} on {self.recorded_on:%d %b %Y}"

    def labels(self) -> list[str]:
        """'Pregnant (24 weeks)', 'Lymphoedema (left arm)', in vocabulary order."""
        known = precautions_by_key()
        out = []
        for key in PRECAUTION_KEYS:
            if key not in self.keys:
                continue
            label = known[key].label
            if key == "pregnancy" and self.pregnancy_weeks is not None:
                label = f"{label} ({self.pregnancy_weeks} weeks)"
            elif key == "recent-surgery-or-fracture" and self.surgery_area:
                label = f"{label} ({self.get_surgery_area_display().lower()})"
            elif key == "lymphoedema" and self.lymphoedema_limb:
                label = f"{label} ({self.get_lymphoedema_limb_display().lower()})"
            out.append(label)
        return out

    def clean(self) -> None:
        errors = {}
        unknown = [k for k in self.keys if k not in PRECAUTION_KEYS]
        if unknown:
            errors["keys"] = f"Unknown precaution(s): {', '.join(unknown)}."
        if "pregnancy" in self.keys and self.pregnancy_weeks is None:
            errors["pregnancy_weeks"] = "Give the weeks of pregnancy."
        if "recent-surgery-or-fracture" in self.keys and not self.surgery_area:
            errors["surgery_area"] = "Say where the surgery or fracture was."
        if "lymphoedema" in self.keys and not self.lymphoedema_limb:
            errors["lymphoedema_limb"] = "Say which limb."
        if errors:
            raise ValidationError(errors)


class Submission(models.Model):
    """A create form's one-time token: the second submit of the same form (a double click, a
    resent request) finds the record the first made instead of making another."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    url = models.CharField(max_length=300, help_text="Where the first submit led.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.token} → {self.url}"


class MovementResult(Versioned):
    """One test of the movement and loading screen (triggerpoints.MovementTest), recorded at an
    assessment or re-tested at a session: a value, or a left and a right. Scored by
    patients.movement; an abnormal result drives the plan's postural or breathing strand."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="movement_results",
    )
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="movement_results",
    )
    test = models.ForeignKey(
        "triggerpoints.MovementTest", on_delete=models.PROTECT, related_name="+"
    )
    value = models.FloatField(null=True, blank=True)
    left = models.FloatField(null=True, blank=True)
    right = models.FloatField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["test__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assessment__isnull=False, session__isnull=True)
                | Q(assessment__isnull=True, session__isnull=False),
                name="movement_result_one_visit",
            ),
            models.UniqueConstraint(
                fields=["assessment", "test"],
                condition=Q(assessment__isnull=False),
                name="movement_result_once_per_assessment",
            ),
            models.UniqueConstraint(
                fields=["session", "test"],
                condition=Q(session__isnull=False),
                name="movement_result_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.test}: {self.value if self.value is not None else (self.left, self.right)}"


class RecordStamp(models.Model):
    """A token that changes whenever anything in a patient's record changes: written only by
    database triggers (patients.stamps), on every table that holds part of a record, so no
    write can miss it (a form, a service, a queryset update, the admin, raw SQL). Pages keep
    what they draw from a record under this token (patients.stamps.record_fragment)."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="stamp"
    )
    stamp = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.patient_id}: {self.stamp}"

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .measures import BOLT_LOW, NIJMEGEN_ITEMS, NIJMEGEN_THRESHOLD, RESTING_RATE_HIGH
from .red_flags import RedFlag, flags_by_key


class Clinic(models.Model):
    name = models.CharField(max_length=200, unique=True)
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
    self_care = models.JSONField(
        "Self-care concerns",
        default=list,
        blank=True,
        help_text="What the patient reports about sleep, fluids and diet.",
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


# The examination: pain drawing, palpated trigger points, postural and breathing findings and the
# outcome measures, all recorded against one assessment.


class Side(models.TextChoices):
    LEFT = "l", "Left"
    RIGHT = "r", "Right"
    MIDLINE = "m", "Midline"


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


class PalpatedTriggerPoint(models.Model):
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


class PosturalObservation(models.Model):
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


class Measures(models.Model):
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
    nprs = models.PositiveSmallIntegerField(
        "Pain now (NPRS)", null=True, blank=True, help_text="0 (no pain) to 10 (worst imaginable)."
    )
    ndi = models.PositiveSmallIntegerField(
        "Neck Disability Index", null=True, blank=True, help_text="Total, 0 to 50."
    )
    odi = models.PositiveSmallIntegerField(
        "Oswestry Disability Index", null=True, blank=True, help_text="Percent, 0 to 100."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
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

    @property
    def nijmegen_positive(self) -> bool:
        score = self.nijmegen_score
        return score is not None and score >= NIJMEGEN_THRESHOLD

    @property
    def bolt_low(self) -> bool:
        return self.bolt_seconds is not None and self.bolt_seconds < BOLT_LOW

    @property
    def breathing_rate_high(self) -> bool:
        return self.breathing_rate is not None and self.breathing_rate > RESTING_RATE_HIGH

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


class TreatmentSession(models.Model):
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
    notes = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    signed_content = models.JSONField(
        default=dict, blank=True, editable=False, help_text="The note as signed."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
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


class SessionAmendment(models.Model):
    """A change to a signed session: what changed (field, before, after), why, who and when."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="amendments"
    )
    amended_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    changes = models.JSONField(help_text='[{"field", "label", "before", "after"}, ...]')

    class Meta:
        ordering = ["amended_at", "pk"]

    def __str__(self) -> str:
        return (
            f"Amendment to {self.session} by {self.amended_by} at {self.amended_at:%Y-%m-%d %H:%M}"
        )

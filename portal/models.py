"""The patient's side: a link to the issued plan version, and the diary they keep with it.

A link carries a long random token that is never stored (only its SHA-256). It shows one issued
version, asks for the year of birth once per device, and closes when it expires, when a newer
version is issued or the plan is completed, or when the therapist revokes it. The diary holds,
per day, which home items were done (one row per item per day, by a database constraint), the
pain score and a short note.
"""

import hashlib
import secrets
from datetime import date, datetime

from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from patients.models import Patient, User
from plans.models import Plan, PlanVersion

NOTE_MAX = 280  # the diary's note: a short line, not a letter
TOKEN_BYTES = 32  # 256 bits: 43 URL-safe characters


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LinkQuerySet(models.QuerySet):
    def for_clinic(self, clinic) -> "LinkQuerySet":  # noqa: ANN001
        return self.filter(patient__clinic=clinic) if clinic is not None else self.none()


class PatientLink(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        EXPIRED = "expired", "Expired"
        SUPERSEDED = "superseded", "Replaced by a newer version"
        COMPLETED = "completed", "Plan completed"
        REVOKED = "revoked", "Revoked"
        ARCHIVED = "archived", "Patient record archived"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="patient_links")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plan_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="patient_link_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan link for {self.patient}, version {self.version.number}"

    def state(self, now: datetime | None = None) -> str:
        """Why the link is closed, or OPEN. Needs `plan`, `version` and `patient` loaded."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.patient.is_archived:
            return self.State.ARCHIVED
        if self.plan.status == Plan.Status.COMPLETED:
            return self.State.COMPLETED
        if self.version.number < self.plan.issued_number:
            return self.State.SUPERSEDED
        if now >= self.expires_at:
            return self.State.EXPIRED
        return self.State.OPEN

    @property
    def is_open(self) -> bool:
        return self.state() == self.State.OPEN

    @property
    def first_day(self) -> date:
        return timezone.localdate(self.created_at)


class DiaryDay(models.Model):
    """The day's pain score and note."""

    link = models.ForeignKey(PatientLink, on_delete=models.PROTECT, related_name="days")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    pain = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)], help_text="0 to 10."
    )
    note = models.CharField(
        max_length=NOTE_MAX, blank=True, validators=[MaxLengthValidator(NOTE_MAX)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        constraints = [
            # One pain score and note a day for the person, whichever of their links sent it.
            models.UniqueConstraint(fields=["patient", "day"], name="diary_day_once"),
            models.CheckConstraint(condition=Q(pain__lte=10), name="diary_pain_0_10"),
        ]

    def __str__(self) -> str:
        return f"Diary of {self.patient_id} on {self.day}"


class DiaryTick(models.Model):
    """One home item on one day: done (or undone by a second tap), and "this made it worse"."""

    link = models.ForeignKey(PatientLink, on_delete=models.PROTECT, related_name="ticks")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    item_key = models.CharField(max_length=80)
    strand = models.CharField(max_length=10)
    done = models.BooleanField(default=True)
    worse = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "pk"]
        constraints = [
            # Once per item per day for the person (a plan re-sent mid-day keeps the same row).
            models.UniqueConstraint(
                fields=["patient", "day", "item_key"], name="diary_item_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_key} on {self.day}"


class DiaryReceipt(models.Model):
    """Each entry the phone sends carries a key it made itself; a key seen before is not applied
    again (a resend after a lost answer, a second tab, a replay)."""

    key = models.UUIDField(unique=True)
    link = models.ForeignKey(PatientLink, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.key)


class LinkAttempt(models.Model):
    """A failed try at a plan link: a token that matches none, or a wrong year of birth. In the
    database, so the limits hold across app servers."""

    class Kind(models.TextChoices):
        UNKNOWN_TOKEN = "unknown", "No such link"
        WRONG_YEAR = "year", "Wrong year of birth"
        REFUSED = "refused", "Refused: too many tries"

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    ip_address = models.GenericIPAddressField(null=True)
    link = models.ForeignKey(
        PatientLink, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["ip_address", "at"]), models.Index(fields=["link", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.ip_address} at {self.at:%Y-%m-%d %H:%M}"


class DiaryPrompt(models.Model):
    """A diary entry that needs the therapist's eyes (pain 8 or more, or a note naming a warning
    sign): on the dashboard until someone marks it seen. One per link per day."""

    link = models.ForeignKey(PatientLink, on_delete=models.PROTECT, related_name="prompts")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="diary_prompt_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"Diary prompt for {self.patient_id} on {self.day}"

"""Treatment plans: three strands (local release, postural and breathing retraining) plus
self-care, each item with its dosage and the findings that put it there.

A plan is edited as a draft. Issuing it freezes what the patient received as a numbered
`PlanVersion` (the items and everything the PDF shows, as JSON); later edits turn the plan back
into a draft of the next version, and earlier versions stay readable.
"""

from datetime import timedelta

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from patients.models import Assessment, Patient, User, Versioned
from triggerpoints.models import Side

REVIEW_AFTER = timedelta(weeks=4)


def default_review_date():  # noqa: ANN201  (a migration-serialisable callable)
    return timezone.localdate() + REVIEW_AFTER


class Strand(models.TextChoices):
    LOCAL = "local", "Local release"
    POSTURAL = "postural", "Postural retraining"
    BREATHING = "breathing", "Breathing retraining"
    SELF_CARE = "self_care", "Self-care and education"


class PlanQuerySet(models.QuerySet):
    def for_clinic(self, clinic) -> "PlanQuerySet":  # noqa: ANN001
        return self.filter(patient__clinic=clinic) if clinic is not None else self.none()


class Plan(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"
        COMPLETED = "completed", "Completed"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="plans")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_date = models.DateField(default=default_review_date)
    notes = models.TextField(
        "Note to the patient", blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    recurrence_note = models.TextField(
        blank=True,
        max_length=2000,
        help_text="Why the global strands were raised, when they were.",
    )
    # What the plan rules decided beyond the items (plans.rules.PlanNotes), for the therapist.
    precautions = models.CharField(
        max_length=500, blank=True, help_text="The patient's precautions the plan was built with."
    )
    screen_for = models.JSONField(
        default=list,
        blank=True,
        help_text="Perpetuating factors of the treated points nobody examined: check them.",
    )
    left_out = models.JSONField(
        default=list, blank=True, help_text="What the plan left out, and why."
    )
    breathing_not_assessed = models.BooleanField(default=False)
    issued_number = models.PositiveIntegerField(
        default=0, editable=False, help_text="The latest issued version (0: never issued)."
    )
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(issued_number__gte=1),
                name="plan_issued_has_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan for {self.patient} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.COMPLETED

    @property
    def draft_number(self) -> int:
        """The version number the current items would be issued as."""
        return self.issued_number + 1 if self.status == self.Status.DRAFT else self.issued_number


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    strand = models.CharField(max_length=10, choices=Strand.choices)
    position = models.PositiveSmallIntegerField(default=0)
    key = models.CharField(
        max_length=80,
        help_text="What the item is, e.g. drill:chin-nod or point:22:l; one per plan.",
    )
    title = models.CharField(max_length=200)
    instructions = models.TextField(
        blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    dosage = models.CharField(
        max_length=300, blank=True, help_text="How much; may run over several lines."
    )
    frequency = models.CharField(max_length=200, blank=True)
    rationale = models.TextField(
        blank=True, max_length=2000, help_text="The findings that put it there."
    )
    notes = models.TextField(
        "Note for the patient",
        blank=True,
        max_length=1000,
        validators=[MaxLengthValidator(1000)],
        help_text="Printed on the patient's plan, under the item.",
    )
    clinic_note = models.TextField(
        "Note for the clinic",
        blank=True,
        max_length=1000,
        validators=[MaxLengthValidator(1000)],
        help_text="For the therapists only: never printed on the patient's plan.",
    )
    priority = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 = do this first; empty for clinic-only items."
    )
    clinic_only = models.BooleanField(default=False, help_text="Done at visits, not at home.")
    cautions = models.TextField(
        max_length=1000, blank=True, help_text="Site cautions, printed on the patient's copy."
    )
    precaution_note = models.CharField(
        max_length=500, blank=True, help_text="Which precaution changed this item, and how."
    )
    sources = models.TextField(max_length=2000, blank=True, help_text="One source per line.")
    trigger_point = models.ForeignKey(
        "triggerpoints.TriggerPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    side = models.CharField(max_length=1, choices=Side.choices, blank=True)
    technique = models.ForeignKey(
        "triggerpoints.ReleaseTechnique",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    drill = models.ForeignKey(
        "triggerpoints.Drill", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    factor = models.ForeignKey(
        "triggerpoints.PerpetuatingFactor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plan_item_once"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """What the patient received when the plan was issued: frozen, readable for ever."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(help_text="plans.content.PlanContent as JSON.")
    # The version's PDFs, rendered on first download and served from storage after (an issued
    # version never changes). Storage is settings.STORAGES["default"]; never a public URL.
    patient_pdf = models.FileField(upload_to="plans/", max_length=200, blank=True, editable=False)
    clinician_pdf = models.FileField(upload_to="plans/", max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("plans:version", args=[self.plan_id, self.number])

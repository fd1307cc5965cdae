from django.db import models
from django.utils import timezone

from patients.models import Patient, User


class RecordEvent(models.Model):
    """An export or an anonymisation of a patient's record: who, when, from where. Append-only:
    rows are created by the services and never changed."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Record exported"
        ANONYMISE = "anonymise", "Record anonymised"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="record_events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.patient_id} by {self.by} at {self.at:%Y-%m-%d %H:%M}"
        )

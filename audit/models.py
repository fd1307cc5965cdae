"""The access log: who read which patient's data, when, and from where. Append-only."""

from django.db import models
from django.utils import timezone

from patients.models import Clinic, Patient, User


class AppendOnlyError(Exception):
    """The access log is evidence: its rows are never changed or removed."""


class AccessEventQuerySet(models.QuerySet):
    def for_clinic(self, clinic: Clinic | None) -> "AccessEventQuerySet":
        """Reads of one clinic's patient data; none for a user without a clinic."""
        return self.filter(clinic=clinic) if clinic is not None else self.none()

    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Access log rows cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access log rows cannot be deleted.")


class AccessEvent(models.Model):
    class Kind(models.TextChoices):
        LIST = "list", "Patient list or search"
        RECORD = "record", "Patient record"
        ASSESSMENT = "assessment", "Assessment"
        NOTE = "note", "Session note"
        PROGRESS = "progress", "Progress"
        PLAN = "plan", "Plan"
        PDF = "pdf", "PDF download"
        EXPORT = "export", "Export"
        ADMIN = "admin", "Admin read"
        # The patient's own plan link (portal app): no staff user, the patient by the link.
        LINK_OPEN = "link_open", "Patient opened their plan link"
        LINK_ENTRY = "link_entry", "Patient diary entry"
        LINK_REFUSED = "link_refused", "Plan link refused"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Empty for the patient's own plan link (the portal app's kinds): no staff account.
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    # Whose data: the clinic whose admin reads this row (empty for admin pages over many).
    # No index of their own: the two in Meta lead with them (every page view adds a row, and
    # each index is a write).
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    view_name = models.CharField(max_length=100)
    object_id = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["clinic", "-at"]),
            models.Index(fields=["patient", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_kind_display()} {self.path} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Access log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access log rows cannot be deleted.")

    @property
    def who(self) -> str:
        return str(self.user) if self.user_id else "The patient, by their plan link"

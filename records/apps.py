from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """A patient's record as a whole: export (FHIR and documents), anonymisation, and guards on
    the change history."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "records"

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TriggerpointsConfig(AppConfig):
    name = "triggerpoints"
    verbose_name = "Trigger-point catalogue"

    def ready(self) -> None:
        from . import cache
        from .roles import ensure_catalogue_editors_group

        cache.connect()

        # Permissions exist only after migrate has run, so the group is (re)synced then.
        post_migrate.connect(ensure_catalogue_editors_group, sender=self)

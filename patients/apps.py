from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Clinics and patients"

    def ready(self) -> None:
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login
        from django.core import checks
        from django.db.models.signals import post_migrate, pre_migrate

        from .signals import last_login_without_history

        # Django saves the whole user at each login, and the staff history would gain an
        # identical row every time: record the time of login with a plain UPDATE instead.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(last_login_without_history, dispatch_uid="update_last_login")

        # The record stamps' triggers follow the models: remade after every migrate.
        pre_migrate.connect(_before_migrate, sender=self, dispatch_uid="record_stamps")
        post_migrate.connect(_install_stamps, sender=self, dispatch_uid="record_stamps")
        checks.register(_check_stamps, checks.Tags.database)


def _before_migrate(using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    from . import stamps

    stamps.before_migrate(connections[using])


def _install_stamps(using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    from . import stamps

    stamps.install(connections[using])


def _check_stamps(
    app_configs: object = None, databases: list[str] | None = None, **kwargs: object
) -> list:
    """Every table of a record has its stamp trigger (`manage.py check --database default`)."""
    from django.core.checks import Warning
    from django.db import connections

    from . import stamps

    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if stamps.STAMP_TABLE not in connection.introspection.table_names():
            continue  # not migrated yet
        missing = stamps.trigger_names(connection.vendor) - stamps.installed_triggers(connection)
        if missing:
            errors.append(
                Warning(
                    f"Record stamp triggers missing: {', '.join(sorted(missing))}.",
                    hint="Run manage.py migrate (it remakes them).",
                    id="patients.W001",
                )
            )
    return errors

from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Clinics and patients"

    def ready(self) -> None:
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login

        from .signals import last_login_without_history

        # Django saves the whole user at each login, and the staff history would gain an
        # identical row every time: record the time of login with a plain UPDATE instead.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(last_login_without_history, dispatch_uid="update_last_login")

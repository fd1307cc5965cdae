from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in and two-factor"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .sessions import session_start

        user_logged_in.connect(session_start, dispatch_uid="accounts.session_start")

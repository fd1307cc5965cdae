from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Patient's plan link and diary"

    def ready(self) -> None:
        from patients.dashboard import HOME_EXTRAS

        from .context import open_prompts

        HOME_EXTRAS.append(lambda user: {"portal_prompts": open_prompts(user)})

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Patient's plan link and diary"

    def ready(self) -> None:
        """The portal's parts of other apps' pages (common.slots)."""
        from common.slots import register

        from . import context

        register(
            "home",
            template="portal/_dashboard_prompts.html",
            context=lambda user: {"portal_prompts": context.open_prompts(user)},
        )
        register("plan", template="portal/_send_to_patient.html", context=context.plan_context)
        register(
            "session_form", template="portal/_session_diary.html", context=context.session_diary
        )
        register("progress", template="portal/_progress_diary.html", context=context.progress_diary)

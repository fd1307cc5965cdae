from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Treatment plans"

    def ready(self) -> None:
        from common.slots import register
        from patients.dashboard import add_section, pain_not_improving

        from .dashboard import plans_due

        add_section(plans_due, before=pain_not_improving)
        register(
            "assessment",
            template="plans/_assessment_plans.html",
            context=lambda assessment: {
                "plans": list(assessment.plans.select_related("created_by"))
            },
        )

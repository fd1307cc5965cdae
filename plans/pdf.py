"""The plan as a PDF, rendered with WeasyPrint from Django templates. (Being written.)"""

from .content import PlanContent


def render_plan_pdf(content: PlanContent, *, clinician: bool = False) -> bytes:
    raise NotImplementedError

"""The plan's PDF download: the patient's copy, or with `?variant=clinician` the clinician's.

`?version=N` gives issued version N exactly as it was frozen. Without it: the latest issued
version while the plan is issued or completed, otherwise the current draft (marked DRAFT).
"""

from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from ..content import PlanContent, plan_content
from ..loaders import get_plan
from ..models import Plan
from ..pdf import PdfTooSlowError, render_plan_pdf_within


def _frozen(plan: Plan, number: int) -> PlanContent:
    """An issued version exactly as it was frozen (plan_issue freezes it with the status
    "issued", so it never prints as a draft)."""
    return PlanContent.from_json(get_object_or_404(plan.versions, number=number).content)


def _content(plan: Plan, version: str | None) -> PlanContent:
    if version is not None:
        try:
            number = int(version)
        except ValueError:
            raise Http404("No such version of this plan.") from None
        return _frozen(plan, number)
    if plan.status != Plan.Status.DRAFT and plan.issued_number:
        return _frozen(plan, plan.issued_number)
    return plan_content(plan)


def pdf_filename(last_name: str, number: int, *, clinician: bool = False) -> str:
    """`plan-<last name>-v<N>.pdf`, or `…-v<N>-clinician-copy.pdf` for the clinician's copy, so
    the two never overwrite each other in a download folder; ASCII only, safe in a header."""
    suffix = "-clinician-copy" if clinician else ""
    return f"plan-{slugify(last_name) or 'patient'}-v{number}{suffix}.pdf"


@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk, read_only=True)
    content = _content(plan, request.GET.get("version"))
    clinician = request.GET.get("variant") == "clinician"
    try:
        pdf = render_plan_pdf_within(content, clinician=clinician)
    except PdfTooSlowError:
        return render(
            request,
            "plans/pdf_too_slow.html",
            {"plan": plan, "patient": plan.patient},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = pdf_filename(plan.patient.last_name, content.number, clinician=clinician)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

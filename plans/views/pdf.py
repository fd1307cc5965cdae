"""The plan's PDF download: the patient's copy, or with `?variant=clinician` the clinician's.

`?version=N` gives issued version N exactly as it was frozen. Without it: the latest issued
version while the plan is issued or completed, otherwise the current draft (marked DRAFT).
An issued version's PDF is rendered once and then served from storage (plans.stored); a draft
is rendered on each download.
"""

from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from ..content import PlanContent, plan_content
from ..loaders import get_plan
from ..models import Plan, PlanVersion
from ..pdf import PdfTooSlowError, render_plan_pdf_within
from ..stored import stored_pdf


def _frozen(version: PlanVersion) -> PlanContent:
    """An issued version exactly as it was frozen (plan_issue freezes it with the status
    "issued", so it never prints as a draft)."""
    return PlanContent.from_json(version.content)


def _version(plan: Plan, version: str | None) -> PlanVersion | None:
    """The issued version asked for, or the latest while the plan is not a draft; None for the
    current draft."""
    if version is not None:
        try:
            number = int(version)
        except ValueError:
            raise Http404("No such version of this plan.") from None
        return get_object_or_404(plan.versions, number=number)
    if plan.status != Plan.Status.DRAFT and plan.issued_number:
        return get_object_or_404(plan.versions, number=plan.issued_number)
    return None


def pdf_filename(last_name: str, number: int, *, clinician: bool = False) -> str:
    """`plan-<last name>-v<N>.pdf`, or `…-v<N>-clinician-copy.pdf` for the clinician's copy, so
    the two never overwrite each other in a download folder; ASCII only, safe in a header."""
    suffix = "-clinician-copy" if clinician else ""
    return f"plan-{slugify(last_name) or 'patient'}-v{number}{suffix}.pdf"


@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk, read_only=True)
    version = _version(plan, request.GET.get("version"))
    clinician = request.GET.get("variant") == "clinician"
    try:
        if version is None:
            content = plan_content(plan)
            pdf = render_plan_pdf_within(content, clinician=clinician)
            number = content.number
        else:
            pdf = stored_pdf(
                version,
                clinician=clinician,
                render=lambda: render_plan_pdf_within(_frozen(version), clinician=clinician),
            )
            number = version.number
    except PdfTooSlowError:
        return render(
            request,
            "plans/pdf_too_slow.html",
            {"plan": plan, "patient": plan.patient},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = pdf_filename(plan.patient.last_name, number, clinician=clinician)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

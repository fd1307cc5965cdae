"""The plan's PDF download: the patient's copy, or with `?variant=clinician` the clinician's.

`?version=N` gives issued version N exactly as it was frozen. Without it: the latest issued
version while the plan is issued or completed, otherwise the current draft (marked DRAFT).
An issued version's PDF is rendered once and then served from storage (plans.stored); a draft
is rendered on each download.

A stored PDF is sent as the file it is (FileResponse: the server can send it straight from
disk), with an ETag naming the stored file and the time it was issued: a client that sends it
back with If-None-Match gets "304 Not Modified" without the file being read. Like every page,
it is never kept by a browser or proxy (`no-store`, accounts.middleware): clinic computers are
shared, and a plan in a browser's cache would outlive the signed-in session. Access is checked,
and logged, on every download.
"""

import re
from http import HTTPStatus

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from ..content import PlanContent, plan_content
from ..loaders import get_issued_version, get_plan
from ..models import Plan, PlanVersion
from ..pdf import PdfTooSlowError, render_plan_pdf_within
from ..stored import field_name, stored_file, stored_pdf

# A version number the written-out lookup takes; anything else ("²", twenty digits) goes the
# ORM's way, which says 404.
VERSION_NUMBER = re.compile(r"[0-9]{1,9}")


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
    elif plan.status != Plan.Status.DRAFT and plan.issued_number:
        number = plan.issued_number
    else:
        return None
    # The frozen content is read only if the PDF has to be rendered (_frozen)
    return get_object_or_404(plan.versions.defer("content"), number=number)


def pdf_filename(last_name: str, number: int, *, clinician: bool = False) -> str:
    """`plan-<last name>-v<N>.pdf`, or `…-v<N>-clinician-copy.pdf` for the clinician's copy, so
    the two never overwrite each other in a download folder; ASCII only, safe in a header."""
    suffix = "-clinician-copy" if clinician else ""
    return f"plan-{slugify(last_name) or 'patient'}-v{number}{suffix}.pdf"


def _stored_response(
    request: HttpRequest, version: PlanVersion, filename: str, *, clinician: bool
) -> HttpResponse | None:
    """The stored PDF of an issued version as a file download, or "304 Not Modified" when the
    browser has it already; None when it is not stored yet."""
    name = getattr(version, field_name(clinician=clinician)).name
    if not name:
        return None
    etag = f'"{version.pk}-{name}"'  # a stored file's name is never reused for other bytes
    last_modified = int(version.issued_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        stored = stored_file(version, clinician=clinician)
        if stored is None:
            return None
        response = FileResponse(
            stored, as_attachment=True, filename=filename, content_type="application/pdf"
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response


@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    clinician = request.GET.get("variant") == "clinician"
    asked = request.GET.get("version")
    # An issued version and its plan in one query; otherwise the plan (404, or its draft).
    version = None
    if asked is None or VERSION_NUMBER.fullmatch(asked):
        version = get_issued_version(request, pk, int(asked) if asked else None)
    if version is not None:
        plan = version.plan
    else:
        plan = get_plan(request, pk, read_only=True, related=("patient",))
        version = _version(plan, asked)
    if version is not None:
        filename = pdf_filename(plan.patient.last_name, version.number, clinician=clinician)
        stored = _stored_response(request, version, filename, clinician=clinician)
        if stored is not None:
            return stored
    try:
        if version is None:
            plan = get_plan(request, pk, read_only=True)  # the draft: with what it prints
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
    if version is not None:  # stored now: sent as every later download will be
        stored = _stored_response(request, version, filename, clinician=clinician)
        if stored is not None:
            return stored
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = pdf_filename(plan.patient.last_name, number, clinician=clinician)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

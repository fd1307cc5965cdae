"""The clinic admin reads their own clinic's access log, filtered, on screen or as CSV."""

import csv

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .forms import AccessLogFilterForm
from .models import AccessEvent

PAGE_SIZE = 50


def _filtered_events(request: HttpRequest) -> tuple[AccessLogFilterForm, QuerySet[AccessEvent]]:
    """The requesting clinic admin's clinic's events, filtered; PermissionDenied for anyone
    else (therapists, catalogue editors, superusers: they use admin)."""
    if not request.user.is_clinic_admin:
        raise PermissionDenied
    clinic = request.user.clinic
    form = AccessLogFilterForm(request.GET, clinic=clinic)
    events = form.filter(AccessEvent.objects.for_clinic(clinic).select_related("user", "patient"))
    return form, events


@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """Queries: session, user, count, the staff for the filter, one page of events (5)."""
    form, events = _filtered_events(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


CSV_COLUMNS = [
    "when",
    "who",
    "username",
    "what",
    "patient",
    "patient id",
    "page",
    "from",
    "browser",
]


@require_GET
def access_log_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV (itself logged as an export, by the access-log middleware)."""
    _, events = _filtered_events(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=500):
        writer.writerow(
            [
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                _cell(event.who),
                _cell(event.user.username) if event.user_id else "",
                event.get_kind_display(),
                _cell(event.patient.full_name) if event.patient else "",
                event.patient_id or "",
                _cell(event.path),
                event.ip_address or "",
                _cell(event.user_agent),
            ]
        )
    return response


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas (a name starting with = + - @)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

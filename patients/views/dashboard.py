"""Home: the dashboard for clinic staff (patients.dashboard), the tools for everyone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..dashboard import HOME_EXTRAS, dashboard


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Queries: session and user, then each section's (patients.dashboard) and each other
    app's extra (HOME_EXTRAS), constant."""
    context = {"sections": dashboard(request.user)}
    for extra in HOME_EXTRAS:
        context.update(extra(request.user))
    return render(request, "home.html", context)

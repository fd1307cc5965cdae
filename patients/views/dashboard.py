"""Home: the dashboard for clinic staff (patients.dashboard), the tools for everyone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..dashboard import dashboard


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Queries: session and user, then each section's (patients.dashboard), constant."""
    return render(request, "home.html", {"sections": dashboard(request.user)})

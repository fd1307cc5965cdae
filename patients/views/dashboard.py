"""Home: the dashboard for clinic staff (patients.dashboard), the tools for everyone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common.slots import fill

from ..dashboard import dashboard


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Queries: session and user, then each section's (patients.dashboard) and what other
    apps add in the "home" slot (common.slots), constant."""
    context = {"sections": dashboard(request.user), **fill("home", request.user)}
    return render(request, "home.html", context)

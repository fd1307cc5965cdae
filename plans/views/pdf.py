"""The plan's PDF download. (Being written.)"""

from django.http import Http404, HttpRequest, HttpResponse


def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

"""The pain drawing of an assessment. (Being written: see the issue.)"""

from django.http import Http404, HttpRequest, HttpResponse

from ..models import Assessment


def pain_context(assessment: Assessment) -> dict:
    return {}


def pain_drawing(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    raise Http404

"""A patient's progress over time. (Being written.)"""

from django.http import Http404, HttpRequest, HttpResponse


def patient_progress(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

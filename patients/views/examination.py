"""Examination findings of an assessment. (Being written.)"""

from django.http import Http404, HttpRequest, HttpResponse

from ..models import Assessment


def examination_context(assessment: Assessment) -> dict:
    return {}


def palpation_create(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    raise Http404


def palpation_edit(request: HttpRequest, pk: int, aid: int, fid: int) -> HttpResponse:
    raise Http404


def palpation_remove(request: HttpRequest, pk: int, aid: int, fid: int) -> HttpResponse:
    raise Http404


def posture_create(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    raise Http404


def posture_edit(request: HttpRequest, pk: int, aid: int, fid: int) -> HttpResponse:
    raise Http404


def posture_remove(request: HttpRequest, pk: int, aid: int, fid: int) -> HttpResponse:
    raise Http404


def measures_edit(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    raise Http404

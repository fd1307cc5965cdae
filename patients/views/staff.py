"""Clinic admins manage their clinic's therapists. (Being written.)"""

from django.http import Http404, HttpRequest, HttpResponse


def staff_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def staff_create(request: HttpRequest) -> HttpResponse:
    raise Http404


def staff_deactivate(request: HttpRequest, uid: int) -> HttpResponse:
    raise Http404


def staff_reactivate(request: HttpRequest, uid: int) -> HttpResponse:
    raise Http404

"""Treatment sessions: log, sign, amend. (Being written.)"""

from django.http import Http404, HttpRequest, HttpResponse


def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def session_detail(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    raise Http404


def session_edit(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    raise Http404


def session_sign(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    raise Http404

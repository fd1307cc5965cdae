"""Plan pages: generate, read, edit, issue, complete, earlier versions. (Being written.)"""

from django.http import Http404, HttpRequest, HttpResponse


def plan_generate(request: HttpRequest, aid: int) -> HttpResponse:
    raise Http404


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def item_edit(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    raise Http404


def item_remove(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    raise Http404


def item_move(request: HttpRequest, pk: int, iid: int) -> HttpResponse:
    raise Http404


def plan_issue(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def plan_complete(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def plan_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    raise Http404

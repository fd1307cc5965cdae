"""The app as gunicorn serves it in production, plus one bench-only page: `bench/floor/`, a bare
logged-in view (every middleware runs, the session and the user are loaded, no template, no
query of its own). bench/loadtest.py gives every page's throughput as a ratio to it."""

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

application = get_wsgi_application()


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"signed in as {request.user.pk}", content_type="text/plain")


from clinic import urls  # noqa: E402  (after the app registry is ready)

urls.urlpatterns.append(path("bench/floor/", floor, name="bench_floor"))

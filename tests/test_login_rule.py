"""The login rule, once for every URL: Django's LoginRequiredMiddleware sends anyone not signed in
to the login page, and only the views marked `login_not_required` are open. Those are listed
here; a new open view fails this test until it is added with its reason."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# name → why it is open
OPEN = {
    "login": "the sign-in page itself",
    "admin:login": "the admin's sign-in page (it sends to the same sign-in)",
    "accounts:session_status": "the idle timer asks whether the session is still alive",
    # The patient's plan link (portal app): the token in the URL and the year of birth stand
    # in for a login; tests/portal/ and the access matrix hold what they show and refuse.
    "portal:open": "the patient's plan, by its link, after the year of birth",
    "portal:diary": "the patient's diary entries, by the same link and device",
    "health": "load balancers ask whether this server is up (no data, no session)",
}


def _views(patterns: list, namespace: tuple[str, ...] = (), prefix: str = "") -> list:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace + ((p.namespace,) if p.namespace else ())
            found += _views(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append((":".join(namespace + (p.name or "?",)), prefix + str(p.pattern), p))
    return found


VIEWS = _views(get_resolver().url_patterns)


def test_only_the_listed_views_are_open() -> None:
    opened = {name for name, _, p in VIEWS if not getattr(p.callback, "login_required", True)}
    assert opened == set(OPEN)


def _example_path(route: str) -> str | None:
    """A concrete path for a path() route (converters filled with 1 or a word); regex routes
    (some of the admin's) are covered by the rule above."""
    if route.startswith("^") or "(?" in route:
        return None
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "x" if m.group(1) == "slug" else "1", route)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_everyone_else_is_sent_to_sign_in(client: Client, method: str) -> None:
    login = reverse(settings.LOGIN_URL)
    checked = 0
    for name, route, _ in VIEWS:
        path = _example_path(route)
        if name in OPEN or path is None:
            continue
        response = getattr(client, method)(path)
        if name.startswith("admin:"):
            assert response.status_code == 302, (name, response.status_code)
        else:
            assert response.status_code == 302 and response.url.startswith(f"{login}?next="), (
                name,
                path,
                response.status_code,
            )
        checked += 1
    assert checked > 100  # every app's pages, not a handful

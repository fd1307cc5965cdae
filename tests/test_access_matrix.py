"""Every URL pattern × every role × GET and POST: no cross-clinic read or write, and every page
that shows patient data carries the private headers. Figures print at the end of the run
(tests/conftest.py); the helpers and what counts as a leak are in tests/access_matrix.py.

The two clinics are built once for the module inside a transaction that is rolled back at its
end, and every request runs in a savepoint that is rolled back too: each meets the same data."""

import re
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client

from .access_matrix import (
    STATS,
    Cast,
    Route,
    World,
    all_routes,
    build_cast,
    check_not_leaked,
    check_private_headers,
    fill,
    fingerprint,
    is_bound,
    request,
    undone,
)

ROUTES = all_routes()
METHODS = ("GET", "POST")
ROLES = (
    "anonymous",
    "other clinic's therapist",
    "other clinic's admin",
    "catalogue editor",
    "superuser",
    "therapist",
    "colleague",
    "clinic admin",
    "patient with the link",
)
OWN = {"therapist", "colleague", "clinic admin"}
# The patient's own pages (portal app): public by token, the plan shown only to a device that
# confirmed the year of birth. Everyone else gets the question and nothing of the record; the
# patient gets nothing of the staff pages.
PATIENT = "patient with the link"
PATIENT_PAGES = {"portal:open", "portal:diary"}
# Ending the session is no read or write of anyone's data; it would end the run's logins.
LEAVES = {"logout", "admin:logout"}
# Ids to swap in the mixed-id cases (a version number is per plan, not an id).
OBJECT_IDS = {"pk", "aid", "sid", "fid", "iid", "uid", "lid", "prid"}


class Matrix:
    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        users = {
            "anonymous": None,
            "other clinic's therapist": cast.bravo.therapist,
            "other clinic's admin": cast.bravo.admin,
            "catalogue editor": cast.editor,
            "superuser": cast.superuser,
            "therapist": cast.alpha.therapist,
            "colleague": cast.alpha.colleague,
            "clinic admin": cast.alpha.admin,
        }
        self.clients = {}
        for role, user in users.items():
            self.clients[role] = Client()
            if user is not None:
                self.clients[role].force_login(user)
        # Alpha's patient on their phone, past the year-of-birth question.
        self.clients[PATIENT] = Client()
        opened = self.clients[PATIENT].post(
            "/p/" + cast.alpha.objects["token"] + "/",
            {"year": cast.alpha.patient.date_of_birth.year},
        )
        assert opened.status_code == 302, opened
        self.before = {w.clinic.pk: fingerprint(w.clinic) for w in (cast.alpha, cast.bravo)}


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker) -> Iterator[Matrix]:  # noqa: ANN001
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield Matrix(build_cast())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _entitled(role: str, route: Route) -> bool:
    """May this role see Alpha's data on this page? Alpha's staff, in the app; the superuser,
    in admin (where reads are logged)."""
    if route.namespace == "admin":
        return role == "superuser"
    if route.name in PATIENT_PAGES:
        return role == PATIENT
    return role in OWN


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_cross_clinic_read_or_write(matrix: Matrix, route: Route) -> None:
    alpha, bravo = matrix.cast.alpha, matrix.cast.bravo
    STATS["url patterns"] += 1
    path = fill(route, alpha)
    bound = is_bound(route)
    leaks: list[str] = []
    missing_headers: list[str] = []
    for role in ROLES:
        for method in METHODS:
            if role != "anonymous" and route.name in LEAVES:
                continue
            with undone():
                response, wrote = request(matrix.clients[role], method, path)
                STATS["url × role × method"] += 1
                if not _entitled(role, route):
                    before = matrix.before[alpha.clinic.pk]
                    leaks += check_not_leaked(
                        role, method, path, response, alpha, before, bound=bound, wrote=wrote
                    )
                elif method == "GET" and response.status_code == 200:
                    missing_headers += check_private_headers(path, response)
    # Mixed ids: Alpha's therapist with one id of the URL swapped for Bravo's.
    ids = [k for k in route.kwargs if k in OBJECT_IDS]
    if route.namespace != "admin" and len(ids) > 1:
        bravo_values = _values(route, bravo)
        for swapped in ids:
            mixed = fill(route, alpha, {swapped: bravo_values[swapped]})
            for method in METHODS:
                with undone():
                    response, wrote = request(matrix.clients["therapist"], method, mixed)
                    STATS["mixed-id cases"] += 1
                    before = matrix.before[bravo.clinic.pk]
                    leaks += check_not_leaked(
                        "therapist (mixed ids)",
                        method,
                        mixed,
                        response,
                        bravo,
                        before,
                        bound=True,
                        wrote=wrote,
                    )
    assert not leaks, leaks
    assert not missing_headers, missing_headers
    if route.name in PATIENT_PAGES:
        STATS["patient pages (public by token)"] += 1


@pytest.mark.django_db
def test_patient_pages_show_the_plan_only_to_the_verified_device(matrix: Matrix) -> None:
    """The matrix above checks that nobody else sees Alpha's data there; here, that the verified
    patient does (so the check is not vacuous), and sees nothing of Bravo's link."""
    alpha, bravo = matrix.cast.alpha, matrix.cast.bravo
    with undone():
        mine = matrix.clients[PATIENT].get("/p/" + alpha.objects["token"] + "/")
        theirs = matrix.clients[PATIENT].get("/p/" + bravo.objects["token"] + "/")
        stranger = matrix.clients["other clinic's therapist"].get(
            "/p/" + alpha.objects["token"] + "/"
        )
    assert mine.status_code == 200 and alpha.marker.encode() in mine.content
    assert bravo.marker.encode() not in theirs.content and b"year of birth" in theirs.content
    assert alpha.marker.encode() not in stranger.content


def _values(route: Route, world: World) -> dict[str, str]:
    """The value fill() gives each keyword of the pattern for this clinic."""
    pattern = "^/" + re.sub(r"<(?:\w+:)?(\w+)>", r"(?P<\1>[^/]+)", route.route)
    match = re.match(pattern, fill(route, world))
    assert match, route
    return match.groupdict()

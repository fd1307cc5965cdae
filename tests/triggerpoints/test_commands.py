import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest

pytestmark = pytest.mark.django_db


def test_rank_trigger_points_prints_the_ranking() -> None:
    out = StringIO()
    call_command(
        "rank_trigger_points",
        "lat.head.temple.l",
        "post.neck.upper.l",
        "post.neck.lower.l",
        stdout=out,
    )
    first = out.getvalue().splitlines()[0]
    assert first.startswith(" 1.") and "Upper trapezius" in first and "(left)" in first


def test_rank_trigger_points_json() -> None:
    out = StringIO()
    call_command("rank_trigger_points", "post.foot.heel.r", "--json", "--limit", "3", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 3
    assert {
        "muscle",
        "trigger_points",
        "evidence",
        "side",
        "score",
        "explains_essential",
        "explains_spillover",
        "unmarked_essential",
    } <= set(rows[0])
    assert all(r["side"] == "r" for r in rows)
    assert rows[0]["score"] >= rows[-1]["score"]


def test_rank_trigger_points_refuses_unknown_codes() -> None:
    with pytest.raises(CommandError, match="Unknown body-region code"):
        call_command("rank_trigger_points", "lat.head.temple.q", stdout=StringIO())


def test_setup_demo_is_repeatable_and_prints_logins(settings) -> None:  # noqa: ANN001
    from django.contrib.auth import authenticate

    from patients.models import User

    settings.DEBUG = True
    for _ in range(2):
        out = StringIO()
        call_command("setup_demo", stdout=out)
    assert "login: therapist" in out.getvalue() and "password: myoplan-therapist" in out.getvalue()
    assert User.objects.filter(username__in=["therapist", "editor", "admin"]).count() == 3
    therapist = authenticate(HttpRequest(), username="therapist", password="myoplan-therapist")
    assert therapist is not None and therapist.clinic.name == "Demo Clinic"
    assert not therapist.is_staff
    assert authenticate(HttpRequest(), username="admin", password="myoplan-admin").is_superuser


def test_setup_demo_sets_passwords_once_and_keeps_sessions(settings, client) -> None:  # noqa: ANN001
    """A second `make run` keeps a changed password and an open session, and writes no
    history row; --reset-passwords sets the published one back."""
    from django.contrib.auth import authenticate

    from patients.models import User

    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    therapist = User.objects.get(username="therapist")
    therapist.set_password("changed-by-tess-42")
    therapist.save()
    assert client.login(username="therapist", password="changed-by-tess-42")
    rows = User.history.count()
    out = StringIO()
    call_command("setup_demo", stdout=out)
    assert "(kept; --reset-passwords sets it back)" in out.getvalue()
    assert User.history.count() == rows
    assert authenticate(HttpRequest(), username="therapist", password="changed-by-tess-42")
    assert client.get("/patients/").status_code == 200  # still logged in
    call_command("setup_demo", "--reset-passwords", stdout=StringIO())
    assert authenticate(HttpRequest(), username="therapist", password="myoplan-therapist")


def test_setup_demo_refuses_without_debug(settings) -> None:  # noqa: ANN001
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("setup_demo", stdout=StringIO())

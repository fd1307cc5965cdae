"""Sessions end when the browser closes (unless "keep me signed in"), and after idle time."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from accounts import sessions
from patients.models import User

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

PATIENTS = reverse("patients:list")


def sign_in(remember: bool) -> Client:
    client = Client()
    data = {"username": "tess", "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    assert client.post(reverse("login"), data).status_code == HTTPStatus.FOUND
    return client


def test_session_cookie_ends_with_the_browser_by_default(therapist: User) -> None:
    client = sign_in(remember=False)
    cookie = client.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]
    assert client.session.get_expire_at_browser_close()


def test_keep_me_signed_in_outlives_the_browser(therapist: User, settings) -> None:  # noqa: ANN001
    client = sign_in(remember=True)
    assert client.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    assert not client.session.get_expire_at_browser_close()


def idle_for(client: Client, seconds: int) -> None:
    session = client.session
    session[sessions.LAST_SEEN] = sessions.now() - seconds
    session.save()


def test_idle_session_is_signed_out_with_a_message(therapist: User, settings) -> None:  # noqa: ANN001
    client = sign_in(remember=True)
    idle_for(client, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(PATIENTS, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert client.get(PATIENTS).status_code == HTTPStatus.FOUND


def test_activity_keeps_the_session(therapist: User, settings) -> None:  # noqa: ANN001
    client = sign_in(remember=False)
    idle_for(client, settings.SESSION_IDLE_TIMEOUT - 5)
    assert client.get(PATIENTS).status_code == HTTPStatus.OK
    assert sessions.now() - client.session[sessions.LAST_SEEN] < 5  # the clock restarted


def test_idle_timeout_is_configurable(therapist: User, settings) -> None:  # noqa: ANN001
    settings.SESSION_IDLE_TIMEOUT = 60
    client = sign_in(remember=False)
    idle_for(client, 61)
    assert client.get(PATIENTS).status_code == HTTPStatus.FOUND


def test_session_status_tells_the_time_left_without_extending_it(
    therapist: User,
    settings,  # noqa: ANN001
) -> None:
    client = sign_in(remember=False)
    idle_for(client, 600)
    state = client.get(reverse("accounts:session_status")).json()
    assert state["signed_in"]
    assert abs(state["remaining"] - (settings.SESSION_IDLE_TIMEOUT - 600)) < 3
    assert sessions.now() - client.session[sessions.LAST_SEEN] >= 600


def test_keepalive_restarts_the_clock(therapist: User, settings) -> None:  # noqa: ANN001
    client = sign_in(remember=False)
    idle_for(client, 600)
    state = client.post(reverse("accounts:session_keepalive")).json()
    assert state["remaining"] == settings.SESSION_IDLE_TIMEOUT
    assert sessions.now() - client.session[sessions.LAST_SEEN] < 5


def test_session_status_for_a_signed_out_browser() -> None:
    assert Client().get(reverse("accounts:session_status")).json() == {
        "signed_in": False,
        "remaining": 0,
    }


def test_pages_carry_the_idle_warning_script(therapist_client: Client) -> None:
    page = therapist_client.get(PATIENTS).content.decode()
    assert "js/idle_warning.js" in page
    assert 'data-idle-timeout="1800"' in page and 'id="idle-warning"' in page

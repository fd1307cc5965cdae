"""Two app servers, one PostgreSQL database: what a load balancer in front of them needs.

Two gunicorn processes are started on two ports against the test database. A therapist signs
in on one and keeps working on the other (the session is in the database, not in a process);
two tabs open the same record, one through each server, and the second save is refused as a
conflict; signing out on one ends the session on both; a catalogue change made through one is
seen by the other. PostgreSQL only (SQLite is one file for one server)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from http import HTTPStatus
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from patients.editing import stale_form
from patients.models import Patient
from triggerpoints import cache as catalogue_cache

from .factories import ClinicFactory, PatientFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two servers share a PostgreSQL database"
    ),
]

BASE = Path(__file__).resolve().parent.parent
PASSWORD = "two-servers-password-7731"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{urllib.parse.quote(db['PASSWORD'])}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def servers() -> Iterator[tuple[str, str]]:
    """Two gunicorn servers (one sync worker each) on free ports, sharing the test database."""
    env = dict(
        os.environ,
        DATABASE_URL=_database_url(),
        DEBUG="0",
        SECRET_KEY="two-servers-share-this-key-" + "x" * 30,
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="0",
        LOG_LEVEL="WARNING",
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [gunicorn, "--workers", "1", "--bind", f"127.0.0.1:{port}", "clinic.wsgi"],
            cwd=BASE,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base, process in zip(bases, processes, strict=True):
            _wait_healthy(base, process)
        yield bases[0], bases[1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        _wait_disconnected()


def _wait_disconnected() -> None:
    """Until the servers' database sessions are gone, so the test database can be dropped."""
    deadline = time.monotonic() + 15
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.2)


def _wait_healthy(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/health/", timeout=5) as response:
                if response.status == HTTPStatus.OK:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{base} never became healthy")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        return None


class Browser:
    """One browser: one cookie jar, whichever server the request goes to (cookies are not
    tied to a port, as behind a load balancer they are not tied to a server)."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, url: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict[str, str | list[str]]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._open(urllib.request.Request(url, data=body))

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            return error.code, error.read().decode(), error.headers.get("Location", "")


class _FormFields(HTMLParser):
    """The values a browser would send for the first form with a `version` field."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button"):
                return
            self.fields.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.setdefault(self._select, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea][-1] += data


def form_fields(html: str) -> dict[str, list[str]]:
    parser = _FormFields()
    form = re.search(r"<form[^>]*>(?:(?!</form>).)*name=\"version\".*?</form>", html, re.S)
    assert form, "no edit form on the page"
    parser.feed(form.group(0))
    return parser.fields


def sign_in(browser: Browser, base: str, username: str) -> None:
    _, page, _ = browser.get(base + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _, location = browser.post(
        base + "/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert status == HTTPStatus.FOUND, status
    assert location == "/"


@pytest.fixture
def therapist_and_patient() -> tuple[str, Patient]:
    clinic = ClinicFactory(name="Two Servers Physio")
    user = UserFactory(username="tess", clinic=clinic)
    # Hashed as the servers check it (the tests' own settings use a faster hasher).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "twoservers", iterations=1000)
    user.save()
    patient = PatientFactory(clinic=clinic, first_name="Maria", last_name="Keane", created_by=user)
    return user.username, patient


def test_signed_in_on_one_server_keeps_working_on_the_other(
    servers: tuple[str, str], therapist_and_patient: tuple[str, Patient]
) -> None:
    one, two = servers
    username, patient = therapist_and_patient
    browser = Browser()
    sign_in(browser, one, username)
    status, page, _ = browser.get(two + patient.get_absolute_url())
    assert status == HTTPStatus.OK
    assert "Maria Keane" in page
    # A change saved through the second server is there on the first.
    edit = f"/patients/{patient.pk}/edit/"
    _, form, _ = browser.get(two + edit)
    fields = form_fields(form)
    fields["phone"] = ["01 555 0100"]
    status, _, location = browser.post(two + edit, fields)
    assert status == HTTPStatus.FOUND, status
    assert "01 555 0100" in browser.get(one + patient.get_absolute_url())[1]
    # Signing out on the first server ends the session on the second as well.
    _, home, _ = browser.get(one + "/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', home).group(1)
    browser.post(one + "/accounts/logout/", {"csrfmiddlewaretoken": token})
    status, _, location = browser.get(two + patient.get_absolute_url())
    assert status == HTTPStatus.FOUND and location.startswith("/accounts/login/")


def test_a_save_conflict_is_caught_across_the_two_servers(
    servers: tuple[str, str], therapist_and_patient: tuple[str, Patient]
) -> None:
    one, two = servers
    username, patient = therapist_and_patient
    browser = Browser()
    sign_in(browser, one, username)
    edit = f"/patients/{patient.pk}/edit/"
    # Two tabs open the record, one through each server.
    first_tab = form_fields(browser.get(one + edit)[1])
    second_tab = form_fields(browser.get(two + edit)[1])
    assert first_tab["version"] == second_tab["version"] == ["1"]
    first_tab["occupation"] = ["Accountant"]
    status, _, _ = browser.post(one + edit, first_tab)
    assert status == HTTPStatus.FOUND
    second_tab["occupation"] = ["Architect"]
    status, page, _ = browser.post(two + edit, second_tab)
    assert status == HTTPStatus.OK
    message = stale_form("patient's record").split(",")[0]
    assert message.replace("'", "&#x27;") in page
    assert 'value="Architect"' in page  # what was typed is kept
    patient.refresh_from_db()
    assert (patient.occupation, patient.version) == ("Accountant", 2)


def test_a_catalogue_change_through_one_server_is_seen_by_the_other(
    servers: tuple[str, str], therapist_and_patient: tuple[str, Patient]
) -> None:
    """Each server keeps the catalogue in its own memory (triggerpoints.cache); the version
    row in the database tells both when it changed."""
    from triggerpoints.models import BodyArea
    from triggerpoints.services import catalogue_load

    catalogue_load()  # transactional tests start with empty tables
    one, two = servers
    username, _ = therapist_and_patient
    browser = Browser()
    sign_in(browser, one, username)
    finder = "/catalogue/pain-finder/"
    for base in (one, two):  # both servers read and keep the catalogue
        assert "Temple" in browser.get(base + finder)[1]
    BodyArea.objects.filter(code="lat.head.temple").update(label="Temple region, renamed")
    catalogue_cache.catalogue_changed()  # what load_catalogue or an admin save does
    for base in (two, one):
        assert "Temple region, renamed" in browser.get(base + finder)[1]

"""The lockout holds across app servers: two gunicorn processes share one database; 30 wrong
passwords spread over both, then the right one is refused by both; the clinic admin signs in
on one and unlocks; the therapist signs in again.

Each client speaks from its own loopback address (127.0.0.2, .3, .4), so the guesser's address
lockout does not also shut out the clinic admin."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "kelp-lantern-orbit-42"
SETUP = f"""
from patients.models import Clinic, User
clinic = Clinic.objects.create(name="Two Servers Physio")
User.objects.create_user("tess", password="{PASSWORD}", clinic=clinic, first_name="Tess")
User.objects.create_user(
    "ada", password="{PASSWORD}", clinic=clinic, role="clinic_admin", first_name="Ada"
)
"""


def _free_port() -> int:
    """A free port in 8101-8199 (the range this project's servers use on shared machines)."""
    for port in range(8101 + os.getpid() % 50, 8200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8101-8199")


class Visitor:
    """A browser, reduced: cookies, CSRF tokens, and its own source address."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, data: dict | None = None) -> tuple:
        conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=20, source_address=(self.address, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, response.headers.get("Location", ""), text

    def log_in(self, port: int, username: str, password: str) -> tuple:
        self.request(port, "GET", "/accounts/login/")  # the CSRF cookie
        return self.request(
            port, "POST", "/accounts/login/", {"username": username, "password": password}
        )


@pytest.fixture
def two_servers(tmp_path: Path):  # noqa: ANN201
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        STATIC_MANIFEST="0",
        CONN_MAX_AGE="0",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run(
        [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True
    )
    ports, servers = [], []
    for _ in range(2):
        port = _free_port()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        servers.append(
            subprocess.Popen(
                [
                    str(gunicorn),
                    "clinic.wsgi",
                    "-w",
                    "1",
                    "-b",
                    f"127.0.0.1:{port}",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        _wait_for(port)
        ports.append(port)
    try:
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start on {port}")


def test_thirty_failures_over_two_servers_lock_both_until_the_admin_unlocks(two_servers) -> None:  # noqa: ANN001
    first, second = two_servers
    guesser = Visitor("127.0.0.2")
    for attempt in range(30):
        guesser.log_in(first if attempt % 2 else second, "tess", f"guess-{attempt}")

    for port in (first, second):
        status, _, page = Visitor("127.0.0.2").log_in(port, "tess", PASSWORD)
        assert status == 429 and "Sign-in is locked for now" in page
    # The account is locked whatever the address.
    assert Visitor("127.0.0.4").log_in(first, "tess", PASSWORD)[0] == 429

    admin = Visitor("127.0.0.3")
    status, location, _ = admin.log_in(second, "ada", PASSWORD)
    assert status == 302, location
    status, _, staff_page = admin.request(second, "GET", "/clinic/staff/")
    assert status == 200 and "Locked out" in staff_page
    unlock = re.search(r'action="(/clinic/staff/\d+/unlock/)"', staff_page).group(1)
    status, location, _ = admin.request(first, "POST", unlock, {})
    assert status == 302 and location.endswith("/clinic/staff/")

    status, location, _ = Visitor("127.0.0.2").log_in(first, "tess", PASSWORD)
    assert status == 302 and location == "/"

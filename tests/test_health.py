"""`/health/` for load balancers: no login, no data, says whether the database answers."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_answers_without_a_login_and_shows_no_data(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_health_is_503_when_the_database_does_not_answer(client: Client) -> None:
    with mock.patch("clinic.health.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/health/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_health_writes_nothing_to_the_access_log(client: Client) -> None:
    from audit.models import AccessEvent

    client.get("/health/")
    assert not AccessEvent.objects.exists()


def test_health_refuses_post(client: Client) -> None:
    assert client.post("/health/").status_code == HTTPStatus.METHOD_NOT_ALLOWED

"""Serving at volume: HTML goes out compressed to browsers that accept it, and what several app
servers must share (sessions, the cache) is in the database, not in one process's memory."""

import gzip
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_html_is_gzipped_for_a_browser_that_accepts_it(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("patients:list"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(response.content)
    assert "Accept-Encoding" in response["Vary"]


def test_html_is_plain_for_a_client_that_does_not(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("patients:list"))
    assert not response.has_header("Content-Encoding")


def test_sessions_and_the_cache_are_shared_through_the_database() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    cache.set("shared", "by every app server")
    assert cache.get("shared") == "by every app server"

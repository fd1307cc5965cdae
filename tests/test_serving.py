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


def test_compressed_lengths_vary_and_decompress_to_the_same_bytes() -> None:
    """BREACH: a file name of random length in the gzip header varies the compressed length
    of the same page."""
    from common.middleware import padded_gzip

    page = b"<html><body>" + b"<p>the same page</p>" * 200 + b"</body></html>"
    sent = [padded_gzip(page, 100) for _ in range(20)]
    assert len({len(s) for s in sent}) > 5
    assert all(gzip.decompress(s) == page for s in sent)
    assert max(len(s) for s in sent) <= len(gzip.compress(page, compresslevel=2, mtime=0)) + 100
    assert gzip.decompress(padded_gzip(page, 0)) == page  # no padding asked for, as Django


def test_a_strong_etag_is_weak_once_compressed() -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from common.middleware import GZipUncompressedMiddleware

    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    page = HttpResponse("<p>x</p>" * 100)
    page["ETag"] = '"v1"'
    sent = GZipUncompressedMiddleware(lambda r: page)(request)
    assert sent["ETag"] == 'W/"v1"' and sent["Content-Encoding"] == "gzip"
    assert gzip.decompress(sent.content) == b"<p>x</p>" * 100
    tiny = GZipUncompressedMiddleware(lambda r: HttpResponse("short"))(request)
    assert not tiny.has_header("Content-Encoding")


def test_html_is_plain_for_a_client_that_does_not(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("patients:list"))
    assert not response.has_header("Content-Encoding")


def test_sessions_and_the_cache_are_shared_through_the_database() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    cache.set("shared", "by every app server")
    assert cache.get("shared") == "by every app server"

"""The catalogue is read once per process and read again when it changes (triggerpoints.cache):
by load_catalogue, by a save in admin or anywhere else, and whichever process made the change."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from triggerpoints import cache
from triggerpoints.models import CatalogueVersion, Muscle, Symptom
from triggerpoints.ranking import load_catalogue
from triggerpoints.services import catalogue_load

pytestmark = pytest.mark.django_db


def queries(call) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_second_read_costs_one_small_query() -> None:
    assert queries(load_catalogue) > 1
    assert queries(load_catalogue) == 1  # the version token


def test_a_save_anywhere_is_seen_on_the_next_read() -> None:
    """Admin saves through Model.save(), like this."""
    before = load_catalogue()
    symptom = Symptom.objects.order_by("pk").first()
    symptom.label = "Renamed for the test"
    symptom.save()
    assert load_catalogue() is not before
    assert load_catalogue().labels[symptom.key] == "Renamed for the test"


def test_load_catalogue_changes_the_token() -> None:
    token = cache.token()
    catalogue_load()
    assert cache.token() != token


def test_another_process_changing_the_token_is_seen() -> None:
    """Another server's change reaches this one only through the database row."""
    before = load_catalogue()
    CatalogueVersion.objects.update(token="changed-by-another-server")
    assert load_catalogue() is not before


def test_a_request_reads_the_token_once_however_much_it_reads(editor_client: Client) -> None:
    load_catalogue()  # warm
    muscle = Muscle.objects.order_by("pk").first()
    url = (
        reverse("triggerpoints:pain_finder")
        + "?regions=post.neck.upper.l&regions=lat.head.temple.l"
    )
    editor_client.get(url)  # warm whatever else the page keeps
    with CaptureQueriesContext(connection) as captured:
        response = editor_client.get(url)
    assert response.status_code == 200
    tokens = [q for q in captured if "triggerpoints_catalogueversion" in q["sql"]]
    assert len(tokens) == 1
    assert muscle is not None

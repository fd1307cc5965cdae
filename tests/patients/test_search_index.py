"""Patient search on PostgreSQL reads the trigram indexes, not every patient row; on SQLite the
same search works without them."""

import pytest
from django.db import connection

from patients.models import Patient

from ..factories import PatientFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm indexes exist on PostgreSQL only"
)


def test_search_finds_a_word_inside_either_name(clinic) -> None:  # noqa: ANN001
    PatientFactory(clinic=clinic, first_name="Siobhán", last_name="Murphy")
    PatientFactory(clinic=clinic, first_name="Dara", last_name="Okafor")
    found = Patient.objects.for_clinic(clinic).search("urph")
    assert [p.last_name for p in found] == ["Murphy"]
    assert [p.first_name for p in Patient.objects.for_clinic(clinic).search("DAR")] == ["Dara"]


@on_postgresql
def test_search_uses_the_trigram_indexes(clinic) -> None:  # noqa: ANN001
    PatientFactory.create_batch(3, clinic=clinic)
    query = Patient.objects.search("murph")  # the name conditions alone
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the choice visible
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = query.explain()
    assert "patient_last_name_trgm" in plan and "patient_first_name_trgm" in plan

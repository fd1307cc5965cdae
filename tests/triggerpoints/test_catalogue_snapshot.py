"""The shipped files load to the same rows, field by field, as they did before the loader was
rebuilt from the models' fields (issue 16)."""

import os

import pytest

from triggerpoints.services import catalogue_load

from .snapshot import catalogue_rows, saved_snapshot, write_snapshot

pytestmark = pytest.mark.django_db


def test_shipped_catalogue_loads_to_the_rows_of_the_snapshot() -> None:
    if os.environ.get("WRITE_CATALOGUE_SNAPSHOT"):
        write_snapshot()
    assert not catalogue_load().changed  # loaded once for the session; a reload changes nothing
    rows, saved = catalogue_rows(), saved_snapshot()
    for model, entries in saved.items():
        assert sorted(rows[model]) == sorted(entries), model
        for key, fields in entries.items():
            assert rows[model][key] == fields, (model, key)

"""The small test catalogue (tests/catalogue) loads through the shipped catalogue's loader."""

import pytest

from triggerpoints.models import Muscle, ReleaseTechnique, TriggerPoint
from triggerpoints.services import LoadReport, catalogue_load

pytestmark = pytest.mark.django_db


def test_small_catalogue_replaces_the_shipped_one_whole(small_catalogue: LoadReport) -> None:
    assert len(small_catalogue.created["muscles"]) == Muscle.objects.count() == 5
    assert TriggerPoint.objects.filter(muscle__name="Upper trapezius").count() == 2
    assert set(ReleaseTechnique.objects.values_list("key", flat=True)) == {
        "pressure-release",
        "pir",
        "dry-needling",
    }
    # Every link names an entry that is there: nothing refused, nothing left dangling.
    assert not any(small_catalogue.untouched.values())


def test_small_catalogue_reload_changes_nothing(small_catalogue_dir, small_catalogue) -> None:  # noqa: ANN001
    assert not catalogue_load(data_dir=small_catalogue_dir).changed

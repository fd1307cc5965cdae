"""One Side enum (issue 16): the migration turns a midline region's stored side "" into "m"
(the value the patient records use) and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("triggerpoints", "0008_catalogue_vocabulary_validators")]
AFTER = [("triggerpoints", "0009_bodyregion_midline_side_m")]


def migrate(targets: list[tuple[str, str]]):  # noqa: ANN201
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_midline_regions_stored_as_blank_become_m_and_back() -> None:
    old = migrate(BEFORE)
    try:
        area = old.get_model("triggerpoints", "BodyArea").objects.create(
            code="test.midline", label="Test", description="", view="front", group="t", sided=False
        )
        sided = old.get_model("triggerpoints", "BodyArea").objects.create(
            code="test.sided", label="Test", description="", view="front", group="t", sided=True
        )
        Region = old.get_model("triggerpoints", "BodyRegion")
        Region.objects.create(code="test.midline", area=area, side="")
        Region.objects.create(code="test.sided.l", area=sided, side="l")

        new = migrate(AFTER)
        sides = dict(
            new.get_model("triggerpoints", "BodyRegion").objects.values_list("code", "side")
        )
        assert (sides["test.midline"], sides["test.sided.l"]) == ("m", "l")
        assert "" not in sides.values()

        old = migrate(BEFORE)
        sides = dict(
            old.get_model("triggerpoints", "BodyRegion").objects.values_list("code", "side")
        )
        assert (sides["test.midline"], sides["test.sided.l"]) == ("", "l")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

"""One Side enum (issue 16): the migration turns a midline region's stored side "" into "m"
(the value the patient records use) and back."""

from collections.abc import Callable

BEFORE = [("triggerpoints", "0008_catalogue_vocabulary_validators")]
AFTER = [("triggerpoints", "0009_bodyregion_midline_side_m")]


def test_midline_regions_stored_as_blank_become_m_and_back(migrate_to: Callable) -> None:
    old = migrate_to(BEFORE)
    area = old.get_model("triggerpoints", "BodyArea").objects.create(
        code="test.midline", label="Test", description="", view="front", group="t", sided=False
    )
    sided = old.get_model("triggerpoints", "BodyArea").objects.create(
        code="test.sided", label="Test", description="", view="front", group="t", sided=True
    )
    Region = old.get_model("triggerpoints", "BodyRegion")
    Region.objects.create(code="test.midline", area=area, side="")
    Region.objects.create(code="test.sided.l", area=sided, side="l")

    new = migrate_to(AFTER)
    sides = dict(new.get_model("triggerpoints", "BodyRegion").objects.values_list("code", "side"))
    assert (sides["test.midline"], sides["test.sided.l"]) == ("m", "l")
    assert "" not in sides.values()

    old = migrate_to(BEFORE)
    sides = dict(old.get_model("triggerpoints", "BodyRegion").objects.values_list("code", "side"))
    assert (sides["test.midline"], sides["test.sided.l"]) == ("", "l")

"""The movement screen's scoring (patients.movement): one test per kind of test (numeric with a
lower bound, numeric with an upper bound, ordinal, sided with a side-to-side rule in units, in
percent and for scores), the words a plan item uses, and the precautions that exclude a test."""

import pytest

from patients.movement import (
    ABNORMAL,
    INCOMPLETE,
    NORMAL,
    Reading,
    TestSpec,
    change_text,
    finding_text,
    meaningful,
    reading_errors,
    score,
    why_excluded,
)
from triggerpoints.catalogue_files import MOVEMENT_TESTS, EntryError, parse_entry, read_one

from ..factories import CCFT, PEC_MINOR

BRIDGE = TestSpec(
    key="single-leg-bridge",
    name="Single-leg bridge hold",
    sided=True,
    unit="s",
    value_max=300,
    normal_min=30,
    asymmetry_percent=20,
    position="supine",
    excluded_by=frozenset({"cardiovascular-disease"}),
)
ROTATION = TestSpec(
    key="cervical-rotation",
    name="Cervical rotation range",
    sided=True,
    unit="°",
    normal_min=60,
    asymmetry_max=14,
)
HINGE = TestSpec(
    key="hip-hinge",
    name="Hip-hinge pattern",
    scoring="ordinal",
    anchors=("good", "part", "poor"),
    value_max=2,
    normal_max=0,
)
RIBS = TestSpec(
    key="rib-expansion",
    name="Lower rib-cage expansion",
    scoring="ordinal",
    sided=True,
    anchors=("well", "little", "barely"),
    value_max=2,
    normal_max=0,
    asymmetry_max=0,
)
PRONE = TestSpec(
    key="prone-hip-extension",
    name="Prone hip extension",
    position="prone",
    sided=True,
    scoring="ordinal",
    anchors=("a", "b", "c"),
    value_max=2,
    normal_max=0,
)


def test_numeric_lower_bound_scores_each_side():
    result = score(BRIDGE, Reading(left=12, right=35))
    assert result.status == ABNORMAL and result.out_of_range == ("l",)
    assert score(BRIDGE, Reading(left=32, right=35)).status == NORMAL


def test_lower_bound_is_inclusive():
    assert score(CCFT, Reading(value=26)).status == NORMAL
    assert score(CCFT, Reading(value=24)).status == ABNORMAL


def test_numeric_upper_bound():
    assert score(PEC_MINOR, Reading(left=3.5, right=2.4)).out_of_range == ("l",)
    assert score(PEC_MINOR, Reading(left=2.5, right=2.0)).status == NORMAL


def test_side_to_side_rule_in_percent_flags_sides_both_in_range():
    result = score(BRIDGE, Reading(left=40, right=70))  # 43% apart, both over 30 s
    assert result.status == ABNORMAL and result.asymmetric and result.out_of_range == ()
    assert not score(BRIDGE, Reading(left=60, right=70)).asymmetric  # 14%


def test_side_to_side_rule_in_units():
    assert score(ROTATION, Reading(left=62, right=80)).asymmetric  # 18° apart
    assert score(ROTATION, Reading(left=66, right=80)).status == NORMAL  # exactly 14° is allowed


def test_ordinal_score_against_its_normal():
    assert score(HINGE, Reading(value=0)).status == NORMAL
    assert score(HINGE, Reading(value=1)).status == ABNORMAL


def test_ordinal_sides_must_match_when_the_rule_is_zero():
    assert score(RIBS, Reading(left=0, right=1)).status == ABNORMAL
    assert score(RIBS, Reading(left=0, right=0)).status == NORMAL


def test_one_side_only_is_incomplete_unless_it_is_abnormal():
    assert score(BRIDGE, Reading(left=45)).status == INCOMPLETE
    assert score(BRIDGE, Reading(left=12)).status == ABNORMAL
    assert score(BRIDGE, Reading()).status == INCOMPLETE


def test_finding_names_the_abnormal_side_and_the_normal_rule():
    assert finding_text(BRIDGE, Reading(left=12, right=35)) == (
        "Single-leg bridge hold: left 12 s (normal 30 s or more)"
    )
    assert finding_text(CCFT, Reading(value=22)) == (
        "Craniocervical flexion: 22 mmHg (normal 26 mmHg or more)"
    )
    assert finding_text(HINGE, Reading(value=2)) == "Hip-hinge pattern: score 2 (normal score 0)"


def test_finding_of_asymmetry_shows_both_sides_and_the_difference():
    assert finding_text(ROTATION, Reading(left=62, right=80)) == (
        "Cervical rotation range: left 62°, right 80° (sides differ by 18°; sides within 14°)"
    )


def test_change_text_and_meaningful_change():
    spec = TestSpec(key="x", name="X", sided=True, unit="s", normal_min=30, meaningful_change=7)
    assert change_text(spec, Reading(left=12, right=35), Reading(left=35, right=36)) == (
        "left 12 s → 35 s, right 35 s → 36 s"
    )
    assert meaningful(spec, Reading(left=12), Reading(left=18)) is False
    assert meaningful(spec, Reading(left=12), Reading(left=19)) is True
    assert meaningful(BRIDGE, Reading(left=12), Reading(left=40)) is None  # no source gives one


def test_prone_test_is_excluded_from_20_weeks_of_pregnancy():
    assert why_excluded(PRONE, {"pregnancy"}, 24) == (
        "pregnancy (24 weeks): no lying face down for testing"
    )
    assert why_excluded(PRONE, {"pregnancy"}, 12) == ""
    assert why_excluded(BRIDGE, {"pregnancy"}, 30) == ""  # a short supine test stays


def test_a_tests_own_precaution_and_fever_exclude_it():
    assert why_excluded(BRIDGE, {"cardiovascular-disease"}) == (
        "cardiovascular-disease rules it out"
    )
    assert "no testing today" in why_excluded(HINGE, {"infection-or-fever"})
    assert why_excluded(HINGE, {"anticoagulants"}) == ""


def test_reading_errors_check_bounds_sides_and_whole_scores():
    assert reading_errors(CCFT, Reading(value=34)) == [
        "Craniocervical flexion: 34 is outside 20-30."
    ]
    assert reading_errors(HINGE, Reading(value=1.5)) == [
        "Hip-hinge pattern is scored in whole numbers."
    ]
    assert reading_errors(BRIDGE, Reading(value=20)) == [
        "Single-leg bridge hold is recorded per side."
    ]
    assert reading_errors(BRIDGE, Reading(left=20, right=31)) == []


def test_shipped_tests_all_load_with_reliability_and_sources():
    catalogue = read_one(MOVEMENT_TESTS)
    accepted, refused = catalogue.movement_tests, catalogue.refusals
    assert refused == []
    assert len(accepted) >= 18
    groups = {entry["group"] for entry in accepted.values()}
    assert groups == {"posterior-chain", "segmental", "muscle-length", "breath-in-movement"}
    for entry in accepted.values():
        assert entry["reliability"] and entry["reliability_source"] and entry["sources"]
        assert entry["drills"]


@pytest.mark.parametrize(
    ("raw_change", "message"),
    [
        ({"anchors": ["only one"]}, "at least two anchors"),
        ({"value_max": 5}, "scores 0 to 2"),
        ({"muscles": ["Bicep"]}, "unknown muscle"),
        ({"excluded_by": ["pregnant"]}, "unknown precaution"),
        ({"normal_max": None}, "give normal_min"),
    ],
)
def test_loader_refuses_bad_entries(raw_change, message):  # noqa: ANN001
    raw = {
        "key": "hinge",
        "name": "Hinge",
        "group": "posterior-chain",
        "strand": "postural",
        "position": "standing",
        "sided": False,
        "how": "Do it.",
        "scoring": "ordinal",
        "anchors": ["a", "b", "c"],
        "value_min": 0,
        "value_max": 2,
        "normal_max": 0,
        "normal_text": "0",
        "reliability": "Not established.",
        "reliability_source": "None",
        "drills": ["hip-hinge-dowel"],
        "confidence": "U",
        "sources": ["x"],
    }
    raw.update(raw_change)
    raw = {k: v for k, v in raw.items() if v is not None}
    with pytest.raises(EntryError, match=message):
        parse_entry(MOVEMENT_TESTS, raw)

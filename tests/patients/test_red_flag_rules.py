"""The red-flag triage rules (patients/red_flags.py): pure functions, no database."""

from datetime import date

import pytest

from patients import red_flags
from patients.red_flags import (
    CheckListError,
    cross_checks,
    derived_facts,
    load,
    parse,
    rescreen_items,
    triage,
)

ALL_NO = {item.key: False for item in load().asked()}


def positive(*keys: str, facts: tuple[str, ...] = ()) -> red_flags.Triage:
    return triage({**ALL_NO, **dict.fromkeys(keys, True)}, facts=facts)


def test_every_question_is_one_sourced_criterion_in_a_known_group() -> None:
    checklist = load()
    asked = checklist.asked()
    assert len(asked) >= 60
    assert {item.group for item in asked} == set(red_flags.GROUPS)
    for item in asked:
        assert item.sources and all(key in checklist.sources for key in item.sources)
        assert item.question.endswith("?") and (item.action or item.level == "context")
    assert {i.key for i in asked if i.level == "yellow"} == {
        "fear-avoidance",
        "catastrophising",
        "low-mood",
        "work-worries",
    }


def test_the_missing_conditions_of_the_review_are_asked() -> None:
    keys = {item.key for item in load().asked()}
    assert {
        "limb-ischaemia",
        "claudication",
        "arm-vascular",
        "myelopathy-signs",
        "horner-signs",
        "shoulder-tip-pain",
        "anticoagulant-bleeding",
        "headache-pregnancy",
        "suicidal-ideation",
    } <= keys


def test_no_answers_yes_means_no_flags() -> None:
    result = triage(ALL_NO)
    assert result.findings == () and result.level is None and not result.holds_back
    assert result.headline == "No red flags reported."


@pytest.mark.parametrize(
    ("key", "level", "holds"),
    [
        ("saddle-numbness", "emergency", True),
        ("cardiac-chest-pain", "emergency", True),
        ("fever", "urgent", True),
        ("suicidal-ideation", "urgent", True),
        ("weight-loss", "soon", True),
        ("wheeze-at-rest", "soon", True),
        ("heart-disease", "monitor", False),
        ("dizziness", "monitor", False),
        ("cancer-history", "monitor", False),
        ("low-mood", "yellow", False),
    ],
)
def test_each_level_decides_the_hold_back(key: str, level: str, holds: bool) -> None:
    result = positive(key)
    assert result.level == level and result.holds_back is holds
    assert result.headline == red_flags.HEADLINES[level]


def test_only_the_highest_level_decides() -> None:
    result = positive("low-mood", "heart-disease", "weight-loss", "fever")
    assert [f.level for f in result.findings] == ["urgent", "soon", "monitor", "yellow"]
    assert result.level == "urgent" and result.headline.startswith("Urgent")


def test_yellow_flags_never_hold_back_and_are_listed() -> None:
    result = positive("fear-avoidance", "catastrophising", "low-mood", "work-worries")
    assert not result.holds_back and len(result.yellow_flags) == 4


def test_a_context_question_alone_is_not_a_flag() -> None:
    result = positive("recent-onset")
    assert result.findings == () and result.noted == ("recent-onset",)


def test_age_under_40_alone_means_nothing_but_counts_with_morning_stiffness() -> None:
    assert positive(facts=("age-under-40",)).findings == ()
    alone = positive("morning-stiffness")
    assert alone.level == "monitor" and not alone.holds_back
    both = positive("morning-stiffness", facts=("age-under-40",))
    assert both.level == "soon" and "inflammatory-arthritis" in {f.key for f in both.findings}


def test_cancer_history_with_new_pain_over_50_is_urgent_and_each_part_alone_is_not() -> None:
    assert positive("cancer-history").level == "monitor"
    assert positive("recent-onset", facts=("age-over-50",)).findings == ()
    assert positive("cancer-history", "recent-onset").level == "soon"
    over_50 = positive("cancer-history", "recent-onset", facts=("age-over-50",))
    assert over_50.level == "urgent"
    assert over_50.findings[0].key == "cancer-older-new-pain"
    assert "cancer-history" not in {f.key for f in over_50.findings}  # told by the combination
    assert set(over_50.findings[0].because) == {"cancer-history", "recent-onset", "age-over-50"}


def test_any_of_needs_one_of_its_members() -> None:
    assert positive("cancer-history", "night-pain").level == "urgent"
    assert positive("sudden-neck-pain").level == "urgent"
    assert positive("sudden-neck-pain", "dizziness").level == "emergency"


def test_dizziness_is_an_emergency_only_after_a_neck_injury() -> None:
    assert positive("dizziness").level == "monitor"
    assert positive("dizziness", "neck-trauma").level == "emergency"


def test_known_heart_disease_is_noted_and_with_new_chest_pain_urgent() -> None:
    assert positive("heart-disease").level == "monitor"
    assert positive("heart-disease", "new-chest-pain").level == "urgent"


def test_giant_cell_arteritis_needs_age_new_headache_and_a_sign() -> None:
    assert positive("new-headache", "scalp-tenderness").findings == ()
    result = positive("new-headache", "scalp-tenderness", facts=("age-over-50",))
    assert result.level == "urgent" and result.findings[0].key == "temporal-arteritis"


def test_retired_bundled_answers_keep_counting_at_their_old_level() -> None:
    result = triage({"cancer": True, "cardiac": False})
    assert result.level == "soon" and result.findings[0].retired


def test_unknown_question_is_refused() -> None:
    with pytest.raises(KeyError, match="no-such-question"):
        triage({"no-such-question": True})


def test_derived_facts_from_the_date_of_birth() -> None:
    assert derived_facts(born=date(1970, 6, 1), on=date(2026, 12, 1)) == {"age-over-50"}
    assert derived_facts(born=date(1990, 6, 1), on=date(2026, 12, 1)) == {"age-under-40"}
    assert derived_facts(born=date(1980, 6, 1), on=date(2026, 12, 1)) == frozenset()
    assert derived_facts(born=date(1976, 12, 2), on=date(2026, 12, 1)) == frozenset()  # 49


def test_rescreen_asks_the_always_questions_and_no_history() -> None:
    keys = {item.key for item in rescreen_items(regions=[], earlier_yes=[])}
    assert {"weight-loss", "cardiac-chest-pain", "suicidal-ideation", "calf-swelling"} <= keys
    assert "cancer-history" not in keys and "recent-onset" not in keys
    assert "saddle-numbness" not in keys and "thunderclap" in keys


def test_rescreen_adds_questions_for_the_marked_regions() -> None:
    back = {item.key for item in rescreen_items(regions=["post.back.low.l"], earlier_yes=[])}
    assert {"saddle-numbness", "bladder-change", "bowel-incontinence"} <= back
    head = {item.key for item in rescreen_items(regions=["lat.head.temple.l"], earlier_yes=[])}
    assert {"new-headache", "scalp-tenderness", "visual-disturbance"} <= head
    assert "saddle-numbness" not in head


def test_rescreen_brings_back_the_partners_of_an_earlier_yes() -> None:
    keys = {item.key for item in rescreen_items(regions=[], earlier_yes=["heart-disease"])}
    assert "new-chest-pain" in keys


def test_new_findings_are_only_those_resting_on_a_new_yes() -> None:
    result = positive("cancer-history", "weight-loss", "low-mood")
    fresh = red_flags.new_findings(result, new_yes=["weight-loss"])
    assert {f.key for f in fresh} == {"cancer-systemic"}


def test_cross_check_nijmegen_chest_items_scored_3_or_more() -> None:
    common = dict(
        pain_marks=[],
        neuro_check_recorded=False,
        facts=(),
        answers={},
        onset_date=None,
        assessed_on=date(2026, 11, 2),
    )
    low = [2, 0, 0, 0, 0, 0, 2, 2] + [0] * 8
    assert cross_checks(nijmegen=low, **common) == []
    high = [0, 0, 0, 0, 0, 0, 0, 3] + [0] * 8
    [check] = cross_checks(nijmegen=high, **common)
    assert check.key == "nijmegen-chest" and "tight feelings in the chest" in check.message


def test_cross_check_tingling_without_a_neurological_check() -> None:
    common = dict(nijmegen=[], facts=(), answers={}, onset_date=None, assessed_on=date(2026, 1, 1))
    marks = [("lat.hand.l", "tingling"), ("post.neck.lower.l", "aching")]
    labels = {"lat.hand.l": "Thumb side of hand (patient's left)"}
    [check] = cross_checks(pain_marks=marks, neuro_check_recorded=False, labels=labels, **common)
    assert check.key == "tingling-no-neuro-check"
    assert "Thumb side of hand (patient's left)" in check.message
    assert cross_checks(pain_marks=marks, neuro_check_recorded=True, **common) == []


def test_cross_check_over_50_with_a_new_temple_headache() -> None:
    marks = [("lat.head.temple.r", "aching")]
    common = dict(nijmegen=[], pain_marks=marks, neuro_check_recorded=False, answers={})
    new = dict(onset_date=date(2026, 10, 1), assessed_on=date(2026, 11, 2))
    old = dict(onset_date=date(2025, 1, 1), assessed_on=date(2026, 11, 2))
    assert [c.key for c in cross_checks(facts={"age-over-50"}, **common, **new)] == [
        "older-new-temple-headache"
    ]
    assert cross_checks(facts={"age-over-50"}, **common, **old) == []
    assert cross_checks(facts=(), **common, **new) == []


def _data(**changes: object) -> dict:
    item = {
        "key": "a",
        "group": "spine",
        "question": "A?",
        "level": "urgent",
        "action": "Do it.",
        "sources": ["s"],
        "rescreen": "always",
    }
    data = {"sources": {"s": "A source"}, "item": [item], "combination": []}
    for key, value in changes.items():
        if key in item:
            item[key] = value
        else:
            data[key] = value
    return data


def test_a_valid_checklist_parses() -> None:
    assert parse(_data()).item("a").level == "urgent"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"level": "serious"}, "unknown level"),
        ({"group": "organs"}, "unknown group"),
        ({"sources": ["nope"]}, "unknown source"),
        ({"sources": []}, "no sources"),
        ({"rescreen": "regions"}, "regions go with"),
        (
            {
                "combination": [
                    {
                        "key": "c",
                        "title": "C",
                        "all_of": ["b"],
                        "level": "soon",
                        "action": "x",
                        "sources": ["s"],
                    }
                ]
            },
            "unknown questions b",
        ),
    ],
)
def test_the_loader_refuses_bad_entries(changes: dict, message: str) -> None:
    with pytest.raises(CheckListError, match=message):
        parse(_data(**changes))

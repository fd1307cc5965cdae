"""When a diary entry needs help now (portal.safety): pure rules over plain data."""

import pytest

from plans import rules
from portal.safety import URGENT_PAIN, help_reasons, matched_warnings, warnings

NECK_PLAN = list(rules.seek_help({"neck"}).emergency + rules.seek_help({"neck"}).see_gp)
LOW_BACK_PLAN = list(
    rules.seek_help({"back-pelvic-floor"}).emergency + rules.seek_help({"back-pelvic-floor"}).see_gp
)


@pytest.mark.parametrize(
    ("pain", "helps"), [(None, False), (0, False), (7, False), (8, True), (10, True)]
)
def test_pain_of_eight_or_more_needs_help(pain: int | None, helps: bool) -> None:
    assert URGENT_PAIN == 8
    assert bool(help_reasons(pain, "", NECK_PLAN)) is helps


def test_the_stop_advice_words_count_on_every_plan() -> None:
    assert matched_warnings("My fingers were tingling after", []) == [
        "numbness, pins and needles, dizziness or fainting"
    ]


def test_a_warning_counts_only_when_the_plan_carries_that_sign() -> None:
    note = "I couldn't control my bladder this morning"
    assert matched_warnings(note, LOW_BACK_PLAN)
    assert not matched_warnings(note, NECK_PLAN)


def test_words_match_at_word_starts_only() -> None:
    assert matched_warnings("Numbness in my arm", NECK_PLAN)
    assert not matched_warnings("pins", NECK_PLAN)


def test_the_plan_reasons_each_have_words() -> None:
    """Every emergency and see-your-GP reason the plan rules can print is covered by a warning
    (or is about time, not symptoms: no better after weeks)."""
    every = rules.seek_help(rules.GROUP_ORDER)
    signs = [w.sign for w in warnings() if w.sign]
    uncovered = [
        reason
        for reason in every.emergency + every.see_gp
        if not any(sign in reason.lower() for sign in signs) and "no better" not in reason
    ]
    assert uncovered == []


def test_both_reasons_are_named() -> None:
    reasons = help_reasons(9, "chest pain and breathless", NECK_PLAN)
    assert reasons[0] == "pain 9/10 in the diary"
    assert any("chest pain" in r for r in reasons) and any("breathless" in r for r in reasons)

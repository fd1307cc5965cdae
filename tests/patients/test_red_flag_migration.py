"""The migration to screenings carries answers given on the first, bundled checklist over as
they were given: same keys (readable through the retired questions), same decision, and a
positive answer still holding back until decided."""

import datetime
from collections.abc import Callable

from django.utils import timezone

BEFORE = [("patients", "0006_user_history")]
AFTER = [("patients", "0007_red_flag_screenings")]


def test_old_answers_and_decisions_are_carried_over_as_given(migrate_to: Callable) -> None:
    old = migrate_to(BEFORE)
    clinic = old.get_model("patients", "Clinic").objects.create(name="Old Clinic")
    user = old.get_model("patients", "User").objects.create(username="old", clinic=clinic)
    patient = old.get_model("patients", "Patient").objects.create(
        clinic=clinic,
        first_name="Ann",
        last_name="Old",
        date_of_birth=datetime.date(1960, 1, 1),
        sex="female",
    )
    Assessment = old.get_model("patients", "Assessment")
    Answer = old.get_model("patients", "RedFlagAnswer")
    decided, open_flag, unscreened = (
        Assessment.objects.create(
            patient=patient, therapist=user, chief_complaint=c, onset="gradual", **extra
        )
        for c, extra in (
            (
                "decided",
                {
                    "red_flag_decision": "cleared",
                    "red_flag_decision_note": "GP ok",
                    "red_flag_decided_by": user,
                },
            ),
            ("open", {}),
            ("unscreened", {}),
        )
    )
    Assessment.objects.filter(pk=decided.pk).update(red_flags_screened_at=timezone.now())
    Assessment.objects.filter(pk=open_flag.pk).update(red_flags_screened_at=timezone.now())
    for assessment, yes in ((decided, "cancer"), (open_flag, "cardiac")):
        for key in ("cancer", "cardiac", "yellow-flags"):
            Answer.objects.create(assessment=assessment, flag=key, present=key == yes)

    new = migrate_to(AFTER)
    Screening = new.get_model("patients", "Screening")
    assert Screening.objects.count() == 2  # the unscreened one stays unscreened
    kept = Screening.objects.get(assessment_id=decided.pk)
    assert (kept.decision, kept.decision_note, kept.decided_by_id) == (
        "cleared",
        "GP ok",
        user.pk,
    )
    assert kept.level == "soon" and kept.holds_back  # the bundled "cancer" answer counts
    answers = dict(
        new.get_model("patients", "RedFlagAnswer")
        .objects.filter(screening=kept)
        .values_list("flag", "present")
    )
    assert answers == {"cancer": True, "cardiac": False, "yellow-flags": False}
    still_open = Screening.objects.get(assessment_id=open_flag.pk)
    assert still_open.level == "emergency" and still_open.holds_back
    assert still_open.decision == ""

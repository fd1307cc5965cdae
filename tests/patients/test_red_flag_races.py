"""Concurrent saves of a red-flag screening and of its decision, with real threads on
PostgreSQL (SQLite serialises writers, so the race cannot happen there)."""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from patients import services
from patients.models import Screening
from patients.red_flags import load

from ..factories import AssessmentFactory, screen_red_flags

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]

THREADS = 8
ALL_NO = {item.key: False for item in load().asked()}


def race(work: Callable[[int], None]) -> Counter:
    """Run `work(i)` in THREADS threads released together; count how each one ended."""
    barrier = threading.Barrier(THREADS)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            work(i)
            outcome = "saved"
        except services.StaleEditError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 - any other ending is a failure to report
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_first_screenings_saved_at_once_keep_exactly_one_and_refuse_the_rest() -> None:
    assessment = AssessmentFactory()

    def save(i: int) -> None:
        answers = {**ALL_NO, "saddle-numbness": i % 2 == 0}
        services.red_flags_record(
            assessment=assessment, answers=answers, by=assessment.therapist, expected_version=0
        )

    outcomes = race(save)
    assert outcomes == {"saved": 1, "refused": THREADS - 1}
    screening = Screening.objects.get()
    assert screening.answers.count() == len(ALL_NO) and screening.version == 1
    saddle = screening.answers.get(flag="saddle-numbness").present
    assert screening.holds_back is saddle  # the stored triage matches the winner's answers


def test_a_positive_answer_is_never_overwritten_by_a_concurrent_all_no() -> None:
    assessment = AssessmentFactory()
    screening = screen_red_flags(assessment)
    opened = screening.version

    def save(i: int) -> None:
        yes = i % 2 == 0
        services.red_flags_record(
            assessment=assessment,
            answers={**ALL_NO, "cardiac-chest-pain": yes},
            by=assessment.therapist,
            expected_version=opened,
        )

    outcomes = race(save)
    assert outcomes == {"saved": 1, "refused": THREADS - 1}
    screening.refresh_from_db()
    assert screening.version == opened + 1
    yes = screening.answers.get(flag="cardiac-chest-pain").present
    assert screening.holds_back is yes


def test_concurrent_decisions_keep_exactly_one() -> None:
    assessment = AssessmentFactory()
    screening = screen_red_flags(assessment, yes=("fever",))
    opened = screening.version

    def decide(i: int) -> None:
        services.screening_decide(
            screening=Screening.objects.get(pk=screening.pk),
            decision="cleared" if i % 2 else "referred_out",
            note=f"Decision {i}",
            by=assessment.therapist,
            expected_version=opened,
        )

    outcomes = race(decide)
    assert outcomes == {"saved": 1, "refused": THREADS - 1}
    screening.refresh_from_db()
    assert screening.decision and screening.decision_note.startswith("Decision ")
    assert screening.history.filter(decision__gt="").count() == 1

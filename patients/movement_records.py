"""The movement and loading screen in the patient record: reading results into plain data for
pages, charts, plans and the PDF, and the one write (`movement_results_record`).

Every reader runs a fixed number of queries however many tests, visits or results there are.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from common.models import plain_record
from triggerpoints import cache as catalogue_cache
from triggerpoints.models import MovementTest

from .models import Assessment, MovementResult, Patient, PrecautionProfile, TreatmentSession
from .movement import (
    Reading,
    Score,
    TestSpec,
    finding_text,
    reading_errors,
    score,
    why_excluded,
)
from .services import StaleEditError, claim_version, versioned_write


def spec_of(test: MovementTest) -> TestSpec:
    return plain_record(TestSpec, test)


def reading_of(result: MovementResult) -> Reading:
    return Reading(value=result.value, left=result.left, right=result.right)


def all_tests(*, with_links: bool = False) -> list[MovementTest]:
    """Every test of the screen, in catalogue order (one query; with the muscles it loads and
    the drills that address it, three), read once per catalogue version (triggerpoints.cache:
    the rows are shared, callers must not change them)."""

    def read() -> list[MovementTest]:
        tests = MovementTest.objects.order_by("sort_order", "pk")
        if with_links:
            tests = tests.prefetch_related("muscles", "drills")
        return list(tests)

    return catalogue_cache.cached(f"movement_tests_{with_links}", read)


@dataclass(frozen=True)
class Precautions:
    keys: frozenset[str] = frozenset()
    pregnancy_weeks: int | None = None


def current_precautions(patient: Patient) -> Precautions:
    """The patient's latest precaution profile (one query)."""
    profile = PrecautionProfile.objects.filter(patient=patient).first()
    if profile is None:
        return Precautions()
    keys = frozenset(k for k in profile.keys if isinstance(k, str))
    return Precautions(keys, profile.pregnancy_weeks)


@dataclass(frozen=True)
class ScreenRow:
    """One test as the assessment page and the forms show it."""

    test: MovementTest
    spec: TestSpec
    result: MovementResult | None = None
    excluded: str = ""  # why a precaution rules it out now

    @property
    def reading(self) -> Reading | None:
        return reading_of(self.result) if self.result is not None else None

    @property
    def score(self) -> Score | None:
        return score(self.spec, self.reading) if self.result is not None else None

    @property
    def finding(self) -> str:
        return finding_text(self.spec, self.reading) if self.result is not None else ""

    @property
    def status(self) -> str:
        result = self.score
        return result.status if result is not None else ""


def screen_rows(
    tests: Sequence[MovementTest],
    results: Sequence[MovementResult],
    precautions: Precautions,
) -> list[ScreenRow]:
    by_test = {r.test_id: r for r in results}
    return [
        ScreenRow(
            test,
            spec,
            by_test.get(test.pk),
            why_excluded(spec, precautions.keys, precautions.pregnancy_weeks),
        )
        for test in tests
        if (spec := spec_of(test))
    ]


def assessment_screen(assessment: Assessment, *, with_links: bool = False) -> list[ScreenRow]:
    """Every test with the assessment's result, in three queries (tests, results, precautions;
    two more for the tests' muscles and drills `with_links`)."""
    results = list(MovementResult.objects.filter(assessment=assessment))
    tests = all_tests(with_links=with_links)
    return screen_rows(tests, results, current_precautions(assessment.patient))


# --- Writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultEntry:
    test_id: int
    value: float | None = None
    left: float | None = None
    right: float | None = None
    notes: str = ""
    version: int = 0  # the row's version when the form was opened; 0 for none yet

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.left is None and self.right is None


@versioned_write
def movement_results_record(
    *,
    entries: Sequence[ResultEntry],
    assessment: Assessment | None = None,
    session: TreatmentSession | None = None,
) -> list[MovementResult]:
    """Save the screen's results of one assessment or session, all or nothing.

    Each entry changes its test's row over the version the form was opened on (StaleEditError
    if someone saved it since, or saved a first result meanwhile); an entry with no value
    removes the row (the change log keeps it). A value that does not fit its test is a
    ValidationError naming the test."""
    if (assessment is None) == (session is None):
        raise ValueError("Record results for one assessment or one session.")
    owner = {"assessment": assessment} if assessment is not None else {"session": session}
    existing = {r.test_id: r for r in MovementResult.objects.filter(**owner)}
    tests = MovementTest.objects.in_bulk([e.test_id for e in entries])
    saved = []
    for entry in entries:
        test = tests.get(entry.test_id)
        if test is None:
            raise ValidationError("Unknown test.")
        row = existing.get(entry.test_id)
        if row is None and entry.is_empty:
            continue
        if row is not None:
            claim_version(row, entry.version)
            if entry.is_empty:
                row.delete()
                continue
        elif entry.version:
            raise StaleEditError  # it had a result when the form was opened: removed since
        reading = Reading(entry.value, entry.left, entry.right)
        errors = reading_errors(spec_of(test), reading)
        if errors:
            raise ValidationError({f"test-{test.pk}": errors})
        row = row or MovementResult(test=test, **owner)
        row.value, row.left, row.right, row.notes = (
            entry.value,
            entry.left,
            entry.right,
            entry.notes,
        )
        row.full_clean(exclude=["assessment", "session", "test"], validate_constraints=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as error:  # saved by a double submit a moment ago
            raise StaleEditError from error
        saved.append(row)
    return saved


# --- Over time: charts, plans, the PDF ----------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """One result with when it was taken."""

    on: date
    reading: Reading
    assessment_id: int | None
    session_id: int | None


@dataclass
class TestCourse:
    """One test's results for a patient, oldest first."""

    test: MovementTest
    spec: TestSpec
    results: list[Measured] = field(default_factory=list)

    @property
    def first(self) -> Measured:
        return self.results[0]

    @property
    def latest(self) -> Measured:
        return self.results[-1]


def patient_courses(patient: Patient, *, since: date | None = None) -> list[TestCourse]:
    """Each test the patient was measured on, with every result in date order (one query)."""
    results = (
        MovementResult.objects.filter(Q(assessment__patient=patient) | Q(session__patient=patient))
        .select_related("test", "assessment", "session")
        .order_by("test__sort_order", "pk")
    )
    courses: dict[int, TestCourse] = {}
    for result in results:
        on = result.assessment.assessed_on if result.assessment else result.session.session_date
        if since is not None and on < since:
            continue
        course = courses.get(result.test_id)
        if course is None:
            course = courses[result.test_id] = TestCourse(result.test, spec_of(result.test))
        course.results.append(
            Measured(on, reading_of(result), result.assessment_id, result.session_id)
        )
    for course in courses.values():
        course.results.sort(key=lambda m: (m.on, m.session_id is not None, m.session_id or 0))
    return list(courses.values())


def targeted_tests(patient: Patient) -> list[MovementTest]:
    """The tests the patient's plan targets: those abnormal at the assessment the latest plan
    was built from (or, before any plan, the latest assessment), in catalogue order. Two
    queries."""
    assessment_id = (
        patient.plans.order_by("-created_at", "-pk").values_list("assessment_id", flat=True).first()
    )
    if assessment_id is None:
        assessment_id = (
            patient.assessments.order_by("-assessed_on", "-pk").values_list("pk", flat=True).first()
        )
    if assessment_id is None:
        return []
    results = MovementResult.objects.filter(assessment_id=assessment_id).select_related("test")
    return sorted(
        (r.test for r in results if score(spec_of(r.test), reading_of(r)).abnormal),
        key=lambda t: (t.sort_order, t.pk),
    )


def first_and_latest(
    assessment: Assessment,
) -> tuple[dict[int, MovementResult], dict[int, MovementResult]]:
    """The assessment's results by test, and each test's latest re-test at a session on or
    after the assessment day (by session date, then session). One query."""
    results = (
        MovementResult.objects.filter(
            Q(assessment=assessment)
            | Q(
                session__patient_id=assessment.patient_id,
                session__session_date__gte=assessment.assessed_on,
            )
        )
        .select_related("test", "session")
        .order_by("pk")
    )
    first: dict[int, MovementResult] = {}
    latest: dict[int, MovementResult] = {}
    for r in results:
        if r.assessment_id == assessment.pk:
            first[r.test_id] = r
        elif r.session_id is not None:
            known = latest.get(r.test_id)
            if known is None or (r.session.session_date, r.session_id) >= (
                known.session.session_date,
                known.session_id,
            ):
                latest[r.test_id] = r
    return first, latest


def plan_test_lines(assessment: Assessment, *, most: int = 3) -> list[str]:
    """The two or three tests that matter for the patient, for the plan's PDF: those abnormal at
    the plan's assessment, re-tested ones first, each with where they were and where they are
    now ("Single-leg bridge hold, left: 12 s → 35 s (aim: 30 s or more)"). One query."""
    from .movement import normal_rule, with_unit

    first, latest = first_and_latest(assessment)
    chosen = []
    for test_id, result in first.items():
        spec = spec_of(result.test)
        before = score(spec, reading_of(result))
        if before.abnormal:
            chosen.append((test_id not in latest, result.test.sort_order, result, spec, before))
    lines = []
    for _, _, result, spec, before in sorted(chosen, key=lambda c: c[:2])[:most]:
        old = dict(reading_of(result).sides())
        now = dict(reading_of(latest[result.test_id]).sides()) if result.test_id in latest else {}
        sides = before.out_of_range or tuple(old)
        aim = normal_rule(spec).removeprefix("normal ")
        for side in sides:
            where = {"l": ", left", "r": ", right"}.get(side, "")
            moved = with_unit(spec, old[side])
            if side in now:
                moved += f" → {with_unit(spec, now[side])}"
            lines.append(f"{spec.name}{where}: {moved} (aim: {aim})")
    return lines[: most + 1]

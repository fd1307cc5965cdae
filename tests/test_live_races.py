"""Edit races as they happen in a clinic: several browsers open the same record, then all save at
once, against the live server (real HTTP, a thread per request, each with its own database
connection) on PostgreSQL. For every record type a user changes: exactly one save lands, every
other browser is told and keeps its typed values, nothing is lost silently and nothing is a
server error. SQLite serialises writers, so these run on PostgreSQL only (CI runs both).

`pytest tests/test_live_races.py -s` prints the figures: races tried, lost updates, 500s."""

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.urls import reverse

from patients.models import (
    Assessment,
    Measures,
    PalpatedTriggerPoint,
    PosturalObservation,
    RedFlagAnswer,
    TreatmentSession,
    User,
)
from plans.models import Plan, PlanItem, PlanVersion
from triggerpoints.services import catalogue_load

from .factories import (
    AssessmentFactory,
    ClinicAdminFactory,
    MeasuresFactory,
    PainMarkFactory,
    PalpatedTriggerPointFactory,
    PatientFactory,
    PlanFactory,
    PlanItemFactory,
    PosturalObservationFactory,
    TreatmentSessionFactory,
    UserFactory,
    screen_red_flags,
)
from .live import Form, LiveUser

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

BROWSERS = 6
STALE = "Someone else saved this"
FIGURES: Counter = Counter()


@dataclass
class Race:
    codes: Counter
    bodies: list[str]
    winners: list[int]  # the browsers whose save landed (a 302)


def race(browsers: list[LiveUser], path: str, send: Callable[[int], list]) -> Race:
    """Every browser posts `send(i)` to `path` when all are ready."""
    barrier = threading.Barrier(len(browsers))
    results: list = [None] * len(browsers)

    def run(i: int) -> None:
        data = send(i)
        barrier.wait()
        try:
            results[i] = browsers[i].post(path, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = Counter(r.status for r in results)
    FIGURES["races"] += 1
    FIGURES["requests"] += len(results)
    FIGURES["server errors"] += sum(1 for r in results if r.status >= 500)
    winners = [i for i, r in enumerate(results) if r.status == 302]
    return Race(codes, [r.text for r in results], winners)


def assert_one_saved_rest_told(result: Race, kept: Callable[[int], str]) -> int:
    """One save landed, no 5xx, and every refused browser got its form back with the stale
    message and its own typed value. Returns the winner."""
    assert not [c for c in result.codes if c >= 500], result.codes
    assert result.codes == {302: 1, 200: BROWSERS - 1}, result.codes
    (winner,) = result.winners
    for i, body in enumerate(result.bodies):
        if i != winner:
            assert STALE in body and kept(i) in body, (i, body[:400])
    return winner


def lost(expected: object, stored: object) -> None:
    """Counts a lost update (the stored value is not the winner's) for the printed figures."""
    if expected != stored:
        FIGURES["lost updates"] += 1
    assert stored == expected


@pytest.fixture
def browsers(live_server) -> list[LiveUser]:  # noqa: ANN001
    catalogue_load()
    first = UserFactory(username="live-0")
    users = [first] + [
        UserFactory(username=f"live-{i}", clinic=first.clinic) for i in range(1, BROWSERS)
    ]
    return [LiveUser(live_server.url, user) for user in users]


def opened(browsers: list[LiveUser], path: str, action: str | None = None) -> list[Form]:
    """Every browser opens the form first: all hold the same version."""
    return [browser.form(path, action) for browser in browsers]


def test_patient_details(browsers) -> None:  # noqa: ANN001
    patient = PatientFactory(clinic=browsers[0].clinic)
    path = reverse("patients:edit", args=[patient.pk])
    forms = opened(browsers, path)
    result = race(browsers, path, lambda i: forms[i].data(occupation=f"Race occupation {i}"))
    winner = assert_one_saved_rest_told(result, lambda i: f"Race occupation {i}")
    patient.refresh_from_db()
    lost(f"Race occupation {winner}", patient.occupation)
    assert patient.history.filter(occupation__startswith="Race").count() == 1


def test_archive_against_edits(browsers) -> None:  # noqa: ANN001
    patient = PatientFactory(clinic=browsers[0].clinic)
    edit = reverse("patients:edit", args=[patient.pk])
    archive = reverse("patients:archive", args=[patient.pk])
    forms = opened(browsers, edit)
    archive_form = browsers[0].form(reverse("patients:detail", args=[patient.pk]), archive)
    barrier = threading.Barrier(BROWSERS)
    codes: list[int] = [0] * BROWSERS

    def run(i: int) -> None:
        target, data = (
            (archive, archive_form.data())
            if i % 2 == 0
            else (edit, forms[i].data(occupation=f"Edit {i}"))
        )
        barrier.wait()
        try:
            codes[i] = browsers[i].post(target, data).status
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(BROWSERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    FIGURES["races"] += 1
    FIGURES["requests"] += BROWSERS
    FIGURES["server errors"] += sum(1 for c in codes if c >= 500)
    assert all(c < 500 for c in codes), codes
    patient.refresh_from_db()
    assert patient.version == 2  # exactly one change landed: the archive or one edit
    assert patient.is_archived != patient.occupation.startswith("Edit")


@pytest.fixture
def assessment(browsers) -> Assessment:  # noqa: ANN001
    assessment = AssessmentFactory(
        patient=PatientFactory(clinic=browsers[0].clinic), therapist=browsers[0].user
    )
    screen_red_flags(assessment)
    return assessment


def test_pain_drawing(browsers, assessment) -> None:  # noqa: ANN001
    mark = PainMarkFactory(assessment=assessment, intensity=2)
    path = reverse("patients:pain", args=[assessment.patient_id, assessment.pk])
    forms = opened(browsers, path)
    field = f"intensity-{mark.region_id}"
    result = race(browsers, path, lambda i: forms[i].data(**{field: str(3 + i)}))
    winner = assert_one_saved_rest_told(result, lambda i: f'value="{3 + i}"')
    mark.refresh_from_db()
    lost(3 + winner, mark.intensity)


def test_palpated_point(browsers, assessment) -> None:  # noqa: ANN001
    point = PalpatedTriggerPointFactory(assessment=assessment)
    path = reverse("patients:palpation_edit", args=[assessment.patient_id, assessment.pk, point.pk])
    forms = opened(browsers, path)
    result = race(browsers, path, lambda i: forms[i].data(notes=f"Palpation note {i}"))
    winner = assert_one_saved_rest_told(result, lambda i: f"Palpation note {i}")
    lost(f"Palpation note {winner}", PalpatedTriggerPoint.objects.get(pk=point.pk).notes)


def test_postural_finding(browsers, assessment) -> None:  # noqa: ANN001
    observation = PosturalObservationFactory(assessment=assessment)
    path = reverse(
        "patients:posture_edit", args=[assessment.patient_id, assessment.pk, observation.pk]
    )
    forms = opened(browsers, path)
    result = race(browsers, path, lambda i: forms[i].data(notes=f"Posture note {i}"))
    winner = assert_one_saved_rest_told(result, lambda i: f"Posture note {i}")
    lost(f"Posture note {winner}", PosturalObservation.objects.get(pk=observation.pk).notes)


def test_measures(browsers, assessment) -> None:  # noqa: ANN001
    MeasuresFactory(assessment=assessment)
    path = reverse("patients:measures", args=[assessment.patient_id, assessment.pk])
    forms = opened(browsers, path)
    result = race(browsers, path, lambda i: forms[i].data(breathing_rate=str(20 + i)))
    winner = assert_one_saved_rest_told(result, lambda i: f'value="{20 + i}"')
    lost(20 + winner, Measures.objects.get(assessment=assessment).breathing_rate)


def test_red_flag_answers(browsers, assessment) -> None:  # noqa: ANN001
    path = reverse("patients:red_flags", args=[assessment.patient_id, assessment.pk])
    forms = opened(browsers, path)
    answered_no = [name for name, value in forms[0].fields if value == "no"]
    result = race(browsers, path, lambda i: forms[i].data(**{answered_no[i]: "yes"}))
    assert not [c for c in result.codes if c >= 500], result.codes
    assert result.codes == {302: 1, 200: BROWSERS - 1}, result.codes
    (winner,) = result.winners
    yes = set(
        RedFlagAnswer.objects.filter(screening__assessment=assessment, present=True).values_list(
            "flag", flat=True
        )
    )
    lost({answered_no[winner]}, yes)


def test_session_note(browsers, assessment) -> None:  # noqa: ANN001
    session = TreatmentSessionFactory(
        patient=assessment.patient, therapist=browsers[0].user, signed_at=None
    )
    path = reverse("patients:session_edit", args=[assessment.patient_id, session.pk])
    forms = opened(browsers, path)
    result = race(browsers, path, lambda i: forms[i].data(notes=f"Session note {i}"))
    winner = assert_one_saved_rest_told(result, lambda i: f"Session note {i}")
    lost(f"Session note {winner}", TreatmentSession.objects.get(pk=session.pk).notes)


def test_signing_a_note_twice_at_once(browsers, assessment) -> None:  # noqa: ANN001
    session = TreatmentSessionFactory(
        patient=assessment.patient, therapist=browsers[0].user, signed_at=None
    )
    page = reverse("patients:session", args=[assessment.patient_id, session.pk])
    sign = reverse("patients:session_sign", args=[assessment.patient_id, session.pk])
    form = browsers[0].form(page, sign)
    only_author = [browsers[0]] * BROWSERS  # one therapist double-clicking in several tabs
    result = race(only_author, sign, lambda i: form.data())
    assert not [c for c in result.codes if c >= 500], result.codes
    session.refresh_from_db()
    assert session.signed_at is not None and session.version == form_version(form) + 1


def form_version(form: Form) -> int:
    return int(dict(form.fields)["version"])


@pytest.fixture
def plan(browsers, assessment) -> Plan:  # noqa: ANN001
    plan = PlanFactory(assessment=assessment, created_by=browsers[0].user)
    PlanItemFactory(plan=plan, position=0)
    PlanItemFactory(plan=plan, position=1)
    return plan


def test_plan_details(browsers, plan) -> None:  # noqa: ANN001
    path = reverse("plans:edit", args=[plan.pk])
    forms = opened(browsers, path)
    result = race(browsers, path, lambda i: forms[i].data(notes=f"Plan note {i}"))
    winner = assert_one_saved_rest_told(result, lambda i: f"Plan note {i}")
    lost(f"Plan note {winner}", Plan.objects.get(pk=plan.pk).notes)


def test_plan_item(browsers, plan) -> None:  # noqa: ANN001
    item = plan.items.first()
    path = reverse("plans:item_edit", args=[plan.pk, item.pk])
    forms = opened(browsers, path)
    result = race(browsers, path, lambda i: forms[i].data(dosage=f"Dosage {i}"))
    winner = assert_one_saved_rest_told(result, lambda i: f"Dosage {i}")
    lost(f"Dosage {winner}", PlanItem.objects.get(pk=item.pk).dosage)


def test_issuing_a_plan_twice_at_once(browsers, plan) -> None:  # noqa: ANN001
    page = reverse("plans:detail", args=[plan.pk])
    issue = reverse("plans:issue", args=[plan.pk])
    forms = opened(browsers, page, issue)
    result = race(browsers, issue, lambda i: forms[i].data())
    assert not [c for c in result.codes if c >= 500], result.codes
    assert PlanVersion.objects.filter(plan=plan).count() == 1
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.ISSUED


def test_moving_items_at_once_keeps_every_item_once(browsers, plan) -> None:  # noqa: ANN001
    items = list(plan.items.order_by("position"))
    page = reverse("plans:detail", args=[plan.pk])
    move = reverse("plans:item_move", args=[plan.pk, items[1].pk])
    forms = opened(browsers, page, move)
    result = race(browsers, move, lambda i: forms[i].data(direction="up"))
    assert not [c for c in result.codes if c >= 500], result.codes
    positions = list(plan.items.order_by("position").values_list("pk", flat=True))
    assert positions == [items[1].pk, items[0].pk]  # moved once, not back and forth


def test_the_same_new_colleague_added_twice_at_once(live_server) -> None:  # noqa: ANN001
    """Two clinic admins (or one double-clicking) add the same username: one account, the
    other is told at the username field; never a server error."""
    catalogue_load()
    admin = ClinicAdminFactory(username="owner")
    tabs = [LiveUser(live_server.url, admin) for _ in range(BROWSERS)]
    path = reverse("staff:create")
    forms = opened(tabs, path)
    new = {"username": "newcomer", "first_name": "New", "last_name": "Comer", "role": "therapist"}
    new |= {"password1": "a-long-enough-passphrase-42", "password2": "a-long-enough-passphrase-42"}
    result = race(tabs, path, lambda i: forms[i].data(**new))
    assert not [c for c in result.codes if c >= 500], result.codes
    assert result.codes == {302: 1, 200: BROWSERS - 1}, result.codes
    assert User.objects.filter(username="newcomer").count() == 1


def test_zz_print_the_figures() -> None:
    """Runs last in this module (pytest keeps file order): the figures for the closing note."""
    print(
        f"\nlive-server races: {FIGURES['races']} races, {FIGURES['requests']} requests, "
        f"{FIGURES['lost updates']} lost updates, {FIGURES['server errors']} server errors"
    )

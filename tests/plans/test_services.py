"""The plan lifecycle: edits claim the version, issuing freezes it, red flags and empty plans
block issuing, a completed plan is closed."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import Assessment, User
from plans import services
from plans.forms import drill_draft
from plans.models import Plan, PlanItem, PlanVersion, Strand
from plans.rules import Precautions
from triggerpoints.models import Drill

from ..factories import (
    AssessmentFactory,
    PlanFactory,
    PlanItemFactory,
    RedFlagAnswerFactory,
)
from ..factories import (
    screened_assessment as screened,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]


def with_unresolved_flag(**kwargs: object) -> Assessment:
    assessment = AssessmentFactory(red_flags_screened_at=timezone.now(), **kwargs)
    RedFlagAnswerFactory(assessment=assessment, flag="cancer", present=True)
    return assessment


def fresh(plan: Plan) -> Plan:
    return Plan.objects.select_related("patient__clinic", "assessment", "created_by").get(
        pk=plan.pk
    )


@pytest.fixture
def plan() -> Plan:
    plan = PlanFactory(assessment=screened())
    for n, strand in enumerate([Strand.LOCAL, Strand.POSTURAL, Strand.POSTURAL]):
        PlanItemFactory(plan=plan, strand=strand, position=n, title=f"Item {n}")
    return fresh(plan)


def by(plan: Plan) -> User:
    return plan.created_by


def item(plan: Plan, title: str) -> PlanItem:
    return plan.items.get(title=title)


def titles(plan: Plan, strand: str = Strand.POSTURAL) -> list[str]:
    return list(
        plan.items.filter(strand=strand).order_by("position").values_list("title", flat=True)
    )


def test_generate_makes_a_draft_from_a_screened_assessment() -> None:
    assessment = screened()
    plan = services.plan_generate(assessment=assessment, by=assessment.therapist)
    assert plan.status == Plan.Status.DRAFT and plan.version == 1 and plan.draft_number == 1
    assert plan.patient == assessment.patient and plan.created_by == assessment.therapist


@pytest.mark.parametrize("make", [AssessmentFactory, with_unresolved_flag])
def test_generate_refuses_before_red_flags_are_cleared(make) -> None:  # noqa: ANN001
    assessment = make()
    with pytest.raises(services.PlanBlockedError, match="not screened yet|waiting for a decision"):
        services.plan_generate(assessment=assessment, by=assessment.therapist)
    assert not Plan.objects.exists()


def test_issue_freezes_version_one(plan: Plan) -> None:
    version = services.plan_issue(plan=plan, by=by(plan), expected_version=1)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED and plan.issued_number == 1 and plan.version == 2
    assert version.number == 1 and version.issued_by == by(plan)
    assert [i["title"] for i in version.content["items"]] == ["Item 0", "Item 1", "Item 2"]
    assert version.content["status"] == Plan.Status.ISSUED  # never printed as a draft


def test_edit_after_issue_drafts_the_next_version_and_keeps_version_one(plan: Plan) -> None:
    services.plan_issue(plan=plan, by=by(plan), expected_version=1)
    plan = fresh(plan)
    services.plan_item_update(
        item=item(plan, "Item 1"), data={"title": "Chin nods, sitting"}, expected_version=2
    )
    plan = fresh(plan)
    assert plan.status == Plan.Status.DRAFT and plan.draft_number == 2 and plan.issued_number == 1
    first = PlanVersion.objects.get(plan=plan, number=1)
    assert "Chin nods, sitting" not in [i["title"] for i in first.content["items"]]

    services.plan_issue(plan=plan, by=by(plan), expected_version=plan.version)
    plan = fresh(plan)
    assert plan.issued_number == 2
    second = PlanVersion.objects.get(plan=plan, number=2)
    assert "Chin nods, sitting" in [i["title"] for i in second.content["items"]]
    first.refresh_from_db()
    assert [i["title"] for i in first.content["items"]] == ["Item 0", "Item 1", "Item 2"]


def test_second_of_two_editors_is_refused_and_the_first_edit_stays(plan: Plan) -> None:
    mine, theirs = fresh(plan), fresh(plan)  # both opened version 1
    services.plan_update(plan=mine, data={"notes": "Walk daily."}, expected_version=1)
    with pytest.raises(services.StaleEditError):
        services.plan_update(plan=theirs, data={"notes": "Rest."}, expected_version=1)
    with pytest.raises(services.StaleEditError):
        services.plan_item_remove(item=item(theirs, "Item 0"), expected_version=1)
    plan.refresh_from_db()
    assert plan.notes == "Walk daily." and plan.version == 2
    assert plan.items.count() == 3


def test_unresolved_red_flag_of_this_assessment_blocks_issuing() -> None:
    plan = PlanFactory(assessment=with_unresolved_flag())
    PlanItemFactory(plan=plan)
    plan = fresh(plan)
    with pytest.raises(services.PlanBlockedError, match="is waiting for a decision"):
        services.plan_issue(plan=plan, by=by(plan), expected_version=1)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and not plan.versions.exists()


def test_unresolved_red_flag_of_a_later_assessment_blocks_issuing(plan: Plan) -> None:
    with_unresolved_flag(patient=plan.patient, assessed_on=plan.assessment.assessed_on)
    with pytest.raises(services.PlanBlockedError, match="waiting for a decision"):
        services.plan_issue(plan=plan, by=by(plan), expected_version=1)
    assert not plan.versions.exists()


def test_empty_plan_cannot_be_issued() -> None:
    plan = fresh(PlanFactory(assessment=screened()))
    with pytest.raises(services.PlanBlockedError, match="The plan is empty"):
        services.plan_issue(plan=plan, by=by(plan), expected_version=1)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.version == 1


def test_stale_issue_is_refused(plan: Plan) -> None:
    with pytest.raises(services.StaleEditError):
        services.plan_issue(plan=plan, by=by(plan), expected_version=7)
    assert not plan.versions.exists()


def test_only_an_issued_plan_completes(plan: Plan) -> None:
    with pytest.raises(services.PlanBlockedError, match="Issue the plan"):
        services.plan_complete(plan=plan, expected_version=1)
    services.plan_issue(plan=plan, by=by(plan), expected_version=1)
    services.plan_complete(plan=fresh(plan), expected_version=2)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMPLETED and plan.completed_at is not None


def test_completed_plan_is_not_editable(plan: Plan) -> None:
    services.plan_issue(plan=plan, by=by(plan), expected_version=1)
    services.plan_complete(plan=fresh(plan), expected_version=2)
    plan = fresh(plan)
    assert not plan.is_editable
    chin_nod = drill_draft(Drill.objects.get(key="chin-nod"), Precautions())
    attempts = [
        lambda: services.plan_update(plan=plan, data={"notes": "x"}, expected_version=3),
        lambda: services.plan_item_update(
            item=item(plan, "Item 0"), data={"title": "x"}, expected_version=3
        ),
        lambda: services.plan_item_add(plan=plan, draft=chin_nod, expected_version=3),
        lambda: services.plan_item_remove(item=item(plan, "Item 0"), expected_version=3),
        lambda: services.plan_item_move(item=item(plan, "Item 2"), up=True, expected_version=3),
    ]
    for attempt in attempts:
        with pytest.raises(services.NotEditableError):
            attempt()
    plan.refresh_from_db()
    assert plan.version == 3 and plan.status == Plan.Status.COMPLETED
    assert titles(plan) == ["Item 1", "Item 2"] and plan.items.count() == 3


def test_move_swaps_within_the_strand_and_renumbers(plan: Plan) -> None:
    services.plan_item_move(item=item(plan, "Item 2"), up=True, expected_version=1)
    assert titles(plan) == ["Item 2", "Item 1"]
    positions = list(plan.items.order_by("position").values_list("position", flat=True))
    assert positions == [0, 1, 2]
    # The first of its strand stays first: moving up again changes nothing but the version.
    services.plan_item_move(item=item(plan, "Item 2"), up=True, expected_version=2)
    assert titles(plan) == ["Item 2", "Item 1"]
    assert titles(plan, Strand.LOCAL) == ["Item 0"]


def test_remove_renumbers_positions(plan: Plan) -> None:
    services.plan_item_remove(item=item(plan, "Item 1"), expected_version=1)
    rows = list(plan.items.order_by("position").values_list("title", "position"))
    assert rows == [("Item 0", 0), ("Item 2", 1)]


def test_add_puts_the_item_at_the_end_of_its_strand(plan: Plan) -> None:
    added = services.plan_item_add(
        plan=plan,
        draft=drill_draft(Drill.objects.get(key="chin-nod"), Precautions()),
        expected_version=1,
    )
    assert added.strand == Strand.POSTURAL and added.drill.key == "chin-nod"
    assert titles(plan) == ["Item 1", "Item 2", "Chin nod (craniocervical flexion)"]


def test_the_same_drill_twice_is_refused_and_nothing_changes(plan: Plan) -> None:
    draft = drill_draft(Drill.objects.get(key="chin-nod"), Precautions())
    services.plan_item_add(plan=plan, draft=draft, expected_version=1)
    plan = fresh(plan)
    with pytest.raises(ValidationError, match="already in the plan"):
        services.plan_item_add(plan=plan, draft=draft, expected_version=2)
    plan.refresh_from_db()
    assert plan.version == 2 and plan.items.filter(key="drill:chin-nod").count() == 1


def test_going_back_to_draft_and_reordering_leave_history_rows(plan: Plan) -> None:
    services.plan_issue(plan=plan, by=plan.created_by, expected_version=plan.version)
    plan.refresh_from_db()
    rows = plan.history.count()
    strands = [i.strand for i in plan.items.all()]
    strand = next(s for s in strands if strands.count(s) > 1)
    first = plan.items.filter(strand=strand).order_by("position", "pk").first()
    item_rows = first.history.count()
    services.plan_item_move(item=first, up=False, expected_version=plan.version)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert plan.history.filter(status=Plan.Status.DRAFT).count() >= 1
    assert plan.history.count() > rows
    assert first.history.count() == item_rows + 1  # the move is recorded

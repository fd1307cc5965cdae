"""The plan pages: who may see and change a plan, the draft → issued → completed lifecycle,
edits that collide, and query counts that do not grow with the plan."""

import datetime
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.editing import stale_action, stale_form
from patients.models import Assessment, Patient
from plans import services
from plans.models import Plan, PlanItem, PlanVersion, Strand
from triggerpoints.models import TriggerPoint

from ..factories import (
    AssessmentFactory,
    PalpatedTriggerPointFactory,
    PlanFactory,
    PlanItemFactory,
    PrecautionProfileFactory,
    RedFlagAnswerFactory,
)

pytestmark = pytest.mark.django_db

NEXT_MONTH = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
YESTERDAY = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


def screen(assessment: Assessment, *, flag: bool = False) -> Assessment:
    assessment.red_flags_screened_at = timezone.now()
    assessment.save()
    RedFlagAnswerFactory(assessment=assessment, flag="cancer", present=flag)
    return assessment


@pytest.fixture
def assessment(patient: Patient, therapist) -> Assessment:  # noqa: ANN001
    return screen(AssessmentFactory(patient=patient, therapist=therapist))


@pytest.fixture
def plan(assessment: Assessment) -> Plan:
    plan = PlanFactory(assessment=assessment, notes="Keep a pain diary.")
    PlanItemFactory(
        plan=plan,
        strand=Strand.POSTURAL,
        position=0,
        key="drill:chin-nod",
        title="Chin nods",
        dosage="10 holds of 10 seconds",
        frequency="Daily",
        rationale="Forward head posture (moderate) seen on examination.",
        notes="Start lying down.",
    )
    PlanItemFactory(
        plan=plan,
        strand=Strand.BREATHING,
        position=1,
        key="drill:slow-nasal-breathing",
        title="Slow nasal breathing",
        dosage="5 minutes",
        frequency="Twice a day",
        rationale="Upper-chest breathing pattern.",
    )
    return plan


def url(name: str, plan: Plan, *extra: int) -> str:
    if name == "generate":
        return reverse("plans:generate", args=[plan.assessment_id])
    return reverse(f"plans:{name}", args=[plan.pk, *extra])


def item(plan: Plan, title: str = "Chin nods") -> PlanItem:
    return plan.items.get(title=title)


def current(plan: Plan) -> Plan:
    return Plan.objects.select_related("patient__clinic", "assessment", "created_by").get(
        pk=plan.pk
    )


def issue(plan: Plan) -> PlanVersion:
    plan = current(plan)
    return services.plan_issue(plan=plan, by=plan.created_by, expected_version=plan.version)


def messages_of(response: HttpResponse) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def errors_of(response: HttpResponse) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def item_data(**changes: object) -> dict[str, object]:
    return {
        "title": "Chin nods",
        "instructions": "Lie on your back and nod gently.",
        "dosage": "10 holds of 10 seconds",
        "frequency": "Daily",
        "notes": "Start lying down.",
        **changes,
    }


# Who may do what: one valid request per view


GET_PAGES = ["detail", "version"]
FORM_PAGES = ["edit", "item_add", "item_edit"]
POST_ONLY = ["generate", "item_remove", "item_move", "issue", "complete"]
ALL_VIEWS = GET_PAGES + FORM_PAGES + POST_ONLY


def prepare(plan: Plan, name: str) -> None:
    """The state each view's valid request needs: an issued version to complete or read, and
    no open draft for a new build."""
    if name in {"complete", "version", "generate"}:
        issue(plan)


def send(client: Client, plan: Plan, name: str) -> HttpResponse:
    """A valid request to the view, as the plan stands."""
    plan = current(plan)
    version = {"version": plan.version}
    chin = item(plan).pk
    if name == "detail":
        return client.get(url(name, plan))
    if name == "version":
        return client.get(url(name, plan, 1))
    if name == "edit":
        return client.post(
            url(name, plan), {"review_date": NEXT_MONTH, "notes": "Walk daily."} | version
        )
    if name == "item_add":
        return client.post(url(name, plan), {"entry": "drill:scapular-setting"} | version)
    if name == "item_edit":
        return client.post(url(name, plan, chin), item_data(dosage="5 holds") | version)
    if name == "item_remove":
        return client.post(url(name, plan, chin), version)
    if name == "item_move":
        return client.post(url(name, plan, chin), {"direction": "down"} | version)
    return client.post(url(name, plan), version)  # generate, issue, complete


def snapshot(plan: Plan) -> tuple:
    plan = current(plan)
    items = list(plan.items.order_by("pk").values_list("title", "dosage", "position"))
    return plan.version, plan.status, plan.notes, items, Plan.objects.count()


@pytest.mark.parametrize("name", ALL_VIEWS)
@pytest.mark.parametrize("who", ["stranger_client", "editor_client"])
def test_other_clinic_and_catalogue_editor_get_404(
    request: pytest.FixtureRequest, plan: Plan, name: str, who: str
) -> None:
    client = request.getfixturevalue(who)
    prepare(plan, name)
    before = snapshot(plan)
    response = send(client, plan, name)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert snapshot(plan) == before


@pytest.mark.parametrize("name", ALL_VIEWS)
@pytest.mark.parametrize("who", ["colleague_client", "clinic_admin_client", "therapist_client"])
def test_clinic_staff_may_use_every_view(
    request: pytest.FixtureRequest, plan: Plan, name: str, who: str
) -> None:
    client = request.getfixturevalue(who)
    prepare(plan, name)
    before = snapshot(plan)
    response = send(client, plan, name)
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}
    assert not errors_of(response)
    if name in GET_PAGES:
        assert response.status_code == HTTPStatus.OK and snapshot(plan) == before
    else:
        assert response.status_code == HTTPStatus.FOUND and snapshot(plan) != before


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("detail", "post"),
        ("version", "post"),
        ("edit", "put"),
        ("edit", "delete"),
        ("item_add", "put"),
        ("item_edit", "delete"),
        *[(name, "get") for name in POST_ONLY],
    ],
)
def test_wrong_method_is_refused(
    therapist_client: Client, plan: Plan, name: str, method: str
) -> None:
    issue(plan)
    extra = {"version": [1], "item_edit": [item(plan).pk], "item_remove": [item(plan).pk]}
    extra["item_move"] = extra["item_remove"]
    target = url(name, plan, *extra.get(name, []))
    before = snapshot(plan)
    response = getattr(therapist_client, method)(target)
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert snapshot(plan) == before


def test_archived_patient_plan_is_read_only(therapist_client: Client, plan: Plan) -> None:
    Patient.objects.filter(pk=plan.patient_id).update(archived_at=timezone.now())
    page = therapist_client.get(url("detail", plan))
    assert page.status_code == HTTPStatus.OK
    assert "archived" in page.content.decode()
    assert url("item_add", plan) not in page.content.decode()
    before = snapshot(plan)
    for name in ["edit", "item_add", "item_edit", "item_remove", "issue", "generate"]:
        assert send(therapist_client, plan, name).status_code == HTTPStatus.FORBIDDEN
    assert snapshot(plan) == before


# Generate


def test_generate_builds_a_draft_and_opens_it(therapist_client: Client, assessment) -> None:  # noqa: ANN001
    response = therapist_client.post(reverse("plans:generate", args=[assessment.pk]))
    plan = Plan.objects.get()
    assert response.status_code == HTTPStatus.FOUND and response.url == plan.get_absolute_url()
    assert plan.assessment == assessment and plan.status == Plan.Status.DRAFT
    assert messages_of(response)


def test_generate_over_an_unresolved_red_flag_goes_back_to_the_assessment(
    therapist_client: Client,
    patient: Patient,
) -> None:
    flagged = screen(AssessmentFactory(patient=patient), flag=True)
    response = therapist_client.post(reverse("plans:generate", args=[flagged.pk]))
    assert response.status_code == HTTPStatus.FOUND and response.url == flagged.get_absolute_url()
    assert "is waiting for a decision" in errors_of(response)[0]
    assert not Plan.objects.exists()


def test_generate_for_an_unknown_assessment_is_404(therapist_client: Client) -> None:
    response = therapist_client.post(reverse("plans:generate", args=[987654]))
    assert response.status_code == HTTPStatus.NOT_FOUND


# The plan page


def test_detail_shows_header_strands_items_and_controls(therapist_client: Client, plan) -> None:  # noqa: ANN001
    response = therapist_client.get(url("detail", plan))
    page = response.content.decode()
    assert "Treatment plan for Maria Keane" in page
    assert "Version 1 draft" in page
    assert "2 Nov 2026" in page  # the assessment
    assert "7 Dec 2026" in page  # the review date
    assert "Keep a pain diary." in page
    for title in ["Local release", "Postural retraining", "Breathing retraining", "Self-care"]:
        assert title in page
    assert "Chin nods" in page and "10 holds of 10 seconds" in page and "Daily" in page
    # the reason once, behind a <details>; an item with the same reason points to the first
    assert (
        "<summary>Why this item</summary>Forward head posture (moderate) seen on examination."
        in page
    )
    assert "Start lying down." in page
    chin = item(plan)
    for name in ["item_edit", "item_remove", "item_move"]:
        assert url(name, plan, chin.pk) in page
    assert url("item_add", plan) in page and url("issue", plan) in page
    assert f'href="{url("pdf", plan)}"' in page
    assert f'href="{url("pdf", plan)}?variant=clinician"' in page
    assert page.count('name="version" value="1"') == page.count('method="post"') - 1  # logout
    assert response.context["blockers"] == []


def test_detail_shows_why_an_empty_plan_cannot_be_issued(
    therapist_client: Client,
    assessment: Assessment,
) -> None:
    plan = PlanFactory(assessment=assessment)
    page = therapist_client.get(url("detail", plan)).content.decode()
    assert "The plan is empty: add at least one item before issuing it." in page
    assert url("issue", plan) not in page


def test_detail_shows_the_red_flag_that_blocks_issuing(
    therapist_client: Client,
    plan: Plan,
) -> None:
    later = screen(AssessmentFactory(patient=plan.patient, assessed_on=datetime.date(2026, 11, 9)))
    RedFlagAnswerFactory(assessment=later, flag="fracture", present=True)
    page = therapist_client.get(url("detail", plan)).content.decode()
    assert "a red flag from the intake screening of 9 Nov 2026 is waiting for a decision." in page
    assert url("issue", plan) not in page


def test_detail_of_an_issued_plan_offers_completion_and_its_versions(
    therapist_client: Client,
    therapist,  # noqa: ANN001
    plan: Plan,
) -> None:
    issue(plan)
    page = therapist_client.get(url("detail", plan)).content.decode()
    today = timezone.localdate()
    assert f"Version 1 issued on {today.day} {today:%b %Y} by {plan.created_by}" in page
    assert url("complete", plan) in page and url("issue", plan) not in page
    assert url("version", plan, 1) in page


def test_detail_of_a_completed_plan_has_no_controls(therapist_client: Client, plan: Plan) -> None:
    issue(plan)
    services.plan_complete(plan=current(plan), expected_version=2)
    page = therapist_client.get(url("detail", plan)).content.decode()
    assert "Completed on" in page and "Chin nods" in page
    assert 'method="post"' not in page.split("<main")[1]  # only the log-out form, above
    assert url("item_add", plan) not in page and url("edit", plan) not in page


def test_detail_query_count_does_not_grow_with_items(
    therapist_client: Client,
    plan: Plan,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    # session, user (with clinic), plan (with patient's stamp, assessment), the catalogue's
    # version token; drawing the record part: the plan again (with patient, clinic,
    # assessment, creator), items, versions (with issuer), the movement results and re-tests
    # (issue 17), the patient's links (portal)
    with django_assert_max_num_queries(11):  # + the access-log row
        small = therapist_client.get(url("detail", plan))
    with django_assert_max_num_queries(5):  # the record part is kept: none of the drawing
        therapist_client.get(url("detail", plan))
    for n in range(10):
        PlanItemFactory(plan=plan, strand=list(Strand)[n % 4], title=f"Extra {n}")
    for version in (1, 2):  # two issued versions, then a draft of the third
        issue(plan)
        services.plan_item_update(
            item=item(current(plan)), data={"dosage": f"{version}"}, expected_version=version * 2
        )
    with django_assert_max_num_queries(11):  # + the access-log row
        large = therapist_client.get(url("detail", plan))
    assert small.context["item_count"] == 2 and large.context["item_count"] == 12
    assert len(large.context["versions"]) == 2 and "Version 3 draft" in large.content.decode()


# Plan details


def test_edit_saves_review_date_and_note(therapist_client: Client, plan: Plan) -> None:
    form = therapist_client.get(url("edit", plan)).context["form"]
    assert form["version"].value() == 1
    data = {"review_date": NEXT_MONTH, "notes": "Walk daily.", "version": 1}
    response = therapist_client.post(url("edit", plan), data)
    assert response.status_code == HTTPStatus.FOUND and response.url == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.review_date.isoformat() == NEXT_MONTH and plan.notes == "Walk daily."
    assert plan.version == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (YESTERDAY, "The review date can&#x27;t be in the past."),
        ("", "This field is required."),
        ("31/31/2026", "Enter a valid date."),
    ],
)
def test_invalid_review_date_is_shown_at_the_field_and_not_saved(
    therapist_client: Client, plan: Plan, value: str, message: str
) -> None:
    data = {"review_date": value, "notes": "Walk daily.", "version": 1}
    response = therapist_client.post(url("edit", plan), data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["review_date"]
    page = response.content.decode()
    assert message in page and "Walk daily." in page
    plan.refresh_from_db()
    assert plan.notes == "Keep a pain diary." and plan.version == 1


def test_stale_plan_edit_keeps_what_was_typed_and_saves_nothing(
    therapist_client: Client,
    plan: Plan,
) -> None:
    services.plan_update(plan=current(plan), data={"notes": "Theirs."}, expected_version=1)
    data = {"review_date": NEXT_MONTH, "notes": "Mine.", "version": 1}
    response = therapist_client.post(url("edit", plan), data)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert stale_form("plan") in page
    assert "Mine." in page
    plan.refresh_from_db()
    assert plan.notes == "Theirs." and plan.version == 2


# Items


def test_item_edit_saves_and_returns_to_the_item(therapist_client: Client, plan: Plan) -> None:
    chin = item(plan)
    form = therapist_client.get(url("item_edit", plan, chin.pk)).context["form"]
    assert form["version"].value() == 1
    response = therapist_client.post(
        url("item_edit", plan, chin.pk), item_data(dosage="5 holds of 5 seconds", version=1)
    )
    assert response.url == f"{plan.get_absolute_url()}#item-{chin.pk}"
    chin.refresh_from_db()
    assert chin.dosage == "5 holds of 5 seconds"
    assert chin.rationale == "Forward head posture (moderate) seen on examination."


def test_item_edit_after_issue_drafts_version_two_and_keeps_version_one(
    therapist_client: Client,
    plan: Plan,
) -> None:
    issue(plan)
    chin = item(plan)
    therapist_client.post(url("item_edit", plan, chin.pk), item_data(dosage="Twice", version=2))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.draft_number == 2
    first = PlanVersion.objects.get(plan=plan, number=1).content["items"]
    assert [i["dosage"] for i in first if i["title"] == "Chin nods"] == ["10 holds of 10 seconds"]
    page = therapist_client.get(url("detail", plan)).content.decode()
    assert "Version 2 draft" in page and "version 1 was issued on" in page


def test_invalid_item_is_shown_at_the_field_and_not_saved(
    therapist_client: Client,
    plan: Plan,
) -> None:
    chin = item(plan)
    response = therapist_client.post(
        url("item_edit", plan, chin.pk), item_data(title="", dosage="Typed dosage", version=1)
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["title"] == ["This field is required."]
    assert "Typed dosage" in response.content.decode()
    chin.refresh_from_db()
    assert chin.title == "Chin nods" and chin.dosage == "10 holds of 10 seconds"
    assert current(plan).version == 1


def test_stale_item_edit_keeps_what_was_typed_and_saves_nothing(
    therapist_client: Client,
    plan: Plan,
) -> None:
    chin = item(plan)
    services.plan_item_update(item=chin, data={"frequency": "Hourly"}, expected_version=1)
    response = therapist_client.post(
        url("item_edit", plan, chin.pk), item_data(dosage="Mine", version=1)
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert stale_form("plan") in page
    assert "Mine</textarea>" in page  # the dosage box is several lines now
    chin.refresh_from_db()
    assert chin.dosage == "10 holds of 10 seconds" and chin.frequency == "Hourly"


def test_item_of_another_plan_is_404(therapist_client: Client, plan: Plan, assessment) -> None:  # noqa: ANN001
    other = PlanItemFactory(plan=PlanFactory(assessment=assessment))
    response = therapist_client.get(url("item_edit", plan, other.pk))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_item_remove(therapist_client: Client, plan: Plan) -> None:
    response = therapist_client.post(url("item_remove", plan, item(plan).pk), {"version": 1})
    assert response.url == plan.get_absolute_url()
    assert list(plan.items.values_list("title", "position")) == [("Slow nasal breathing", 0)]
    assert messages_of(response) == ["“Chin nods” removed from the plan."]


def test_item_move_within_its_strand(therapist_client: Client, plan: Plan) -> None:
    second = PlanItemFactory(plan=plan, strand=Strand.POSTURAL, position=5, title="Wall angels")
    therapist_client.post(url("item_move", plan, second.pk), {"version": 1, "direction": "up"})
    postural = plan.items.filter(strand=Strand.POSTURAL).order_by("position")
    assert [i.title for i in postural] == ["Wall angels", "Chin nods"]
    page = therapist_client.get(url("detail", plan)).content.decode()
    assert page.index("Wall angels") < page.index("Chin nods")


@pytest.mark.parametrize("name", ["item_remove", "item_move", "issue", "complete"])
def test_stale_button_changes_nothing_and_says_so(
    therapist_client: Client, plan: Plan, name: str
) -> None:
    if name == "complete":
        issue(plan)
    plan = current(plan)
    seen = plan.version
    services.plan_update(plan=plan, data={"notes": "Theirs."}, expected_version=seen)
    if name == "complete":  # the other editor re-issued, so the plan is issued again
        issue(plan)
    before = snapshot(plan)
    chin = item(plan).pk
    target = url(name, plan, chin) if name.startswith("item") else url(name, plan)
    response = therapist_client.post(target, {"version": seen, "direction": "down"})
    assert response.status_code == HTTPStatus.FOUND
    assert errors_of(response) == [stale_action("plan", "changed")]
    assert snapshot(plan) == before


def test_button_without_version_changes_nothing(therapist_client: Client, plan: Plan) -> None:
    response = therapist_client.post(url("issue", plan), {})
    assert "The form was incomplete" in errors_of(response)[0]
    assert current(plan).status == Plan.Status.DRAFT


# Adding from the catalogue


def test_item_add_search_finds_drills_and_techniques_but_never_clinician_only(
    therapist_client: Client,
    plan: Plan,
) -> None:
    response = therapist_client.get(url("item_add", plan), {"q": "Craniocervical flexion"})
    assert [d.key for d in response.context["drills"]] == ["chin-nod"]
    assert not response.context["techniques"]
    everything = therapist_client.get(url("item_add", plan)).context
    assert "dry-needling" not in [t.key for t in everything["techniques"]]
    assert "pressure-release" in [t.key for t in everything["techniques"]]
    kinds = [d.kind for d in everything["drills"]]
    assert kinds == sorted(kinds, reverse=True)  # postural first, then breathing
    breathing = therapist_client.get(url("item_add", plan), {"q": "breathing"}).context["drills"]
    assert breathing and all("breath" in (d.name + d.instructions).lower() for d in breathing)


def test_item_add_query_count_does_not_grow(
    therapist_client: Client,
    plan: Plan,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    for name in ["Upper trapezius", "Scalenes", "Levator scapulae"]:
        PalpatedTriggerPointFactory(
            assessment=plan.assessment,
            trigger_point=TriggerPoint.objects.filter(muscle__name=name).first(),
        )
    # session, user (with clinic), plan (with patient, clinic, assessment, creator), palpated
    # points (with trigger point and muscle), drills, techniques, the keys already in the plan,
    # the patient's precautions (a drill or technique they rule out is refused)
    with django_assert_max_num_queries(9):  # + the access-log row
        response = therapist_client.get(url("item_add", plan))
    assert len(response.context["form"].fields["point"].choices) == 4
    assert len(response.context["drills"]) > 10


def test_item_add_marks_drills_already_in_the_plan(therapist_client: Client, plan: Plan) -> None:
    page = therapist_client.get(url("item_add", plan), {"q": "chin"}).content.decode()
    assert "Already in the plan" in page and 'value="drill:chin-nod"' not in page


def test_add_a_drill_to_its_strand(therapist_client: Client, plan: Plan) -> None:
    response = therapist_client.post(
        url("item_add", plan), {"entry": "drill:diaphragmatic-breathing", "version": 1}
    )
    added = plan.items.get(key="drill:diaphragmatic-breathing")
    assert response.url == url("item_edit", plan, added.pk)
    assert added.strand == Strand.BREATHING and added.drill.key == "diaphragmatic-breathing"
    assert added.dosage and added.instructions and added.rationale
    assert [i.title for i in plan.items.filter(strand=Strand.BREATHING).order_by("position")][
        0
    ] == "Slow nasal breathing"


def test_add_a_technique_for_a_palpated_trigger_point(
    therapist_client: Client,
    plan: Plan,
) -> None:
    point = PalpatedTriggerPointFactory(assessment=plan.assessment)
    page = therapist_client.get(url("item_add", plan)).content.decode()
    assert f'<option value="{point.pk}">Upper trapezius (left), ' in page
    response = therapist_client.post(
        url("item_add", plan),
        {"entry": "technique:pir", "point": point.pk, "version": 1},
    )
    assert response.status_code == HTTPStatus.FOUND
    added = plan.items.get(technique__key="pir")
    assert added.key == f"point:{point.trigger_point_id}:l" and added.strand == Strand.LOCAL
    assert added.trigger_point == point.trigger_point and added.side == "l"
    assert added.title.startswith("Upper trapezius (left), ")
    assert added.rationale == (
        "The examination found an active trigger point in your upper trapezius (left)."
    )
    # The same technique may also go in without a trigger point.
    response = therapist_client.post(
        url("item_add", plan), {"entry": "technique:pir", "version": 2}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert plan.items.filter(technique__key="pir").count() == 2


def test_a_trigger_point_already_in_the_plan_is_not_added_twice(
    therapist_client: Client,
    plan: Plan,
) -> None:
    point = PalpatedTriggerPointFactory(assessment=plan.assessment)
    PlanItemFactory(
        plan=plan,
        strand=Strand.LOCAL,
        key=f"point:{point.trigger_point_id}:l",
        title="Upper trapezius (left): Pressure release",
        trigger_point=point.trigger_point,
        side="l",
    )
    page = therapist_client.get(url("item_add", plan)).content.decode()
    assert "active · in the plan</option>" in page
    response = therapist_client.post(
        url("item_add", plan), {"entry": "technique:pir", "point": point.pk, "version": 1}
    )
    assert response.status_code == HTTPStatus.OK
    assert "already has an item in the plan" in response.context["form"].errors["point"][0]
    assert "already has an item in the plan" in response.content.decode()
    assert plan.items.count() == 3 and current(plan).version == 1


def test_adding_the_same_drill_twice_is_refused_with_a_clear_message(
    therapist_client: Client,
    plan: Plan,
) -> None:
    response = therapist_client.post(
        url("item_add", plan), {"entry": "drill:chin-nod", "version": 1, "q": "chin"}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["entry"] == [
        "Chin nod (craniocervical flexion) is already in the plan."
    ]
    assert "Chin nod (craniocervical flexion) is already in the plan." in response.content.decode()
    assert response.context["query"] == "chin"
    assert plan.items.count() == 2 and current(plan).version == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"entry": "drill:no-such-drill"},
            "entry",
            "Choose a drill or technique from the catalogue",
        ),
        ({"entry": "technique:dry-needling"}, "entry", "Choose a drill or technique from the"),
        ({"entry": ""}, "entry", "Choose a drill or technique to add."),
        (
            {"entry": "technique:pressure-release", "point": "987654"},
            "point",
            "Choose a trigger point palpated in this plan",
        ),
        ({"entry": "drill:dead-bug", "point": "POINT"}, "point", "A trigger point goes with a"),
    ],
)
def test_invalid_add_is_shown_at_the_field_and_nothing_added(
    therapist_client: Client, plan: Plan, data: dict, field: str, message: str
) -> None:
    point = PalpatedTriggerPointFactory(assessment=plan.assessment)
    if data.get("point") == "POINT":
        data = {**data, "point": point.pk}
    response = therapist_client.post(url("item_add", plan), {**data, "version": 1})
    assert response.status_code == HTTPStatus.OK
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert plan.items.count() == 2 and current(plan).version == 1


def test_stale_add_returns_to_the_search_and_adds_nothing(
    therapist_client: Client,
    plan: Plan,
) -> None:
    services.plan_update(plan=current(plan), data={"notes": "Theirs."}, expected_version=1)
    response = therapist_client.post(
        url("item_add", plan), {"entry": "drill:dead-bug", "version": 1, "q": "bug"}
    )
    assert response.url == f"{url('item_add', plan)}?q=bug"
    assert "nothing was added" in errors_of(response)[0]
    assert not plan.items.filter(key="drill:dead-bug").exists()


# Issue and complete


def test_issue_then_complete(therapist_client: Client, therapist, plan: Plan) -> None:  # noqa: ANN001
    response = therapist_client.post(url("issue", plan), {"version": 1})
    assert response.url == plan.get_absolute_url()
    assert messages_of(response)[0].startswith("Version 1 issued.")
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1 and version.issued_by == therapist
    response = therapist_client.post(url("complete", plan), {"version": 2})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMPLETED
    response = therapist_client.post(url("item_remove", plan, item(plan).pk), {"version": 3})
    assert errors_of(response) == ["This plan is completed; start a new plan to change it."]
    assert plan.items.count() == 2


def test_issue_is_refused_over_an_unresolved_red_flag(therapist_client: Client, plan: Plan) -> None:
    flagged = screen(AssessmentFactory(patient=plan.patient), flag=True)
    response = therapist_client.post(url("issue", plan), {"version": 1})
    day = f"{flagged.assessed_on.day} {flagged.assessed_on:%b %Y}"
    assert errors_of(response) == [
        f"Can't issue the plan: a red flag from the intake screening of {day} is waiting for a "
        "decision."
    ]
    assert current(plan).status == Plan.Status.DRAFT and not PlanVersion.objects.exists()


def test_complete_a_draft_is_refused(therapist_client: Client, plan: Plan) -> None:
    response = therapist_client.post(url("complete", plan), {"version": 1})
    assert errors_of(response) == ["Issue the plan before marking it completed."]
    assert current(plan).status == Plan.Status.DRAFT


# Issued versions


def test_version_page_shows_the_frozen_version_after_later_edits(
    therapist_client: Client,
    plan: Plan,
) -> None:
    issue(plan)
    services.plan_item_update(
        item=item(current(plan)), data={"title": "Chin tucks"}, expected_version=2
    )
    response = therapist_client.get(url("version", plan, 1))
    page = response.content.decode()
    assert "This is version 1 exactly as it was issued on" in page
    assert "Chin nods" in page and "Chin tucks" not in page
    assert "10 holds of 10 seconds" in page and "Keep a pain diary." in page
    assert f'href="{plan.get_absolute_url()}"' in page and "version 2 draft" in page
    assert url("item_edit", plan, item(plan, "Chin tucks").pk) not in page


def test_unknown_version_is_404(therapist_client: Client, plan: Plan) -> None:
    issue(plan)
    assert therapist_client.get(url("version", plan, 2)).status_code == HTTPStatus.NOT_FOUND


def test_version_query_count_does_not_grow_with_items(
    therapist_client: Client,
    assessment: Assessment,
    plan: Plan,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    issue(plan)
    large = PlanFactory(assessment=assessment)
    for n in range(12):
        PlanItemFactory(plan=large, strand=list(Strand)[n % 4], title=f"Extra {n}")
    issue(large)
    # session, user (with clinic), plan (with patient, clinic, assessment, creator),
    # version (with issuer)
    with django_assert_max_num_queries(5):  # + the access-log row
        small_page = therapist_client.get(url("version", plan, 1))
    with django_assert_max_num_queries(5):  # + the access-log row
        large_page = therapist_client.get(url("version", large, 1))
    assert len(small_page.context["content"].items) == 2
    assert len(large_page.context["content"].items) == 12


@pytest.mark.parametrize("name", ["edit", "item_add", "item_edit"])
def test_forms_of_a_completed_plan_send_back_to_the_plan(
    therapist_client: Client, plan: Plan, name: str
) -> None:
    issue(plan)
    services.plan_complete(plan=current(plan), expected_version=2)
    target = url(name, plan, item(plan).pk) if name == "item_edit" else url(name, plan)
    response = therapist_client.get(target)
    assert response.status_code == HTTPStatus.FOUND and response.url == plan.get_absolute_url()
    assert errors_of(response) == ["This plan is completed; start a new plan to change it."]


# Admin


def test_admin_shows_a_plan_with_its_items_and_versions_read_only(
    superuser,  # noqa: ANN001
    plan: Plan,
) -> None:
    issue(plan)
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("admin:plans_plan_change", args=[plan.pk])).content.decode()
    assert "Chin nods" in page and "Slow nasal breathing" in page
    assert 'name="notes"' not in page  # read-only
    version = plan.versions.get()
    assert (
        client.get(reverse("admin:plans_planversion_change", args=[version.pk])).status_code
        == HTTPStatus.OK
    )
    assert client.get(reverse("admin:plans_plan_add")).status_code == HTTPStatus.FORBIDDEN


def test_building_twice_opens_the_existing_draft(therapist_client: Client, plan: Plan) -> None:
    """A double click on "Build a plan" makes one draft, not two."""
    response = therapist_client.post(url("generate", plan))
    assert response.url == plan.get_absolute_url()
    assert Plan.objects.filter(assessment=plan.assessment).count() == 1


def test_a_drill_added_by_hand_follows_the_patients_precautions(
    therapist_client: Client, plan: Plan
) -> None:
    """The same rules as a generated item: osteoporosis rules the foam-roller drill out (refused
    at the field, with the reason); hypermobility gives its safer variant, with the note."""
    profile = PrecautionProfileFactory(patient=plan.patient, keys=["osteoporosis"])
    response = therapist_client.post(
        url("item_add", plan), {"entry": "drill:thoracic-extension", "version": 1}
    )
    assert response.status_code == HTTPStatus.OK
    assert "osteoporosis rules it out" in " ".join(response.context["form"].errors["entry"])
    assert not plan.items.filter(key="drill:thoracic-extension").exists()

    PrecautionProfileFactory(
        patient=plan.patient, keys=["hypermobility"], recorded_by=profile.recorded_by
    )
    therapist_client.post(
        url("item_add", plan), {"entry": "drill:thoracic-extension", "version": 1}
    )
    added = plan.items.get(key="drill:thoracic-extension")
    assert added.instructions.startswith("Do only the open-book turns")
    assert "hypermobility" in added.precaution_note and added.sources


def test_a_drill_added_by_hand_keeps_its_progression(therapist_client: Client, plan: Plan) -> None:
    from triggerpoints.models import Drill

    drill = Drill.objects.exclude(progression="").filter(softened_by=[], supine=False).first()
    therapist_client.post(url("item_add", plan), {"entry": f"drill:{drill.key}", "version": 1})
    added = plan.items.get(key=f"drill:{drill.key}")
    assert f"When this is easy: {drill.progression}" in added.instructions


def test_a_technique_added_by_hand_is_softened_by_a_precaution(
    therapist_client: Client, plan: Plan
) -> None:
    from triggerpoints.models import ReleaseTechnique

    PrecautionProfileFactory(patient=plan.patient, keys=["anticoagulants"])
    therapist_client.post(
        url("item_add", plan), {"entry": "technique:pressure-release", "version": 1}
    )
    added = plan.items.get(key="technique:pressure-release")
    safer = ReleaseTechnique.objects.get(key="pressure-release").safer_variant
    assert safer and added.instructions == safer and "anticoagulants" in added.precaution_note

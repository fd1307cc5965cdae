"""Bounded input: every text field has a maximum, a plan holds at most MAX_PLAN_ITEMS items, and
the PDF has a time budget that the largest allowed plan keeps well within."""

import time
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from plans import services
from plans.content import plan_content
from plans.models import Plan, PlanItem, Strand
from plans.pdf import render_plan_pdf_within
from plans.services import MAX_PLAN_ITEMS

from ..factories import AssessmentFactory, PlanFactory, PlanItemFactory, screen_red_flags

pytestmark = pytest.mark.django_db

LONGEST = "Lie on your back and breathe out slowly through pursed lips. " * 40  # 2,440 chars


@pytest.fixture
def plan(therapist) -> Plan:  # noqa: ANN001
    assessment = AssessmentFactory(therapist=therapist, patient__clinic=therapist.clinic)
    screen_red_flags(assessment)
    plan = PlanFactory(assessment=assessment, patient=assessment.patient, created_by=therapist)
    PlanItemFactory(plan=plan, strand=Strand.POSTURAL)
    return plan


def test_an_oversized_instruction_is_refused_at_the_field(
    therapist_client: Client, plan: Plan
) -> None:
    item = plan.items.get()
    target = reverse("plans:item_edit", args=[plan.pk, item.pk])
    form = therapist_client.get(target).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["instructions"] = LONGEST
    response = therapist_client.post(target, data)
    assert response.status_code == HTTPStatus.OK
    assert "Ensure this value has at most 2000 characters" in str(
        response.context["form"].errors["instructions"]
    )
    assert PlanItem.objects.get(pk=item.pk).instructions != LONGEST


def test_the_model_refuses_oversized_text_whatever_the_way_in(plan: Plan) -> None:
    item = plan.items.get()
    item.instructions = LONGEST
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "instructions" in refused.value.message_dict


def test_a_plan_holds_at_most_its_maximum_of_items(plan: Plan) -> None:
    for n in range(MAX_PLAN_ITEMS - 1):
        PlanItemFactory(plan=plan, key=f"extra:{n}")
    from plans.rules import DraftItem

    extra = DraftItem(strand=Strand.SELF_CARE, key="one-too-many", title="One too many")
    with pytest.raises(ValidationError, match=f"at most {MAX_PLAN_ITEMS} items"):
        services.plan_item_add(plan=plan, draft=extra, expected_version=plan.version)


def test_the_largest_allowed_plan_renders_well_within_the_budget(plan: Plan, settings) -> None:  # noqa: ANN001
    for n in range(MAX_PLAN_ITEMS - 1):
        PlanItemFactory(
            plan=plan,
            key=f"long:{n}",
            instructions=LONGEST[:2000],
            rationale=LONGEST[:2000],
            notes=LONGEST[:1000],
            strand=(Strand.LOCAL, Strand.POSTURAL, Strand.BREATHING, Strand.SELF_CARE)[n % 4],
        )
    plan = Plan.objects.select_related("patient__clinic", "assessment", "created_by").get(
        pk=plan.pk
    )
    started = time.monotonic()
    pdf = render_plan_pdf_within(plan_content(plan), clinician=True)
    elapsed = time.monotonic() - started
    assert pdf.startswith(b"%PDF")
    # A guard, not a timing test: it renders in a few seconds against a 20-second budget.
    assert elapsed < settings.PDF_RENDER_SECONDS, elapsed


def test_past_the_budget_the_page_says_so_instead_of_timing_out(
    therapist_client: Client, plan: Plan, settings
) -> None:  # noqa: ANN001
    settings.PDF_RENDER_SECONDS = 0
    response = therapist_client.get(reverse("plans:pdf", args=[plan.pk]))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "The PDF took too long to make" in response.content.decode()

"""The plan page shows what the plan rules decided beside the items: precautions, screen-for
prompts, what was left out and why, whether breathing was assessed, priorities and cautions."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from plans.forms import technique_draft
from plans.rules import Precautions
from triggerpoints.models import ReleaseTechnique, TriggerPoint

from ..factories import PalpatedTriggerPointFactory, PlanFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def test_plan_page_shows_safety_and_gaps(therapist_client: Client, therapist) -> None:  # noqa: ANN001
    plan = PlanFactory(
        assessment__patient__clinic=therapist.clinic,
        precautions="pregnancy (24 weeks), anticoagulants",
        screen_for=["Leg-length difference: can keep the trigger point going; check for it."],
        left_out=["Levator ani: left out, no safe home technique."],
        breathing_not_assessed=True,
    )
    PlanItemFactory(
        plan=plan,
        priority=1,
        cautions="Near the main neck artery: never press on the pulse.",
        precaution_note="anticoagulants: softened to its safer variant",
    )
    PlanItemFactory(plan=plan, key="point:9:l", clinic_only=True, title="Scalenes (left)")
    response = therapist_client.get(plan.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "pregnancy (24 weeks), anticoagulants" in page
    assert "Leg-length difference: can keep" in page
    assert "Levator ani: left out, no safe home technique." in page
    measures = reverse("patients:measures", args=[plan.patient_id, plan.assessment_id])
    assert "Breathing was not assessed" in page and f'href="{measures}"' in page
    assert "Priority 1" in page and "In the clinic only" in page
    assert "Take care here:" in page and "Changed by a precaution:" in page


def test_technique_added_for_a_point_carries_its_site_cautions() -> None:
    scm = TriggerPoint.objects.filter(muscle__name="Sternocleidomastoid").first()
    palpated = PalpatedTriggerPointFactory(trigger_point=scm)
    draft = technique_draft(ReleaseTechnique.objects.get(key="pir"), Precautions(), point=palpated)
    assert draft.cautions.startswith("Near the main neck artery")

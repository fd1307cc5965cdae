"""Curation in Django admin: who may do it, and that the pages work at constant cost."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from triggerpoints.models import Muscle, ReferralZone, TriggerPoint

from ..factories import TriggerPointFactory

pytestmark = pytest.mark.django_db

CATALOGUE_MODELS = [
    "muscle",
    "triggerpoint",
    "releasetechnique",
    "drill",
    "posturalfinding",
    "breathingfinding",
    "perpetuatingfactor",
    "bodyarea",
    "bodyregion",
]


@pytest.mark.parametrize("model", CATALOGUE_MODELS)
def test_admin_changelists_render(admin_client: Client, model: str) -> None:
    response = admin_client.get(reverse(f"admin:triggerpoints_{model}_changelist"))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", ["muscle", "triggerpoint"])
def test_admin_changelists_filter_and_search(admin_client: Client, model: str) -> None:
    url = reverse(f"admin:triggerpoints_{model}_changelist")
    group = "muscle__group" if model == "triggerpoint" else "group"
    response = admin_client.get(url, {group: "neck", "q": "trapezius"})
    assert response.status_code == HTTPStatus.OK
    results = list(response.context["cl"].result_list)
    muscles = [getattr(obj, "muscle", obj) for obj in results]
    assert "Upper trapezius" in [m.name for m in muscles]
    assert all(m.group == "neck" for m in muscles)


def test_trigger_point_changelist_query_count_is_constant(
    admin_client: Client,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    url = reverse("admin:triggerpoints_triggerpoint_changelist")
    admin_client.get(url)  # warm the session
    with django_assert_max_num_queries(10) as few:
        admin_client.get(url, {"confidence": "H"})
    TriggerPointFactory.create_batch(20, confidence="H")
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url, {"confidence": "H"})


def test_muscle_changelist_query_count_is_constant(
    admin_client: Client,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    url = reverse("admin:triggerpoints_muscle_changelist")
    admin_client.get(url)
    with django_assert_max_num_queries(10) as few:
        admin_client.get(url)
    TriggerPointFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url)


def test_trigger_point_page_previews_pattern_on_body_map(admin_client: Client) -> None:
    # Issue 12 split the merged upper free border point into TrP1 and TrP2; TrP1 keeps the temple.
    point = TriggerPoint.objects.get(
        muscle__name="Upper trapezius", label="TrP1 (mid upper free border)"
    )
    response = admin_client.get(reverse("admin:triggerpoints_triggerpoint_change", args=[point.pk]))
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'data-region="lat.head.temple.r"' in body
    assert "is-essential" in body and "body-map__marker" in body


def test_zone_inline_refuses_laterality_that_does_not_fit_the_area(admin_client: Client) -> None:
    point = TriggerPoint.objects.get(muscle__name="Splenius capitis")
    zones = list(point.zones.all())
    url = reverse("admin:triggerpoints_triggerpoint_change", args=[point.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "pattern_preview"}
    data["muscle"] = point.muscle_id
    data["location_area"] = point.location_area_id
    data["techniques"] = [t.pk for t in point.techniques.all()]
    data["perpetuating_factors"] = [f.pk for f in point.perpetuating_factors.all()]
    prefix = "zones"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": len(zones) + 1,
            f"{prefix}-INITIAL_FORMS": len(zones),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    )
    for i, zone in enumerate(zones):
        data.update(
            {
                f"{prefix}-{i}-id": zone.pk,
                f"{prefix}-{i}-trigger_point": point.pk,
                f"{prefix}-{i}-kind": zone.kind,
                f"{prefix}-{i}-area": zone.area_id,
                f"{prefix}-{i}-laterality": zone.laterality,
            }
        )
    temple = Muscle.objects.get(name="Temporalis").trigger_points.first().location_area
    n = len(zones)
    data.update(
        {
            f"{prefix}-{n}-trigger_point": point.pk,
            f"{prefix}-{n}-kind": "spillover",
            f"{prefix}-{n}-area": temple.pk,
            f"{prefix}-{n}-laterality": "midline",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == HTTPStatus.OK  # re-rendered with the error
    assert "has a left and a right side" in response.content.decode()
    assert point.zones.count() == len(zones)
    assert not ReferralZone.objects.filter(trigger_point=point, area=temple).exists()


def test_catalogue_editor_can_edit_catalogue(editor_client: Client) -> None:
    for model in CATALOGUE_MODELS:
        response = editor_client.get(reverse(f"admin:triggerpoints_{model}_changelist"))
        assert response.status_code == HTTPStatus.OK, model
    muscle = Muscle.objects.get(name="Scalenes")
    response = editor_client.get(reverse("admin:triggerpoints_muscle_change", args=[muscle.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response.context["has_change_permission"]


def test_catalogue_editor_cannot_touch_anything_else(editor_client: Client) -> None:
    for url in [
        reverse("admin:patients_user_changelist"),
        reverse("admin:patients_clinic_changelist"),
        reverse("admin:auth_group_changelist"),
    ]:
        assert editor_client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_catalogue_editor_cannot_change_region_vocabulary(editor_client: Client) -> None:
    response = editor_client.get(reverse("admin:triggerpoints_bodyarea_add"))
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_therapist_cannot_open_admin(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("admin:index"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response.url

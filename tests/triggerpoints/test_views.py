"""Catalogue pages and the pain finder."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from triggerpoints.models import Muscle

from ..factories import ReferralZoneFactory, TriggerPointFactory

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("home"),
    reverse("triggerpoints:muscles"),
    reverse("triggerpoints:muscle", args=["upper-trapezius"]),
    reverse("triggerpoints:pain_finder"),
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("url", PAGES)
def test_pages_refuse_state_changing_methods(therapist_client: Client, url: str) -> None:
    assert therapist_client.delete(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("url", PAGES[:3])
def test_read_only_pages_refuse_post(therapist_client: Client, url: str) -> None:
    assert therapist_client.post(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_login_and_logout(client: Client, therapist) -> None:  # noqa: ANN001
    response = client.post(
        reverse("login"), {"username": "tess", "password": "correct horse battery staple"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    assert client.post(reverse("logout")).status_code == HTTPStatus.FOUND
    assert client.get(reverse("home")).status_code == HTTPStatus.FOUND


def test_login_with_wrong_password_shows_error(client: Client, therapist) -> None:  # noqa: ANN001
    response = client.post(reverse("login"), {"username": "tess", "password": "nope"})
    assert response.status_code == HTTPStatus.OK
    assert "Please enter a correct username and password" in response.content.decode()


def test_unknown_page_shows_friendly_404(therapist_client: Client) -> None:
    response = therapist_client.get("/no/such/page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "couldn't find that page" in response.content.decode()


def test_catalogue_lists_every_muscle_by_body_group(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("triggerpoints:muscles"))
    body = response.content.decode()
    assert response.context["count"] == 94
    assert [label for label, _ in response.context["groups"]][:2] == ["Head and jaw", "Neck"]
    assert 'href="/catalogue/muscles/gluteus-minimus/"' in body


def test_catalogue_search_finds_muscles_by_alias(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("triggerpoints:muscles"), {"q": "scm"})
    assert [m.name for _, ms in response.context["groups"] for m in ms] == ["Sternocleidomastoid"]


def test_catalogue_filters_by_group(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("triggerpoints:muscles"), {"group": "thigh"})
    names = [m.name for _, ms in response.context["groups"] for m in ms]
    assert names and all(Muscle.objects.get(name=n).group == "thigh" for n in names)


def test_catalogue_rejects_unknown_group_and_shows_everything(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("triggerpoints:muscles"), {"group": "tail"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["group"]
    assert response.context["count"] == 94


def test_catalogue_query_count_does_not_grow_with_muscles(
    therapist_client: Client,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    TriggerPointFactory.create_batch(12)
    # session, user, the catalogue's version token, muscles with trigger-point counts
    with django_assert_max_num_queries(4):
        therapist_client.get(reverse("triggerpoints:muscles"))
    # Again: the list is kept for this catalogue version and search
    with django_assert_max_num_queries(3):
        therapist_client.get(reverse("triggerpoints:muscles"))


def test_the_kept_catalogue_list_follows_a_change_in_admin(therapist_client: Client) -> None:
    from triggerpoints.models import Muscle

    url = reverse("triggerpoints:muscles") + "?q=trapezius"
    assert "Upper trapezius" in therapist_client.get(url).content.decode()
    muscle = Muscle.objects.get(name="Upper trapezius")
    muscle.name = "Upper trapezius (descending part)"
    muscle.save()  # as the admin does: the catalogue gets a new version token
    assert "Upper trapezius (descending part)" in therapist_client.get(url).content.decode()


def test_muscle_page_draws_zones_and_location(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("triggerpoints:muscle", args=["upper-trapezius"]))
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    # Essential zones drawn strong, spillover light, on the patient's right.
    assert 'is-essential" d="' in body
    assert 'data-region="lat.head.temple.r"' in body
    essential = _states(body, "is-essential")
    spillover = _states(body, "is-spillover")
    assert {"lat.head.temple.r", "post.neck.upper.r"} <= essential
    assert "lat.head.temple.l" not in essential
    # Since issue 12 the muscle has TrP1 and TrP2, so a region can be essential for one point and
    # spillover for the other (the occiput); the spillover-only regions are TrP1's eye and jaw.
    assert {"ant.head.eye.r", "ant.face.r"} <= spillover - essential
    assert 'class="body-map__marker"' in body
    assert "Sources" in body and "https://www.medlink.com/media/Mpssi6" in body


def _states(body: str, state: str) -> set[str]:
    import re

    return set(re.findall(rf'{state}" d="[^"]*" data-region="([^"]+)"', body))


def test_muscle_page_unknown_slug_is_404(therapist_client: Client) -> None:
    response = therapist_client.get(reverse("triggerpoints:muscle", args=["heart"]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_muscle_page_query_count_does_not_grow_with_trigger_points(
    therapist_client: Client,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    point = TriggerPointFactory()
    for other in TriggerPointFactory.create_batch(5, muscle=point.muscle):
        ReferralZoneFactory(trigger_point=other)
    # session, user, muscle, trigger points, zones, techniques, factors, the catalogue's
    # version token, region labels (kept after the first request)
    with django_assert_max_num_queries(9):
        response = therapist_client.get(point.muscle.get_absolute_url())
    assert len(response.context["pages"]) == 6


def test_pain_finder_form_post_ranks_candidates(therapist_client: Client) -> None:
    response = therapist_client.post(
        reverse("triggerpoints:pain_finder"),
        {"regions": ["lat.head.temple.l", "post.neck.upper.l", "post.neck.lower.l"]},
    )
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    first = response.context["rows"][0]
    assert (first.candidate.muscle, first.side) == ("Upper trapezius", "patient's left")
    assert "Temple (patient's left)" in first.essential
    assert 'href="/catalogue/muscles/upper-trapezius/#tp-' in body
    assert "not a diagnosis" in body
    # The marked regions stay marked on the redrawn map.
    assert 'is-marked" d="' in body and 'aria-checked="true"' in body


def test_pain_finder_get_with_regions_is_linkable(therapist_client: Client) -> None:
    response = therapist_client.get(
        reverse("triggerpoints:pain_finder"), {"regions": "post.foot.heel.r"}
    )
    assert "Soleus" in {row.candidate.muscle for row in response.context["rows"]}


def test_pain_finder_without_regions_asks_for_one(therapist_client: Client) -> None:
    response = therapist_client.post(reverse("triggerpoints:pain_finder"), {})
    assert response.context["rows"] is None
    assert "Mark at least one region on the body map." in response.content.decode()


def test_pain_finder_refuses_unknown_region_at_the_field(therapist_client: Client) -> None:
    response = therapist_client.post(
        reverse("triggerpoints:pain_finder"), {"regions": ["lat.head.temple.l", "tail.l"]}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["rows"] is None
    assert "tail.l is not one of the available choices" in response.content.decode()
    # The valid mark survives the error.
    assert response.context["body_map"].views[0].regions
    assert "Temple (patient's left)" in response.context["marked"]


def test_pain_finder_partial_returns_only_the_candidates(therapist_client: Client) -> None:
    response = therapist_client.post(
        reverse("triggerpoints:pain_finder"),
        {"regions": ["post.foot.heel.r"]},
        headers={"X-Partial": "candidates"},
    )
    body = response.content.decode()
    assert "Soleus" in body
    assert "<html" not in body and "<svg" not in body


def test_pain_finder_query_count_does_not_grow_with_regions(
    therapist_client: Client,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    # session, user, region labels, the symptom and factor pickers' choices (2), and the
    # ranking's zones, factor links, trigger points, factors, region codes and symptoms
    every_region = [
        f"{a}.{s}"
        for a in (
            "post.back.low",
            "post.buttock.upper",
            "lat.hip",
            "post.thigh",
            "lat.thigh",
            "post.leg",
        )
        for s in "lr"
    ]
    with django_assert_max_num_queries(12):  # + the catalogue's version token
        response = therapist_client.post(
            reverse("triggerpoints:pain_finder"), {"regions": every_region}
        )
    assert len(response.context["rows"]) == 23  # 10 listed, the rest behind "show more"
    body = response.content.decode()
    assert body.count('class="list-group-item candidate"') == 23
    assert "Show 13 more" in body


def test_pain_finder_weighs_symptoms_and_factors(therapist_client: Client) -> None:
    url = reverse("triggerpoints:pain_finder")
    plain = therapist_client.post(url, {"regions": ["ant.face.l", "lat.head.ear.l"]})
    masseter = next(r for r in plain.context["rows"] if r.candidate.muscle == "Masseter")
    weighed = therapist_client.post(
        url,
        {
            "regions": ["ant.face.l", "lat.head.ear.l"],
            "symptoms": ["tinnitus"],
            "factors": ["clenching-bruxism"],
        },
    )
    row = next(r for r in weighed.context["rows"] if r.candidate.muscle == "Masseter")
    assert row.candidate.score == pytest.approx(masseter.candidate.score + 0.5 + 0.25)
    assert "Reported: Ringing or noise in one ear" in weighed.content.decode()
    bad = therapist_client.post(url, {"regions": ["ant.face.l"], "symptoms": ["no-such"]})
    assert "Select a valid choice" in bad.content.decode()

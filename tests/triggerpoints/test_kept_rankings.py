"""The ranked candidates and their HTML, kept per catalogue version (triggerpoints.candidates
.ranked, triggerpoints.cache.derived): ranked once, never stale, never another patient's."""

import uuid
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from patients import services
from patients.models import Assessment
from triggerpoints import candidates
from triggerpoints.models import CatalogueVersion, Muscle

from ..factories import AssessmentFactory, PainMarkFactory, PatientFactory, screen_red_flags

pytestmark = pytest.mark.django_db

HEEL = "post.foot.heel.r"
FACE, EAR = "ant.face.l", "lat.head.ear.l"


def finder(client: Client, *regions: str) -> str:
    response = client.get(reverse("triggerpoints:pain_finder"), {"regions": list(regions)})
    assert response.status_code == 200
    return response.content.decode()


def test_the_same_marks_are_ranked_once(therapist_client: Client, colleague_client: Client) -> None:
    with mock.patch.object(
        candidates, "rank_candidates", wraps=candidates.rank_candidates
    ) as ranking:
        first = finder(therapist_client, HEEL)
        again = finder(colleague_client, HEEL)
        finder(therapist_client, HEEL, "post.leg.r")  # other marks: ranked anew
    assert ranking.call_count == 2
    assert "Soleus" in first and first.count("Soleus") == again.count("Soleus")


def test_a_catalogue_change_shows_on_the_next_request(therapist_client: Client) -> None:
    assert "Soleus" in finder(therapist_client, HEEL)
    soleus = Muscle.objects.get(name="Soleus")
    soleus.name = "Soleus (renamed in admin)"
    soleus.save()  # a new catalogue version token (triggerpoints.cache)
    page = finder(therapist_client, HEEL)
    assert "Soleus (renamed in admin)" in page


def test_a_catalogue_change_made_by_another_server_shows_here(therapist_client: Client) -> None:
    """Another process changes the rows and the token; this one keeps what it had in memory
    and must still not serve it."""
    assert "Soleus" in finder(therapist_client, HEEL)
    Muscle.objects.filter(name="Soleus").update(name="Soleus (loaded elsewhere)")  # no signals
    CatalogueVersion.objects.update(token=uuid.uuid4().hex)
    assert "Soleus (loaded elsewhere)" in finder(therapist_client, HEEL)


def test_the_order_of_the_marks_does_not_matter(therapist_client: Client) -> None:
    with mock.patch.object(
        candidates, "rank_candidates", wraps=candidates.rank_candidates
    ) as ranking:
        one = finder(therapist_client, HEEL, "post.leg.r")
        other = finder(therapist_client, "post.leg.r", HEEL)
    assert ranking.call_count == 1
    assert one.split('id="candidates"')[1] == other.split('id="candidates"')[1]


def _assessment(clinic, therapist, *, symptoms: list[str]) -> Assessment:  # noqa: ANN001
    a = AssessmentFactory(patient=PatientFactory(clinic=clinic), therapist=therapist)
    screen_red_flags(a)
    for code in (FACE, EAR):
        PainMarkFactory(assessment=a, region_id=code)
    if symptoms:
        a = Assessment.objects.get(pk=a.pk)
        services.presentation_record(
            assessment=a, symptoms=symptoms, factors=[], expected_version=a.version
        )
    return Assessment.objects.get(pk=a.pk)


def _candidates_html(page: str) -> str:
    return page.split('id="pain-candidates"')[1].split("</section>")[0]


def test_the_same_marks_of_another_clinic_show_only_their_own_presentation(
    clinic,  # noqa: ANN001
    therapist,  # noqa: ANN001
    stranger,  # noqa: ANN001
    therapist_client: Client,
    stranger_client: Client,
) -> None:
    ours = _assessment(clinic, therapist, symptoms=["tinnitus"])
    theirs = _assessment(stranger.clinic, stranger, symptoms=[])
    our_page = therapist_client.get(ours.get_absolute_url()).content.decode()
    their_page = stranger_client.get(theirs.get_absolute_url()).content.decode()
    assert "Ringing or noise in one ear" in _candidates_html(our_page)  # a symptom's evidence
    assert "Ringing or noise in one ear" not in _candidates_html(their_page)
    assert ours.patient.last_name not in their_page
    assert _candidates_html(our_page) != _candidates_html(their_page)


def test_a_new_mark_changes_the_list_at_once(therapist_client: Client, clinic, therapist) -> None:  # noqa: ANN001
    a = _assessment(clinic, therapist, symptoms=[])
    before = _candidates_html(therapist_client.get(a.get_absolute_url()).content.decode())
    assert "Soleus" not in before
    PainMarkFactory(assessment=a, region_id=HEEL)
    after = _candidates_html(therapist_client.get(a.get_absolute_url()).content.decode())
    assert "Soleus" in after

"""The pain drawing of an assessment, and the candidate trigger points shown beside it."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients import services
from patients.models import Assessment, PainMark, Patient
from patients.views.pain import pain_context
from triggerpoints import cache as catalogue_cache

from ..factories import (
    AssessmentFactory,
    PainMarkFactory,
    RedFlagAnswerFactory,
    screen_red_flags,
)

pytestmark = pytest.mark.django_db

TEMPLE = "lat.head.temple.l"
NECK = "post.neck.upper.l"
SHOULDER = "post.shoulder.top.l"
BLOCKING = "saddle-numbness"


def pain_url(a: Assessment) -> str:
    return reverse("patients:pain", args=[a.patient_id, a.pk])


def detail_url(a: Assessment) -> str:
    return reverse("patients:assessment", args=[a.patient_id, a.pk])


def row(
    code: str, intensity: object = 6, quality: str = "aching", pattern: str = "constant"
) -> dict:
    """One region's details as the form posts them."""
    return {f"intensity-{code}": intensity, f"quality-{code}": quality, f"pattern-{code}": pattern}


def drawing(version: int, *rows: dict, regions: list[str] | None = None, **extra: object) -> dict:
    data = {"version": version, **extra}
    for r in rows:
        data.update(r)
    codes = [key.removeprefix("intensity-") for r in rows for key in r if key.startswith("int")]
    data["regions"] = codes if regions is None else regions
    return data


def stored(a: Assessment) -> dict[str, tuple[int, str, str]]:
    return {
        m.region_id: (m.intensity, m.quality, m.pattern)
        for m in PainMark.objects.filter(assessment=a)
    }


def screened_clear(a: Assessment) -> Assessment:
    screen_red_flags(a)
    return Assessment.objects.get(pk=a.pk)


# Access


@pytest.mark.parametrize("who", ["stranger_client", "editor_client"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_pain_drawing_of_other_clinic_is_404(
    request: pytest.FixtureRequest, assessment: Assessment, who: str, method: str
) -> None:
    client = request.getfixturevalue(who)
    response = getattr(client, method)(pain_url(assessment), drawing(1, row(TEMPLE)))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not PainMark.objects.exists()


def test_colleague_in_same_clinic_can_draw(
    colleague_client: Client, assessment: Assessment
) -> None:
    assert colleague_client.get(pain_url(assessment)).status_code == HTTPStatus.OK
    response = colleague_client.post(pain_url(assessment), drawing(1, row(TEMPLE)))
    assert response.status_code == HTTPStatus.FOUND
    assert stored(assessment) == {TEMPLE: (6, "aching", "constant")}


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_pain_drawing_refuses_other_methods(
    therapist_client: Client, assessment: Assessment, method: str
) -> None:
    response = getattr(therapist_client, method)(pain_url(assessment))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# The form


def test_form_shows_the_saved_drawing(therapist_client: Client, assessment: Assessment) -> None:
    PainMarkFactory(assessment=assessment, region_id=TEMPLE, intensity=7, quality="burning")
    response = therapist_client.get(pain_url(assessment))
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert [r.code for r in response.context["form"].rows] == [TEMPLE]
    assert 'name="intensity-lat.head.temple.l"' in body and 'value="7"' in body
    assert '<option value="burning" selected>' in body
    assert f'value="{TEMPLE}" id="region-{TEMPLE}" checked' in body
    assert f'data-region="{TEMPLE}"' in body and 'aria-checked="true"' in body
    # The empty row the script copies for a newly marked region: nothing prefilled.
    assert '<template id="pain-row-template">' in body
    assert 'name="intensity-__code__"' in body and 'name="intensity-__code__" id' in body
    assert 'value=""' in body


def test_saving_several_regions_stores_one_row_each(
    therapist_client: Client, assessment: Assessment
) -> None:
    response = therapist_client.post(
        pain_url(assessment),
        drawing(1, row(TEMPLE, 7, "aching", "constant"), row(NECK, 4, "burning", "intermittent")),
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == detail_url(assessment)
    assert stored(assessment) == {
        TEMPLE: (7, "aching", "constant"),
        NECK: (4, "burning", "intermittent"),
    }
    assessment.refresh_from_db()
    assert assessment.version == 2
    page = therapist_client.get(response.url).content.decode()
    assert "Pain drawing saved: 2 regions." in page


def test_resaving_replaces_the_drawing(therapist_client: Client, assessment: Assessment) -> None:
    therapist_client.post(
        pain_url(assessment), drawing(1, row(TEMPLE, 7), row(NECK, 4), row(SHOULDER, 2))
    )
    response = therapist_client.post(
        pain_url(assessment),
        drawing(2, row(TEMPLE, 3, "sharp", "intermittent"), row(SHOULDER, 5)),
    )
    assert response.status_code == HTTPStatus.FOUND
    assert stored(assessment) == {
        TEMPLE: (3, "sharp", "intermittent"),
        SHOULDER: (5, "aching", "constant"),
    }


def test_details_of_an_unmarked_region_are_ignored(
    therapist_client: Client, assessment: Assessment
) -> None:
    # Without JavaScript, unticking a region leaves its row in the page: unticked means gone.
    PainMarkFactory(assessment=assessment, region_id=NECK)
    therapist_client.post(
        pain_url(assessment), drawing(1, row(TEMPLE), row(NECK), regions=[TEMPLE])
    )
    assert set(stored(assessment)) == {TEMPLE}


@pytest.mark.parametrize(
    ("bad_row", "field", "message"),
    [
        (row(NECK, intensity=11), f"intensity-{NECK}", "Intensity is scored from 0 to 10."),
        (row(NECK, intensity=""), f"intensity-{NECK}", "Give an intensity from 0 (no pain)"),
        (row(NECK, intensity="a lot"), f"intensity-{NECK}", "Give the intensity as a whole"),
        (row(NECK, quality=""), f"quality-{NECK}", "Choose a quality."),
        (row(NECK, quality="throbbing"), f"quality-{NECK}", "Choose one of the listed qualities."),
        (row(NECK, pattern=""), f"pattern-{NECK}", "Choose constant or comes and goes."),
    ],
)
def test_invalid_row_is_shown_at_the_field_and_nothing_saved(
    therapist_client: Client, assessment: Assessment, bad_row: dict, field: str, message: str
) -> None:
    PainMarkFactory(assessment=assessment, region_id=TEMPLE, intensity=6)
    response = therapist_client.post(
        pain_url(assessment), drawing(1, row(TEMPLE, intensity=2), bad_row)
    )
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert list(response.context["form"].errors) == [field]
    assert f'<div class="invalid-feedback d-block" id="id_{field}-error">{message}' in body
    # The typed values stay; the saved drawing is untouched.
    assert response.context["form"][f"intensity-{TEMPLE}"].value() == "2"
    assert 'inputmode="numeric" value="2"' in body
    assert stored(assessment) == {TEMPLE: (6, "aching", "intermittent")}
    assessment.refresh_from_db()
    assert assessment.version == 1


def test_newly_ticked_regions_without_details_come_back_with_a_row_each(
    therapist_client: Client, assessment: Assessment
) -> None:
    # The way in without JavaScript: tick regions in the list, save, fill in the rows.
    response = therapist_client.post(
        pain_url(assessment), drawing(1, row(TEMPLE), regions=[TEMPLE, NECK, SHOULDER])
    )
    form = response.context["form"]
    assert response.status_code == HTTPStatus.OK
    assert [r.code for r in form.rows] == [TEMPLE, NECK, SHOULDER]
    for code in (NECK, SHOULDER):
        assert form.errors[f"intensity-{code}"] == [
            "Give an intensity from 0 (no pain) to 10 (worst imaginable)."
        ]
        assert form.errors[f"quality-{code}"] == ["Choose a quality."]
        assert form.errors[f"pattern-{code}"] == ["Choose constant or comes and goes."]
    body = response.content.decode()
    # at each field, and in the error summary at the top, linked to the field
    assert body.count("Choose a quality.") == 4
    assert f'href="#id_quality-{NECK}"' in body
    assert "Nothing was saved. Correct the fields marked below." in body
    assert not PainMark.objects.exists()


def test_unknown_region_is_refused_at_the_map(
    therapist_client: Client, assessment: Assessment
) -> None:
    PainMarkFactory(assessment=assessment, region_id=NECK)
    response = therapist_client.post(
        pain_url(assessment), drawing(1, row(TEMPLE), regions=[TEMPLE, "tail.l"])
    )
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert list(response.context["form"].errors) == ["regions"]
    assert 'id="regions-errors">Select a valid choice. tail.l is not one of the' in body
    # The valid mark keeps its row and stays marked on the map.
    assert [r.code for r in response.context["form"].rows] == [TEMPLE]
    assert set(stored(assessment)) == {NECK}


def test_empty_drawing_needs_an_explicit_tick(
    therapist_client: Client, assessment: Assessment
) -> None:
    PainMarkFactory(assessment=assessment, region_id=NECK)
    response = therapist_client.post(pain_url(assessment), {"version": 1})
    assert response.status_code == HTTPStatus.OK
    assert "Mark at least one region, or tick “No pain to mark”" in response.content.decode()
    assert set(stored(assessment)) == {NECK}

    response = therapist_client.post(pain_url(assessment), {"version": 1, "nothing_marked": "on"})
    assert response.status_code == HTTPStatus.FOUND
    assert not PainMark.objects.exists()


def test_nothing_marked_with_marked_regions_is_refused(
    therapist_client: Client, assessment: Assessment
) -> None:
    response = therapist_client.post(
        pain_url(assessment), drawing(1, row(TEMPLE), nothing_marked="on")
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["nothing_marked"]
    assert not PainMark.objects.exists()


def test_save_over_a_newer_version_is_refused_and_nothing_changes(
    therapist_client: Client, colleague_client: Client, assessment: Assessment
) -> None:
    opened = therapist_client.get(pain_url(assessment)).context["form"]["version"].value()
    colleague_client.post(pain_url(assessment), drawing(opened, row(NECK, 4)))
    response = therapist_client.post(pain_url(assessment), drawing(opened, row(TEMPLE, 8)))
    body = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this pain drawing after you opened it" in body
    assert "were not saved" in body
    assert response.context["form"]["intensity-lat.head.temple.l"].value() == "8"  # kept
    # The colleague's drawing stands; the refused save changed nothing.
    assert stored(assessment) == {NECK: (4, "aching", "constant")}
    assessment.refresh_from_db()
    assert assessment.version == 2


def test_pain_form_query_count_does_not_grow(
    therapist_client: Client,
    assessment: Assessment,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    for code in (TEMPLE, NECK, SHOULDER, "lat.head.temple.r", "post.neck.upper.r"):
        PainMarkFactory(assessment=assessment, region_id=code)
    # session, user (with clinic), assessment, red-flag answers, the catalogue's version token,
    # region index, pain marks
    with django_assert_max_num_queries(8):  # + the access-log row
        response = therapist_client.get(pain_url(assessment))
    assert len(response.context["form"].rows) == 5


# The assessment page


def test_assessment_page_shows_the_drawing_and_ranked_candidates(
    therapist_client: Client, assessment: Assessment
) -> None:
    screened_clear(assessment)
    PainMarkFactory(assessment=assessment, region_id=TEMPLE, intensity=7, quality="burning")
    response = therapist_client.get(detail_url(assessment))
    body = response.content.decode()
    assert "Pain drawing" in body and "Edit pain drawing" in body
    assert "Temple (patient&#x27;s left)</th><td>7/10</td><td>Burning</td>" in body
    assert 'class="body-map__region is-marked pain-high"' in body  # shaded by intensity 7
    rows = response.context["pain_candidates"]
    assert rows[0].candidate.muscle in {"Temporalis", "Upper trapezius"}
    assert "Temple (patient's left)" in rows[0].essential
    top = rows[0].candidate
    assert f'href="/catalogue/muscles/{top.muscle_slug}/#tp-{top.trigger_point_id}">' in body
    assert "hypotheses to confirm by palpation, not a diagnosis" in body


def test_candidates_wait_for_red_flag_screening(
    therapist_client: Client, assessment: Assessment
) -> None:
    PainMarkFactory(assessment=assessment, region_id=TEMPLE)
    response = therapist_client.get(detail_url(assessment))
    body = response.content.decode()
    assert response.context["pain_candidates"] is None
    assert "Candidate trigger points are held back." in body
    assert "Red flags have not been screened yet" in body
    assert reverse("patients:red_flags", args=[assessment.patient_id, assessment.pk]) in body
    assert "/catalogue/muscles/" not in body


def test_candidates_wait_for_a_decision_on_a_positive_red_flag_then_appear(
    therapist_client: Client,
    therapist,
    assessment: Assessment,  # noqa: ANN001
) -> None:
    PainMarkFactory(assessment=assessment, region_id=TEMPLE)
    screening = screen_red_flags(assessment, yes=(BLOCKING,))
    response = therapist_client.get(detail_url(assessment))
    body = response.content.decode()
    assert response.context["pain_candidates"] is None
    assert "A positive red flag is waiting for your decision" in body
    assert 'href="#red-flags">Record the decision</a>' in body
    assert "/catalogue/muscles/" not in body

    services.screening_decide(
        screening=screening,
        decision="cleared",
        note="Reviewed with the GP.",
        by=therapist,
        expected_version=screening.version,
    )
    response = therapist_client.get(detail_url(assessment))
    assert response.context["pain_candidates"]
    assert "Candidate trigger points are held back." not in response.content.decode()
    assert "/catalogue/muscles/" in response.content.decode()


def test_assessment_page_without_a_drawing_invites_one(
    therapist_client: Client, assessment: Assessment
) -> None:
    screened_clear(assessment)
    response = therapist_client.get(detail_url(assessment))
    body = response.content.decode()
    assert "No pain drawing yet." in body and "Draw the pain" in body
    assert "Mark where the pain is to see which trigger points" in body
    assert response.context["pain_candidates"] is None


def test_pain_context_queries_are_fixed(
    assessment: Assessment,
    django_assert_num_queries,  # noqa: ANN001
) -> None:
    RedFlagAnswerFactory(assessment=assessment, flag=BLOCKING, present=False)
    for code in (TEMPLE, NECK, SHOULDER):
        PainMarkFactory(assessment=assessment, region_id=code)
    loaded = Assessment.objects.select_related("screening", "patient").get(pk=assessment.pk)
    # pain marks, region index, screenings holding back, the factors with their postural and
    # breathing findings (3), and the ranking's zones, factor links, trigger points, factors,
    # region codes and symptoms (6); outside a request the catalogue's version token is read
    # by each of the four catalogue reads (region index, factor links, ranking, and the kept
    # ranked list of triggerpoints.candidates.ranked: 4)
    with django_assert_num_queries(16):
        context = pain_context(loaded)
    assert len(context["pain_marks"]) == 3 and context["pain_candidates"]


def _page_queries(client: Client, a: Assessment) -> int:
    catalogue_cache.clear()  # each page read cold, so the two counts compare
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(a))
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_assessment_page_query_count_does_not_grow_with_pain_marks(
    therapist_client: Client,
    patient: Patient,
    therapist,  # noqa: ANN001
) -> None:
    one, ten = (
        screened_clear(AssessmentFactory(patient=patient, therapist=therapist)) for _ in "ab"
    )
    PainMarkFactory(assessment=one, region_id=TEMPLE)
    codes = [
        f"{area}.{side}"
        for area in (
            "lat.head.temple",
            "post.neck.upper",
            "post.neck.lower",
            "post.shoulder.top",
            "post.back.interscap",
        )
        for side in "lr"
    ]
    for code in codes:
        PainMarkFactory(assessment=ten, region_id=code)
    assert _page_queries(therapist_client, one) == _page_queries(therapist_client, ten)


def test_live_candidates_follow_the_posted_regions_and_save_nothing(
    therapist_client: Client, assessment: Assessment
) -> None:
    screened_clear(assessment)
    url = reverse("patients:pain_candidates", args=[assessment.patient_id, assessment.pk])
    response = therapist_client.post(url, {"regions": [TEMPLE, NECK]})
    assert response.status_code == HTTPStatus.OK
    assert [r.candidate.muscle for r in response.context["rows"]][0] == "Upper trapezius"
    assert not PainMark.objects.filter(assessment=assessment).exists()
    assert therapist_client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_live_candidates_are_held_back_by_red_flags(
    therapist_client: Client, assessment: Assessment
) -> None:
    url = reverse("patients:pain_candidates", args=[assessment.patient_id, assessment.pk])
    response = therapist_client.post(url, {"regions": [TEMPLE]})
    assert "held back" in response.content.decode()
    assert "/catalogue/muscles/" not in response.content.decode()


def test_live_candidates_are_404_for_another_clinic(
    stranger_client: Client, assessment: Assessment
) -> None:
    url = reverse("patients:pain_candidates", args=[assessment.patient_id, assessment.pk])
    assert stranger_client.post(url, {"regions": [TEMPLE]}).status_code == HTTPStatus.NOT_FOUND

"""Examination findings: palpated trigger points against the common criteria, postural
observations, breathing measures with the Nijmegen score, and outcome measures."""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from patients.display import examination_context
from patients.models import (
    Assessment,
    Measures,
    PalpatedTriggerPoint,
    PosturalObservation,
    PsfsActivity,
)
from triggerpoints.models import PosturalFinding, TriggerPoint

from ..factories import (
    AssessmentFactory,
    MeasuresFactory,
    PainMarkFactory,
    PalpatedTriggerPointFactory,
    PosturalObservationFactory,
    PsfsActivityFactory,
    screen_red_flags,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(assessment: Assessment) -> PalpatedTriggerPoint:
    return PalpatedTriggerPointFactory(assessment=assessment)


@pytest.fixture
def observation(assessment: Assessment) -> PosturalObservation:
    return PosturalObservationFactory(assessment=assessment)


def upper_trapezius() -> TriggerPoint:
    return TriggerPoint.objects.filter(muscle__name="Upper trapezius").first()


def url(name: str, assessment: Assessment, fid: int | None = None) -> str:
    args = [assessment.patient_id, assessment.pk] + ([fid] if fid is not None else [])
    return reverse(f"patients:{name}", args=args)


def page(assessment: Assessment) -> str:
    return url("assessment", assessment)


def palpation_data(**changes: object) -> dict[str, object]:
    return {
        "trigger_point": upper_trapezius().pk,
        "side": "r",
        "status": "active",
        "taut_band": "on",
        "spot_tenderness": "on",
        "referral_reproduced": "on",
        "referral_recognised": "on",
        "notes": "Reproduces the temple headache.",
        **changes,
    }


def measures_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "breathing_pattern": "upper-chest",
        "mouth_breathing": "on",
        "breathing_rate": "18",
        "bolt_seconds": "15",
        "nprs": "6",
        "ndi": "14",
        "odi": "",
        "version": "0",
        "psfs_activity_1": "Working at the computer for an hour",
        "psfs_score_1": "4",
        "psfs_activity_2": "Driving for 30 minutes",
        "psfs_score_2": "5",
    }
    data.update(nijmegen([2] * 16))
    data.update(changes)
    return data


def nijmegen(answers: list[object]) -> dict[str, object]:
    return {f"nijmegen_{n}": answer for n, answer in enumerate(answers, 1)}


# Every view, the access cast and the methods

# (name, needs a finding id, method that reads it or acts)
VIEWS = [
    ("palpation_create", None, "get"),
    ("palpation_edit", "point", "get"),
    ("palpation_remove", "point", "post"),
    ("posture_create", None, "get"),
    ("posture_edit", "observation", "get"),
    ("posture_remove", "observation", "post"),
    ("measures", None, "get"),
]


def view_url(
    request: pytest.FixtureRequest, assessment: Assessment, name: str, fid: str | None
) -> str:
    """The view's URL; `fid` names the fixture whose finding the URL points at."""
    return url(name, assessment, request.getfixturevalue(fid).pk if fid else None)


@pytest.mark.parametrize("who", ["stranger_client", "editor_client"])
@pytest.mark.parametrize(("name", "fid", "method"), VIEWS)
def test_outsiders_get_404_and_change_nothing(
    request: pytest.FixtureRequest,
    assessment: Assessment,
    name: str,
    fid: str,
    method: str,
    who: str,
) -> None:
    client = request.getfixturevalue(who)
    target = view_url(request, assessment, name, fid)
    assert getattr(client, method)(target).status_code == HTTPStatus.NOT_FOUND
    # Posting a valid form from outside the clinic is refused too.
    if method == "get":
        data = {
            "palpation_create": palpation_data(),
            "palpation_edit": palpation_data(),
            "posture_create": {"finding": PosturalFinding.objects.first().pk, "severity": "mild"},
            "posture_edit": {"finding": PosturalFinding.objects.first().pk, "severity": "mild"},
            "measures": measures_data(),
        }[name]
        assert client.post(target, data).status_code == HTTPStatus.NOT_FOUND
    assert PalpatedTriggerPoint.objects.filter(assessment=assessment).count() == (
        1 if fid == "point" else 0
    )
    assert PosturalObservation.objects.filter(assessment=assessment).count() == (
        1 if fid == "observation" else 0
    )
    assert not Measures.objects.exists()


@pytest.mark.parametrize(("name", "fid", "method"), VIEWS)
def test_colleague_in_the_same_clinic_may_use_every_view(
    request: pytest.FixtureRequest,
    colleague_client: Client,
    assessment: Assessment,
    name: str,
    fid: str,
    method: str,
) -> None:
    target = view_url(request, assessment, name, fid)
    data = {"version": request.getfixturevalue(fid).version} if method == "post" else None
    response = getattr(colleague_client, method)(target, data)
    if method == "get":
        assert response.status_code == HTTPStatus.OK
    else:
        assert response.status_code == HTTPStatus.FOUND
        assert not PalpatedTriggerPoint.objects.filter(assessment=assessment).exists()
        assert not PosturalObservation.objects.filter(assessment=assessment).exists()


@pytest.mark.parametrize(("name", "fid", "method"), VIEWS)
def test_wrong_method_is_refused(
    request: pytest.FixtureRequest,
    therapist_client: Client,
    assessment: Assessment,
    name: str,
    fid: str,
    method: str,
) -> None:
    target = view_url(request, assessment, name, fid)
    wrong = therapist_client.get if method == "post" else therapist_client.put
    assert wrong(target).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert therapist_client.delete(target).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert PalpatedTriggerPoint.objects.filter(assessment=assessment).count() == (
        1 if fid == "point" else 0
    )
    assert PosturalObservation.objects.filter(assessment=assessment).count() == (
        1 if fid == "observation" else 0
    )


@pytest.mark.parametrize("name", ["palpation_edit", "palpation_remove"])
def test_a_finding_is_reached_only_through_its_own_assessment(
    therapist_client: Client, point: PalpatedTriggerPoint, name: str
) -> None:
    other = AssessmentFactory(patient=point.assessment.patient)
    target = url(name, other, point.pk)
    response = therapist_client.post(target, palpation_data())
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert PalpatedTriggerPoint.objects.filter(pk=point.pk, side="l").exists()


# Palpated trigger points


def test_palpation_form_groups_trigger_points_by_muscle_in_catalogue_order(
    therapist_client: Client, assessment: Assessment
) -> None:
    html = therapist_client.get(url("palpation_create", assessment)).content.decode()
    temporalis = html.index('<optgroup label="Temporalis">')
    masseter = html.index('<optgroup label="Masseter">')
    trapezius = html.index('<optgroup label="Upper trapezius">')
    assert temporalis < masseter < trapezius
    assert html.count("<optgroup") == TriggerPoint.objects.values("muscle").distinct().count()


def test_palpation_form_lists_the_catalogue_in_one_query(
    therapist_client: Client,
    assessment: Assessment,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    # session, user, assessment (patient, therapist, decider), red-flag answers, the pain
    # marks and the previous assessment's points (for the suggestions), trigger points with
    # their muscles
    with django_assert_max_num_queries(8):  # + the access-log row
        response = therapist_client.get(url("palpation_create", assessment))
    assert response.content.decode().count("<option") == TriggerPoint.objects.count() + 1


def test_palpation_picker_names_the_muscle_in_every_option(
    therapist_client: Client, assessment: Assessment
) -> None:
    response = therapist_client.get(url("palpation_create", assessment))
    options = response.context["form"].fields["trigger_point"].choices[1:]
    labels = [label for _, group in options for _, label in group]
    assert len(labels) == TriggerPoint.objects.count()
    assert "Levator scapulae — angle of neck and upper scapula" in labels
    assert not any(label == "Central trigger points" for label in labels)
    assert 'data-picker="trigger point"' in response.content.decode()


def test_palpation_picker_suggests_the_ranking_and_the_last_assessment_first(
    therapist_client: Client,
    assessment: Assessment,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    screen_red_flags(assessment)
    PainMarkFactory(assessment=assessment, region_id="lat.head.temple.l")
    earlier = AssessmentFactory(
        patient=assessment.patient,
        therapist=assessment.therapist,
        assessed_on=assessment.assessed_on - datetime.timedelta(days=30),
    )
    levator = TriggerPoint.objects.filter(muscle__name="Levator scapulae").first()
    PalpatedTriggerPointFactory(assessment=earlier, trigger_point=levator)
    # as above, plus the presentation and the ranking's catalogue: constant in the data
    with django_assert_max_num_queries(24):
        response = therapist_client.get(url("palpation_create", assessment))
    group, suggested = response.context["form"].fields["trigger_point"].choices[1]
    assert group == "Suggested"
    labels = [label for _, label in suggested]
    assert "ranked 1" in labels[0] and "trapezius" in labels[0].lower()
    assert f"{levator.choice_label} (found at the last assessment)" in labels
    # a new finding starts on the first suggestion
    assert response.context["form"]["trigger_point"].value() == suggested[0][0]


def test_palpation_form_preselects_a_trigger_point_from_the_link(
    therapist_client: Client, assessment: Assessment
) -> None:
    target = upper_trapezius()
    response = therapist_client.get(
        url("palpation_create", assessment), {"trigger_point": target.pk, "side": "l"}
    )
    html = response.content.decode()
    assert f'<option value="{target.pk}" selected>' in html
    assert response.context["form"]["side"].value() == "l"


def test_record_a_palpated_trigger_point(
    therapist_client: Client,
    therapist,  # noqa: ANN001
    assessment: Assessment,
) -> None:
    response = therapist_client.post(url("palpation_create", assessment), palpation_data())
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == page(assessment) + "#palpation"
    point = PalpatedTriggerPoint.objects.get(assessment=assessment)
    assert (point.trigger_point, point.side, point.status) == (upper_trapezius(), "r", "active")
    assert (point.taut_band, point.spot_tenderness, point.referral_reproduced) == (
        True,
        True,
        True,
    )
    assert point.referral_recognised and not point.twitch_response and not point.jump_sign
    assert point.notes == "Reproduces the temple headache."
    assert point.history.get().history_user == therapist


def test_edit_a_palpated_trigger_point(
    therapist_client: Client, point: PalpatedTriggerPoint
) -> None:
    form = therapist_client.get(url("palpation_edit", point.assessment, point.pk)).context["form"]
    assert form["side"].value() == "l" and form["taut_band"].value() is True
    assert form["version"].value() == point.version
    data = palpation_data(side="l", status="latent", jump_sign="on", version=point.version)
    del data["referral_reproduced"]
    response = therapist_client.post(url("palpation_edit", point.assessment, point.pk), data)
    assert response.status_code == HTTPStatus.FOUND
    point.refresh_from_db()
    assert (point.status, point.jump_sign, point.referral_reproduced) == ("latent", True, False)


@pytest.mark.parametrize(
    ("signs", "badge"),
    [
        ({"taut_band": True}, "Criteria not met (1 of 3): taut band"),
        (
            {"spot_tenderness": True, "referral_reproduced": True},
            "Criteria met (2 of 3): tender spot, referred pain",
        ),
        (
            {"taut_band": True, "spot_tenderness": True, "referral_reproduced": True},
            "Criteria met (3 of 3): taut band, tender spot, referred pain",
        ),
    ],
)
def test_page_shows_whether_the_common_criteria_are_met(
    therapist_client: Client, assessment: Assessment, signs: dict[str, bool], badge: str
) -> None:
    none = {"taut_band": False, "spot_tenderness": False, "referral_reproduced": False}
    point = PalpatedTriggerPointFactory(
        assessment=assessment, **{**none, **signs}, twitch_response=True
    )
    html = therapist_client.get(page(assessment)).content.decode()
    assert badge in html
    assert html.count("Criteria met") + html.count("Criteria not met") == 1
    assert "Other signs: local twitch response." in html
    muscle_link = reverse("triggerpoints:muscle", args=[point.trigger_point.muscle.slug])
    assert f'href="{muscle_link}#tp-{point.trigger_point_id}"' in html


def test_same_trigger_point_and_side_twice_is_refused_at_the_field(
    therapist_client: Client, point: PalpatedTriggerPoint
) -> None:
    response = therapist_client.post(
        url("palpation_create", point.assessment), palpation_data(side="l")
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors
    assert list(errors) == ["trigger_point"]
    assert "is already recorded in this assessment" in errors["trigger_point"][0]
    assert "is already recorded in this assessment" in response.content.decode()
    assert PalpatedTriggerPoint.objects.count() == 1
    # The other side is a different finding.
    response = therapist_client.post(
        url("palpation_create", point.assessment), palpation_data(side="r")
    )
    assert response.status_code == HTTPStatus.FOUND
    assert PalpatedTriggerPoint.objects.count() == 2


def test_editing_onto_another_recorded_point_is_refused_at_the_field(
    therapist_client: Client, point: PalpatedTriggerPoint
) -> None:
    right = PalpatedTriggerPointFactory(assessment=point.assessment, side="r", notes="")
    target = url("palpation_edit", point.assessment, right.pk)
    response = therapist_client.post(target, palpation_data(side="l"))
    assert response.status_code == HTTPStatus.OK
    assert "is already recorded" in response.context["form"].errors["trigger_point"][0]
    right.refresh_from_db()
    assert (right.side, right.notes) == ("r", "")
    # Saving a point over itself is not a duplicate.
    response = therapist_client.post(target, palpation_data(side="r", version=right.version))
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("trigger_point", "999999", "Choose a trigger point from the catalogue list."),
        ("trigger_point", "", "Choose the trigger point you palpated."),
        ("side", "x", "Select a valid choice."),
        ("side", "", "Choose the side."),
        ("status", "", "Say whether the trigger point is active or latent."),
        ("notes", "x" * 301, "Ensure this value has at most 300 characters"),
    ],
)
def test_invalid_palpation_is_shown_at_the_field_and_not_saved(
    therapist_client: Client, assessment: Assessment, field: str, value: str, message: str
) -> None:
    response = therapist_client.post(
        url("palpation_create", assessment), palpation_data(**{field: value})
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode()
    assert response.context["form"]["notes"].value() == palpation_data(**{field: value})["notes"]
    assert not PalpatedTriggerPoint.objects.exists()


def test_removal_needs_post_and_keeps_a_history_record(
    therapist_client: Client,
    therapist,  # noqa: ANN001
    point: PalpatedTriggerPoint,
) -> None:
    target = url("palpation_remove", point.assessment, point.pk)
    assert therapist_client.get(target).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert PalpatedTriggerPoint.objects.filter(pk=point.pk).exists()
    html = therapist_client.get(page(point.assessment)).content.decode()
    assert f'action="{target}"' in html  # the confirm step sits in the page
    assert f'name="version" value="{point.version}"' in html
    response = therapist_client.post(target, {"version": point.version})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == page(point.assessment) + "#palpation"
    assert not PalpatedTriggerPoint.objects.filter(pk=point.pk).exists()
    removed = PalpatedTriggerPoint.history.get(id=point.pk, history_type="-")
    assert removed.history_user == therapist and removed.side == "l"


# Posture


def test_record_a_postural_finding_and_show_how_to_see_it(
    therapist_client: Client, assessment: Assessment
) -> None:
    finding = PosturalFinding.objects.get(key="rounded-shoulders")
    response = therapist_client.post(
        url("posture_create", assessment),
        {"finding": finding.pk, "severity": "marked", "notes": "Worse when tired."},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == page(assessment) + "#posture"
    observation = PosturalObservation.objects.get(assessment=assessment)
    assert (observation.finding, observation.severity) == (finding, "marked")
    html = therapist_client.get(page(assessment)).content.decode()
    assert finding.name in html and "Marked" in html and "Worse when tired." in html
    assert "How to see or test it" in html
    assert escape(finding.detection) in html


def test_edit_a_postural_finding(
    therapist_client: Client, observation: PosturalObservation
) -> None:
    target = url("posture_edit", observation.assessment, observation.pk)
    form = therapist_client.get(target).context["form"]
    assert form["severity"].value() == "moderate"
    response = therapist_client.post(
        target,
        {
            "finding": observation.finding_id,
            "severity": "mild",
            "notes": "Better.",
            "version": observation.version,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    observation.refresh_from_db()
    assert (observation.severity, observation.notes) == ("mild", "Better.")


def test_a_stale_finding_edit_is_refused_with_the_typing_kept(
    therapist_client: Client, colleague_client: Client, point: PalpatedTriggerPoint
) -> None:
    target = url("palpation_edit", point.assessment, point.pk)
    opened = point.version
    colleague_client.post(target, palpation_data(side="l", notes="Colleague's", version=opened))
    response = therapist_client.post(target, palpation_data(side="l", notes="Mine", version=opened))
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this finding" in response.content.decode()
    assert response.context["form"]["notes"].value() == "Mine"
    point.refresh_from_db()
    assert point.notes == "Colleague's" and point.version == opened + 1


def test_a_stale_removal_removes_nothing(
    therapist_client: Client, colleague_client: Client, observation: PosturalObservation
) -> None:
    edit = url("posture_edit", observation.assessment, observation.pk)
    opened = observation.version
    colleague_client.post(
        edit,
        {"finding": observation.finding_id, "severity": "marked", "notes": "", "version": opened},
    )
    remove = url("posture_remove", observation.assessment, observation.pk)
    response = therapist_client.post(remove, {"version": opened}, follow=True)
    assert "it was not removed" in response.content.decode()
    assert PosturalObservation.objects.filter(pk=observation.pk, severity="marked").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("999999", "Choose a postural finding from the catalogue list."),
        ("", "Choose the postural finding you observed."),
        ("forward-head", "is already recorded in this assessment"),
    ],
)
def test_invalid_postural_finding_is_shown_at_the_field_and_not_saved(
    therapist_client: Client, observation: PosturalObservation, value: str, message: str
) -> None:
    if value == "forward-head":
        value = str(PosturalFinding.objects.get(key=value).pk)
    response = therapist_client.post(
        url("posture_create", observation.assessment),
        {"finding": value, "severity": "mild", "notes": "Typed."},
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.context["form"].errors["finding"][0]
    assert message in response.content.decode()
    assert response.context["form"]["notes"].value() == "Typed."
    assert PosturalObservation.objects.count() == 1


def test_postural_severity_is_required(therapist_client: Client, assessment: Assessment) -> None:
    finding = PosturalFinding.objects.get(key="weak-gluteals")
    response = therapist_client.post(url("posture_create", assessment), {"finding": finding.pk})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["severity"] == ["Choose how marked the finding is."]
    assert not PosturalObservation.objects.exists()


def test_postural_removal_needs_post_and_keeps_a_history_record(
    therapist_client: Client, observation: PosturalObservation
) -> None:
    target = url("posture_remove", observation.assessment, observation.pk)
    assert therapist_client.get(target).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert PosturalObservation.objects.filter(pk=observation.pk).exists()
    response = therapist_client.post(target, {"version": observation.version})
    assert response.status_code == HTTPStatus.FOUND
    assert not PosturalObservation.objects.filter(pk=observation.pk).exists()
    assert PosturalObservation.history.filter(id=observation.pk, history_type="-").exists()


# Breathing and outcome measures


def test_record_measures(therapist_client: Client, assessment: Assessment) -> None:
    response = therapist_client.post(url("measures", assessment), measures_data())
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == page(assessment) + "#measures"
    measures = Measures.objects.get(assessment=assessment)
    assert measures.breathing_pattern == "upper-chest" and measures.mouth_breathing
    assert (measures.breathing_rate, measures.bolt_seconds) == (18, 15)
    assert measures.nijmegen == [2] * 16
    assert (measures.nprs, measures.ndi, measures.odi) == (6, 14, None)
    assert measures.version == 1
    assert [(a.activity, a.score) for a in assessment.psfs_activities.all()] == [
        ("Working at the computer for an hour", 4),
        ("Driving for 30 minutes", 5),
    ]


def test_measures_page_explains_the_results_in_plain_words(
    therapist_client: Client, assessment: Assessment
) -> None:
    therapist_client.post(url("measures", assessment), measures_data())
    for target in (page(assessment), url("measures", assessment)):
        html = therapist_client.get(target).content.decode()
        assert (
            "Nijmegen 32/64 — 23 or more: positive screen for dysfunctional breathing "
            "(a screening result, not a diagnosis)"
        ) in html
        assert "15 s — under 20 s, which suggests a low tolerance of carbon dioxide" in html
        assert "18 breaths a minute at rest — faster than 16 a minute" in html
        assert "PSFS mean 4.5/10 over 2 activities" in html


@pytest.mark.parametrize(("rate", "bolt", "flagged"), [("16", "20", False), ("17", "19", True)])
def test_resting_rate_and_bolt_are_flagged_past_their_thresholds(
    therapist_client: Client, assessment: Assessment, rate: str, bolt: str, flagged: bool
) -> None:
    data = measures_data(breathing_rate=rate, bolt_seconds=bolt, **nijmegen([1] * 16))
    assert therapist_client.post(url("measures", assessment), data).status_code == HTTPStatus.FOUND
    html = therapist_client.get(page(assessment)).content.decode()
    assert f"{rate} breaths a minute at rest" in html and f"{bolt} s" in html
    assert ("faster than 16 a minute, which suggests over-breathing" in html) is flagged
    assert ("under 20 s, which suggests a low tolerance of carbon dioxide" in html) is flagged
    assert html.count(">Flagged<") == (2 if flagged else 0)


def test_measures_form_shows_what_was_saved(
    therapist_client: Client, assessment: Assessment
) -> None:
    measures = MeasuresFactory(assessment=assessment, nijmegen=[3] + [1] * 15)
    PsfsActivityFactory(assessment=assessment, activity="Reading", score=7)
    form = therapist_client.get(url("measures", assessment)).context["form"]
    assert form["version"].value() == measures.version
    assert form["breathing_rate"].value() == 18
    assert form["psfs_activity_1"].value() == "Reading" and form["psfs_score_1"].value() == 7
    rows = form.nijmegen_rows()
    assert [next(o.value for o in row.options if o.checked) for row in rows] == ["3"] + ["1"] * 15


@pytest.mark.parametrize(
    ("answers", "score", "flagged"),
    [
        ([2] * 16, 32, True),
        ([1] * 16, 16, False),
        ([2] * 7 + [1] * 9, 23, True),
        ([2] * 6 + [1] * 10, 22, False),
        ([0] * 16, 0, False),
    ],
)
def test_the_app_scores_the_nijmegen_questionnaire(
    therapist_client: Client, assessment: Assessment, answers: list[int], score: int, flagged: bool
) -> None:
    therapist_client.post(url("measures", assessment), measures_data(**nijmegen(answers)))
    measures = Measures.objects.get(assessment=assessment)
    assert measures.nijmegen == answers
    assert (measures.nijmegen_score, measures.nijmegen_positive) == (score, flagged)
    html = therapist_client.get(page(assessment)).content.decode()
    reading = "23 or more: positive screen" if flagged else "under 23: not a positive screen"
    assert f"Nijmegen {score}/64 — {reading} for dysfunctional breathing" in html


def test_an_unanswered_questionnaire_is_saved_as_none(
    therapist_client: Client, assessment: Assessment
) -> None:
    data = measures_data(**nijmegen([""] * 16))
    assert therapist_client.post(url("measures", assessment), data).status_code == HTTPStatus.FOUND
    measures = Measures.objects.get(assessment=assessment)
    assert measures.nijmegen == [] and measures.nijmegen_score is None
    assert "Not answered" in therapist_client.get(page(assessment)).content.decode()


def test_a_partly_answered_questionnaire_is_refused_naming_the_missing_items(
    therapist_client: Client, assessment: Assessment
) -> None:
    answers: list[object] = [2] * 16
    answers[2] = ""  # 3. Blurred vision
    data = measures_data(**nijmegen(answers))
    del data["nijmegen_7"]  # 7. Short of breath
    response = therapist_client.post(url("measures", assessment), data)
    assert response.status_code == HTTPStatus.OK
    error = response.context["form"].errors["nijmegen"][0]
    assert "Answer all 16 items" in error
    assert "Not answered: 3. Blurred vision; 7. Short of breath." in error
    assert "3. Blurred vision; 7. Short of breath" in response.content.decode()
    rows = response.context["form"].nijmegen_rows()
    assert [row.number for row in rows if row.missing] == [3, 7]
    assert next(o for o in rows[0].options if o.checked).value == "2"  # answers kept
    assert not Measures.objects.exists() and not PsfsActivity.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("breathing_rate", "3", "from 4 to 60"),
        ("breathing_rate", "61", "from 4 to 60"),
        ("bolt_seconds", "-1", "from 0 to 180"),
        ("bolt_seconds", "181", "from 0 to 180"),
        ("nprs", "11", "Record the pain now from 0 (no pain) to 10"),
        ("nprs", "-1", "Record the pain now from 0 (no pain) to 10"),
        ("nprs", "", "Record the pain now from 0 (no pain) to 10"),
        ("ndi", "51", "The Neck Disability Index total is 0 to 50."),
        ("odi", "101", "The Oswestry Disability Index is a percentage, 0 to 100."),
        ("psfs_score_1", "11", "Score the activity from 0 (unable) to 10 (as before)."),
        ("psfs_score_2", "-1", "Score the activity from 0 (unable) to 10 (as before)."),
        ("psfs_score_1", "", "Give this activity a score from 0 to 10."),
        ("psfs_activity_2", "", "Name the activity this score is for."),
        ("nijmegen_5", "5", "Answer each item from 0 (never) to 4 (very often)."),
        ("breathing_pattern", "sighing", "Select a valid choice."),
        ("bolt_seconds", "ten", "Enter a whole number."),
    ],
)
def test_invalid_measures_are_shown_at_the_field_and_nothing_is_saved(
    therapist_client: Client, assessment: Assessment, field: str, value: str, message: str
) -> None:
    response = therapist_client.post(url("measures", assessment), measures_data(**{field: value}))
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    error_field = "nijmegen" if field.startswith("nijmegen") else field
    assert list(form.errors) == [error_field]
    assert message in form.errors[error_field][0]
    assert message in response.content.decode()
    assert form["psfs_activity_1"].value() == "Working at the computer for an hour"
    assert not Measures.objects.exists() and not PsfsActivity.objects.exists()


def test_psfs_rows_are_replaced_on_resave(therapist_client: Client, assessment: Assessment) -> None:
    therapist_client.post(url("measures", assessment), measures_data())
    data = measures_data(
        version="1",
        psfs_activity_1="Lifting the toddler",
        psfs_score_1="3",
        psfs_activity_2="",
        psfs_score_2="",
    )
    response = therapist_client.post(url("measures", assessment), data)
    assert response.status_code == HTTPStatus.FOUND
    assert [(a.activity, a.score) for a in PsfsActivity.objects.all()] == [
        ("Lifting the toddler", 3)
    ]
    assert Measures.objects.get(assessment=assessment).version == 2


def test_save_over_a_newer_version_is_refused_and_nothing_changes(
    therapist_client: Client, colleague_client: Client, assessment: Assessment
) -> None:
    therapist_client.post(url("measures", assessment), measures_data())
    opened = therapist_client.get(url("measures", assessment)).context["form"]["version"].value()
    colleague_client.post(url("measures", assessment), measures_data(version=opened, nprs="4"))
    response = therapist_client.post(
        url("measures", assessment),
        measures_data(version=opened, nprs="8", psfs_activity_1="Sleeping through"),
    )
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this set of measures" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["nprs"].value() == "8"  # the typing survives
    measures = Measures.objects.get(assessment=assessment)
    assert (measures.nprs, measures.version) == (4, 2)
    assert PsfsActivity.objects.filter(activity="Sleeping through").count() == 0
    assert PsfsActivity.objects.count() == 2


def test_two_first_saves_do_not_overwrite_each_other(
    therapist_client: Client, colleague_client: Client, assessment: Assessment
) -> None:
    colleague_client.post(url("measures", assessment), measures_data(nprs="4"))
    response = therapist_client.post(url("measures", assessment), measures_data(nprs="8"))
    assert "Someone else saved this set of measures" in response.content.decode()
    assert Measures.objects.get(assessment=assessment).nprs == 4


# The assessment page


def add_findings(assessment: Assessment, count: int) -> None:
    points = list(TriggerPoint.objects.order_by("pk")[:count])
    findings = list(PosturalFinding.objects.order_by("pk")[:count])
    for point, finding in zip(points, findings, strict=True):
        PalpatedTriggerPointFactory(assessment=assessment, trigger_point=point)
        PosturalObservationFactory(assessment=assessment, finding=finding)
        PsfsActivityFactory(assessment=assessment)


def test_examination_context_needs_four_queries_whatever_the_findings(
    assessment: Assessment,
    django_assert_num_queries,  # noqa: ANN001
) -> None:
    add_findings(assessment, 8)
    MeasuresFactory(assessment=assessment)
    assessment = Assessment.objects.get(pk=assessment.pk)
    # palpated points (with trigger point and muscle), postural observations (with finding),
    # measures, PSFS activities
    with django_assert_num_queries(4):
        context = examination_context(assessment)
        for row in context["palpations"]:
            assert row.point.trigger_point.muscle.slug
        for observation in context["observations"]:
            assert observation.finding.detection
    assert len(context["palpations"]) == 8 and len(context["observations"]) == 8


def test_assessment_page_query_count_does_not_grow_with_the_findings(
    therapist_client: Client,
    clinic,  # noqa: ANN001
    therapist,  # noqa: ANN001
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    few, many = (AssessmentFactory(patient__clinic=clinic, therapist=therapist) for _ in "ab")
    add_findings(few, 1)
    add_findings(many, 8)
    MeasuresFactory(assessment=few)
    MeasuresFactory(assessment=many)
    with CaptureQueriesContext(connection) as baseline:
        therapist_client.get(page(few))
    # session, user, assessment (patient, therapist, decider), red-flag answers, the pain
    # drawing's own queries (two when this was written: marks, region labels), then the
    # examination's four: palpated points (with trigger point and muscle), postural observations
    # (with finding), measures, PSFS activities. With 8 of each the count must not grow.
    assert len(baseline) >= 8
    with django_assert_max_num_queries(len(baseline)):
        response = therapist_client.get(page(many))
    html = response.content.decode()
    assert html.count('class="list-group-item palpation"') == 8
    assert html.count('class="list-group-item posture"') == 8

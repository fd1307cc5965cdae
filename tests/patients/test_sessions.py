"""Treatment sessions: log, edit until signed, sign (author only), amend keeping the signed text."""

import datetime
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients import services
from patients.models import (
    MovementResult,
    PalpatedTriggerPoint,
    Patient,
    PrecautionProfile,
    SessionAmendment,
    TreatedPoint,
    TreatmentSession,
    User,
)
from patients.red_flags import load as load_red_flags
from triggerpoints.models import MovementTest, ReleaseTechnique, TriggerPoint

from ..factories import (
    AssessmentFactory,
    PalpatedTriggerPointFactory,
    PrecautionProfileFactory,
    SessionAmendmentFactory,
    TreatedPointFactory,
    TreatmentSessionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_catalogue")]


def _points(muscle: str) -> list[TriggerPoint]:
    return list(TriggerPoint.objects.filter(muscle__name=muscle).order_by("sort_order"))


def _technique(key: str = "pressure-release") -> ReleaseTechnique:
    return ReleaseTechnique.objects.get(key=key)


@pytest.fixture
def session(patient: Patient, therapist: User) -> TreatmentSession:
    """An unsigned note by `therapist`, one treated point (left upper trapezius)."""
    session = TreatmentSessionFactory(patient=patient, therapist=therapist)
    TreatedPointFactory(session=session)
    return session


@pytest.fixture
def signed(session: TreatmentSession, therapist: User) -> TreatmentSession:
    return services.session_sign(session=session, by=therapist, expected_version=session.version)


def urls(patient: Patient, session: TreatmentSession) -> dict[str, str]:
    return {
        "create": reverse("patients:session_create", args=[patient.pk]),
        "detail": reverse("patients:session", args=[patient.pk, session.pk]),
        "edit": reverse("patients:session_edit", args=[patient.pk, session.pk]),
        "sign": reverse("patients:session_sign", args=[patient.pk, session.pk]),
    }


def rows(*entries: tuple[object, str, object], total: int = 3, initial: int = 0) -> dict:
    """The treated-points formset as posted: `entries` first, then empty rows up to `total`."""
    data = {
        "treated-TOTAL_FORMS": str(max(total, len(entries))),
        "treated-INITIAL_FORMS": str(initial),
        "treated-MIN_NUM_FORMS": "0",
        "treated-MAX_NUM_FORMS": "40",
    }
    for i, (point, side, technique) in enumerate(entries):
        data[f"treated-{i}-trigger_point"] = str(getattr(point, "pk", point))
        data[f"treated-{i}-side"] = side
        data[f"treated-{i}-technique"] = str(getattr(technique, "pk", technique))
    return data


ALL_NO_RESCREEN = {f"rescreen-{item.key}": "no" for item in load_red_flags().asked()}


def note(**changes: object) -> dict:
    """A session note as posted, with every red-flag re-screening question answered no."""
    return {
        **ALL_NO_RESCREEN,
        "session_date": "2026-11-16",
        "pre_nprs": "6",
        "post_nprs": "3",
        "response": "better",
        "adherence": "most",
        "notes": "Pressure release; chin nods reviewed.",
        "precautions-confirm": "unchanged",
        **changes,
    }


def edit_post(session: TreatmentSession, *entries: tuple, **changes: object) -> dict:
    """What the edit form posts for `session`: its current values, with `changes`."""
    current = {
        "session_date": session.session_date.isoformat(),
        "pre_nprs": str(session.pre_nprs),
        "post_nprs": "" if session.post_nprs is None else str(session.post_nprs),
        "response": session.response,
        "adherence": session.adherence,
        "notes": session.notes,
        "version": str(session.version),
    }
    if not entries:
        entries = tuple(
            (p.trigger_point_id, p.side, p.technique_id) for p in session.treated_points.all()
        )
    return {**current, **rows(*entries), **changes}


def _messages(response) -> list[str]:  # noqa: ANN001
    return [str(m) for m in get_messages(response.wsgi_request)]


# Access: every view, the whole cast.


def _call(client: Client, name: str, url: str):  # noqa: ANN202
    return client.post(url) if name == "sign" else client.get(url)


@pytest.mark.parametrize("name", ["create", "detail", "edit", "sign"])
@pytest.mark.parametrize("who", ["stranger_client", "editor_client"])
def test_users_outside_the_clinic_get_404(
    request: pytest.FixtureRequest, session: TreatmentSession, name: str, who: str
) -> None:
    client = request.getfixturevalue(who)
    response = _call(client, name, urls(session.patient, session)[name])
    assert response.status_code == HTTPStatus.NOT_FOUND
    session.refresh_from_db()
    assert not session.is_signed


@pytest.mark.parametrize("name", ["create", "detail", "edit"])
def test_colleague_in_same_clinic_opens_session_pages(
    colleague_client: Client, session: TreatmentSession, name: str
) -> None:
    response = colleague_client.get(urls(session.patient, session)[name])
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("name", "method"),
    [("create", "put"), ("detail", "post"), ("edit", "delete"), ("sign", "get")],
)
def test_wrong_method_is_405(
    therapist_client: Client, session: TreatmentSession, name: str, method: str
) -> None:
    response = getattr(therapist_client, method)(urls(session.patient, session)[name])
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# Logging a session


def test_create_with_two_treated_points_stores_them(
    therapist_client: Client, therapist: User, patient: Patient
) -> None:
    upper, lower = _points("Upper trapezius")[0], _points("Sternocleidomastoid")[0]
    data = {**note(), **rows((upper, "l", _technique()), (lower, "r", _technique("pir")))}
    response = therapist_client.post(reverse("patients:session_create", args=[patient.pk]), data)
    session = TreatmentSession.objects.get()
    assert response.status_code == HTTPStatus.FOUND and response.url == session.get_absolute_url()
    assert (session.patient, session.therapist) == (patient, therapist)
    assert (session.session_date, session.pre_nprs, session.post_nprs) == (
        datetime.date(2026, 11, 16),
        6,
        3,
    )
    assert (session.response, session.adherence) == ("better", "most")
    assert not session.is_signed and session.version == 1
    stored = [(p.trigger_point, p.side, p.technique.key) for p in session.treated_points.all()]
    assert stored == [(upper, "l", "pressure-release"), (lower, "r", "pir")]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"session_date": "2999-01-01"}, "session_date", "The session date can&#x27;t be in the"),
        ({"pre_nprs": "11"}, "pre_nprs", "Pain is scored from 0 to 10."),
        ({"post_nprs": "-1"}, "post_nprs", "Pain is scored from 0 to 10."),
        ({"pre_nprs": ""}, "pre_nprs", "Record the pain before the session, from 0 to 10."),
    ],
)
def test_invalid_note_is_shown_at_the_field_and_not_saved(
    therapist_client: Client, patient: Patient, changes: dict, field: str, message: str
) -> None:
    data = {**note(**changes), **rows((_points("Upper trapezius")[0], "l", _technique()))}
    response = therapist_client.post(reverse("patients:session_create", args=[patient.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors[field]
    assert message in response.content.decode()
    assert response.context["form"]["notes"].value() == "Pressure release; chin nods reviewed."
    assert not TreatmentSession.objects.exists() and not TreatedPoint.objects.exists()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ((None, "l", None), "trigger_point", "Choose the trigger point treated in this row."),
        (("TP", "", "TECH"), "side", "Choose the side."),
        (("TP", "l", ""), "technique", "Choose the technique."),
        ((999999, "l", "TECH"), "trigger_point", "Choose a trigger point from the catalogue."),
        (("TP", "x", "TECH"), "side", "Choose left, right or midline."),
        (("TP", "l", 999999), "technique", "Choose a technique from the catalogue."),
    ],
)
def test_bad_treated_row_is_an_error_on_that_row_and_nothing_saved(
    therapist_client: Client, patient: Patient, row: tuple, field: str, message: str
) -> None:
    good = (_points("Upper trapezius")[0], "l", _technique())
    point, side, technique = row
    point = _points("Sternocleidomastoid")[0].pk if point == "TP" else point
    technique = _technique().pk if technique == "TECH" else technique
    data = {**note(), **rows(good, (point or "", side, technique or ""))}
    response = therapist_client.post(reverse("patients:session_create", args=[patient.pk]), data)
    assert response.status_code == HTTPStatus.OK
    formset = response.context["formset"]
    assert not formset.forms[0].errors  # the good row is fine
    assert formset.forms[1].errors[field] == [message]
    error = f'<div class="invalid-feedback d-block" id="id_treated-1-{field}_error">{message}</div>'
    assert error in response.content.decode()
    assert not TreatmentSession.objects.exists() and not TreatedPoint.objects.exists()


def test_empty_rows_are_ignored(therapist_client: Client, patient: Patient) -> None:
    data = {**note(), **rows(("", "", ""), total=4)}
    response = therapist_client.post(reverse("patients:session_create", args=[patient.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    assert TreatmentSession.objects.get().treated_points.count() == 0


def test_add_another_row_keeps_the_typing_and_saves_nothing(
    therapist_client: Client, patient: Patient
) -> None:
    point = _points("Upper trapezius")[0]
    data = {**note(pre_nprs="12"), **rows((point, "l", _technique())), "add_row": "1"}
    response = therapist_client.post(reverse("patients:session_create", args=[patient.pk]), data)
    assert response.status_code == HTTPStatus.OK
    formset = response.context["formset"]
    assert len(formset.forms) == 4
    assert formset.forms[0]["trigger_point"].value() == str(point.pk)
    assert response.context["form"]["pre_nprs"].value() == "12"
    assert "Pain is scored" not in response.content.decode()  # not validated yet
    assert 'name="treated-TOTAL_FORMS" value="4"' in response.content.decode()
    assert not TreatmentSession.objects.exists()


def test_create_prefills_active_points_of_the_latest_assessment(
    therapist_client: Client, patient: Patient
) -> None:
    upper = _points("Upper trapezius")[0]
    scm, earlier = _points("Sternocleidomastoid")[:2]
    older = AssessmentFactory(patient=patient, assessed_on=datetime.date(2026, 6, 1))
    PalpatedTriggerPointFactory(assessment=older, trigger_point=earlier)
    latest = AssessmentFactory(patient=patient, assessed_on=datetime.date(2026, 11, 2))
    PalpatedTriggerPointFactory(assessment=latest, trigger_point=upper, side="l")
    PalpatedTriggerPointFactory(assessment=latest, trigger_point=scm, side="r")
    PalpatedTriggerPointFactory(
        assessment=latest, trigger_point=upper, side="r", status=PalpatedTriggerPoint.Status.LATENT
    )
    response = therapist_client.get(reverse("patients:session_create", args=[patient.pk]))
    formset = response.context["formset"]
    prefilled = [
        (f["trigger_point"].value(), f["side"].value(), f["technique"].value())
        for f in formset.forms
    ]
    pressure = _technique().pk
    assert prefilled[:2] == [(upper.pk, "l", pressure), (scm.pk, "r", pressure)]
    assert prefilled[2:] == [(None, None, None)] * 3  # then empty rows
    page = response.content.decode()
    assert "Prefilled to save you typing: 2 active trigger points" in page
    assert "latest assessment (2 Nov 2026), each with pressure release" in page


def test_create_without_assessment_offers_empty_rows(
    therapist_client: Client, patient: Patient
) -> None:
    response = therapist_client.get(reverse("patients:session_create", args=[patient.pk]))
    assert len(response.context["formset"].forms) == 3
    assert response.context["prefill"] is None
    assert "Upper trapezius" in response.content.decode()  # an optgroup of the catalogue


def test_trigger_point_select_is_grouped_by_muscle(
    therapist_client: Client, patient: Patient
) -> None:
    page = therapist_client.get(reverse("patients:session_create", args=[patient.pk])).content
    assert b'<optgroup label="Upper trapezius">' in page
    assert page.count(b'<optgroup label="Upper trapezius">') == 3  # once per empty row


# Editing an unsigned note


def test_edit_unsigned_note_saves_and_replaces_treated_points(
    therapist_client: Client, session: TreatmentSession
) -> None:
    url = urls(session.patient, session)["edit"]
    form = therapist_client.get(url).context["form"]
    assert form["version"].value() == 1 and form["notes"].value() == session.notes
    scm = _points("Sternocleidomastoid")[0]
    data = edit_post(session, (scm, "r", _technique("pir")), notes="Changed plan.")
    response = therapist_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    session.refresh_from_db()
    assert (session.notes, session.version, session.is_signed) == ("Changed plan.", 2, False)
    assert [(p.trigger_point, p.side) for p in session.treated_points.all()] == [(scm, "r")]
    assert not session.amendments.exists()


def test_edit_with_bad_input_changes_nothing(
    therapist_client: Client, session: TreatmentSession
) -> None:
    data = edit_post(session, notes="Changed.", post_nprs="11")
    response = therapist_client.post(urls(session.patient, session)["edit"], data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["post_nprs"] == ["Pain is scored from 0 to 10."]
    session.refresh_from_db()
    assert (session.notes, session.post_nprs, session.version) == (
        "Pressure release to the left upper trapezius; chin nods taught.",
        3,
        1,
    )
    assert session.treated_points.count() == 1


def test_stale_edit_is_refused_and_the_typing_kept(
    therapist_client: Client, colleague_client: Client, session: TreatmentSession
) -> None:
    url = urls(session.patient, session)["edit"]
    colleague_client.post(url, edit_post(session, notes="Colleague's note."))
    response = therapist_client.post(url, edit_post(session, notes="My note."))  # version 1
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Someone else saved this session note" in page
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["notes"].value() == "My note."
    session.refresh_from_db()
    assert (session.notes, session.version) == ("Colleague's note.", 2)


def test_stale_edit_is_reported_even_with_other_errors(
    therapist_client: Client, colleague_client: Client, session: TreatmentSession
) -> None:
    url = urls(session.patient, session)["edit"]
    colleague_client.post(url, edit_post(session, notes="Colleague's note."))
    response = therapist_client.post(url, edit_post(session, pre_nprs="11"))
    assert "Someone else saved this session note" in response.content.decode()
    assert response.context["form"].errors["pre_nprs"]


# Signing


def test_author_signs_the_note(
    therapist_client: Client, therapist: User, session: TreatmentSession
) -> None:
    response = therapist_client.post(urls(session.patient, session)["sign"], {"version": "1"})
    assert response.status_code == HTTPStatus.FOUND and response.url == session.get_absolute_url()
    session.refresh_from_db()
    assert session.is_signed and session.signed_by == therapist and session.version == 2
    assert session.signed_content["post_nprs"] == "3"
    assert "Upper trapezius" in session.signed_content["treated_points"]
    page = therapist_client.get(urls(session.patient, session)["detail"]).content.decode()
    assert f"Signed by {therapist}" in page and "Sign note" not in page


def test_colleague_cannot_sign_someone_elses_note(
    colleague_client: Client, therapist: User, session: TreatmentSession
) -> None:
    response = colleague_client.post(urls(session.patient, session)["sign"], {"version": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert _messages(response) == [
        f"Only {therapist}, who wrote this note, can sign it. Nothing changed."
    ]
    session.refresh_from_db()
    assert not session.is_signed and session.version == 1
    page = colleague_client.get(urls(session.patient, session)["detail"]).content.decode()
    assert "Sign note" not in page and "Only" in page


def test_stale_sign_is_refused(
    therapist_client: Client, colleague_client: Client, session: TreatmentSession
) -> None:
    colleague_client.post(urls(session.patient, session)["edit"], edit_post(session, notes="New."))
    response = therapist_client.post(urls(session.patient, session)["sign"], {"version": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert "was not signed" in _messages(response)[0]
    session.refresh_from_db()
    assert not session.is_signed and session.version == 2


def test_sign_without_version_is_refused(
    therapist_client: Client, session: TreatmentSession
) -> None:
    therapist_client.post(urls(session.patient, session)["sign"])
    session.refresh_from_db()
    assert not session.is_signed


def test_signing_twice_changes_nothing(therapist_client: Client, signed: TreatmentSession) -> None:
    signed_at = signed.signed_at
    response = therapist_client.post(urls(signed.patient, signed)["sign"], {"version": "2"})
    assert "already signed" in _messages(response)[0]
    signed.refresh_from_db()
    assert signed.signed_at == signed_at and signed.version == 2


# Amending a signed note


def test_signed_note_edit_page_becomes_amend(
    therapist_client: Client, signed: TreatmentSession
) -> None:
    response = therapist_client.get(urls(signed.patient, signed)["edit"])
    page = response.content.decode()
    assert "Amend signed note" in page and "Reason for the amendment" in page
    assert response.context["form"]["version"].value() == 2


def test_amend_without_reason_is_refused(
    therapist_client: Client, signed: TreatmentSession
) -> None:
    data = edit_post(signed, post_nprs="4", reason="  ")
    response = therapist_client.post(urls(signed.patient, signed)["edit"], data)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["reason"] == [
        "Say why the signed note is being amended."
    ]
    signed.refresh_from_db()
    assert (signed.post_nprs, signed.version) == (3, 2)
    assert not SessionAmendment.objects.exists()


def test_amendment_records_who_when_why_and_keeps_the_signed_text(
    colleague_client: Client, colleague: User, therapist: User, signed: TreatmentSession
) -> None:
    scm = _points("Sternocleidomastoid")[0]
    upper = _points("Upper trapezius")[0]
    data = edit_post(
        signed,
        (upper, "l", _technique()),
        (scm, "r", _technique()),
        post_nprs="4",
        reason="Post-session pain was recorded wrongly; SCM was treated too.",
    )
    before = timezone.now()
    response = colleague_client.post(urls(signed.patient, signed)["edit"], data)
    assert response.status_code == HTTPStatus.FOUND
    amendment = SessionAmendment.objects.get()
    assert amendment.session == signed and amendment.amended_by == colleague
    assert amendment.amended_at >= before
    assert amendment.reason == "Post-session pain was recorded wrongly; SCM was treated too."
    changes = {c["field"]: (c["before"], c["after"]) for c in amendment.changes}
    assert changes.keys() == {"post_nprs", "treated_points"}
    assert changes["post_nprs"] == ("3", "4")
    assert "Sternocleidomastoid" in changes["treated_points"][1]
    assert "Sternocleidomastoid" not in changes["treated_points"][0]
    signed.refresh_from_db()
    assert signed.post_nprs == 4 and signed.version == 3
    assert signed.signed_by == therapist and signed.signed_content["post_nprs"] == "3"

    page = colleague_client.get(urls(signed.patient, signed)["detail"]).content.decode()
    assert "Amendments" in page and "Original note as signed" in page
    assert "Post-session pain was recorded wrongly" in page
    assert "Pain after (NPRS): 3 → 4" in page
    assert f"<strong>{colleague}</strong>" in page
    original = page.split("Original note as signed", 1)[1]
    assert '<dt class="col-sm-4">Pain after (NPRS)</dt><dd class="col-sm-8">3</dd>' in original
    assert "Sternocleidomastoid" not in original  # the signed text, not the current one


def test_amend_without_change_records_nothing(
    therapist_client: Client, signed: TreatmentSession
) -> None:
    data = edit_post(signed, reason="Checking.")
    response = therapist_client.post(urls(signed.patient, signed)["edit"], data)
    assert response.status_code == HTTPStatus.FOUND
    assert _messages(response) == ["Nothing was changed, so no amendment was recorded."]
    signed.refresh_from_db()
    assert signed.version == 2 and not SessionAmendment.objects.exists()


def test_stale_amendment_is_refused_and_the_typing_kept(
    therapist_client: Client, colleague_client: Client, signed: TreatmentSession
) -> None:
    url = urls(signed.patient, signed)["edit"]
    colleague_client.post(url, edit_post(signed, notes="Colleague.", reason="Typo."))
    response = therapist_client.post(url, edit_post(signed, post_nprs="5", reason="Mine."))
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this session note" in response.content.decode()
    assert response.context["form"]["reason"].value() == "Mine."
    signed.refresh_from_db()
    assert (signed.notes, signed.post_nprs, signed.version) == ("Colleague.", 3, 3)
    assert SessionAmendment.objects.count() == 1


# The session page


def test_detail_shows_the_note_and_links_points_to_the_catalogue(
    therapist_client: Client, session: TreatmentSession
) -> None:
    point = session.treated_points.get().trigger_point
    response = therapist_client.get(urls(session.patient, session)["detail"])
    page = response.content.decode()
    assert "6/10 before → 3/10 after" in page
    assert "Better" in page and "Most days" in page and session.notes in page
    muscle_url = reverse("triggerpoints:muscle", args=[point.muscle.slug])
    assert f'href="{muscle_url}#tp-{point.pk}"' in page
    assert "(left), Pressure release" in page
    assert "Sign note" in page and "Original note as signed" not in page


@pytest.mark.parametrize(("points", "amendments"), [(1, 1), (6, 5)])
def test_detail_query_count_does_not_grow(
    therapist_client: Client,
    therapist: User,
    patient: Patient,
    points: int,
    amendments: int,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    session = TreatmentSessionFactory(
        patient=patient, therapist=therapist, signed_at=timezone.now(), signed_by=therapist
    )
    catalogue = list(TriggerPoint.objects.order_by("pk")[:points])
    for point in catalogue:
        TreatedPointFactory(session=session, trigger_point=point)
    SessionAmendmentFactory.create_batch(amendments, session=session)
    retested = list(MovementTest.objects.filter(sided=False))[:points]
    for test in retested:
        MovementResult.objects.create(session=session, test=test, value=test.value_min)
    # session, user (with clinic), treatment session (with patient, therapist, signer),
    # treated points (with trigger point, muscle, technique), amendments (with author),
    # re-tests (with their tests)
    with django_assert_max_num_queries(7):  # + the access-log row
        response = therapist_client.get(urls(patient, session)["detail"])
    page = response.content.decode()
    assert page.count("#tp-") == points
    assert page.count("Reason: ") == amendments
    assert len(response.context["retests"]) == len(retested)


@pytest.mark.parametrize("palpated", [1, 6])
def test_create_form_query_count_does_not_grow(
    therapist_client: Client,
    patient: Patient,
    palpated: int,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    assessment = AssessmentFactory(patient=patient)
    for point in TriggerPoint.objects.order_by("pk")[:palpated]:
        PalpatedTriggerPointFactory(assessment=assessment, trigger_point=point)
    abnormal = list(MovementTest.objects.filter(sided=False))[:palpated]
    for test in abnormal:  # the lowest number, or the worst score: abnormal either way
        worst = test.value_max if test.scoring == "ordinal" else test.value_min
        MovementResult.objects.create(assessment=assessment, test=test, value=worst)
    # session, user (with clinic), patient, trigger points (with muscle names), techniques,
    # the latest assessment, the latest session since (none here), the active palpated points
    # of the latest assessment, the current precaution profile, the regions marked and the
    # red-flag questions answered yes before; the re-tests: the latest plan or assessment, its
    # results, the precautions (4); the patient's plan links (portal diary: none here)
    with django_assert_max_num_queries(17):  # + the access-log row
        response = therapist_client.get(reverse("patients:session_create", args=[patient.pk]))
    assert len(response.context["formset"].forms) == palpated + 3
    assert len(response.context["retest"].screen) == len(abnormal)  # targeted: abnormal


def test_new_session_starts_from_the_points_treated_at_the_last_session(
    therapist_client: Client,
    therapist: User,
    patient: Patient,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    assessment = AssessmentFactory(patient=patient, assessed_on=datetime.date(2026, 11, 2))
    PalpatedTriggerPointFactory(assessment=assessment)
    last = TreatmentSessionFactory(
        patient=patient, therapist=therapist, session_date=datetime.date(2026, 11, 9)
    )
    levator = TriggerPoint.objects.filter(muscle__name="Levator scapulae").first()
    dry = ReleaseTechnique.objects.exclude(key="pressure-release").first()
    TreatedPointFactory(session=last, trigger_point=levator, side="r", technique=dry)
    # as above (re-tests and plan links included), the treated points instead of palpated
    with django_assert_max_num_queries(17):
        response = therapist_client.get(reverse("patients:session_create", args=[patient.pk]))
    prefill = response.context["prefill"]
    assert prefill.source == "session" and prefill.assessed_on == last.session_date
    assert prefill.rows == [
        {"trigger_point": levator.pk, "side": "r", "technique": dry.pk, "status": ""}
    ]
    assert "treated at the session of 9 Nov 2026" in response.content.decode()


@pytest.mark.parametrize("points", [1, 6])
def test_edit_form_query_count_does_not_grow(
    therapist_client: Client,
    therapist: User,
    patient: Patient,
    points: int,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    session = TreatmentSessionFactory(patient=patient, therapist=therapist)
    for point in TriggerPoint.objects.order_by("pk")[:points]:
        TreatedPointFactory(session=session, trigger_point=point)
    # session, user (with clinic), treatment session (with patient, therapist, signer),
    # trigger points (with muscle names), techniques, treated points; the re-tests: the latest
    # plan or assessment, its results, the session's results (3)
    with django_assert_max_num_queries(10):  # + the access-log row
        response = therapist_client.get(urls(patient, session)["edit"])
    assert len(response.context["formset"].forms) == points + 3


def test_amended_date_reads_as_the_pages_show_dates(
    therapist_client: Client, signed: TreatmentSession
) -> None:
    signed_on = signed.session_date
    data = edit_post(signed, session_date="2026-11-02", reason="Wrong day typed.")
    therapist_client.post(urls(signed.patient, signed)["edit"], data)
    change = SessionAmendment.objects.get().changes[0]
    assert change["field"] == "session_date"
    assert change["before"] == f"{signed_on.day} {signed_on:%b %Y}"
    assert change["after"] == "2 Nov 2026"


# --- Precautions confirmed at each visit; each point's re-test (issue 9) --------------------------


def test_create_confirms_precautions_unchanged(
    therapist_client: Client, therapist: User, patient: Patient
) -> None:
    PrecautionProfileFactory(patient=patient, keys=["anticoagulants"])
    response = therapist_client.post(
        reverse("patients:session_create", args=[patient.pk]), {**note(), **rows()}
    )
    assert response.status_code == HTTPStatus.FOUND
    session = TreatmentSession.objects.get()
    check = session.precaution_check
    assert check.unchanged and check.keys == ["anticoagulants"]
    assert (check.recorded_on, check.recorded_by) == (session.session_date, therapist)


def test_create_updates_precautions(therapist_client: Client, patient: Patient) -> None:
    data = note(
        **{
            "precautions-confirm": "updated",
            "precautions-keys": ["pregnancy", "hypermobility"],
            "precautions-pregnancy_weeks": "22",
        }
    )
    response = therapist_client.post(
        reverse("patients:session_create", args=[patient.pk]), {**data, **rows()}
    )
    assert response.status_code == HTTPStatus.FOUND
    current = PrecautionProfile.objects.filter(patient=patient).first()
    assert (current.keys, current.pregnancy_weeks, current.unchanged) == (
        ["pregnancy", "hypermobility"],
        22,
        False,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"precautions-confirm": ""}, "Confirm the precautions are unchanged, or update them."),
        (
            {"precautions-confirm": "updated", "precautions-keys": ["pregnancy"]},
            "Give the weeks of pregnancy.",
        ),
        (
            {"precautions-confirm": "updated", "precautions-keys": ["lymphoedema"]},
            "Say which limb.",
        ),
    ],
)
def test_precautions_must_be_confirmed_or_complete(
    therapist_client: Client, patient: Patient, changes: dict, message: str
) -> None:
    response = therapist_client.post(
        reverse("patients:session_create", args=[patient.pk]), {**note(**changes), **rows()}
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not TreatmentSession.objects.exists() and not PrecautionProfile.objects.exists()


def test_treated_point_retest_is_stored_and_in_the_signed_note(
    therapist_client: Client, therapist: User, patient: Patient
) -> None:
    point = _points("Upper trapezius")[0]
    data = {
        **note(),
        **rows((point, "l", _technique())),
        "treated-0-status": "active",
        "treated-0-retest": "tenderness",
        "treated-0-retest_before": "7",
        "treated-0-retest_after": "3",
        "treated-0-referral_reproduced": "true",
    }
    response = therapist_client.post(reverse("patients:session_create", args=[patient.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    session = TreatmentSession.objects.get()
    stored = session.treated_points.get()
    assert (stored.status, stored.retest, stored.retest_before, stored.retest_after) == (
        "active",
        "tenderness",
        7,
        3,
    )
    assert stored.referral_reproduced is True
    signed = services.session_sign(session=session, by=therapist, expected_version=1)
    assert (
        "· active · tenderness 7 → 3 · referral reproduced"
        in (signed.signed_content["treated_points"])
    )


def test_tenderness_retest_is_scored_0_to_10(therapist_client: Client, patient: Patient) -> None:
    point = _points("Upper trapezius")[0]
    data = {
        **note(),
        **rows((point, "l", _technique())),
        "treated-0-retest": "tenderness",
        "treated-0-retest_before": "12",
    }
    response = therapist_client.post(reverse("patients:session_create", args=[patient.pk]), data)
    assert response.status_code == HTTPStatus.OK
    assert "Tenderness is scored from 0 to 10." in response.content.decode()
    assert not TreatmentSession.objects.exists()


def test_a_double_submitted_session_is_logged_once(
    therapist_client: Client, patient: Patient
) -> None:
    create = reverse("patients:session_create", args=[patient.pk])
    token = therapist_client.get(create).context["form"]["submission"].value()
    data = {**note(), **rows(), "submission": token}
    first = therapist_client.post(create, data)
    second = therapist_client.post(create, data)
    assert TreatmentSession.objects.filter(patient=patient).count() == 1
    assert first.url == second.url

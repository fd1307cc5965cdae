"""Examination findings of an assessment: palpated trigger points, postural observations, and
the breathing and outcome measures."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import add_service_errors, save_through

from .. import services
from ..display import MeasuresSummary
from ..editing import stale_action, stale_form
from ..forms.examination import MeasuresForm, PalpationForm, PostureForm
from ..loaders import get_assessment, posted_version
from ..models import (
    Assessment,
    Measures,
    PalpatedTriggerPoint,
    PosturalObservation,
)
from .pain import suggested_points


def _back(assessment: Assessment, anchor: str) -> HttpResponse:
    return redirect(f"{assessment.get_absolute_url()}#{anchor}")


def _page(
    request: HttpRequest, template: str, assessment: Assessment, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"patients/{template}",
        {"assessment": assessment, "patient": assessment.patient, **context},
    )


# Palpated trigger points


def _palpated_point(assessment: Assessment, fid: int) -> PalpatedTriggerPoint:
    return get_object_or_404(
        assessment.palpated_points.select_related("trigger_point__muscle"), pk=fid
    )


STALE_FINDING = stale_form("finding")
STALE_REMOVE = stale_action("finding", "removed")


def _point_label(point: PalpatedTriggerPoint) -> str:
    return f"{point.trigger_point} ({point.get_side_display().lower()})"


def _palpation_form(
    request: HttpRequest, assessment: Assessment, point: PalpatedTriggerPoint | None
) -> HttpResponse:
    suggested = suggested_points(assessment)
    if request.method == "POST":
        form = PalpationForm(
            request.POST, instance=point, assessment=assessment, suggested=suggested
        )
    else:
        # The candidate list links here with ?trigger_point=<id> (and optionally &side=l|r|m);
        # a new finding otherwise starts on the first suggested point.
        initial = {key: request.GET[key] for key in ("trigger_point", "side") if key in request.GET}
        if point is None and suggested and "trigger_point" not in initial:
            initial["trigger_point"] = str(suggested[0][0])
        form = PalpationForm(
            instance=point, initial=initial, assessment=assessment, suggested=suggested
        )
    saved = save_through(
        form,
        lambda data, version: services.palpated_point_record(
            assessment=assessment, data=data, point=point, expected_version=version
        ),
        refusals={services.StaleEditError: STALE_FINDING},
        fallback="trigger_point",
    )
    if saved:
        return _finding_done(request, assessment, "palpation", _point_label(saved), point)
    return _page(request, "palpation_form.html", assessment, form=form, point=point)


def _finding_done(
    request: HttpRequest, assessment: Assessment, section: str, name: str, before: object
) -> HttpResponse:
    messages.success(request, f"{name} {'changed' if before else 'recorded'}.")
    return _back(assessment, section)


def _finding_removed(
    request: HttpRequest,
    assessment: Assessment,
    section: str,
    name: str,
    remove: Callable[[int], None],
) -> HttpResponse:
    """Remove a finding as it was when the page was opened (`remove(version)`)."""
    try:
        remove(posted_version(request))
    except services.StaleEditError:
        messages.error(request, STALE_REMOVE)
    else:
        messages.success(request, f"{name} removed. The change log keeps what was recorded.")
    return _back(assessment, section)


@require_http_methods(["GET", "POST"])
def palpation_create(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    return _palpation_form(request, get_assessment(request, pk, aid), None)


@require_http_methods(["GET", "POST"])
def palpation_edit(request: HttpRequest, pk: int, aid: int, fid: int) -> HttpResponse:
    assessment = get_assessment(request, pk, aid)
    return _palpation_form(request, assessment, _palpated_point(assessment, fid))


@require_POST
def palpation_remove(request: HttpRequest, pk: int, aid: int, fid: int) -> HttpResponse:
    assessment = get_assessment(request, pk, aid)
    point = _palpated_point(assessment, fid)
    return _finding_removed(
        request,
        assessment,
        "palpation",
        _point_label(point),
        lambda version: services.palpated_point_remove(point=point, expected_version=version),
    )


# Postural observations


def _observation(assessment: Assessment, fid: int) -> PosturalObservation:
    return get_object_or_404(assessment.postural_observations.select_related("finding"), pk=fid)


def _posture_form(
    request: HttpRequest, assessment: Assessment, observation: PosturalObservation | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PostureForm(data, instance=observation, assessment=assessment)
    saved = save_through(
        form,
        lambda data, version: services.postural_observation_record(
            assessment=assessment, data=data, observation=observation, expected_version=version
        ),
        refusals={services.StaleEditError: STALE_FINDING},
        fallback="finding",
    )
    if saved:
        return _finding_done(request, assessment, "posture", str(saved.finding), observation)
    return _page(request, "posture_form.html", assessment, form=form, observation=observation)


@require_http_methods(["GET", "POST"])
def posture_create(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    return _posture_form(request, get_assessment(request, pk, aid), None)


@require_http_methods(["GET", "POST"])
def posture_edit(request: HttpRequest, pk: int, aid: int, fid: int) -> HttpResponse:
    assessment = get_assessment(request, pk, aid)
    return _posture_form(request, assessment, _observation(assessment, fid))


@require_POST
def posture_remove(request: HttpRequest, pk: int, aid: int, fid: int) -> HttpResponse:
    assessment = get_assessment(request, pk, aid)
    observation = _observation(assessment, fid)
    return _finding_removed(
        request,
        assessment,
        "posture",
        observation.finding.name,
        lambda version: services.postural_observation_remove(
            observation=observation, expected_version=version
        ),
    )


# Breathing and outcome measures


@require_http_methods(["GET", "POST"])
def measures_edit(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    assessment = get_assessment(request, pk, aid)
    measures = Measures.objects.filter(assessment=assessment).first()
    psfs = list(assessment.psfs_activities.all())
    data = request.POST if request.method == "POST" else None
    form = MeasuresForm(data, measures=measures, psfs=psfs)
    if form.is_valid():
        try:
            services.measures_record(
                assessment=assessment,
                data=form.measures_data(),
                psfs=form.psfs(),
                expected_version=form.expected_version,
            )
        except services.StaleEditError:
            form.add_error(None, stale_form("set of measures"))
        except ValidationError as error:
            add_service_errors(form, error, fallback=None)
        else:
            messages.success(request, "Breathing and outcome measures saved.")
            return _back(assessment, "measures")
    return _page(
        request,
        "measures_form.html",
        assessment,
        form=form,
        measures=measures,
        measures_summary=MeasuresSummary.of(measures, psfs),
    )

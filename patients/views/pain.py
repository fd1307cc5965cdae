"""The pain drawing of an assessment, and the candidate trigger points it suggests."""

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from triggerpoints.bodymap import build_body_map, region_groups, region_index
from triggerpoints.candidates import Ranked, ranked
from triggerpoints.ranking import Catalogue, load_catalogue, rank_candidates

from .. import services
from ..editing import stale_form
from ..forms.pain import PainDrawingForm, blank_row
from ..forms.records import PresentationFields
from ..loaders import get_assessment
from ..models import Assessment, Measures, PainMark, PalpatedTriggerPoint
from ..presentation import Presentation, assessment_presentation


def _ranked(
    codes: list[str], presentation: Presentation, labels: dict[str, str], catalogue: Catalogue
) -> Ranked:
    """The candidates for the marked regions and the assessment's presentation, as rows and
    as HTML (the assessment page and the drawing's live panel rank the same way; kept per
    catalogue version, see triggerpoints.candidates.ranked)."""
    return ranked(
        codes,
        symptoms=[k for k in presentation.symptoms if k in catalogue.symptoms],
        factors=[k for k in presentation.factors if k in catalogue.factor_keys],
        labels=labels,
        catalogue=catalogue,
    )


@dataclass(frozen=True)
class MarkedRegion:
    label: str
    mark: PainMark


def pain_context(
    assessment: Assessment, *, postural: Iterable[str] = (), measures: Measures | None = None
) -> dict:
    """The pain drawing for the assessment page and, once the red-flag screening allows it,
    the ranked candidate muscles for the whole presentation: the marked regions, the symptoms
    reported and the perpetuating factors reported, asked or examined (patients.presentation).

    Queries: the marks and the region labels; then, only when candidates are shown and
    something is marked, the factors' links (two), the breathing findings (one, when measured)
    and the ranking's catalogue (six). Intensity, quality and pattern do not change the order.
    """
    marks = list(assessment.pain_marks.all())
    labels = {region.code: region.label for region in region_index()}
    codes = [mark.region_id for mark in marks]
    candidates = None
    context_used: list[str] = []
    if codes and assessment.shows_myofascial_explanations:
        presentation = assessment_presentation(assessment, postural=postural, measures=measures)
        catalogue = load_catalogue()
        candidates = _ranked(codes, presentation, labels, catalogue)
        context_used = [
            f"{catalogue.labels.get(k, k)} (symptom)" for k in presentation.symptoms
        ] + [f"{catalogue.labels.get(k, k)} ({presentation.why[k]})" for k in presentation.factors]
    return {
        "pain_marks": [MarkedRegion(labels[mark.region_id], mark) for mark in marks],
        "pain_map": build_body_map(
            labels=labels,
            marked=codes,
            label="Pain drawing",
            intensity={m.region_id: m.intensity for m in marks},
        ),
        "pain_candidates": candidates.rows if candidates else None,
        "pain_candidates_html": candidates.html if candidates else "",
        "pain_context_used": context_used,
        "pain_marked_labels": [labels[code] for code in codes],
    }


SUGGESTED_MUSCLES = 5


def suggested_points(assessment: Assessment) -> list[tuple[int, str]]:
    """The trigger points a palpation picker offers first: those of the ranking's first
    muscles for this assessment (when the screening allows explanations), then those palpated
    at the patient's previous assessment. (id, why) pairs, no id twice.

    Queries: the marks; the previous palpated points (one); and, when something is marked,
    the presentation (as pain_context, without postural findings and measures) and the
    ranking's catalogue. Constant whatever the data."""
    suggested: dict[int, str] = {}
    codes = list(assessment.pain_marks.values_list("region_id", flat=True))
    if codes and assessment.shows_myofascial_explanations:
        presentation = assessment_presentation(assessment, postural=(), measures=None)
        catalogue = load_catalogue()
        ranked = rank_candidates(
            codes,
            symptoms=[k for k in presentation.symptoms if k in catalogue.symptoms],
            factors=[k for k in presentation.factors if k in catalogue.factor_keys],
            catalogue=catalogue,
            limit=SUGGESTED_MUSCLES,
        )
        for number, candidate in enumerate(ranked, start=1):
            for point in candidate.points:
                suggested.setdefault(point.trigger_point_id, f"ranked {number}")
    previous = (
        assessment.patient.assessments.filter(assessed_on__lte=assessment.assessed_on)
        .exclude(pk=assessment.pk)
        .order_by("-assessed_on", "-pk")
        .values("pk")[:1]
    )
    for point_id in PalpatedTriggerPoint.objects.filter(assessment__in=previous).values_list(
        "trigger_point_id", flat=True
    ):
        suggested.setdefault(point_id, "found at the last assessment")
    return list(suggested.items())


STALE = stale_form("pain drawing")


@require_http_methods(["GET", "POST"])
def pain_drawing(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    assessment = get_assessment(request, pk, aid)
    regions = region_index()
    form = PainDrawingForm(
        request.POST if request.method == "POST" else None,
        regions=regions,
        marks=assessment.pain_marks.all(),
        version=assessment.version,
    )
    if form.is_valid():
        entries = form.entries()
        try:
            services.pain_drawing_record(
                assessment=assessment,
                entries=entries,
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEditError:
            form.add_error(None, STALE)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if entries:
                count = len(entries)
                messages.success(
                    request, f"Pain drawing saved: {count} region{'s' if count > 1 else ''}."
                )
            else:
                messages.success(request, "Pain drawing cleared: no regions marked.")
            return redirect(assessment)
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "form": form,
        # The marked regions' rows, then the empty row the script copies for a new region.
        "pain_rows": [*form.rows, blank_row()],
        "region_groups": region_groups(regions, set(form.row_codes)),
        "body_map": build_body_map(
            labels=form.labels,
            marked=form.row_codes,
            interactive=True,
            label="Mark where the pain is",
            intensity={m.region_id: m.intensity for m in assessment.pain_marks.all()},
        ),
        "candidates_url": reverse("patients:pain_candidates", args=[pk, aid]),
    }
    return render(request, "patients/pain_form.html", context)


class PresentationForm(PresentationFields):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


@require_http_methods(["GET", "POST"])
def presentation_edit(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """The associated symptoms and the habits the patient reports, which the ranking weighs."""
    assessment = get_assessment(request, pk, aid)
    form = PresentationForm(
        request.POST or None,
        initial={
            "symptoms": assessment.symptoms,
            "factors": assessment.factors,
            "version": assessment.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.presentation_record(
                assessment=assessment,
                symptoms=form.cleaned_data["symptoms"],
                factors=form.cleaned_data["factors"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEditError:
            form.add_error(None, STALE_PRESENTATION)
        else:
            messages.success(request, "Symptoms and habits saved; the ranking weighs them.")
            return redirect(f"{assessment.get_absolute_url()}#pain")
    return render(
        request,
        "patients/presentation_form.html",
        {"assessment": assessment, "patient": assessment.patient, "form": form},
    )


STALE_PRESENTATION = stale_form("assessment")


@require_POST
def pain_candidates(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """The ranking for the regions being drawn (the drawing page's live panel): the posted
    regions with the assessment's symptoms and factors. Saves nothing; held back as on the
    assessment page while red flags are unscreened or undecided."""
    assessment = get_assessment(request, pk, aid)
    labels = {region.code: region.label for region in region_index()}
    codes = [code for code in request.POST.getlist("regions") if code in labels]
    if not assessment.shows_myofascial_explanations:
        return render(request, "patients/_candidates_held.html", {"assessment": assessment})
    rows = None
    if codes:
        observations = assessment.postural_observations.select_related("finding")
        measures = Measures.objects.filter(assessment=assessment).first()
        presentation = assessment_presentation(
            assessment, postural=[o.finding.key for o in observations], measures=measures
        )
        rows = _ranked(codes, presentation, labels, load_catalogue()).rows
    context = {"rows": rows, "marked": [labels[c] for c in codes]}
    return render(request, "triggerpoints/_candidates.html", context)

"""The pain drawing of an assessment, and the candidate trigger points it suggests."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from triggerpoints.bodymap import build_body_map, region_groups, region_index
from triggerpoints.ranking import load_catalogue, rank_candidates
from triggerpoints.views import candidate_rows

from .. import services
from ..forms.pain import PainDrawingForm, blank_row
from ..models import Assessment, PainMark
from .base import get_assessment


@dataclass(frozen=True)
class MarkedRegion:
    label: str
    mark: PainMark


def pain_context(assessment: Assessment) -> dict:
    """The pain drawing for the assessment page and, once the red-flag screening allows it,
    the ranked candidate trigger points for the drawing.

    Queries: the marks and the region labels; then, only when candidates are shown and
    something is marked, the ranking's catalogue (three). The ranking takes the marked regions
    only: intensity, quality and pattern do not change the order.
    """
    marks = list(assessment.pain_marks.all())
    labels = {region.code: region.label for region in region_index()}
    codes = [mark.region_id for mark in marks]
    candidates = None
    if codes and assessment.shows_myofascial_explanations:
        ranked = rank_candidates(codes, catalogue=load_catalogue(), region_words=labels)
        candidates = candidate_rows(ranked, labels)
    return {
        "pain_marks": [MarkedRegion(labels[mark.region_id], mark) for mark in marks],
        "pain_map": build_body_map(labels=labels, marked=codes, label="Pain drawing"),
        "pain_candidates": candidates,
        "pain_marked_labels": [labels[code] for code in codes],
    }


STALE = (
    "Someone else changed this pain drawing after you opened it. Your changes are still below "
    "and were not saved: open the assessment again in a new tab, compare, and re-apply what is "
    "still needed."
)


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
        ),
    }
    return render(request, "patients/pain_form.html", context)

"""A patient's progress over time: timeline, pain charts, trigger points that keep coming back;
and every visit, a page at a time."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from common.slots import fill

from .. import progress, stamps
from ..charts import Threshold, line_chart, nice_ceiling
from ..display import movement_charts
from ..loaders import get_patient
from ..measures import BOLT_LOW, NIJMEGEN_THRESHOLD
from ..models import Patient

CHART_WIDTH = 640
CHART_HEIGHT = 240
EXTENT_LIST = 10  # the newest pain drawings listed under the chart


@require_GET
def patient_progress(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_patient(request, pk, read_only=True)
    record = stamps.record_fragment(patient, "progress", lambda: _progress_record(patient))
    return render(request, "patients/progress.html", {"patient": patient, "record": record})


def _progress_record(patient: Patient) -> str:
    """The progress page's charts, timeline and course, from the record alone."""
    records = progress.load_records(patient, limit=progress.TIMELINE_WINDOW)
    scores = progress.load_scores(patient)
    extent = progress.pain_extent_series(patient, scores=scores)
    nprs = progress.nprs_series(patient, scores=scores)
    nprs_chart = line_chart(
        nprs,
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        y_max=10,
        title="Pain scores (NPRS, 0 to 10) over time",
        chart_id="nprs-chart",
    )
    extent_chart = line_chart(
        progress.extent_chart_series(extent),
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        y_max=nice_ceiling(max((p.regions for p in extent), default=0), minimum=5),
        title="Extent of the pain drawing over time",
        chart_id="extent-chart",
    )
    # One measure per chart: the questionnaire's 0-64 score and BOLT's seconds share no axis.
    nijmegen, bolt = progress.breathing_series(patient, scores=scores)
    nijmegen_chart = line_chart(
        [nijmegen],
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        y_max=64,
        title="Nijmegen Questionnaire total (0 to 64) over time",
        chart_id="nijmegen-chart",
        thresholds=[Threshold(NIJMEGEN_THRESHOLD, f"{NIJMEGEN_THRESHOLD}: positive screen")],
    )
    bolt_chart = line_chart(
        [bolt],
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        y_max=nice_ceiling(max((value for _, value in bolt.points), default=0), minimum=40),
        title="BOLT (control pause, seconds) over time",
        chart_id="bolt-chart",
        thresholds=[Threshold(BOLT_LOW, f"{BOLT_LOW} s")],
    )
    _, period = progress.chart_period(
        [a.on for a in scores.assessments] + [s[0] for s in scores.sessions]
    )
    history = progress.trigger_point_history(patient)
    timeline = progress.timeline(patient, records=records)
    return render_to_string(
        "patients/_progress_record.html",
        {
            "patient": patient,
            "timeline": timeline[: progress.TIMELINE_WINDOW],
            "timeline_more": records.more,
            "nprs_chart": nprs_chart,
            "nprs_period": "" if period == "day" else period,
            "extent": extent[-EXTENT_LIST:],
            "extent_more": len(extent) > EXTENT_LIST,
            "extent_chart": extent_chart,
            "nijmegen_chart": nijmegen_chart,
            "bolt_chart": bolt_chart,
            "movement_charts": movement_charts(patient),  # issue 17: one query
            "recurring": [p for p in history if p.is_recurring],
            "seen_once": [p for p in history if not p.is_recurring],
            **fill("progress", patient, nprs),
        },
    )


@require_GET
def patient_visits(request: HttpRequest, pk: int) -> HttpResponse:
    """Every assessment and session, newest first, 25 to a page."""
    patient = get_patient(request, pk, read_only=True)
    page, records = progress.visits_page(patient, request.GET.get("page"))
    return render(
        request,
        "patients/visit_list.html",
        {"patient": patient, "page": page, "timeline": progress.timeline(patient, records=records)},
    )

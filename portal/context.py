"""What the portal adds to other apps' pages, each a small include with its data fetched here
(templates never query): the plan page's links, the dashboard's prompts, the session form's
diary summary, the progress page's diary charts. A fixed number of queries each."""

from typing import Any

from django.utils import timezone

from common.slots import KEEP_UNTIL
from patients.charts import Series, line_chart
from patients.models import Patient, TreatmentSession, User
from plans.models import Plan

from .diary import diary_series, since_last_visit
from .models import DiaryPrompt, PatientLink

PROMPTS_SHOWN = 20
CHART_WIDTH = 640
CHART_HEIGHT = 240


def plan_links(plan: Plan) -> list[PatientLink]:
    """The plan's links for the plan page, newest first. One query."""
    links = list(
        PatientLink.objects.filter(plan=plan).select_related("version").order_by("-created_at")
    )
    for link in links:
        link.plan = plan
        link.patient = plan.patient
    return links


def plan_context(plan: Plan) -> dict[str, Any]:
    """The plan page's "Send to the patient" part, and when it changes by itself: when the
    first open link expires. One query."""
    links = plan_links(plan)
    now = timezone.now()
    return {
        "patient_links": links,
        KEEP_UNTIL: min(
            (link.expires_at for link in links if link.state(now) == PatientLink.State.OPEN),
            default=None,
        ),
    }


def open_prompts(user: User) -> list[DiaryPrompt]:
    """Diary entries of the user's clinic waiting for a therapist, newest first. One query."""
    if not user.is_authenticated or user.clinic_id is None:
        return []
    return list(
        DiaryPrompt.objects.filter(patient__clinic_id=user.clinic_id, seen_at__isnull=True)
        .select_related("patient")
        .order_by("-created_at")[:PROMPTS_SHOWN]
    )


def session_diary(patient: Patient) -> dict[str, Any]:
    """The session form's diary summary and its pain chart (diary pain beside the NPRS of the
    visits in the period and the last visit before it). Five queries."""
    summary = since_last_visit(patient)
    if summary is None:
        return {"diary": None}
    visits = list(
        TreatmentSession.objects.filter(
            patient=patient, session_date__gte=summary.last_visit or summary.since
        )
        .order_by("session_date")
        .values_list("session_date", "pre_nprs")
    )
    chart = line_chart(
        [Series("Diary pain", summary.pain), Series("Pain before the session (NPRS)", visits)],
        width=CHART_WIDTH // 2,
        height=CHART_HEIGHT,
        y_max=10,
        title="Pain in the diary and at visits (0 to 10)",
        chart_id="diary-pain-chart",
    )
    return {"diary": summary, "diary_chart": chart}


def progress_diary(patient: Patient, nprs: list[Series]) -> dict[str, Any]:
    """The progress page's diary charts; empty when the patient has no link. Three queries."""
    series = diary_series(patient)
    if not series.pain and not series.adherence:
        return {}
    before = [s for s in nprs if "before" in s.name.lower()]
    pain = line_chart(
        [Series("Diary pain", series.pain), *before],
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        y_max=10,
        title="Pain in the diary (0 to 10) and before each session",
        chart_id="diary-pain-chart",
    )
    adherence = line_chart(
        [Series("Home items done (% of the week)", series.adherence)],
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        y_max=100,
        title="Home programme done each week (%)",
        chart_id="diary-adherence-chart",
    )
    return {"diary_pain_chart": pain, "diary_adherence_chart": adherence}

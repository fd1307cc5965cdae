"""The therapist's dashboard (the home page): what needs doing today, each item one click from
the action. A therapist sees their own work; a clinic admin sees the whole clinic.

Each section is a function `(scope) -> Section` registered in SECTIONS, rendered by its own
partial under templates/dashboard/. Later apps add a section with add_section() (plans: the
plans due for review), or a part of the page through the "home" slot (common.slots; the
patient portal's diary prompts), without touching the others. Every section runs a fixed
number of queries (one, or two for the pain trend), whatever the number of patients.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from .models import Assessment, Patient, Screening, TreatmentSession, User

RECENT_DAYS = 7
TREND_WEEKS = 8
LIMIT = 8  # rows per section; the rest is counted, and the patient list has them all
# The smallest change in a 0–10 pain score that patients feel as a real change: about 2 points
# (Farrar JT et al. Pain 2001;94:149–158; Salaffi F et al. Eur J Pain 2004;8:283–291).
NPRS_MEANINGFUL_FALL = 2
TREND_MIN_SCORES = 3


@dataclass(frozen=True)
class Scope:
    """Whose work the dashboard shows: the user's own, or (a clinic admin) the clinic's."""

    user: User
    today: date
    whole_clinic: bool

    @classmethod
    def of(cls, user: User) -> "Scope":
        return cls(user=user, today=timezone.localdate(), whole_clinic=user.is_clinic_admin)

    @property
    def clinic(self) -> Any:
        return self.user.clinic

    def mine(self, queryset: QuerySet, *, by: str, clinic: str = "patient__clinic") -> QuerySet:
        queryset = queryset.filter(**{clinic: self.clinic})
        return queryset if self.whole_clinic else queryset.filter(**{by: self.user})


@dataclass(frozen=True)
class Item:
    patient: Patient
    text: str
    url: str
    action: str  # what the link does, for its label ("Sign the note")
    when: date | None = None
    urgent: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)
    more: int = 0  # items past LIMIT
    template: str = "dashboard/_section.html"


def cut(key: str, title: str, empty: str, items: list[Item]) -> Section:
    """A section showing the first LIMIT items and counting the rest."""
    return Section(key, title, empty, items[:LIMIT], max(0, len(items) - LIMIT))


def recent_patients(scope: Scope) -> Section:
    """Patients seen today or in the last week (an assessment or a session), newest first."""
    since = scope.today - timedelta(days=RECENT_DAYS)
    assessments = scope.mine(
        Assessment.objects.filter(assessed_on__gte=since, patient__archived_at__isnull=True),
        by="therapist",
    ).select_related("patient")
    sessions = scope.mine(
        TreatmentSession.objects.filter(session_date__gte=since, patient__archived_at__isnull=True),
        by="therapist",
    ).select_related("patient")
    latest: dict[int, tuple[date, str, Patient]] = {}
    for record in [*assessments, *sessions]:
        on = getattr(record, "assessed_on", None) or record.session_date
        what = "assessment" if isinstance(record, Assessment) else "session"
        if record.patient_id not in latest or latest[record.patient_id][0] < on:
            latest[record.patient_id] = (on, what, record.patient)
    rows = sorted(latest.values(), key=lambda row: (row[0], row[2].pk), reverse=True)
    items = [
        Item(
            patient=patient,
            text=f"{'Today' if on == scope.today else on.strftime('%-d %b')}: {what}",
            url=patient.get_absolute_url(),
            action="Open the record",
            when=on,
        )
        for on, what, patient in rows
    ]
    return cut("recent", "Today and recent patients", "Nobody seen in the last week.", items)


def unsigned_notes(scope: Scope) -> Section:
    """Session notes not yet signed, oldest first (the longer unsigned, the more it matters)."""
    sessions = (
        scope.mine(TreatmentSession.objects.filter(signed_at__isnull=True), by="therapist")
        .select_related("patient")
        .order_by("session_date", "pk")
    )
    items = [
        Item(
            patient=s.patient,
            text=f"Session of {s.session_date:%-d %b %Y}",
            url=f"{s.get_absolute_url()}#signature",
            action="Review and sign",
            when=s.session_date,
            urgent=(scope.today - s.session_date).days > 1,
        )
        for s in sessions
    ]
    return cut("unsigned", "Unsigned notes", "Every note is signed.", items)


def red_flags_awaiting(scope: Scope) -> Section:
    """Screenings with a sign that holds treatment back and no decision recorded yet."""
    screenings = (
        scope.mine(Screening.objects.unresolved(), by="screened_by")
        .select_related("patient")
        .order_by("screened_on", "pk")
    )
    items = [
        Item(
            patient=s.patient,
            text=f"{s.describe().capitalize()}: {s.level_label.lower()}",
            url=f"{s.get_absolute_url()}#red-flags",
            action="Record a decision",
            when=s.screened_on,
            urgent=True,
        )
        for s in screenings
    ]
    return cut("red_flags", "Red flags awaiting a decision", "No red flag is waiting.", items)


def not_improving(scores: list[int]) -> bool:
    """Pain is not improving when there are at least three pain scores (0–10, oldest first)
    and the latest is not at least NPRS_MEANINGFUL_FALL points below the first."""
    if len(scores) < TREND_MIN_SCORES:
        return False
    return scores[0] - scores[-1] < NPRS_MEANINGFUL_FALL


def pain_not_improving(scope: Scope) -> Section:
    """Patients whose pain before treatment, over the sessions of the last TREND_WEEKS weeks,
    has not fallen by a meaningful amount (not_improving). One query for the scores; the
    patients come with them."""
    since = scope.today - timedelta(weeks=TREND_WEEKS)
    patients = scope.mine(Patient.objects.active(), by="sessions__therapist", clinic="clinic")
    sessions = (
        TreatmentSession.objects.filter(session_date__gte=since, patient__in=patients.values("pk"))
        .select_related("patient")
        .order_by("patient_id", "session_date", "pk")
    )
    scores: dict[int, list[TreatmentSession]] = {}
    for session in sessions:
        scores.setdefault(session.patient_id, []).append(session)
    items = []
    for rows in scores.values():
        values = [s.pre_nprs for s in rows]
        if not_improving(values):
            patient = rows[-1].patient
            items.append(
                Item(
                    patient=patient,
                    text=f"Pain {' → '.join(str(v) for v in values)} over {len(values)} sessions",
                    url=reverse("patients:progress", args=[patient.pk]),
                    action="See the progress",
                    when=rows[-1].session_date,
                )
            )
    items.sort(key=lambda item: item.when, reverse=True)
    return cut(
        "not_improving",
        "Pain not improving",
        f"Nobody's pain has stalled over {TREND_MIN_SCORES} or more sessions in the last "
        f"{TREND_WEEKS} weeks.",
        items,
    )


# In the order they show. Later apps add theirs with add_section() in their AppConfig.ready()
# (plans: plans due for review).
SECTIONS: list[Callable[[Scope], Section]] = [
    red_flags_awaiting,
    unsigned_notes,
    recent_patients,
    pain_not_improving,
]


def add_section(section: Callable[[Scope], Section], *, before: Callable | None = None) -> None:
    """Show `section` on the dashboard, before the section `before` (last when None)."""
    if section in SECTIONS:
        return
    SECTIONS.insert(SECTIONS.index(before) if before else len(SECTIONS), section)


def dashboard(user: User) -> list[Section]:
    if user.clinic_id is None:
        return []
    scope = Scope.of(user)
    return [section(scope) for section in SECTIONS]

"""What the diary says since the last visit, for the session form and the progress page.

`summarise` is a pure function over plain data; `since_last_visit(patient)` and
`diary_series(patient)` read the record in a fixed number of queries, however long the diary.

Adherence per item = days the item was ticked done ÷ days it was on the patient's programme
in the period (from the day after the last visit, or the day the link was made if later, to
today). Per strand and overall: the same over item-days. The overall share sets the suggested
home-programme adherence of the session (patients.course.adherence_level), which the therapist
confirms; that recorded value is what the course and the plan rules read.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.utils import timezone

from patients.course import adherence_level
from patients.models import Patient, TreatmentSession
from plans.content import ItemContent, PlanContent
from plans.models import Strand

from .models import DiaryDay, DiaryTick, PatientLink


def item_key(item: ItemContent, index: int) -> str:
    """The diary's name for an item of an issued version: its plan key, or its place in a
    version issued before items carried one."""
    return item.key or f"item-{index}"


def home_items(content: PlanContent) -> list[tuple[str, ItemContent]]:
    """The items the patient does at home (not the clinic-only ones), with their diary keys."""
    return [
        (item_key(item, i), item) for i, item in enumerate(content.items) if not item.clinic_only
    ]


@dataclass(frozen=True)
class ItemAdherence:
    key: str
    title: str
    strand: str
    done: int  # days ticked done
    days: int  # days it was on the programme in the period
    worse: int  # days flagged "this made it worse"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.days) if self.days else 0


@dataclass(frozen=True)
class StrandAdherence:
    strand: str
    title: str
    done: int
    expected: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.expected) if self.expected else 0


@dataclass(frozen=True)
class DiarySummary:
    since: date
    until: date
    items: list[ItemAdherence]
    strands: list[StrandAdherence]
    pain: list[tuple[date, int]]  # the diary's daily pain scores
    notes: list[tuple[date, str]]
    flagged: list[ItemAdherence] = field(default_factory=list)  # made it worse at least once
    level: str = ""  # the TreatmentSession.Adherence value the diary suggests, "" for none
    last_visit: date | None = None  # the session before the period

    @property
    def done(self) -> int:
        return sum(s.done for s in self.strands)

    @property
    def expected(self) -> int:
        return sum(s.expected for s in self.strands)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.expected) if self.expected else 0

    @property
    def level_label(self) -> str:
        return dict(TreatmentSession.Adherence.choices).get(self.level, "")


@dataclass(frozen=True)
class Programme:
    """One link's home items and the first day they count from."""

    first_day: date
    items: list[tuple[str, ItemContent]]


def summarise(
    programmes: list[Programme],
    ticks: list[tuple[date, str, bool, bool]],  # (day, item key, done, worse)
    days: list[tuple[date, int | None, str]],  # (day, pain, note)
    *,
    since: date,
    until: date,
) -> DiarySummary:
    """The diary between `since` and `until` (both included) as adherence and pain."""
    first_day: dict[str, date] = {}
    titles: dict[str, ItemContent] = {}
    for programme in programmes:
        for key, item in programme.items:
            start = max(since, programme.first_day)
            if key not in first_day or start < first_day[key]:
                first_day[key] = start
            titles[key] = item  # the latest version's wording
    done: dict[str, int] = defaultdict(int)
    worse: dict[str, int] = defaultdict(int)
    for day, key, is_done, is_worse in ticks:
        if since <= day <= until and key in first_day:
            done[key] += is_done
            worse[key] += is_worse
    items = [
        ItemAdherence(
            key,
            titles[key].title,
            titles[key].strand,
            done[key],
            max(0, (until - first_day[key]).days + 1),
            worse[key],
        )
        for key in titles
    ]
    strands = []
    for value, label in Strand.choices:
        mine = [i for i in items if i.strand == value]
        if mine:
            strands.append(
                StrandAdherence(value, label, sum(i.done for i in mine), sum(i.days for i in mine))
            )
    in_period = [(d, p, n) for d, p, n in days if since <= d <= until]
    total_done = sum(s.done for s in strands)
    total_expected = sum(s.expected for s in strands)
    return DiarySummary(
        since=since,
        until=until,
        items=items,
        strands=strands,
        pain=[(d, p) for d, p, _ in in_period if p is not None],
        notes=[(d, n) for d, _, n in in_period if n],
        flagged=[i for i in items if i.worse],
        level=adherence_level(total_done, total_expected),
    )


def _programmes(links: list[PatientLink]) -> list[Programme]:
    return [
        Programme(link.first_day, home_items(PlanContent.from_json(link.version.content)))
        for link in links
    ]


def since_last_visit(patient: Patient, *, today: date | None = None) -> DiarySummary | None:
    """The diary since the patient's last session (or since their first link), or None when
    they have no link. One query without a link; four with: the links with their versions,
    the last session, the ticks, the days."""
    today = today or timezone.localdate()
    links = list(
        PatientLink.objects.filter(patient=patient, created_at__date__lte=today)
        .select_related("version")
        .order_by("created_at")
    )
    if not links:
        return None
    last = (
        TreatmentSession.objects.filter(patient=patient, session_date__lt=today)
        .order_by("-session_date", "-pk")
        .values_list("session_date", flat=True)
        .first()
    )
    since = last + timedelta(days=1) if last else date.min
    since = max(since, min(link.first_day for link in links))
    links = [link for link in links if _open_on(link, since)]
    ticks = DiaryTick.objects.filter(patient=patient, day__gte=since, day__lte=today)
    days = DiaryDay.objects.filter(patient=patient, day__gte=since, day__lte=today)
    summary = summarise(
        _programmes(links),
        list(ticks.values_list("day", "item_key", "done", "worse")),
        list(days.values_list("day", "pain", "note")),
        since=since,
        until=today,
    )
    return replace(summary, last_visit=last)


def _open_on(link: PatientLink, since: date) -> bool:
    """Was the link open at some point of the period (a link revoked before it is left out)?"""
    return link.revoked_at is None or timezone.localdate(link.revoked_at) >= since


def _last_day(link: PatientLink) -> date:
    """The last day the link could take entries (its expiry or revocation)."""
    closed = min(filter(None, [link.expires_at, link.revoked_at]))
    return timezone.localdate(closed)


@dataclass(frozen=True)
class DiarySeries:
    pain: list[tuple[date, int]]
    adherence: list[tuple[date, int]]  # per week (its Monday): % of home item-days done


def diary_series(patient: Patient, *, today: date | None = None) -> DiarySeries:
    """The whole diary: daily pain, and weekly adherence. Three queries."""
    today = today or timezone.localdate()
    links = list(
        PatientLink.objects.filter(patient=patient).select_related("version").order_by("pk")
    )
    if not links:
        return DiarySeries([], [])
    pain = list(
        DiaryDay.objects.filter(patient=patient, pain__isnull=False)
        .order_by("day")
        .values_list("day", "pain")
    )
    ticks = list(
        DiaryTick.objects.filter(patient=patient, done=True).values_list("day", "item_key")
    )
    weeks = []
    start = min(link.first_day for link in links)
    end = min(today, max(_last_day(link) for link in links))
    monday = start - timedelta(days=start.weekday())
    programmes = _programmes(links)
    while monday <= end:
        week = summarise(
            programmes,
            [(d, k, True, False) for d, k in ticks],
            [],
            since=max(monday, start),
            until=min(monday + timedelta(days=6), end),
        )
        if week.expected:
            weeks.append((monday, week.percent))
        monday += timedelta(days=7)
    return DiarySeries(pain, weeks)

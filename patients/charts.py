"""Line charts as plain geometry: series of (date, value) in, SVG coordinates out.

Pure functions over plain data, no queries and no templates: `templates/patients/_line_chart.html`
draws the result as inline SVG with a legend and a data table.

Dates map to x proportionally (a gap of three weeks is three times as wide as a gap of one);
values map to y with 0 at the bottom, so y is inverted against SVG's downward axis. One chart
holds one measure (one value axis); series on it are views of that measure (pain at an
assessment, before and after a session).

Readable with one point and with fifty: a lone date sits mid-axis with its value written beside
the marker; markers shrink as dates crowd the axis; markers of different series on the same
date are set side by side (`DODGE` apart) instead of on top of each other.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

# Up to three series are told apart by line dash and marker shape as well as colour.
SHAPES = ("circle", "square", "diamond")
DASHES = ("", "6 3", "2 3")
MARKER_RADIUS = 4.0

# Room around the plot for the axis labels, in SVG user units.
MARGIN_LEFT = 36.0
MARGIN_RIGHT = 16.0
MARGIN_TOP = 12.0
MARGIN_BOTTOM = 28.0

MAX_X_TICKS = 5
DODGE = 7.0  # x distance between markers of different series on one date
LABEL_VALUES_UP_TO = 3  # dates on the axis up to which every marker has its value written
CROWDED_SPACING = 14.0  # below this x distance between dates, markers shrink


@dataclass(frozen=True)
class Threshold:
    """A reference line across the chart, e.g. the Nijmegen cut-off at 23."""

    value: float
    label: str


@dataclass(frozen=True)
class Series:
    """One line: a name for the legend and its (date, value) points, in any order."""

    name: str
    points: Sequence[tuple[date, float]]


@dataclass(frozen=True)
class ChartPoint:
    """One plotted value of a line chart, drawn as a small shape (not a body-map marker:
    those are triggerpoints.bodymap.Marker)."""

    x: float
    y: float
    on: date
    value: float
    label: str  # "Pain before the session, 9 Nov 2026: 6"
    path: str  # SVG path data drawing the marker's shape around (x, y)
    value_text: str = ""  # written beside the marker when the chart has few dates


@dataclass(frozen=True)
class PlottedSeries:
    name: str
    index: int  # 0, 1, 2...: picks the colour class, dash and shape
    shape: str
    dash: str
    polyline: str  # "x,y x,y ..." in date order; empty with fewer than two points
    markers: list[ChartPoint]
    legend_path: str  # the marker's shape for a 28 x 12 legend swatch


@dataclass(frozen=True)
class Tick:
    position: float  # x for a date tick, y for a value tick
    label: str


@dataclass(frozen=True)
class TableRow:
    on: date
    cells: list[str]  # one per series, "—" where the series has no value that day


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    y_max: float
    series: list[PlottedSeries]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    table: list[TableRow] = field(default_factory=list)
    band: tuple[float, float] | None = None  # the normal range as (top y, bottom y), if any
    y_min: float = 0

    thresholds: list[Tick] = field(default_factory=list)  # y position and label
    note: str = ""  # e.g. "One measurement so far: a trend needs a second."

    @property
    def is_empty(self) -> bool:
        return not any(s.markers for s in self.series)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def plot_width(self) -> float:
        return round(self.right - self.left, 1)

    @property
    def band_height(self) -> float:
        return round(self.band[1] - self.band[0], 1) if self.band else 0


def line_chart(
    series: Sequence[Series],
    *,
    width: int = 640,
    height: int = 240,
    y_max: float,
    title: str = "",
    chart_id: str = "chart",
    y_min: float = 0,
    band: tuple[float | None, float | None] | None = None,
    thresholds: Sequence[Threshold] = (),
) -> Chart:
    """Lay out `series` on one date axis and one value axis from `y_min` (0) to `y_max`, with
    `band` (low, high; either may be None for "to the edge") shaded as the normal range.

    With no points at all the chart is empty (`is_empty`), with the value axis only. A single
    date sits in the middle of the date axis. Values above `y_max` are drawn at the top edge;
    the data table still gives them exactly.
    """
    if y_max <= y_min:
        raise ValueError("y_max must be above y_min.")
    left, top = MARGIN_LEFT, MARGIN_TOP
    right, bottom = width - MARGIN_RIGHT, height - MARGIN_BOTTOM
    dates = sorted({on for s in series for on, _ in s.points})
    first, last = (dates[0], dates[-1]) if dates else (None, None)

    def x_of(on: date) -> float:
        if first is None or first == last:
            return round((left + right) / 2, 1)
        return round(left + (on - first).days / (last - first).days * (right - left), 1)

    def y_of(value: float) -> float:
        share = (min(max(value, y_min), y_max) - y_min) / (y_max - y_min)
        return round(bottom - share * (bottom - top), 1)

    shaded = None
    if band is not None:
        low = y_min if band[0] is None else band[0]
        high = y_max if band[1] is None else band[1]
        shaded = (y_of(high), y_of(low))

    # Same-date markers of different series side by side: each series' offset on each date.
    on_date: dict[date, list[int]] = {}
    for index, one in enumerate(series):
        for on in sorted({on for on, _ in one.points}):
            on_date.setdefault(on, []).append(index)

    def dodge(index: int, on: date) -> float:
        present = on_date[on]
        return (present.index(index) - (len(present) - 1) / 2) * DODGE

    gaps = [x_of(b) - x_of(a) for a, b in zip(dates, dates[1:], strict=False)]
    crowded = bool(gaps) and min(gaps) < CROWDED_SPACING
    radius = MARKER_RADIUS * 0.6 if crowded else MARKER_RADIUS
    label_values = len(dates) <= LABEL_VALUES_UP_TO

    plotted = []
    for index, one in enumerate(series):
        shape, dash = SHAPES[index % len(SHAPES)], DASHES[index % len(DASHES)]
        markers = []
        for on, value in sorted(one.points, key=lambda point: point[0]):
            x, y = round(x_of(on) + dodge(index, on), 1), y_of(value)
            markers.append(
                ChartPoint(
                    x=x,
                    y=y,
                    on=on,
                    value=value,
                    label=f"{one.name}, {format_date(on)}: {format_value(value)}",
                    path=marker_path(shape, x, y, radius),
                    value_text=format_value(value) if label_values else "",
                )
            )
        polyline = " ".join(f"{m.x:g},{m.y:g}" for m in markers) if len(markers) > 1 else ""
        plotted.append(
            PlottedSeries(
                one.name, index, shape, dash, polyline, markers, marker_path(shape, 14, 6)
            )
        )
    note = ""
    if len(dates) == 1:
        note = "One date so far: the line starts with the next measurement."

    return Chart(
        chart_id=chart_id,
        title=title,
        description=describe(series),
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        y_max=y_max,
        series=plotted,
        x_ticks=[
            Tick(x_of(on), format_date(on, with_year=_spans_years(dates)))
            for on in date_ticks(dates)
        ],
        y_ticks=[
            Tick(y_of(value), format_value(value)) for value in value_ticks(y_max, y_min=y_min)
        ],
        table=data_table(series),
        band=shaded,
        y_min=y_min,
        thresholds=[Tick(y_of(t.value), t.label) for t in thresholds if y_min < t.value <= y_max],
        note=note,
    )


def date_ticks(dates: Sequence[date], most: int = MAX_X_TICKS) -> list[date]:
    """Evenly spaced dates from the first to the last (both included), at most `most` of them,
    never more than there are days."""
    if not dates:
        return []
    first, last = min(dates), max(dates)
    span = (last - first).days
    if span == 0:
        return [first]
    count = min(most, span + 1)
    days = sorted({round(i * span / (count - 1)) for i in range(count)})
    return [date.fromordinal(first.toordinal() + d) for d in days]


def value_ticks(y_max: float, most: int = 6, *, y_min: float = 0) -> list[float]:
    """0 (or the first round step from `y_min`), a round step (1, 2 or 5 times a power of ten),
    ... up to `y_max`, at most `most`."""
    step = nice_step(y_max - y_min, most - 1)
    first = math.ceil(y_min / step - 1e-9)
    count = math.floor(y_max / step + 1e-9)
    return [round(i * step, 10) for i in range(first, count + 1)]


def nice_step(span: float, intervals: int) -> float:
    raw = span / max(intervals, 1)
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw - 1e-9:
            return multiple * power
    return 10 * power  # pragma: no cover - the loop always returns


def nice_ceiling(value: float, minimum: float = 1) -> float:
    """The smallest of 1, 2, 5, 10, 20, 50... times the order of `value` that is >= it: a tidy
    top for an axis whose data has no fixed range (e.g. the number of painful regions)."""
    value = max(value, minimum)
    power = 10 ** math.floor(math.log10(value))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= value - 1e-9:
            return multiple * power
    return 10 * power  # pragma: no cover


def data_table(series: Sequence[Series]) -> list[TableRow]:
    """One row per date, oldest first; a series with two values on one date shows both."""
    by_date: dict[date, list[list[str]]] = {}
    for index, one in enumerate(series):
        for on, value in sorted(one.points, key=lambda point: point[0]):
            row = by_date.setdefault(on, [[] for _ in series])
            row[index].append(format_value(value))
    return [
        TableRow(on, [", ".join(values) or "—" for values in cells])
        for on, cells in sorted(by_date.items())
    ]


def describe(series: Sequence[Series]) -> str:
    """A sentence per series for screen readers: how many points, first and last value."""
    parts = []
    for one in series:
        points = sorted(one.points, key=lambda point: point[0])
        if not points:
            parts.append(f"{one.name}: nothing recorded.")
        elif len(points) == 1:
            ((on, value),) = points
            parts.append(f"{one.name}: {format_value(value)} on {format_date(on)}.")
        else:
            (start, first), (end, last) = points[0], points[-1]
            parts.append(
                f"{one.name}: {len(points)} values, from {format_value(first)} on "
                f"{format_date(start)} to {format_value(last)} on {format_date(end)}."
            )
    return " ".join(parts)


def marker_path(shape: str, x: float, y: float, r: float = MARKER_RADIUS) -> str:
    if shape == "square":
        s = r * 0.9
        return f"M{x - s:g},{y - s:g}h{2 * s:g}v{2 * s:g}h{-2 * s:g}z"
    if shape == "diamond":
        d = r * 1.25
        return f"M{x:g},{y - d:g}L{x + d:g},{y:g}L{x:g},{y + d:g}L{x - d:g},{y:g}z"
    return f"M{x - r:g},{y:g}a{r:g},{r:g} 0 1,0 {2 * r:g},0a{r:g},{r:g} 0 1,0 {-2 * r:g},0z"


def format_value(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def format_date(on: date, *, with_year: bool = True) -> str:
    text = f"{on.day} {on:%b}"
    return f"{text} {on.year}" if with_year else text


def _spans_years(dates: Sequence[date]) -> bool:
    """Tick labels carry the year when the axis crosses a new year, or holds a single date."""
    return bool(dates) and (dates[0].year != dates[-1].year or len(dates) == 1)

"""Chart geometry: pure functions, no database."""

import datetime

import pytest

from patients.charts import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    Series,
    date_ticks,
    line_chart,
    nice_ceiling,
    value_ticks,
)

D = datetime.date
WIDTH, HEIGHT = 400, 200
LEFT, RIGHT = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
TOP, BOTTOM = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM


def chart(*series: Series, y_max: float = 10):  # noqa: ANN201
    return line_chart(list(series), width=WIDTH, height=HEIGHT, y_max=y_max, title="Pain")


def test_dates_are_spaced_in_proportion_to_the_days_between_them() -> None:
    # 1 Nov, 4 Nov (3 days later), 13 Nov (9 days after that): gaps of 1/4 and 3/4 of the axis.
    result = chart(Series("NPRS", [(D(2026, 11, 13), 2), (D(2026, 11, 1), 8), (D(2026, 11, 4), 5)]))
    xs = [m.x for m in result.series[0].markers]
    assert xs[0] == LEFT and xs[-1] == RIGHT
    assert xs[1] == pytest.approx(LEFT + (RIGHT - LEFT) / 4, abs=0.1)
    assert [m.on for m in result.series[0].markers] == [
        D(2026, 11, 1),
        D(2026, 11, 4),
        D(2026, 11, 13),
    ]


def test_values_run_up_the_chart_so_svg_y_is_inverted() -> None:
    result = chart(Series("NPRS", [(D(2026, 11, 1), 0), (D(2026, 11, 2), 5), (D(2026, 11, 3), 10)]))
    ys = [m.y for m in result.series[0].markers]
    assert ys[0] == BOTTOM and ys[2] == TOP
    assert ys[1] == pytest.approx((TOP + BOTTOM) / 2, abs=0.1)
    assert ys[0] > ys[1] > ys[2]


def test_polyline_joins_the_markers_in_date_order() -> None:
    result = chart(Series("NPRS", [(D(2026, 11, 3), 10), (D(2026, 11, 1), 0)]))
    assert result.series[0].polyline == f"{LEFT:g},{BOTTOM:g} {RIGHT:g},{TOP:g}"


def test_series_share_one_date_axis() -> None:
    early = Series("At assessment", [(D(2026, 10, 1), 7)])
    late = Series("Before the session", [(D(2026, 10, 11), 6), (D(2026, 10, 31), 4)])
    result = chart(early, late)
    assert result.series[0].markers[0].x == LEFT
    assert result.series[1].markers[0].x == pytest.approx(LEFT + (RIGHT - LEFT) / 3, abs=0.1)
    assert result.series[1].markers[1].x == RIGHT


def test_a_single_point_sits_in_the_middle_without_a_line() -> None:
    result = chart(Series("NPRS", [(D(2026, 11, 2), 6)]))
    (marker,) = result.series[0].markers
    assert marker.x == (LEFT + RIGHT) / 2
    assert marker.y == pytest.approx(BOTTOM - 0.6 * (BOTTOM - TOP), abs=0.1)
    assert result.series[0].polyline == ""
    assert [t.label for t in result.x_ticks] == ["2 Nov 2026"]  # a lone date says its year
    assert not result.is_empty


def test_no_points_gives_an_empty_chart_that_still_describes_itself() -> None:
    result = chart(Series("NPRS", []), Series("After", []))
    assert result.is_empty
    assert result.x_ticks == [] and result.table == []
    assert [t.label for t in result.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert result.description == "NPRS: nothing recorded. After: nothing recorded."


def test_values_above_the_top_are_drawn_at_the_top_and_kept_in_the_table() -> None:
    result = chart(Series("Regions", [(D(2026, 11, 2), 12)]), y_max=10)
    assert result.series[0].markers[0].y == TOP
    assert result.table[0].cells == ["12"]


def test_y_max_must_be_above_y_min() -> None:
    with pytest.raises(ValueError, match="above y_min"):
        chart(Series("NPRS", []), y_max=0)


def test_normal_band_is_shaded_between_its_values_and_open_ends_run_to_the_edge() -> None:
    points = [(datetime.date(2026, 11, 2), 12.0), (datetime.date(2026, 11, 30), 35.0)]
    banded = line_chart([Series("Left", points)], y_max=60, height=240, band=(30, None))
    assert banded.band == (12.0, 112.0)  # from the top edge (60) down to 30, halfway
    assert banded.band_height == 100.0
    assert line_chart([Series("Left", points)], y_max=60).band is None


def test_axis_from_a_negative_minimum_has_ticks_through_zero() -> None:
    assert value_ticks(60, y_min=-30) == [-20, 0, 20, 40, 60]
    flat = line_chart([Series("Thigh", [(datetime.date(2026, 11, 2), -10.0)])], y_max=60, y_min=-30)
    assert flat.series[0].markers[0].y < flat.bottom  # -10 sits above the -30 floor


def test_y_ticks_are_round_numbers_up_to_the_top() -> None:
    assert value_ticks(10) == [0, 2, 4, 6, 8, 10]
    assert value_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert value_ticks(20) == [0, 5, 10, 15, 20]
    result = chart(Series("NPRS", [(D(2026, 11, 2), 6)]))
    assert [t.position for t in result.y_ticks][0] == BOTTOM
    assert [t.position for t in result.y_ticks][-1] == TOP


def test_date_ticks_are_evenly_spaced_and_include_both_ends() -> None:
    ticks = date_ticks([D(2026, 11, 1), D(2026, 11, 9)])
    assert ticks == [D(2026, 11, 1), D(2026, 11, 3), D(2026, 11, 5), D(2026, 11, 7), D(2026, 11, 9)]
    assert date_ticks([D(2026, 11, 1), D(2026, 11, 2)]) == [D(2026, 11, 1), D(2026, 11, 2)]
    assert date_ticks([]) == []


def test_date_tick_labels_show_the_year_only_across_a_new_year() -> None:
    same_year = chart(Series("NPRS", [(D(2026, 3, 1), 5), (D(2026, 11, 1), 4)]))
    assert same_year.x_ticks[0].label == "1 Mar"
    across = chart(Series("NPRS", [(D(2025, 12, 1), 5), (D(2026, 2, 1), 4)]))
    assert across.x_ticks[0].label == "1 Dec 2025" and across.x_ticks[-1].label == "1 Feb 2026"


def test_data_table_has_a_row_per_date_and_a_cell_per_series() -> None:
    pre = Series("Before", [(D(2026, 11, 2), 6), (D(2026, 11, 9), 5), (D(2026, 11, 9), 4)])
    post = Series("After", [(D(2026, 11, 2), 3)])
    extent = Series("Extent", [(D(2026, 11, 2), 1.2)])
    result = chart(pre, post, extent)
    assert [(row.on, row.cells) for row in result.table] == [
        (D(2026, 11, 2), ["6", "3", "1.2"]),
        (D(2026, 11, 9), ["5, 4", "—", "—"]),
    ]


def test_series_are_told_apart_by_shape_and_dash_not_only_colour() -> None:
    result = chart(*(Series(name, [(D(2026, 11, 2), 1)]) for name in ("a", "b", "c")))
    assert len({s.shape for s in result.series}) == 3
    assert len({s.dash for s in result.series}) == 3
    assert len({s.markers[0].path for s in result.series}) == 3


def test_markers_and_description_give_the_numbers_in_words() -> None:
    result = chart(Series("Pain before the session", [(D(2026, 11, 2), 6), (D(2026, 11, 9), 3)]))
    assert result.series[0].markers[0].label == "Pain before the session, 2 Nov 2026: 6"
    assert result.description == (
        "Pain before the session: 2 values, from 6 on 2 Nov 2026 to 3 on 9 Nov 2026."
    )


def test_nice_ceiling_rounds_up_to_one_two_or_five() -> None:
    assert nice_ceiling(3, minimum=5) == 5
    assert nice_ceiling(7) == 10
    assert nice_ceiling(12) == 20
    assert nice_ceiling(0) == 1


def test_a_single_point_is_readable_on_its_own() -> None:
    from patients.charts import Series, line_chart

    chart = line_chart([Series("Pain", [(datetime.date(2026, 11, 2), 6)])], y_max=10)
    (marker,) = chart.series[0].markers
    assert marker.value_text == "6"  # written beside the lone dot
    assert chart.note.startswith("One date so far")
    assert [t.label for t in chart.x_ticks] == ["2 Nov 2026"]


def test_fifty_points_get_smaller_markers_and_no_value_labels() -> None:
    from datetime import timedelta

    from patients.charts import MARKER_RADIUS, Series, line_chart

    days = [datetime.date(2026, 1, 5) + timedelta(weeks=n) for n in range(50)]
    chart = line_chart([Series("Pain", [(d, n % 10) for n, d in enumerate(days)])], y_max=10)
    markers = chart.series[0].markers
    assert len(markers) == 50 and not any(m.value_text for m in markers)
    assert f"a{MARKER_RADIUS:g}," not in markers[0].path  # shrunk
    assert len(chart.x_ticks) <= 5 and not chart.note


def test_same_day_markers_of_two_series_sit_side_by_side() -> None:
    from patients.charts import DODGE, Series, line_chart

    same_day = datetime.date(2026, 11, 9)
    chart = line_chart(
        [
            Series("At the assessment", [(same_day, 6)]),
            Series("Before the session", [(same_day, 6), (datetime.date(2026, 11, 16), 4)]),
        ],
        y_max=10,
    )
    assessment = chart.series[0].markers[0]
    session = chart.series[1].markers[0]
    assert assessment.y == session.y
    assert round(session.x - assessment.x, 1) == DODGE
    # a date with one series keeps its place
    assert chart.series[1].markers[1].x == chart.right

"""`{% body_map %}` draws a map once and sends the kept SVG for an equal map after."""

import dataclasses
from unittest import mock

import pytest
from django.template import Context, Template

from triggerpoints.bodymap import build_body_map, region_labels
from triggerpoints.bodymap_shapes import FIGURE_VERSION
from triggerpoints.templatetags import body_maps

pytestmark = pytest.mark.django_db

PAGE = Template("{% load body_maps %}{% body_map map %}")


def draw(marked: list[str]) -> str:
    return PAGE.render(
        Context({"map": build_body_map(labels=region_labels(), marked=marked, label="Pain")})
    )


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    body_maps.clear()


def test_an_equal_map_is_drawn_once_and_sent_the_same() -> None:
    with mock.patch.object(body_maps, "_render", wraps=body_maps._render) as rendered:
        first = draw(["lat.head.temple.l"])
        second = draw(["lat.head.temple.l"])
    assert first == second
    assert rendered.call_count == 1
    assert 'data-region="lat.head.temple.l"' in first and "is-marked" in first


def test_a_different_marking_is_drawn_afresh() -> None:
    temple, neck = draw(["lat.head.temple.l"]), draw(["post.neck.upper.l"])
    assert temple != neck
    marked = [line for line in neck.splitlines() if "is-marked" in line]
    assert len(marked) == 1 and "post.neck.upper.l" in marked[0]


def test_at_most_keep_maps_are_kept() -> None:
    codes = list(region_labels())[: body_maps.KEEP + 5]
    for code in codes:
        draw([code])
    assert len(body_maps._rendered) == body_maps.KEEP


def test_a_redrawn_figure_is_drawn_afresh() -> None:
    """The figure's version (a digest of every shape) is part of the map, so a kept drawing of
    the old figure is never sent for the new one."""
    old = build_body_map(labels=region_labels(), label="Pain")
    new = dataclasses.replace(old, figure="redrawn")
    with mock.patch.object(body_maps, "_render", wraps=body_maps._render) as rendered:
        drawn_old = PAGE.render(Context({"map": old}))
        drawn_new = PAGE.render(Context({"map": new}))
    assert rendered.call_count == 2
    assert f'data-figure="{FIGURE_VERSION}"' in drawn_old
    assert 'data-figure="redrawn"' in drawn_new

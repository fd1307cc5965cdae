"""`{% body_map map %}`: the body map include (`includes/_body_map.html`), rendered once per
distinct map and kept in this process.

A `BodyMap` is a frozen value holding everything the drawing shows (the shapes, each region's
state and label, the markers), so two equal maps draw the same SVG: the rendered SVG is kept
under the map itself, and a changed catalogue label, a new marking or redrawn shapes (the map's
`figure`, a digest of every shape) make a different map and a fresh render. The most recently
used KEEP maps are kept.
"""

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from common.kept import Kept

from ..bodymap import BodyMap

register = template.Library()

TEMPLATE = "includes/_body_map.html"
KEEP = 64

_rendered = Kept(KEEP)


@register.simple_tag
def body_map(map: BodyMap) -> SafeString:  # noqa: A002  (the include's own name for it)
    try:
        hash(map)
    except TypeError:  # a map holding lists: drawn every time
        return _render(map)
    if settings.DEBUG:  # an edited _body_map.html shows without a restart
        return _render(map)
    html = _rendered.get(map, lambda: _render(map))
    return mark_safe(html)  # noqa: S308  (rendered by the template, escaped there)


def _render(map: BodyMap) -> SafeString:  # noqa: A002
    return get_template(TEMPLATE).render({"map": map})


def clear() -> None:
    _rendered.clear()

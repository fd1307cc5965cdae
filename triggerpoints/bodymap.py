"""Presentation of the body map: which shapes to draw, in which state, with which labels.

Views build a `BodyMap` with `build_body_map()` and hand it to `includes/_body_map.html`. The
geometry lives in `bodymap_shapes.py`; labels come from the region vocabulary.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .bodymap_shapes import OUTLINES, SHAPES, VIEW_HEIGHT, VIEW_WIDTH
from .cache import cached
from .models import BodyRegion, ReferralZone, TriggerPoint, region_label

VIEW_TITLES = {
    "front": ("Front", "Front view: the patient's right is on your left"),
    "back": ("Back", "Back view: the patient's left is on your left"),
}


@dataclass(frozen=True)
class MapRegion:
    code: str
    label: str
    d: str
    state: str  # "", "marked", "essential" or "spillover"
    band: str = ""  # pain intensity band of a marked region: "low", "mid", "high" or ""
    x: float = 0  # a point well inside the region: arrow keys move between neighbours by it
    y: float = 0


def intensity_band(intensity: int | None) -> str:
    """0–3 low, 4–6 mid, 7–10 high: how strongly a marked region is shaded."""
    if intensity is None:
        return ""
    return "low" if intensity <= 3 else "mid" if intensity <= 6 else "high"


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class MapView:
    name: str
    title: str
    caption: str
    outline: str
    regions: tuple[MapRegion, ...]
    markers: tuple[Marker, ...]


@dataclass(frozen=True)
class BodyMap:
    views: tuple[MapView, ...]
    interactive: bool
    field_name: str
    label: str
    width: int = VIEW_WIDTH
    height: int = VIEW_HEIGHT
    legend: tuple[str, ...] = field(default=())

    @property
    def tab_stop(self) -> str:
        """The one region in the Tab order (the rest are reached with the arrow keys)."""
        return first_stop(self)


@dataclass(frozen=True)
class RegionInfo:
    code: str
    label: str  # e.g. "Temple (patient's left)"
    group: str  # coarse body-part bucket, e.g. "head"


def region_index() -> list[RegionInfo]:
    """Every region of the vocabulary, in body order; kept until the catalogue changes."""
    return list(cached("region_index", _read_region_index))


def _read_region_index() -> tuple[RegionInfo, ...]:
    return tuple(
        RegionInfo(code, region_label(area_label, side), group)
        for code, area_label, side, group in BodyRegion.objects.values_list(
            "code", "area__label", "side", "area__group"
        )
    )


@dataclass(frozen=True)
class RegionChoice:
    code: str
    label: str
    checked: bool


def region_groups(
    regions: list[RegionInfo], marked: set[str]
) -> list[tuple[str, list[RegionChoice]]]:
    """Regions by body-part group, for the checkbox list that goes with an interactive map
    (the way in without JavaScript; `includes/_region_checklist.html`)."""
    groups: dict[str, list[RegionChoice]] = {}
    for region in regions:
        choice = RegionChoice(region.code, region.label, region.code in marked)
        groups.setdefault(region.group, []).append(choice)
    return list(groups.items())


def region_labels() -> dict[str, str]:
    return {region.code: region.label for region in region_index()}


def build_body_map(
    *,
    labels: Mapping[str, str],
    marked: Iterable[str] = (),
    essential: Iterable[str] = (),
    spillover: Iterable[str] = (),
    markers: Iterable[tuple[str, str]] = (),
    interactive: bool = False,
    field_name: str = "regions",
    label: str = "Body map",
    intensity: Mapping[str, int] | None = None,
) -> BodyMap:
    """`markers` are (region code, text) pairs drawn as dots at the region's anchor point;
    `intensity` shades marked regions by their pain score (0–10)."""
    intensity = intensity or {}
    marked, essential, spillover = set(marked), set(essential), set(spillover)
    markers = list(markers)
    anchors = {shape.code: shape for shape in SHAPES}
    views = []
    for view in ("front", "back"):
        regions = []
        for shape in SHAPES:
            if shape.view != view:
                continue
            state = (
                "marked"
                if shape.code in marked
                else "essential"
                if shape.code in essential
                else "spillover"
                if shape.code in spillover
                else ""
            )
            regions.append(
                MapRegion(
                    shape.code,
                    labels.get(shape.code, shape.code),
                    shape.d,
                    state,
                    intensity_band(intensity.get(shape.code)) if state == "marked" else "",
                    *shape.anchor,
                )
            )
        view_markers = tuple(
            Marker(anchors[code].anchor[0], anchors[code].anchor[1], text)
            for code, text in markers
            if code in anchors and anchors[code].view == view
        )
        title, caption = VIEW_TITLES[view]
        views.append(MapView(view, title, caption, OUTLINES[view], tuple(regions), view_markers))
    legend = []
    if essential:
        legend.append("essential")
    if spillover:
        legend.append("spillover")
    if markers:
        legend.append("marker")
    return BodyMap(tuple(views), interactive, field_name, label, legend=tuple(legend))


def first_stop(body_map: BodyMap) -> str:
    """The region the map's single Tab stop starts on: the first marked one, else the first."""
    regions = [r for view in body_map.views for r in view.regions]
    marked = [r.code for r in regions if r.state == "marked"]
    return marked[0] if marked else regions[0].code if regions else ""


def trigger_point_map(
    point: TriggerPoint, zones: Iterable[ReferralZone], *, side: str, labels: Mapping[str, str]
) -> BodyMap:
    """A trigger point's referral pattern drawn for a trigger point on `side` ("l" or "r"):
    essential zones strong, spillover zones light, and a dot where the trigger point lies."""
    from .ranking import Zone, expand

    codes: dict[str, list[str]] = {kind: [] for kind in ReferralZone.Kind.values}
    for zone in zones:
        codes[zone.kind].extend(expand(Zone(zone.area.code, zone.laterality), side))
    area = point.location_area
    location = f"{area.code}.{side}" if area.sided else area.code
    side_words = "left" if side == "l" else "right"
    return build_body_map(
        labels=labels,
        essential=codes[ReferralZone.Kind.ESSENTIAL],
        spillover=codes[ReferralZone.Kind.SPILLOVER],
        markers=[(location, f"Trigger point: {point.label}")],
        label=f"Referral pattern of {point.muscle.name}, {point.label}, on the patient's "
        f"{side_words}",
    )

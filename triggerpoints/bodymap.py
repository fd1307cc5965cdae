"""Presentation of the body map: which shapes to draw, in which state, with which labels.

The one home of the map's display pieces (`Marker`, `MapView`, `BodyMap`) for every app: views
build a `BodyMap` with `build_body_map()` and draw it with `{% body_map %}`
(`includes/_body_map.html`); the plan PDF and the patient portal draw the same `BodyMap`'s views
with the same `includes/_body_map_view.html`. The geometry lives in `bodymap_shapes.py`; labels
come from the region vocabulary.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .bodymap_shapes import FIGURE_VERSION, OUTLINES, SHAPES, VIEW_HEIGHT, VIEW_WIDTH
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


# Pain intensity (0 to 10) in three bands, shaded from light to dark on the map: (highest
# score in the band, band, the band in words).
PAIN_BANDS = (
    (3, "low", "0 to 3"),
    (6, "mid", "4 to 6"),
    (10, "high", "7 to 10"),
)


def intensity_band(intensity: int | None) -> str:
    """0–3 low, 4–6 mid, 7–10 high: how strongly a marked region is shaded."""
    if intensity is None:
        return ""
    return next(band for top, band, _ in PAIN_BANDS if intensity <= top)


_ANCHORS = {shape.code: shape for shape in SHAPES}


@dataclass(frozen=True)
class Marker:
    """A dot on the map where a trigger point lies: the region it lies in and what it is.
    Plans keep their treated points as markers (plans.content)."""

    region: str  # a region code
    label: str
    number: str = ""  # drawn inside the dot (the PDF numbers the treated points)

    @property
    def view(self) -> str:
        return _ANCHORS[self.region].view if self.region in _ANCHORS else ""

    @property
    def x(self) -> float:
        return _ANCHORS[self.region].anchor[0]

    @property
    def y(self) -> float:
        return _ANCHORS[self.region].anchor[1]


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
    figure: str = FIGURE_VERSION  # changes with the shapes: part of the drawing's cache key

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
    markers: Iterable[Marker] = (),
    interactive: bool = False,
    field_name: str = "regions",
    label: str = "Body map",
    intensity: Mapping[str, int] | None = None,
) -> BodyMap:
    """`markers` are drawn as dots at their region's anchor point; `intensity` shades marked
    regions by their pain score (0–10)."""
    intensity = intensity or {}
    marked, essential, spillover = set(marked), set(essential), set(spillover)
    markers = list(markers)
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
        view_markers = tuple(marker for marker in markers if marker.view == view)
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
        markers=[Marker(location, f"Trigger point: {point.label}")],
        label=f"Referral pattern of {point.muscle.name}, {point.label}, on the patient's "
        f"{side_words}",
    )

"""Geometry of the body map: a front and a back view, one closed shape per body-region code.

Each view is a stylised standing figure in anatomical position (arms slightly away from the body,
palms forward, thumbs pointing outward) in its own coordinate system,
``viewBox="0 0 VIEW_WIDTH VIEW_HEIGHT"``. The front view shows the figure facing the viewer, so
the patient's right (``.r``) is on the viewer's left; the back view shows it from behind, so the
patient's left (``.l``) is on the viewer's left. On the back view each sole is drawn as a
footprint hanging below the heel (as if the patient were kneeling), so it can be seen and clicked.

Shapes are straight-edged polygons (``M``/``L``/``Z`` only). A sided area is written once, as the
polygon on the viewer's left, and mirrored across the vertical centre line for the other side; a
midline shape is written as its viewer's-left half and completed by the same mirror. The shapes
of a view tile the figure without overlapping; ``OUTLINES`` is the silhouette drawn underneath.
"""

from collections.abc import Sequence
from dataclasses import dataclass

# The shapes are designed on a 240-wide grid (the coordinates below) and drawn 1.2 times as wide
# (`_place`), so the narrowest regions (temple, hand, sternum, lower-leg halves) are at least
# about 15 units across: at the sizes the pages draw the map (templates/includes/_body_map.html,
# static/css/myoplan.css) every region is a target of 24 px or more (WCAG 2.5.8).
_DESIGN_WIDTH = 240
_STRETCH_X = 1.2
VIEW_WIDTH = 288
VIEW_HEIGHT = 540

Point = tuple[float, float]


@dataclass(frozen=True)
class Shape:
    code: str  # full region code, e.g. "lat.head.temple.l" or "post.pelvis.sacrum"
    view: str  # "front" or "back"
    d: str  # SVG path data in the view's coordinates, closed with Z
    anchor: tuple[float, float]  # a point well inside the shape, where a marker is drawn


def _place(point: Point) -> Point:
    """From the design grid to the view: widened about the centre line."""
    x, y = point
    return (round(VIEW_WIDTH / 2 + (x - _DESIGN_WIDTH / 2) * _STRETCH_X, 2), y)


def _path(points: Sequence[Point]) -> str:
    """SVG path data for a closed polygon, placed in the view."""
    placed = [_place(p) for p in points]
    moves = [f"{'M' if i == 0 else 'L'}{x:g} {y:g}" for i, (x, y) in enumerate(placed)]
    return " ".join(moves) + " Z"


def _flip(point: Point) -> Point:
    """Reflect a point of the design grid across its vertical centre line."""
    return (_DESIGN_WIDTH - point[0], point[1])


def _mirror(points: Sequence[Point]) -> list[Point]:
    """Reflect a polygon across the vertical centre line, keeping its winding direction."""
    return [_flip(p) for p in reversed(points)]


def _symmetric(half: Sequence[Point]) -> list[Point]:
    """Complete a midline polygon from its viewer's-left half.

    ``half`` runs from a point on the centre line round the viewer's-left side to another point
    on the centre line; the mirrored half closes the loop.
    """
    return [*half, *_mirror(half[1:-1])]


def _pair(area: str, view: str, anchor: Point, points: Sequence[Point]) -> tuple[Shape, Shape]:
    """Both sides of a sided area, from its polygon on the viewer's left."""
    near, far = (".r", ".l") if view == "front" else (".l", ".r")
    return (
        Shape(area + near, view, _path(points), _place(anchor)),
        Shape(area + far, view, _path(_mirror(points)), _place(_flip(anchor))),
    )


def _midline(code: str, view: str, anchor: Point, half: Sequence[Point]) -> Shape:
    return Shape(code, view, _path(_symmetric(half)), _place(anchor))


def _outline(head: Sequence[Point], foot: Sequence[Point]) -> str:
    """The silhouette: the viewer's-left contour from the crown to the crotch, mirrored."""
    half = [
        *_CROWN, (89.5, 30), (89, 38), (89, 42), *_EAR_OUTER, (91, 62), *head,
        (104, 96), (101, 103), *_SHOULDER_LINE, *_ARM_OUTER, *_HAND, *_ARM_INNER_UP,
        *_TORSO_SIDE, *_LEG_OUTER, *foot, *_LEG_INNER_UP,
    ]  # fmt: skip
    return _path(_symmetric(half))


# fmt: off
# Coordinates are listed for the viewer's-left half of the figure. The arm there is, on the front
# view, the patient's right arm: its thumb (lateral) side has the smaller x.

# --- Contours shared by shapes and outlines ----------------------------------------------------

_CROWN: list[Point] = [(120, 8), (109, 9), (100, 12), (94, 17), (91, 23)]
_EAR_OUTER: list[Point] = [(84, 39), (80, 42), (78.5, 49), (79.5, 56), (82, 62), (87, 65)]
_SHOULDER_LINE: list[Point] = [
    (94, 108), (86, 110), (70, 114), (62, 117), (57, 122), (54, 130), (52, 140), (52, 152),
]
_ARM_OUTER: list[Point] = [(49, 175), (46, 196), (44, 206), (42, 216), (42, 228), (40, 252)]
_HAND: list[Point] = [  # wrist (thumb side), thumb, fingertips, little-finger side, wrist
    (39, 282), (36, 288), (30, 296), (27, 305), (28, 313), (32, 315), (36, 310), (36, 320),
    (37, 330), (40, 337), (45, 339), (51, 338), (56, 335), (60, 328), (62, 318), (63, 305),
    (62, 292), (58, 282),
]
_ARM_INNER_UP: list[Point] = [(62, 262), (66, 240), (68, 222), (69, 212), (71, 198), (75, 175)]
_TORSO_SIDE: list[Point] = [
    (80, 152), (83, 172), (85, 187), (86, 194), (88, 212), (88, 230), (81, 243), (77, 258),
    (76, 272), (76, 282),
]
_LEG_OUTER: list[Point] = [
    (76, 300), (77, 325), (80, 355), (83, 380), (83, 393), (87, 406), (84, 422), (85, 444),
    (87, 464), (88, 476),
]
_LEG_INNER_UP: list[Point] = [
    (108, 464), (109, 444), (110, 422), (107, 406), (110, 393), (109, 380), (110, 360),
    (113, 330), (116, 300), (120, 290),
]
_FRONT_FOOT: list[Point] = [
    (84, 488), (81, 500), (84, 509), (92, 513), (104, 513), (111, 508), (112, 498), (110, 486),
    (108, 476),
]
_HEEL_AND_SOLE: list[Point] = [
    (87, 486), (88, 494), (88, 500), (87, 508), (86, 520), (87, 531), (92, 536), (100, 537),
    (107, 535), (110, 528), (108, 520), (105, 510), (107, 502), (106, 494), (109, 486),
    (108, 476),
]

OUTLINES: dict[str, str] = {
    "front": _outline([(94, 70), (99, 76), (105, 81)], _FRONT_FOOT),
    "back": _outline([(94, 70), (99, 76), (104, 79)], _HEEL_AND_SOLE),
}

# --- Front view: (code, anchor, polygon) -------------------------------------------------------

_FRONT: tuple[Shape, ...] = (
    # Head and face.
    _midline("ant.head.forehead", "front", (120, 21), [
        *_CROWN, (102, 23), (102.5, 39.5), (103.5, 34), (106, 31), (110, 30.5), (114, 31.5),
        (116.5, 35), (117, 39.5), (116.5, 44), (114, 47.5), (120, 48)]),
    *_pair("ant.head.eye", "front", (109, 39.5), [
        (106, 31), (110, 30.5), (114, 31.5), (116.5, 35), (117, 39.5), (116.5, 44), (114, 47.5),
        (110, 48.5), (106, 48), (103.5, 45), (102.5, 39.5), (103.5, 34)]),
    *_pair("lat.head.temple", "front", (96, 35), [
        (91, 23), (102, 23), (102.5, 39.5), (102, 46), (89, 46), (89, 38), (89.5, 30)]),
    *_pair("lat.head.ear", "front", (84.5, 52), [
        (89, 42), *_EAR_OUTER, (91, 62), (89.5, 54), (89, 46)]),
    *_pair("ant.face", "front", (106, 64), [
        (89, 46), (102, 46), (102.5, 39.5), (103.5, 45), (106, 48), (110, 48.5), (114, 47.5),
        (120, 48), (120, 86), (112, 85), (105, 81),
        (99, 76), (94, 70), (91, 62), (89.5, 54)]),
    # Neck, shoulder and chest.
    *_pair("ant.neck", "front", (111, 97), [
        (105, 81), (112, 85), (120, 86), (120, 108), (94, 108), (101, 103), (104, 96)]),
    *_pair("lat.shoulder", "front", (60, 136), [
        (70, 114), (62, 117), (57, 122), (54, 130), (52, 140), (52, 152), (66, 152), (67, 138),
        (69, 124)]),
    *_pair("ant.shoulder", "front", (76, 132), [
        (86, 110), (70, 114), (69, 124), (67, 138), (66, 152), (80, 152), (84, 140), (86, 126)]),
    *_pair("ant.chest", "front", (100, 136), [
        (113, 108), (94, 108), (86, 110), (86, 126), (84, 140), (80, 152), (96, 160),
        (113, 166)]),
    _midline("ant.chest.sternum", "front", (120, 138), [
        (120, 108), (113, 108), (113, 166), (120, 172)]),
    *_pair("lat.chest", "front", (90, 182), [
        (80, 152), (96, 160), (97, 205), (88, 212), (86, 194), (85, 187), (83, 172)]),
    # Abdomen, groin and hip.
    *_pair("ant.abdomen", "front", (106, 212), [
        (96, 160), (113, 166), (120, 172), (120, 258), (104, 251), (90, 244), (88, 230),
        (88, 212), (97, 205)]),
    *_pair("lat.hip", "front", (83, 262), [
        (88, 230), (90, 244), (90, 262), (89, 282), (76, 282), (76, 272), (77, 258), (81, 243)]),
    *_pair("ant.groin", "front", (106, 266), [
        (90, 244), (104, 251), (120, 258), (120, 290), (110, 280), (100, 272), (90, 262)]),
    # Arm and hand, palm forward.
    *_pair("ant.arm", "front", (62, 180), [
        (52, 152), (80, 152), (75, 175), (71, 198), (69, 212), (57, 213), (56, 203), (45, 201),
        (46, 196), (49, 175)]),
    *_pair("lat.elbow", "front", (49.5, 215), [
        (45, 201), (56, 203), (57, 213), (56, 228), (42, 228), (42, 216), (44, 206)]),
    *_pair("ant.forearm", "front", (53, 250), [
        (57, 213), (69, 212), (68, 222), (66, 240), (62, 262), (58, 282), (39, 282), (40, 252),
        (42, 228), (56, 228)]),
    *_pair("lat.hand", "front", (43, 312), [*_HAND[:12], (51, 310), (50, 282)]),
    *_pair("med.hand", "front", (56.5, 308), [(50, 282), (51, 310), *_HAND[11:]]),
    # Leg and foot.
    *_pair("lat.thigh", "front", (83.5, 330), [
        (76, 282), (89, 282), (90, 330), (93, 380), (83, 380), (80, 355), (77, 325), (76, 300)]),
    *_pair("ant.thigh", "front", (101, 320), [
        (90, 262), (100, 272), (110, 280), (120, 290), (116, 300), (113, 330), (110, 360),
        (109, 380), (93, 380), (90, 330), (89, 282)]),
    *_pair("ant.knee", "front", (96.5, 393), [
        (83, 380), (109, 380), (110, 393), (107, 406), (87, 406), (83, 393)]),
    *_pair("lat.leg", "front", (90.5, 440), [
        (87, 406), (96, 406), (96, 444), (98, 476), (88, 476), (87, 464), (85, 444), (84, 422)]),
    *_pair("ant.leg", "front", (102.5, 438), [
        (96, 406), (107, 406), (110, 422), (109, 444), (108, 464), (108, 476), (98, 476),
        (96, 444)]),
    *_pair("ant.foot", "front", (97, 495), [(88, 476), *_FRONT_FOOT]),
)

# --- Back view: (code, anchor, polygon) --------------------------------------------------------

_BACK: tuple[Shape, ...] = (
    # Head and neck.
    _midline("post.head.vertex", "back", (120, 20), [*_CROWN, (96, 27), (108, 30), (120, 31)]),
    *_pair("post.head.occiput", "back", (105, 56), [
        (120, 31), (108, 30), (96, 27), (91, 23), (89.5, 30), (89, 38), (89, 46), (89.5, 54),
        (91, 62), (94, 70), (99, 76), (104, 79), (112, 80), (120, 80)]),
    *_pair("post.neck.upper", "back", (112, 88), [
        (104, 79), (112, 80), (120, 80), (120, 97), (103.5, 97)]),
    *_pair("post.neck.lower", "back", (111, 106), [
        (103.5, 97), (120, 97), (120, 114), (105, 114), (94, 108), (101, 103)]),
    # Shoulder and upper back.
    *_pair("post.shoulder.top", "back", (84, 119), [
        (94, 108), (86, 110), (70, 114), (62, 117), (64, 128), (80, 128), (96, 126), (106, 125),
        (105, 114)]),
    *_pair("post.shoulder", "back", (64, 140), [
        (62, 117), (57, 122), (54, 130), (52, 140), (52, 152), (80, 152), (76, 140), (74, 128),
        (64, 128)]),
    *_pair("post.back.interscap", "back", (113, 150), [
        (105, 114), (120, 114), (120, 184), (106, 184), (106, 125)]),
    *_pair("post.scapula", "back", (93, 155), [
        (74, 128), (80, 128), (96, 126), (106, 125), (106, 184), (98, 196), (85, 187),
        (83, 172), (80, 152), (76, 140)]),
    *_pair("post.back.mid", "back", (104, 212), [
        (106, 184), (120, 184), (120, 230), (88, 230), (88, 212), (86, 194), (85, 187),
        (98, 196)]),
    # Low back, pelvis and buttock.
    *_pair("post.back.low", "back", (104, 242), [
        (88, 230), (120, 230), (120, 256), (110, 256), (98, 254), (81, 243)]),
    _midline("post.pelvis.sacrum", "back", (120, 270), [
        (120, 256), (110, 256), (110, 268), (113, 280), (120, 290)]),
    *_pair("post.pelvis.sij", "back", (105, 266), [
        (98, 254), (110, 256), (110, 268), (112, 276), (100, 278)]),
    *_pair("post.buttock.upper", "back", (87, 265), [
        (81, 243), (98, 254), (100, 278), (76, 282), (76, 272), (77, 258)]),
    *_pair("post.buttock.lower", "back", (95, 298), [
        (76, 282), (100, 278), (112, 276), (113, 280), (120, 290), (116, 300), (114.8, 312),
        (106, 318), (94, 319), (84, 317), (76.6, 314), (76, 300)]),
    # Arm and hand, seen from behind with the palm forward.
    *_pair("post.arm", "back", (60, 188), [
        (52, 152), (80, 152), (75, 175), (71, 198), (69, 212), (68, 222), (62, 226), (50, 226),
        (42, 222), (42, 216), (44, 206), (46, 196), (49, 175)]),
    *_pair("post.forearm", "back", (52, 252), [
        (42, 222), (50, 226), (62, 226), (68, 222), (66, 240), (62, 262), (58, 282), (39, 282),
        (40, 252), (42, 228)]),
    *_pair("post.hand", "back", (49, 310), _HAND),
    # Leg, heel and sole.
    *_pair("post.thigh", "back", (96, 346), [
        (76.6, 314), (84, 317), (94, 319), (106, 318), (114.8, 312), (113, 330), (110, 360),
        (109, 380), (83, 380), (80, 355), (77, 325)]),
    *_pair("post.knee", "back", (96.5, 393), [
        (83, 380), (109, 380), (110, 393), (107, 406), (87, 406), (83, 393)]),
    *_pair("post.leg", "back", (97, 438), [
        (87, 406), (107, 406), (110, 422), (109, 444), (108, 464), (108, 476), (88, 476),
        (87, 464), (85, 444), (84, 422)]),
    *_pair("post.foot.heel", "back", (98, 486), [
        (88, 476), (108, 476), (109, 486), (106, 494), (98, 497), (88, 494), (87, 486)]),
    *_pair("post.foot.sole", "back", (97.5, 518), [
        (88, 494), (98, 497), (106, 494), (107, 502), (105, 510), (108, 520), (110, 528),
        (107, 535), (100, 537), (92, 536), (87, 531), (86, 520), (87, 508), (88, 500)]),
)
# fmt: on

SHAPES: tuple[Shape, ...] = _FRONT + _BACK

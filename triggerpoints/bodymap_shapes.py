"""Geometry of the body map: a front and a back view, one closed shape per body-region code.

Each view is a standing figure in anatomical position (arms slightly away from the body, palms
forward, thumbs pointing outward) in its own coordinate system,
``viewBox="0 0 VIEW_WIDTH VIEW_HEIGHT"``. The front view shows the figure facing the viewer, so
the patient's right (``.r``) is on the viewer's left; the back view shows it from behind, so the
patient's left (``.l``) is on the viewer's left. On the back view each sole is drawn as a
footprint hanging below the heel (as if the patient were kneeling), so it can be seen and clicked.

How the figure is drawn:

* Everything is written for the viewer's-left half of the figure, on a 240-wide design grid, as
  lists of points. A sided area is written once and mirrored across the vertical centre line
  for the other side; a midline shape is written as its viewer's-left half and completed by the
  same mirror.
* The body's contour is a handful of *runs* (`_RUNS`): point lists drawn as smooth curves
  (Catmull-Rom splines, written out as cubic Béziers), meeting at corners (armpit, crotch,
  between the fingers, under the jaw). A few seams inside the body (round the eye, the elbow,
  the skull's base, the gluteal fold) are runs too.
* A region is a polygon of points. Wherever two consecutive points of a region are consecutive
  points of a run, that side of the region is drawn as the run's curve, so neighbouring regions
  share exactly the same curve and the regions tile the figure without gaps or overlaps; other
  sides are straight seams. `OUTLINES` is the silhouette drawn underneath.

Change a point here and every page that draws the map (the pain drawing, the pain finder, the
catalogue, admin, the patient portal and the plan PDF) draws the new figure: they all render
these shapes through `triggerpoints.bodymap` and `templates/includes/_body_map_view.html`.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

# The shapes are designed on a 240-wide grid (the coordinates below) and drawn 1.2 times as wide
# (`_place`), so the narrowest regions (temple, hand, sternum, lower-leg halves) are at least
# 15 units across: at the sizes the pages draw the map (templates/includes/_body_map.html,
# static/css/myoplan.css) every region is a target of 24 px or more (WCAG 2.5.8).
_DESIGN_WIDTH = 240
_CENTRE = _DESIGN_WIDTH / 2
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
    corners: tuple[Point, ...]  # the polygon's points in the view (the curves pass through them)


# fmt: off
# --- The contour (viewer's-left half) -----------------------------------------------------------
# Named points are where seams meet the contour. On the front view the arm on the viewer's left
# is the patient's right arm: its thumb (lateral) side has the smaller x.

CROWN = (120, 7)
TEMPLE_TOP = (93.5, 20)
EAR_TOP, EAR_LOW = (89.5, 40), (89, 61)
JAW = (101.5, 82.5)  # where the jaw line meets the side of the neck
NECK_MID, NECK_LOW = (102.5, 93), (97, 101.5)
SHOULDER_FRONT, SHOULDER_TIP = (72, 109.5), (62.5, 113.5)
ARM_TOP, ARMPIT = (52, 152), (79.5, 152)
ELBOW_OUT_HIGH, ELBOW_BACK, ELBOW_OUT_LOW = (46, 199), (43.5, 222), (43, 229)
ELBOW_IN, ELBOW_BACK_IN = (65.5, 214), (64.5, 226)
WRIST_OUT, WRIST_MID, WRIST_IN = (40, 280), (49, 280), (57.5, 280)
THUMB_WEB = (37.5, 302)
NOTCH_1, NOTCH_2, NOTCH_3 = (44.5, 314), (51, 315), (57.5, 314)  # between the fingers
CHEST_SIDE, WAIST, HIP_TOP, HIP_LOW, HIP = (85, 187), (88, 212), (88, 230), (81, 243), (76, 282)
GLUTEAL_OUT, GLUTEAL_IN = (76, 314), (115, 313)
KNEE_TOP, KNEE_TOP_IN, KNEE_LOW, KNEE_LOW_IN = (83, 380), (109, 380), (86, 406), (107.5, 406)
ANKLE_OUT, ANKLE_IN = (90.5, 474), (106, 474)
HEEL_OUT, HEEL_IN = (88, 494), (107, 494)
CROTCH = (120, 290)

_HEAD = [CROWN, (107.5, 8.5), (98.5, 13), TEMPLE_TOP, (90.5, 29), EAR_TOP]
_EAR = [EAR_TOP, (85.5, 38.5), (81.5, 41), (79.5, 48), (80.5, 55), (83.5, 60), EAR_LOW]
_JAW = [EAR_LOW, (90.5, 68), (94.5, 75.5), JAW]
_ARM_OUTER = [  # from the jaw down the neck, over the shoulder and down the arm to the thumb
    JAW, NECK_MID, NECK_LOW, (87, 105.5), SHOULDER_FRONT, SHOULDER_TIP, (56, 120.5), (53, 130),
    (52, 141), ARM_TOP, (50.5, 168), (48.5, 184), ELBOW_OUT_HIGH, (44.5, 210), ELBOW_BACK,
    ELBOW_OUT_LOW, (42, 246), (41, 263), WRIST_OUT, (38.5, 288), (35, 294.5), (31, 300.5),
    (28.5, 306.5), (28.5, 312), (31.5, 314.5), (34.5, 309.5), THUMB_WEB,
]
_INDEX = [THUMB_WEB, (37, 314), (37.5, 326), (39, 333), (41.5, 334.5), (43.5, 332), NOTCH_1]
_MIDDLE = [NOTCH_1, (45, 332), (46.5, 339), (48.5, 340.5), (50.5, 338.5), NOTCH_2]
_RING = [NOTCH_2, (51.8, 332), (53.5, 337.5), (55.5, 338), (57, 334), NOTCH_3]
_ARM_INNER = [  # little finger, up the inner arm to the armpit
    NOTCH_3, (58.5, 325), (60.3, 329.5), (62.3, 328), (63.3, 318), (62.5, 300), (60.5, 289),
    WRIST_IN, (60, 263), (62.5, 246), ELBOW_BACK_IN, ELBOW_IN, (67.5, 198), (71, 178), (75, 162),
    ARMPIT,
]
_TRUNK = [
    ARMPIT, (83, 172), CHEST_SIDE, (86, 194), WAIST, HIP_TOP, HIP_LOW, (77, 258), (76, 272), HIP,
]
_LEG_OUTER = [
    HIP, (75.5, 298), GLUTEAL_OUT, (77.5, 330), (80, 355), KNEE_TOP, (83.5, 393), KNEE_LOW,
    (84.5, 422), (85.5, 444), (88.5, 462), ANKLE_OUT,
]
_LEG_INNER = [
    ANKLE_IN, (107.5, 462), (109.5, 444), (110, 424), KNEE_LOW_IN, (109.5, 393), KNEE_TOP_IN,
    (110.5, 360), (113, 330), GLUTEAL_IN, (116.5, 300), CROTCH,
]
_FRONT_FOOT = [  # the foot seen from the front, toes towards the viewer, the big toe longest
    ANKLE_OUT, (89, 483), (86, 491), (83.5, 498), (83.5, 503), (87, 506.5), (93, 509.5),
    (100, 512), (106.5, 513.5), (110.5, 511), (111, 503), (109.5, 492), (108, 483), ANKLE_IN,
]
_HEEL_AND_SOLE = [  # the heel, then the sole as a footprint hanging below it, big toe inward
    ANKLE_OUT, (88.5, 484), HEEL_OUT, (87.5, 502), (86, 512), (85, 522), (86.5, 530), (91, 535),
    (99, 537.5), (106, 537), (110.5, 532), (110.5, 524), (107, 515), (104.5, 507), (105.5, 500),
    HEEL_IN, (108.5, 485), ANKLE_IN,
]
_LEG = {
    "front": [*_TRUNK, *_LEG_OUTER[1:], *_FRONT_FOOT[1:], *_LEG_INNER[1:]],
    "back": [*_TRUNK, *_LEG_OUTER[1:], *_HEEL_AND_SOLE[1:], *_LEG_INNER[1:]],
}

# Seams inside the body drawn as curves.
_EYE = [(104.3, 33.7), (110, 31.5), (115.7, 33.7), (118, 39), (115.7, 44.3), (110, 46.5),
        (104.3, 44.3), (102, 39), (104.3, 33.7)]  # an oval round the eye, closed
_CHIN = [JAW, (110, 87.5), (120, 89)]
_SKULL_BASE = [JAW, (111, 81.5), (120, 81)]
_CROWN_CAP = [TEMPLE_TOP, (99, 26), (109, 29), (120, 30)]
_ELBOW_FRONT = [ELBOW_OUT_HIGH, (53, 200.5), (57, 207), (57.5, 216), (54, 225), ELBOW_OUT_LOW]
_OLECRANON = [ELBOW_BACK, (54, 229.5), ELBOW_BACK_IN]
_GLUTEAL_FOLD = [GLUTEAL_OUT, (84, 317), (94, 319), (106, 318), GLUTEAL_IN]
_SOLE_TOP = [HEEL_OUT, (97.5, 497), HEEL_IN]

_CONTOUR = [_HEAD, _EAR, _JAW, _ARM_OUTER, _INDEX, _MIDDLE, _RING, _ARM_INNER]
_SEAMS = [_EYE, _CHIN, _SKULL_BASE, _ELBOW_FRONT, _OLECRANON, _GLUTEAL_FOLD]
_RUNS = {
    "front": [*_CONTOUR, _LEG["front"], *_SEAMS],
    "back": [*_CONTOUR, _LEG["back"], *_SEAMS, _CROWN_CAP, _SOLE_TOP],
}
# fmt: on


# --- From points to SVG paths --------------------------------------------------------------------

Edge = tuple[Point, Point]
Controls = tuple[Point, Point]


def _flip(point: Point) -> Point:
    """Reflect a point of the design grid across its vertical centre line (rounded, so that
    flipping twice gives back the very same point: curves are found by their end points)."""
    return (round(_DESIGN_WIDTH - point[0], 6), point[1])


def _mirror(points: Sequence[Point]) -> list[Point]:
    """Reflect a polygon across the vertical centre line, keeping its winding direction."""
    return [_flip(p) for p in reversed(points)]


def _symmetric(half: Sequence[Point]) -> list[Point]:
    """Complete a midline polygon from its viewer's-left half (centre line to centre line)."""
    return [*half, *_mirror(half[1:-1])]


def _curves(runs: Sequence[Sequence[Point]]) -> dict[Edge, Controls]:
    """Each step of each run as a cubic Bézier (a uniform Catmull-Rom spline through the run's
    points), both ways round. A run that starts or ends on the centre line continues smoothly
    into its mirror image; other ends, and a closed run, follow their own points."""
    curves: dict[Edge, Controls] = {}
    for run in runs:
        closed = run[0] == run[-1]
        points = list(run[:-1]) if closed else list(run)
        n = len(points)
        for i in range(n if closed else n - 1):
            p1, p2 = points[i], points[(i + 1) % n]
            if closed:
                p0, p3 = points[i - 1], points[(i + 2) % n]
            else:
                p0 = points[i - 1] if i > 0 else _flip(points[1]) if p1[0] == _CENTRE else p1
                p3 = points[i + 2] if i + 2 < n else _flip(points[-2]) if p2[0] == _CENTRE else p2
            c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
            c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
            curves.setdefault((p1, p2), (c1, c2))
            curves.setdefault((p2, p1), (c2, c1))
    return curves


_CURVES = {view: _curves(runs) for view, runs in _RUNS.items()}


def _controls(view: str, p: Point, q: Point) -> Controls | None:
    """The curve from p to q, if p and q are neighbours on a run (or on a run's mirror)."""
    curves = _CURVES[view]
    if (p, q) in curves:
        return curves[(p, q)]
    mirrored = curves.get((_flip(p), _flip(q)))
    return (_flip(mirrored[0]), _flip(mirrored[1])) if mirrored else None


def _place(point: Point) -> Point:
    """From the design grid to the view: widened about the centre line."""
    x, y = point
    return (round(VIEW_WIDTH / 2 + (x - _CENTRE) * _STRETCH_X, 2), round(y, 2))


def _xy(point: Point) -> str:
    x, y = _place(point)
    return f"{x:g} {y:g}"


def _path(points: Sequence[Point], view: str) -> str:
    """SVG path data for a closed polygon of design points: curved along runs, else straight."""
    parts = [f"M{_xy(points[0])}"]
    for p, q in zip(points, [*points[1:], points[0]], strict=True):
        controls = _controls(view, p, q)
        if controls:
            parts.append(f"C{_xy(controls[0])} {_xy(controls[1])} {_xy(q)}")
        elif q != points[0]:
            parts.append(f"L{_xy(q)}")
    return " ".join(parts) + " Z"


def _centroid(points: Sequence[Point]) -> Point:
    """The polygon's centre of area (inside it for the fairly round regions drawn here)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (round(cx / (3 * area), 1), round(cy / (3 * area), 1))


def _shape(code: str, view: str, points: Sequence[Point], anchor: Point | None) -> Shape:
    return Shape(
        code,
        view,
        _path(points, view),
        _place(anchor or _centroid(points)),
        tuple(_place(p) for p in points),
    )


def _pair(
    area: str, view: str, points: Sequence[Point], anchor: Point | None = None
) -> tuple[Shape, Shape]:
    """Both sides of a sided area, from its polygon on the viewer's left."""
    near, far = (".r", ".l") if view == "front" else (".l", ".r")
    anchor = anchor or _centroid(points)
    return (
        _shape(area + near, view, points, anchor),
        _shape(area + far, view, _mirror(points), _flip(anchor)),
    )


def _midline(code: str, view: str, half: Sequence[Point], anchor: Point | None = None) -> Shape:
    points = _symmetric(half)
    return _shape(code, view, points, anchor or (_CENTRE, _centroid(points)[1]))


def _along(run: Sequence[Point], start: Point, end: Point) -> list[Point]:
    """The points of a run from start to end (either way round), both included."""
    i, j = run.index(start), run.index(end)
    return list(run[i : j + 1]) if i <= j else list(reversed(run[j : i + 1]))


def _outline(view: str) -> str:
    """The silhouette: the viewer's-left contour from the crown to the crotch, mirrored."""
    half = [*_HEAD, *_EAR[1:], *_JAW[1:], *_ARM_OUTER[1:], *_INDEX[1:], *_MIDDLE[1:], *_RING[1:],
            *_ARM_INNER[1:], *_LEG[view][1:]]  # fmt: skip
    return _path(_symmetric(half), view)


OUTLINES: dict[str, str] = {view: _outline(view) for view in ("front", "back")}

# --- Front view ----------------------------------------------------------------------------------

_F = "front"
_LEG_F = _LEG["front"]
_HAND_THUMB_SIDE = [*_along(_ARM_OUTER, WRIST_OUT, THUMB_WEB), *_INDEX[1:], *_MIDDLE[1:]]
_HAND_LITTLE_SIDE = [*_RING, *_along(_ARM_INNER, NOTCH_3, WRIST_IN)[1:]]

# fmt: off
_FRONT: tuple[Shape, ...] = (
    # Head and face.
    _midline("ant.head.forehead", _F, [*_HEAD[:4], *_EYE[:4], (120, 39)], (120, 21)),
    *_pair("ant.head.eye", _F, _EYE[:-1], (110, 39)),
    *_pair("lat.head.temple", _F, [*_HEAD[3:], (95, 44), _EYE[7], _EYE[0]], (96, 31)),
    *_pair("lat.head.ear", _F, [*_EAR, (95, 58), (95, 44)], (87.5, 50)),
    *_pair("ant.face", _F, [
        (95, 44), (95, 58), *_JAW, *_CHIN[1:], (120, 39), *_EYE[3:8]], (106, 66)),
    # Neck, shoulder and chest.
    *_pair("ant.neck", _F, [*_CHIN, (120, 107), (113, 107), (108, 106), NECK_LOW, NECK_MID],
           (111, 97)),
    *_pair("lat.shoulder", _F, [
        *_along(_ARM_OUTER, SHOULDER_FRONT, ARM_TOP), (65, 152), (66.5, 138), (68.5, 124)],
        (60, 134)),
    *_pair("ant.shoulder", _F, [
        (87, 105.5), SHOULDER_FRONT, (68.5, 124), (66.5, 138), (65, 152), ARMPIT, (84, 140),
        (86, 124)], (76, 128)),
    *_pair("ant.chest", _F, [
        (113, 107), (108, 106), NECK_LOW, (87, 105.5), (86, 124), (84, 140), ARMPIT, (96, 160),
        (113, 166)], (100, 134)),
    _midline("ant.chest.sternum", _F, [(120, 107), (113, 107), (113, 166), (120, 172)]),
    *_pair("lat.chest", _F, [ARMPIT, (96, 160), (97, 205), *_along(_TRUNK, WAIST, ARMPIT)[:-1]],
           (90, 182)),
    # Abdomen, groin and hip.
    *_pair("ant.abdomen", _F, [
        (96, 160), (113, 166), (120, 172), (120, 258), (104, 251), (90, 244), HIP_TOP, WAIST,
        (97, 205)], (106, 212)),
    *_pair("lat.hip", _F, [
        HIP_TOP, (90, 244), (90, 262), (89, 282), *_along(_TRUNK, HIP, HIP_LOW)], (83, 262)),
    *_pair("ant.groin", _F, [
        (90, 244), (104, 251), (120, 258), CROTCH, (110, 280), (100, 272), (90, 262)],
        (106, 266)),
    # Arm and hand, palm forward.
    *_pair("ant.arm", _F, [
        ARM_TOP, (65, 152), *_along(_ARM_INNER, ARMPIT, ELBOW_IN), *reversed(_ELBOW_FRONT[1:4]),
        *_along(_ARM_OUTER, ELBOW_OUT_HIGH, ARM_TOP)[:-1]], (61, 178)),
    *_pair("lat.elbow", _F, [
        *_ELBOW_FRONT, *_along(_ARM_OUTER, ELBOW_OUT_LOW, ELBOW_OUT_HIGH)[1:-1]], (50, 214)),
    *_pair("ant.forearm", _F, [
        (57.5, 216), *_along(_ARM_INNER, ELBOW_IN, WRIST_IN), WRIST_MID,
        *_along(_ARM_OUTER, WRIST_OUT, ELBOW_OUT_LOW), (54, 225)], (52, 250)),
    *_pair("lat.hand", _F, [*_HAND_THUMB_SIDE, (50, 301), WRIST_MID], (43, 306)),
    *_pair("med.hand", _F, [WRIST_MID, (50, 301), *_HAND_LITTLE_SIDE], (56.5, 306)),
    # Leg and foot.
    *_pair("lat.thigh", _F, [
        HIP, (89, 282), (90, 330), (93, 380), *_along(_LEG_F, KNEE_TOP, HIP)[:-1]], (84, 330)),
    *_pair("ant.thigh", _F, [
        (90, 262), (100, 272), (110, 280), *_along(_LEG_F, CROTCH, KNEE_TOP_IN), (93, 380),
        (90, 330), (89, 282)], (101, 320)),
    *_pair("ant.knee", _F, [
        KNEE_TOP, (93, 380), KNEE_TOP_IN, (109.5, 393), KNEE_LOW_IN, (96, 406), KNEE_LOW,
        (83.5, 393)], (96.5, 393)),
    *_pair("lat.leg", _F, [
        KNEE_LOW, (96, 406), (96, 444), (98, 474), *_along(_LEG_F, ANKLE_OUT, KNEE_LOW)[:-1]],
        (90.5, 440)),
    *_pair("ant.leg", _F, [
        (96, 406), *_along(_LEG_F, KNEE_LOW_IN, ANKLE_IN), (98, 474), (96, 444)], (102.5, 438)),
    *_pair("ant.foot", _F, [(98, 474), *_along(_LEG_F, ANKLE_IN, ANKLE_OUT)], (97, 495)),
)

# --- Back view -----------------------------------------------------------------------------------

_B = "back"
_LEG_B = _LEG["back"]

_BACK: tuple[Shape, ...] = (
    # Head and neck.
    _midline("post.head.vertex", _B, [*_HEAD[:4], *_CROWN_CAP[1:]], (120, 19)),
    *_pair("post.head.occiput", _B, [
        *reversed(_CROWN_CAP), *_HEAD[4:], *_JAW, *_SKULL_BASE[1:]], (105, 56)),
    *_pair("post.neck.upper", _B, [*_SKULL_BASE, (120, 97), NECK_MID], (112, 89)),
    *_pair("post.neck.lower", _B, [NECK_MID, (120, 97), (120, 113), (106, 113), NECK_LOW],
           (111, 106)),
    # Shoulder and upper back.
    *_pair("post.shoulder.top", _B, [
        *_along(_ARM_OUTER, NECK_LOW, SHOULDER_TIP), (64, 128), (80, 128), (96, 126), (106, 125),
        (106, 113)], (86, 117)),
    *_pair("post.shoulder", _B, [
        *_along(_ARM_OUTER, SHOULDER_TIP, ARM_TOP), ARMPIT, (76, 140), (74, 128), (64, 128)],
        (64, 140)),
    *_pair("post.back.interscap", _B, [(106, 113), (120, 113), (120, 184), (106, 184), (106, 125)],
           (113, 150)),
    *_pair("post.scapula", _B, [
        (74, 128), (80, 128), (96, 126), (106, 125), (106, 184), (98, 196),
        *_along(_TRUNK, CHEST_SIDE, ARMPIT), (76, 140)], (93, 155)),
    *_pair("post.back.mid", _B, [
        (106, 184), (120, 184), (120, 230), *_along(_TRUNK, HIP_TOP, CHEST_SIDE), (98, 196)],
        (104, 212)),
    # Low back, pelvis and buttock.
    *_pair("post.back.low", _B, [
        HIP_TOP, (120, 230), (120, 256), (110, 256), (98, 254), HIP_LOW], (104, 242)),
    _midline("post.pelvis.sacrum", _B, [(120, 256), (110, 256), (110, 268), (113, 280), CROTCH],
             (120, 270)),
    *_pair("post.pelvis.sij", _B, [(98, 254), (110, 256), (110, 268), (112, 276), (100, 278)],
           (105, 266)),
    *_pair("post.buttock.upper", _B, [
        HIP_LOW, (98, 254), (100, 278), *_along(_TRUNK, HIP, HIP_LOW)[:-1]], (87, 265)),
    *_pair("post.buttock.lower", _B, [
        HIP, (100, 278), (112, 276), (113, 280), *_along(_LEG_B, CROTCH, GLUTEAL_IN),
        *reversed(_GLUTEAL_FOLD[1:-1]), *_along(_LEG_B, GLUTEAL_OUT, HIP)[:-1]], (95, 298)),
    # Arm and hand, seen from behind with the palm forward.
    *_pair("post.arm", _B, [
        *_along(_ARM_INNER, ARMPIT, ELBOW_BACK_IN), *reversed(_OLECRANON[1:-1]),
        *_along(_ARM_OUTER, ELBOW_BACK, ARM_TOP)], (60, 188)),
    *_pair("post.forearm", _B, [
        *_OLECRANON, *_along(_ARM_INNER, ELBOW_BACK_IN, WRIST_IN)[1:],
        *_along(_ARM_OUTER, WRIST_OUT, ELBOW_OUT_LOW)], (52, 252)),
    *_pair("post.hand", _B, [*_HAND_THUMB_SIDE, *_HAND_LITTLE_SIDE[1:]], (49, 306)),
    # Leg, heel and sole.
    *_pair("post.thigh", _B, [
        *_GLUTEAL_FOLD, *_along(_LEG_B, GLUTEAL_IN, KNEE_TOP_IN)[1:],
        *_along(_LEG_B, KNEE_TOP, GLUTEAL_OUT)[:-1]], (96, 346)),
    *_pair("post.knee", _B, [
        KNEE_TOP, KNEE_TOP_IN, (109.5, 393), KNEE_LOW_IN, KNEE_LOW, (83.5, 393)], (96.5, 393)),
    *_pair("post.leg", _B, [
        KNEE_LOW, *_along(_LEG_B, KNEE_LOW_IN, ANKLE_IN),
        *_along(_LEG_B, ANKLE_OUT, KNEE_LOW)[:-1]], (97, 438)),
    *_pair("post.foot.heel", _B, [
        ANKLE_OUT, *_along(_LEG_B, ANKLE_IN, HEEL_IN), _SOLE_TOP[1],
        *_along(_LEG_B, HEEL_OUT, ANKLE_OUT)[:-1]], (98, 485)),
    *_pair("post.foot.sole", _B, [*_SOLE_TOP, *_along(_LEG_B, HEEL_IN, HEEL_OUT)[1:-1]],
           (97.5, 518)),
)
# fmt: on

SHAPES: tuple[Shape, ...] = _FRONT + _BACK

# Changes whenever any shape or outline changes: part of every BodyMap, so a redrawn figure is
# never served from a render kept for the old one (triggerpoints/templatetags/body_maps.py).
FIGURE_VERSION: str = hashlib.sha256(
    "\n".join([*OUTLINES.values(), *(s.code + s.d for s in SHAPES)]).encode()
).hexdigest()[:12]

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from common.kept import CSRF_PLACEHOLDER, with_csrf

from .bodymap import BodyMap, build_body_map, region_groups, region_index, trigger_point_map
from .cache import derived
from .candidates import ranked
from .forms import MuscleSearchForm, PainFinderForm
from .models import BodyGroup, Muscle, ReferralZone, TriggerPoint

# The muscle page draws each pattern for a trigger point on this side; it mirrors for the other.
SHOWN_SIDE = "r"


@require_GET
def muscle_list(request: HttpRequest) -> HttpResponse:
    """The catalogue list: a function of the catalogue and the search, kept per catalogue
    version and search."""
    content = derived("muscle list", _query_key(request), lambda: _muscle_list(request.GET))
    return render(request, "triggerpoints/muscle_list.html", {"content": content})


def _query_key(request: HttpRequest) -> tuple:
    return tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))


def _muscle_list(data: QueryDict) -> str:
    form = MuscleSearchForm(data or None, group_choices=BodyGroup.choices)
    muscles = Muscle.objects.with_counts()
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        muscles = muscles.search(query).in_group(form.cleaned_data["group"])
    group_labels = dict(BodyGroup.choices)
    order = {value: i for i, value in enumerate(BodyGroup.values)}
    muscles = sorted(muscles, key=lambda m: (order[m.group], m.sort_order))
    groups = [
        (group_labels[group], list(items))
        for group, items in groupby(muscles, key=lambda m: m.group)
    ]
    return render_to_string(
        "triggerpoints/_muscle_list_content.html",
        {"form": form, "groups": groups, "count": len(muscles), "query": query},
    )


def _get_muscle(slug: str) -> Muscle:
    points = (
        TriggerPoint.objects.filter(retired=False)
        .select_related("location_area")
        .prefetch_related(
            Prefetch("zones", queryset=ReferralZone.objects.select_related("area")),
            "techniques",
            "perpetuating_factors",
        )
    )
    return get_object_or_404(
        Muscle.objects.prefetch_related(Prefetch("trigger_points", queryset=points)), slug=slug
    )


@dataclass(frozen=True)
class PointPage:
    point: TriggerPoint
    body_map: BodyMap
    essential: list[ReferralZone]
    spillover: list[ReferralZone]


@require_GET
def muscle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    muscle = _get_muscle(slug)
    labels = {r.code: r.label for r in region_index()}
    pages = []
    for point in muscle.trigger_points.all():
        zones = list(point.zones.all())
        pages.append(
            PointPage(
                point=point,
                body_map=trigger_point_map(point, zones, side=SHOWN_SIDE, labels=labels),
                essential=[z for z in zones if z.kind == ReferralZone.Kind.ESSENTIAL],
                spillover=[z for z in zones if z.kind == ReferralZone.Kind.SPILLOVER],
            )
        )
    return render(request, "triggerpoints/muscle_detail.html", {"muscle": muscle, "pages": pages})


@require_http_methods(["GET", "POST"])
def pain_finder(request: HttpRequest) -> HttpResponse:
    """Marked regions (and symptoms, factors) to a ranking. A GET's page is a function of the
    catalogue and its query, kept per catalogue version and query; a POST (the form sent
    without JavaScript) and the partial update are drawn each time."""
    partial = request.headers.get("X-Partial") == "candidates"
    data = request.POST if request.method == "POST" else request.GET
    bound = request.method == "POST" or "regions" in request.GET
    labels = {r.code: r.label for r in region_index()}
    form = PainFinderForm(data if bound else None, region_choices=list(labels.items()))
    if request.method == "GET" and not partial and (not bound or form.is_valid()):

        def draw() -> str:
            context = {**_finder_context(form, data, bound), "csrf_token": CSRF_PLACEHOLDER}
            return render_to_string("triggerpoints/_pain_finder_content.html", context)

        content = with_csrf(derived("pain finder", _query_key(request), draw), request)
    else:
        context = _finder_context(form, data, bound)
        if partial:
            if context["candidates_html"] is not None:
                return HttpResponse(context["candidates_html"])
            return render(request, "triggerpoints/_candidates.html", context)
        content = render_to_string("triggerpoints/_pain_finder_content.html", context, request)
    return render(request, "triggerpoints/pain_finder.html", {"content": content, "form": form})


def _finder_context(form: PainFinderForm, data: QueryDict, bound: bool) -> dict:
    regions = region_index()
    labels = {r.code: r.label for r in regions}
    rows = candidates_html = None
    marked: list[str] = []
    if form.is_valid():
        marked = form.cleaned_data["regions"]
        found = ranked(
            marked,
            symptoms=form.cleaned_data["symptoms"],
            factors=form.cleaned_data["factors"],
            labels=labels,
        )
        rows, candidates_html = found.rows, found.html
    elif bound:
        marked = [code for code in data.getlist("regions") if code in labels]
    return {
        "form": form,
        "rows": rows,
        "candidates_html": candidates_html,
        "symptom_boxes": form.boxes("symptoms"),
        "factor_boxes": form.boxes("factors"),
        "marked": [labels[code] for code in marked],
        "region_groups": region_groups(regions, set(marked)),
        "body_map": build_body_map(
            labels=labels, marked=marked, interactive=True, label="Mark where the pain is"
        ),
    }

"""The plan as a PDF: a Django template rendered to HTML, then to A4 by WeasyPrint.

Everything the PDF says comes from one `PlanContent` (the current draft, or an issued version's
frozen copy) plus the names of the body regions. The HTML carries its own styles and the URL
fetcher only reads local files, so rendering never touches the network.

The body map is the web pages' own drawing: a `BodyMap` from `triggerpoints.bodymap` drawn by
`includes/_body_map_view.html`, so a redrawn shape changes the PDF too. WeasyPrint styles an
inline `<svg>` only from the `<style>` inside it, so the print colours
(`includes/_body_map_print.css`) go in there.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string

from triggerpoints.bodymap import (
    PAIN_BANDS,
    BodyMap,
    Marker,
    build_body_map,
    intensity_band,
    region_labels,
)

from .content import PlanContent
from .models import Plan, Strand

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

TEMPLATE = "plans/pdf/plan.html"

# What each strand is for, in the patient's words.
STRAND_INTROS = {
    Strand.LOCAL: "Easing the tight, tender spots (trigger points) in your muscles.",
    Strand.POSTURAL: "Changing the positions and habits that keep those muscles overloaded.",
    Strand.BREATHING: "Breathing more calmly and lower down, so the neck and chest muscles rest.",
    Strand.SELF_CARE: "Everyday things that help your muscles recover.",
}


@dataclass(frozen=True)
class PainRow:
    label: str
    intensity: int
    band: str


@dataclass(frozen=True)
class TreatedPoint:
    number: int
    label: str
    where: str


def _body_map(
    content: PlanContent, labels: dict[str, str]
) -> tuple[BodyMap, list[PainRow], list[TreatedPoint]]:
    """The patient's own drawing (regions shaded by intensity) and the treated trigger points,
    numbered on the map and in the list beside it."""
    intensity = dict(content.pain_regions)
    body_map = build_body_map(
        labels=labels,
        marked=intensity,
        intensity=intensity,
        markers=[Marker(m.region, m.label, str(n)) for n, m in enumerate(content.markers, start=1)],
        label=f"Body map of {content.patient_name}",
    )
    pain = [
        PainRow(labels.get(code, code), value, intensity_band(value))
        for code, value in content.pain_regions
    ]
    treated = [
        TreatedPoint(n, marker.label, labels.get(marker.region, ""))
        for n, marker in enumerate(content.markers, start=1)
    ]
    return body_map, pain, treated


def plan_pdf_context(content: PlanContent, *, clinician: bool = False) -> dict:
    body_map, pain, treated = _body_map(content, region_labels())
    strands = [
        (strand, STRAND_INTROS.get(strand.key, ""), position)
        for position, strand in enumerate(content.strands(), start=1)
    ]
    return {
        "plan": content,
        "clinician": clinician,
        "is_draft": content.status == Plan.Status.DRAFT,
        "birth_date": date.fromisoformat(content.patient_birth_date),
        "strands": strands,
        "body_map": body_map,
        "map_print_style": render_to_string("includes/_body_map_print.css"),
        "pain_rows": pain,
        "pain_bands": [(band, words) for _, band, words in PAIN_BANDS],
        "treated_points": treated,
    }


def render_plan_html(content: PlanContent, *, clinician: bool = False) -> str:
    return render_to_string(TEMPLATE, plan_pdf_context(content, clinician=clinician))


def render_plan_pdf(content: PlanContent, *, clinician: bool = False) -> bytes:
    """The plan as A4 PDF bytes: the patient's copy, or with `clinician` the clinician's copy
    (adds the findings, each item's rationale and the recurrence note)."""
    # Imported on first use: loading WeasyPrint takes about half a second, which every other
    # process that imports the URLconf (commands, tests, each server start) needn't pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = HTML(
        string=render_plan_html(content, clinician=clinician),
        base_url=str(settings.BASE_DIR),
        url_fetcher=URLFetcher(allowed_protocols={"file", "data"}),
    )
    return html.write_pdf(font_config=_font_config())


_fonts = threading.local()


def _font_config() -> "FontConfiguration":
    """One FontConfiguration per rendering thread, kept for the life of the process. WeasyPrint
    makes a new one per render otherwise, and each leaves about 0.2 MiB behind in fontconfig and
    Pango (bench/pdf_soak.py shows the growth, and that reuse keeps memory flat). Per thread
    because a configuration is not meant to be shared by two renders at once."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


class PdfTooSlowError(Exception):
    """The PDF did not render within settings.PDF_RENDER_SECONDS."""


@cache
def _renderer() -> "ThreadPoolExecutor":
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdf")


def render_plan_pdf_within(content: PlanContent, *, clinician: bool = False) -> bytes:
    """render_plan_pdf with a time budget (settings.PDF_RENDER_SECONDS): past it, raise
    PdfTooSlowError so the page can say so, instead of the server worker timing out. Input is
    bounded (every text field has a maximum, a plan at most MAX_PLAN_ITEMS items), so the
    budget is a guard, not the usual path."""
    future = _renderer().submit(render_plan_pdf, content, clinician=clinician)
    try:
        return future.result(timeout=settings.PDF_RENDER_SECONDS)
    except FutureTimeout as error:
        raise PdfTooSlowError from error

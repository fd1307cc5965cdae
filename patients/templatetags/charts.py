"""`{% line_chart chart empty_text %}`: patients/_line_chart.html for a chart, rendered once
per content (common.kept).

The key is the chart itself written out (every point, label and position: `repr` of the frozen
dataclasses), the text for an empty chart and the clinic (the patient's), so the same HTML is reused
only for exactly the same chart on the same clinic's pages, and any new point draws anew."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from common.kept import kept_html
from patients.charts import Chart

register = template.Library()


@register.simple_tag(takes_context=True)
def line_chart(context: template.Context, chart: Chart, empty_text: str = "") -> SafeString:
    # Whose page: the patient's clinic (record parts are drawn without a request), else the
    # user's.
    patient = context.get("patient")
    request = context.get("request")
    clinic = getattr(patient, "clinic_id", None) or getattr(
        getattr(request, "user", None), "clinic_id", None
    )
    key = ("line_chart", clinic, empty_text, repr(chart))
    html = kept_html(
        key,
        lambda: render_to_string(
            "patients/_line_chart.html", {"chart": chart, "empty_text": empty_text}
        ),
    )
    return mark_safe(html)  # noqa: S308 (our template's output)

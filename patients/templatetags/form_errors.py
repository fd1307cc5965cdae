"""The error summary every form page shows at the top of its content (one include, in
base.html): each error of the page's forms, linked to its field."""

from dataclasses import dataclass
from typing import Any

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class ErrorItem:
    message: str
    anchor: str  # the id of the field to move to, or "" for an error of the whole form


def _anchor(bound: forms.BoundField) -> str:
    if bound.is_hidden:
        return ""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"  # the first choice; the group has no element of its own
    return bound.auto_id or ""


def _form_items(form: forms.BaseForm, row: int | None) -> list[ErrorItem]:
    items = [ErrorItem(str(message), "") for message in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        label = bound.label or name
        where = f"{label}, row {row}" if row else label
        for message in errors:
            items.append(ErrorItem(f"{where}: {message}", _anchor(bound)))
    return items


def error_items(*candidates: Any) -> list[ErrorItem]:
    """The errors of the forms and formsets given; anything else (an unset variable) is
    skipped, so base.html can name every form variable the views use."""
    items: list[ErrorItem] = []
    for candidate in candidates:
        if isinstance(candidate, forms.BaseFormSet):
            if not candidate.is_bound:
                continue
            items += [ErrorItem(str(m), "") for m in candidate.non_form_errors()]
            for number, form in enumerate(candidate.forms, start=1):
                items += _form_items(form, number)
        elif isinstance(candidate, forms.BaseForm) and candidate.is_bound:
            items += _form_items(candidate, None)
        elif isinstance(candidate, list | tuple):
            items += error_items(*candidate)
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in items:
        if (item.message, item.anchor) not in seen:
            seen.add((item.message, item.anchor))
            unique.append(item)
    return unique


@register.inclusion_tag("includes/_error_summary.html")
def error_summary(*candidates: Any) -> dict[str, Any]:
    return {"items": error_items(*candidates)}

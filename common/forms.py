"""Form pieces shared by every app."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (YYYY-MM-DD) whatever the locale: with
    the en-GB format (21/11/2026) the browser would show an empty field."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def autofocus(form: forms.BaseForm, name: str) -> None:
    """Start a fresh form with the caret in `name`, so that a keyboard user types at once rather
    than tabbing past the menu. Not on a form sent back with errors: the error summary
    (static/js/error_summary.js) takes the focus then."""
    if not form.is_bound:
        form.fields[name].widget.attrs["autofocus"] = True


def add_service_errors(form: forms.Form, error: ValidationError, fallback: str | None) -> None:
    """Put a service's ValidationError on the form: at the field it names when the form has
    that field, else at `fallback` (or at the top of the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(fallback, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else fallback, errors)


def model_data(form: forms.ModelForm) -> dict[str, Any]:
    """A model form's cleaned values for its model fields (Meta.fields), for a service to write
    with `common.models.model_update`."""
    return {name: form.cleaned_data[name] for name in form._meta.fields}

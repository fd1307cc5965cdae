"""Form pieces shared by every app."""

from collections.abc import Callable
from typing import Any, TypeVar

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


Saved = TypeVar("Saved")


def save_through(
    form: forms.Form,
    write: Callable[[dict[str, Any], int], Saved],
    *,
    refusals: dict[type[Exception], str | None],
    fallback: str | None = None,
) -> Saved | None:
    """Write a valid model form through a service: `write(data, version)`. What it returns, or
    None with the form showing why not: an exception of `refusals` as the message given there
    (None: the exception's own words) at the top of the form, a ValidationError at its fields."""
    if not form.is_valid():
        return None
    try:
        return write(model_data(form), form.cleaned_data["version"])
    except tuple(refusals) as error:
        form.add_error(None, refusals[type(error)] or str(error))
    except ValidationError as error:
        add_service_errors(form, error, fallback)
    return None

from django import forms

from . import cache
from .models import PerpetuatingFactor, Symptom


def _symptom_choices() -> list[tuple[str, str]]:
    return list(Symptom.objects.order_by("sort_order").values_list("key", "label"))


def _factor_choices() -> list[tuple[str, str]]:
    return list(PerpetuatingFactor.objects.order_by("category", "name").values_list("key", "name"))


class PainFinderForm(forms.Form):
    """Marked regions for the referral lookup. Choices are the region vocabulary, so an unknown
    code is refused at the field with Django's standard "not one of the available choices"."""

    regions = forms.MultipleChoiceField(
        required=True,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Mark at least one region on the body map."},
        label="Where is the pain?",
    )

    symptoms = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="Other symptoms (optional)",
    )
    factors = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="What keeps it going (optional)",
    )

    def __init__(self, *args: object, region_choices: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = region_choices
        # The catalogue's vocabularies, read once per catalogue version (triggerpoints.cache)
        self.fields["symptoms"].choices = cache.cached("finder_symptoms", _symptom_choices)
        self.fields["factors"].choices = cache.cached("finder_factors", _factor_choices)

    def boxes(self, name: str) -> list[tuple[str, str, bool]]:
        """(value, label, checked) for each choice of a checkbox field: the page writes the
        inputs itself, as Django's widget templates would, at a tenth of their cost."""
        chosen = {str(v) for v in (self[name].value() or ())}
        return [(value, label, value in chosen) for value, label in self.fields[name].choices]


class MuscleSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=80, label="Search muscles")
    group = forms.ChoiceField(
        required=False, label="Body group", widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: object, group_choices: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "All body groups"), *group_choices]

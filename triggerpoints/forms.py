from django import forms

from .models import PerpetuatingFactor, Symptom


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
        self.fields["symptoms"].choices = list(
            Symptom.objects.order_by("sort_order").values_list("key", "label")
        )
        self.fields["factors"].choices = list(
            PerpetuatingFactor.objects.order_by("category", "name").values_list("key", "name")
        )


class MuscleSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=80, label="Search muscles")
    group = forms.ChoiceField(
        required=False, label="Body group", widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: object, group_choices: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "All body groups"), *group_choices]

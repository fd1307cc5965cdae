from django import forms
from django.utils import timezone

from ..models import Assessment, Patient
from ..red_flags import RedFlag


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (YYYY-MM-DD) whatever the locale: with
    the en-GB format (21/11/2026) the browser would show an empty field."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PatientForm(forms.ModelForm):
    activities = forms.MultipleChoiceField(
        choices=Patient.Activity.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Daily activities",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "email",
            "phone",
            "address",
            "occupation",
            "activities",
            "activities_notes",
            "consent_treatment",
            "consent_treatment_date",
            "consent_data",
            "consent_data_date",
        ]
        widgets = {
            "date_of_birth": DateInput,
            "consent_treatment_date": DateInput,
            "consent_data_date": DateInput,
            "address": forms.Textarea(attrs={"rows": 2}),
            "activities_notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "consent_treatment": "Consents to treatment",
            "consent_data": "Consents to us keeping their data",
            "activities_notes": "Other activities and details",
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        today = timezone.localdate().isoformat()
        for name in ("date_of_birth", "consent_treatment_date", "consent_data_date"):
            self.fields[name].widget.attrs["max"] = today

    def patient_data(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PatientSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search by name")
    archived = forms.BooleanField(required=False, label="Show archived patients")


class AssessmentForm(forms.ModelForm):
    self_care = forms.MultipleChoiceField(
        choices=Assessment.SelfCare.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Self-care concerns",
        help_text="Ticked concerns bring the matching advice into the plan.",
    )

    class Meta:
        model = Assessment
        fields = [
            "assessed_on",
            "chief_complaint",
            "onset",
            "onset_date",
            "course",
            "aggravating",
            "easing",
            "earlier_treatment",
            "medications",
            "sleep",
            "stress",
            "self_care",
        ]
        widgets = {
            "assessed_on": DateInput,
            "onset_date": DateInput,
            "chief_complaint": forms.Textarea(attrs={"rows": 2}),
            "aggravating": forms.Textarea(attrs={"rows": 2}),
            "easing": forms.Textarea(attrs={"rows": 2}),
            "earlier_treatment": forms.Textarea(attrs={"rows": 2}),
            "medications": forms.Textarea(attrs={"rows": 2}),
            "sleep": forms.Textarea(attrs={"rows": 2}),
            "stress": forms.NumberInput(attrs={"min": 0, "max": 10}),
        }


class RedFlagForm(forms.Form):
    """One required yes/no question per flag of the checklist."""

    def __init__(self, *args: object, flags: tuple[RedFlag, ...], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.flags = flags
        for flag in flags:
            self.fields[flag.key] = forms.TypedChoiceField(
                label=flag.question,
                choices=[("yes", "Yes"), ("no", "No")],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                error_messages={"required": "Answer yes or no."},
            )

    def answers(self) -> dict[str, bool]:
        return {flag.key: self.cleaned_data[flag.key] for flag in self.flags}


class RedFlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Assessment.Decision.choices, widget=forms.RadioSelect, label="Decision"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note",
        help_text="Who you referred to, or why the flag does not apply after review.",
        error_messages={"required": "Write a note that explains the decision."},
    )

from django import forms
from django.utils import timezone

from .models import Patient


class DateInput(forms.DateInput):
    input_type = "date"


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

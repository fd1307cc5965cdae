"""The precaution profile (facts §12.1): asked at intake, confirmed or updated at each visit."""

from typing import Any

from django import forms

from triggerpoints.precautions import PRECAUTIONS

from ..models import PrecautionProfile

MAX_PREGNANCY_WEEKS = 45  # as the model's check constraint


class PrecautionForm(forms.ModelForm):
    """The patient's precautions (facts §12.1): asked at intake, in its own fieldset
    (templates/patients/_precautions_fieldset.html)."""

    prefix = "precautions"
    keys = forms.MultipleChoiceField(
        choices=[(p.key, p.ask) for p in PRECAUTIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Precautions",
        help_text="Tick what applies; the plan changes or leaves out what is not safe.",
    )

    class Meta:
        model = PrecautionProfile
        fields = ["keys", "pregnancy_weeks", "surgery_area", "lymphoedema_limb", "notes"]
        widgets = {"pregnancy_weeks": forms.NumberInput(attrs={"min": 0, "max": 45})}
        labels = {"pregnancy_weeks": "Weeks of pregnancy", "notes": "Notes on precautions"}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        keys = data.get("keys") or []
        weeks = data.get("pregnancy_weeks")
        if weeks is not None and weeks > MAX_PREGNANCY_WEEKS:
            self.add_error("pregnancy_weeks", "Weeks of pregnancy run from 0 to 45.")
        if "pregnancy" in keys and weeks is None:
            self.add_error("pregnancy_weeks", "Give the weeks of pregnancy.")
        if "recent-surgery-or-fracture" in keys and not data.get("surgery_area"):
            self.add_error("surgery_area", "Say where the surgery or fracture was.")
        if "lymphoedema" in keys and not data.get("lymphoedema_limb"):
            self.add_error("lymphoedema_limb", "Say which limb.")
        return data


class PrecautionCheckForm(PrecautionForm):
    """At each visit: the precautions confirmed unchanged, or updated."""

    confirm = forms.ChoiceField(
        choices=[("unchanged", "Precautions unchanged"), ("updated", "Updated (below)")],
        widget=forms.RadioSelect,
        label="Precautions at this visit",
        error_messages={"required": "Confirm the precautions are unchanged, or update them."},
    )
    field_order = ["confirm"]

    def clean(self) -> dict[str, Any]:
        if self.cleaned_data.get("confirm") == "unchanged":
            return self.cleaned_data
        return super().clean()

    @property
    def unchanged(self) -> bool:
        return self.cleaned_data.get("confirm") == "unchanged"

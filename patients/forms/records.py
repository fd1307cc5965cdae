from typing import Any

from django import forms
from django.utils import timezone

from common.forms import DateInput, autofocus

from ..models import Assessment, CrossCheckResponse, Patient, Screening
from ..red_flags import GROUPS, Item
from ..submissions import OnceField, new_token


class PatientForm(forms.ModelForm):
    activities = forms.MultipleChoiceField(
        choices=Patient.Activity.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Daily activities",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = OnceField()

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
        self.fields["submission"].initial = new_token()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            autofocus(self, "first_name")
        today = timezone.localdate().isoformat()
        for name in ("date_of_birth", "consent_treatment_date", "consent_data_date"):
            self.fields[name].widget.attrs["max"] = today
        # Ticking a consent fills its date with today when it is empty, visibly and changeably
        # (static/js/consent_date.js); the date stays required and checked as before.
        for name in ("consent_treatment", "consent_data"):
            self.fields[name].widget.attrs["data-fills-date"] = f"id_{name}_date"
            self.fields[name].widget.attrs["data-today"] = today  # the clinic's today


class PatientSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search by name")
    archived = forms.BooleanField(required=False, label="Show archived patients")


def symptom_choices() -> list[tuple[str, str]]:
    """The associated-symptom vocabulary (facts §11), in the catalogue's order. One query."""
    from triggerpoints.models import Symptom

    return list(Symptom.objects.order_by("sort_order").values_list("key", "label"))


def factor_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Perpetuating factors a patient can report, grouped by category; posture and breathing
    factors come from the examination instead. One query."""
    from triggerpoints.models import PerpetuatingFactor

    labels = dict(PerpetuatingFactor.Category.choices)
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = PerpetuatingFactor.objects.exclude(category__in=["posture", "breathing"]).order_by(
        "category", "name"
    )
    for key, name, category in rows.values_list("key", "name", "category"):
        groups.setdefault(labels.get(category, category), []).append((key, name))
    return list(groups.items())


class PresentationFields(forms.Form):
    """What the patient reports besides where it hurts: symptoms and habits the ranking weighs."""

    symptoms = forms.MultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Associated symptoms",
        help_text="What else the patient reports. Each one moves the muscles known to cause it "
        "up the ranking; none replaces red-flag screening.",
    )
    factors = forms.MultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Habits and other factors reported",
        help_text="What keeps the pain going, as the patient reports it. Posture and breathing "
        "come from the examination.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["symptoms"].choices = symptom_choices()
        self.fields["factors"].choices = factor_choices()


# What a re-assessment starts from: the history as the patient told it last time, to check and
# correct with them. What changes from visit to visit (date, course, sleep, stress) starts empty.
CARRIED_FORWARD = (
    "chief_complaint",
    "onset",
    "onset_date",
    "aggravating",
    "easing",
    "earlier_treatment",
    "medications",
    "self_care",
    "symptoms",
    "factors",
)


def carried_forward(patient: Patient) -> tuple[dict[str, Any], Assessment | None]:
    """The initial values of a new assessment from the patient's latest one (one query), and
    that assessment (None for a first assessment)."""
    latest = patient.assessments.order_by("-assessed_on", "-pk").first()
    if latest is None:
        return {}, None
    return {name: getattr(latest, name) for name in CARRIED_FORWARD}, latest


class AssessmentForm(forms.ModelForm):
    submission = OnceField()
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
            "symptoms",
            "factors",
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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = new_token()
        autofocus(self, "chief_complaint")  # the date is today's already
        extra = PresentationFields()
        for name in ("symptoms", "factors"):
            self.fields[name] = extra.fields[name]


class YesNoQuestionsForm(forms.Form):
    """One required yes/no question per red-flag item, grouped by system for the template."""

    def __init__(self, *args: object, items: tuple[Item, ...], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.question,
                choices=[("yes", "Yes"), ("no", "No")],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                error_messages={"required": "Answer yes or no."},
            )

    def groups(self) -> list[tuple[str, str, list[tuple[Item, forms.BoundField]]]]:
        """[(group key, label, [(item, bound field), ...]), ...] in the checklist's order."""
        grouped: dict[str, list] = {}
        for item in self.items:
            grouped.setdefault(item.group, []).append((item, self[item.key]))
        return [(key, GROUPS[key], rows) for key, rows in grouped.items()]

    def answers(self) -> dict[str, bool]:
        return {item.key: self.cleaned_data[item.key] for item in self.items}


class RedFlagForm(YesNoQuestionsForm):
    """The intake screening. Carries the version of the screening it was opened on (0 for a
    first screening) and needs a reason for every "yes" changed to "no"."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for changing a yes to no",
        help_text="Needed when an answer given as yes is changed to no. The history keeps it.",
    )

    def __init__(self, *args: object, earlier: dict[str, bool], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.earlier = earlier

    def withdrawn(self) -> list[str]:
        """Questions answered yes before and no now."""
        return [
            key
            for key, yes in self.earlier.items()
            if yes and key in self.cleaned_data and self.cleaned_data[key] is False
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.withdrawn() and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason", "Say why an answer given as yes is now no: the history keeps the reason."
            )
        return cleaned


class RescreenForm(YesNoQuestionsForm):
    """ "Anything new since last time?" at a session: the patient's re-screening questions."""

    prefix = "rescreen"


class ScreeningDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Screening.Decision.choices, widget=forms.RadioSelect, label="Decision"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Decision note",
        help_text="Who you referred to and how, or why the flag does not apply after review.",
        error_messages={"required": "Write a note that explains the decision."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CrossCheckForm(forms.Form):
    response = forms.ChoiceField(
        choices=CrossCheckResponse.Response.choices, widget=forms.RadioSelect, label="Response"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        label="What you did or found",
        help_text="What you asked or found, or why it is not a concern.",
        error_messages={"required": "Write what you did or why it is not a concern."},
    )

"""Forms of the session note: the note itself, its treated trigger points, and the amendment."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from common.forms import DateInput
from triggerpoints.models import ReleaseTechnique, Side, TriggerPoint, point_choice_label

from ..models import (
    PalpatedTriggerPoint,
    Patient,
    TreatedPoint,
    TreatmentSession,
)
from ..services import TreatedEntry
from ..submissions import OnceField, new_token

MAX_TREATED_ROWS = 40
PREFILL_TECHNIQUE = "pressure-release"

Choices = list[tuple[Any, Any]]


@dataclass(frozen=True)
class TreatedChoices:
    """The catalogue choices every treated-point row offers, fetched once per request."""

    points: Choices  # [(muscle name, [(trigger point id, label), ...]), ...]
    techniques: Choices  # [(technique id, name), ...]
    prefill_technique_id: int | None


def treated_choices() -> TreatedChoices:
    """Trigger points grouped by muscle (one query) and the release techniques (one query)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    rows = (
        TriggerPoint.objects.filter(retired=False)
        .order_by("muscle__sort_order", "muscle__name", "sort_order", "label")
        .values_list("pk", "label", "muscle__name")
    )
    for pk, label, muscle in rows:
        groups.setdefault(muscle, []).append((pk, point_choice_label(muscle, label)))
    techniques = list(ReleaseTechnique.objects.order_by("name").values_list("pk", "key", "name"))
    prefill = next((pk for pk, key, _ in techniques if key == PREFILL_TECHNIQUE), None)
    return TreatedChoices(
        points=list(groups.items()),
        techniques=[(pk, name) for pk, _, name in techniques],
        prefill_technique_id=prefill,
    )


@dataclass(frozen=True)
class Prefill:
    assessed_on: date  # the date of the visit the rows come from
    rows: list[dict[str, Any]]
    source: str = "assessment"  # "assessment" or "session"


def prefill_from_latest_assessment(patient: Patient, choices: TreatedChoices) -> Prefill | None:
    """The rows a new session starts with, from the last visit: the points treated at the
    latest session (side, technique and status as then) when it is newer than the latest
    assessment, else the active palpated trigger points of the latest assessment, each with
    pressure release. Three queries at most; None when there is nothing to carry."""
    latest = patient.assessments.order_by("-assessed_on", "-pk").values("pk", "assessed_on")[:1]
    latest = next(iter(latest), None)
    session = (
        (
            patient.sessions.filter(session_date__gte=latest["assessed_on"])
            if latest
            else patient.sessions.all()
        )
        .order_by("-session_date", "-pk")
        .first()
    )
    if session is not None:
        treated = list(session.treated_points.order_by("pk"))
        if treated:
            rows = [
                {
                    "trigger_point": t.trigger_point_id,
                    "side": t.side,
                    "technique": t.technique_id,
                    "status": t.status,
                }
                for t in treated
            ]
            return Prefill(assessed_on=session.session_date, rows=rows, source="session")
    if latest is None:
        return None
    points = list(
        PalpatedTriggerPoint.objects.filter(
            assessment_id=latest["pk"], status=PalpatedTriggerPoint.Status.ACTIVE
        ).order_by("pk")
    )
    if not points:
        return None
    rows = [
        {
            "trigger_point": p.trigger_point_id,
            "side": p.side,
            "technique": choices.prefill_technique_id,
            "status": TreatedPoint.Status.ACTIVE,  # as palpated; change it if it has settled
        }
        for p in points
    ]
    return Prefill(assessed_on=latest["assessed_on"], rows=rows)


class SessionForm(forms.ModelForm):
    """The note of a new session. Bound without an instance: views pass the current values as
    `initial`, so a failed save never touches the loaded session."""

    submission = OnceField()

    class Meta:
        model = TreatmentSession
        fields = ["session_date", "pre_nprs", "post_nprs", "response", "adherence", "notes"]
        widgets = {
            "session_date": DateInput,
            "pre_nprs": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "post_nprs": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"session_date": "Date of the session"}
        help_texts = {
            "pre_nprs": "0 (no pain) to 10 (worst imaginable), at the start of the session.",
            "post_nprs": "0 to 10, at the end of the session. Leave empty if not asked.",
        }
        error_messages = {
            "pre_nprs": {"required": "Record the pain before the session, from 0 to 10."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = new_token()
        self.fields["session_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["session_date"].show_hidden_initial = False  # today is the default, not data
        for name in ("pre_nprs", "post_nprs"):
            self.fields[name].error_messages["min_value"] = "Pain is scored from 0 to 10."
        self.fields["response"].choices = [("", "Not asked"), *TreatmentSession.Response.choices]


class SessionEditForm(SessionForm):
    """An unsigned note, saved over the version the therapist opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def opened_version(self) -> int:
        """The version the form was opened on; 0 (never current) when missing or garbled."""
        if not self.is_bound:
            return int(self.initial.get("version") or 0)
        try:
            return int(self.data.get(self.add_prefix("version"), ""))
        except ValueError:
            return 0


class SessionAmendForm(SessionEditForm):
    """A signed note: the same fields, and why it is being changed."""

    reason = forms.CharField(
        label="Reason for the amendment",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was wrong or missing in the signed note. Kept with the amendment.",
        error_messages={"required": "Say why the signed note is being amended."},
    )


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


ROW_MISSING = {
    "trigger_point": "Choose the trigger point treated in this row.",
    "side": "Choose the side.",
    "technique": "Choose the technique.",
}


class TreatedPointForm(forms.Form):
    """One row: trigger point, side, technique. An empty row is ignored; a partly filled row is
    an error on the fields it lacks."""

    trigger_point = forms.TypedChoiceField(
        coerce=int,
        required=False,
        label="Trigger point",
        error_messages={"invalid_choice": "Choose a trigger point from the catalogue."},
    )
    side = forms.ChoiceField(
        choices=[("", "—"), *Side.choices],
        required=False,
        error_messages={"invalid_choice": "Choose left, right or midline."},
    )
    technique = forms.TypedChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "Choose a technique from the catalogue."},
    )
    # The point's course: optional, recorded when the therapist re-tests the point.
    status = forms.ChoiceField(
        choices=[("", "—"), *TreatedPoint.Status.choices], required=False, label="Status"
    )
    retest = forms.ChoiceField(
        choices=[("", "—"), *TreatedPoint.Retest.choices], required=False, label="Re-test"
    )
    retest_before = forms.IntegerField(min_value=0, max_value=2000, required=False, label="Before")
    retest_after = forms.IntegerField(min_value=0, max_value=2000, required=False, label="After")
    referral_reproduced = forms.NullBooleanField(
        required=False,
        label="Referral reproduced",
        widget=forms.Select(choices=[("unknown", "—"), ("true", "Yes"), ("false", "No")]),
    )

    def __init__(self, *args: Any, choices: TreatedChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trigger_point"].choices = [("", "—"), *choices.points]
        self.fields["technique"].choices = [("", "—"), *choices.techniques]
        self.fields["trigger_point"].widget.attrs["data-picker"] = "trigger point"
        for field in self.fields.values():
            number = isinstance(field.widget, forms.NumberInput)
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if number else "form-select form-select-sm"
            )
        # Wide enough to read (classes in myoplan.css, no inline style under the CSP); the
        # table scrolls sideways on narrow screens.
        widths = {
            "trigger_point": 20,
            "side": 6,
            "technique": 12,
            "status": 7,
            "retest": 11,
            "retest_before": 5,
            "retest_after": 5,
            "referral_reproduced": 6,
        }
        for name, width in widths.items():
            self.fields[name].widget.attrs["class"] += f" min-w-{width}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [name for name in self.fields if data.get(name) not in (None, "")]
        if given or any(name in self.errors for name in self.fields):
            for name in ROW_MISSING:
                if name not in given and name not in self.errors:
                    self.add_error(name, ROW_MISSING[name])
        if data.get("retest_before") is not None and not data.get("retest"):
            self.add_error("retest", "Say what the re-test measured.")
        if data.get("retest") == TreatedPoint.Retest.TENDERNESS:
            for name in ("retest_before", "retest_after"):
                if (data.get(name) or 0) > 10:
                    self.add_error(name, "Tenderness is scored from 0 to 10.")
        return data

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def entry(self) -> TreatedEntry | None:
        data = self.cleaned_data
        if any(data.get(name) in (None, "") for name in ROW_MISSING):
            return None
        return TreatedEntry(
            trigger_point_id=data["trigger_point"],
            side=data["side"],
            technique_id=data["technique"],
            status=data.get("status") or "",
            retest=data.get("retest") or "",
            retest_before=data.get("retest_before"),
            retest_after=data.get("retest_after"),
            referral_reproduced=data.get("referral_reproduced"),
        )


class BaseTreatedFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, choices: TreatedChoices, extra: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, form_kwargs={"choices": choices}, **kwargs)
        self.extra = extra

    @classmethod
    def get_default_prefix(cls) -> str:
        return "treated"

    def entries(self) -> list[TreatedEntry]:
        """The filled rows, in order; call after is_valid()."""
        return [entry for form in self.forms if (entry := form.entry()) is not None]


TreatedFormSet = forms.formset_factory(
    TreatedPointForm,
    formset=BaseTreatedFormSet,
    max_num=MAX_TREATED_ROWS,
    validate_max=True,
)


def raw_values(form: forms.Form) -> dict[str, Any]:
    """What the user typed into a bound form, to show again in an unbound one."""
    return {name: form[name].value() for name in form.fields}

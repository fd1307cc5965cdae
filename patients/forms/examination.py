"""Forms of the examination: palpated trigger points, postural observations, and the breathing
and outcome measures."""

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from common.forms import autofocus
from triggerpoints.models import PosturalFinding, Side, TriggerPoint

from ..measures import NIJMEGEN_ANSWERS, NIJMEGEN_ITEMS
from ..models import (
    Measures,
    PalpatedTriggerPoint,
    PosturalObservation,
    PsfsActivity,
)

PSFS_ROWS = 5


class CatalogueChoiceField(forms.ChoiceField):
    """A catalogue entry picked from rows the form loaded once; cleans to the entry itself, so
    neither rendering nor validating costs another query."""

    def __init__(self, *, entries: dict[str, models.Model], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entries = entries

    def clean(self, value: Any) -> models.Model | None:
        value = super().clean(value)
        return self.entries[value] if value else None


# Palpation

SIGN_HELP = {
    "taut_band": "A palpable tight band of fibres within the muscle.",
    "spot_tenderness": "An exquisitely tender spot within the taut band.",
    "referral_reproduced": "Pressure on the spot refers pain or other sensations elsewhere.",
    "referral_recognised": "The patient recognises the referred pain as their familiar complaint.",
    "twitch_response": "A brief contraction of the band when it is snapped across or needled.",
    "jump_sign": "The patient flinches, winces or pulls away on pressure.",
}
SIGNS = tuple(SIGN_HELP)


def trigger_point_choices(
    suggested: list[tuple[int, str]] = (),
) -> tuple[list, dict[str, TriggerPoint]]:
    """The catalogue's trigger points grouped by muscle in catalogue order, from one query,
    each option naming its muscle; `suggested` ((id, why) pairs) come first in their own group."""
    points = (
        TriggerPoint.objects.filter(retired=False)
        .select_related("muscle")
        .order_by("muscle__sort_order", "muscle__name", "sort_order", "label")
    )
    entries = {str(point.pk): point for point in points}
    grouped = [
        (muscle.name, [(str(point.pk), point.choice_label) for point in group])
        for muscle, group in groupby(entries.values(), key=lambda point: point.muscle)
    ]
    first = [
        (str(pk), f"{entries[str(pk)].choice_label} ({why})")
        for pk, why in suggested
        if str(pk) in entries
    ]
    if first:
        grouped.insert(0, ("Suggested", first))
    return [("", "Choose a trigger point…"), *grouped], entries


class PalpationForm(forms.ModelForm):
    side = forms.ChoiceField(
        choices=Side.choices,
        widget=forms.RadioSelect,
        label="Side",
        help_text="The patient's side.",
        error_messages={"required": "Choose the side."},
    )
    status = forms.ChoiceField(
        choices=PalpatedTriggerPoint.Status.choices,
        widget=forms.RadioSelect,
        label="Active or latent",
        error_messages={"required": "Say whether the trigger point is active or latent."},
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PalpatedTriggerPoint
        fields = ["trigger_point", "side", "status", *SIGNS, "notes"]
        help_texts = SIGN_HELP

    def __init__(
        self,
        *args: Any,
        assessment: Any,
        suggested: list[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["version"].initial = self.instance.version
        choices, entries = trigger_point_choices(suggested)
        self.fields["trigger_point"] = CatalogueChoiceField(
            entries=entries,
            choices=choices,
            label="Trigger point",
            help_text="Type part of the muscle's name to narrow the list. Grouped by muscle, "
            "in the catalogue's order, after the points suggested for this assessment.",
            widget=forms.Select(attrs={"data-picker": "trigger point"}),
            error_messages={
                "required": "Choose the trigger point you palpated.",
                "invalid_choice": "Choose a trigger point from the catalogue list.",
            },
        )
        if not self.instance.pk:
            autofocus(self, "trigger_point")  # starts on the ranking's first suggestion

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        point, side = cleaned.get("trigger_point"), cleaned.get("side")
        if point is not None and side:
            recorded = PalpatedTriggerPoint.objects.filter(
                assessment=self.assessment, trigger_point=point, side=side
            ).exclude(pk=self.instance.pk)
            if recorded.exists():
                self.add_error(
                    "trigger_point",
                    f"{point} on the {Side(side).label.lower()} is already recorded in this "
                    "assessment: change that entry instead.",
                )
        return cleaned


# Posture


class PostureForm(forms.ModelForm):
    severity = forms.ChoiceField(
        choices=PosturalObservation.Severity.choices,
        widget=forms.RadioSelect,
        label="Severity",
        error_messages={"required": "Choose how marked the finding is."},
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PosturalObservation
        fields = ["finding", "severity", "notes"]

    def __init__(self, *args: Any, assessment: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["version"].initial = self.instance.version
        self.findings = list(PosturalFinding.objects.order_by("name"))
        self.fields["finding"] = CatalogueChoiceField(
            entries={str(finding.pk): finding for finding in self.findings},
            choices=[("", "Choose a finding…")]
            + [(str(finding.pk), finding.name) for finding in self.findings],
            label="Postural finding",
            error_messages={
                "required": "Choose the postural finding you observed.",
                "invalid_choice": "Choose a postural finding from the catalogue list.",
            },
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        finding = cleaned.get("finding")
        if finding is not None:
            recorded = PosturalObservation.objects.filter(
                assessment=self.assessment, finding=finding
            ).exclude(pk=self.instance.pk)
            if recorded.exists():
                self.add_error(
                    "finding",
                    f"{finding} is already recorded in this assessment: change that entry instead.",
                )
        return cleaned


# Breathing and outcome measures


class NijmegenWidget(forms.MultiWidget):
    """16 radio groups named nijmegen_1 … nijmegen_16; the page renders them as one table."""

    def __init__(self) -> None:
        super().__init__(
            widgets={
                str(n): forms.RadioSelect(choices=NIJMEGEN_ANSWERS)
                for n in range(1, len(NIJMEGEN_ITEMS) + 1)
            }
        )

    def decompress(self, value: Any) -> list:
        return list(value or [])


class NijmegenField(forms.MultiValueField):
    """The 16-item Nijmegen Questionnaire: every item answered 0–4, or none at all."""

    def __init__(self, **kwargs: Any) -> None:
        items = [
            forms.TypedChoiceField(
                choices=NIJMEGEN_ANSWERS,
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={
                    "invalid_choice": "Answer each item from 0 (never) to 4 (very often)."
                },
            )
            for _ in NIJMEGEN_ITEMS
        ]
        super().__init__(
            fields=items,
            widget=NijmegenWidget(),
            require_all_fields=False,
            required=False,
            **kwargs,
        )

    def compress(self, data_list: list) -> list[int]:
        if not data_list or all(answer is None for answer in data_list):
            return []
        missing = [
            f"{n}. {text}"
            for n, (text, answer) in enumerate(zip(NIJMEGEN_ITEMS, data_list, strict=True), 1)
            if answer is None
        ]
        if missing:
            raise ValidationError(
                "Answer all 16 items, or leave the whole questionnaire empty. Not answered: "
                + "; ".join(missing)
                + "."
            )
        return list(data_list)


@dataclass(frozen=True)
class NijmegenOption:
    value: str
    label: str
    checked: bool
    input_id: str


@dataclass(frozen=True)
class NijmegenRow:
    number: int
    text: str
    name: str
    options: list[NijmegenOption]
    missing: bool


def _whole_number(
    label: str, low: int, high: int, message: str, *, required: bool = False, help_text: str = ""
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"min": low, "max": high}),
        error_messages={
            "min_value": message,
            "max_value": message,
            "invalid": "Enter a whole number.",
            "required": message,
        },
    )


class MeasuresForm(forms.Form):
    breathing_pattern = forms.ChoiceField(
        choices=[("", "Not assessed"), *Measures.BreathingPattern.choices],
        widget=forms.RadioSelect,
        required=False,
        label="Observed breathing pattern",
    )
    mouth_breathing = forms.BooleanField(required=False, label="Breathes through the mouth at rest")
    breathing_rate = _whole_number(
        "Resting breathing rate",
        4,
        60,
        "The resting rate is counted in breaths a minute, from 4 to 60.",
        help_text="Breaths a minute, counted at rest.",
    )
    bolt_seconds = _whole_number(
        "BOLT (control pause)",
        0,
        180,
        "BOLT is recorded in seconds, from 0 to 180.",
        help_text="Seconds from a normal exhale to the first definite urge to breathe.",
    )
    nijmegen = NijmegenField(label="Nijmegen Questionnaire")
    nprs = _whole_number(
        "Pain now (NPRS)",
        0,
        10,
        "Record the pain now from 0 (no pain) to 10 (worst imaginable).",
        required=True,
        help_text="0 (no pain) to 10 (worst imaginable), recorded at every visit.",
    )
    ndi = _whole_number(
        "Neck Disability Index (optional)",
        0,
        50,
        "The Neck Disability Index total is 0 to 50.",
        help_text="Total score, 0 to 50.",
    )
    odi = _whole_number(
        "Oswestry Disability Index (optional)",
        0,
        100,
        "The Oswestry Disability Index is a percentage, 0 to 100.",
        help_text="Percent, 0 to 100.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    MEASURE_FIELDS = (
        "breathing_pattern",
        "mouth_breathing",
        "breathing_rate",
        "bolt_seconds",
        "nijmegen",
        "nprs",
        "ndi",
        "odi",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        measures: Measures | None,
        psfs: list[PsfsActivity],
        **kwargs: Any,
    ) -> None:
        initial = {"version": measures.version if measures else 0}
        if measures is not None:
            initial.update({name: getattr(measures, name) for name in self.MEASURE_FIELDS})
        for n, row in enumerate(psfs[:PSFS_ROWS], 1):
            initial[f"psfs_activity_{n}"] = row.activity
            initial[f"psfs_score_{n}"] = row.score
        super().__init__(data, initial=initial, **kwargs)
        for n in range(1, PSFS_ROWS + 1):
            self.fields[f"psfs_activity_{n}"] = forms.CharField(
                label=f"Activity {n}",
                max_length=120,
                required=False,
                error_messages={"max_length": "Keep the activity under 120 characters."},
            )
            self.fields[f"psfs_score_{n}"] = _whole_number(
                f"Score {n}", 0, 10, "Score the activity from 0 (unable) to 10 (as before)."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for n in range(1, PSFS_ROWS + 1):
            activity_field, score_field = f"psfs_activity_{n}", f"psfs_score_{n}"
            if activity_field in self.errors or score_field in self.errors:
                continue
            activity, score = cleaned.get(activity_field, ""), cleaned.get(score_field)
            if activity and score is None:
                self.add_error(score_field, "Give this activity a score from 0 to 10.")
            elif score is not None and not activity:
                self.add_error(activity_field, "Name the activity this score is for.")
        return cleaned

    @property
    def expected_version(self) -> int:
        return self.cleaned_data.get("version") or 0

    def measures_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.MEASURE_FIELDS}

    def psfs(self) -> list[tuple[str, int]]:
        rows = []
        for n in range(1, PSFS_ROWS + 1):
            activity = self.cleaned_data[f"psfs_activity_{n}"]
            if activity:
                rows.append((activity, self.cleaned_data[f"psfs_score_{n}"]))
        return rows

    def psfs_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"psfs_activity_{n}"], self[f"psfs_score_{n}"]) for n in range(1, PSFS_ROWS + 1)
        ]

    def nijmegen_rows(self) -> list[NijmegenRow]:
        """The questionnaire as table rows, with the typed (or saved) answers checked."""
        bound = self["nijmegen"]
        answers = bound.value() or []
        flag_missing = bool(bound.errors)
        rows = []
        for n, text in enumerate(NIJMEGEN_ITEMS, 1):
            name = f"{bound.html_name}_{n}"
            answer = answers[n - 1] if n - 1 < len(answers) else None
            answer = "" if answer is None else str(answer)
            options = [
                NijmegenOption(
                    value=str(value),
                    label=label,
                    checked=answer == str(value),
                    input_id=f"id_{name}_{value}",
                )
                for value, label in NIJMEGEN_ANSWERS
            ]
            options.append(
                NijmegenOption(
                    value="", label="Not answered", checked=answer == "", input_id=f"id_{name}_x"
                )
            )
            rows.append(NijmegenRow(n, text, name, options, flag_missing and answer == ""))
        return rows

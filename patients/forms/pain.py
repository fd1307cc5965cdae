"""The pain drawing: the marked regions, and per region an intensity, a quality and a pattern.

The form's fields follow the posted regions: one `intensity-<code>`, `quality-<code>` and
`pattern-<code>` per marked region, so a region checked without its details (the way in without
JavaScript) comes back with a row and a message at each missing field.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms

from triggerpoints.bodymap import RegionInfo

from ..models import PainMark
from ..services import PainEntry

TEMPLATE_CODE = "__code__"  # placeholder static/js/pain_drawing.js replaces in the row template
TEMPLATE_LABEL = "__label__"


@dataclass(frozen=True)
class PainRow:
    """One marked region's fields, for the template."""

    code: str
    label: str
    intensity: forms.BoundField
    quality: forms.BoundField
    pattern: forms.BoundField


def _row_fields(code: str, mark: PainMark | None) -> dict[str, forms.Field]:
    return {
        f"intensity-{code}": forms.IntegerField(
            label="Intensity (0–10)",
            min_value=0,
            max_value=10,
            initial=mark.intensity if mark else None,
            error_messages={
                "required": "Give an intensity from 0 (no pain) to 10 (worst imaginable).",
                "invalid": "Give the intensity as a whole number from 0 to 10.",
                "min_value": "Intensity is scored from 0 to 10.",
                "max_value": "Intensity is scored from 0 to 10.",
            },
        ),
        f"quality-{code}": forms.ChoiceField(
            label="Quality",
            choices=[("", "Choose…"), *PainMark.Quality.choices],
            initial=mark.quality if mark else "",
            error_messages={
                "required": "Choose a quality.",
                "invalid_choice": "Choose one of the listed qualities.",
            },
        ),
        f"pattern-{code}": forms.ChoiceField(
            label="Constant or comes and goes",
            choices=PainMark.Pattern.choices,
            widget=forms.RadioSelect,
            initial=mark.pattern if mark else None,
            error_messages={
                "required": "Choose constant or comes and goes.",
                "invalid_choice": "Choose constant or comes and goes.",
            },
        ),
    }


class PainDrawingForm(forms.Form):
    regions = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Where is the pain?"
    )
    nothing_marked = forms.BooleanField(
        required=False,
        label="No pain to mark: save an empty drawing",
        help_text="Removes every region marked before.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping | None = None,
        *,
        regions: Iterable[RegionInfo],
        marks: Iterable[PainMark],
        version: int,
    ) -> None:
        by_region = {mark.region_id: mark for mark in marks}
        super().__init__(data, initial={"regions": list(by_region), "version": version})
        self.labels = {region.code: region.label for region in regions}
        self.fields["regions"].choices = list(self.labels.items())
        if self.is_bound:
            posted = set(self.data.getlist("regions"))
            codes = [code for code in self.labels if code in posted]
        else:
            codes = [code for code in self.labels if code in by_region]
        self.row_codes = codes  # body order, known codes only: unknown ones fail at `regions`
        for code in codes:
            self.fields.update(_row_fields(code, by_region.get(code)))

    def clean(self) -> dict:
        cleaned = super().clean()
        marked, nothing = cleaned.get("regions"), cleaned.get("nothing_marked")
        if marked == [] and not nothing and "regions" not in self.errors:
            self.add_error(
                "regions",
                "Mark at least one region, or tick “No pain to mark” to save an empty drawing.",
            )
        if marked and nothing:
            self.add_error(
                "nothing_marked",
                "Regions are marked: untick this to save them, or unmark them to clear the "
                "drawing.",
            )
        return cleaned

    @property
    def rows(self) -> list[PainRow]:
        return [
            PainRow(
                code,
                self.labels[code],
                self[f"intensity-{code}"],
                self[f"quality-{code}"],
                self[f"pattern-{code}"],
            )
            for code in self.row_codes
        ]

    def entries(self) -> list[PainEntry]:
        data = self.cleaned_data
        return [
            PainEntry(
                region=code,
                intensity=data[f"intensity-{code}"],
                quality=data[f"quality-{code}"],
                pattern=data[f"pattern-{code}"],
            )
            for code in self.row_codes  # each marked region once, in body order
        ]


def blank_row() -> PainRow:
    """The row static/js/pain_drawing.js copies when a region is marked: empty, so the
    therapist chooses every value (nothing is prefilled)."""
    form = forms.Form()
    form.fields.update(_row_fields(TEMPLATE_CODE, None))
    return PainRow(
        TEMPLATE_CODE,
        TEMPLATE_LABEL,
        form[f"intensity-{TEMPLATE_CODE}"],
        form[f"quality-{TEMPLATE_CODE}"],
        form[f"pattern-{TEMPLATE_CODE}"],
    )

"""Forms of the plan pages. Every form that changes a plan carries the plan's version, so a save
over someone else's newer one is refused (services.StaleEditError).

`drill_draft` and `technique_draft` turn a catalogue entry the therapist picks into the draft item
a plan takes, through the plan rules: the same precautions, variants and progressions as a
generated item. An entry the patient's precautions rule out is refused with the reason."""

from typing import Any

from django import forms
from django.utils import timezone

from common.forms import DateInput
from common.models import plain_record
from patients.models import PalpatedTriggerPoint
from triggerpoints.models import Drill, ReleaseTechnique
from triggerpoints.precautions import site_cautions_by_key

from .models import Plan, PlanItem, Strand
from .rules import (
    CHOSEN,
    DraftItem,
    DrillInfo,
    Precautions,
    TechniqueInfo,
    hand_added_drill,
    technique_ruled_out,
)

SITE_CAUTIONS = site_cautions_by_key()


class RuledOutError(Exception):
    """The patient's precautions rule this catalogue entry out."""


class VersionForm(forms.Form):
    """The buttons of the plan page (issue, complete, remove): only the version seen."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MoveForm(VersionForm):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Plan
        fields = ["review_date", "notes"]
        widgets = {"review_date": DateInput, "notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"review_date": "Review date"}
        help_texts = {
            "review_date": "When you will see the patient again to review the plan.",
            "notes": "Printed on the patient's plan, in plain words.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["review_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_review_date(self) -> Any:
        review_date = self.cleaned_data["review_date"]
        if review_date < timezone.localdate():
            raise forms.ValidationError("The review date can't be in the past.")
        return review_date


class ItemForm(forms.ModelForm):
    """What the therapist may change in an item. The rationale stays as the findings put it; the
    therapist's own reasons go in the note."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = PlanItem
        fields = ["title", "instructions", "dosage", "frequency", "notes", "clinic_note"]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 6}),
            "dosage": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "clinic_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "dosage": "For example: 10 holds of 10 seconds, or 60–90 s, 2–3 times. "
            "One line per step if it changes.",
            "frequency": "For example: daily, or twice a day.",
            "notes": "Printed on the patient's plan, under the item.",
            "clinic_note": "For you and your colleagues: shown on this page, never printed on "
            "the patient's plan.",
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = plan.version


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search drills and techniques",
        help_text="Words from the name or the instructions, e.g. “chin”, “breathing”, “ball”.",
    )


# Adding a catalogue entry


def drill_draft(drill: Drill, precautions: Precautions) -> DraftItem:
    """A postural or breathing drill, in its own strand, at its starting dosage, as the plan
    rules write it for this patient (RuledOutError when a precaution rules it out)."""
    item, why = hand_added_drill(plain_record(DrillInfo, drill), precautions)
    if item is None:
        raise RuledOutError(why)
    return item


def point_key(point: PalpatedTriggerPoint) -> str:
    """The key of a trigger point's item, as the plan rules make it: one item per point."""
    return f"point:{point.trigger_point_id}:{point.side}"


def technique_draft(
    technique: ReleaseTechnique,
    precautions: Precautions,
    *,
    point: PalpatedTriggerPoint | None = None,
) -> DraftItem:
    """A release technique in the local strand: for one palpated trigger point (the point's
    item, so a point is never in the plan twice), or in general. Its safer variant where a
    precaution asks for one; RuledOutError when a precaution rules it out."""
    info = plain_record(TechniqueInfo, technique)
    why = technique_ruled_out(info, precautions)
    if why:
        raise RuledOutError(why)
    softened = sorted(info.softened_by & precautions.keys)
    how = technique.how
    note = ""
    if softened and info.safer_variant:
        how = info.safer_variant
        note = f"{', '.join(softened)}: {technique.name} softened to its safer variant"
    common = {
        "instructions": how,
        "dosage": technique.dosage,
        "technique_id": technique.pk,
        "precaution_note": note,
        "sources": "\n".join(info.sources),
    }
    if point is None:
        return DraftItem(
            strand=Strand.LOCAL,
            key=f"technique:{technique.key}",
            title=technique.name,
            rationale=CHOSEN,
            **common,
        )
    trigger_point = point.trigger_point
    side = point.get_side_display().lower()
    active = point.status == PalpatedTriggerPoint.Status.ACTIVE
    place = f"{trigger_point.muscle.name.lower()} ({side})"
    return DraftItem(
        strand=Strand.LOCAL,
        key=point_key(point),
        title=f"{point_label(point, status=False)}: {technique.name}"[:200],
        rationale=(
            f"The examination found {'an active' if active else 'a latent'} trigger point in "
            f"your {place}."
        ),
        trigger_point_id=trigger_point.pk,
        side=point.side,
        # The point's site cautions travel with any technique added for it (facts §12.2).
        cautions="\n".join(
            SITE_CAUTIONS[key].rule for key in trigger_point.site_cautions if key in SITE_CAUTIONS
        ),
        **common,
    )


def point_label(point: PalpatedTriggerPoint, *, status: bool = True) -> str:
    side = point.get_side_display().lower()
    label = f"{point.trigger_point.muscle.name} ({side}), {point.trigger_point.label.lower()}"
    if status:
        label += ", active" if point.status == PalpatedTriggerPoint.Status.ACTIVE else ", latent"
    return label


class ItemAddForm(VersionForm):
    """One form for the whole search page: each result's Add button submits `entry`
    (drill:<key> or technique:<key>); `point` ties a technique to a palpated trigger point."""

    entry = forms.CharField(
        max_length=80,
        error_messages={"required": "Choose a drill or technique to add."},
    )
    point = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="For a trigger point (techniques only)",
        help_text="Optional: the palpated trigger point the technique is for.",
        error_messages={
            "invalid_choice": "Choose a trigger point palpated in this plan's assessment."
        },
    )
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        points: list[PalpatedTriggerPoint],
        in_plan: set[str],
        precautions: Precautions,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.precautions = precautions
        self.points = {point.pk: point for point in points}
        self.in_plan = in_plan
        self.fields["point"].choices = [("", "No particular trigger point")] + [
            (
                point.pk,
                point_label(point) + (" · in the plan" if point_key(point) in in_plan else ""),
            )
            for point in points
        ]

    def clean_entry(self) -> Drill | ReleaseTechnique:
        kind, _, key = self.cleaned_data["entry"].partition(":")
        found = None
        if kind == "drill":
            found = Drill.objects.filter(key=key).first()
        elif kind == "technique":
            found = ReleaseTechnique.objects.filter(key=key, clinician_only=False).first()
        if found is None:
            raise forms.ValidationError("Choose a drill or technique from the catalogue list.")
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        entry, point = cleaned.get("entry"), self.points.get(cleaned.get("point"))
        if isinstance(entry, Drill) and point is not None:
            self.add_error(
                "point",
                "A trigger point goes with a release technique; drills are added on their own. "
                "Set this back to “No particular trigger point” to add the drill.",
            )
        elif point is not None and point_key(point) in self.in_plan:
            self.add_error(
                "point",
                f"{point_label(point, status=False)} already has an item in the plan: edit "
                "that item to change its technique or dosage.",
            )
        elif entry is not None and not self.errors:
            try:
                self._draft = self._make_draft(entry, point)
            except RuledOutError as error:
                self.add_error("entry", f"Not added: {error}.")
            else:
                if self._draft.key in self.in_plan:
                    self.add_error("entry", f"{self._draft.title} is already in the plan.")
        return cleaned

    def _make_draft(
        self, entry: Drill | ReleaseTechnique, point: PalpatedTriggerPoint | None
    ) -> DraftItem:
        if isinstance(entry, Drill):
            return drill_draft(entry, self.precautions)
        return technique_draft(entry, self.precautions, point=point)

    def draft(self) -> DraftItem:
        """The item to add, checked against the patient's precautions (valid forms only)."""
        return self._draft

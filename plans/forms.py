"""Forms of the plan pages. Every form that changes a plan carries the plan's version, so a save
over someone else's newer one is refused (services.StaleEditError).

`drill_draft` and `technique_draft` turn a catalogue entry into the draft item a plan takes; the
search page uses them, and the plan rules may too."""

from typing import Any

from django import forms
from django.utils import timezone

from patients.forms.records import DateInput
from patients.models import PalpatedTriggerPoint
from triggerpoints.models import Drill, ReleaseTechnique
from triggerpoints.precautions import site_cautions_by_key

from .models import Plan, PlanItem, Strand
from .rules import DraftItem

SITE_CAUTIONS = site_cautions_by_key()

CHOSEN = "Chosen by your therapist."


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

    def plan_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


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

    def item_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search drills and techniques",
        help_text="Words from the name or the instructions, e.g. “chin”, “breathing”, “ball”.",
    )


# Adding a catalogue entry


def drill_draft(drill: Drill, *, rationale: str = CHOSEN) -> DraftItem:
    """A postural or breathing drill, in its own strand, at its starting dosage."""
    instructions = drill.instructions.strip()
    if drill.cautions:
        instructions += f"\n\nTake care: {drill.cautions.strip()}"
    return DraftItem(
        strand=drill.kind,
        key=f"drill:{drill.key}",
        title=drill.name,
        instructions=instructions,
        dosage=drill.dosage,
        rationale=rationale,
        drill_id=drill.pk,
    )


def point_key(point: PalpatedTriggerPoint) -> str:
    """The key of a trigger point's item, as the plan rules make it: one item per point."""
    return f"point:{point.trigger_point_id}:{point.side}"


def technique_draft(
    technique: ReleaseTechnique, *, point: PalpatedTriggerPoint | None = None
) -> DraftItem:
    """A release technique in the local strand: for one palpated trigger point (the point's
    item, so a point is never in the plan twice), or in general."""
    if point is None:
        return DraftItem(
            strand=Strand.LOCAL,
            key=f"technique:{technique.key}",
            title=technique.name,
            instructions=technique.how,
            dosage=technique.dosage,
            rationale=CHOSEN,
            technique_id=technique.pk,
        )
    trigger_point = point.trigger_point
    side = point.get_side_display().lower()
    active = point.status == PalpatedTriggerPoint.Status.ACTIVE
    place = f"{trigger_point.muscle.name.lower()} ({side})"
    return DraftItem(
        strand=Strand.LOCAL,
        key=point_key(point),
        title=f"{point_label(point, status=False)}: {technique.name}"[:200],
        instructions=technique.how,
        dosage=technique.dosage,
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
        technique_id=technique.pk,
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
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
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
            draft = self.draft()
            if draft.key in self.in_plan:
                self.add_error("entry", f"{draft.title} is already in the plan.")
        return cleaned

    def draft(self) -> DraftItem:
        entry = self.cleaned_data["entry"]
        if isinstance(entry, Drill):
            return drill_draft(entry)
        return technique_draft(entry, point=self.points.get(self.cleaned_data.get("point")))

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from .bodymap import region_labels, trigger_point_map
from .models import (
    BodyArea,
    BodyRegion,
    BreathingFinding,
    Drill,
    MovementTest,
    Muscle,
    PerpetuatingFactor,
    PosturalFinding,
    ReferralZone,
    ReleaseTechnique,
    TriggerPoint,
)

PREVIEW_SIDE = "r"


class ReadOnlyVocabularyMixin:
    """The 90-code region vocabulary is fixed: other data and patient records refer to it."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(BodyArea)
class BodyAreaAdmin(ReadOnlyVocabularyMixin, admin.ModelAdmin):
    list_display = ["code", "label", "view", "group", "sided"]
    list_filter = ["view", "group", "sided"]
    search_fields = ["code", "label", "description"]
    readonly_fields = ["code", "sided"]


@admin.register(BodyRegion)
class BodyRegionAdmin(ReadOnlyVocabularyMixin, admin.ModelAdmin):
    list_display = ["code", "label", "side"]
    list_filter = ["side", "area__view", "area__group"]
    search_fields = ["code", "area__label"]
    list_select_related = ["area"]
    readonly_fields = ["code", "area", "side"]


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            row = "new row" if index is None else f"row {index + 1}"
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Delete {row}"


class LabelledInlineMixin:
    """Tabular inlines name their columns in the table head, which a screen reader does not
    tie to each row's fields: every field, and each row's Delete box, gets its own accessible
    name (axe: label, select-name)."""

    formset = LabelledInlineFormSet

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield


class TriggerPointInline(LabelledInlineMixin, admin.TabularInline):
    model = TriggerPoint
    fields = ["label", "location_area", "confidence", "sort_order"]
    autocomplete_fields = ["location_area"]
    show_change_link = True
    extra = 0


@admin.register(Muscle)
class MuscleAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "commonly_involved", "trigger_point_count"]
    list_filter = ["group", "commonly_involved"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TriggerPointInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_counts()

    @admin.display(description="Trigger points", ordering="trigger_point_count")
    def trigger_point_count(self, obj: Muscle) -> int:
        return obj.trigger_point_count


class ReferralZoneInline(LabelledInlineMixin, admin.TabularInline):
    """The zones, also picked on the body map of the preview (static/js/admin_zones.js): the
    area select is a plain one (its options read "Label (code)"), so the map can set it."""

    model = ReferralZone
    fields = ["kind", "area", "laterality"]
    extra = 0


class ConfidenceMuscleGroupFilters:
    list_filter = ["confidence", "muscle__group"]


@admin.register(TriggerPoint)
class TriggerPointAdmin(admin.ModelAdmin):
    list_display = ["__str__", "muscle_group", "confidence", "zone_count", "location_area"]
    list_filter = [("muscle__group", admin.ChoicesFieldListFilter), "confidence"]
    search_fields = ["muscle__name", "muscle__aliases", "label", "location", "symptoms"]
    list_select_related = ["muscle", "location_area"]
    # Many-to-many fields as plain labelled multiple selects: the autocomplete widget's
    # search box has no accessible name (axe: label, list).
    autocomplete_fields = ["muscle", "location_area"]
    readonly_fields = ["pattern_preview"]
    inlines = [ReferralZoneInline]
    fieldsets = [
        (None, {"fields": ["muscle", "label", "confidence", "sort_order"]}),
        ("Location", {"fields": ["location", "location_area", "palpation"]}),
        ("Referral pattern", {"fields": ["pattern_preview"]}),
        ("Presentation", {"fields": ["symptoms", "mimics"]}),
        ("Perpetuating factors", {"fields": ["perpetuating_factors", "perpetuating_notes"]}),
        (
            "Treatment",
            {"fields": ["techniques", "release_notes", "self_stretch", "site_cautions"]},
        ),
        ("Sources", {"fields": ["sources"]}),
    ]

    class Media:
        css = {"all": ["css/myoplan.css"]}
        js = ["js/admin_zones.js"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(zone_total=Count("zones"))

    @admin.display(description="Body group", ordering="muscle__group")
    def muscle_group(self, obj: TriggerPoint) -> str:
        return obj.muscle.get_group_display()

    @admin.display(description="Zones", ordering="zone_total")
    def zone_count(self, obj: TriggerPoint) -> int:
        return obj.zone_total

    @admin.display(description="Pattern on the body map (for a trigger point on the right)")
    def pattern_preview(self, obj: TriggerPoint) -> SafeString:
        if obj.pk is None:
            return format_html("<p>Save the trigger point to pick its zones on the body map.</p>")
        zones = obj.zones.select_related("area")
        body_map = trigger_point_map(obj, zones, side=PREVIEW_SIDE, labels=region_labels())
        html = render_to_string("includes/_body_map.html", {"map": body_map})
        return format_html(
            '<div class="admin-preview" data-zone-picker data-side="{}">'
            '<p class="admin-preview__help">Click or tap a region (or Tab to the map, move with '
            "the arrow keys and press Enter) to make it an essential zone, again for spillover, "
            "a third time to remove it. A region on the left side makes the zone both sides. "
            "The map follows the zone rows below as you edit them; Save to keep the changes."
            '</p>{}<p class="admin-preview__status" aria-live="polite"></p></div>',
            PREVIEW_SIDE,
            SafeString(html),
        )


@admin.register(ReleaseTechnique)
class ReleaseTechniqueAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "performed_by", "clinician_only", "plan_priority", "confidence"]
    list_filter = ["performed_by", "clinician_only", "confidence"]
    search_fields = ["name", "key", "how"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(Drill)
class DrillAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "kind", "dosage", "confidence"]
    list_filter = ["kind", "confidence"]
    search_fields = ["name", "key", "instructions"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(PosturalFinding)
class PosturalFindingAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "confidence"]
    list_filter = ["confidence"]
    search_fields = ["name", "key", "detection"]
    autocomplete_fields = ["short_muscles", "long_muscles", "drills"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(BreathingFinding)
class BreathingFindingAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "plan_cues", "confidence"]
    list_filter = ["confidence"]
    search_fields = ["name", "key", "detection"]
    autocomplete_fields = ["muscles", "drills"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(PerpetuatingFactor)
class PerpetuatingFactorAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "category", "intake_cues"]
    list_filter = ["category"]
    search_fields = ["name", "key", "description"]
    autocomplete_fields = ["postural_findings", "breathing_findings", "drills"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(MovementTest)
class MovementTestAdmin(admin.ModelAdmin):
    """The movement and loading screen's tests (issue 17). Shipped entries come from
    data/movement_tests.toml: curate them there and reload, or here for local additions."""

    list_display = ["name", "group", "strand", "position", "sided", "scoring", "confidence"]
    list_filter = ["group", "strand", "position", "scoring", "confidence"]
    search_fields = ["key", "name", "how", "reliability"]
    filter_horizontal = ["muscles", "drills"]
    fieldsets = [
        (None, {"fields": ["key", "name", "group", "strand", "position", "sided", "sort_order"]}),
        (
            "How to do it and score it",
            {"fields": ["how", "scoring", "unit", "anchors", "value_min", "value_max"]},
        ),
        (
            "What is normal",
            {
                "fields": [
                    "normal_min",
                    "normal_max",
                    "asymmetry_max",
                    "asymmetry_percent",
                    "normal_text",
                    "meaningful_change",
                    "meaningful_change_source",
                ]
            },
        ),
        ("Evidence", {"fields": ["reliability", "reliability_source", "confidence", "sources"]}),
        ("Links and precautions", {"fields": ["muscles", "drills", "excluded_by"]}),
    ]

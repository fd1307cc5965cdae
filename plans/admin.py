"""Plans in the admin: for inspecting a plan, its items, its issued versions and its history.
Plans change only through the plan pages (plans.services), so the admin is read-only here."""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Plan, PlanItem, PlanVersion


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PlanItemInline(ReadOnlyInline):
    model = PlanItem
    fields = [
        "strand",
        "position",
        "priority",
        "clinic_only",
        "key",
        "title",
        "dosage",
        "frequency",
        "rationale",
        "precaution_note",
    ]
    readonly_fields = fields
    ordering = ["strand", "position"]


class PlanVersionInline(ReadOnlyInline):
    model = PlanVersion
    fields = ["number", "issued_at", "issued_by"]
    readonly_fields = fields


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["patient", "status", "issued_number", "review_date", "created_by", "created_at"]
    list_filter = ["status", "patient__clinic"]
    search_fields = ["patient__last_name", "patient__first_name"]
    list_select_related = ["patient", "created_by"]
    date_hierarchy = "created_at"
    inlines = [PlanItemInline, PlanVersionInline]
    readonly_fields = [
        "patient",
        "assessment",
        "created_by",
        "status",
        "review_date",
        "notes",
        "recurrence_note",
        "precautions",
        "screen_for",
        "left_out",
        "breathing_not_assessed",
        "issued_number",
        "completed_at",
        "version",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    """A frozen version, content included, for answering "what did the patient receive?"."""

    list_display = ["plan", "number", "issued_at", "issued_by"]
    list_select_related = ["plan__patient", "issued_by"]
    search_fields = ["plan__patient__last_name", "plan__patient__first_name"]
    readonly_fields = ["plan", "number", "issued_at", "issued_by", "content"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

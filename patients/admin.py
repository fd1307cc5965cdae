from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Clinic, Patient, User


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "require_two_factor", "created_at"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "clinic", "role", "is_active"]
    list_filter = ["clinic", "role", "is_staff", "is_superuser", "is_active", "groups"]
    list_select_related = ["clinic"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Clinic", {"fields": ["clinic", "role"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Clinic", {"fields": ["clinic", "role"]}),
    ]


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    """Superusers may inspect records and their history, read-only: patients change through
    the patient pages (which check the clinic and the version), never here. Nobody deletes a
    patient, and history is never reverted (SIMPLE_HISTORY_REVERT_DISABLED)."""

    list_display = ["last_name", "first_name", "clinic", "date_of_birth", "archived_at"]
    list_filter = ["clinic", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["last_name", "first_name"]
    list_select_related = ["clinic"]
    readonly_fields = ["version", "created_by", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

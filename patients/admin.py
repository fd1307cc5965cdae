from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Clinic, User


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "clinic", "is_staff", "is_active"]
    list_filter = ["clinic", "is_staff", "is_superuser", "is_active", "groups"]
    list_select_related = ["clinic"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Clinic", {"fields": ["clinic"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Clinic", {"fields": ["clinic"]}),
    ]

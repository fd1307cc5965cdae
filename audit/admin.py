from django.contrib import admin
from django.http import HttpRequest

from .models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only, in admin as everywhere."""

    list_display = ["at", "user", "kind", "patient", "clinic", "path", "ip_address"]
    list_filter = ["kind", "clinic", ("at", admin.DateFieldListFilter)]
    list_select_related = ["user", "patient", "clinic"]
    search_fields = ["user__username", "patient__last_name", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

"""The admin site's titles, and the audit log (read-only: it is written by services only)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AuditLog

admin.site.site_header = _("One-stop system administration")
admin.site.site_title = _("Một Cửa administration")
admin.site.index_title = _("Catalogue, users and calendar")


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_type", "object_id", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    readonly_fields = ["at", "actor", "action", "object_type", "object_id", "payload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False

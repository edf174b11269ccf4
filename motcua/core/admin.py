"""The admin site's titles, and the audit log (read-only: it is written by services only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core.audit import audit_record
from motcua.core.models import AuditLog

admin.site.site_header = _("One-stop system administration")
admin.site.site_title = _("Một Cửa administration")
admin.site.index_title = _("Catalogue, users and calendar")


class AuditedAdminMixin:
    """Writes one AuditLog row for every add, change and delete made through the admin.

    The admin's own transaction wraps the write and its audit row together.
    """

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="admin.change" if change else "admin.add",
            obj=obj,
            payload={"changed": list(form.changed_data), "repr": str(obj)[:200]},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user, action="admin.delete", obj=obj, payload={"repr": str(obj)[:200]}
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            audit_record(
                actor=request.user, action="admin.delete", obj=obj, payload={"repr": str(obj)[:200]}
            )
        super().delete_queryset(request, queryset)


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

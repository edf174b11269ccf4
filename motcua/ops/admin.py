"""The personal-data access log for the data-protection officer (read-only), and the digests."""

from __future__ import annotations

from django.contrib import admin

from motcua.ops.models import AuditDigest, PersonalDataAccess


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnly):
    """Seen by users with ``ops.view_personaldataaccess`` (give it to the DPO's group)."""

    list_display = ("at", "actor", "kind", "dossier", "full", "purpose")
    list_filter = ("kind", "full")
    date_hierarchy = "at"
    search_fields = ("dossier__code", "actor__username", "purpose")
    list_select_related = ("actor", "dossier")


@admin.register(AuditDigest)
class AuditDigestAdmin(ReadOnly):
    list_display = ("day", "agency", "dossiers", "digest")
    list_filter = ("day",)

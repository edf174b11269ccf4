"""Admin: read-only for dossiers and their history (services write them); closures editable."""

from __future__ import annotations

from django.contrib import admin

from motcua.dossiers.models import (
    Apology,
    CounterClosure,
    Dossier,
    DossierEvent,
    Handover,
    Rating,
    SupplementWait,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through dossiers.services, so the admin only shows."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DossierEventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ("seq", "type", "at", "actor", "from_state", "to_state", "payload")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("code", "agency", "procedure", "channel", "state", "received_at", "due_at")
    list_filter = ("state", "channel", "outcome", "one_way")
    search_fields = ("code", "applicant_name", "applicant_id_number")
    date_hierarchy = "received_at"
    list_select_related = ("agency", "procedure")
    raw_id_fields = ("agency", "receiving_unit", "procedure", "process", "current_step")
    inlines = [DossierEventInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The admin's page shows the applicant's data in full: logged like the dossier page."""
        from motcua.ops.models import PersonalDataAccess
        from motcua.ops.personal import log_access

        response = super().change_view(request, object_id, form_url, extra_context)
        dossier = getattr(response, "context_data", {}).get("original")
        if response.status_code == 200 and dossier is not None:
            log_access(
                actor=request.user,
                dossiers=[dossier],
                kind=PersonalDataAccess.Kind.VIEW,
                purpose="admin page",
            )
        return response


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "seq", "type", "at", "actor", "from_state", "to_state")
    list_filter = ("type",)
    search_fields = ("dossier__code",)
    list_select_related = ("dossier", "actor")


@admin.register(SupplementWait, Apology, Handover, Rating)
class DossierRelatedAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "dossier")
    search_fields = ("dossier__code",)


@admin.register(CounterClosure)
class CounterClosureAdmin(admin.ModelAdmin):
    list_display = ("agency", "start", "end", "reason")
    list_filter = ("agency",)

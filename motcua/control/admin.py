"""Administration of the control records. Applying a decision goes through its service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.control.models import (
    DecisionItem,
    DraftLegalText,
    Posting,
    ProcedureReview,
    ProcedureRevision,
    ProcessApproval,
    PublicationDecision,
)
from motcua.control.services import decision_apply
from motcua.core.admin import AuditedAdminMixin
from motcua.core.errors import MotcuaError


class DecisionItemInline(admin.TabularInline):
    model = DecisionItem
    extra = 0
    autocomplete_fields = ["procedure", "replaces"]
    fields = [
        "position",
        "action",
        "level",
        "procedure",
        "replaces",
        "code",
        "name",
        "field",
        "attributes",
    ]


class ProcessApprovalInline(admin.TabularInline):
    model = ProcessApproval
    extra = 0
    raw_id_fields = ["process"]


@admin.register(PublicationDecision)
class PublicationDecisionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "issued_on",
        "effective_from",
        "kind",
        "agency",
        "signer",
        "applied_at",
    ]
    list_filter = ["kind", ("applied_at", admin.EmptyFieldListFilter)]
    search_fields = ["number", "signer", "note"]
    date_hierarchy = "issued_on"
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["applied_at", "applied_by"]
    inlines = [DecisionItemInline, ProcessApprovalInline]
    actions = ["apply_selected"]

    @admin.action(description=_("Apply the selected decisions to the catalogue"))
    def apply_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        for decision in queryset:
            try:
                written = decision_apply(decision=decision, actor=request.user)
            except MotcuaError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(number)s: %(count)s revisions written.")
                    % {"number": decision.number, "count": written},
                )


@admin.register(ProcedureRevision)
class ProcedureRevisionAdmin(admin.ModelAdmin):
    """The catalogue's history is written by decisions only: read-only here."""

    list_display = ["procedure", "valid_from", "valid_to", "decision"]
    search_fields = ["procedure__code", "procedure__name"]
    list_select_related = ["procedure", "decision"]
    readonly_fields = ["procedure", "valid_from", "valid_to", "attributes", "decision"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ProcedureReview)
class ProcedureReviewAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["procedure", "kind", "reviewed_on", "agency", "simplification_proposed"]
    list_filter = ["kind", "simplification_proposed"]
    search_fields = ["procedure__code", "procedure__name", "conclusion", "plan"]
    date_hierarchy = "reviewed_on"
    list_select_related = ["procedure", "agency"]
    autocomplete_fields = ["procedure", "agency"]


@admin.register(DraftLegalText)
class DraftLegalTextAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "drafting_agency", "received_on", "commented_on", "procedures_count"]
    list_filter = [("commented_on", admin.EmptyFieldListFilter)]
    search_fields = ["title", "comment"]
    date_hierarchy = "received_on"
    list_select_related = ["drafting_agency"]
    autocomplete_fields = ["drafting_agency", "agency"]


@admin.register(Posting)
class PostingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["procedure", "channel", "posted_on", "removed_on", "agency"]
    list_filter = ["channel"]
    search_fields = ["procedure__code", "procedure__name"]
    date_hierarchy = "posted_on"
    list_select_related = ["procedure", "agency"]
    autocomplete_fields = ["procedure", "agency", "decision"]

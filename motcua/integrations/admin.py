"""Administrators' pages: the outbox (backlog, lag, failures per peer; send a parked message
again), dossiers from the national portal, postal orders and the notice templates."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.integrations.models import (
    NationalDossier,
    NoticeTemplate,
    OutboxMessage,
    OutboxStatus,
    PostalOrder,
)
from motcua.integrations.selectors import peer_summary, sync_timeliness


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "peer",
        "kind",
        "dossier",
        "event_seq",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
        "last_error",
    )
    list_filter = ("status", "peer", "kind")
    search_fields = ("dossier__code", "last_error")
    list_select_related = ("dossier",)
    # Every column but the secret (an online submission's, kept until sent): never shown.
    readonly_fields = [f.name for f in OutboxMessage._meta.fields if f.name != "secret"]
    actions = ["send_again"]
    change_list_template = "admin/integrations/outboxmessage/change_list.html"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Send again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = queryset.filter(status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_until=None,
            claimed_by="",
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d parked message will be sent again.",
                "%(count)d parked messages will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "peer_summary": peer_summary(),
            "timeliness": sync_timeliness(),
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(NationalDossier)
class NationalDossierAdmin(admin.ModelAdmin):
    list_display = ("national_ref", "dossier", "received_at")
    search_fields = ("national_ref", "dossier__code")
    raw_id_fields = ("dossier",)


@admin.register(PostalOrder)
class PostalOrderAdmin(admin.ModelAdmin):
    list_display = ("ref", "kind", "tracking", "status", "updated_at")
    search_fields = ("ref", "tracking")
    raw_id_fields = ("dossier",)


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin):
    list_display = ("occasion", "channel", "subject", "text")
    list_filter = ("channel",)

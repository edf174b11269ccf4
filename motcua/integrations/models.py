"""The outbox of messages to other systems, the national portal's references, notice templates.

An ``OutboxMessage`` is written in the same transaction as the dossier event that causes it
(``integrations.outbox``) and sent later by the delivery loop (``integrations.delivery``).
Its ``payload`` is already in the peer's wire format, built by the peer's adapter.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Peer(models.TextChoices):
    NATIONAL = "national", _("national public service portal")
    POSTAL = "postal", _("postal operator")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed (parked)")


class OutboxMessage(models.Model):
    """One message to one peer. Messages of a dossier to a peer go out in ``id`` order."""

    peer = models.CharField(_("peer"), max_length=16, choices=Peer.choices)
    kind = models.CharField(_("kind"), max_length=40)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # (dossier, peer, id) index in Meta
    )
    event_seq = models.PositiveIntegerField(_("event sequence"), default=0)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=80, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last answer or error"), blank=True)
    # A secret the message carries (an online submission's), kept out of ``payload``: the
    # payload holds the placeholder ``{secret}``, filled in at sending; wiped once sent.
    secret = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["id"]
        indexes = [
            # The loop's reads: waiting messages in order, and the ones held back.
            models.Index(
                fields=["peer", "id"], name="outbox_pending", condition=Q(status="pending")
            ),
            models.Index(
                fields=["peer", "next_attempt_at"],
                name="outbox_pending_due",
                condition=Q(status="pending"),
            ),
            models.Index(
                fields=["peer", "claimed_until"],
                name="outbox_pending_claimed",
                condition=Q(status="pending", claimed_until__isnull=False),
            ),
            models.Index(fields=["dossier", "peer", "id"], name="outbox_stream"),
            models.Index(fields=["peer", "status", "created_at"], name="outbox_peer_status"),
        ]

    def __str__(self) -> str:
        return f"{self.peer} {self.kind} #{self.pk}"


class NationalDossier(models.Model):
    """A dossier that came from the national portal, under its reference ``MaHoSoQG``."""

    national_ref = models.CharField(_("national reference"), max_length=64, unique=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="national",
    )
    received_at = models.DateTimeField(_("pushed"), default=timezone.now)

    class Meta:
        verbose_name = _("dossier from the national portal")
        verbose_name_plural = _("dossiers from the national portal")

    def __str__(self) -> str:
        return self.national_ref


class PostalOrder(models.Model):
    """A pickup or delivery ordered from the postal operator (``ref`` = "<code>:<kind>")."""

    ref = models.CharField(_("reference"), max_length=80, unique=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16)
    tracking = models.CharField(_("tracking number"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("postal order")
        verbose_name_plural = _("postal orders")

    def __str__(self) -> str:
        return self.ref


class Occasion(models.TextChoices):
    RECEPTION = "reception", _("reception")
    SUPPLEMENT = "supplement", _("supplement request")
    REFUSAL = "refusal", _("refusal")
    RESULT = "result", _("result ready")
    APOLOGY = "apology", _("apology")
    STOP = "stop", _("stop")
    SUBMISSION = "submission", _("online submission")
    CORRECTION = "correction", _("returned for changes")


class NoticeTemplate(models.Model):
    """The text of a message to applicants; officials edit it in the admin.

    Placeholders: {name} {code} {date} {reason} {place} {link}; {secret} (online submission
    only: the applicant's secret, filled in at sending and not kept once sent)."""

    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=[(Peer.EMAIL.value, Peer.EMAIL.label), (Peer.SMS.value, Peer.SMS.label)],
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        ordering = ["occasion", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["occasion", "channel"], name="notice_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} ({self.channel})"

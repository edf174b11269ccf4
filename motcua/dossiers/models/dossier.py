"""The dossier and its append-only event history.

Fields on `Dossier` are a projection of its events, kept for fast reads and statistics. Only
`dossiers.services` writes them, always together with one `DossierEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import OnlineClass, TimeUnit
from motcua.dossiers.choices import (
    ApplicantKind,
    Channel,
    DeliveryChannel,
    DossierState,
    EventType,
    Outcome,
)


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=64, unique=True, null=True, blank=True)
    # No index of its own: the (agency, ...) indexes of Meta serve every lookup by agency.
    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("handling agency"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,
    )
    receiving_unit = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        null=True,
        blank=True,
        db_index=False,  # partial index in Meta
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Snapshot of the procedure at reception: later catalogue changes do not move this dossier.
    processing_time = models.DecimalField(
        _("processing time"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(
        _("time unit"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    online_class = models.CharField(
        _("online class"), max_length=8, choices=OnlineClass.choices, default=OnlineClass.NONE
    )
    one_way = models.BooleanField(_("one-way"), default=False)
    process = models.ForeignKey(
        "catalog.InternalProcess",
        verbose_name=_("internal process"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # partial index in Meta
    )

    applicant_kind = models.CharField(
        _("applicant kind"),
        max_length=16,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERSON,
    )
    applicant_name = models.CharField(_("applicant"), max_length=255, blank=True)
    applicant_id_number = models.CharField(_("ID / tax number"), max_length=40, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=40, blank=True)
    # fold(name) + ID number + phone digits, kept by the services (dossiers/search.py).
    applicant_search = models.TextField(editable=False, default="")
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=255, blank=True)

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=24, choices=DossierState.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    paused_at = models.DateTimeField(_("clock stopped since"), null=True, blank=True)

    current_step = models.ForeignKey(
        "catalog.ProcessStep",
        verbose_name=_("current step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # partial index in Meta
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        db_index=False,  # partial index in Meta
    )

    delivery_channel = models.CharField(
        _("result delivery"), max_length=8, choices=DeliveryChannel.choices, blank=True
    )
    delivery_address = models.CharField(_("delivery address"), max_length=255, blank=True)
    postal_tracking = models.CharField(_("postal tracking number"), max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("result delivered"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    imported = models.BooleanField(_("imported"), default=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received"),
            # The lists' order (newest reception first) over all of a province's agencies: a
            # 50-row page or search walks it and stops, instead of sorting every match
            # (issue 11: "nguyen van" over 1M dossiers, 1.3 s → 22 ms; docs/performance.md).
            models.Index(fields=["-received_at", "-id"], name="dossier_received"),
            models.Index(fields=["agency", "closed_at"], name="dossier_agency_closed"),
            # The late list's "resolved late" (closed on a later local day than due, so
            # after the due instant): a small part of a period's closes (decisions.md #48).
            models.Index(
                fields=["agency", "closed_at"],
                name="dossier_agency_closed_late",
                condition=Q(closed_at__gt=F("due_at")),
            ),
            # The late list's "overdue at the end" of a past or current period: the open
            # dossiers due before it (decisions.md #51; closed_at IS NULL is exactly the
            # query's condition, so the planner can use it).
            models.Index(
                fields=["agency", "due_at"],
                name="dossier_agency_open_due",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["agency", "delivered_at"], name="dossier_agency_delivered"),
            models.Index(fields=["state", "due_at"], name="dossier_state_due"),
            # Nullable references and the applicant's ID are indexed only where set: every
            # lookup asks for a given value (``= x`` / ``IN (...)``), and the many dossiers
            # without one (all imported history, say) cost nothing to write.
            models.Index(
                fields=["applicant_id_number"],
                name="dossier_applicant_id",
                condition=~Q(applicant_id_number=""),
            ),
            *(
                models.Index(
                    fields=[name], name=f"dossier_{name}", condition=Q(**{f"{name}__isnull": False})
                )
                for name in ("receiving_unit", "process", "current_step", "assignee")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(outcome=""),
                name="dossier_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | Q(received_at__isnull=True)
                | Q(closed_at__gte=models.F("received_at")),
                name="dossier_closed_after_received",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.received_at is not None and self.closed_at is None


class DossierEvent(models.Model):
    """One step of a dossier's history. Append-only: never updated, never deleted."""

    # No index of its own: event_seq_unique (dossier, seq) serves every lookup by dossier.
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
    )
    seq = models.PositiveIntegerField(_("sequence"))
    type = models.CharField(_("type"), max_length=24, choices=EventType.choices)
    at = models.DateTimeField(_("time"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # partial index in Meta: imported events have no actor
    )
    from_state = models.CharField(
        _("from"), max_length=24, choices=DossierState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=24, choices=DossierState.choices)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    # SHA-256 of this event chained to the previous one of its dossier (dossiers.audit).
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "seq"]
        indexes = [
            models.Index(fields=["actor"], name="event_actor", condition=Q(actor__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="event_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.type}"


class DossierCodeSequence(models.Model):
    """The last sequence number used for an agency's codes on one reception day."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="code_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last}"

"""Publication decisions and the history of the catalogue they write.

A decision is entered (with its items) before it takes effect; `decision_apply` writes it into
the catalogue once its effective date has come: each item closes the procedure's current
`ProcedureRevision` and opens a new one, and the procedure's current fields follow the latest
revision. Internal processes are approved by decisions of their own kind (`ProcessApproval`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import ProcedureLevel
from motcua.control.choices import DecisionKind, ItemAction


class PublicationDecision(models.Model):
    number = models.CharField(
        _("number"), max_length=64, help_text=_("As written, e.g. 1016/QĐ-UBND.")
    )
    issued_on = models.DateField(_("issued on"))
    signer = models.CharField(_("signer"), max_length=255, blank=True)
    effective_from = models.DateField(_("effective from"))
    kind = models.CharField(
        _("kind"), max_length=24, choices=DecisionKind.choices, default=DecisionKind.PROCEDURES
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("issuing agency"),
        on_delete=models.PROTECT,
        related_name="publication_decisions",
    )
    note = models.TextField(_("note"), blank=True)
    applied_at = models.DateTimeField(_("applied to the catalogue"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("publication decision")
        verbose_name_plural = _("publication decisions")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="decision_number_unique"),
            models.CheckConstraint(
                condition=Q(effective_from__gte=models.F("issued_on")),
                name="decision_effective_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["agency", "issued_on"], name="decision_agency_issued")]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None


class DecisionItem(models.Model):
    """One procedure that a decision publishes, amends, replaces or abolishes at one level.

    `procedure` is empty for a procedure not yet in the catalogue: `code`, `name` and `field`
    describe it, and applying the decision creates it. `attributes` holds the attributes the
    decision sets (name, processing_time, time_unit, online_class, one_way, fee, ...).
    """

    decision = models.ForeignKey(
        PublicationDecision,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    action = models.CharField(_("action"), max_length=12, choices=ItemAction.choices)
    level = models.CharField(_("level"), max_length=16, choices=ProcedureLevel.choices)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_items",
    )
    replaces = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by_items",
    )
    code = models.CharField(_("national code"), max_length=40, blank=True)
    name = models.TextField(_("name"), blank=True)
    field = models.ForeignKey(
        "catalog.Field",
        verbose_name=_("field"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attributes = models.JSONField(_("attributes set"), default=dict, blank=True)

    class Meta:
        verbose_name = _("decision item")
        verbose_name_plural = _("decision items")
        ordering = ["decision", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(procedure__isnull=False) | ~Q(code=""),
                name="decision_item_procedure_or_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.code or self.procedure_id}"


class ProcedureRevision(models.Model):
    """The attributes of a procedure over `[valid_from, valid_to)`; empty bounds are open."""

    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until (excluded)"), null=True, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict)
    decision = models.ForeignKey(
        PublicationDecision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
    )

    class Meta:
        verbose_name = _("procedure revision")
        verbose_name_plural = _("procedure revisions")
        ordering = ["procedure", models.F("valid_from").asc(nulls_first=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="revision_range_ordered",
            ),
            models.UniqueConstraint(
                fields=["procedure", "decision"], name="revision_once_per_decision"
            ),
        ]
        indexes = [
            models.Index(fields=["procedure", "valid_from"], name="revision_procedure_from"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} [{self.valid_from}, {self.valid_to})"

    def covers(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


class ProcessApproval(models.Model):
    """An internal-process version approved by a decision."""

    decision = models.ForeignKey(
        PublicationDecision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="process_approvals",
    )
    process = models.OneToOneField(
        "catalog.InternalProcess",
        verbose_name=_("internal process"),
        on_delete=models.CASCADE,
        related_name="approval",
    )

    class Meta:
        verbose_name = _("internal process approval")
        verbose_name_plural = _("internal process approvals")
        ordering = ["decision", "id"]

    def __str__(self) -> str:
        return f"{self.decision} → {self.process}"

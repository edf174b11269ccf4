"""Reviews of procedures, draft legal texts commented on, and where procedures are posted."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.control.choices import PostingChannel, ReviewKind


class ProcedureReview(models.Model):
    """A review (rà soát) or evaluation (đánh giá) of a procedure, with its simplification plan."""

    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("reviewing agency"),
        on_delete=models.PROTECT,
        related_name="procedure_reviews",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ReviewKind.choices, default=ReviewKind.REVIEW
    )
    reviewed_on = models.DateField(_("reviewed on"))
    conclusion = models.TextField(_("conclusion"), blank=True)
    simplification_proposed = models.BooleanField(_("simplification proposed"), default=False)
    plan = models.TextField(_("simplification plan"), blank=True)
    cost_saving = models.DecimalField(
        _("yearly cost saving (VND)"), max_digits=16, decimal_places=0, null=True, blank=True
    )

    class Meta:
        verbose_name = _("procedure review")
        verbose_name_plural = _("procedure reviews")
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["agency", "reviewed_on"], name="review_agency_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.procedure_id} {self.reviewed_on}"


class DraftLegalText(models.Model):
    """A draft legal text containing procedures, sent to the control unit for comment."""

    title = models.TextField(_("title"))
    drafting_agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("drafting agency"),
        on_delete=models.PROTECT,
        related_name="drafted_texts",
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("commenting agency"),
        on_delete=models.PROTECT,
        related_name="commented_drafts",
    )
    received_on = models.DateField(_("received on"))
    commented_on = models.DateField(_("commented on"), null=True, blank=True)
    procedures_count = models.PositiveIntegerField(_("procedures it contains"), default=0)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("draft legal text")
        verbose_name_plural = _("draft legal texts")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commented_on__isnull=True)
                | Q(commented_on__gte=models.F("received_on")),
                name="draft_commented_after_received",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class Posting(models.Model):
    """A procedure made public on one channel from `posted_on` until `removed_on`."""

    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="postings",
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("posting agency"),
        on_delete=models.PROTECT,
        related_name="procedure_postings",
    )
    channel = models.CharField(_("channel"), max_length=12, choices=PostingChannel.choices)
    posted_on = models.DateField(_("posted on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    decision = models.ForeignKey(
        "control.PublicationDecision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["-posted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("posted_on")),
                name="posting_removed_after_posted",
            ),
            models.UniqueConstraint(
                fields=["procedure", "channel", "posted_on"], name="posting_unique"
            ),
        ]
        indexes = [models.Index(fields=["agency", "posted_on"], name="posting_agency_on")]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.get_channel_display()} {self.posted_on}"

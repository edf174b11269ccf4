"""What hangs off a dossier: supplement waits, apologies, hand-overs, documents, ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import RatingValue


class SupplementWait(models.Model):
    """A stop of the clock while the applicant completes the dossier (form 02)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="supplement_waits",
    )
    requested_at = models.DateTimeField(_("requested"))
    received_at = models.DateTimeField(_("supplement received"), null=True, blank=True)
    due_before = models.DateTimeField(_("due before the stop"), null=True, blank=True)
    due_after = models.DateTimeField(_("due after the supplement"), null=True, blank=True)
    reason = models.TextField(_("what is missing"), blank=True)

    class Meta:
        verbose_name = _("supplement wait")
        verbose_name_plural = _("supplement waits")
        ordering = ["dossier", "requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_at__isnull=True)
                | Q(received_at__gte=models.F("requested_at")),
                name="supplement_wait_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.requested_at:%d/%m/%Y}"


class Apology(models.Model):
    """Apology letter with a new appointment date (form 04)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="apologies",
    )
    issued_at = models.DateTimeField(_("issued"))
    new_due_at = models.DateTimeField(_("new appointment"))
    reason = models.TextField(_("reason"), blank=True)
    issued_late = models.BooleanField(
        _("issued after the deadline"),
        default=False,
        help_text=_("The law wants it before the deadline."),
    )

    class Meta:
        verbose_name = _("apology letter")
        verbose_name_plural = _("apology letters")
        ordering = ["dossier", "issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.new_due_at:%d/%m/%Y}"


class Handover(models.Model):
    """An inter-agency hand-over (liên thông), logged with its parties and times."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    from_agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="handovers_out",
    )
    to_agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="handovers_in",
    )
    sent_at = models.DateTimeField(_("sent"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["dossier", "sent_at"]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.from_agency.code} → {self.to_agency.code}"


class DossierDocument(models.Model):
    """The submitted-documents checklist, copied from the procedure's required documents."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    required = models.ForeignKey(
        "catalog.RequiredDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.TextField(_("document"))
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    submitted = models.BooleanField(_("submitted"), default=False)

    class Meta:
        verbose_name = _("submitted document")
        verbose_name_plural = _("submitted documents")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name


def dossier_upload_to(instance: DossierFile, filename: str) -> str:
    return f"dossiers/{instance.dossier_id}/{filename}"


class DossierFile(models.Model):
    """An uploaded file, stored through Django's storage API."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    document = models.ForeignKey(
        DossierDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=dossier_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")

    def __str__(self) -> str:
        return self.original_name


class CounterClosure(models.Model):
    """Counter reception suspended for a period (online and postal stay open)."""

    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="counter_closures",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        verbose_name = _("counter closure")
        verbose_name_plural = _("counter closures")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="closure_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class Rating(models.Model):
    """An applicant's satisfaction rating of a dossier's handling."""

    agency = models.ForeignKey(
        "catalog.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="ratings"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Every official who handled the dossier (workflow.HANDLING_EVENTS), one row each.
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="dossiers.RatingOfficial",
        related_name="ratings_received",
        blank=True,
        verbose_name=_("officials who handled the dossier"),
    )
    value = models.CharField(_("rating"), max_length=16, choices=RatingValue.choices)
    at = models.DateTimeField(_("time"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["agency", "at"], name="rating_agency_at")]

    def __str__(self) -> str:
        return f"{self.get_value_display()} {self.at:%d/%m/%Y}"


class RatingOfficial(models.Model):
    """A rating counted for one official who handled the rated dossier (statistics per
    official: count the rows of an official by value and period)."""

    rating = models.ForeignKey(
        "dossiers.Rating", on_delete=models.CASCADE, related_name="official_links"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rating of an official")
        verbose_name_plural = _("ratings of officials")
        constraints = [
            models.UniqueConstraint(fields=["rating", "official"], name="rating_official_unique")
        ]
        indexes = [models.Index(fields=["official", "rating"], name="rating_official_by_user")]

    def __str__(self) -> str:
        return f"{self.rating_id} → {self.official_id}"

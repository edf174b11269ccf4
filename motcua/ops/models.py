"""What operations keep in the database: the daily digests of the event chains."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditDigest(models.Model):
    """One agency's day: the last hash of each of its dossiers' chains that day, chained to
    the agency's previous digest (``motcua.ops.auditchain``). Printed and signed, it makes a
    later rewrite of a whole chain show."""

    agency = models.ForeignKey(
        "catalog.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    dossiers = models.PositiveIntegerField(_("dossiers"))
    previous = models.CharField(_("previous digest"), max_length=64, blank=True)
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit digest")
        verbose_name_plural = _("audit digests")
        ordering = ["agency", "day"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="audit_digest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.digest[:12]}"


class PersonalDataAccess(models.Model):
    """Who looked at or exported whose personal data, when and why (Decree 13/2023/NĐ-CP).

    Written by ``motcua.ops.personal.log_access``; read by the data-protection officer (the
    ``ops.view_personaldataaccess`` permission, in the admin). Holds no personal data itself:
    the dossier says whose."""

    class Kind(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        SUBJECT_EXPORT = "subject_export", _("given to the data subject")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("access"), max_length=16, choices=Kind.choices)
    purpose = models.CharField(_("why"), max_length=255)
    full = models.BooleanField(
        _("shown in full"),
        default=True,
        help_text=_("No: the ID number and phone were shown masked."),
    )

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.kind} {self.dossier_id}"

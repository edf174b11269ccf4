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

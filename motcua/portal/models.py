"""The citizen portal's own data: counters of failed look-ups (throttle.py reads and writes them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LookupFailure(models.Model):
    """How many look-ups from one client address named a code and ID number that match no dossier,
    in one fixed window of MOTCUA_PORTAL_WINDOW_SECONDS starting at ``window_start``.

    One row per (address, window): every worker process increments the same row, so the limit
    holds across gunicorn workers. Rows of finished windows are deleted by throttle.py.
    """

    address = models.CharField(_("client address"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("failed look-ups"), default=0)

    class Meta:
        verbose_name = _("failed portal look-ups")
        verbose_name_plural = _("failed portal look-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["address", "window_start"], name="portal_lookupfailure_address_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="portal_lookupfailure_window")]

    def __str__(self) -> str:
        return f"{self.address} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class OnlineSubmission(models.Model):
    """A dossier filed on the portal: the tracking reference and the secret (kept as a digest)
    given to the applicant at submission, before the dossier has its code."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="online_submission",
    )
    reference = models.CharField(_("tracking reference"), max_length=32, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("online submission")
        verbose_name_plural = _("online submissions")

    def __str__(self) -> str:
        return self.reference

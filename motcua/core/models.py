"""Audit log: every write that matters records who did what, explicitly, from a service."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """One row per administrative change (catalogue, calendar, users, imports).

    Dossier state changes are audited by `dossiers.DossierEvent` instead; this table is for the
    rest. Rows are written by services, never by signals.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class Generation(models.Model):
    """A number that changes whenever any table of a group changes (see `core.generations`).

    Database triggers set ``value`` on every write to the group's tables, so per-process memos of
    catalogue, calendar and access reads know when to start again. Never written by Python code.
    """

    name = models.CharField(_("name"), max_length=32, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("generation")
        verbose_name_plural = _("generations")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"

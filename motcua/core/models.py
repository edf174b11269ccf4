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


class IdempotencyKey(models.Model):
    """The first answer to a ``POST`` API call sent with an ``Idempotency-Key`` header.

    Written by `core.idempotency` in the same transaction as the call's own writes: either both
    are committed or neither is. The unique (owner, key) pair makes a concurrent duplicate wait
    for the first call and then read its answer instead of writing again.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("body"), default=b"")

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="core_idempotency_owner_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}:{self.key} → {self.status}"

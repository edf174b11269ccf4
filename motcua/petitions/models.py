"""Feedback and petitions (*phản ánh, kiến nghị*) from citizens and businesses.

A petition is addressed to one agency, about a procedure, the agency itself or one of its
dossiers. Officials of that agency assign it, answer it within a deadline counted on the
agency's working calendar, and publish the answer when the petitioner agreed. ``Petition`` is a
projection like ``Dossier``; ``PetitionEvent`` is its append-only history (one per change,
written by ``petitions.services`` only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.petitions import deadlines
from motcua.petitions.choices import PetitionAbout, PetitionEventType, PetitionState


class Petition(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    agency = models.ForeignKey(
        "catalog.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    about = models.CharField(_("about"), max_length=16, choices=PetitionAbout.choices)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=255)
    content = models.TextField(_("content"), max_length=5000)
    consent_publish = models.BooleanField(_("agrees to publication of the answer"), default=False)

    state = models.CharField(
        _("state"), max_length=16, choices=PetitionState.choices, default=PetitionState.RECEIVED
    )
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("answer due"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("answer published"), null=True, blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="petition_agency_received"),
            models.Index(fields=["agency", "answered_at"], name="petition_agency_answered"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def answered_on_time(self) -> bool | None:
        return deadlines.answered_on_time(self)

    @property
    def is_overdue(self) -> bool:
        return deadlines.is_overdue(self)


class PetitionEvent(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(_("event"), max_length=16, choices=PetitionEventType.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("petition event")
        verbose_name_plural = _("petition events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.type} {self.at:%Y-%m-%d %H:%M}"


def petition_upload_to(instance: PetitionFile, filename: str) -> str:
    return f"petitions/{instance.petition.received_at:%Y/%m}/{instance.petition.code}/{filename}"


class PetitionFile(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(_("file"), upload_to=petition_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("petition file")
        verbose_name_plural = _("petition files")

    def __str__(self) -> str:
        return self.original_name

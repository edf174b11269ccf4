"""Which closed dossiers' personal data and files are due for erasure, and erasing them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import RETENTION
from motcua.dossiers.services import dossier_erase_personal_data
from motcua.dossiers.services.retention import PERSONAL_FIELDS


@dataclass
class RetentionResult:
    personal: list[int] = field(default_factory=list)
    files: list[int] = field(default_factory=list)


def _before(days: int, now: dt.datetime) -> dt.datetime | None:
    return None if days <= 0 else now - dt.timedelta(days=days)


def due_for_erasure(now: dt.datetime | None = None) -> tuple[list[int], list[int]]:
    """(dossiers whose personal fields are due, dossiers whose files are due), by the settings
    MOTCUA_RETENTION_PERSONAL_DAYS and MOTCUA_RETENTION_FILES_DAYS after closing (0: kept)."""
    now = now or timezone.now()
    personal_before = _before(settings.MOTCUA_RETENTION_PERSONAL_DAYS, now)
    files_before = _before(settings.MOTCUA_RETENTION_FILES_DAYS, now)
    personal: list[int] = []
    files: list[int] = []
    if personal_before is not None:
        has_personal = Q()
        for name in PERSONAL_FIELDS:
            has_personal |= ~Q(**{name: ""})
        personal = list(
            Dossier.objects.filter(has_personal, closed_at__lt=personal_before)
            .order_by("id")
            .values_list("id", flat=True)
        )
    if files_before is not None:
        files = list(
            Dossier.objects.filter(closed_at__lt=files_before, files__isnull=False)
            .exclude(files__file="")
            .order_by("id")
            .values_list("id", flat=True)
            .distinct()
        )
    return personal, files


def apply_retention(*, now: dt.datetime | None = None, dry_run: bool = False) -> RetentionResult:
    personal, files = due_for_erasure(now)
    result = RetentionResult(personal=personal, files=files)
    if dry_run:
        return result
    for dossier_id in sorted(set(personal) | set(files)):
        dossier_erase_personal_data(
            dossier=dossier_id,
            actor=RETENTION,
            personal=dossier_id in set(personal),
            files=dossier_id in set(files),
            at=now,
        )
    return result

"""Catch-up: queue the current state of every dossier changed since a date (after a long outage
or a restore), for the national portal. The portal ignores what it already has (same STT)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.adapters import national
from motcua.integrations.outbox import queue


def resend_national(*, since: dt.datetime, chunk: int = 500) -> int:
    """Queue one DongBoHoSoMC per dossier with an event at or after ``since``; returns how
    many were queued."""
    changed = (
        DossierEvent.objects.filter(at__gte=since).values_list("dossier_id", flat=True).distinct()
    )
    ids = sorted(set(changed))
    queued = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        last = dict(
            DossierEvent.objects.filter(dossier_id__in=part)
            .values("dossier_id")
            .annotate(last=Max("seq"))
            .values_list("dossier_id", "last")
        )
        with transaction.atomic():
            for dossier in Dossier.objects.filter(pk__in=part).order_by("pk"):
                ref = national.national_ref(dossier)
                if not dossier.code and not ref:
                    continue
                seq = last.get(dossier.pk, 0)
                item = national.dossier_item(dossier, seq, ref)
                queue(dossier, "national", national.DOSSIER, item, seq)
                queued += 1
    return queued
